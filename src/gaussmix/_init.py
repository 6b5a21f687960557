"""Starting parameters for EM.

Methods (``init_params``):

``"auto"`` (default)
    Several cheap candidate starts (mclust's model-based hierarchical agglomeration
    on SVD-scaled data, and k-means++ / k-means seeds), each improved by a short EM
    on the initialisation sample; the best one is returned ("emEM", Biernacki, Celeux
    & Govaert 2003).
``"hierarchical"``
    mclust's model-based hierarchical agglomeration alone (deterministic).
``"kmeans"``
    k-means++ seeding, then Lloyd's iterations (hard-assignment EM).
``"k-means++"``
    k-means++ seeds, rows assigned to the nearest seed.
``"random"``
    Random responsibilities.
``"random_from_data"``
    Random rows as means, rows assigned to the nearest one.

Initialisation runs on an *initialisation sample*: the distinct rows of the data
(at most ``max_rows`` of them, drawn at random beyond that) with their summed
weights. Integer sample weights and duplicated rows therefore give the same start.
"""

from __future__ import annotations

import numpy as np

from ._covariance import collapse_tol, get_model
from ._em import MixtureParams, m_step, run_em, stats_from_resp
from ._kmeans import kmeans_plusplus, lloyd, sq_distances

INIT_METHODS = ("auto", "hierarchical", "kmeans", "k-means++", "random", "random_from_data")

#: Rows of the initialisation sample; above it a random subset is used.
MAX_INIT_ROWS = 4000


def init_sample(X, w, rng, max_rows=MAX_INIT_ROWS):
    """Distinct rows of ``X`` with summed weights (a random subset if many).

    Returns
    -------
    Xi : ndarray of shape (m, d)
        Distinct rows in lexicographic order.
    wi : ndarray of shape (m,)
        Their total weights (row counts when ``w`` is None).
    """
    n = X.shape[0]
    if w is not None:
        pos = np.flatnonzero(w > 0)
        Xp, wp = X[pos], w[pos]
    else:
        Xp, wp = X, np.ones(n, dtype=X.dtype)
    if Xp.shape[0] > max_rows:
        idx = rng.choice(Xp.shape[0], size=max_rows, replace=False, p=wp / wp.sum())
        Xp, wp = Xp[np.sort(idx)], np.ones(max_rows, dtype=X.dtype)
    Xi, inverse = np.unique(Xp, axis=0, return_inverse=True)
    wi = np.bincount(inverse.ravel(), weights=wp, minlength=Xi.shape[0]).astype(X.dtype)
    return Xi, wi


def one_hot(labels, n_components, dtype):
    """Responsibilities of shape (n, K) from hard labels."""
    resp = np.zeros((labels.shape[0], n_components), dtype=dtype)
    resp[np.arange(labels.shape[0]), labels] = 1.0
    return resp


def params_from_resp(X, w, resp, covariance_type, reg_covar, data_cov):
    """One M-step from responsibilities; degenerate components get a broad covariance.

    A component whose starting cluster is too small to have a covariance (a single
    row, or fewer rows than dimensions for ``full``) starts with the data's
    covariance, so EM can grow it instead of collapsing it.
    """
    model = get_model(covariance_type)
    wr = resp * w[:, None]
    nk = wr.sum(axis=0)
    ref = np.where(nk[:, None] > 0, (wr.T @ X) / np.maximum(nk, 1e-300)[:, None],
                   np.average(X, axis=0, weights=w))
    stats = stats_from_resp(X, w, resp, ref, model)
    weights, means, cov_raw, cov = m_step(stats, covariance_type, reg_covar)
    bad = model.collapsed(cov_raw, data_cov, collapse_tol(X.dtype))
    if bad is not None and bad.any():
        broad = data_cov + reg_covar * np.eye(X.shape[1], dtype=X.dtype)
        for k in np.flatnonzero(bad):
            model.set_component(cov, k, broad)
    if model.name == "tied" and not np.all(np.isfinite(cov)):  # pragma: no cover
        cov = data_cov + reg_covar * np.eye(X.shape[1], dtype=X.dtype)
    return MixtureParams.from_covariances(covariance_type, weights, means, cov)


def labels_for(method, Xi, wi, K, rng):
    """Hard labels (or soft responsibilities for ``"random"``) on the init sample."""
    if method == "random":
        resp = rng.uniform(size=(Xi.shape[0], K)).astype(Xi.dtype)
        return resp / resp.sum(axis=1, keepdims=True)
    if method == "random_from_data":
        m = min(K, Xi.shape[0])
        idx = rng.choice(Xi.shape[0], size=m, replace=False, p=wi / wi.sum())
        labels = np.argmin(sq_distances(Xi, Xi[idx]), axis=1)
        return one_hot(labels, K, Xi.dtype)
    centers, _ = kmeans_plusplus(Xi, wi, K, rng)
    if method == "kmeans":
        centers, labels = lloyd(Xi, wi, centers)
    else:  # "k-means++"
        labels = np.argmin(sq_distances(Xi, centers), axis=1)
    return one_hot(labels, K, Xi.dtype)


def hierarchical_labels(Xi, K, rng):
    """Rows used and their labels from mclust-style model-based agglomeration."""
    from ._hierarchical import hierarchical_partitions

    index, labels = hierarchical_partitions(Xi, K, random_state=rng)
    return index, labels[K - 1]


def start_params(method, X, w, Xi, wi, K, covariance_type, reg_covar, data_cov, rng):
    """Starting parameters by one named method (not ``"auto"``)."""
    if method == "hierarchical":
        index, lab = hierarchical_labels(Xi, K, rng)
        return params_from_resp(Xi[index], wi[index], one_hot(lab, K, X.dtype),
                                covariance_type, reg_covar, data_cov)
    resp = labels_for(method, Xi, wi, K, rng)
    return params_from_resp(Xi, wi, resp, covariance_type, reg_covar, data_cov)


def auto_start(X, w, Xi, wi, K, covariance_type, reg_covar, data_cov, rng, chunk, *,
               first=True, n_kmeans=2, short_iter=20, short_tol=1e-3):
    """emEM: candidate starts, a short EM from each on the init sample, keep the best.

    Returns
    -------
    params : MixtureParams
        The best candidate after its short EM.
    """
    candidates = []
    if first and K > 1:
        try:
            candidates.append(start_params("hierarchical", X, w, Xi, wi, K, covariance_type,
                                           reg_covar, data_cov, rng))
        except ImportError:  # pragma: no cover
            pass
    methods = ["kmeans"] * n_kmeans if K > 1 else ["kmeans"]
    for method in methods:
        candidates.append(start_params(method, X, w, Xi, wi, K, covariance_type,
                                       reg_covar, data_cov, rng))
    if len(candidates) == 1:
        return candidates[0]
    best, best_ll = None, -np.inf
    for params in candidates:
        res = run_em(Xi, wi, params, tol=short_tol, max_iter=short_iter, reg_covar=reg_covar,
                     data_cov=data_cov, chunk=chunk)
        if best is None or res.lower_bound > best_ll:
            best, best_ll = res.params, res.lower_bound
    return best
