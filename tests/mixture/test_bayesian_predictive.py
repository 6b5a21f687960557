"""BayesianGaussianMixture.predictive_score_samples: the Student-t mixture of PRML eq.
10.81, checked against scipy.stats.multivariate_t component by component, and tending
to the plug-in density as the data grow."""

import numpy as np
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_t

from gaussmix import BayesianGaussianMixture
from gaussmix.covariance import SKLEARN_TYPES

PRIOR_TYPES = ("dirichlet_process", "dirichlet_distribution")


def blobs(n_per, seed=0):
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal(m, s, (n_per, 3)) for m, s in ((-4.0, 1.0), (0.0, 0.5),
                                                               (5.0, 1.5))])


def expected_weights(bgm):
    if bgm.weight_concentration_prior_type == "dirichlet_process":
        a, b = bgm.weight_concentration_
        w = a / (a + b) * np.concatenate(([1.0], np.cumprod(b / (a + b))[:-1]))
    else:
        w = bgm.weight_concentration_ / bgm.weight_concentration_.sum()
    return w / w.sum()


def w_inverse(bgm, k):
    """``W_k^-1 = nu_k covariances_[k]`` as a full matrix."""
    d = bgm.means_.shape[1]
    nu = np.broadcast_to(bgm.degrees_of_freedom_, (bgm.n_components,))[k]
    cov = {"full": lambda: bgm.covariances_[k], "tied": lambda: bgm.covariances_,
           "diag": lambda: np.diag(bgm.covariances_[k]),
           "spherical": lambda: bgm.covariances_[k] * np.eye(d)}[bgm.covariance_type]()
    return nu * cov


def direct(bgm, X):
    d = X.shape[1]
    nus = np.broadcast_to(bgm.degrees_of_freedom_, (bgm.n_components,))
    terms = []
    for k, (wk, beta, nu) in enumerate(zip(expected_weights(bgm), bgm.mean_precision_, nus)):
        df = nu - d + 1
        shape = (beta + 1) / (beta * df) * w_inverse(bgm, k)
        terms.append(np.log(wk) + multivariate_t(bgm.means_[k], shape, df=df).logpdf(X))
    return logsumexp(np.column_stack(terms), axis=1)


@pytest.mark.parametrize("covariance_type", SKLEARN_TYPES)
@pytest.mark.parametrize("prior_type", PRIOR_TYPES)
def test_equals_scipy_multivariate_t_mixture(covariance_type, prior_type):
    X = blobs(60)
    bgm = BayesianGaussianMixture(n_components=4, covariance_type=covariance_type,
                                  weight_concentration_prior_type=prior_type,
                                  weight_concentration_prior=0.5, max_iter=200,
                                  random_state=0).fit(X)
    rng = np.random.default_rng(1)
    Y = np.vstack([X[::7], rng.normal(0.0, 6.0, (40, 3))])
    got = bgm.predictive_score_samples(Y)
    assert got.shape == (Y.shape[0],)
    np.testing.assert_allclose(got, direct(bgm, Y), rtol=1e-10)


def test_weights_are_the_fitted_expected_weights():
    X = blobs(60)
    for prior_type in PRIOR_TYPES:
        bgm = BayesianGaussianMixture(n_components=4, weight_concentration_prior_type=prior_type,
                                      random_state=0).fit(X)
        np.testing.assert_allclose(expected_weights(bgm), bgm.weights_, rtol=1e-12)


def test_chunks_give_the_same_values():
    from gaussmix.covariance import get_structure
    from gaussmix.variational import log_predictive

    X = blobs(50)
    bgm = BayesianGaussianMixture(n_components=3, random_state=0).fit(X)
    args = (bgm._posterior(), bgm._prior, get_structure(bgm.covariance_type))
    np.testing.assert_allclose(log_predictive(X, *args, chunk=7), log_predictive(X, *args),
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize("covariance_type", SKLEARN_TYPES)
def test_tends_to_the_plug_in_density_as_data_grow(covariance_type):
    Y = blobs(30, seed=5)
    gaps = []
    for n_per in (30, 300, 3000):
        bgm = BayesianGaussianMixture(n_components=3, covariance_type=covariance_type,
                                      max_iter=300, random_state=0).fit(blobs(n_per))
        gaps.append(float(np.mean(np.abs(bgm.predictive_score_samples(Y)
                                         - bgm.score_samples(Y)))))
    # the gap shrinks as 1 / n (about tenfold per tenfold data)
    assert gaps[1] < gaps[0] / 5 and gaps[2] < gaps[1] / 5
    assert gaps[2] < 3e-3


def test_heavier_tails_than_the_plug_in_density():
    bgm = BayesianGaussianMixture(n_components=3, random_state=0).fit(blobs(40))
    far = np.array([[30.0, -30.0, 30.0]])
    assert bgm.predictive_score_samples(far)[0] > bgm.score_samples(far)[0]


def test_checks_input_and_fit():
    bgm = BayesianGaussianMixture(n_components=2)
    with pytest.raises(Exception, match="not fitted"):
        bgm.predictive_score_samples(np.zeros((2, 3)))
    bgm.fit(blobs(20))
    with pytest.raises(ValueError):
        bgm.predictive_score_samples(np.zeros((2, 4)))
