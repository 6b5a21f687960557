"""The agglomeration started from groups of rows instead of singletons.

Fraley's merge cost of two clusters depends on their sizes, means and scatter
matrices only, so agglomerating groups (micro-clusters) from their sufficient
statistics is exactly what the agglomeration of the rows would do once it had formed
those groups (mclust's ``hc`` accepts such an initial ``partition`` too).  Starting
from ``m`` groups instead of ``n`` rows costs ``O(m^2)`` instead of ``O(n^2)``: the
default start agglomerates at most a few hundred k-means micro-clusters of the
(SVD-transformed) rows, see :func:`micro_clusters` and
:func:`gaussmix.init.hierarchical.hierarchical_partitions`.
"""

from __future__ import annotations

import numpy as np

from .agglomerator import Agglomerator
from .criteria import Criterion

#: Lloyd iterations of the micro-clustering.  The groups only have to be small and
#: compact, not a local optimum of k-means.
MICRO_LLOYD_ITER = 4


def micro_clusters(Z, n_groups, rng):
    """Labels ``0..m'-1`` of at most ``n_groups`` compact groups of the rows of ``Z``.

    Random distinct rows as centres, then a few Lloyd iterations with distances from
    one matrix product (``||z||^2 - 2 z.c + ||c||^2``: the groups need no more
    precision); empty groups are dropped.  Rows identical to each other always share
    a group (they have the same distances).
    """
    n = Z.shape[0]
    if n <= n_groups:
        return np.arange(n)
    centers = Z[np.sort(rng.choice(n, size=n_groups, replace=False))]
    zz = np.einsum("ij,ij->i", Z, Z)
    for it in range(MICRO_LLOYD_ITER + 1):
        dist = (np.einsum("ij,ij->i", centers, centers) - 2.0 * (Z @ centers.T)) + zz[:, None]
        labels = np.argmin(dist, axis=1)
        if it == MICRO_LLOYD_ITER:
            break
        counts, sums = _group_sums(Z, labels, n_groups)
        filled = counts > 0
        centers[filled] = sums[filled] / counts[filled, None]
    _, labels = np.unique(labels, return_inverse=True)
    return labels.ravel()


def _group_sums(A, labels, m):
    """Sizes and column sums of the rows of ``A`` per label (``np.add.at`` is ~10x
    slower)."""
    counts = np.bincount(labels, minlength=m).astype(np.float64)
    sums = np.stack([np.bincount(labels, weights=col, minlength=m) for col in A.T], axis=1)
    return counts, sums


def group_statistics(Z, labels):
    """Sizes ``(m,)``, means ``(m, p)`` and scatter matrices ``(m, p, p)`` of groups
    (scatters about the group means, which keeps them accurate)."""
    m, p = int(labels.max()) + 1, Z.shape[1]
    counts, sums = _group_sums(Z, labels, m)
    means = sums / counts[:, None]
    D = Z - means[labels]
    order = np.argsort(labels, kind="stable")
    starts = np.searchsorted(labels[order], np.arange(m))
    outer = (D[order, :, None] * D[order, None, :]).reshape(-1, p * p)
    W = np.add.reduceat(outer, starts, axis=0).reshape(m, p, p)
    return counts, means, W


def group_factors(Z, labels, means, p):
    """Upper-triangular ``R_k`` with ``W_k = R_k' R_k`` (rows beyond ``n_k - 1`` zero),
    as the factored agglomeration keeps them."""
    m = means.shape[0]
    R = np.zeros((m, p, p))
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(m + 1))
    for k in range(m):
        rows = Z[order[bounds[k]:bounds[k + 1]]] - means[k]
        r = min(rows.shape[0] - 1, p)
        if r > 0:
            R[k, :r] = np.linalg.qr(rows, mode="r")[:r]
    return R


def group_agglomerator(Z, labels, criterion, alpha, beta):
    """An :class:`Agglomerator` whose starting clusters are the groups ``labels``.

    The cluster statistics (means, scatter entries, traces, sizes and criterion
    terms) are loaded into its slots and the starting merge costs computed with its
    own cost function, row by row, so every cost is the one the agglomeration of the
    rows would compute for these clusters.
    """
    counts, means, W = group_statistics(Z, labels)
    m, p = means.shape
    agg = Agglomerator(means, criterion, alpha, beta)
    if criterion is Criterion.WARD:  # Ward's cost needs sizes and means only
        agg.ST[agg.kc] = counts
    else:
        _load_scatter(agg, counts, W)
        if agg.factored:
            agg.R = group_factors(Z, labels, means, p)
    agg.maxcnt = float(counts.max())
    _load_costs(agg, m)
    return agg


def _load_scatter(agg, counts, W):
    """Scatter entries, traces, sizes and criterion terms of the groups."""
    p = agg.p
    tr = np.trace(W, axis1=1, axis2=2)
    if agg.pairs:
        flat = W.reshape(W.shape[0], p * p)
        agg.ST[p:agg.kt] = flat[:, agg.pairflat].T
    agg.ST[agg.kt] = tr
    agg.ST[agg.kc] = counts
    base = np.log(agg.beta * (tr + agg.alpha) / counts)
    term = counts * base
    big = counts > p
    if big.any():
        sign, ld = np.linalg.slogdet(W[big] / counts[big, None, None])
        ld = np.where(sign > 0, ld, -np.inf)
        term[big] = counts[big] * np.logaddexp(ld, base[big])
    agg.ST[agg.kterm] = term


def _load_costs(agg, m):
    """The symmetric starting costs ``D`` and their row minima."""
    agg._start_run()
    D = np.full((m, m), np.inf)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for i in range(m - 1):
            ni, tri, termi = agg.cnt[i], agg.tr[i], agg.term[i]
            vi = agg._S[i] if agg.small else None
            D[i, i + 1:] = agg._costs(i, m, ni, tri, termi, vi)[i + 1:m]
    iu = np.triu_indices(m, 1)
    D[iu[1], iu[0]] = D[iu]
    agg.D = D
    agg.rowmin = D.min(axis=1)
