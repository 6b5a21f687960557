"""gaussmix.plot on the Agg backend: what is drawn, not only that nothing crashes."""

import warnings

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Ellipse, Rectangle  # noqa: E402

import gaussmix  # noqa: E402
from gaussmix import GaussianMixture, plot  # noqa: E402

TYPES = ("full", "tied", "diag", "spherical")


def new_ax():
    return Figure().add_subplot()


@pytest.fixture(scope="module")
def faithful():
    return gaussmix.load_faithful(as_frame=True)


@pytest.fixture(scope="module")
def gm2(faithful):
    return GaussianMixture(3, covariance_type="full", random_state=0).fit(faithful)


def ellipses(ax):
    return [p for p in ax.patches if isinstance(p, Ellipse)]


def covers(lim, values):
    return lim[0] <= np.min(values) and lim[1] >= np.max(values)


# ---------------------------------------------------------------------- 1-D
def test_density_1d_draws_histogram_mixture_and_components(faithful):
    X = faithful[["eruptions"]]
    gm = GaussianMixture(2, random_state=0).fit(X)
    ax = plot.plot_density_1d(gm, X, new_ax())
    assert ax.get_xlabel() == "eruptions"
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) >= 10                                    # histogram
    assert sum(b.get_height() * b.get_width() for b in bars) == pytest.approx(1.0)
    mixture = [ln for ln in ax.lines if ln.get_label() == "mixture density"]
    comps = [ln for ln in ax.lines if ln.get_label().startswith("component")]
    assert len(mixture) == 1 and len(comps) == 2
    x, y = mixture[0].get_xdata(), mixture[0].get_ydata()
    np.testing.assert_allclose(sum(c.get_ydata() for c in comps), y, rtol=1e-12)
    np.testing.assert_allclose(y, np.exp(gm.score_samples(pd_frame(x, "eruptions"))), rtol=1e-8)
    trapezoid = getattr(np, "trapezoid", None) or np.trapz
    assert trapezoid(y, x) == pytest.approx(1.0, abs=0.01)  # the range holds the mass
    assert covers(ax.get_xlim(), X["eruptions"])
    assert ax.get_ylim()[0] == 0


def pd_frame(x, name):
    import pandas as pd

    return pd.DataFrame({name: x})


# ---------------------------------------------------------------------- 2-D
def test_density_2d_points_contours_and_two_ellipses_per_component(gm2, faithful):
    ax = plot.plot_density_2d(gm2, faithful, new_ax())
    K = gm2.n_components
    assert len(ellipses(ax)) == 2 * K
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(points[0].get_offsets()) == len(faithful)           # every row drawn
    labels = gm2.predict(faithful)
    colours = points[0].get_facecolors()[:, :3]
    # rows of one component share one colour, different components differ
    for k in range(K):
        assert len(np.unique(colours[labels == k].round(6), axis=0)) == 1
    assert len(np.unique(colours.round(6), axis=0)) == len(np.unique(labels))
    assert len(points[1].get_offsets()) == K                       # the means
    contours = [c for c in ax.collections if c.get_gid() == "gaussmix-density-contours"]
    assert len(contours) == 1 and len(contours[0].get_paths()) > 0
    assert covers(ax.get_xlim(), faithful["eruptions"])
    assert covers(ax.get_ylim(), faithful["waiting"])
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("eruptions", "waiting")
    assert len(ax.get_legend().get_texts()) == K + 3


@pytest.mark.parametrize("covariance_type", TYPES)
def test_ellipses_have_the_component_shapes(covariance_type, faithful):
    gm = GaussianMixture(2, covariance_type=covariance_type, random_state=0).fit(faithful)
    ax = plot.plot_density_2d(gm, faithful, new_ax(), contours=False)
    es = ellipses(ax)
    assert len(es) == 4
    cov = plot.full_covariances(gm)
    for k in range(2):
        vals = np.linalg.eigvalsh(cov[k])
        one, two = [e for e in es if e.get_gid().startswith(f"gaussmix-ellipse-{k}-")]
        np.testing.assert_allclose(one.center, gm.means_[k])
        assert one.width == pytest.approx(2 * np.sqrt(vals[-1]))
        assert one.height == pytest.approx(2 * np.sqrt(vals[0]))
        assert two.width == pytest.approx(2 * one.width)
        if covariance_type == "spherical":
            assert one.width == pytest.approx(one.height)


