"""plot_outliers: outliers marked as the model's predict says, the boundary drawn."""

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from gaussmix import GaussianMixture, MixtureOutlierDetector  # noqa: E402
from gaussmix.plot import plot_outliers  # noqa: E402


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(-3, 1, (150, 2)), rng.normal(3, 1, (150, 2)),
                   rng.uniform(-9, 9, (30, 2))])
    return pd.DataFrame(X, columns=["u", "v"])


def by_gid(ax, gid):
    return next(c for c in ax.collections if c.get_gid() == gid)


@pytest.mark.parametrize("make", [
    lambda: GaussianMixture(2, noise=True, random_state=0),
    lambda: MixtureOutlierDetector(0.1, n_components=2, random_state=0),
    lambda: MixtureOutlierDetector("auto", n_components=2, random_state=0)])
def test_marks_what_predict_calls_outliers(data, make):
    model = make().fit(data)
    ax = plot_outliers(model, data, Figure().add_subplot())
    out = model.predict(data) == -1
    np.testing.assert_array_equal(by_gid(ax, "gaussmix-outliers").get_offsets(),
                                  data.to_numpy()[out])
    assert len(by_gid(ax, "gaussmix-inliers").get_offsets()) == int((~out).sum())
    assert any(c.get_gid() == "gaussmix-outlier-boundary" for c in ax.collections)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("u", "v")
    assert f"{out.sum()} of {len(data)} rows" in ax.get_title()


def test_errors(data):
    plain = GaussianMixture(2, random_state=0).fit(data)
    with pytest.raises(ValueError, match="noise=True"):
        plot_outliers(plain, data)
    det = MixtureOutlierDetector(n_components=2, random_state=0).fit(data)
    with pytest.raises(ValueError, match="column"):
        plot_outliers(det, data.to_numpy()[:, :1])


def test_other_plots_draw_noise_rows_grey(data):
    """A noise model's rows labelled -1 are grey in the density and synthetic-row
    pictures, and left out of the component sizes' shares."""
    from gaussmix.plot import plot_component_sizes, plot_density_2d, plot_samples
    from gaussmix.plot._common import NOISE_COLOR

    gm = GaussianMixture(2, noise=True, random_state=0).fit(data)
    noise = gm.predict(data) == -1
    ax = plot_density_2d(gm, data, Figure().add_subplot(), contours=False)
    colors = ax.collections[0].get_facecolors()
    np.testing.assert_allclose(colors[noise][:, :3], np.tile(NOISE_COLOR[:3], (noise.sum(), 1)))
    assert not np.allclose(colors[~noise][:, :3], NOISE_COLOR[:3])
    ax = plot_component_sizes(gm, data, Figure().add_subplot())
    shares = [p.get_height() for p in ax.patches[2:]]
    np.testing.assert_allclose(shares, np.bincount(gm.predict(data)[~noise]) / len(data))
    fig = Figure()
    axes = plot_samples(gm, data, [fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)],
                        random_state=0)
    S, comp = gm.sample(len(data), random_state=0)
    drawn = axes[1].collections[0].get_facecolors()
    np.testing.assert_allclose(drawn[comp == -1][:, :3],
                               np.tile(NOISE_COLOR[:3], ((comp == -1).sum(), 1)))
