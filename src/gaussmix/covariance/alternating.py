"""The M-steps of mclust's equal-shape, varying-volume models (VEI, VEE, VEV): volume
and shape alternated, each update the exact maximiser given the other.

With scatters ``W_k`` (about the component means) and masses ``n_k``, the M-step
minimises ``F = sum_k n_k d log(lambda_k) + tr(W_k C^-1) / lambda_k`` over volumes
``lambda_k`` and one shape ``C`` (determinant 1; diagonal for VEI, a general matrix
for VEE, and for VEV the common eigenvalues of ``C`` once each ``W_k``'s own
eigenvectors are its orientation). Given the volumes, ``C`` is ``sum_k W_k /
lambda_k`` scaled to determinant 1; given ``C``, ``lambda_k = tr(W_k C^-1) / (d
n_k)``. Both updates can only lower ``F`` (Celeux and Govaert 1995, section 3.2;
mclust's Fortran ``msvei``, ``msvee``, ``msvev``), so however many alternations run,
an M-step started from the current volumes never lowers the EM objective.

Iterations stop when ``F`` per unit of mass changes by less than :data:`INNER_TOL`
(units of the mean log-likelihood, far below EM's default ``tol=1e-5``; mclust stops
at a relative change of ``sqrt(eps)``), or after :data:`INNER_MAX_ITER`; started
from the previous M-step's volumes, one or two alternations are typical.
"""

from __future__ import annotations

import numpy as np

from .decomposition import RELATIVE_FLOOR, axis_variances, volume_shape

#: Change of the M-step objective per unit of mass (mean log-likelihood units) below
#: which the alternations stop.
INNER_TOL = 1e-10
#: At most this many alternations per M-step.
INNER_MAX_ITER = 200


def _objective(nk, volumes, d):
    """``F`` after the volume update (``tr(W_k C^-1) / lambda_k = d n_k``), up to the
    constant ``d n``; -inf where a volume is 0."""
    if (volumes > 0).all():  # no log(0): no error-state context needed (a few us)
        return float(d * (nk * np.log(volumes)).sum())
    with np.errstate(divide="ignore"):
        return float(d * (nk * np.log(volumes)).sum())


def _volumes(along, shape, nk, kept):
    """``lambda_k = tr(W_k C^-1) / (d n_k)`` from each component's scatter along the
    shape's axes (``along``, (K, d)), floored at 0: a component on a single row has
    no scatter, and rounding left its volume at -5e-16 (iris, VEE, G = 7), whose log
    warned.

    Where the shape is singular (``kept``, from :func:`_axes_with_variance`, not
    None), only the axes with variance count: along a floored axis ``along / shape``
    is rounding over ``eps``, which made the volumes noise (one Gaussian on 20 rows of
    200 columns: VEE's log-likelihood 965, wandering over 1000 iterations, where EEE's
    is 1035.6 in two).
    """
    if kept is None:
        return np.maximum((along / shape).sum(axis=1) / (shape.size * nk), 0.0)
    if not kept.any():  # no scatter at all: every volume 0
        return np.zeros(along.shape[0])
    scaled = along[:, kept] / shape[kept]
    return np.maximum(scaled.sum(axis=1) / (np.count_nonzero(kept) * nk), 0.0)


def _inverse(volumes):
    """``1 / lambda_k``, 0 where a volume is 0 (a component with no scatter adds
    nothing to the shape)."""
    safe = np.where(volumes > 0, volumes, 1.0)
    return np.where(volumes > 0, 1.0 / safe, 0.0)


def _axes_with_variance(pooled):
    """None when every pooled variance of the shape is above ``volume_shape``'s floor;
    else the mask of those that are. A zero means fewer rows than columns: the model
    is singular (mclust leaves it empty), and the alternations would only chase
    rounding in the floored axes (20 rows of 200 columns: VEE's M-step ran all 200
    of them, 0.7 s), so they stop after one."""
    floor = RELATIVE_FLOOR * pooled.max()
    return pooled > floor if pooled.min() <= floor else None


def _done(f, previous, n):
    return not np.isfinite(f) or abs(f - previous) <= INNER_TOL * n


def equal_shape_diagonal(omega, nk, volumes=None):
    """Volumes and one shape for variances along fixed axes (VEI: the coordinate
    axes; VEV: each component's eigenvectors).

    Parameters
    ----------
    omega : ndarray of shape (K, d)
        Each component's scatter along its axes (``diag(W_k)``, or the eigenvalues
        of ``W_k`` in decreasing order).
    nk : ndarray of shape (K,)
    volumes : ndarray of shape (K,), optional
        The current volumes to start from; default all 1 (as mclust).

    Returns
    -------
    volumes : ndarray of shape (K,)
    shape : ndarray of shape (d,)
        Product 1.
    """
    K, d = omega.shape
    volumes = np.ones(K) if volumes is None else np.asarray(volumes, dtype=np.float64)
    n = float(nk.sum())
    previous = np.inf
    for _ in range(INNER_MAX_ITER):
        pooled = (omega * _inverse(volumes)[:, None]).sum(axis=0)
        _, shape = volume_shape(pooled)
        kept = _axes_with_variance(pooled)
        volumes = _volumes(omega, shape, nk, kept)
        f = _objective(nk, volumes, d)
        if _done(f, previous, n) or kept is not None:
            break
        previous = f
    return volumes, shape


def equal_shape_matrix(W, nk, volumes=None):
    """Volumes and one shape-and-orientation matrix (VEE).

    Parameters
    ----------
    W : ndarray of shape (K, d, d)
        Scatter of each component about its mean.
    nk : ndarray of shape (K,)
    volumes : ndarray of shape (K,), optional
        The current volumes to start from; default all 1 (as mclust).

    Returns
    -------
    volumes : ndarray of shape (K,)
    shape : ndarray of shape (d,)
        Eigenvalues of ``C`` (product 1).
    orientation : ndarray of shape (d, d)
        Eigenvectors of ``C`` (columns).
    """
    K, d = W.shape[:2]
    volumes = np.ones(K) if volumes is None else np.asarray(volumes, dtype=np.float64)
    n = float(nk.sum())
    previous = np.inf
    for _ in range(INNER_MAX_ITER):
        values, vectors = np.linalg.eigh(np.einsum("k,kij->ij", _inverse(volumes), W))
        # C = U diag(shape) U^T with its eigenvalues floored, so that C^-1 exists
        _, shape = volume_shape(np.clip(values, 0.0, None))
        kept = _axes_with_variance(values)
        volumes = _volumes(axis_variances(W, vectors), shape, nk, kept)
        f = _objective(nk, volumes, d)
        if _done(f, previous, n) or kept is not None:
            break
        previous = f
    return volumes, shape, vectors
