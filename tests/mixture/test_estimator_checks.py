"""scikit-learn's own estimator checks, with no expected-failure opt-outs."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from gaussmix import BayesianGaussianMixture, GaussianMixture


@parametrize_with_checks([GaussianMixture(), GaussianMixture(2, covariance_type="diag"),
                          BayesianGaussianMixture(),
                          BayesianGaussianMixture(n_components=2, covariance_type="tied")])
def test_sklearn_compatible(estimator, check):
    check(estimator)