def test_full_covariances_expand_every_type(faithful):
    for t in TYPES:
        gm = GaussianMixture(3, covariance_type=t, random_state=0).fit(faithful)
        cov = plot.full_covariances(gm)
        assert cov.shape == (3, 2, 2)
        # the mixture of these full matrices has the model's density
        full = GaussianMixture.from_parameters(gm.weights_, gm.means_, cov, "full")
        np.testing.assert_allclose(full.score_samples(faithful.to_numpy()),
                                   gm.score_samples(faithful), rtol=1e-8)


# ---------------------------------------------------------------------- pairs / model
def test_pairs_grid_for_more_dimensions(rng):
    X = np.column_stack([rng.normal(size=300), rng.normal(size=300), rng.normal(size=300)])
    X[150:] += 4
    gm = GaussianMixture(2, random_state=0).fit(X)
    fig = Figure(figsize=(6, 6))
    axes = plot.plot_pairs(gm, X, fig.subplots(3, 3))
    assert axes.shape == (3, 3)
    for i in range(3):
        for j in range(3):
            ax = axes[i, j]
            if i == j:
                assert len(ax.lines) == 1 and len(ax.patches) > 5   # density over histogram
                assert covers(ax.get_xlim(), X[:, i])
            else:
                assert len(ellipses(ax)) == 2 * gm.n_components
                assert covers(ax.get_xlim(), X[:, j]) and covers(ax.get_ylim(), X[:, i])
    assert axes[2, 0].get_xlabel() == "x0" and axes[1, 0].get_ylabel() == "x1"


def test_plot_model_picks_the_picture_by_dimension(faithful, rng):
    gm1 = GaussianMixture(2, random_state=0).fit(faithful[["waiting"]])
    fig = plot.plot_model(gm1, faithful[["waiting"]])
    assert len(fig.axes) == 1 and not ellipses(fig.axes[0]) and len(fig.axes[0].lines) == 3
    gm = GaussianMixture(2, random_state=0).fit(faithful)
    fig = plot.plot_model(gm, faithful, title="hello")
    assert len(fig.axes) == 1 and len(ellipses(fig.axes[0])) == 4
    assert fig.get_suptitle() == "hello"
    X4 = rng.normal(size=(100, 4))
    fig = plot.plot_model(GaussianMixture(1, random_state=0).fit(X4), X4)
    assert len(fig.axes) == 16


def test_wrong_columns_are_a_clear_error(gm2, faithful):
    with pytest.raises(ValueError, match="2 feature"):
        plot.plot_density_2d(gm2, faithful[["eruptions"]], new_ax())
    gm1 = GaussianMixture(1).fit(faithful[["eruptions"]])
    with pytest.raises(ValueError, match="at least 2 features"):
        plot.plot_density_2d(gm1, faithful[["eruptions"]], new_ax())


def test_ndarray_for_a_dataframe_model_gives_no_feature_name_warning(gm2, faithful):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        plot.plot_density_2d(gm2, faithful.to_numpy(), new_ax())


# ---------------------------------------------------------------------- selection / EM
def test_selection_curves_one_line_per_type_and_a_star_at_the_minimum(faithful):
    res = gaussmix.select(faithful, range(1, 5), "sklearn", random_state=0, n_jobs=1,
                          progress=False)
    ax = plot.plot_selection(res, new_ax())
    labels = [ln.get_label() for ln in ax.lines]
    assert labels[:4] == ["full", "diag", "spherical", "tied"]
    assert len(ax.lines) == 5
    star = ax.lines[-1]
    best = res.table_.iloc[res.best_index_]
    assert star.get_xdata()[0] == best["n_components"]
    assert star.get_ydata()[0] == pytest.approx(best["bic"])
    for ln in ax.lines[:4]:
        assert list(ln.get_xdata()) == [1, 2, 3, 4]
    assert list(ax.get_xticks()) == [1, 2, 3, 4]
    lo, hi = ax.get_ylim()
    assert lo < res.table_["bic"].min() < hi
    assert "lower is better" in ax.get_ylabel()
    ax = plot.plot_selection(res.table_, new_ax(), criterion="aic", zoom=False)
    assert ax.lines[-1].get_ydata()[0] == pytest.approx(res.table_["aic"].min())
    assert covers(ax.get_ylim(), res.table_["aic"])


