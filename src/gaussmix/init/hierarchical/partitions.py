"""Partitions from the agglomeration's merges, the public entry point, and mclust's
1-D quantile classes."""

from __future__ import annotations

import numbers

import numpy as np

from ...utils.random import as_generator
from .agglomerator import Agglomerator
from .criteria import Criterion
from .groups import group_agglomerator, micro_clusters
from .transform import svd_transform

_EPS = np.finfo(np.float64).eps
_BETA = 1.0  # mclust's hcVVV default ``beta``
_ALPHA = 1.0  # mclust's hcVVV default ``alpha`` multiplier of tr(W)/(n p)


def partitions_from_merges(n, merges, kmax):
    """Replay slot merges; return ``{k: labels}`` for ``k = 1..min(kmax, n)``.

    Labels are ``0..k-1`` in order of first appearance.  The partition at level
    ``k0 = min(kmax, n)`` is found in one pass (the merge tree of the first
    ``n - k0`` merges, collapsed by pointer jumping); the coarser ones by replaying
    the remaining merges on the ``k0`` slots.
    """
    k0 = min(kmax, n)
    n0 = n - k0  # merges before level k0
    if n0 > 0:
        parent = list(range(n + n0))
        slot = list(range(n))  # slot -> tree node
        node = n
        for (i, j, last) in merges[:n0]:
            parent[slot[i]] = node
            parent[slot[j]] = node
            slot[i] = node
            if j != last:
                slot[j] = slot[last]
            slot.pop()
            node += 1
        parent = np.array(parent, dtype=np.intp)
        while True:
            nxt = parent[parent]
            if np.array_equal(nxt, parent):
                break
            parent = nxt
        node_slot = np.zeros(n + n0, dtype=np.intp)
        node_slot[np.array(slot, dtype=np.intp)] = np.arange(k0)
        lab = node_slot[parent[:n]]  # slot of every point at level k0
    else:
        lab = np.arange(n)
    # first position of each slot at level k0
    first = np.full(k0, n, dtype=np.intp)
    np.minimum.at(first, lab, np.arange(n))
    first = first.tolist()
    out = {}
    amap = list(range(k0))  # slot at level k0 -> slot at the current level
    g = k0
    for mg in [None] + list(merges[n0:]):
        if mg is not None:
            i, j, last = mg
            amap = [i if a == j else (j if a == last else a) for a in amap]
            g -= 1
        # number the current slots by first appearance
        firstg = [n] * g
        for s0, a in enumerate(amap):
            if first[s0] < firstg[a]:
                firstg[a] = first[s0]
        rank = [0] * g
        for r, a in enumerate(sorted(range(g), key=firstg.__getitem__)):
            rank[a] = r
        out[g] = np.array([rank[a] for a in amap], dtype=np.int64)[lab]
    return out


