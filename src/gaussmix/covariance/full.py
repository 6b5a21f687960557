"""Full covariances: one general covariance matrix per component (mclust's VVV)."""

from __future__ import annotations

import numpy as np
from scipy import linalg

from .base import CovarianceStructure
from .kernels import FullKernel
from .wishart import FullWishart
from .linalg import (
    cov_from_prec_chol,
    is_positive_definite,
    is_symmetric,
    prec_chol_from_cov_chol,
    safe_cholesky,
)


#: Values per block of the rank-one updates of :meth:`Full.raw_covariance`.
_BLOCK_VALUES = 2**20


def matrices_collapsed(cov_raw, n_components, scale, tol):
    """Boolean (K,): which of the (K, d, d) matrices have, in the data's whitened
    coordinates (``scale``), an eigenvalue below ``tol``."""
    W = scale.whitening
    if W.shape[1] == 0:
        return np.zeros(n_components, dtype=bool)
    M = np.matmul(np.matmul(W.T[None], cov_raw), W[None])
    # smallest eigenvalue below tol <=> M - tol I has no Cholesky factor; one
    # batched factorisation is several times cheaper than eigenvalues
    M[:, np.arange(M.shape[1]), np.arange(M.shape[1])] -= tol
    try:
        np.linalg.cholesky(M)
        return np.zeros(n_components, dtype=bool)
    except np.linalg.LinAlgError:
        return np.linalg.eigvalsh(M)[:, 0] < 0


class MatrixConversions:
    """Conversions of structures stored as one (K, d, d) matrix per component
    (:class:`Full` and mclust's other ellipsoidal models): upper triangular
    precision factors, ``prec = P P^T``."""

    def precision_cholesky(self, cov):
        chol, n_fixed = safe_cholesky(np.asarray(cov))
        return prec_chol_from_cov_chol(chol, overwrite=True), n_fixed

    def covariance_from_precision_cholesky(self, prec_chol):
        return cov_from_prec_chol(prec_chol)

    def precisions(self, prec_chol):
        return np.matmul(prec_chol, np.swapaxes(prec_chol, -1, -2))

    def covariance_from_precisions(self, prec):
        cov = np.linalg.inv(prec)
        return 0.5 * (cov + np.swapaxes(cov, -1, -2))


class Full(MatrixConversions, FullWishart, CovarianceStructure):
    """Covariances (K, d, d); precision factors upper triangular, ``prec = P P^T``."""

    name = "full"
    mclust_name = "VVV"
    kernel = FullKernel()
    requirement = "symmetric, positive-definite"
    description = ("Full (mclust's VVV): ellipsoidal, varying volume, shape and orientation; "
                   "one general covariance matrix per component.")

    def cov_shape(self, n_components, n_features):
        return (n_components, n_features, n_features)

    def n_cov_parameters(self, n_components, n_features):
        return n_components * n_features * (n_features + 1) // 2

    def to_full(self, cov, n_components, n_features):
        return np.array(cov)


    def is_valid(self, mats, eps=None):
        return is_symmetric(mats) and is_positive_definite(mats)

    def raw_covariance(self, nk, s1, s2, start=None):
        m = s1 / nk[:, None]
        cov = s2 / nk[:, None, None]
        # cov -= m m^T, a block of rows at a time: the outer products as one array
        # would be as large as the covariances (hundreds of MB on wide data)
        step = max(1, _BLOCK_VALUES // max(1, m.size))
        for start in range(0, m.shape[1], step):
            cov[:, start:start + step] -= m[:, start:start + step, None] * m[:, None, :]
        return cov

    def regularise(self, cov, reg_covar):
        out = cov.copy()
        idx = np.arange(cov.shape[-1])
        out[..., idx, idx] += reg_covar
        return out

    def collapsed(self, cov_raw, n_components, scale, tol):
        return matrices_collapsed(cov_raw, n_components, scale, tol)

    def rows_needed(self, scale):
        return scale.rank + 1

    def set_component(self, cov, k, matrix):
        cov[k] = matrix

    def sample_component(self, rng, prec_chol, k, n, d):
        z = rng.standard_normal((n, d))
        # x - mu = P^{-T} z has covariance P^{-T} P^{-1} = Sigma
        return linalg.solve_triangular(prec_chol[k].T, z.T, lower=True, check_finite=False).T
