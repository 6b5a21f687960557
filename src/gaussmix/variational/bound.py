"""The variational lower bound, scikit-learn's ``_compute_lower_bound`` number for
number, from the E-step's statistics rather than the responsibilities.

The bound needs the entropy ``-sum_n w_n sum_k r_nk log r_nk`` of the
responsibilities. With ``log r_nk = s_nk - L_n``, ``s_nk = c_k - (x_n - m_k)^T
Lambda_k (x_n - m_k) / 2`` the E-step's scores and ``L_n`` their log-normaliser, it
is ``sum_n w_n L_n - sum_k n_k c_k + sum_k tr(Lambda_k S_k) / 2``, with ``S_k`` the
second moment about ``m_k``: all in the statistics, so no pass keeps the (n, K)
responsibilities.
"""

from __future__ import annotations

import numpy as np
from scipy.special import betaln, gammaln

from ..covariance.linalg import LOG_2PI


def entropy(stats, params, log_prior):
    """Entropy of the responsibilities of the E-step that made ``stats`` (centred on
    the means of ``params``, scored with ``log_prior``)."""
    structure = params.structure
    d = params.means.shape[1]
    logdet = structure.log_det_cholesky(params.precisions_cholesky, d)
    const = log_prior + logdet - 0.5 * d * LOG_2PI
    return (stats.loglik - float(stats.nk @ const)
            + 0.5 * structure.trace_scatter(params.precisions_cholesky, stats.s2))


def log_wishart_norm(dof, log_det_chol, n_features):
    """Log normalising constant of the Wishart (scikit-learn's ``_log_wishart_norm``)."""
    dof = np.asarray(dof, dtype=np.float64)
    return -(dof * log_det_chol + dof * n_features * 0.5 * np.log(2.0)
             + gammaln(0.5 * (dof[..., None] - np.arange(n_features))).sum(axis=-1))


def lower_bound(posterior, prior, structure, resp_entropy):
    """The bound after a variational M-step, from the entropy of the responsibilities
    it used (scikit-learn's ``_compute_lower_bound``, constants included)."""
    K, d = posterior.means.shape
    log_det = (structure.log_det_cholesky(posterior.precisions_cholesky, d)
               - 0.5 * d * np.log(posterior.dof))
    log_wishart = float(np.sum(np.broadcast_to(
        log_wishart_norm(posterior.dof, log_det, d), (K,))))
    if prior.is_process:
        log_norm_weight = -float(np.sum(betaln(*posterior.weight_concentration)))
    else:
        conc = posterior.weight_concentration
        log_norm_weight = float(gammaln(conc.sum()) - gammaln(conc).sum())
    return (resp_entropy - log_wishart - log_norm_weight
            - 0.5 * d * float(np.sum(np.log(posterior.mean_precision))))
