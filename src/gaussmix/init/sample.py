"""Which rows the starts are computed on: the initialisation sample and the rows the
agglomeration uses."""

from __future__ import annotations

import numpy as np

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
        whole = np.rint(counts)
        if np.all(whole >= 1) and np.allclose(counts, whole) and whole.sum() <= max_rows:
            return np.repeat(rows, whole.astype(np.intp), axis=0)
    if rows.shape[0] > max_rows:
        p = None if counts is None else counts / counts.sum()
        idx = np.sort(rng.choice(rows.shape[0], size=max_rows, replace=False, p=p))
        rows = rows[idx]
    return rows
