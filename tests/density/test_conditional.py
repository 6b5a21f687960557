"""Conditioning a mixture on some columns' values, against gmr (the same numbers from
the same parameters), scipy (a Gaussian's density ratio), the model's own joint and
marginal densities, quadrature, and draws."""

import numpy as np
import pytest
from scipy.stats import multivariate_normal, norm

from gaussmix import GaussianMixture
from gaussmix.density import (
    condition,
    conditional_covariance,
    conditional_mean,
    conditional_quantiles,
    full_parameters,
    sample_conditional,
)

gmr = pytest.importorskip("gmr")
trapezoid = getattr(np, "trapezoid", None) or np.trapz


@pytest.fixture
def model(structure, random_params, rng):
    """A random 5-feature, 3-component mixture of each covariance structure."""
    p = random_params(structure, 3, 5, rng)
    return GaussianMixture.from_parameters(p.weights, p.means, p.covariances, structure.name)


@pytest.fixture
def full_model(random_full_covariances, rng):
    """A random 5-feature, 3-component mixture with full covariances: conditioning works
    on full matrices, so the tests beyond the structure's expansion need one type."""
    return GaussianMixture.from_parameters(rng.dirichlet(np.ones(3)), rng.normal(0, 3, (3, 5)),
                                           random_full_covariances(rng, 3, 5))


def as_gmr(gm):
    p = full_parameters(gm)
    return gmr.GMM(p.n_components, priors=p.weights, means=p.means, covariances=p.covariances)


# ---------------------------------------------------------------------- against gmr
def test_condition_equals_gmr(model, rng):
    given = [3, 0]                                           # out of order on purpose
    x = model.means_[1, given] + rng.normal(size=2)
    ours = model.condition(given, x)
    theirs = as_gmr(model).condition(given, x)
    assert ours.covariance_type == "full"
    np.testing.assert_allclose(ours.weights_, theirs.priors, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.means_, theirs.means, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.covariances_, theirs.covariances, rtol=1e-10, atol=1e-12)


def test_conditional_mean_equals_gmr_predict(model, rng):
    given = [4, 1, 2]
    X = model.sample(40, random_state=1)[0][:, given]
    np.testing.assert_allclose(model.conditional_mean(given, X),
                               as_gmr(model).predict(given, X), rtol=1e-10, atol=1e-12)


# ---------------------------------------------------------------------- against scipy
def test_one_gaussian_conditional_is_scipys_density_ratio(rng, random_full_covariances):
    cov = random_full_covariances(rng, 1, 4)[0]
    mean = rng.normal(size=4)
    gm = GaussianMixture.from_parameters([1.0], [mean], [cov])
    given, rest = [2, 0], [1, 3]
    a = mean[given] + rng.normal(size=2)
    c = gm.condition(given, a)
    joint = multivariate_normal(mean, cov)
    marginal_a = multivariate_normal(mean[given], cov[np.ix_(given, given)])
    b = c.means_[0] + rng.normal(size=(7, 2))
    rows = np.empty((7, 4))
    rows[:, given], rows[:, rest] = a, b
    np.testing.assert_allclose(multivariate_normal(c.means_[0], c.covariances_[0]).logpdf(b),
                               joint.logpdf(rows) - marginal_a.logpdf(a), rtol=1e-10)
    np.testing.assert_allclose(c.weights_, [1.0])


def test_conditional_density_is_joint_over_marginal(model, rng):
    """log p(b | a) = log p(a, b) - log p(a), for every covariance structure."""
    given = [1, 4]
    rest = [0, 2, 3]
    a = model.means_[0, given] + rng.normal(size=2)
    b = model.condition(given, a).sample(9, random_state=2)[0]
    rows = np.empty((9, 5))
    rows[:, given], rows[:, rest] = a, b
    np.testing.assert_allclose(model.condition(given, a).score_samples(b),
                               model.score_samples(rows)
                               - model.marginal(given).score_samples(a[None, :]), rtol=1e-9)


