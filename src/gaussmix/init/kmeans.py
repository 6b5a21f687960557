"""k-means++ seeding and Lloyd's k-means, written as hard-assignment EM.

k-means is the Gaussian mixture with equal spherical covariances ``eps * I`` and
equal weights in the limit ``eps -> 0``: responsibilities become one-hot assignments
to the nearest mean, and the M-step is the mean of the assigned rows. Lloyd's
iterations here therefore use the same additive statistics as EM
(:func:`gaussmix.engine.stats_from_resp`).
"""

from __future__ import annotations

import numpy as np

from ..covariance import get_structure
from ..engine import stats_from_resp


def one_hot(labels, n_components, dtype):
    """Responsibilities of shape (n, K) from hard labels: k-means's assignments.

    Examples
    --------
    >>> one_hot(np.array([1, 0]), 3, np.float64)
    array([[0., 1., 0.],
           [1., 0., 0.]])
    """
    resp = np.zeros((labels.shape[0], n_components), dtype=dtype)
    resp[np.arange(labels.shape[0]), labels] = 1.0
    return resp


def sq_distances(X, centers):
    """Squared Euclidean distances, shape (n, K), computed on centred differences,
    one centre at a time (no (K, n, d) intermediate)."""
    out = np.empty((centers.shape[0], X.shape[0]), dtype=np.result_type(X, centers))
    for k, c in enumerate(centers):
        D = X - c
        np.einsum("nd,nd->n", D, D, out=out[k])
    return out.T


def kmeans_plusplus(X, w, n_clusters, rng, n_local_trials=None):
    """Greedy k-means++ seeding (Arthur & Vassilvitskii 2007), sample-weight aware.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    w : ndarray of shape (n,) or None
    n_clusters : int
    rng : numpy.random.Generator
    n_local_trials : int, optional
        Candidates tried per centre; default ``2 + int(log(n_clusters))``.

    Returns
    -------
    centers : ndarray of shape (n_clusters, d)
    indices : ndarray of shape (n_clusters,)
        Rows of ``X`` chosen as centres.
    """
    n = X.shape[0]
    w = np.ones(n, dtype=X.dtype) if w is None else w
    if n_local_trials is None:
        n_local_trials = 2 + int(np.log(n_clusters))
    indices = np.empty(n_clusters, dtype=np.intp)
    p = w / w.sum()
    indices[0] = rng.choice(n, p=p)
    closest = sq_distances(X, X[indices[:1]])[:, 0]
    pot = float(closest @ w)
    for c in range(1, n_clusters):
        if pot > 0:
            vals = rng.uniform(size=n_local_trials) * pot
            cand = np.searchsorted(np.cumsum(closest * w), vals)
            cand = np.minimum(cand, n - 1)
        else:  # every row already sits on a centre: take any positive-weight row
            cand = rng.choice(n, size=1, p=p)
        d_cand = np.minimum(closest[None, :], sq_distances(X, X[cand]).T)
        pots = d_cand @ w
        best = int(np.argmin(pots))
        indices[c] = cand[best]
        closest = d_cand[best]
        pot = float(pots[best])
    return X[indices].copy(), indices


def lloyd(X, w, centers, *, max_iter=100, tol=1e-4):
    """Lloyd's k-means iterations as hard-assignment EM on additive statistics.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    w : ndarray of shape (n,) or None
    centers : ndarray of shape (K, d)
        Starting centres.
    max_iter : int
    tol : float
        Stop when no assignment changes, or the centres move by less than ``tol``
        times the mean per-feature variance.

    Returns
    -------
    centers : ndarray of shape (K, d)
    labels : ndarray of shape (n,)
    """
    centers = centers.copy()
    K = centers.shape[0]
    # hard EM with equal spherical covariances: only the means are estimated
    structure = get_structure("spherical")
    scale = float(X.var(axis=0).mean()) or 1.0
    labels = None
    for _ in range(max_iter):
        new = np.argmin(sq_distances(X, centers), axis=1)
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        stats = stats_from_resp(X, w, one_hot(labels, K, X.dtype), centers, structure)
        filled = stats.nk > 0
        shift = np.zeros_like(centers)
        shift[filled] = stats.s1[filled] / stats.nk[filled, None]
        centers = centers + shift
        if float((shift**2).sum(axis=1).max()) <= tol * scale:
            labels = np.argmin(sq_distances(X, centers), axis=1)
            break
    else:
        labels = np.argmin(sq_distances(X, centers), axis=1)
    return centers, labels
