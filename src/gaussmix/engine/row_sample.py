"""A uniform sample of a source's rows, drawn in one pass, the same on every source.

Each row gets a pseudo-random key that depends only on the seed and the row's index
(SplitMix64 of ``seed + index``), and the sample is the ``m`` rows with the largest
keys: a uniform sample without replacement, or with row weights Efraimidis and
Spirakis's (2006) weighted one (key ``log(u) / w``). Because a key does not depend on
how the rows are chunked, a memmap, a Parquet file, a Dask array and an in-memory
array of the same rows give the same sample; chunks keep their ``m`` best
candidates and candidates add with ``+`` (:class:`RowSample`), so the draw is one
more sum over the source, tree-summed on a cluster like the E-step's statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def row_uniforms(seed, start, stop):
    """Uniforms in (0, 1) for rows ``start .. stop - 1``: SplitMix64 of the seed and
    the row index, so a row's uniform does not depend on the chunks around it.

    Examples
    --------
    >>> u = row_uniforms(7, 0, 10)
    >>> bool(np.all((u > 0) & (u < 1))), bool(np.array_equal(u[3:], row_uniforms(7, 3, 10)))
    (True, True)
    """
    z = np.arange(start, stop, dtype=np.uint64)
    z += np.uint64(int(seed) % 2**64)
    z *= _GOLDEN  # wraps modulo 2**64, as SplitMix64 does
    z ^= z >> np.uint64(30)
    z *= _MIX1
    z ^= z >> np.uint64(27)
    z *= _MIX2
    z ^= z >> np.uint64(31)
    return ((z >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53


@dataclass
class RowSample:
    """The ``m`` candidate rows with the largest keys seen so far; adds with ``+``.

    Attributes
    ----------
    m : int
    keys : ndarray of shape (k,), k <= m
    index : ndarray of shape (k,)
        The rows' indices in the whole data.
    rows : ndarray of shape (k, n_features)
    """

    m: int
    keys: np.ndarray
    index: np.ndarray
    rows: np.ndarray

    def __add__(self, other):
        return _best(self.m, np.concatenate([self.keys, other.keys]),
                     np.concatenate([self.index, other.index]),
                     np.concatenate([self.rows, other.rows]))

    def in_row_order(self):
        """The sampled rows in the order they have in the data."""
        return self.rows[np.argsort(self.index, kind="stable")]


def _best(m, keys, index, rows):
    """The ``m`` entries with the largest keys (ties: the lower index), as a RowSample."""
    if keys.shape[0] > m:
        order = np.lexsort((index, -keys))[:m]
        keys, index, rows = keys[order], index[order], rows[order]
    else:  # a copy: the rows may be a view of a chunk (a memmap's pages)
        rows = np.array(rows)
    return RowSample(m, keys, index, rows)


def sample_part(X, w, start, seed, m):
    """The :class:`RowSample` of one chunk ``X`` (rows ``start ..``), weights ``w``
    (None: unit weights; rows of weight 0 are never drawn)."""
    u = row_uniforms(seed, start, start + X.shape[0])
    if w is None:
        keys = u
    else:
        w = np.asarray(w, dtype=np.float64)
        keys = np.full(u.shape, -np.inf)
        pos = w > 0
        keys[pos] = np.log(u[pos]) / w[pos]
    index = np.arange(start, start + X.shape[0], dtype=np.int64)
    keep = np.isfinite(keys)
    if not keep.all():
        keys, index, X = keys[keep], index[keep], X[keep]
    return _best(m, keys, index, X)