def test_conditional_mean_and_variance_by_quadrature(rng):
    """E[y | x] and Var[y | x] of a 2-D mixture by integrating p(x, y) / p(x) over y."""
    gm = GaussianMixture.from_parameters(
        [0.3, 0.5, 0.2], [[0.0, 1.0], [2.0, -1.0], [1.0, 4.0]],
        [[[1.0, 0.6], [0.6, 1.0]], [[0.5, -0.3], [-0.3, 2.0]], [[2.0, 0.0], [0.0, 0.3]]])
    xs = np.array([-1.0, 0.7, 1.5, 3.0])
    y = np.linspace(-20, 25, 40001)
    for i, x in enumerate(xs):
        p = np.exp(gm.score_samples(np.column_stack([np.full_like(y, x), y])))
        mass = trapezoid(p, y)
        mean = trapezoid(y * p, y) / mass
        var = trapezoid((y - mean) ** 2 * p, y) / mass
        assert mass == pytest.approx(np.exp(gm.marginal(0).score_samples([[x]]))[0], rel=1e-8)
        assert gm.conditional_mean(0, xs)[i, 0] == pytest.approx(mean, rel=1e-8)
        assert gm.conditional_covariance(0, xs)[i, 0, 0] == pytest.approx(var, rel=1e-7)


