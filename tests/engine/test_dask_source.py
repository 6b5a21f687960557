"""Dask arrays and DataFrames on a LocalCluster of two worker processes (loopback
only): the same answer as in memory, lazy results, a killed worker that changes
nothing, and a clear error for a cluster without workers."""

import os
import signal
import threading
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import ConvergenceWarning

da = pytest.importorskip("dask.array")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from gaussmix import GaussianMixture  # noqa: E402
from gaussmix.engine import dask_source  # noqa: E402
from gaussmix.engine.dask_source import ClusterError, DaskSource  # noqa: E402


def _blobs(n, d=3, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[-4.0] * d, [0.0] * d, [4.0] * d])
    centres[1, 0] = 3.0
    labels = rng.integers(3, size=n)
    return centres[labels] + rng.normal(size=(n, d)) * rng.uniform(0.5, 1.5, (3, d))[labels]


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       host="127.0.0.1", dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def _start(X, covariance_type, K=3):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gm = GaussianMixture(K, covariance_type=covariance_type, max_iter=1,
                             random_state=0).fit(X)
    return dict(weights_init=gm.weights_, means_init=gm.means_,
                precisions_init=gm.precisions_)


def _fit(X, covariance_type, start, max_iter=8, K=3, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return GaussianMixture(K, covariance_type=covariance_type, tol=0.0,
                               max_iter=max_iter, **start, **kw).fit(X)


def assert_same_fit(a, b, rtol=1e-8):
    assert b.n_iter_ == a.n_iter_
    np.testing.assert_allclose(b.lower_bounds_, a.lower_bounds_, rtol=rtol)
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_"):
        ref = getattr(a, name)
        np.testing.assert_allclose(getattr(b, name), ref, rtol=rtol,
                                   atol=rtol * np.abs(ref).max(), err_msg=name)


@pytest.fixture(scope="module")
def X():
    return _blobs(1500)


def test_same_start_same_answer_on_the_cluster(client, X, covariance_type):
    start = _start(X, covariance_type)
    ref = _fit(X, covariance_type, start)
    # 4 blocks, each in chunks of 150 rows on its worker
    got = _fit(da.from_array(X, chunks=400), covariance_type, start, chunk_size=150)
    assert_same_fit(ref, got)


def test_dataframe_names_and_lazy_results(client, X):
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    ddf = dd.from_pandas(frame, npartitions=3)
    start = _start(frame, "full")
    ref = _fit(frame, "full", start)
    gm = _fit(ddf, "full", start)
    assert_same_fit(ref, gm)
    assert list(gm.feature_names_in_) == ["a", "b", "c"]
    labels = gm.predict(ddf)
    assert isinstance(labels, da.Array) and labels.shape == (1500,)
    np.testing.assert_array_equal(labels.compute(), ref.predict(frame))
    resp = gm.predict_proba(ddf)
    assert isinstance(resp, da.Array) and resp.shape == (1500, 3)
    np.testing.assert_allclose(resp.compute(), ref.predict_proba(frame), atol=1e-8)
    np.testing.assert_allclose(gm.score_samples(ddf).compute(), ref.score_samples(frame),
                               rtol=1e-8)
    assert gm.score(ddf) == pytest.approx(ref.score(frame), rel=1e-10)


def test_unknown_block_lengths_are_computed(client, X):
    ddf = dd.from_pandas(pd.DataFrame(X), npartitions=3)
    Xd = ddf.values  # block lengths unknown
    assert np.isnan(Xd.chunks[0][0])
    source = DaskSource(Xd)
    assert source.n_samples == 1500 and source.feature_names is None
    start = _start(X, "diag")
    assert_same_fit(_fit(X, "diag", start), _fit(Xd, "diag", start))


def test_text_column_is_the_in_memory_error(client, X):
    frame = pd.DataFrame(X[:, :2], columns=["a", "b"]).assign(name="text")
    with pytest.raises(TypeError, match="non-numeric values.*'name'.*select the numeric"):
        GaussianMixture(1).fit(dd.from_pandas(frame, npartitions=2))


def test_a_killed_worker_changes_nothing(client):
    X = _blobs(60_000, d=4, seed=1)
    start = _start(X, "full", K=4)
    ref = _fit(X, "full", start, max_iter=25, K=4)
    Xd = da.from_array(X, chunks=5000).persist()  # blocks held by the workers
    distributed.wait(Xd)
    pids = list(client.run(os.getpid).values())
    calls, killed = [0], []
    original = DaskSource.map_sum

    def map_sum(self, fn, chunk):
        calls[0] += 1
        if calls[0] == 6:  # the kill lands in the middle of the sixth pass
            threading.Timer(0.05, lambda: (os.kill(pids[0], signal.SIGKILL),
                                           killed.append(calls[0]))).start()
        return original(self, fn, chunk)

    DaskSource.map_sum = map_sum
    try:
        got = _fit(Xd, "full", start, max_iter=25, K=4)
    finally:
        DaskSource.map_sum = original
    assert killed and killed[0] < calls[0]  # killed before the fit's last pass
    assert pids[0] not in client.run(os.getpid).values()
    assert_same_fit(ref, got)


def test_a_cluster_without_workers_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(dask_source, "NO_WORKER_TIMEOUT", 1.0)
    # in-process (no network at all): a cluster whose one worker is then retired
    with distributed.LocalCluster(n_workers=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as own:
        Xd = da.from_array(_blobs(300), chunks=100)
        own.retire_workers(list(own.scheduler_info()["workers"]))
        with pytest.raises(ClusterError, match="no workers for 1 s.*NO_WORKER_TIMEOUT"):
            GaussianMixture(2, random_state=0).fit(Xd)
