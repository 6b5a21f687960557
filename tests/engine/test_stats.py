"""The sufficient statistics: additive, chunk-invariant, weight = repetition."""

import numpy as np
import pytest

from gaussmix import GaussianMixture
from gaussmix.covariance import get_structure
from gaussmix.engine import collect, e_step, m_step


def fitted_params(X, ct, K=3):
    gm = GaussianMixture(K, covariance_type=ct, random_state=0, max_iter=5).fit(X)
    return gm._get_params()


@pytest.mark.parametrize("chunk", [1, 7, 100, 10_000])
def test_chunked_statistics_equal_one_shot(three_blobs, covariance_type, chunk):
    X = three_blobs[0]
    params = fitted_params(X, covariance_type)
    one = e_step(X, None, params)
    chunked = collect(X, params, chunk=chunk)
    for a, b in [(one.nk, chunked.nk), (one.s1, chunked.s1), (one.s2, chunked.s2)]:
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-8)
    assert chunked.loglik == pytest.approx(one.loglik, rel=1e-12)
    assert chunked.weight == one.weight == X.shape[0]


def test_addition_is_associative_and_commutative(three_blobs, covariance_type):
    X = three_blobs[0]
    params = fitted_params(X, covariance_type)
    a, b, c = (e_step(part, None, params) for part in np.array_split(X, 3))
    left, right, swapped = (a + b) + c, a + (b + c), c + (a + b)
    for s in (right, swapped):
        np.testing.assert_allclose(left.s2, s.s2, rtol=1e-12)
        np.testing.assert_allclose(left.nk, s.nk, rtol=1e-12)
        assert left.loglik == pytest.approx(s.loglik, rel=1e-13)
    assert sum([a, b, c]).weight == X.shape[0]


def test_integer_weight_equals_repeated_rows(three_blobs, covariance_type, rng):
    X = three_blobs[0]
    params = fitted_params(X, covariance_type)
    w = rng.integers(0, 4, size=X.shape[0]).astype(float)
    weighted = e_step(X, w, params)
    repeated = e_step(np.repeat(X, w.astype(int), axis=0), None, params)
    np.testing.assert_allclose(weighted.nk, repeated.nk, rtol=1e-10)
    np.testing.assert_allclose(weighted.s1, repeated.s1, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(weighted.s2, repeated.s2, rtol=1e-9, atol=1e-9)
    assert weighted.loglik == pytest.approx(repeated.loglik, rel=1e-10)
    assert weighted.weight == repeated.weight


def test_m_step_matches_textbook_formulas(three_blobs):
    """mu_k = sum r x / N_k, Sigma_k = sum r (x-mu)(x-mu)^T / N_k, pi_k = N_k / N."""
    X = three_blobs[0]
    params = fitted_params(X, "full")
    stats = e_step(X, None, params)
    weights, means, cov_raw, _ = m_step(stats, get_structure("full"), 0.0)
    resp = GaussianMixture.from_parameters(params.weights, params.means,
                                           params.covariances).predict_proba(X)
    Nk = resp.sum(axis=0)
    mu = resp.T @ X / Nk[:, None]
    np.testing.assert_allclose(weights, Nk / X.shape[0], rtol=1e-10)
    np.testing.assert_allclose(means, mu, rtol=1e-10)
    for k in range(3):
        D = X - mu[k]
        np.testing.assert_allclose(cov_raw[k], (resp[:, k, None] * D).T @ D / Nk[k], rtol=1e-9)


def test_statistics_precise_far_from_origin(three_blobs):
    """Centred accumulation: the covariance at offset 1e6 equals the centred one."""
    X = three_blobs[0]
    params = fitted_params(X, "full")
    far = params.__class__(params.covariance_type, params.weights, params.means + 1e6,
                           params.covariances, params.precisions_cholesky)
    near_cov = m_step(e_step(X, None, params), get_structure("full"), 0.0)[2]
    far_cov = m_step(e_step(X + 1e6, None, far), get_structure("full"), 0.0)[2]
    np.testing.assert_allclose(far_cov, near_cov, rtol=1e-7)


def test_chunks_of_wide_data_are_never_smaller_than_their_moments():
    """Each chunk makes K d^2 moments whatever its rows: wide data are one chunk (four
    50-row chunks of 200 x 2000 once made four sets of 2 x 2000 x 2000 moments)."""
    from gaussmix.covariance.kernels import FullKernel
    from gaussmix.engine import chunk_size_for

    kernel = FullKernel()
    chunk = chunk_size_for(200, 2, 2000, 8, n_threads=2,
                           row_values=kernel.row_values(2, 2000, "exact"),
                           moment_values=kernel.moment_values(2, 2000, "exact"))
    assert chunk == 200
    tall = chunk_size_for(10**6, 2, 10, 8, n_threads=2,
                          row_values=kernel.row_values(2, 10, "exact"),
                          moment_values=kernel.moment_values(2, 10, "exact"))
    assert tall < 10**6  # long data are still chunked
