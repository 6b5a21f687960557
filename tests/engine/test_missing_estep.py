"""The E-step of rows with missing entries, against independent computations: scipy's
Gaussian densities of the observed sub-vectors, and the expected complete-data
statistics written out row by row."""

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_normal

from gaussmix.covariance import get_structure
from gaussmix.density import full_parameters
from gaussmix.engine import ArraySource, ChunkMap, collect
from gaussmix.engine.conditional import conditionals, full_plan, missing_patterns
from gaussmix.engine.missing import MissingSource, weighted_log_prob_missing


def with_holes(rng, X, fraction, keep_one=True):
    """``X`` with a ``fraction`` of its entries set to NaN at random (MCAR); with
    ``keep_one`` every row keeps at least one observed entry."""
    X = np.array(X, dtype=np.float64)
    miss = rng.random(X.shape) < fraction
    if keep_one:
        full = miss.all(axis=1)
        miss[full, rng.integers(0, X.shape[1], full.sum())] = False
    X[miss] = np.nan
    return X


def full_of(params):
    """Weights, means and full covariances of MixtureParams (via the density tools)."""
    return full_parameters((params.weights, params.means,
                            params.structure.to_full(params.covariances, params.n_components,
                                                     params.n_features)))


def scipy_log_prob(X, params):
    """``log pi_k + log N(x_o; mu_o, Sigma_oo)`` (n, K), row by row with scipy."""
    w, mu, cov = full_of(params)
    out = np.empty((X.shape[0], w.size))
    for n, x in enumerate(X):
        o = ~np.isnan(x)
        for k in range(w.size):
            out[n, k] = np.log(w[k]) + (multivariate_normal(mu[k][o], cov[k][np.ix_(o, o)])
                                        .logpdf(x[o]) if o.any() else 0.0)
    return out


def brute_force_stats(X, w, params, ref):
    """Expected complete-data statistics, row by row: responsibilities from the
    observed entries, ``E[x]`` and ``E[x x^T] = x_hat x_hat^T + Cov`` per component."""
    wts, mu, cov = full_of(params)
    K, d = mu.shape
    logp = scipy_log_prob(X, params)
    resp = np.exp(logp - logsumexp(logp, axis=1, keepdims=True))
    nk, s1, s2 = np.zeros(K), np.zeros((K, d)), np.zeros((K, d, d))
    for n, x in enumerate(X):
        o, m = ~np.isnan(x), np.isnan(x)
        for k in range(K):
            S = cov[k]
            xhat, C = x.copy(), np.zeros((d, d))
            if m.any():
                gain = S[np.ix_(m, o)] @ np.linalg.inv(S[np.ix_(o, o)])
                xhat[m] = mu[k][m] + gain @ (x[o] - mu[k][o])
                C[np.ix_(m, m)] = S[np.ix_(m, m)] - gain @ S[np.ix_(o, m)]
            r = w[n] * resp[n, k]
            dev = xhat - ref[k]
            nk[k] += r
            s1[k] += r * dev
            s2[k] += r * (np.outer(dev, dev) + C)
    return nk, s1, s2, float(w @ logsumexp(logp, axis=1))


@pytest.fixture
def holey(rng):
    """60 rows of 4 columns, 30 % of the entries missing, one row with none missing
    and the observed-everything pattern present."""
    X = with_holes(rng, rng.normal(size=(60, 4)) * [1.0, 2.0, 0.5, 1.5] + [0, 3, -1, 2], 0.3)
    X[:3] = rng.normal(size=(3, 4))
    return X


def test_observed_log_densities_equal_scipys_marginals(holey, rng, structure, random_params):
    params = random_params(structure, 3, 4, rng)
    X = holey.copy()
    X[5] = np.nan  # nothing observed: log pi_k
    np.testing.assert_allclose(weighted_log_prob_missing(X, params), scipy_log_prob(X, params),
                               rtol=1e-10, atol=1e-10)


