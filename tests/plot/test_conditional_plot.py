"""plot_conditional on the Agg backend: the curve is the conditional mean, the band
holds the stated probability of the conditional, the points are the data."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from scipy.stats import norm  # noqa: E402

import gaussmix  # noqa: E402
from gaussmix import GaussianMixture  # noqa: E402
from gaussmix.plot import plot_conditional  # noqa: E402


def new_ax():
    return Figure().add_subplot()


@pytest.fixture(scope="module")
def three_columns():
    X = gaussmix.load_faithful(as_frame=True)
    X = X.assign(ratio=X["waiting"] / X["eruptions"])
    return GaussianMixture(2, random_state=0).fit(X), X


def band_edges(ax):
    """The lower and upper edge of the band drawn by fill_between, on the grid."""
    band = [c for c in ax.collections if not isinstance(c, PathCollection)][0]
    vertices = band.get_paths()[0].vertices
    n = len(ax.lines[0].get_xdata())
    return vertices[1:n + 1, 1], vertices[n + 2:2 * n + 2, 1][::-1]


def test_curve_is_the_conditional_mean_of_the_pair_marginal(three_columns):
    gm, X = three_columns
    ax = plot_conditional(gm, "ratio", "eruptions", X, new_ax(), n_points=50)
    x, y = ax.lines[0].get_data()
    assert len(x) == 50 and ax.lines[0].get_label() == "E[eruptions | ratio]"
    pair = gm.marginal(["ratio", "eruptions"])            # waiting integrated out
    np.testing.assert_allclose(y, pair.conditional_mean("ratio", x)[:, 0], rtol=1e-12)
    assert ax.get_xlabel() == "ratio" and ax.get_ylabel() == "eruptions"
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    np.testing.assert_array_equal(points[0].get_offsets(), X[["ratio", "eruptions"]].to_numpy())


def test_band_holds_the_level_of_each_conditional(three_columns):
    gm, X = three_columns
    ax = plot_conditional(gm, 0, 1, X, new_ax(), level=0.8, n_points=30)
    lower, upper = band_edges(ax)
    x = ax.lines[0].get_xdata()
    pair = gm.marginal([0, 1])
    for k in (0, 7, 15, 29):
        c = pair.condition(0, [x[k]])
        sd = np.sqrt(c.covariances_[:, 0, 0])
        cdf = [c.weights_ @ norm.cdf(v, c.means_[:, 0], sd) for v in (lower[k], upper[k])]
        np.testing.assert_allclose(cdf, [0.1, 0.9], atol=1e-9)


def test_without_data_the_range_comes_from_the_model():
    gm = GaussianMixture.from_parameters([0.5, 0.5], [[0.0, 0.0], [4.0, 2.0]],
                                         [np.eye(2), np.eye(2)])
    ax = plot_conditional(gm, 0, 1, ax=new_ax())
    assert ax.get_xlim() == pytest.approx((-3.0, 7.0))
    assert not [c for c in ax.collections if isinstance(c, PathCollection)]
    ax = plot_conditional(gm, 1, 0, ax=new_ax(), x_range=(-1, 1))
    assert ax.get_xlim() == (-1, 1) and ax.get_xlabel() == "x1"


def test_bad_arguments_say_what_is_wrong(three_columns):
    gm, X = three_columns
    with pytest.raises(ValueError, match="given twice"):
        plot_conditional(gm, "waiting", "waiting", ax=new_ax())
    with pytest.raises(ValueError, match="not one of the model's columns"):
        plot_conditional(gm, "waiting", "speed", ax=new_ax())
    with pytest.raises(ValueError, match="level"):
        plot_conditional(gm, 0, 1, level=1.5, ax=new_ax())
    with pytest.raises(ValueError, match="column"):
        plot_conditional(gm, 0, 1, X[["eruptions", "waiting"]], ax=new_ax())
    with pytest.raises(ValueError, match="not fitted"):
        plot_conditional(GaussianMixture(), 0, 1, ax=new_ax())
