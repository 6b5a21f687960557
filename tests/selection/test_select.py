"""gaussmix.select: one row per candidate, the best by the criterion, independent of n_jobs."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import gaussmix
from gaussmix import GaussianMixture, SelectionResult, select
from gaussmix.selection import TABLE_COLUMNS

KS = range(1, 5)
TYPES = ("full", "diag", "spherical", "tied")


@pytest.fixture(scope="module")
def faithful():
    return gaussmix.load_faithful(as_frame=True)


@pytest.fixture(scope="module")
def result(faithful):
    return select(faithful, KS, TYPES, random_state=0, n_jobs=1, progress=False)


def test_table_has_one_row_per_candidate(result):
    t = result.table_
    assert isinstance(result, SelectionResult)
    assert isinstance(t, pd.DataFrame)
    assert list(t.columns) == list(TABLE_COLUMNS)
    assert len(t) == len(KS) * len(TYPES)
    assert list(zip(t["covariance_type"], t["n_components"])) == [(c, k) for c in TYPES for k in KS]
    assert len(result.models_) == len(t)
    assert t["converged"].dtype == bool


def test_best_has_the_minimum_bic(result, faithful):
    t = result.table_
    assert result.best_index_ == int(t["bic"].to_numpy().argmin())
    assert result.best_ is result.models_[result.best_index_]
    assert result.best_.bic(faithful) == pytest.approx(t["bic"].min(), rel=1e-12)
    best = t.iloc[result.best_index_]
    assert result.best_params_ == {"n_components": best["n_components"],
                                   "covariance_type": best["covariance_type"]}
    # Old Faithful: two or three clusters, never one
    assert result.best_.n_components in (2, 3)


def test_table_values_are_the_models_criteria(result, faithful):
    n = len(faithful)
    for row, gm in zip(result.table_.itertuples(index=False), result.models_):
        assert (gm.n_components, gm.covariance_type) == (row.n_components, row.covariance_type)
        assert row.log_likelihood == pytest.approx(gm.score(faithful) * n, rel=1e-12)
        assert row.n_parameters == gm.n_parameters()
        assert row.bic == pytest.approx(gm.bic(faithful), rel=1e-12)
        assert row.aic == pytest.approx(gm.aic(faithful), rel=1e-12)
        assert row.converged == gm.converged_
    # more parameters never lower the likelihood much within one type (nested models)
    full = result.table_[result.table_["covariance_type"] == "full"]
    assert full["n_parameters"].is_monotonic_increasing


def test_candidate_equals_a_plain_fit_with_the_seed(result, faithful):
    gm = GaussianMixture(3, covariance_type="tied", random_state=0).fit(faithful)
    row = result.table_.query("n_components == 3 and covariance_type == 'tied'").iloc[0]
    assert row["bic"] == pytest.approx(gm.bic(faithful), rel=1e-10)


def test_aic_criterion_picks_minimum_aic(faithful):
    res = select(faithful, range(1, 4), ("full", "tied"), criterion="aic", random_state=0,
                 n_jobs=1, progress=False)
    assert res.criterion == "aic"
    assert res.best_index_ == int(res.table_["aic"].to_numpy().argmin())


def test_results_do_not_depend_on_n_jobs_or_backend(faithful):
    kw = dict(n_components=range(1, 4), covariance_types=("full", "spherical"), random_state=3,
              progress=False)
    serial = select(faithful, n_jobs=1, **kw)
    threads = select(faithful, n_jobs=2, backend="threads", **kw)
    procs = select(faithful, n_jobs=2, backend="processes", **kw)
    for other in (threads, procs):
        pd.testing.assert_frame_equal(serial.table_, other.table_, rtol=1e-10)
        assert other.best_index_ == serial.best_index_
        np.testing.assert_allclose(other.best_.means_, serial.best_.means_, rtol=1e-10)
        # DataFrame column names survive worker processes
        assert list(other.best_.feature_names_in_) == ["eruptions", "waiting"]


def test_same_seed_same_table_and_generator_seed(faithful):
    a = select(faithful, [2, 3], "full", random_state=5, n_jobs=1, progress=False)
    b = select(faithful, [2, 3], "full", random_state=5, n_jobs=1, progress=False)
    pd.testing.assert_frame_equal(a.table_, b.table_)
    c = select(faithful, [2], "full", random_state=np.random.default_rng(0), n_jobs=1,
               progress=False)
    assert len(c.table_) == 1


def test_integer_sample_weight_equals_duplicated_rows(rng):
    X = np.vstack([rng.normal(-2, 1, (60, 2)), rng.normal(3, 0.5, (40, 2))])
    w = rng.integers(1, 4, size=len(X))
    weighted = select(X, [1, 2], ("full", "diag"), sample_weight=w, random_state=0, n_jobs=1,
                      progress=False)
    dup = select(np.repeat(X, w, axis=0), [1, 2], ("full", "diag"), random_state=0, n_jobs=1,
                 progress=False)
    np.testing.assert_allclose(weighted.table_["log_likelihood"], dup.table_["log_likelihood"],
                               rtol=1e-6)
    np.testing.assert_allclose(weighted.table_["bic"], dup.table_["bic"], rtol=1e-6)


def test_summary_marks_the_best(result):
    text = result.summary()
    lines = [line for line in text.splitlines() if "<- best" in line]
    assert len(lines) == 1
    best = result.table_.iloc[result.best_index_]
    assert lines[0].split()[:2] == [str(best["n_components"]), best["covariance_type"]]
    assert "opposite sign" in text
    assert "SelectionResult(16 candidates" in repr(result)


def test_progress_bar_when_asked(faithful, capsys):
    select(faithful, [1, 2], "full", random_state=0, n_jobs=1, progress=True)
    assert "select" in capsys.readouterr().err
    select(faithful, [1, 2], "full", random_state=0, n_jobs=1, progress=None)  # not a TTY
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("kwargs, error, match", [
    ({"n_components": 0}, ValueError, ">= 1"),
    ({"n_components": [1, 0]}, ValueError, ">= 1"),
    ({"n_components": []}, ValueError, "empty"),
    ({"n_components": [1.5]}, TypeError, "integers"),
    ({"n_components": 400}, ValueError, "only 272 row"),
    ({"covariance_types": ("full", "VVX")}, ValueError, "not supported"),
    ({"criterion": "hqc"}, ValueError, "criterion"),
    ({"backend": "dask"}, ValueError, "backend"),
    ({"n_jobs": 0}, ValueError, "n_jobs"),
    ({"random_state": "x"}, TypeError, "random_state"),
    ({"covariance_type": "full"}, TypeError, "sets covariance_type itself"),
])
def test_bad_arguments_say_what_to_do(faithful, kwargs, error, match):
    with pytest.raises(error, match=match):
        select(faithful, **{"progress": False, "n_jobs": 1, **kwargs})


def test_gaussmix_import_stays_light():
    """``import gaussmix`` loads no matplotlib, click, tqdm or joblib; pandas and pyarrow
    only as far as scikit-learn itself imports them."""
    code = (
        "import sys\n"
        "import sklearn.base, sklearn.utils.validation, sklearn.exceptions\n"
        "before = set(sys.modules)\n"
        "import gaussmix, gaussmix.selection, gaussmix.plot, gaussmix.report\n"
        "new = set(sys.modules) - before\n"
        "heavy = ('matplotlib', 'click', 'typer', 'tqdm', 'rich', 'pandas', 'pyarrow')\n"
        "print(sorted({m.split('.')[0] for m in new} & set(heavy)))\n"
        "print(sorted(m for m in ('matplotlib', 'click', 'tqdm') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "[]"], out.stdout


def test_candidates_share_one_agglomeration(faithful, monkeypatch):
    """The merge tree is computed once per selection, also for process workers: the
    cache warmed before they start holds the rows every candidate agglomerates, and
    survives pickling."""
    import pickle

    import gaussmix.init.starts as starts
    from gaussmix.selection.search import _warm_cache

    calls = []
    original = starts.hierarchical_partitions

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(starts, "hierarchical_partitions", counting)
    X = np.asarray(faithful)
    cache = pickle.loads(pickle.dumps(_warm_cache(X, None, 3, {})))
    assert len(calls) == 1 and len(cache) == 1
    for K, ct in [(2, "full"), (5, "diag"), (9, "tied")]:
        GaussianMixture(K, covariance_type=ct, random_state=3)._fit(X, None, cache=cache)
    assert len(calls) == 1
    select(faithful, range(1, 6), random_state=3, n_jobs=1, progress=False)
    assert len(calls) == 2  # a serial selection agglomerates once too
