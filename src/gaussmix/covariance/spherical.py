"""Spherical covariances: one variance per component, the same in every direction
(mclust's VII)."""

from __future__ import annotations

import numpy as np

from .diagonal import Diag
from .kernels import IsotropicKernel
from .wishart import SphericalWishart


class Spherical(SphericalWishart, Diag):
    """Variances (K,); precision factors ``1 / std`` (K,)."""

    name = "spherical"
    mclust_name = "VII"
    kernel = IsotropicKernel()
    isotropic = True
    description = ("Spherical (mclust's VII): spherical, varying volume; one variance per "
                   "component, the same in every direction.")

    def cov_shape(self, n_components, n_features):
        return (n_components,)

    def n_cov_parameters(self, n_components, n_features):
        return n_components

    def to_full(self, cov, n_components, n_features):
        cov = np.asarray(cov)
        return cov[:, None, None] * np.eye(n_features, dtype=cov.dtype)[None]


    def raw_covariance(self, nk, s1, s2, start=None):
        m = s1 / nk[:, None]
        return (s2 / nk - (m * m).sum(axis=1)) / s1.shape[1]

    def _variances(self, cov, n_features):
        return np.repeat(np.asarray(cov)[:, None], n_features, axis=1)

    def collapsed(self, cov_raw, n_components, scale, tol):
        if not scale.mean_variance > 0:
            return self.no_collapse(n_components)
        return cov_raw / scale.mean_variance < tol

    def set_component(self, cov, k, matrix):
        cov[k] = np.trace(matrix) / matrix.shape[0]
