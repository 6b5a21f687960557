"""mclust's spherical model beyond VII (scikit-learn's ``"spherical"``): EII, one
variance for all components and directions, ``Sigma_k = lambda I``.

Stored as (K, d, d) matrices; densities come from the isotropic E-step kernel, whose
statistic is each component's summed squared distance from its mean, ``tr(W_k)``.
M-step in closed form: ``lambda = sum_k tr(W_k) / (n d)`` (Celeux and Govaert 1995;
mclust's ``mseii``).
"""

from __future__ import annotations

import numpy as np

from .diagonal_family import DiagonalFamily, embed
from .kernels import IsotropicKernel


class EII(DiagonalFamily):
    """Every component ``lambda I``: equal spheres."""

    letters = "EII"
    words = "spherical, equal volume"
    kernel = IsotropicKernel()
    isotropic = True
    shared = True

    def to_full(self, cov, n_components, n_features):
        # the variance is any diagonal entry; read from the first, so that the
        # matrices of other columns (gaussmix.density leaves a spherical
        # structure's covariances uncut) give the same variance
        v = np.asarray(cov)[..., 0, 0]
        return embed(np.repeat(v[:, None], n_features, axis=1))

    def kernel_precision_cholesky(self, prec_chol):
        return np.ascontiguousarray(np.asarray(prec_chol)[:, 0, 0])

    def _parts(self, cov):
        d = cov.shape[-1]
        volumes = np.trace(cov, axis1=-2, axis2=-1) / d
        return volumes, np.ones(cov.shape[:-1]), np.eye(d)

    def prior_scale(self, prior, n_features, n_components):
        """No scale term for several components: mclust's EM with a prior for EII
        (Fortran ``meeiip``) divides the pooled scatter and the means'
        pseudo-scatter by ``nu_P + (n + G) d + 2`` without adding the prior's scale
        (the paper's table 2 adds it); gaussmix follows ``meeiip``, whose values
        mclust's tables hold. One component (mclust's ``mvnXII``) has it."""
        if n_components == 1:
            return super().prior_scale(prior, n_features, n_components)
        return np.zeros((n_features, n_features))

    def raw_covariance(self, nk, s1, s2, start=None):
        K, d = s1.shape
        total = (s2 - (s1 * s1).sum(axis=1) / nk).sum()
        return embed(np.full((K, d), total / (nk.sum() * d)))
