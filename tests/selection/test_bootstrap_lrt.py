"""gaussmix.bootstrap_lrt: mclust's mclustBootstrapLRT (sequential tests of G against
G + 1 components, parametric bootstrap, p-value (1 + #{replicates >= observed}) /
(n_boot + 1)), its choice on Old Faithful, reproducibility whatever n_jobs, and
clear errors."""

import re
from pathlib import Path

import numpy as np
import pytest

import gaussmix
from gaussmix import BootstrapLRTResult, bootstrap_lrt
from gaussmix.selection import LRT_COLUMNS
from gaussmix.selection import lrt as lrt_module

MCLUST = Path(__file__).resolve().parents[1] / "data" / "mclust"


def mclust_lrt():
    """``{G: (LRTS, p-value)}`` of faithful_lrt_EEE.txt (nboot=199, maxG=4)."""
    text = (MCLUST / "faithful_lrt_EEE.txt").read_text()
    rows = re.findall(r"^(\d+) vs \d+\s+(\S+)\s+(\S+)$", text, re.M)
    return {int(g): (float(s), float(p)) for g, s, p in rows}


@pytest.fixture(scope="module")
def two_clusters():
    rng = np.random.default_rng(7)
    return np.vstack([rng.normal(0, 1, (60, 2)), rng.normal(6, 1, (60, 2))])


def test_faithful_eee_chooses_three_components_as_mclust():
    """199 replicates, as mclust's reference: 1 vs 2 and 2 vs 3 significant (p = 0.005,
    the smallest possible), 3 vs 4 not, so G = 3; observed statistics as mclust's
    where the fits agree (its G = 4 fit is another local optimum)."""
    X = np.loadtxt(MCLUST / "faithful.csv", delimiter=",", skiprows=1)
    res = bootstrap_lrt(X, "tied", max_components=4, n_boot=199, random_state=0, n_jobs=2,
                        progress=False)
    ref = mclust_lrt()
    assert res.n_components_ == 3
    t = res.table_
    assert t["n_components"].tolist() == [1, 2, 3]
    assert t["significant"].tolist() == [True, True, False]
    assert t["p_value"][0] == t["p_value"][1] == ref[1][1] == ref[2][1] == 1 / 200
    assert t["p_value"][2] > 0.05 and ref[3][1] > 0.05
    assert t["lrt"][0] == pytest.approx(ref[1][0], abs=1e-3)
    assert t["lrt"][1] == pytest.approx(ref[2][0], abs=0.05)
    assert res.statistics_.shape == (3, 199)
    assert res.best_.n_components == 3 and res.best_.covariance_type == "tied"


def test_table_models_and_statistics(two_clusters):
    res = bootstrap_lrt(two_clusters, "full", max_components=4, n_boot=9, level=0.2,
                        random_state=1, n_jobs=1, progress=False)
    assert isinstance(res, BootstrapLRTResult)
    assert list(res.table_.columns) == list(LRT_COLUMNS)
    assert [m.n_components for m in res.models_] == [1, 2, 3, 4]
    n = len(two_clusters)
    lls = [m.score(two_clusters) * n for m in res.models_]
    np.testing.assert_allclose(res.log_likelihoods_, lls, rtol=1e-10)
    for row in res.table_.itertuples(index=False):
        g = row.n_components
        assert row.lrt == pytest.approx(2 * (lls[g] - lls[g - 1]), rel=1e-10)
        boot = res.statistics_[g - 1]
        assert row.p_value == (1 + np.sum(boot >= row.lrt)) / 10
        assert row.significant == (row.p_value <= 0.2)
    # two clusters: 1 vs 2 as significant as 9 replicates allow, 2 vs 3 not: stop there
    assert res.table_["p_value"].tolist()[0] == pytest.approx(0.1)
    assert res.n_components_ == 2 and len(res.table_) == 2
    assert res.best_ is res.models_[1]


def test_all_tests_runs_on_and_chooses_the_same(two_clusters):
    kw = dict(max_components=4, n_boot=9, level=0.2, random_state=1, n_jobs=1, progress=False)
    first = bootstrap_lrt(two_clusters, "full", **kw)
    every = bootstrap_lrt(two_clusters, "full", all_tests=True, **kw)
    assert len(every.table_) == 3 and every.statistics_.shape == (3, 9)
    assert every.n_components_ == first.n_components_
    np.testing.assert_array_equal(every.statistics_[:2], first.statistics_)  # same streams


def test_results_do_not_depend_on_n_jobs(two_clusters, monkeypatch):
    kw = dict(max_components=3, n_boot=8, random_state=3, progress=False, all_tests=True)
    serial = bootstrap_lrt(two_clusters, "diag", n_jobs=1, **kw)
    monkeypatch.setattr(lrt_module, "PROCESS_MIN_VALUES", 0)  # worker processes however small
    parallel = bootstrap_lrt(two_clusters, "diag", n_jobs=2, **kw)
    np.testing.assert_allclose(parallel.statistics_, serial.statistics_, rtol=1e-12)
    assert parallel.table_.equals(serial.table_)


