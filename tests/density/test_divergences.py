"""Kullback-Leibler and Jensen-Shannon divergences and the entropy of mixtures, for
every covariance type, against closed forms written out here, scipy's entropy and
numerical integration (scipy.integrate.quad) in one dimension."""

import warnings

import numpy as np
import pytest
from scipy import integrate
from scipy.stats import multivariate_normal, norm

import gaussmix
from gaussmix import GaussianMixture
from gaussmix.density import entropy, gaussian_kl, js_divergence, kl_divergence


def _mixture(structure, params):
    return GaussianMixture.from_parameters(params.weights, params.means, params.covariances,
                                           structure.name)


def _one_gaussian(structure, rng, random_params, d=3):
    return _mixture(structure, random_params(structure, 1, d, rng))


def _kl_by_formula(m0, S0, m1, S1):
    """KL(N(m0, S0) || N(m1, S1)) with inverses and slogdet: no Cholesky, no einsum."""
    inv1 = np.linalg.inv(S1)
    diff = m1 - m0
    return 0.5 * (np.trace(inv1 @ S0) + diff @ inv1 @ diff - len(m0)
                  + np.linalg.slogdet(S1)[1] - np.linalg.slogdet(S0)[1])


def _full(gm):
    return gaussmix.density.full_parameters(gm)


def test_variational_kl_of_single_gaussians_is_the_closed_form(structure, random_params, rng):
    p = _one_gaussian(structure, rng, random_params)
    q = _one_gaussian(structure, rng, random_params)
    fp, fq = _full(p), _full(q)
    expected = _kl_by_formula(fp.means[0], fp.covariances[0], fq.means[0], fq.covariances[0])
    assert kl_divergence(p, q, method="variational") == pytest.approx(expected, rel=1e-10)
    assert kl_divergence(p, p, method="variational") == pytest.approx(0.0, abs=1e-12)


def test_gaussian_kl_matrix_matches_the_formula_pair_by_pair(rng, random_full_covariances):
    ma, mb = rng.normal(size=(3, 4)), rng.normal(size=(2, 4))
    Sa, Sb = random_full_covariances(rng, 3, 4), random_full_covariances(rng, 2, 4)
    got = gaussian_kl(ma, Sa, mb, Sb)
    assert got.shape == (3, 2)
    for a in range(3):
        for b in range(2):
            assert got[a, b] == pytest.approx(_kl_by_formula(ma[a], Sa[a], mb[b], Sb[b]),
                                              rel=1e-10)


def test_monte_carlo_kl_agrees_with_variational_on_separated_mixtures(structure, random_params):
    # well separated components: the variational approximation is then near exact
    rng = np.random.default_rng(7)
    params = random_params(structure, 3, 2, rng, spread=25.0)
    p = _mixture(structure, params)
    q = GaussianMixture.from_parameters(np.roll(params.weights, 1), params.means + 0.7,
                                        params.covariances, structure.name)
    kl, se = kl_divergence(p, q, n_samples=20_000, random_state=0, return_stderr=True)
    approx = kl_divergence(p, q, method="variational")
    assert se > 0
    assert abs(kl - approx) < 4 * se
    assert kl_divergence(p, p, random_state=0) == 0.0      # log p - log p, row by row


def test_kl_in_one_dimension_equals_numerical_integration():
    p = GaussianMixture.from_parameters([0.3, 0.7], [[-1.0], [2.0]], [0.5, 1.5], "spherical")
    q = GaussianMixture.from_parameters([0.6, 0.4], [[0.0], [3.0]], [1.0, 0.8], "spherical")

    def pdf(gm, x):
        return sum(w * norm(m[0], np.sqrt(v)).pdf(x)
                   for w, m, v in zip(gm.weights_, gm.means_, gm.covariances_))

    exact = integrate.quad(lambda x: pdf(p, x) * np.log(pdf(p, x) / pdf(q, x)), -15, 15)[0]
    kl, se = kl_divergence(p, q, n_samples=40_000, random_state=1, return_stderr=True)
    assert abs(kl - exact) < 4 * se
    def js_integrand(x):
        a, b = pdf(p, x), pdf(q, x)
        return 0.5 * a * np.log(2 * a / (a + b)) + 0.5 * b * np.log(2 * b / (a + b))

    js_exact = integrate.quad(js_integrand, -15, 15)[0]
    js, se = js_divergence(p, q, n_samples=40_000, random_state=2, return_stderr=True)
    assert abs(js - js_exact) < 4 * se
    h_exact = integrate.quad(lambda x: -pdf(p, x) * np.log(pdf(p, x)), -15, 15)[0]
    h, se = entropy(p, n_samples=40_000, random_state=3, return_stderr=True)
    assert abs(h - h_exact) < 4 * se