def hierarchical_partitions(X, max_clusters, *, model="VVV", transform="svd",
                            max_samples=2000, max_groups=None, random_state=None):
    """Model-based hierarchical agglomeration (Fraley 1998), as mclust's hc().

    Reproduces the partitions that mclust (>= 5.4) starts EM from:
    ``hc(X, modelName = "VVV", use = "SVD")`` followed by ``hclass``.  See the
    module docstring for the exact criterion and transform.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float64, finite.
        A 1-D array is treated as a single column.
    max_clusters : int
        Partitions into ``1..max_clusters`` clusters are returned.
    model : {"VVV", "EII"}, default="VVV"
        ``"VVV"``: Fraley's classification-likelihood criterion for unconstrained
        covariances, regularised as in mclust (``alpha = tr(W)/(n p)``,
        ``beta = 1``).  ``"EII"``: Ward's criterion.  As in mclust's ``mclustBIC``,
        ``"VVV"`` is replaced by ``"EII"`` when ``n_samples <= n_features``.
        For 1-D data both use Ward's criterion (mclust's ``hcE``); mclust itself
        starts 1-D EM from :func:`quantile_classes` instead.  ``"V"`` (1-D only)
        runs mclust's ``hcV`` as coded (effective ``alpha`` = machine epsilon).
    transform : {"svd", "none"}, default="svd"
        ``"svd"``: mclust's ``hcUse = "SVD"`` transform (:func:`svd_transform`);
        ``"none"``: the raw data (mclust's ``"VARS"``).
    max_samples : int, default=2000
        If ``n_samples > max_samples``, the agglomeration runs on a random subset
        of this size (mclust's ``mclust.options("subset")``).
    max_groups : int, optional
        If the (subset's) rows are more, they are first put into at most this many
        k-means micro-clusters (on the transformed data) and the agglomeration
        starts from those groups instead of single rows (exact for the groups, see
        :mod:`~gaussmix.init.hierarchical.groups`): ``O(max_groups^2)`` work instead
        of ``O(m^2)``.  None: always start from single rows, as mclust.
    random_state : None, int or numpy.random.Generator, default=None
        Seeds ``numpy.random.default_rng`` for the subset and the micro-clusters.

    Returns
    -------
    index : ndarray of shape (m,), int
        The (sorted) rows of ``X`` that were clustered; ``arange(n_samples)`` when
        no subset is drawn.
    labels : ndarray of shape (max_clusters, m), int
        ``labels[k-1]`` is the partition into ``k' = min(k, n_distinct)`` clusters,
        where ``n_distinct`` is the number of distinct rows among ``X[index]``;
        labels are ``0..k'-1`` in order of first appearance.  The partitions are
        nested: every row refines the previous one.

    Notes
    -----
    Memory is ``O(m^2)`` (the merge-cost matrix) plus ``O(m p^2)`` scatter
    matrices for ``"VVV"``.  Never raises ``numpy.linalg.LinAlgError``.
    """
    X, max_clusters = _check_arguments(X, max_clusters, model, transform, max_samples,
                                       max_groups)
    n, d = X.shape
    rng = as_generator(random_state)
    if n > max_samples:
        index = np.sort(rng.choice(n, size=int(max_samples), replace=False))
    else:
        index = np.arange(n)
    Xs = X[index] + 0.0  # + 0.0 turns -0.0 into 0.0 (for the duplicate count)
    m = Xs.shape[0]

    labels = np.zeros((max_clusters, m), dtype=np.int64)
    n_distinct = 1 if (m <= 1 or d == 0) else int(np.unique(Xs, axis=0).shape[0])
    if n_distinct <= 1:
        return index, labels
    Z = svd_transform(Xs) if transform == "svd" else Xs
    if Z.shape[1] == 0:  # cannot happen with >= 2 distinct rows, but be safe
        return index, labels

    agglomerator, groups = _agglomerator(Z, _criterion(model, n, d), max_groups, rng)
    m_start = agglomerator.n
    kmax = min(max_clusters, n_distinct, m_start)
    parts = partitions_from_merges(m_start, agglomerator.run(stop=1), kmax)
    for k in range(1, max_clusters + 1):
        part = parts[min(k, kmax)]
        labels[k - 1] = part if groups is None else part[groups]
    return index, labels


def _agglomerator(Z, crit, max_groups, rng):
    """The agglomeration of the rows of ``Z``, or of at most ``max_groups``
    micro-clusters of them; and the rows' groups (None: single rows)."""
    alpha = _alpha(Z, crit)
    if max_groups is not None and Z.shape[0] > max_groups:
        groups = micro_clusters(Z, int(max_groups), rng)
        return group_agglomerator(Z, groups, crit, alpha, _BETA), groups
    return Agglomerator(Z, crit, alpha, _BETA), None


def _is_positive_int(value):
    return (isinstance(value, numbers.Integral) and not isinstance(value, bool)
            and value >= 1)