def test_statistics_equal_the_expected_complete_data_statistics(holey, rng, structure,
                                                                random_params):
    params = random_params(structure, 3, 4, rng)
    w = rng.integers(1, 4, holey.shape[0]).astype(float)
    stats = collect(MissingSource(holey, w), params)
    nk, s1, s2, loglik = brute_force_stats(holey, w, params, stats.ref)
    np.testing.assert_allclose(stats.nk, nk, rtol=1e-10)
    np.testing.assert_allclose(stats.s1, s1, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(stats.s2, structure.kernel.second_moment_from_full(s2),
                               rtol=1e-9, atol=1e-9)
    assert stats.loglik == pytest.approx(loglik, rel=1e-12)
    assert stats.weight == w.sum()


def test_chunked_and_threaded_statistics_equal_one_pass(holey, rng, random_params, structure):
    params = random_params(structure, 2, 4, rng)
    source = MissingSource(holey)
    whole = collect(source, params)
    with ChunkMap(2) as cmap:
        parts = collect(source, params, chunk=7, chunk_map=cmap)
    for a, b in [(whole.nk, parts.nk), (whole.s1, parts.s1), (whole.s2, parts.s2)]:
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    assert whole.loglik == pytest.approx(parts.loglik, rel=1e-13)


def test_a_weight_of_two_equals_a_duplicated_row(holey, rng, random_params, structure):
    params = random_params(structure, 2, 4, rng)
    w = np.ones(holey.shape[0])
    w[[4, 9]] = 2.0
    doubled = np.vstack([holey, holey[[4, 9]]])
    a, b = collect(MissingSource(holey, w), params), collect(MissingSource(doubled), params)
    for x, y in [(a.nk, b.nk), (a.s1, b.s1), (a.s2, b.s2)]:
        np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-12)
    assert a.loglik == pytest.approx(b.loglik, rel=1e-13)


def test_complete_rows_give_the_ordinary_statistics(rng, random_params):
    """Rows without NaN in a MissingSource go through the ordinary E-step: the
    statistics of a source with no incomplete row are exactly the ordinary ones."""
    params = random_params(get_structure("full"), 2, 3, rng)
    X = rng.normal(size=(40, 3))
    a = collect(ArraySource(X), params)
    b = MissingSource(X).collect(params)
    assert np.array_equal(a.s2, b.s2) and a.loglik == b.loglik


def test_conditional_means_and_covariances_are_the_gaussian_formulas(rng, random_params):
    params = random_params(get_structure("full"), 2, 5, rng)
    X = with_holes(rng, rng.normal(size=(30, 5)), 0.4)
    miss = np.isnan(X)
    patterns, row_pattern = missing_patterns(miss)
    cond = conditionals(X, patterns, row_pattern, full_plan(params))
    _, mu, cov = full_of(params)
    for g in cond.groups:
        for row, q in zip(g.rows, g.local):
            m, o = miss[row], ~miss[row]
            assert np.array_equal(np.flatnonzero(m), g.columns[q])
            for k in range(2):
                S = cov[k]
                gain = S[np.ix_(m, o)] @ np.linalg.inv(S[np.ix_(o, o)])
                mean = mu[k][m] + gain @ (X[row, o] - mu[k][o])
                np.testing.assert_allclose(cond.deviation[k, row, m] + mu[k][m], mean,
                                           rtol=1e-10, atol=1e-12)
                np.testing.assert_allclose(g.cond_cov[k, q],
                                           S[np.ix_(m, m)] - gain @ S[np.ix_(o, m)],
                                           rtol=1e-10, atol=1e-12)
                np.testing.assert_allclose(g.cond_factor[k, q] @ g.cond_factor[k, q].T,
                                           g.cond_cov[k, q], rtol=1e-10, atol=1e-12)


def test_patterns_group_equal_rows_and_order_by_missing_count(rng):
    miss = rng.random((200, 6)) < 0.3
    patterns, row_pattern = missing_patterns(miss)
    assert np.array_equal(patterns[row_pattern], miss)
    assert len({p.tobytes() for p in patterns}) == patterns.shape[0]
    assert np.all(np.diff(patterns.sum(axis=1)) >= 0)