def test_kl_is_not_symmetric_and_is_positive():
    narrow = GaussianMixture.from_parameters([1.0], [[0.0]], [0.25], "spherical")
    wide = GaussianMixture.from_parameters([1.0], [[0.0]], [4.0], "spherical")
    forward = kl_divergence(narrow, wide, method="variational")
    backward = kl_divergence(wide, narrow, method="variational")
    # one-dimensional closed form: (s0/s1 - 1 - log(s0/s1)) / 2 with variances s0, s1
    assert forward == pytest.approx(0.5 * (1 / 16 - 1 - np.log(1 / 16)), rel=1e-12)
    assert backward == pytest.approx(0.5 * (16 - 1 - np.log(16)), rel=1e-12)
    assert 0 < forward < backward


def test_js_is_bounded_symmetric_and_zero_for_equal_mixtures(structure, random_params):
    rng = np.random.default_rng(3)
    p = _mixture(structure, random_params(structure, 2, 2, rng))
    q = _mixture(structure, random_params(structure, 2, 2, rng))
    a, se_a = js_divergence(p, q, n_samples=5000, random_state=0, return_stderr=True)
    b, se_b = js_divergence(q, p, n_samples=5000, random_state=1, return_stderr=True)
    assert 0 <= a <= np.log(2) and 0 <= b <= np.log(2)
    assert abs(a - b) < 4 * np.hypot(se_a, se_b)
    assert js_divergence(p, p, n_samples=500, random_state=0) == pytest.approx(0.0, abs=1e-12)
    far = GaussianMixture.from_parameters(p.weights_, p.means_ + 1e3, p.covariances_,
                                          structure.name)
    assert js_divergence(p, far, n_samples=500, random_state=0) == pytest.approx(np.log(2))


def test_entropy_of_one_gaussian_is_scipys(structure, random_params, rng):
    gm = _one_gaussian(structure, rng, random_params)
    fp = _full(gm)
    exact = multivariate_normal(fp.means[0], fp.covariances[0]).entropy()
    h, se = gm.entropy(n_samples=20_000, random_state=0, return_stderr=True)
    assert abs(h - exact) < 4 * se
    assert gm.entropy(n_samples=500, random_state=5) == entropy(gm, n_samples=500,
                                                                random_state=5)


def test_models_fitted_on_dataframes_keep_quiet_and_must_share_columns():
    pytest.importorskip("pandas")
    X = gaussmix.load_faithful(as_frame=True)
    p = GaussianMixture(2, random_state=0).fit(X)
    q = GaussianMixture(1, random_state=0).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error")     # no "X does not have valid feature names"
        assert kl_divergence(p, q, n_samples=1000, random_state=0) > 0
        js_divergence(p, q, n_samples=1000, random_state=0)
        p.entropy(n_samples=1000, random_state=0)
    swapped = GaussianMixture(1, random_state=0).fit(X[X.columns[::-1]])
    with pytest.raises(ValueError, match="same columns, in the same order"):
        kl_divergence(p, swapped)


@pytest.mark.parametrize("call, match", [
    (lambda p, q, q3: kl_divergence(p, q3), "same columns"),
    (lambda p, q, q3: js_divergence(p, q3), "same columns"),
    (lambda p, q, q3: kl_divergence(p, q, method="exact"), "monte_carlo"),
    (lambda p, q, q3: kl_divergence(p, q, method="variational", return_stderr=True),
     "no standard error"),
    (lambda p, q, q3: kl_divergence(p, q, n_samples=1), "n_samples"),
    (lambda p, q, q3: entropy(p, n_samples=2.5), "n_samples"),
    (lambda p, q, q3: kl_divergence(GaussianMixture(2), q), "not fitted"),
    (lambda p, q, q3: entropy(GaussianMixture(2)), "not fitted"),
])
def test_clear_errors(call, match):
    p = GaussianMixture.from_parameters([1.0], [[0.0, 0.0]], [1.0], "spherical")
    q = GaussianMixture.from_parameters([1.0], [[1.0, 0.0]], [1.0], "spherical")
    q3 = GaussianMixture.from_parameters([1.0], [[1.0, 0.0, 0.0]], [1.0], "spherical")
    with pytest.raises(ValueError, match=match):
        call(p, q, q3)
