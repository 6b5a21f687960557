"""Each of mclust's models recovers the parameters of data drawn from that model,
and its fitted covariances have the model's structure (Celeux and Govaert 1995)."""

import warnings

import numpy as np
import pytest

from gaussmix import GaussianMixture
from gaussmix.covariance import MCLUST_MODELS, UNIVARIATE_TYPES, get_structure


def _truth(structure, K, d, rng, random_full_covariances):
    weights = np.array([0.5, 0.3, 0.2])[:K]
    means = rng.normal(scale=8.0, size=(K, d))  # well apart: recovery, not clustering
    cov = structure.from_full(random_full_covariances(rng, K, d))
    return GaussianMixture.from_parameters(weights, means, cov, structure.name,
                                           random_state=0)


def _matched(fitted_means, true_means):
    order = np.argmin(((fitted_means[:, None] - true_means[None]) ** 2).sum(-1), axis=0)
    assert sorted(order) == list(range(len(true_means)))
    return order


@pytest.mark.parametrize("name", MCLUST_MODELS + UNIVARIATE_TYPES)
def test_model_recovers_its_own_parameters(name, rng, random_full_covariances):
    structure = get_structure(name)
    K, d = 3, (1 if name in UNIVARIATE_TYPES else 3)
    truth = _truth(structure, K, d, rng, random_full_covariances)
    X, _ = truth.sample(8000, random_state=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gm = GaussianMixture(K, covariance_type=name, random_state=0).fit(X)
    order = _matched(gm.means_, truth.means_)
    assert structure.is_valid(gm.covariances_)
    np.testing.assert_allclose(gm.weights_[order], truth.weights_, atol=0.02)
    np.testing.assert_allclose(gm.means_[order], truth.means_, atol=0.1)
    fitted = structure.to_full(gm.covariances_, K, d)[order]
    true = structure.to_full(truth.covariances_, K, d)
    err = np.linalg.norm(fitted - true, axis=(1, 2)) / np.linalg.norm(true, axis=(1, 2))
    assert err.max() < 0.1, err
    # the fit is at least as likely as the truth on the data it was drawn from
    assert gm.score(X) >= truth.score(X) - 1e-9
