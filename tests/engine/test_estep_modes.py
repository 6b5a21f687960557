"""The two E-step variants (quadratic features versus exact whitening) agree, and the
automatic choice falls back to the exact one where the expansion would lose digits."""

import numpy as np
import pytest

from gaussmix.covariance.kernels import EXPAND_ERROR, choose_mode
from gaussmix.engine import ArraySource, collect, make_plan


def _data(params, n, rng):
    K, d = params.means.shape
    labels = rng.choice(K, size=n, p=params.weights)
    return params.means[labels] + rng.normal(size=(n, d))


@pytest.mark.parametrize("d", [1, 2, 7])
def test_expand_and_exact_give_the_same_statistics(structure, random_params, d):
    rng = np.random.default_rng(d)
    params = random_params(structure, 4, d, rng)
    X = _data(params, 3000, rng) + 50.0  # off-centre data
    w = rng.uniform(0.5, 2.0, size=X.shape[0])
    a = collect(ArraySource(X, w), params, chunk=700, mode="expand")
    b = collect(ArraySource(X, w), params, chunk=700, mode="exact")
    assert make_plan(params, X.dtype, mode="expand").mode == "expand"
    assert a.loglik == pytest.approx(b.loglik, rel=1e-11)
    np.testing.assert_allclose(a.nk, b.nk, rtol=1e-11)
    np.testing.assert_allclose(a.s1, b.s1, atol=1e-8 * float(np.abs(b.s1).max() + b.nk.max()))
    np.testing.assert_allclose(a.s2, b.s2, rtol=1e-9, atol=1e-9 * float(np.abs(b.s2).max()))
    np.testing.assert_array_equal(a.worst, b.worst)


def test_far_tight_components_use_the_exact_e_step(structure, random_params):
    """Components a million of their widths away from the centre: the expansion would
    cancel catastrophically, so the plan falls back to whitening, and the statistics
    still match the exact ones."""
    rng = np.random.default_rng(5)
    params = random_params(structure, 3, 3, rng, scale=1e-4, spread=100.0)
    assert make_plan(params, np.float64).mode == "exact"
    X = params.means[rng.integers(0, 3, 500)] + 1e-4 * rng.normal(size=(500, 3))
    auto = collect(X, params, chunk=128)
    exact = collect(X, params, chunk=128, mode="exact")
    forced = collect(X, params, chunk=128, mode="expand")
    assert auto.loglik == exact.loglik
    # what the fallback avoids: the expansion's error is orders of magnitude larger
    assert abs(forced.loglik - exact.loglik) > 1e3 * abs(exact.loglik) * np.finfo(float).eps


def test_mode_choice_follows_the_rounding_bound():
    eps64 = np.finfo(np.float64).eps
    eps32 = np.finfo(np.float32).eps
    ok32 = EXPAND_ERROR[np.dtype(np.float32)] / eps32
    ok64 = EXPAND_ERROR[np.dtype(np.float64)] / eps64
    assert choose_mode(np.float32, 0.5 * ok32) == ("expand", np.dtype(np.float32))
    # too far for float32 arithmetic, fine for float64: chunks promoted
    assert choose_mode(np.float32, 2 * ok32) == ("expand", np.dtype(np.float64))
    assert choose_mode(np.float64, 2 * ok64) == ("exact", np.dtype(np.float64))
    assert choose_mode(np.float64, np.inf)[0] == "exact"
    assert choose_mode(np.float64, 1.0, "exact")[0] == "exact"
