"""The fast E-step on data large enough for many chunks and threads: the same answer
as scikit-learn, float32 agreeing with float64, and bounded extra memory."""

import tracemalloc
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SkGM

from gaussmix import GaussianMixture
from gaussmix.engine import ChunkMap, MixtureParams, collect
from gaussmix.utils.parallel import available_cores
from gaussmix.covariance import SKLEARN_TYPES, get_structure


def _data(n, d, K, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=4.0, size=(K, d))
    labels = rng.integers(0, K, size=n)
    X = centres[labels] + rng.standard_normal((n, d)) * rng.uniform(0.5, 1.5, d)
    return X.astype(dtype)


def _start(X, K, covariance_type, seed):
    """Means at random rows, every covariance the data's (projected onto the type)."""
    rng = np.random.default_rng(seed)
    n, d = X.shape
    means = X[rng.choice(n, K, replace=False)].astype(np.float64)
    cov = np.cov(X.T) + 1e-6 * np.eye(d)
    structure = get_structure(covariance_type)
    covs = structure.from_full(np.broadcast_to(cov, (K, d, d)))
    return MixtureParams.from_covariances(covariance_type, np.full(K, 1.0 / K), means, covs)


def _precisions(p):
    return p.structure.precisions(p.precisions_cholesky)


@pytest.mark.parametrize("covariance_type", SKLEARN_TYPES)  # the types scikit-learn has
def test_many_chunks_on_threads_match_sklearn(covariance_type):
    """30000 rows in 1000-row chunks on 2 threads, 8 iterations from the same start:
    the same log-likelihood as scikit-learn (within 1e-9, the issue asks 1e-6)."""
    X = _data(30_000, 6, 5, seed=1) + 100.0
    p = _start(X, 5, covariance_type, seed=2)
    kw = dict(n_components=5, covariance_type=covariance_type, tol=0.0, max_iter=8, reg_covar=1e-6,
              weights_init=p.weights, means_init=p.means, precisions_init=_precisions(p))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = SkGM(**kw).fit(X)
        gm = GaussianMixture(chunk_size=1000, n_jobs=2, **kw).fit(X)
    assert gm.score(X) == pytest.approx(sk.score(X), rel=1e-9)
    np.testing.assert_allclose(gm.means_, sk.means_, rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose(gm.covariances_, sk.covariances_, rtol=1e-6, atol=1e-9)


def test_float32_agrees_with_float64(covariance_type):
    """float32 data through the same iterations: statistics and log-likelihood agree
    with float64 to float32 precision."""
    X = _data(40_000, 8, 6, seed=3)
    p = _start(X, 6, covariance_type, seed=4)
    s64 = collect(X, p)
    s32 = collect(X.astype(np.float32), p)
    assert s32.loglik == pytest.approx(s64.loglik, rel=1e-6)
    np.testing.assert_allclose(s32.nk, s64.nk, rtol=1e-5)
    np.testing.assert_allclose(s32.s2, s64.s2, rtol=1e-4, atol=1e-5 * np.abs(s64.s2).max())
    # whole fits from the same start
    kw = dict(n_components=6, covariance_type=covariance_type, tol=0.0, max_iter=5,
              weights_init=p.weights, means_init=p.means, precisions_init=_precisions(p))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        g64 = GaussianMixture(**kw).fit(X)
        g32 = GaussianMixture(**kw).fit(X.astype(np.float32))
    assert g32.means_.dtype == np.float32
    assert g32.score(X) == pytest.approx(g64.score(X), rel=1e-5)
    np.testing.assert_allclose(g32.means_, g64.means_, rtol=1e-4, atol=1e-4)
    ld32 = g32.score_samples(X[:1000].astype(np.float32))
    np.testing.assert_allclose(ld32, g64.score_samples(X[:1000]), atol=1e-3, rtol=1e-5)


def _peak(fn):
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def test_e_step_extra_memory_under_half_the_data(covariance_type):
    """An E-step over 800000 x 5 rows (32 MB) with K = 8 allocates (numpy arrays
    included) under half the data's size: the (n, K) responsibilities alone would be
    1.6 times it."""
    X = _data(800_000, 5, 8, seed=5)
    p = _start(X, 8, covariance_type, seed=6)
    with ChunkMap(available_cores()) as chunk_map:  # threads hold chunks at once
        assert _peak(lambda: collect(X, p, chunk_map=chunk_map)) < 0.5 * X.nbytes


@pytest.mark.parametrize("init", ["auto", "kmeans"])
def test_fit_extra_memory_under_half_the_data(init):
    """A whole fit, initialisation (agglomeration, k-means, the race on the sample)
    included."""
    X = _data(800_000, 5, 8, seed=7)
    gm = GaussianMixture(8, init_params=init, max_iter=5, tol=0.0, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        peak = _peak(lambda: gm.fit(X))
    assert peak < 0.5 * X.nbytes
