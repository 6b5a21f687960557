"""Expectations under the variational posterior that the E-step needs: the expected
log-weights and the constants that turn a Gaussian log-density at the expected
precision into the expected log-density (scikit-learn's ``_estimate_log_weights``
and ``_estimate_log_prob``)."""

from __future__ import annotations

import numpy as np
from scipy.special import digamma


def expected_log_weights(posterior, prior):
    """``E[log pi_k]`` (K,) under the Dirichlet or the stick-breaking posterior."""
    if prior.is_process:
        a, b = posterior.weight_concentration
        total = digamma(a + b)
        return digamma(a) - total + np.hstack((0.0, np.cumsum(digamma(b) - total)[:-1]))
    conc = np.asarray(posterior.weight_concentration, dtype=np.float64)
    return digamma(conc) - digamma(conc.sum())


def expected_log_det_offset(posterior, n_features):
    """``E[log |Lambda_k|] / 2 - log|nu_k W_k| / 2 - d / (2 beta_k)``: what the expected
    log-density adds to ``log N(x | m_k, (nu_k W_k)^-1)``, (K,)."""
    d = n_features
    dof = np.asarray(posterior.dof, dtype=np.float64)
    log_lambda = d * np.log(2.0) + digamma(
        0.5 * (dof[..., None] - np.arange(d))).sum(axis=-1)
    return 0.5 * (log_lambda - d * np.log(dof) - d / posterior.mean_precision)


def estep_scores(posterior, prior, structure):
    """The E-step's inputs: the Gaussian of the expected precisions and, per
    component, the constant ``E[log pi_k]`` plus :func:`expected_log_det_offset`
    (``log_prior`` of :func:`gaussmix.engine.collect`)."""
    params = posterior.plug_in(structure, prior)
    log_prior = expected_log_weights(posterior, prior) + expected_log_det_offset(
        posterior, posterior.means.shape[1])
    return params, log_prior
