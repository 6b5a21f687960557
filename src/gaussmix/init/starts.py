"""Starting parameters for EM, by method.

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
``MAX_HC_ROWS`` of them (a random subset on more), so that its cost does not grow with
the data.
"""

from __future__ import annotations

import numpy as np

from ..covariance import get_structure
from ..covariance.linalg import collapse_tol
from ..engine import MixtureParams, m_step, stats_from_resp
from .cache import AgglomerationCache
from .hierarchical import hierarchical_partitions, quantile_classes
from .kmeans import kmeans_plusplus, lloyd, one_hot, sq_distances
from . import sample
from .sample import hc_rows

INIT_METHODS = ("auto", "hierarchical", "kmeans", "k-means++", "random", "random_from_data")
#: Partitions kept per cached agglomeration (1..HC_LEVELS clusters, or K if larger).
HC_LEVELS = 16


def params_from_resp(X, w, resp, structure, reg_covar, scale):
    """One M-step from responsibilities; degenerate components get a broad covariance.

    A component whose starting cluster is too small to have a covariance (a single
    row, or fewer rows than dimensions for full covariances) starts with the data's
    covariance, so EM can grow it instead of collapsing it.
    """
    wr = resp * w[:, None]
    nk = wr.sum(axis=0)
    tiny = np.finfo(X.dtype).tiny
    ref = np.where(nk[:, None] > 0, (wr.T @ X) / np.maximum(nk, tiny)[:, None],
                   np.average(X, axis=0, weights=w))
    stats = stats_from_resp(X, w, resp, ref, structure)
    weights, means, cov_raw, cov = m_step(stats, structure, reg_covar)
    bad = structure.collapsed(cov_raw, resp.shape[1], scale, collapse_tol(X.dtype))
    if bad.any():
        broad = scale.broad(reg_covar)
        for k in np.flatnonzero(bad):
            structure.set_component(cov, k, broad)
    return MixtureParams.from_covariances(structure.name, weights, means, cov)


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


def hierarchical_labels(rows, K, rng, cache=None):
    """Rows used and their labels from mclust's model-based agglomeration.

    The merge tree depends on the data alone, so it is kept in ``cache`` (an
    :class:`AgglomerationCache`, if given): fitting several K or covariance types on
    the same data agglomerates once. For 1-D data mclust starts from quantile
    classes.

    Returns
    -------
    rows : ndarray of shape (m, d)
    labels : ndarray of shape (m,)
    """
    if rows.shape[1] == 1:
        labels = np.asarray(quantile_classes(rows[:, 0], K), dtype=np.intp)
        return rows, _canonical(rows, labels)
    cache = AgglomerationCache() if cache is None else cache
    hit = cache.get(rows)
    if hit is None or hit[1].shape[0] < K:
        hit = hierarchical_partitions(rows.astype(np.float64), max(K, HC_LEVELS),
                                      max_samples=rows.shape[0],
                                      max_groups=sample.HC_MAX_GROUPS, random_state=rng)
    cache.put(rows, hit)
    index, labels = hit
    return rows[index], _canonical(rows[index], labels[K - 1])


def agglomeration_rows(X, w, Xi, wi, rng):
    """The rows the hierarchical start agglomerates (at most
    :func:`~gaussmix.init.sample.hc_max_rows`; see :func:`gaussmix.init.sample.hc_rows`),
    for every start that uses it."""
    return hc_rows(X, w, Xi, wi, rng, sample.hc_max_rows(X, w))


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


def start_params(method, X, w, Xi, wi, K, covariance_type, reg_covar, scale, rng,
                 cache=None):
    """Starting parameters by one named method (not ``"auto"``).

    Parameters
    ----------
    method : str
    X, w : the data and their weights (None: unit weights)
    Xi, wi : the initialisation sample (:func:`~gaussmix.init.sample.init_sample`)
    K : int
    covariance_type : str
    reg_covar : float
    scale : DataScale
    rng : numpy.random.Generator
    cache : AgglomerationCache, optional
        Where the hierarchical start keeps its merge tree.

    Returns
    -------
    MixtureParams
    """
    rows, row_weights, resp = start_resp(method, X, w, Xi, wi, K, rng, cache)
    return params_from_resp(rows, row_weights, resp, get_structure(covariance_type),
                            reg_covar, scale)


def start_resp(method, X, w, Xi, wi, K, rng, cache=None):
    """The partition a named method (not ``"auto"``) starts from: rows, their
    weights and responsibilities (one-hot, or soft for ``"random"``), for estimators
    that start from responsibilities rather than parameters (variational Bayes).

    Parameters are those of :func:`start_params`.

    Returns
    -------
    rows : ndarray of shape (m, d)
    row_weights : ndarray of shape (m,)
    resp : ndarray of shape (m, K)
    """
    if method == "hierarchical":
        rows, lab = hierarchical_labels(agglomeration_rows(X, w, Xi, wi, rng), K, rng, cache)
        return rows, np.ones(rows.shape[0], dtype=X.dtype), one_hot(lab, K, X.dtype)
    return Xi, wi, labels_for(method, Xi, wi, K, rng)


def auto_methods(K, first, subsampled=False):
    """Candidate start methods of ``init_params="auto"`` for one initialisation.

    The first initialisation tries mclust's start (model-based hierarchical
    agglomeration) and a k-means start, and :data:`~gaussmix.init.sample.
    EXTRA_KMEANS_STARTS` more k-means starts when the agglomeration ran on a subset
    of the rows (``subsampled``: its partition is then not mclust's); later
    initialisations (``n_init > 1``) a new k-means start each. Every candidate is
    run to convergence and the best kept: measured on the mclust reference tables,
    choosing after a short EM instead picks the wrong candidate in a few cells.
    """
    if K == 1:
        return ["kmeans"]
    if not first:
        return ["kmeans"]
    extra = sample.EXTRA_KMEANS_STARTS if subsampled else 0
    return ["hierarchical"] + ["kmeans"] * (1 + extra)
