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