def test_objective_curve_is_the_lower_bounds(gm2):
    ax = plot.plot_objective(gm2, new_ax())
    y = ax.lines[0].get_ydata()
    np.testing.assert_allclose(y, gm2.lower_bounds_)
    assert np.all(np.diff(y) >= -1e-12)
    assert list(ax.lines[0].get_xdata()) == list(range(len(y)))
    assert "converged" in ax.get_title()
    gm = GaussianMixture.from_parameters([1.0], [[0.0]], [1.0], "spherical")
    assert plot.plot_objective(gm, new_ax()).texts              # "no EM history"


def test_em_steps_go_from_initialisation_to_convergence(faithful):
    steps = plot.em_steps(faithful, 2, "full", random_state=0, tol=1e-6)
    obj = np.array([s["objective"] for s in steps])
    assert [s["iteration"] for s in steps] == list(range(len(steps)))
    assert len(steps) > 5
    assert np.all(np.diff(obj) >= -1e-10)                       # EM never goes down
    assert obj[-1] - obj[0] > 0.5                               # a poor start, a real climb
    assert abs(obj[-1] - obj[-2]) < 1e-6                        # converged
    # one uninterrupted EM run from the same start climbs through the same values
    start = steps[0]["model"]
    full = GaussianMixture(2, weights_init=start.weights_, means_init=start.means_,
                           precisions_init=start.precisions_, tol=0, max_iter=len(steps) - 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full.fit(faithful)
    np.testing.assert_allclose(full.lower_bounds_, obj, rtol=1e-8)
    # and ends where the default fit ends
    best = GaussianMixture(2, random_state=0).fit(faithful)
    assert obj[-1] == pytest.approx(best.score(faithful), abs=1e-5)


def test_em_step_frame(faithful):
    steps = plot.em_steps(faithful, 2, random_state=1)
    ax = plot.plot_em_step(steps[0], faithful, new_ax())
    assert ax.get_title().startswith("Initialisation")
    assert len(ellipses(ax)) == 4
    ax = plot.plot_em_step(steps[3], faithful, new_ax())
    assert ax.get_title().startswith("After 3 iterations")


def test_animate_em_writes_a_gif_from_start_to_convergence(faithful, tmp_path):
    from PIL import Image

    path = tmp_path / "em.gif"
    anim = plot.animate_em(faithful, 2, path=path, random_state=0, dpi=40, max_frames=12)
    assert anim.frame_steps[0] == 0 and anim.frame_steps[-1] == len(anim.steps) - 1
    assert len(set(anim.frame_steps)) <= 12
    assert sorted(p.name for p in tmp_path.iterdir()) == ["em.gif"]   # no temporary left
    with Image.open(path) as im:
        assert im.format == "GIF" and im.n_frames == len(set(anim.frame_steps))
        im.seek(0)
        first = np.asarray(im.convert("RGB")).astype(int)
        im.seek(im.n_frames - 1)
        last = np.asarray(im.convert("RGB")).astype(int)
    assert first.std() > 10 and np.abs(first - last).mean() > 1       # not blank, EM moved
    with pytest.raises(ValueError, match="2-D"):
        plot.animate_em(np.zeros((10, 3)), 2)


def test_samples_beside_data_share_scales(gm2, faithful):
    fig = Figure()
    left, right = plot.plot_samples(gm2, faithful, fig.subplots(1, 2), n_samples=500,
                                    random_state=0)
    assert len(left.collections[0].get_offsets()) == len(faithful)
    assert len(right.collections[0].get_offsets()) == 500
    assert left.get_xlim() == right.get_xlim() and left.get_ylim() == right.get_ylim()
    assert covers(left.get_xlim(), faithful["eruptions"])


def test_component_sizes_bars(gm2, faithful):
    ax = plot.plot_component_sizes(gm2, faithful, new_ax())
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 2 * gm2.n_components
    heights = np.array([b.get_height() for b in bars])
    np.testing.assert_allclose(heights[:3], gm2.weights_)
    share = np.bincount(gm2.predict(faithful), minlength=3) / len(faithful)
    np.testing.assert_allclose(heights[3:], share)


def test_functions_draw_on_a_new_axes_when_none_given(gm2, faithful):
    import matplotlib.pyplot as plt

    ax = plot.plot_density_2d(gm2, faithful)
    assert ax.figure is not None and len(ellipses(ax)) == 6
    plt.close("all")
