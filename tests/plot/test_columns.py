"""Pictures of wide data stay bounded: a grid of pairs draws at most MAX_PAIR_COLUMNS
columns (the first ones, with a warning and a note in the picture, unless chosen by
name or position); and pictures of one row, of equal rows and of one column work."""

import warnings

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Ellipse  # noqa: E402

from gaussmix import GaussianMixture, plot  # noqa: E402
from gaussmix.plot.columns import MAX_PAIR_COLUMNS, resolve_columns  # noqa: E402


def wide_model(n_rows, d, rng):
    """Wide data with named columns and a diagonal model of it, built from parameters
    (no fit: these tests are about the pictures)."""
    import pandas as pd

    X = pd.DataFrame(rng.normal(size=(n_rows, d)), columns=[f"c{j}" for j in range(d)])
    gm = GaussianMixture.from_parameters([0.5, 0.5], rng.normal(size=(2, d)),
                                         rng.uniform(0.5, 2.0, (2, d)), "diag")
    gm.feature_names_in_ = np.asarray(X.columns, dtype=object)
    return gm, X


def bottom_labels(fig, m):
    return [ax.get_xlabel() for ax in fig.axes[m * (m - 1):]]


def test_the_cap_is_8_columns():
    assert MAX_PAIR_COLUMNS == 8


def test_wide_data_draws_the_first_columns_with_a_warning_and_a_note(rng):
    gm, X = wide_model(50, 2000, rng)
    with pytest.warns(UserWarning, match="first 8 of 2000 columns .c0 to c7.; choose others "
                                         "with features="):
        fig = plot.plot_model(gm, X)
    assert len(fig.axes) == 64
    assert bottom_labels(fig, 8) == [f"c{j}" for j in range(8)]
    assert "first 8 of 2000 columns" in fig.get_suptitle()
    assert fig.get_suptitle().startswith("2 component(s)")


def test_plot_pairs_alone_caps_and_notes_in_the_figure_title(rng):
    gm, X = wide_model(30, 12, rng)
    fig = Figure()
    with pytest.warns(UserWarning, match="first 8 of 12 columns"):
        axes = plot.plot_pairs(gm, X, fig.subplots(8, 8))
    assert axes.shape == (8, 8)
    assert "first 8 of 12 columns" in fig.get_suptitle()


def test_features_choose_the_columns_by_name_or_position(rng):
    gm, X = wide_model(40, 30, rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                  # chosen: no warning
        fig = plot.plot_model(gm, X, features=["c29", 2, "4"])
        assert len(fig.axes) == 9
        assert bottom_labels(fig, 3) == ["c29", "c2", "c4"]
        assert fig.get_suptitle() == "2 component(s), covariance_type='diag'"
        two = plot.plot_model(gm, X, features=[5, "c1"])      # the 2-D picture of those two
        ax = two.axes[0]
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("c5", "c1")
        assert len([p for p in ax.patches if isinstance(p, Ellipse)]) == 4
        one = plot.plot_model(gm, X, features=["c3"])         # the 1-D picture
        assert len(one.axes) == 1 and one.axes[0].get_xlabel() == "c3"


def test_the_drawn_ellipses_are_those_of_the_chosen_columns(rng):
    gm, X = wide_model(40, 30, rng)
    fig = plot.plot_model(gm, X, features=[7, 20, 3])
    ax = fig.axes[1]                          # row 0 (c7), column 1 (c20): x = c20, y = c7
    ones = [p for p in ax.patches if p.get_gid().endswith("-1sigma")]
    for k, e in enumerate(ones):
        np.testing.assert_allclose(e.center, gm.means_[k, [20, 7]])
        sd = np.sqrt(gm.covariances_[k, [20, 7]])
        assert sorted([e.width, e.height]) == pytest.approx(sorted(2 * sd))


@pytest.mark.parametrize("features, message", [
    (["c1", "zz"], r"column 'zz' is not in the data \(its columns: c0, c1, c2"),
    ([3, 40], "column position 40 is not in the data, whose 30 column.s. are at positions "
              "0 to 29"),
    (["c1", 1], "column 'c1' is chosen twice"),
    ([], "no column is chosen"),
    (list(range(9)), "draws at most 8 columns but 9 are chosen"),
])
def test_wrong_features_are_one_clear_sentence(rng, features, message):
    gm, X = wide_model(20, 30, rng)
    with pytest.raises(ValueError, match=message):
        plot.plot_model(gm, X, features=features)


def test_a_name_wins_over_a_position():
    assert resolve_columns(["1", 1, "b"], ["1", "a", "b"]) == [0, 1, 2]


# ---------------------------------------------------------------------- tiny data
@pytest.mark.parametrize("rows", [[[1.0, 2.0]], [[1.0, 2.0]] * 5])
def test_em_animation_of_one_row_and_of_equal_rows(rows, tmp_path):
    X = np.array(rows)
    path = tmp_path / "em.gif"
    anim = plot.animate_em(X, 1, "full", path=path, dpi=30, max_frames=4)
    start = anim.steps[0]["model"]
    assert np.all(np.isfinite(start.covariances_)) and np.isfinite(anim.steps[-1]["objective"])
    assert path.stat().st_size > 0


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
def test_em_steps_of_one_row_of_one_column(covariance_type):
    steps = plot.em_steps(np.array([[3.0]]), 1, covariance_type, max_iter=3)
    assert all(np.isfinite(s["objective"]) for s in steps)


@pytest.mark.parametrize("d, n_axes", [(1, 1), (2, 1), (3, 9)])
def test_pictures_of_one_row(rng, d, n_axes):
    import io

    X = rng.normal(size=(1, d))
    gm = GaussianMixture(1, random_state=0).fit(X)
    fig = plot.plot_model(gm, X)
    assert len(fig.axes) == n_axes
    fig.savefig(io.BytesIO(), format="png", dpi=30)
