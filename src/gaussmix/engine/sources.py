"""Data sources: where the rows EM reads come from, one chunk at a time.

The engine never holds more than a chunk's intermediates: it asks a source for its
chunks and sums their statistics. An :class:`ArraySource` slices an in-memory array
(or a numpy memmap, whose slices are read from disk as they are asked for); other
sources (files read in batches, Dask blocks) yield their chunks the same way.
"""

from __future__ import annotations

from ..covariance.kernels import FullKernel

#: Bytes of intermediate arrays one thread's chunk may use. Measured on 2 cores
#: (benchmarks/em_speed.py): chunks of a few thousand rows lose to the per-call
#: overhead of numpy and to the two threads' hand-offs of the interpreter lock (two
#: threads on 1024-row chunks were slower than one); from about 10 MB on, two threads
#: run an E-step in 0.5-0.6 of one thread's time.
CHUNK_BYTES = 16 * 2**20
#: Never smaller chunks than this, whatever the data's size: on small data with many
#: quadratic features (4000 x 50, K = 20: 11 KB per row) a quarter of the data's size
#: would leave chunks of a few rows, all overhead.
MIN_CHUNK_BYTES = 4 * 2**20
#: A problem whose intermediates fit in this is one chunk on one thread.
SMALL_BYTES = 2**20


def chunk_size_for(n_samples, n_components, n_features, itemsize, chunk_size=None,
                   n_threads=1, row_values=None, moment_values=0):
    """Rows per chunk.

    A chunk's intermediates (the quadratic features or the whitened rows, the
    (K, n) log-probabilities, the centred rows) take ``row_values`` values per row
    (default: the most any E-step kernel and mode needs). Chunks are as large as
    ``CHUNK_BYTES`` allows, but all threads' chunks together stay under a quarter of
    the data's own size (never below ``MIN_CHUNK_BYTES``), so a fit's extra memory
    stays under half the data's size (for data over 32 MB; smaller data use at most
    ``MIN_CHUNK_BYTES`` per thread). A problem whose intermediates fit in
    ``SMALL_BYTES`` is one chunk. ``chunk_size`` overrides.

    Every chunk also makes its own moments (``moment_values`` values, e.g. K d^2 for
    full covariances, whatever its rows): a chunk has at least as many rows as make
    its intermediates that large, so the moments never cost more than the rows (on
    wide data, 200 x 2000, four chunks of 50 rows made and summed four sets of
    2 x 2000 x 2000 moments).

    Examples
    --------
    >>> chunk_size_for(1000, 3, 2, 8)          # small: one chunk
    1000
    >>> chunk_size_for(10**6, 3, 2, 8, chunk_size=500)
    500
    """
    if chunk_size is not None:
        return max(1, int(chunk_size))
    K, d = n_components, max(n_features, 1)
    if row_values is None:  # full covariances need the most
        row_values = FullKernel().row_values(K, d, None)
    # chunks may be computed in float64 whatever the data's dtype
    per_row = (row_values + 8) * max(itemsize, 8)
    if n_samples * per_row <= SMALL_BYTES:
        return max(1, n_samples)
    data_bytes = n_samples * d * itemsize
    budget = min(CHUNK_BYTES, max(MIN_CHUNK_BYTES, data_bytes // (4 * max(1, n_threads))))
    rows = max(64, budget // per_row, -(-moment_values // (row_values + 8)))
    return int(min(n_samples, rows))


def iter_chunks(n_samples, chunk):
    """``(start, stop)`` pairs covering ``range(n_samples)``.

    Examples
    --------
    >>> list(iter_chunks(5, 2))
    [(0, 2), (2, 4), (4, 5)]
    """
    for start in range(0, n_samples, chunk):
        yield start, min(start + chunk, n_samples)


class ArraySource:
    """Rows of an in-memory array (or a memmap) and their optional weights.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    w : ndarray of shape (n_samples,) or None
        Row weights; None means unit weights.
    """

    def __init__(self, X, w=None):
        self.X = X
        self.w = w

    @property
    def n_samples(self):
        return self.X.shape[0]

    @property
    def n_features(self):
        return self.X.shape[1]

    @property
    def dtype(self):
        return self.X.dtype

    def chunks(self, chunk):
        """``(X_chunk, w_chunk)`` pairs of at most ``chunk`` rows, in row order (at
        least one pair, empty for an empty array)."""
        X, w = self.X, self.w
        for start, stop in list(iter_chunks(X.shape[0], chunk)) or [(0, 0)]:
            yield X[start:stop], None if w is None else w[start:stop]
