"""The M-step: parameters from sufficient statistics, with collapse recovery.

``m_step`` is the only function that makes parameters. A component that collapses
onto a point (the likelihood is unbounded there) or loses its mass is detected
against the data's own spread and re-seeded, the lecture's hot fix: a new mean at a
poorly explained row and the data's covariance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..covariance.linalg import collapse_tol
from .params import MixtureParams


def map_step(stats, structure, prior, start=None):
    """The M-step of MAP estimation (the posterior mode given the responsibilities):
    means ``(n_k xbar_k + kappa mu_P) / (n_k + kappa)``, covariances from
    :meth:`~gaussmix.covariance.CovarianceStructure.map_covariance`, weights
    ``(n_k + alpha - 1) / sum`` (``n_k / n`` for the flat alpha = 1). No
    ``reg_covar``: the prior keeps every covariance positive definite, and adding
    anything to the mode would break the posterior's monotone increase.

    Returns
    -------
    weights, means, cov : ndarray
    """
    eps = 10 * np.finfo(np.float64).eps
    nk = stats.nk + eps
    kappa = prior.shrinkage
    means = stats.ref + (stats.s1 + kappa * (prior.mean - stats.ref)) / (nk + kappa)[:, None]
    cov = structure.map_covariance(nk, stats.s1, stats.s2, stats.ref, prior, start)
    alpha = prior.weight_concentration
    if alpha == 1.0:
        weights = nk / nk.sum()
    else:  # the Dirichlet mode; a component below 1 - alpha rows gets no weight
        weights = np.maximum(nk + (alpha - 1.0), eps)
        weights = weights / weights.sum()
    return weights, means, cov


def map_step_params(stats, structure, prior, recovery, start=None):
    """:func:`map_step` as parameters. A MAP fit needs no collapse recovery: the
    prior's scale keeps every covariance positive definite however few rows a
    component has, so nothing is re-seeded."""
    weights, means, cov = map_step(stats, structure, prior, start)
    prec_chol, n_fixed = structure.precision_cholesky(cov)
    recovery.n_cholesky_fixes += n_fixed
    if n_fixed:
        cov = structure.covariance_from_precision_cholesky(prec_chol)
    return MixtureParams(structure.name, weights, means, cov, prec_chol), False


def m_step(stats, structure, reg_covar, start=None):
    """M-step from statistics alone.

    Parameters
    ----------
    stats : SuffStats
    structure : CovarianceStructure
    reg_covar : float
    start : object, optional
        ``structure.m_step_start(cov)`` of the current covariances: where an
        iterative M-step (mclust's VEI, VEE, VEV, EVE, VVE) starts, so that it raises
        the objective from the current parameters' value. None: its own start.

    Returns
    -------
    weights : ndarray of shape (K,)
    means : ndarray of shape (K, d)
    cov_raw : ndarray
        Maximum-likelihood covariances before ``reg_covar``.
    cov : ndarray
        ``cov_raw`` plus ``reg_covar`` on the diagonal.
    """
    eps = 10 * np.finfo(np.float64).eps
    nk = stats.nk + eps
    means = stats.ref + stats.s1 / nk[:, None]
    cov_raw = structure.raw_covariance(nk, stats.s1, stats.s2, start)
    cov = structure.regularise(cov_raw, reg_covar)
    weights = nk / nk.sum()
    return weights, means, cov_raw, cov


@dataclass
class Recovery:
    """What EM did about degenerate components during one run."""

    resets: list = field(default_factory=list)  # (iteration, component)
    n_cholesky_fixes: int = 0
    n_unrecovered: int = 0  # collapsed components left to regularisation
    rows_needed: int = 0  # set when the data have too few rows for re-seeding to cure


def degenerate(stats, cov_raw, structure, scale):
    """Boolean (K,): components that lost their mass or collapsed."""
    K = stats.nk.shape[0]
    empty = stats.nk <= 10 * np.finfo(stats.nk.dtype).eps * stats.weight
    return empty | structure.collapsed(cov_raw, K, scale, collapse_tol(cov_raw.dtype))


def cannot_cure(structure, scale, n_components):
    """Whether re-seeding cannot cure a collapse: the data have too few rows for every
    component to get the rows its covariance needs to be regular (on wide data, fewer
    rows than dimensions, every full covariance is singular), so a re-seeded component
    would collapse again; ``reg_covar`` alone keeps such components finite."""
    return (scale.n_rows is not None
            and scale.n_rows < n_components * structure.rows_needed(scale))


def reseed(bad, stats, weights, means, cov, structure, scale, reg_covar, recovery,
           iteration, max_resets):
    """Re-seed the components flagged in ``bad`` while the reset budget lasts, in
    place: mean at one of the worst-explained rows, the data's covariance, at least an
    even share of weight. Returns the (renormalised) weights and whether any was reset.
    """
    ks = np.flatnonzero(bad)
    K = weights.shape[0]
    budget = max_resets - len(recovery.resets)
    futile = cannot_cure(structure, scale, K)
    if budget <= 0 or stats.worst.shape[0] == 0 or futile:
        recovery.n_unrecovered = max(recovery.n_unrecovered, int(ks.size))
        if futile:
            recovery.rows_needed = structure.rows_needed(scale)
        return weights, False
    broad = scale.broad(reg_covar)
    for j, k in enumerate(ks[:budget]):
        means[k] = stats.worst[j % stats.worst.shape[0]]
        structure.set_component(cov, k, broad)
        weights[k] = max(weights[k], 1.0 / K)
        recovery.resets.append((iteration, int(k)))
    return weights / weights.sum(), True


def m_step_recover(stats, structure, reg_covar, scale, recovery, iteration, max_resets,
                   start=None):
    """M-step, then detect and re-seed collapsed or empty components.

    A component whose covariance (before ``reg_covar``) is singular, relative to the
    data's own spread, in some direction, or whose mass vanished, is re-seeded at one
    of the worst-explained rows with the data's covariance, while the reset budget
    lasts; afterwards ``reg_covar`` alone keeps it finite. ``start``: as
    :func:`m_step`.

    Returns
    -------
    params : MixtureParams
    did_reset : bool
    """
    weights, means, cov_raw, cov = m_step(stats, structure, reg_covar, start)
    bad = degenerate(stats, cov_raw, structure, scale)
    del cov_raw  # large on wide data, and not needed further
    did_reset = False
    if bad.any():
        weights, did_reset = reseed(bad, stats, weights, means, cov, structure, scale,
                                    reg_covar, recovery, iteration, max_resets)
    prec_chol, n_fixed = structure.precision_cholesky(cov)
    recovery.n_cholesky_fixes += n_fixed
    if n_fixed:
        cov = structure.covariance_from_precision_cholesky(prec_chol)
    return MixtureParams(structure.name, weights, means, cov, prec_chol), did_reset
