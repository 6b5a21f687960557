"""Mixture estimators on a shared base: ``GaussianMixture`` (maximum likelihood by EM),
with parameter checks, criteria and persistence."""

from .base import BaseMixture
from .exceptions import DegenerateComponentWarning
from .gaussian import GaussianMixture, load

__all__ = ["BaseMixture", "DegenerateComponentWarning", "GaussianMixture", "load"]
