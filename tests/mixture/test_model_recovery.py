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


@pytest.mark.parametrize("name", MCLUST_MODELS)
def test_three_letters_on_one_column_are_e_or_v_and_say_so(name):
    x = np.r_[np.linspace(-1, 1, 60), np.linspace(4, 7, 40)][:, None]
    model = name[0]  # the volume letter
    with pytest.warns(UserWarning, match=f"is mclust's '{model}'.*covariance_type='{model}'"):
        gm = GaussianMixture(2, covariance_type=name, random_state=0).fit(x)
    same = GaussianMixture(2, covariance_type=model, random_state=0).fit(x)
    assert gm.score(x) == pytest.approx(same.score(x), rel=1e-9)
    assert gm.n_parameters() == same.n_parameters()


@pytest.mark.parametrize("name", ["full", "tied", "diag", "spherical", "E", "V"])
def test_other_names_on_one_column_do_not_warn(name):
    x = np.r_[np.linspace(-1, 1, 60), np.linspace(4, 7, 40)][:, None]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        GaussianMixture(2, covariance_type=name, random_state=0).fit(x)
