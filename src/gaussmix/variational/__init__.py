"""Variational Bayes for Gaussian mixtures on the engine's statistics.

The E-step is the engine's (:func:`gaussmix.engine.collect`), scoring rows with the
expected log-weights and expected log-densities of the variational posterior; the
variational M-step (:func:`update_posterior`) and the bound (:func:`lower_bound`)
read only the statistics. The formulas are scikit-learn's ``BayesianGaussianMixture``;
what depends on the covariance type is asked of the structure
(:mod:`gaussmix.covariance.wishart`).
"""

from .bound import entropy, lower_bound
from .expectations import estep_scores, expected_log_weights
from .loop import VBResult, run_vb
from .posterior import VariationalPosterior, posterior_from_resp, update_posterior
from .predictive import log_predictive, student_t_components
from .prior import PRIOR_TYPES, VariationalPrior, check_prior_type, resolve_prior

__all__ = ["PRIOR_TYPES", "VBResult", "VariationalPosterior", "VariationalPrior",
           "check_prior_type", "entropy", "estep_scores", "expected_log_weights",
           "log_predictive", "lower_bound", "posterior_from_resp", "resolve_prior", "run_vb",
           "student_t_components", "update_posterior"]
