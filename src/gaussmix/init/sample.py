"""Which rows the starts are computed on: the initialisation sample and the rows the
agglomeration uses."""

from __future__ import annotations

import numpy as np

#: Rows of the initialisation sample; above it a random subset is used.
MAX_INIT_ROWS = 4000
#: Rows the hierarchical agglomeration runs on at most; on more, a random subset of
#: this many (mclust's "subset" option, which mclust sets to 2000).  Up to this many
#: rows the partitions are mclust's own, and default fits start where mclust starts.
#: The agglomeration's time grows with the square of its rows (one core, d = 5: 100
#: rows 7 ms, 300 25 ms, 700 ~85 ms, 1000 167 ms, 2000 640 ms), so a fixed cap keeps
#: the start's cost flat in n: a default fit's time grows with the rows and never
#: falls (before, 2000 rows took 0.6 s and 6000 rows 20 ms).  Why not fewer: a
#: subset's partition is another start, not mclust's.  On four data sets of 1000-2000
#: rows (14 models, G = 2, 3, 5, 7, 9: 280 cells), against the agglomeration of all
#: rows, a 300-row subset ended below it (by more than max(0.05, 1e-4 |loglik|)) in
#: 58 cells and above in 73; an 800-row subset 53 and 67; 64 k-means micro-clusters
#: of all rows 22 and 27 (but slower than rows for d >= 5).  Only all rows reach
#: mclust's optima everywhere, so the cap is as high as memory and time allow, and a
#: subsampled agglomeration is joined by more k-means starts
#: (:data:`EXTRA_KMEANS_STARTS`).
MAX_HC_ROWS = 700
#: Memory the agglomeration may always use (bytes); beyond it at most a quarter of
#: the data's size (its memory is about ``8 (1.7 m^2 + 4 m d^2)`` bytes for m rows).
HC_MEMORY_FLOOR = 8 * 2**20
MIN_HC_ROWS = 100
#: k-means starts added to ``"auto"``'s race when the agglomeration ran on a subset:
#: on the 280 cells above, a 300-row subset with 2 more k-means starts ended below
#: the agglomeration of all rows in 27 cells and above in 104 (5 more: 21 and 116),
#: for about twice the EM work of the start.
EXTRA_KMEANS_STARTS = 2
#: Micro-clusters the agglomeration may start from instead of single rows (see
#: :mod:`gaussmix.init.hierarchical.groups`); None: single rows.  Measured and not
#: used by default: from 64 groups of all rows the quality is as good as from a
#: 300-row subset (141 of 144 cells), but every merge cost of groups needs a
#: determinant, so 64 groups cost as much as 300 rows for d = 5 and more for d = 10.
HC_MAX_GROUPS = None


def init_sample(X, w, rng, max_rows=MAX_INIT_ROWS):
    """Distinct rows of ``X`` with summed weights (a random subset if many).

    Returns
    -------
    Xi : ndarray of shape (m, d)
        Distinct rows in lexicographic order.
    wi : ndarray of shape (m,)
        Their total weights (row counts when ``w`` is None).
    """
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


def agglomerated_rows(X, w):
    """How many rows the agglomeration would take without a cap: the rows with
    positive weight, integer weights counted as copies (so that weights and
    duplicated rows decide alike)."""
    if w is None:
        return X.shape[0]
    counts = w[w > 0]
    whole = np.rint(counts)
    if np.all(whole >= 1) and np.allclose(counts, whole):
        return int(whole.sum())
    return int(counts.size)


def hc_max_rows(X, w):
    """The agglomeration's row cap on ``X``: :data:`MAX_HC_ROWS`, fewer on wide data
    where its memory would pass both :data:`HC_MEMORY_FLOOR` and a quarter of the
    data's size. It depends on the number of columns and grows with the rows, so a
    fit's start never gets cheaper as rows are added."""
    d = X.shape[1]
    budget = max(agglomerated_rows(X, w) * d * 8 / 4, HC_MEMORY_FLOOR)
    m = MAX_HC_ROWS
    while m > MIN_HC_ROWS and 8 * (1.7 * m * m + 4 * m * d * d) > budget:
        m = int(m * 0.9)
    return max(m, MIN_HC_ROWS)


def hc_subsamples(X, w):
    """Whether the agglomeration runs on a subset of the rows of ``X``."""
    return agglomerated_rows(X, w) > hc_max_rows(X, w)


def hc_rows(X, w, Xi, wi, rng, max_rows=MAX_HC_ROWS):
    """Rows for the agglomeration.

    Up to ``max_rows`` rows (integer weights expanded into copies, so that weights
    and duplicated rows agglomerate alike) they are the data's rows in their own
    order, as mclust takes them.  On more, a random subset of ``max_rows`` drawn from
    the initialisation sample ``(Xi, wi)`` (:func:`init_sample`): copies without
    replacement where the weights are counts, which depends on the rows' multiset
    only, so integer weights and duplicated rows still give the same start (in any
    row order); rows in proportion to fractional weights otherwise.
    """
    if w is None:
        rows = X
    else:
        pos = w > 0
        rows, counts = X[pos], w[pos]
        whole = np.rint(counts)
        if np.all(whole >= 1) and np.allclose(counts, whole):
            if whole.sum() <= max_rows:
                return np.repeat(rows, whole.astype(np.intp), axis=0)
            return _subset(Xi, wi, rng, max_rows)
    if rows.shape[0] <= max_rows:
        return rows
    return _subset(Xi, wi, rng, max_rows)


def _subset(Xi, wi, rng, max_rows):
    """``max_rows`` rows of the distinct rows ``Xi`` with weights ``wi``."""
    whole = np.rint(wi)
    if np.all(whole >= 1) and np.allclose(wi, whole):
        counts = whole.astype(np.int64)
        picks = rng.multivariate_hypergeometric(counts, min(max_rows, int(counts.sum())))
        return np.repeat(Xi, picks, axis=0)
    size = min(max_rows, Xi.shape[0])
    idx = rng.choice(Xi.shape[0], size=size, replace=False, p=wi / wi.sum())
    return Xi[np.sort(idx)]
