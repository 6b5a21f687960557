"""The variational posterior and its update from sufficient statistics (the
variational M-step), as scikit-learn's ``_m_step`` and ``_estimate_wishart_*``."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import MixtureParams, stats_from_resp


@dataclass
class VariationalPosterior:
    """The factors of ``q(pi) q(mu, Lambda)``, in scikit-learn's attribute names.

    Attributes
    ----------
    weight_concentration : ndarray of shape (K,) or tuple of two
        The Dirichlet's concentrations, or the Beta parameters ``(a_k, b_k)`` of the
        stick-breaking fractions.
    mean_precision : ndarray of shape (K,)
        ``beta_k``.
    means : ndarray of shape (K, d)
        ``m_k``.
    dof : ndarray of shape (K,) or float (shared covariance)
        ``nu_k``.
    covariances : ndarray
        ``W_k^-1 / nu_k`` in the covariance type's layout.
    precisions_cholesky : ndarray
        Cholesky factors of ``nu_k W_k``, the expected precisions.
    """

    weight_concentration: object
    mean_precision: np.ndarray
    means: np.ndarray
    dof: object
    covariances: np.ndarray
    precisions_cholesky: np.ndarray

    def weights(self, prior):
        """The posterior's expected weights (scikit-learn's ``weights_``)."""
        if prior.is_process:
            a, b = self.weight_concentration
            frac = b / (a + b)
            weights = a / (a + b) * np.hstack((1.0, np.cumprod(frac[:-1])))
        else:
            weights = np.asarray(self.weight_concentration, dtype=np.float64)
        return weights / weights.sum()

    def plug_in(self, structure, prior):
        """The mixture of the expected weights, the means and ``covariances``."""
        return MixtureParams(structure.name, self.weights(prior), self.means,
                             self.covariances, self.precisions_cholesky)


def update_posterior(stats, structure, prior, reg_covar):
    """The variational M-step from statistics alone (:class:`~gaussmix.engine.SuffStats`).

    ``n_k``, ``xbar_k`` and the regularised covariances ``S_k`` about the component
    means (``reg_covar`` on their diagonal) update every factor as scikit-learn's
    ``_estimate_weights``, ``_estimate_means`` and ``_estimate_wishart_*`` do.
    """
    nk = stats.nk + 10 * np.finfo(np.float64).eps
    xk = stats.ref + stats.s1 / nk[:, None]
    sk = structure.regularise(structure.raw_covariance(nk, stats.s1, stats.s2), reg_covar)
    if prior.is_process:
        tail = np.hstack((np.cumsum(nk[::-1])[-2::-1], 0.0))
        concentration = (1.0 + nk, prior.weight_concentration + tail)
    else:
        concentration = prior.weight_concentration + nk
    beta = prior.mean_precision + nk
    means = (prior.mean_precision * prior.mean + nk[:, None] * xk) / beta[:, None]
    dof = structure.wishart_dof(prior.dof, nk)
    shrink = nk * prior.mean_precision / beta
    cov = structure.wishart_covariances(nk, sk, xk - prior.mean, shrink, prior.covariance,
                                        dof)
    prec_chol, _ = structure.precision_cholesky(cov)
    return VariationalPosterior(concentration, beta, means, dof, cov, prec_chol)


def posterior_from_resp(X, w, resp, structure, prior, reg_covar):
    """The posterior given responsibilities (n, K) of rows ``X`` weighted by ``w``
    (None: unit weights): scikit-learn's ``_initialize(X, resp)``."""
    wr = resp if w is None else resp * w[:, None]
    nk = wr.sum(axis=0, dtype=np.float64)
    centre = np.average(X, axis=0, weights=w)
    ref = np.where(nk[:, None] > 0, (wr.T @ X) / np.maximum(nk, 1e-300)[:, None], centre)
    stats = stats_from_resp(X, w, resp, ref, structure)
    return update_posterior(stats, structure, prior, reg_covar)
