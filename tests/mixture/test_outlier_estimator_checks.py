"""scikit-learn's own estimator checks for MixtureOutlierDetector and for
GaussianMixture with a noise component, with no opt-outs."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from gaussmix import GaussianMixture, MixtureOutlierDetector


@parametrize_with_checks([MixtureOutlierDetector(),
                          MixtureOutlierDetector(0.1, n_components=2, covariance_type="diag"),
                          MixtureOutlierDetector("auto", n_components=2),
                          GaussianMixture(noise=True),
                          GaussianMixture(2, covariance_type="diag", noise=True)])
def test_sklearn_compatible(estimator, check):
    check(estimator)
