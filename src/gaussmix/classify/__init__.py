"""Classification with class-conditional Gaussian mixtures (mclust's ``MclustDA``
and its ``EDDA`` variant): one density per class, Bayes' rule with class priors."""

from .classifier import MODEL_TYPES, MixtureClassifier

__all__ = ["MODEL_TYPES", "MixtureClassifier"]
