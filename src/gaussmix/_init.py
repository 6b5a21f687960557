"""Starting parameters for EM.

Methods (``init_params``):

``"auto"`` (default)
    mclust's start (model-based hierarchical agglomeration on SVD-scaled data,
    Fraley 1998, Scrucca & Raftery 2015) and a k-means start; EM runs from each and
    the fit with the higher likelihood is kept.
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

k-means and the random methods run on an *initialisation sample*: the distinct rows
of the data (at most ``MAX_INIT_ROWS`` of them, drawn at random beyond that) with
their summed weights, so integer sample weights and duplicated rows give the same
start. The agglomeration runs on the rows in their own order, integer weights
expanded into copies (as mclust, which agglomerates duplicates too), at most
``MAX_HC_ROWS`` of them (fewer on large data, see ``hc_max_rows``).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import numpy as np

from ._covariance import collapse_tol, get_model
from ._em import MixtureParams, m_step, stats_from_resp
from ._kmeans import kmeans_plusplus, lloyd, sq_distances

INIT_METHODS = ("auto", "hierarchical", "kmeans", "k-means++", "random", "random_from_data")

#: Rows of the initialisation sample; above it a random subset is used.
MAX_INIT_ROWS = 4000
#: Rows the hierarchical agglomeration runs on at most (mclust's "subset" option).
#: Its time grows with the square of the rows: on 2 cores 0.3-0.4 s for 2000 rows of
#: d <= 10, 2.6 s for d = 50.
MAX_HC_ROWS = 2000
#: On data of more than ``MAX_INIT_ROWS`` rows the agglomeration's start only races a
#: k-means start on the initialisation sample; there it runs on fewer rows, so that
#: its memory (about ``8 (1.7 m^2 + 4 m d^2)`` bytes for m rows) stays under a quarter
#: of the data's size.
MAX_HC_ROWS_LARGE = 1000
MIN_HC_ROWS = 100
#: Partitions kept per cached agglomeration (1..HC_LEVELS clusters, or K if larger).
HC_LEVELS = 16


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
        Xp, wp = X, None  # unit weights, made only for the rows kept
    if Xp.shape[0] > max_rows:
        p = None if wp is None else wp / wp.sum()
        idx = rng.choice(Xp.shape[0], size=max_rows, replace=False, p=p)
        Xp, wp = Xp[np.sort(idx)], None
    if wp is None:
        wp = np.ones(Xp.shape[0], dtype=X.dtype)
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
    tiny = np.finfo(X.dtype).tiny
    ref = np.where(nk[:, None] > 0, (wr.T @ X) / np.maximum(nk, tiny)[:, None],
                   np.average(X, axis=0, weights=w))
    stats = stats_from_resp(X, w, resp, ref, model)
    weights, means, cov_raw, cov = m_step(stats, covariance_type, reg_covar)
    bad = model.collapsed(cov_raw, data_cov, collapse_tol(X.dtype))
    if bad is not None and bad.any():
        broad = data_cov + reg_covar * np.eye(X.shape[1], dtype=X.dtype)
        for k in np.flatnonzero(bad):
            model.set_component(cov, k, broad)
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


def hc_max_rows(X):
    """How many rows the agglomeration may use on ``X`` (see ``MAX_HC_ROWS_LARGE``)."""
    n, d = X.shape
    if n <= MAX_INIT_ROWS:
        return MAX_HC_ROWS
    budget = X.nbytes / 4
    m = MAX_HC_ROWS_LARGE
    while m > MIN_HC_ROWS and 8 * (1.7 * m * m + 4 * m * d * d) > budget:
        m = int(m * 0.9)
    return max(m, MIN_HC_ROWS)


def hc_rows(X, w, rng, max_rows=MAX_HC_ROWS):
    """Rows for the agglomeration, in the data's own order (as mclust takes them).

    Integer weights are expanded into copies, so that weights and duplicated rows
    agglomerate alike; beyond ``max_rows`` rows a random subset (drawn in proportion
    to the weights) is used.
    """
    if w is None:
        rows, counts = X, None
    else:
        pos = w > 0
        rows, counts = X[pos], w[pos]
        if np.allclose(counts, np.rint(counts)) and counts.sum() <= max_rows:
            return np.repeat(rows, np.rint(counts).astype(np.intp), axis=0)
    if rows.shape[0] > max_rows:
        p = None if counts is None else counts / counts.sum()
        idx = np.sort(rng.choice(rows.shape[0], size=max_rows, replace=False, p=p))
        rows = rows[idx]
    return rows


_HC_CACHE = OrderedDict()
_HC_LOCK = threading.Lock()


def hierarchical_labels(rows, K, rng):
    """Rows used and their labels from mclust's model-based agglomeration.

    The merge tree depends on the data alone, so it is cached (a few data sets):
    fitting several K or covariance types on the same data agglomerates once, as
    mclust's ``mclustBIC`` does. For 1-D data mclust starts from quantile classes.

    Returns
    -------
    rows : ndarray of shape (m, d)
    labels : ndarray of shape (m,)
    """
    from ._hierarchical import hierarchical_partitions, quantile_classes

    if rows.shape[1] == 1:
        labels = np.asarray(quantile_classes(rows[:, 0], K), dtype=np.intp)
        return rows, _canonical(rows, labels)
    key = (hashlib.sha1(np.ascontiguousarray(rows).tobytes()).hexdigest(), rows.shape,
           rows.dtype.str)
    with _HC_LOCK:
        hit = _HC_CACHE.get(key)
    if hit is None or hit[1].shape[0] < K:
        index, labels = hierarchical_partitions(rows.astype(np.float64), max(K, HC_LEVELS),
                                                max_samples=rows.shape[0], random_state=rng)
        hit = (index, labels)
    with _HC_LOCK:  # fits on several threads (gaussmix.select) share the cache
        _HC_CACHE[key] = hit
        _HC_CACHE.move_to_end(key)
        while len(_HC_CACHE) > 4:
            _HC_CACHE.popitem(last=False)
    index, labels = hit
    return rows[index], _canonical(rows[index], labels[K - 1])


def _canonical(rows, labels):
    """Relabel clusters in lexicographic order of their means, independent of row order
    (so shuffled or duplicated rows give the same component order)."""
    k = int(labels.max()) + 1
    counts = np.bincount(labels, minlength=k)
    means = np.stack([np.bincount(labels, weights=rows[:, j], minlength=k)
                      for j in range(rows.shape[1])], axis=1) / np.maximum(counts, 1)[:, None]
    order = np.lexsort(means.T[::-1])
    rank = np.empty(k, dtype=np.intp)
    rank[order] = np.arange(k)
    return rank[labels]


def start_params(method, X, w, Xi, wi, K, covariance_type, reg_covar, data_cov, rng):
    """Starting parameters by one named method (not ``"auto"``)."""
    if method == "hierarchical":
        rows, lab = hierarchical_labels(hc_rows(X, w, rng, hc_max_rows(X)), K, rng)
        return params_from_resp(rows, np.ones(rows.shape[0], dtype=X.dtype),
                                one_hot(lab, K, X.dtype), covariance_type, reg_covar, data_cov)
    resp = labels_for(method, Xi, wi, K, rng)
    return params_from_resp(Xi, wi, resp, covariance_type, reg_covar, data_cov)


def auto_methods(K, first):
    """Candidate start methods of ``init_params="auto"`` for one initialisation.

    The first initialisation tries mclust's start (model-based hierarchical
    agglomeration) and a k-means start; later ones (``n_init > 1``) a new k-means
    start each. Every candidate is run to convergence and the best kept: measured
    on the mclust reference tables, choosing after a short EM instead picks the
    wrong candidate in a few cells.
    """
    if K == 1:
        return ["kmeans"]
    return ["hierarchical", "kmeans"] if first else ["kmeans"]
