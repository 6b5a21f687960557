"""plot_imputed on the Agg backend: which rows are drawn where, and with which mark."""

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Ellipse  # noqa: E402

import gaussmix  # noqa: E402
from gaussmix import GaussianMixture  # noqa: E402
from gaussmix.plot import plot_imputed  # noqa: E402


@pytest.fixture(scope="module")
def holey():
    X = gaussmix.load_faithful(as_frame=True)
    rng = np.random.default_rng(3)
    values = X.to_numpy().copy()
    values[rng.random(values.shape) < 0.15] = np.nan
    values = values[~np.isnan(values).all(axis=1)]
    return X.__class__(values, columns=X.columns)


@pytest.fixture(scope="module")
def gm(holey):
    return GaussianMixture(2, missing="em", random_state=0).fit(holey)


def by_label(ax):
    return {c.get_label(): c.get_offsets() for c in ax.collections}


def test_each_kind_of_row_is_drawn_at_its_imputed_place(gm, holey):
    ax = plot_imputed(gm, holey, Figure().add_subplot())
    drawn = by_label(ax)
    filled = gm.impute(holey).to_numpy()
    miss = holey.isna().to_numpy()
    kinds = {"observed": ~miss[:, 0] & ~miss[:, 1],
             "eruptions imputed": miss[:, 0] & ~miss[:, 1],
             "waiting imputed": ~miss[:, 0] & miss[:, 1]}
    assert set(drawn) == set(kinds)                  # no row misses both columns here
    for label, rows in kinds.items():
        np.testing.assert_allclose(np.asarray(drawn[label]), filled[rows])
    assert len([p for p in ax.patches if isinstance(p, Ellipse)]) == 4
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("eruptions", "waiting")
    assert ax.get_legend() is not None


def test_columns_by_name_sampling_and_rows_missing_both(rng):
    X = rng.normal(size=(300, 3)) @ [[1.0, 0.5, 0.2], [0.0, 1.0, 0.4], [0.0, 0.0, 1.0]]
    X[:5, :2] = np.nan
    X[5:40, 2] = np.nan
    gm = GaussianMixture(1, missing="em").fit(X)
    ax = plot_imputed(gm, X, Figure().add_subplot(), features=(2, 0), method="sample",
                      random_state=0)
    drawn = by_label(ax)
    assert len(drawn["x2 imputed"]) == 35 and len(drawn["x0 imputed"]) == 5
    # drawn where the sample with the same seed puts them, observed entries kept
    filled = gm.impute(X, method="sample", random_state=0)
    np.testing.assert_allclose(np.asarray(drawn["x0 imputed"]), filled[:5][:, [2, 0]])
    both = plot_imputed(gm, X, Figure().add_subplot(), features=(0, 1))
    assert len(by_label(both)["both imputed"]) == 5


def test_errors_say_what_to_do(gm, holey):
    with pytest.raises(ValueError, match="column 'nope' is not in the data"):
        plot_imputed(gm, holey, Figure().add_subplot(), features=("nope", "waiting"))
    with pytest.raises(ValueError, match="3 column.*2 feature"):
        plot_imputed(gm, np.zeros((4, 3)), Figure().add_subplot())
    one = GaussianMixture(1).fit(np.arange(10.0)[:, None])
    with pytest.raises(ValueError, match="one feature"):
        plot_imputed(one, np.arange(10.0)[:, None], Figure().add_subplot())
