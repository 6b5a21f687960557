"""mclust's ellipsoidal models beyond EEE and VVV (scikit-learn's ``"tied"`` and
``"full"``): VEE, EVE, VVE, EEV, VEV and EVV.

``Sigma_k = lambda_k D_k A_k D_k^T`` with some of volume, shape and orientation
shared. Stored as (K, d, d) matrices; every component's matrix may differ, so
densities come from the full E-step kernel, whose statistics are each component's
scatter ``W_k`` about its mean. With ``W_k = L_k Omega_k L_k^T`` (eigenvalues
decreasing), the M-steps are (Celeux and Govaert 1995, section 3; Browne and
McNicholas 2014; mclust's ``msvee``, ``mseve``, ``msvve``, ``mseev``, ``msvev``,
``msevv``):

====  =======================================================  ====================
EEV   ``D_k = L_k``, ``lambda A = sum_k Omega_k / n``          closed form
EVV   ``lambda = sum_k det(W_k)^(1/d) / n``, ``D_k A_k`` of W_k  closed form
VEV   ``D_k = L_k``, volumes and shape alternated              iterative
VEE   volumes and ``C = D A D^T`` alternated                    iterative
EVE   orientation by MM, shapes and volume in closed form      MM
VVE   orientation by MM, ``lambda_k A_k`` in closed form        MM
====  =======================================================  ====================

The iterative ones start from the current covariances (:meth:`m_step_start`), so
each M-step raises the EM objective however few iterations it runs; see
:mod:`gaussmix.covariance.alternating` and :mod:`gaussmix.covariance.orientation_mm`
for their stopping rules.
"""

from __future__ import annotations

import numpy as np

from . import orientation_mm
from .alternating import equal_shape_diagonal, equal_shape_matrix
from .decomposition import (
    axis_variances,
    common_orientation,
    compose,
    eigen_descending,
    shared_eigenvectors,
    volume_shape,
)
from .stacked import Stacked


def _volumes(cov):
    """``det(Sigma_k)^(1/d)`` (K,) of the current covariances: an iterative M-step's
    start."""
    return volume_shape(np.linalg.eigvalsh(np.asarray(cov, dtype=np.float64)).clip(0.0))[0]


class Ellipsoidal(Stacked):
    """General (K, d, d) covariances under the model's letters, full kernel."""

    def _parts(self, cov):
        if self.letters[2] == "E":
            D = common_orientation(cov)
            volumes, shapes = volume_shape(axis_variances(cov, D).clip(0.0))
            return volumes, shapes, D
        values, vectors = eigen_descending(cov)
        volumes, shapes = volume_shape(values.clip(0.0))
        return volumes, shapes, vectors

    def _axes(self, cov):
        # measured on Old Faithful (K = 3): VEE's regularisation 131 us -> ...
        if self.letters[2] == "E":
            D = shared_eigenvectors(cov)
            return axis_variances(cov, D).clip(0.0), D
        values, vectors = np.linalg.eigh(cov)
        return values.clip(0.0), vectors


class EEV(Ellipsoidal):
    """``Sigma_k = lambda D_k A D_k^T``: one volume and shape, own orientations."""

    letters = "EEV"
    words = "ellipsoidal, equal volume and shape"
    prior_counted_once = True

    def fit_scatter(self, W, nk, start=None):
        values, vectors = eigen_descending(W)
        pooled = values.clip(0.0).sum(axis=0) / nk.sum()
        return compose(np.ones(W.shape[0]), np.broadcast_to(pooled, values.shape), vectors)


class EVV(Ellipsoidal):
    """``Sigma_k = lambda D_k A_k D_k^T``: one volume, own shapes and orientations."""

    letters = "EVV"
    words = "ellipsoidal, equal volume"

    def fit_scatter(self, W, nk, start=None):
        values, vectors = eigen_descending(W)
        volumes, shapes = volume_shape(values.clip(0.0))
        return compose(np.full(W.shape[0], volumes.sum() / nk.sum()), shapes, vectors)


class VEV(Ellipsoidal):
    """``Sigma_k = lambda_k D_k A D_k^T``: one shape, own volumes and orientations."""

    letters = "VEV"
    words = "ellipsoidal, equal shape"

    def prior_counts(self, prior, n_components):
        """None: mclust's EM with a prior for VEV (Fortran ``mevevp``) adds the prior's
        scale and the means' pseudo-scatter to each component's scatter but divides
        the volumes by ``d n_k`` alone, with no degrees of freedom."""
        if n_components == 1:  # mclust's mvnX* fit
            return super().prior_counts(prior, n_components)
        return np.zeros(n_components)

    def m_step_start(self, cov):
        return cov

    def fit_scatter(self, W, nk, start=None):
        values, vectors = eigen_descending(W)
        volumes = None if start is None else _volumes(start)
        volumes, shape = equal_shape_diagonal(values.clip(0.0), nk, volumes)
        return compose(volumes, np.broadcast_to(shape, values.shape), vectors)


class VEE(Ellipsoidal):
    """``Sigma_k = lambda_k D A D^T``: one shape and orientation, own volumes."""

    letters = "VEE"
    words = "ellipsoidal, equal shape and orientation"

    def m_step_start(self, cov):
        return cov

    def fit_scatter(self, W, nk, start=None):
        volumes = None if start is None else _volumes(start)
        volumes, shape, D = equal_shape_matrix(W, nk, volumes)
        return compose(volumes, np.broadcast_to(shape, (W.shape[0], shape.size)), D)


class EVE(Ellipsoidal):
    """``Sigma_k = lambda D A_k D^T``: one volume and orientation, own shapes."""

    letters = "EVE"
    words = "ellipsoidal, equal volume and orientation"

    def m_step_start(self, cov):
        return cov

    def fit_scatter(self, W, nk, start=None):
        volume, shapes, D = orientation_mm.equal_volume(W, nk, start)
        return compose(np.full(W.shape[0], volume), shapes, D)


class VVE(Ellipsoidal):
    """``Sigma_k = lambda_k D A_k D^T``: one orientation, own volumes and shapes."""

    letters = "VVE"
    words = "ellipsoidal, equal orientation"

    def m_step_start(self, cov):
        return cov

    def fit_scatter(self, W, nk, start=None):
        variances, D = orientation_mm.varying_volume(W, nk, start)
        return compose(np.ones(W.shape[0]), variances, D)
