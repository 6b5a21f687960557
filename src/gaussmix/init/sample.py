"""Which rows the starts are computed on: the initialisation sample and the rows the
agglomeration uses."""

from __future__ import annotations

import numpy as np

#: Rows of the initialisation sample; above it a random subset is used.
MAX_INIT_ROWS = 4000
#: Rows the hierarchical agglomeration runs on at most; on more, a random subset of
#: this many (mclust's "subset" option, which mclust sets to 2000).  Up to this many
#: rows the partitions are mclust's own (Old Faithful has 272 rows: with fewer, the
#: default fit misses mclust's optima there).  The agglomeration's time grows with the
#: square of its rows (2 cores, d = 5: 100 rows 7 ms, 300 25 ms, 1000 167 ms, 2000
#: 640 ms), so a fixed cap keeps the start's cost flat in n: a default fit's time
#: grows with the rows and never falls.  On synthetic mixtures of 1000-10000 rows the
#: default fit then reaches the log-likelihood of the previous default (the
#: agglomeration on up to 2000 rows) within 1e-4 in 124 and 135 of 144 cells (two
#: draws of the subsets) and exceeds it in 8 and 11 (``benchmarks/default_fit_speed.py
#: --quality``).
MAX_HC_ROWS = 300
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
