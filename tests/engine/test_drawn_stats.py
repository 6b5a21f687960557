"""Statistics of assignments drawn from the responsibilities (a Gibbs sweep's E-step)."""

import numpy as np
import pytest
from scipy import stats as scipy_stats

from gaussmix import GaussianMixture
from gaussmix.engine import collect, stats_from_resp, weighted_log_prob
from gaussmix.engine.estep import draw_one_hot


def inverse_cdf_draws(resp, u):
    """The reference draw: first component whose cumulative responsibility reaches u."""
    cum = np.cumsum(resp, axis=1)
    return (cum[:, :-1] < (u * cum[:, -1])[:, None]).sum(axis=1)


@pytest.fixture
def fitted(three_blobs, covariance_type):
    X = three_blobs[0]
    gm = GaussianMixture(3, covariance_type=covariance_type, random_state=0,
                         max_iter=3).fit(X)
    return X, gm._get_params()


def test_draws_are_the_inverse_cdf_of_the_responsibilities(rng):
    resp = rng.dirichlet(np.full(4, 0.3), size=500)
    u = rng.random(500)
    one_hot = draw_one_hot(np.ascontiguousarray(resp.T), u)
    assert set(np.unique(one_hot)) <= {0.0, 1.0}
    np.testing.assert_array_equal(one_hot.sum(axis=0), 1.0)
    np.testing.assert_array_equal(one_hot.argmax(axis=0), inverse_cdf_draws(resp, u))


def test_drawn_statistics_are_those_of_the_one_hot_assignment(fitted, rng):
    X, params = fitted
    u = rng.random(X.shape[0])
    drawn = collect(X, params, uniforms=u)
    logp = weighted_log_prob(X, params)
    resp = np.exp(logp - logp.max(axis=1, keepdims=True))
    z = inverse_cdf_draws(resp / resp.sum(axis=1, keepdims=True), u)
    one_hot = np.eye(params.n_components)[z]
    expected = stats_from_resp(X, None, one_hot, drawn.ref, params.structure)
    np.testing.assert_array_equal(drawn.nk, np.bincount(z, minlength=3))
    np.testing.assert_allclose(drawn.s1, expected.s1, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(drawn.s2, expected.s2, rtol=1e-9, atol=1e-9)
    # the log-likelihood is the rows' under the parameters, as EM's E-step gives it
    assert drawn.loglik == pytest.approx(collect(X, params).loglik, rel=1e-12)


@pytest.mark.parametrize("chunk", [7, 100])
def test_chunked_draws_equal_one_shot(fitted, rng, chunk):
    X, params = fitted
    u = rng.random(X.shape[0])
    one, chunked = collect(X, params, uniforms=u), collect(X, params, uniforms=u, chunk=chunk)
    np.testing.assert_array_equal(one.nk, chunked.nk)
    np.testing.assert_allclose(one.s2, chunked.s2, rtol=1e-10, atol=1e-8)


def test_draw_frequencies_match_the_responsibilities(rng):
    probs = np.array([0.5, 0.3, 0.15, 0.05])
    n = 20_000
    resp = np.repeat(probs[:, None], n, axis=1)
    counts = draw_one_hot(resp, rng.random(n)).sum(axis=1)
    assert scipy_stats.chisquare(counts, n * probs).pvalue > 1e-3
