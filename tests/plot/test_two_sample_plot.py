"""plot_two_sample on the Agg backend: two panels on one scale, each data set with its
own fitted density, the test's statistic and p-value in the title."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

import gaussmix  # noqa: E402
from gaussmix import plot  # noqa: E402


@pytest.fixture(scope="module")
def frames():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(60, 2)), columns=["a", "b"])
    Y = pd.DataFrame(rng.normal(size=(40, 2)) * [1.0, 2.5], columns=["a", "b"])
    res = gaussmix.two_sample_test(X, Y, 1, "diag", n_permutations=19, random_state=0,
                                   progress=False)
    return X, Y, res


def test_two_panels_on_one_scale_with_the_result_in_the_title(frames):
    X, Y, res = frames
    fig = Figure()
    axes = plot.plot_two_sample(res, X, Y, fig.subplots(1, 2))
    assert [ax.get_title() for ax in axes] == ["X (60 rows)", "Y (40 rows)"]
    assert axes[0].get_xlim() == axes[1].get_xlim()
    assert axes[0].get_ylim() == axes[1].get_ylim()
    lo, hi = axes[0].get_ylim()
    assert lo <= min(X["b"].min(), Y["b"].min()) and hi >= max(X["b"].max(), Y["b"].max())
    title = fig.get_suptitle()
    assert f"statistic {res.statistic:.4g}" in title and f"p-value {res.pvalue:.3g}" in title
    assert [ax.get_xlabel() for ax in axes] == ["a", "a"]
    # each panel's ellipses are its own model's: Y's spread in b is larger
    major = [max(p.width for p in ax.patches) for ax in axes]
    assert major[1] > 1.5 * major[0]


def test_columns_are_matched_by_name(frames):
    X, Y, res = frames
    axes = plot.plot_two_sample(res, X[["b", "a"]], Y)
    assert axes[0].get_xlabel() == "a"
    with pytest.raises(ValueError, match="lacks column"):
        plot.plot_two_sample(res, X.rename(columns={"a": "c"}), Y)
    with pytest.raises(ValueError, match="two matplotlib Axes"):
        plot.plot_two_sample(res, X, Y, [Figure().add_subplot()])


def test_one_column_draws_each_density_curve():
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=40), rng.normal(1.0, size=50)
    res = gaussmix.two_sample_test(X, Y, 1, "spherical", n_permutations=9, random_state=0,
                                   progress=False)
    axes = plot.plot_two_sample(res, X, Y, Figure().subplots(1, 2))
    for ax, gm in zip(axes, (res.model_x, res.model_y)):
        (line,) = [ln for ln in ax.lines if ln.get_label() == "mixture density"]
        x = line.get_xdata()
        np.testing.assert_allclose(line.get_ydata(), np.exp(gm.score_samples(x[:, None])),
                                   rtol=1e-8)
    assert axes[0].get_ylim() == axes[1].get_ylim()
    with pytest.raises(ValueError, match="models have 1"):
        plot.plot_two_sample(res, np.ones((5, 2)), Y)
