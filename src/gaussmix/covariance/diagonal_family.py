"""mclust's diagonal models beyond VVI (scikit-learn's ``"diag"``): EEI, VEI and EVI.

Each covariance is diagonal, ``Sigma_k = lambda_k A_k`` (the orientation is the
identity): EEI one diagonal matrix for all components, VEI one shape with a volume
per component, EVI one volume with a shape per component. Stored as (K, d, d)
matrices; densities come from the diagonal E-step kernel, whose statistics are each
component's scatter along the coordinates, ``w_k = diag(W_k)``.

M-steps (Celeux and Govaert 1995, section 3; mclust's ``mseei``, ``msvei``,
``msevi``): EEI ``Sigma = sum_k diag(W_k) / n``; EVI ``A_k = diag(W_k) /
det(diag(W_k))^(1/d)`` and ``lambda = sum_k det(diag(W_k))^(1/d) / n``, both in
closed form; VEI alternates volumes and the shape
(:func:`~gaussmix.covariance.alternating.equal_shape_diagonal`).
"""

from __future__ import annotations

import numpy as np

from .alternating import equal_shape_diagonal
from .decomposition import volume_shape
from .diagonal import variances_collapsed
from .kernels import DiagonalKernel
from .linalg import floor_variances
from .stacked import Stacked


def embed(variances):
    """Diagonal matrices (..., d, d) with the given variances (..., d)."""
    variances = np.asarray(variances)
    d = variances.shape[-1]
    out = np.zeros(variances.shape + (d,), dtype=variances.dtype)
    idx = np.arange(d)
    out[..., idx, idx] = variances
    return out


def diagonals(mats):
    """The diagonals (..., d) of matrices (..., d, d), as a new array."""
    return np.diagonal(np.asarray(mats), axis1=-2, axis2=-1).copy()


class DiagonalFamily(Stacked):
    """Diagonal covariances stored as (K, d, d) matrices; conversions work on their
    diagonals exactly (no matrix inverse or factorisation)."""

    kernel = DiagonalKernel()
    diagonal = True

    def to_full(self, cov, n_components, n_features):
        # the variances are the columns' sums: one non-zero per column of a diagonal
        # matrix, which holds also for matrices cut to some of their columns
        # (gaussmix.density cuts a diagonal structure's covariances that way)
        return embed(np.asarray(cov).sum(axis=-2))

    def precision_cholesky(self, cov):
        v = diagonals(cov)
        bad = ~(v > 0)
        n_fixed = int(bad.any(axis=1).sum())
        if n_fixed:
            v = floor_variances(v)
        return embed(1.0 / np.sqrt(v)), n_fixed

    def covariance_from_precision_cholesky(self, prec_chol):
        return embed(1.0 / diagonals(prec_chol) ** 2)

    def precisions(self, prec_chol):
        return embed(diagonals(prec_chol) ** 2)

    def covariance_from_precisions(self, prec):
        return embed(1.0 / diagonals(prec))

    def kernel_precision_cholesky(self, prec_chol):
        return diagonals(prec_chol)

    def sample_component(self, rng, prec_chol, k, n, d):
        return rng.standard_normal((n, d)) / np.diagonal(prec_chol[k])

    def _parts(self, cov):
        volumes, shapes = volume_shape(diagonals(cov))
        return volumes, shapes, np.eye(cov.shape[-1])

    def _axes(self, cov):
        return diagonals(cov).clip(0.0), np.eye(cov.shape[-1])

    def scatter(self, nk, s1, s2):
        """``diag(W_k)`` (K, d) from the diagonal kernel's statistics."""
        return s2 - s1 * s1 / nk[:, None]

    def raw_covariance(self, nk, s1, s2, start=None):
        return embed(self.fit_variances(self.scatter(nk, s1, s2), nk, start))

    def fit_variances(self, w, nk, start=None):
        """The model's variances (K, d) given each component's scatter along the
        coordinates ``w`` (K, d) and masses ``nk``."""
        raise NotImplementedError

    def collapsed(self, cov_raw, n_components, scale, tol):
        if self.shared:
            return self.no_collapse(n_components)
        return variances_collapsed(diagonals(cov_raw), n_components, scale, tol)


class EEI(DiagonalFamily):
    """One diagonal covariance for all components: ``Sigma_k = lambda A``."""

    letters = "EEI"
    words = "diagonal, equal volume and shape"
    prior_counted_once = True
    shared = True

    def fit_variances(self, w, nk, start=None):
        return np.broadcast_to(w.sum(axis=0) / nk.sum(), w.shape).copy()


class VEI(DiagonalFamily):
    """``Sigma_k = lambda_k A``: one diagonal shape, a volume per component."""

    letters = "VEI"
    words = "diagonal, varying volume, equal shape"

    def prior_counts(self, prior, n_components):
        """mclust's EM with a prior for VEI (Fortran ``meveip``) divides each volume's
        scatter ``tr(B_k A^-1)`` by ``d n_k + nu_P + 2 (+ 1 with shrinkage)``: an
        inverse gamma on the volume alone, ``(nu_P + 2 + 1) / d`` in units of
        ``log|Sigma_k|``."""
        if n_components == 1:  # mclust's mvnX* fit
            return super().prior_counts(prior, n_components)
        extra = prior.dof + 2.0 + (1.0 if prior.shrinkage > 0 else 0.0)
        return np.full(n_components, extra / prior.n_features)

    def m_step_start(self, cov):
        return cov

    def fit_variances(self, w, nk, start=None):
        volumes = None if start is None else volume_shape(diagonals(start))[0]
        volumes, shape = equal_shape_diagonal(w, nk, volumes)
        return volumes[:, None] * shape


class EVI(DiagonalFamily):
    """``Sigma_k = lambda A_k``: one volume, a diagonal shape per component."""

    letters = "EVI"
    words = "diagonal, equal volume, varying shape"
    prior_counted_once = True

    def fit_variances(self, w, nk, start=None):
        volumes, shapes = volume_shape(w)
        return volumes.sum() / nk.sum() * shapes