def test_every_test_below_level_chooses_the_most_components(two_clusters):
    res = bootstrap_lrt(two_clusters, "full", max_components=2, n_boot=9, level=0.5,
                        random_state=0, n_jobs=1, progress=False)
    assert res.table_["significant"].all() and res.n_components_ == 2
    assert "a larger max_components may choose more" in res.summary()


def test_no_structure_gives_large_p_values():
    """One Gaussian: 1 vs 2 components is not significant."""
    X = np.random.default_rng(0).normal(size=(150, 2))
    res = bootstrap_lrt(X, "full", max_components=2, n_boot=19, random_state=0, n_jobs=1,
                        progress=False)
    assert res.table_["p_value"][0] > 0.05 and res.n_components_ == 1


def test_p_value_counts_ties_and_the_observed_draw():
    assert lrt_module._p_value(np.array([1.0, 2.0, 3.0]), 2.0) == 3 / 4
    assert lrt_module._p_value(np.array([1.0, 2.0, 3.0]), 9.0) == 1 / 4


def test_summary_is_mclusts_print(two_clusters):
    res = bootstrap_lrt(two_clusters, "tied", max_components=3, n_boot=9, level=0.15,
                        random_state=0, n_jobs=1, progress=False)
    text = res.summary()
    assert "Model        = tied (mclust's EEE)" in text
    assert "Replications = 9" in text
    assert re.search(r"^1 vs 2 +\S+ +0\.1$", text, re.M)
    assert "chosen at level 0.15: 2 component(s) (2 vs 3 is the first test" in text
    assert repr(res).startswith("BootstrapLRTResult('tied'")


def test_progress_bar_when_asked(two_clusters, capsys):
    kw = dict(max_components=2, n_boot=3, random_state=0, n_jobs=1)
    bootstrap_lrt(two_clusters, "spherical", progress=True, **kw)
    assert "bootstrap LRT" in capsys.readouterr().err
    bootstrap_lrt(two_clusters, "spherical", progress=None, **kw)  # not a terminal
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("kwargs, error, match", [
    ({"max_components": 1}, ValueError, "max_components must be >= 2"),
    ({"max_components": 0}, ValueError, "max_components must be >= 2"),
    ({"max_components": 2.5}, TypeError, "max_components must be an integer"),
    ({"max_components": 500}, ValueError, "more than the 120 rows"),
    ({"n_boot": 0}, ValueError, "n_boot must be >= 1"),
    ({"n_boot": True}, TypeError, "n_boot must be an integer"),
    ({"level": 0.0}, ValueError, "strictly between 0 and 1"),
    ({"level": 1.0}, ValueError, "strictly between 0 and 1"),
    ({"level": 5}, ValueError, "strictly between 0 and 1"),
    ({"level": "0.05"}, ValueError, "strictly between 0 and 1"),
    ({"covariance_type": "bogus"}, ValueError, "not supported"),
    ({"covariance_type": None}, ValueError, "not supported"),
    ({"means_init": [[0, 0]]}, TypeError, "sets means_init itself"),
    ({"random_state": "x"}, TypeError, "random_state"),
])
def test_bad_arguments_say_what_to_do(two_clusters, kwargs, error, match, monkeypatch):
    def no_fit(*args, **kw):
        raise AssertionError("fitted before checking the arguments")

    if error is not TypeError or "random_state" not in match:
        monkeypatch.setattr(lrt_module, "select", no_fit)
    args = {"covariance_type": "full", "max_components": 3, "n_boot": 5, "progress": False,
            **kwargs}
    with pytest.raises(error, match=match):
        bootstrap_lrt(two_clusters, **args)


def test_exported_from_the_package():
    assert gaussmix.bootstrap_lrt is gaussmix.selection.bootstrap_lrt
    assert {"bootstrap_lrt", "BootstrapLRTResult"} <= set(gaussmix.__all__)
    assert "bootstrap_lrt" in dir(gaussmix)


def test_with_a_noise_component_the_background_is_not_counted_as_a_cluster():
    """Two clusters over 12% uniform background: with noise=True the test stops at 2
    (it crashed: the refits' starting weights excluded the noise weight); without it,
    a third Gaussian for the background is significant."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (150, 2)), rng.normal(6, 1, (150, 2)),
                   rng.uniform(-5, 11, (40, 2))])
    noisy = bootstrap_lrt(X, "VVV", max_components=3, n_boot=19, random_state=0, noise=True,
                          progress=False)
    assert noisy.n_components_ == 2
    assert noisy.table_["p_value"].between(0, 1).all()
    plain = bootstrap_lrt(X, "VVV", max_components=3, n_boot=19, random_state=0,
                          progress=False)
    assert plain.n_components_ == 3


def test_a_singular_larger_fit_ends_the_tests_with_a_warning():
    """Five distinct rows repeated: select leaves two and three VVV components empty
    (singular), and the test of 1 against 2 crashed on the missing model."""
    X = np.repeat(gaussmix.load_faithful()[:5], 20, axis=0)
    with pytest.warns(UserWarning, match="1 against 2 components was not tested"):
        res = bootstrap_lrt(X, "VVV", max_components=3, n_boot=5, random_state=0,
                            progress=False)
    assert res.n_components_ == 1 and res.best_ is res.models_[0]
    assert len(res.table_) == 0 and res.statistics_.shape == (0, 5)
    assert "the fit with 2 is singular" in res.summary()
