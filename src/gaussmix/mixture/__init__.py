"""Mixture estimators on a shared base: ``GaussianMixture`` (maximum likelihood by EM),
with parameter checks, criteria and persistence."""

from .base import BaseMixture
from .bayesian import BayesianGaussianMixture
from .exceptions import DegenerateComponentWarning
from .gaussian import GaussianMixture, load
from .gibbs import GibbsGaussianMixture
from .goodness import GoodnessOfFitResult
from .outliers import MixtureOutlierDetector
from .regressor import MixtureRegressor

__all__ = ["BaseMixture", "BayesianGaussianMixture", "DegenerateComponentWarning", "GaussianMixture",
           "GibbsGaussianMixture", "GoodnessOfFitResult", "MixtureOutlierDetector",
           "MixtureRegressor", "load"]
