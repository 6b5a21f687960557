"""The posterior predictive density of variational Bayes: a mixture of Student-t
distributions (Bishop, *Pattern Recognition and Machine Learning*, eq. 10.81).

Component ``k`` has weight ``E[pi_k]``, location ``m_k``, ``nu_k - d + 1`` degrees of
freedom and scale matrix ``(beta_k + 1) / (beta_k (nu_k - d + 1)) W_k^-1``, the inverse
of Bishop's ``L_k`` (eq. 10.82). With scikit-learn's parameterisation
``covariances_ = W_k^-1 / nu_k``, so ``W_k^-1 = nu_k covariances_[k]``; the diagonal
and spherical types use their covariances as full (diagonal) matrices.
"""

from __future__ import annotations

import numpy as np
from scipy.linalg import solve_triangular
from scipy.special import gammaln, logsumexp

#: Rows per block of the predictive density (bounds the (rows, K) temporaries).
PREDICTIVE_CHUNK = 4096


def student_t_components(posterior, prior, structure):
    """The Student-t mixture of the posterior predictive.

    Returns
    -------
    log_weights : ndarray of shape (K,)
        ``log E[pi_k]`` (the Dirichlet's ``alpha_k / sum alpha``, or the
        stick-breaking expectation, normalised over the truncated K components).
    dof : ndarray of shape (K,)
        ``nu_k - d + 1``.
    scale_chol : ndarray of shape (K, d, d)
        Lower Cholesky factors of the scale matrices.
    """
    means = posterior.means
    K, d = means.shape
    nu = np.broadcast_to(np.asarray(posterior.dof, dtype=np.float64), (K,))
    beta = np.asarray(posterior.mean_precision, dtype=np.float64)
    dof = nu - d + 1.0
    w_inv = structure.to_full(np.asarray(posterior.covariances, dtype=np.float64), K, d)
    w_inv = np.broadcast_to(w_inv, (K, d, d)) * nu[:, None, None]
    scale = ((beta + 1.0) / (beta * dof))[:, None, None] * w_inv
    with np.errstate(divide="ignore"):
        log_weights = np.log(posterior.weights(prior))
    return log_weights, dof, np.linalg.cholesky(scale)


def _log_t_block(X, means, log_weights, dof, scale_chol, const):
    """Weighted log Student-t densities (rows, K) of one block of rows."""
    out = np.empty((X.shape[0], means.shape[0]))
    d = means.shape[1]
    for k in range(means.shape[0]):
        z = solve_triangular(scale_chol[k], (X - means[k]).T, lower=True,
                             check_finite=False)
        maha = np.einsum("ij,ij->j", z, z)
        out[:, k] = const[k] - 0.5 * (dof[k] + d) * np.log1p(maha / dof[k])
    return out + log_weights


def log_predictive(X, posterior, prior, structure, chunk=PREDICTIVE_CHUNK):
    """``log p(x_n | data)`` (n,) for rows ``X`` (n, d): the log of the Student-t
    mixture of :func:`student_t_components`, block by block of ``chunk`` rows."""
    X = np.asarray(X, dtype=np.float64)
    means = np.asarray(posterior.means, dtype=np.float64)
    log_weights, dof, scale_chol = student_t_components(posterior, prior, structure)
    d = means.shape[1]
    log_det = np.log(np.diagonal(scale_chol, axis1=1, axis2=2)).sum(axis=1)
    const = (gammaln(0.5 * (dof + d)) - gammaln(0.5 * dof)
             - 0.5 * d * np.log(dof * np.pi) - log_det)
    out = np.empty(X.shape[0])
    for start in range(0, X.shape[0], chunk):
        block = _log_t_block(X[start:start + chunk], means, log_weights, dof, scale_chol,
                             const)
        out[start:start + chunk] = logsumexp(block, axis=1)
    return out