def test_conditional_covariance_is_the_conditional_mixtures_covariance(full_model, rng):
    """The law of total covariance, checked against each row's conditional mixture."""
    given = [2]
    X = rng.normal(size=(4, 1)) * 3
    cov = full_model.conditional_covariance(given, X)
    for i in range(4):
        c = full_model.condition(given, X[i])
        m = c.weights_ @ c.means_
        second = np.einsum("k,kij->ij", c.weights_, c.covariances_
                           + np.einsum("ki,kj->kij", c.means_, c.means_))
        np.testing.assert_allclose(cov[i], second - np.outer(m, m), rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(full_model.conditional_mean(given, X[i:i + 1])[0], m,
                                   rtol=1e-12)


# ---------------------------------------------------------------------- far away
def test_far_away_values_give_one_hot_weights_not_nan():
    """The lecture's example: 5 between means 8, -2, 4 with variance 0.01."""
    gm = GaussianMixture.from_parameters([1 / 3] * 3, [[8.0, 0.0], [-2.0, 1.0], [4.0, 2.0]],
                                         [[[0.01, 0.0], [0.0, 1.0]]] * 3)
    c = gm.condition(0, [5.0])
    np.testing.assert_allclose(c.weights_, [0.0, 0.0, 1.0], rtol=0, atol=1e-170)
    for value, nearest in ((1e4, 0), (-1e4, 1)):
        one_hot = np.eye(3)[nearest]
        np.testing.assert_array_equal(gm.condition(0, [value]).weights_, one_hot)
    far = np.array([[5.0], [1e4], [-1e4]])
    mean = gm.conditional_mean(0, far)
    np.testing.assert_allclose(mean[:, 0], [2.0, 0.0, 1.0])
    assert np.all(np.isfinite(gm.conditional_covariance(0, far)))
    assert np.all(np.isfinite(gm.sample_conditional(0, far, 3, random_state=0)))


def test_zero_weight_components_stay_out():
    gm = GaussianMixture.from_parameters([0.0, 1.0], [[0.0, 0.0], [1.0, 1.0]],
                                         [np.eye(2), np.eye(2)])
    c = gm.condition(0, [0.0])
    np.testing.assert_array_equal(c.weights_, [0.0, 1.0])
    draws = gm.sample_conditional(0, [[0.0]], 2000, random_state=0)
    assert abs(draws.mean() - 1.0) < 0.1


# ---------------------------------------------------------------------- sampling
def test_draws_have_the_conditional_moments(full_model, rng):
    given = [0, 3]
    X = full_model.sample(3, random_state=4)[0][:, given]
    n = 40000
    draws = full_model.sample_conditional(given, X, n_samples=n, random_state=5)
    assert draws.shape == (3, n, 3)
    mean = full_model.conditional_mean(given, X)
    cov = full_model.conditional_covariance(given, X)
    for i in range(3):
        se = np.sqrt(np.diag(cov[i]) / n)
        assert np.all(np.abs(draws[i].mean(axis=0) - mean[i]) < 5 * se)
        # a sample covariance's entries have standard error about sqrt(2 / n) * scale
        scale = np.sqrt(np.outer(np.diag(cov[i]), np.diag(cov[i])))
        assert np.all(np.abs(np.cov(draws[i].T) - cov[i]) < 10 * np.sqrt(2 / n) * scale)


def test_draws_repeat_with_the_same_seed_and_differ_without(full_model):
    a = full_model.sample_conditional(1, [[0.0], [1.0]], 5, random_state=3)
    np.testing.assert_array_equal(a, full_model.sample_conditional(1, [[0.0], [1.0]], 5,
                                                              random_state=3))
    assert not np.array_equal(full_model.sample_conditional(1, [[0.0]], 5),
                              full_model.sample_conditional(1, [[0.0]], 5))


def test_draws_pick_components_by_the_conditional_weights():
    """Two far-apart conditional components: the share of draws near each is its weight."""
    gm = GaussianMixture.from_parameters([0.5, 0.5], [[0.0, -10.0], [0.5, 10.0]],
                                         [np.eye(2), np.eye(2)])
    w = gm.condition(0, [0.25]).weights_
    draws = gm.sample_conditional(0, [[0.25]], 20000, random_state=0)[0, :, 0]
    assert abs(np.mean(draws > 0) - w[1]) < 4 * np.sqrt(w[1] * w[0] / 20000)


# ---------------------------------------------------------------------- quantiles
def test_quantiles_of_one_gaussian_are_scipys(rng, random_full_covariances):
    cov = random_full_covariances(rng, 1, 3)[0]
    gm = ([1.0], [np.zeros(3)], [cov])
    X = rng.normal(size=(5, 2))
    q = [0.05, 0.5, 0.95]
    mean = conditional_mean(gm, [0, 2], X)[:, 0]
    sd = np.sqrt(conditional_covariance(gm, [0, 2], X)[:, 0, 0])
    np.testing.assert_allclose(conditional_quantiles(gm, [0, 2], X, q),
                               norm.ppf(q, mean[:, None], sd[:, None]), rtol=1e-12, atol=1e-12)


def test_mixture_quantiles_invert_the_distribution_function(full_model):
    X = full_model.sample(6, random_state=0)[0][:, :4]
    q = np.array([0.01, 0.3, 0.5, 0.9])
    Q = conditional_quantiles(full_model, [0, 1, 2, 3], X, q)
    for i in range(6):
        c = condition(full_model, [0, 1, 2, 3], X[i])
        cdf = c.weights @ norm.cdf(Q[i][None, :], c.means[:, :1], np.sqrt(c.covariances[:, 0]))
        np.testing.assert_allclose(cdf, q, atol=1e-12)


def test_quantiles_need_one_column_left_and_probabilities(full_model):
    with pytest.raises(ValueError, match="exactly one column left"):
        conditional_quantiles(full_model, [0, 1], [[0.0, 0.0]], 0.5)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        conditional_quantiles(full_model, [0, 1, 2, 3], [[0.0] * 4], [0.5, 1.0])


# ---------------------------------------------------------------------- arrays in
def test_density_functions_take_parameter_triples():
    gm = ([1.0], [[0.0, 0.0]], [[[1.0, 0.8], [0.8, 1.0]]])
    c = condition(gm, [0], [2.0])
    np.testing.assert_allclose(c.means, [[1.6]])
    np.testing.assert_allclose(c.covariances, [[[0.36]]])
    np.testing.assert_allclose(conditional_mean(gm, 1, [[1.0], [-1.0]]), [[0.8], [-0.8]])
    assert sample_conditional(gm, 0, [1.0, 2.0, 3.0], 4, random_state=0).shape == (3, 4, 1)


def test_blocks_of_rows_give_the_same_numbers(full_model, monkeypatch):
    """Many rows are computed in blocks (bounded memory): any block size, same result."""
    import gaussmix.density.conditional as conditional

    X = full_model.sample(50, random_state=0)[0]
    whole = [conditional_mean(full_model, [0, 2], X[:, [0, 2]]),
             conditional_covariance(full_model, [0, 2], X[:, [0, 2]]),
             conditional_quantiles(full_model, [0, 1, 2, 3], X[:, :4], [0.1, 0.5])]
    monkeypatch.setattr(conditional, "BLOCK_FLOATS", 63)          # 3 rows a block
    assert len(conditional.row_blocks(conditional.conditional_parts(full_model, [0, 2]),
                                      50)) > 1
    blocked = [conditional_mean(full_model, [0, 2], X[:, [0, 2]]),
               conditional_covariance(full_model, [0, 2], X[:, [0, 2]]),
               conditional_quantiles(full_model, [0, 1, 2, 3], X[:, :4], [0.1, 0.5])]
    for a, b in zip(whole, blocked):
        np.testing.assert_allclose(b, a, rtol=1e-13, atol=1e-13)
