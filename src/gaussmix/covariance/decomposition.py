"""Volume, shape and orientation of covariance matrices (Celeux and Govaert 1995).

Every covariance of mclust's models is ``Sigma_k = lambda_k D_k A_k D_k^T``: the
volume ``lambda_k = det(Sigma_k)^(1/d)``, the orientation ``D_k`` (orthogonal: the
eigenvectors) and the shape ``A_k`` (diagonal, determinant 1: the eigenvalues over
the volume). These helpers split matrices into the three and put them together; the
structures of :mod:`gaussmix.covariance` use them for their M-steps, regularisation,
re-seeding and the fitted ``volumes_``, ``shapes_`` and ``orientations_``.

Reference: G. Celeux and G. Govaert (1995), Gaussian parsimonious clustering models,
Pattern Recognition 28(5), 781-793.
"""

from __future__ import annotations

import numpy as np

#: Below this fraction of a component's largest variance a variance counts as zero
#: when volumes and shapes are taken: the logarithm of an exact zero would turn the
#: whole shape into NaN, where a tiny floor keeps it finite and lets the collapse
#: test (relative ``sqrt(eps)``) see the component as degenerate.
RELATIVE_FLOOR = float(np.finfo(np.float64).eps)


def volume_shape(values):
    """Volumes and shapes of positive variances along given axes.

    Parameters
    ----------
    values : ndarray of shape (..., d)
        Variances (eigenvalues, or variances along the orientation's axes).

    Returns
    -------
    volumes : ndarray of shape (...)
        Geometric means, ``prod(values) ** (1 / d)``; 0 where every value is 0.
    shapes : ndarray of shape (..., d)
        ``values / volumes`` (product 1); ones where the volume is 0. Values below
        :data:`RELATIVE_FLOOR` times their row's largest are raised to it first.

    Examples
    --------
    >>> v, s = volume_shape(np.array([4.0, 1.0]))
    >>> float(v), s.tolist()
    (2.0, [2.0, 0.5])
    """
    values = np.asarray(values, dtype=np.float64)
    top = values.max(axis=-1, keepdims=True) if values.shape[-1] else values
    floored = np.maximum(values, top * RELATIVE_FLOOR)
    if values.shape[-1] and (floored > 0).all():
        # the usual case, without the zero-volume masks and the error-state context
        # (together two thirds of this function's time on small matrices: it runs
        # several times per M-step of mclust's models); the same values
        volumes = np.exp(np.log(floored).sum(axis=-1) / values.shape[-1])
        return volumes, floored / volumes[..., None]
    with np.errstate(divide="ignore"):
        volumes = np.exp(np.log(floored).mean(axis=-1))
    safe = np.where(volumes > 0, volumes, 1.0)[..., None]
    shapes = np.where(volumes[..., None] > 0, floored / safe, 1.0)
    return volumes, shapes


def geometric_mean(values, axis=0):
    """Geometric mean of non-negative values along ``axis`` (0 if any is 0).

    Examples
    --------
    >>> float(geometric_mean(np.array([1.0, 4.0])))
    2.0
    """
    values = np.asarray(values, dtype=np.float64)
    if (values > 0).all():  # no log(0): no error-state context needed (a few us)
        return np.exp(np.log(values).mean(axis=axis))
    with np.errstate(divide="ignore"):
        return np.exp(np.log(values).mean(axis=axis))


def canonical_signs(vectors):
    """Orientation columns with signs fixed: each column's entry of largest magnitude
    is positive (an eigenvector's sign is arbitrary; this makes it reproducible)."""
    vectors = np.array(vectors, dtype=np.float64)
    idx = np.abs(vectors).argmax(axis=-2)
    picked = np.take_along_axis(vectors, idx[..., None, :], axis=-2)
    vectors *= np.where(picked < 0, -1.0, 1.0)
    return vectors


def eigen_descending(mats):
    """Eigenvalues (decreasing) and eigenvectors (columns, canonical signs) of
    symmetric matrices (..., d, d)."""
    values, vectors = np.linalg.eigh(np.asarray(mats, dtype=np.float64))
    return values[..., ::-1], canonical_signs(vectors[..., ::-1])


def axis_variances(mats, orientations):
    """``diag(D_k^T M_k D_k)``: the variances of each matrix along its orientation's
    axes, shape (K, d); ``orientations`` is (d, d) shared or (K, d, d)."""
    mats = np.asarray(mats, dtype=np.float64)
    D = np.broadcast_to(orientations, mats.shape)
    # diag(D^T M D)_j = sum_i (M D)_ij D_ij: one batched product (BLAS), then a sum
    return (np.matmul(mats, D) * D).sum(axis=-2)


def shared_eigenvectors(mats):
    """Eigenvectors (columns, in no particular order or sign) common to the (K, d, d)
    matrices of a family that shares its orientation: those of ``sum_k t_k M_k /
    tr(M_k)`` with unequal weights ``t_k`` (see :func:`common_orientation`, which
    orders them and fixes their signs; where neither matters, as in an M-step's
    start or a regularisation, this is a third of its cost)."""
    K = mats.shape[0]
    # the golden ratio's multiples modulo 1 are as far from coinciding as weights get
    t = 1.0 + np.mod(np.arange(1, K + 1) * 0.6180339887498949, 1.0)
    traces = np.trace(mats, axis1=1, axis2=2)
    scale = np.where(traces > 0, traces, 1.0)
    return np.linalg.eigh(np.einsum("k,kij->ij", t / scale, mats))[1]


def common_orientation(mats):
    """One orthogonal matrix whose columns are eigenvectors of every matrix of a
    family that shares its orientation (matrices that commute).

    The eigenvectors of a combination ``sum_k t_k M_k / tr(M_k)`` with unequal
    weights ``t_k``: for matrices sharing their eigenvectors that combination has
    them too, and its eigenvalues coincide only where every matrix's do (then any
    basis of that eigenspace serves all of them). Columns are ordered by decreasing
    geometric mean of the matrices' shapes along them, signs canonical.

    Parameters
    ----------
    mats : ndarray of shape (K, d, d)

    Returns
    -------
    orientation : ndarray of shape (d, d)
    """
    mats = np.asarray(mats, dtype=np.float64)
    vectors = shared_eigenvectors(mats)
    _, shapes = volume_shape(np.clip(axis_variances(mats, vectors), 0.0, None))
    order = np.argsort(-np.log(shapes).mean(axis=0), kind="stable")
    return canonical_signs(vectors[:, order])


def compose(volumes, shapes, orientations):
    """Covariances ``lambda_k D_k diag(a_k) D_k^T`` (K, d, d) from volumes (K,),
    shapes (K, d) and orientations ((d, d) shared or (K, d, d)).

    Examples
    --------
    >>> compose(np.array([2.0]), np.array([[2.0, 0.5]]), np.eye(2))[0]
    array([[4., 0.],
           [0., 1.]])
    """
    volumes = np.asarray(volumes, dtype=np.float64)
    shapes = np.asarray(shapes, dtype=np.float64)
    D = np.broadcast_to(np.asarray(orientations, dtype=np.float64),
                        shapes.shape + shapes.shape[-1:])
    scaled = D * (volumes[:, None] * shapes)[:, None, :]
    out = np.matmul(scaled, np.swapaxes(D, -1, -2))
    return 0.5 * (out + np.swapaxes(out, -1, -2))
