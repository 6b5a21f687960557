"""scikit-learn's own classifier checks on MixtureClassifier, with no opt-outs."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from gaussmix import MixtureClassifier


# one fixed model per class (QDA-like), mclust's EDDA over the fourteen models, and a
# per-class choice by BIC among a few candidates (select's path; the default's
# seventy candidates per class are too slow for a unit test, see benchmarks/classifier.py)
@parametrize_with_checks([MixtureClassifier(1, covariance_type="full"),
                          MixtureClassifier(model_type="EDDA"),
                          MixtureClassifier((1, 2), covariance_type=("VVV", "EII"))])
def test_sklearn_compatible(estimator, check):
    check(estimator)
