"""Diagonal covariances: one variance per component and feature (mclust's VVI)."""

from __future__ import annotations

import numpy as np

from .base import CovarianceStructure
from .decomposition import volume_shape
from .kernels import DiagonalKernel
from .linalg import floor_variances
from .wishart import DiagWishart


def variances_collapsed(variances, n_components, scale, tol):
    """Boolean (K,): which rows of the (K, d) variances have one below ``tol`` times
    the data's variance of that column (columns the data do not vary in ignored)."""
    v = scale.variances
    top = v.max() if v.size else 0.0
    if not top > 0:
        return np.zeros(n_components, dtype=bool)
    keep = v > top * 1e-12
    return (variances[:, keep] / v[keep]).min(axis=1) < tol


class Diag(DiagWishart, CovarianceStructure):
    """Variances (K, d); precision factors ``1 / std`` (K, d)."""

    name = "diag"
    mclust_name = "VVI"
    kernel = DiagonalKernel()
    requirement = "positive"
    diagonal = True
    stores_variances = True
    description = ("Diagonal (mclust's VVI): diagonal, varying volume and shape; one "
                   "variance per component and column, no correlations.")

    def cov_shape(self, n_components, n_features):
        return (n_components, n_features)

    def n_cov_parameters(self, n_components, n_features):
        return n_components * n_features

    def to_full(self, cov, n_components, n_features):
        cov = np.asarray(cov)
        return cov[:, :, None] * np.eye(cov.shape[1], dtype=cov.dtype)[None]


    def precision_cholesky(self, cov):
        bad = ~(cov > 0)
        n_fixed = int(bad.reshape(cov.shape[0], -1).any(axis=1).sum()) if cov.ndim else 0
        if n_fixed:
            cov = floor_variances(cov)
        return 1.0 / np.sqrt(cov), n_fixed

    def covariance_from_precision_cholesky(self, prec_chol):
        return 1.0 / prec_chol**2

    def precisions(self, prec_chol):
        return prec_chol**2

    def covariance_from_precisions(self, prec):
        return 1.0 / prec

    def is_valid(self, mats, eps=None):
        return bool((np.asarray(mats) > 0).all())

    def raw_covariance(self, nk, s1, s2, start=None):
        m = s1 / nk[:, None]
        return s2 / nk[:, None] - m * m

    def decompose(self, cov, n_components, n_features):
        variances = np.asarray(cov)
        volumes, shapes = volume_shape(self._variances(variances, n_features))
        eye = np.broadcast_to(np.eye(n_features), (n_components, n_features, n_features))
        return tuple(np.asarray(a, dtype=variances.dtype) for a in (volumes, shapes, eye))

    def _variances(self, cov, n_features):
        """The variances (K, d) of every component (the diagonals)."""
        return cov

    def regularise(self, cov, reg_covar):
        return cov + reg_covar

    def collapsed(self, cov_raw, n_components, scale, tol):
        return variances_collapsed(cov_raw, n_components, scale, tol)

    def rows_needed(self, scale):
        return 2  # a variance needs two distinct values

    def set_component(self, cov, k, matrix):
        cov[k] = np.diag(matrix)

    def sample_component(self, rng, prec_chol, k, n, d):
        return rng.standard_normal((n, d)) / prec_chol[k]
