"""select with ICL: the table's icl column, criterion="icl", and a summary of the
chosen model as mclust's summary() gives it (model name and meaning, log-likelihood,
n, df, BIC, ICL, clustering table)."""

import numpy as np
import pytest

import gaussmix
from gaussmix import select
from gaussmix.covariance import get_structure

KS = range(1, 4)
TYPES = ("full", "tied")


@pytest.fixture(scope="module")
def faithful():
    return gaussmix.load_faithful(as_frame=True)


@pytest.fixture(scope="module")
def result(faithful):
    return select(faithful, KS, TYPES, criterion="icl", random_state=0, n_jobs=1,
                  progress=False)


def test_icl_column_is_each_models_icl(result, faithful):
    for row, gm in zip(result.table_.itertuples(index=False), result.models_):
        assert row.icl == pytest.approx(gm.icl(faithful), rel=1e-10)
        assert row.icl >= row.bic - 1e-9


def test_icl_criterion_picks_the_minimum_icl(result):
    assert result.criterion == "icl"
    assert result.best_index_ == int(result.table_["icl"].to_numpy().argmin())
    # Old Faithful: ICL prefers the two well separated clusters (mclust's mclustICL too)
    assert result.best_.n_components == 2


def test_cluster_sizes_are_the_rows_by_largest_responsibility(result, faithful):
    assert len(result.cluster_sizes_) == len(result.models_)
    for sizes, gm in zip(result.cluster_sizes_, result.models_):
        expected = np.bincount(gm.predict(faithful), minlength=gm.n_components)
        np.testing.assert_array_equal(sizes, expected)
    assert result.n_obs_ == len(faithful)


def test_summary_describes_the_chosen_model_like_mclust(result):
    text = result.summary()
    gm, row = result.best_, result.table_.iloc[result.best_index_]
    s = get_structure(gm.covariance_type)
    assert f"{gm.covariance_type} = mclust's {s.mclust_name}" in text
    assert s.description in text
    lines = text.splitlines()
    head = next(i for i, line in enumerate(lines) if line.split()[:2] == ["log-likelihood", "n"])
    assert lines[head].split() == ["log-likelihood", "n", "df", "BIC", "ICL"]
    values = [float(v) for v in lines[head + 1].split()]
    assert values == pytest.approx([row.log_likelihood, 272, row.n_parameters, row.bic,
                                    row.icl], abs=1e-4)
    assert "lower is better" in text and "opposite sign" in text
    assert f"ICL {-row.icl:.4f} there" in text  # mclust's sign, stated
    rows = next(line for line in lines if line.split()[:1] == ["rows"])
    assert [int(v) for v in rows.split()[1:]] == list(result.cluster_sizes_[result.best_index_])
    assert "All candidates:" in text
    assert sum("<- best (ICL)" in line for line in lines) == 1


def test_weighted_icl_equals_duplicated_rows(rng):
    X = np.vstack([rng.normal(-2, 1, (60, 2)), rng.normal(3, 0.5, (40, 2))])
    w = rng.integers(1, 4, size=len(X))
    kw = dict(n_components=[1, 2], covariance_types=("full", "diag"), random_state=0, n_jobs=1,
              progress=False)
    weighted = select(X, sample_weight=w, **kw)
    dup = select(np.repeat(X, w, axis=0), **kw)
    np.testing.assert_allclose(weighted.table_["icl"], dup.table_["icl"], rtol=1e-6)
    for a, b in zip(weighted.cluster_sizes_, dup.cluster_sizes_):
        np.testing.assert_allclose(np.sort(a), np.sort(b))  # labels may swap
    assert "rows" in weighted.summary()


def test_summary_of_a_selection_without_sizes(result):
    """A SelectionResult built by hand (no sizes, no n) still summarises."""
    bare = gaussmix.SelectionResult(result.table_, result.models_, result.best_index_, "bic")
    text = bare.summary()
    assert "Clustering table" not in text and "<- best (BIC)" in text