def _check_arguments(X, max_clusters, model, transform, max_samples, max_groups=None):
    """The data as a finite 2-D float64 array, and ``max_clusters`` as an int."""
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError("X has no rows")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must be finite")
    if not _is_positive_int(max_clusters):
        raise ValueError(f"max_clusters must be a positive int, got {max_clusters!r}")
    univariate = (Criterion.UNIVARIATE_VARYING, Criterion.UNIVARIATE_EQUAL)
    if Criterion.named(model) in univariate and X.shape[1] != 1:
        raise ValueError(f"model {model!r} is for one-dimensional data only")
    if transform not in ("svd", "none"):
        raise ValueError(f"transform must be 'svd' or 'none', got {transform!r}")
    if not _is_positive_int(max_samples):
        raise ValueError(f"max_samples must be a positive int, got {max_samples!r}")
    if max_groups is not None and not _is_positive_int(max_groups):
        raise ValueError(f"max_groups must be a positive int or None, got {max_groups!r}")
    return X, int(max_clusters)


def _criterion(model, n, d):
    """The criterion mclust's ``mclustBIC`` / ``hc`` dispatch would use."""
    model = Criterion.named(model)
    if d == 1:  # hcE == Ward == EII in 1-D
        return model if model is Criterion.UNIVARIATE_VARYING else Criterion.WARD
    if model is Criterion.ELLIPSOIDAL and n <= d:
        return Criterion.WARD
    return model


def _alpha(Z, crit):
    """mclust's regularisation ``alpha`` of the criterion, on the transformed data."""
    m, p = Z.shape
    if crit is Criterion.ELLIPSOIDAL:
        Zc = Z - Z.mean(axis=0)
        return max(_ALPHA * float(np.einsum("ij,ij->", Zc, Zc)) / (m * p), _EPS)
    if crit is Criterion.UNIVARIATE_VARYING:
        # mclust hcV: alpha <- min(alpha * var, eps), then max(alpha, eps) in Fortran
        zc = Z[:, 0] - Z[:, 0].mean()
        return max(min(float(zc @ zc) / m, _EPS), _EPS)
    return 1.0


def quantile_classes(x, k):
    """mclust's ``qclass``: the 1-D starting partition of ``mclustBIC``.

    Equal-frequency bins: the smallest number ``n >= k + 1`` of equally spaced
    quantiles (R type 7) that yields ``k + 1`` distinct break points, dropping the
    left ends of the smallest gaps if more are found; the outer breaks are widened
    by ``sd(x) * sqrt(eps)``.  Unlike mclust (which loops forever), fewer than
    ``k + 1`` distinct values give one class per distinct value.

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, 1)
    k : int
        Number of classes.

    Returns
    -------
    labels : ndarray of shape (n_samples,), int
        Class labels ``0..k'-1`` (ordered by value), ``k' <= k``.
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    k = int(k)
    if k < 1:
        raise ValueError("k must be >= 1")
    uniq = np.unique(x)
    if uniq.size <= k:
        return np.searchsorted(uniq, x).astype(np.int64)
    sd = float(np.std(x, ddof=1)) if x.size > 1 else 0.0
    eps = sd * np.sqrt(_EPS)
    nq = k
    q = np.zeros(0)
    while q.size < k + 1:
        nq += 1
        q = np.unique(np.quantile(x, np.linspace(0.0, 1.0, nq)))
    if q.size > k + 1:
        dq = np.diff(q)
        nr = q.size - k - 1
        drop = np.argsort(dq, kind="stable")[:nr]
        q = np.delete(q, drop)
    q[0] = x.min() - eps
    q[-1] = x.max() + eps
    cl = np.full(x.size, -1, dtype=np.int64)
    for i in range(k):
        cl[(x >= q[i]) & (x < q[i + 1])] = i
    if np.any(cl < 0):  # numerical safety: assign stragglers to the nearest bin
        bad = cl < 0
        cl[bad] = np.clip(np.searchsorted(q, x[bad], side="right") - 1, 0, k - 1)
    return first_appearance_sorted(cl)


def first_appearance_sorted(cl):
    """Relabel to consecutive integers keeping the order of the values."""
    _, inv = np.unique(cl, return_inverse=True)
    return inv.ravel().astype(np.int64)
