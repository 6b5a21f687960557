"""mclust's ``hcUse = "SVD"`` transform of the data before agglomeration."""

from __future__ import annotations

import numpy as np

_EPS = np.finfo(np.float64).eps


def _svd(A):
    """Thin SVD that never raises ``LinAlgError`` (falls back to eigh / zeros)."""
    try:
        U, s, _ = np.linalg.svd(A, full_matrices=False)
        return U, s
    except np.linalg.LinAlgError:  # pragma: no cover - pathological input
        pass
    try:  # pragma: no cover
        import scipy.linalg

        U, s, _ = scipy.linalg.svd(A, full_matrices=False, lapack_driver="gesvd")
        return U, s
    except Exception:  # pragma: no cover
        pass
    try:  # pragma: no cover
        evals, V = np.linalg.eigh(A.T @ A)
        order = np.argsort(evals)[::-1]
        s = np.sqrt(np.clip(evals[order], 0.0, None))
        V = V[:, order]
        with np.errstate(divide="ignore", invalid="ignore"):
            U = np.where(s > 0, (A @ V) / np.where(s > 0, s, 1.0), 0.0)
        return U, s
    except Exception:  # pragma: no cover
        return np.zeros((A.shape[0], 0)), np.zeros(0)


def svd_transform(X):
    """mclust's ``hcUse = "SVD"`` transform of the data (guarded).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite data.

    Returns
    -------
    Z : ndarray of shape (n_samples, q)
        ``Z = Xs V D^{-1/2} = U D^{1/2}`` where ``Xs`` is ``X`` centred and divided
        by its column standard deviations (``n - 1`` denominator), constant columns
        dropped, and ``Xs = U D V'`` its thin SVD.  Directions whose singular value
        is numerically zero (``<= max(n, d) * eps * d_max``) are dropped, so
        ``q <= min(n - 1, number of non-constant columns)``; ``q`` may be 0.
    """
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    if n < 2 or X.shape[1] == 0:
        return np.zeros((n, 0))
    keep = np.ptp(X, axis=0) > 0  # R: constant columns give 0/0 = NaN and are dropped
    if not np.any(keep):
        return np.zeros((n, 0))
    Xk = X[:, keep]
    Xc = Xk - Xk.mean(axis=0)
    sd = np.sqrt(np.einsum("ij,ij->j", Xc, Xc) / (n - 1))
    ok = np.isfinite(sd) & (sd > 0)
    if not np.all(ok):
        Xc, sd = Xc[:, ok], sd[ok]
        if Xc.shape[1] == 0:
            return np.zeros((n, 0))
    Xs = Xc / sd
    U, s = _svd(Xs)
    if s.size == 0 or not np.all(np.isfinite(s)) or s[0] <= 0:
        return np.zeros((n, 0))
    tol = max(Xs.shape) * _EPS * s[0]
    good = s > tol
    return U[:, good] * np.sqrt(s[good])
