"""Linear algebra shared by the covariance structures: Cholesky factors that never
raise, conversions between covariances and precision factors, variance floors."""

from __future__ import annotations

import numpy as np
from scipy import linalg

LOG_2PI = float(np.log(2.0 * np.pi))


#: From this dimension on, Cholesky factors are made in place (scipy's LAPACK call on
#: one copy) and precision factors come from triangular inverses (d^3 / 3 flops each)
#: rather than one batched general inverse (about 2 d^3): measured on 2 cores, 0.41 s
#: instead of 1.70 s for three 1500 x 1500 factors, 2.6 ms instead of 32 ms at
#: d = 128; a fit of 50 x 5000 rows, K = 1, full, went from 29 s to 15 s and to
#: scikit-learn's memory. Below, one batched call has less overhead than a loop.
TRIANGULAR_MIN_D = 64


def collapse_tol(dtype):
    """Relative variance below which a component counts as collapsed.

    ``sqrt(eps)``: below it, a variance computed from centred moments carries no
    significant digits, so the component has collapsed onto a point or a subspace.
    """
    return float(np.sqrt(np.finfo(dtype).eps))


def _jitter_scale(mat):
    """A scale for diagonal jitter: mean diagonal of ``mat``, or 1 when zero."""
    scale = float(np.abs(np.trace(mat))) / mat.shape[-1]
    return scale if np.isfinite(scale) and scale > 0 else 1.0


def _jittered_cholesky(mat):
    """Lower Cholesky factor of ``mat`` plus the smallest diagonal jitter (relative
    1e-12, 1e-11, ...) that makes it positive definite."""
    eye = np.eye(mat.shape[-1], dtype=mat.dtype)
    mat = np.where(np.isfinite(mat), mat, 0.0)
    mat = 0.5 * (mat + mat.T)
    scale = _jitter_scale(mat)
    jitter = scale * max(1e-12, float(np.finfo(mat.dtype).eps) * 10)
    while jitter <= 1e6 * scale:
        try:
            return np.linalg.cholesky(mat + jitter * eye)
        except np.linalg.LinAlgError:
            jitter *= 10.0
    return np.sqrt(scale) * eye  # pragma: no cover - only for pathological input


def safe_cholesky(cov):
    """Lower Cholesky factors of a stack of covariances, never raising.

    Parameters
    ----------
    cov : ndarray of shape (..., d, d)

    Returns
    -------
    chol : ndarray of shape (..., d, d)
        Lower-triangular factors. A matrix that is not numerically positive definite
        gets the smallest diagonal jitter (relative 1e-12, 1e-11, ...) that makes it so.
    n_fixed : int
        How many matrices needed jitter.

    Examples
    --------
    >>> chol, n_fixed = safe_cholesky(np.zeros((2, 2)))
    >>> n_fixed, bool(np.all(np.isfinite(chol)))
    (1, True)
    """
    if cov.shape[-1] >= TRIANGULAR_MIN_D:
        return _cholesky_in_place(cov)
    try:
        return np.linalg.cholesky(cov), 0
    except np.linalg.LinAlgError:
        pass
    flat = cov.reshape(-1, cov.shape[-2], cov.shape[-1])
    out = np.empty_like(flat)
    n_fixed = 0
    for i, mat in enumerate(flat):
        try:
            out[i] = np.linalg.cholesky(mat)
        except np.linalg.LinAlgError:
            n_fixed += 1
            out[i] = _jittered_cholesky(mat)
    return out.reshape(cov.shape), n_fixed



def _cholesky_in_place(cov):
    """:func:`safe_cholesky` for large matrices: each factored in one copy of itself
    (``np.linalg.cholesky`` makes a working copy besides its result: on wide data
    one more matrix of hundreds of MB)."""
    d = cov.shape[-1]
    out = np.array(cov, order="C").reshape(-1, d, d)
    n_fixed = 0
    for i in range(out.shape[0]):
        try:
            # out[i].T is the (symmetric) matrix in Fortran order: its upper factor,
            # written in place, is the lower factor of out[i]
            linalg.cholesky(out[i].T, lower=False, overwrite_a=True, check_finite=False)
        except (np.linalg.LinAlgError, ValueError):
            n_fixed += 1
            out[i] = _jittered_cholesky(cov.reshape(-1, d, d)[i])
    return out.reshape(cov.shape), n_fixed


def prec_chol_from_cov_chol(chol, overwrite=False):
    """Upper-triangular ``P = L^{-T}`` from lower ``L`` (stacked or single).

    ``overwrite=True`` lets large factors be inverted in the memory of ``chol``
    (LAPACK's triangular inverse of ``L^T``, which is ``P``): on wide data each
    factor is hundreds of MB, and fewer of them at once is what keeps a fit within
    scikit-learn's memory.
    """
    d = chol.shape[-1]
    if d < TRIANGULAR_MIN_D:
        return np.triu(np.swapaxes(np.linalg.inv(chol), -1, -2))
    flat = chol.reshape(-1, d, d)
    if not overwrite or not flat.flags.c_contiguous:
        flat = flat.copy()
    trtri, = linalg.get_lapack_funcs(("trtri",), (flat,))
    for i in range(flat.shape[0]):
        # flat[i].T is L^T in Fortran order: inverted in place it holds P
        _, info = trtri(flat[i].T, lower=0, overwrite_c=1)
        if info != 0:  # pragma: no cover - only a singular factor, never from safe_cholesky
            raise np.linalg.LinAlgError(f"singular Cholesky factor (LAPACK info {info})")
    # P as a transposed view of the inverted buffer: no copy of a large factor
    return np.swapaxes(flat, -1, -2).reshape(chol.shape)


def cov_from_prec_chol(prec_chol):
    """Covariance ``(P P^T)^{-1} = P^{-T} P^{-1}`` from triangular ``P`` (stacked or single)."""
    inv = np.linalg.inv(prec_chol)
    return np.matmul(np.swapaxes(inv, -1, -2), inv)


def floor_variances(cov):
    """Replace non-positive or non-finite variances by a tiny positive floor."""
    cov = np.where(np.isfinite(cov), cov, 0.0)
    pos = cov[cov > 0]
    floor = (pos.min() if pos.size else 1.0) * 1e-12
    return np.maximum(cov, floor)


def is_symmetric(mats):
    """Whether every matrix of a stack (..., d, d) is symmetric (to rounding)."""
    return bool(np.allclose(mats, np.swapaxes(mats, -1, -2)))


def is_positive_definite(mats):
    """Whether every matrix of a stack (..., d, d) is positive definite."""
    stack = mats.reshape((-1,) + mats.shape[-2:])
    return bool(stack.size == 0 or (np.linalg.eigvalsh(stack)[:, 0] > 0).all())
