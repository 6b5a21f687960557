"""The selection curves mark each covariance type by its place in COVARIANCE_TYPES, so
a type keeps its marker whichever types a table holds."""

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

import gaussmix  # noqa: E402
from gaussmix import plot  # noqa: E402
from gaussmix.covariance import COVARIANCE_TYPES  # noqa: E402


@pytest.fixture(scope="module")
def table():
    """A table holding every name of COVARIANCE_TYPES: scikit-learn's four and
    mclust's fourteen are selected apart (one selection refuses two names of one
    model) and their tables stacked."""
    import pandas as pd

    X = gaussmix.load_faithful()
    parts = [gaussmix.select(X, range(1, 3), family, random_state=0, n_jobs=1,
                             progress=False).table_ for family in ("sklearn", "mclust")]
    return pd.concat(parts, ignore_index=True)


def markers(table):
    ax = plot.plot_selection(table, Figure().add_subplot(), zoom=False)
    return {ln.get_label(): ln.get_marker() for ln in ax.lines[:-1]}


def test_each_type_has_its_own_marker(table):
    found = markers(table)
    assert sorted(found) == sorted(COVARIANCE_TYPES)
    assert len(set(found.values())) == len(found)


def test_a_type_keeps_its_marker_in_any_subset(table, covariance_type):
    everything = markers(table)
    alone = markers(table[table["covariance_type"] == covariance_type])
    assert alone == {covariance_type: everything[covariance_type]}
