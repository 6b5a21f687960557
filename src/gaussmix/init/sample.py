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
#: default fit then reaches the log-likelihood of the agglomeration on 2000 rows in
#: 135 of 144 cells and exceeds it in 11 (``benchmarks/default_fit_speed.py
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
        whole = np.rint(counts)
        if np.all(whole >= 1) and np.allclose(counts, whole) and whole.sum() <= max_rows:
            return np.repeat(rows, whole.astype(np.intp), axis=0)
    if rows.shape[0] > max_rows:
        p = None if counts is None else counts / counts.sum()
        idx = np.sort(rng.choice(rows.shape[0], size=max_rows, replace=False, p=p))
        rows = rows[idx]
    return rows
