"""gaussmix.plot's pictures of Bayesian mixtures (Agg): posterior weights and
ellipses of posterior draws."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Ellipse, PathPatch, Rectangle  # noqa: E402

import gaussmix  # noqa: E402
from gaussmix import plot  # noqa: E402


def new_ax():
    return Figure().add_subplot()


@pytest.fixture(scope="module")
def faithful():
    return gaussmix.load_faithful(as_frame=True)


@pytest.fixture(scope="module")
def bgm(faithful):
    return gaussmix.BayesianGaussianMixture(n_components=6, random_state=0).fit(faithful)


@pytest.fixture(scope="module")
def gibbs(faithful):
    return gaussmix.GibbsGaussianMixture(2, n_draws=40, n_warmup=20, n_chains=2,
                                         random_state=0).fit(faithful)


def test_exported():
    assert {"plot_posterior_weights", "plot_posterior_ellipses"} <= set(plot.__all__)


def test_variational_weights_are_bars_with_the_threshold_line(bgm):
    ax = new_ax()
    assert plot.plot_posterior_weights(bgm, ax=ax) is ax
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == 6
    np.testing.assert_allclose([b.get_height() for b in bars], bgm.weights_)
    assert any(np.allclose(line.get_ydata(), 0.01) for line in ax.get_lines())
    n_eff = int((bgm.weights_ > 0.01).sum())
    assert f"{n_eff} of 6" in ax.get_title()


def test_gibbs_weights_are_one_box_per_component(gibbs):
    ax = plot.plot_posterior_weights(gibbs, ax=new_ax())
    assert len([p for p in ax.patches if isinstance(p, PathPatch)]) == 2
    assert "80 draws" in ax.get_title()
    assert any(np.allclose(line.get_ydata(), 0.01) for line in ax.get_lines())


def test_weights_new_axes_when_none(bgm):
    ax = plot.plot_posterior_weights(bgm)
    assert ax.figure is not None
    import matplotlib.pyplot as plt
    plt.close(ax.figure)


def test_posterior_ellipses_count_and_columns(gibbs, faithful):
    ax = plot.plot_posterior_ellipses(gibbs, faithful, ax=new_ax(), n_draws=7,
                                      random_state=0)
    assert len([p for p in ax.patches if isinstance(p, Ellipse)]) == 7 * 2
    assert ax.get_xlabel() == "eruptions" and ax.get_ylabel() == "waiting"
    swapped = plot.plot_posterior_ellipses(gibbs, faithful, ax=new_ax(), n_draws=3,
                                           features=("waiting", "eruptions"))
    assert swapped.get_xlabel() == "waiting"
    centres = np.array([e.center for e in swapped.patches])
    assert centres[:, 0].min() > 40          # waiting on x


def test_posterior_ellipses_at_most_the_draws_kept_and_reproducible(gibbs, faithful):
    ax = plot.plot_posterior_ellipses(gibbs, faithful, ax=new_ax(), n_draws=1000)
    assert len(ax.patches) == 80 * 2
    a = plot.plot_posterior_ellipses(gibbs, faithful, ax=new_ax(), n_draws=5, random_state=3)
    b = plot.plot_posterior_ellipses(gibbs, faithful, ax=new_ax(), n_draws=5, random_state=3)
    np.testing.assert_array_equal([e.center for e in a.patches], [e.center for e in b.patches])


def test_bad_input(bgm, gibbs, faithful):
    with pytest.raises(TypeError, match="plot_component_sizes"):
        plot.plot_posterior_weights(gaussmix.GaussianMixture(2).fit(faithful))
    with pytest.raises(ValueError, match="not fitted"):
        plot.plot_posterior_weights(gaussmix.BayesianGaussianMixture(n_components=2))
    with pytest.raises(ValueError, match="not fitted"):
        plot.plot_posterior_weights(gaussmix.GibbsGaussianMixture(2))
    with pytest.raises(TypeError, match="GibbsGaussianMixture"):
        plot.plot_posterior_ellipses(bgm, faithful)
    with pytest.raises(ValueError, match="not fitted"):
        plot.plot_posterior_ellipses(gaussmix.GibbsGaussianMixture(2), faithful)
    with pytest.raises(ValueError, match="n_draws"):
        plot.plot_posterior_ellipses(gibbs, faithful, n_draws=0)
    with pytest.raises(ValueError, match="column"):
        plot.plot_posterior_ellipses(gibbs, faithful.to_numpy()[:, :1])
    with pytest.raises(ValueError, match="not in the data"):
        plot.plot_posterior_ellipses(gibbs, faithful, features=("eruptions", "nope"))
    with pytest.raises(ValueError, match="two columns"):
        plot.plot_posterior_ellipses(gibbs, faithful, features=("eruptions",))
