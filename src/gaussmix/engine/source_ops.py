"""What the engine does with any source: sums over its chunks, its first rows, a
function of its rows, and a one-pass sample.

A *source* is an :class:`~gaussmix.engine.sources.ArraySource` (in memory), a row
source read on this machine (:class:`~gaussmix.io.row_source.RowSource`: memmaps and
files) or a :class:`~gaussmix.engine.dask_source.DaskSource` (blocks on a cluster).
The two first yield chunks here; a Dask source maps the work over its blocks itself
(``map_sum``, ``map_rows``). Every pass in this module reads the data once.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ..io.row_source import ArrayRows, RowSource
from .parallel import ChunkMap
from .row_sample import sample_part


def as_data_source(X):
    """A source for ``X`` if it is one or is read as one, else None (in-memory data,
    validated as before).

    Memmaps are read through :class:`~gaussmix.io.row_source.ArrayRows` (never copied
    whole); Dask arrays and DataFrames become a
    :class:`~gaussmix.engine.dask_source.DaskSource`.

    Examples
    --------
    >>> as_data_source(np.zeros((3, 2))) is None
    True
    """
    if isinstance(X, RowSource) or hasattr(X, "map_sum"):
        return X
    if isinstance(X, np.memmap):
        return ArrayRows(X)
    if type(X).__module__.split(".")[0] == "dask":
        from .dask_source import DaskSource

        return DaskSource(X)
    return None


def is_distributed(source):
    """Whether ``source`` maps work over blocks elsewhere (Dask) rather than yielding
    chunks to this process."""
    return hasattr(source, "map_sum")


def _parts(source, chunk):
    """``(X, w, start)`` of every chunk of a local source."""
    start = 0
    for X, w in source.chunks(chunk):
        yield X, w, start
        start += X.shape[0]


def source_sum(source, fn, chunk, chunk_map=None):
    """``fn(X0, w0, 0) + fn(X1, w1, start1) + ...`` over the chunks of ``source``
    (``start``: the index of the chunk's first row), in one pass.

    Examples
    --------
    >>> from gaussmix.engine import ArraySource
    >>> float(source_sum(ArraySource(np.ones((5, 1))), lambda X, w, s: X.sum(), 2))
    5.0
    """
    if is_distributed(source):
        return source.map_sum(fn, chunk)
    chunk_map = chunk_map or ChunkMap(1)
    return chunk_map.sum(lambda part: fn(*part), _parts(source, chunk))


def source_head(source, n_rows):
    """The first ``n_rows`` rows of ``source`` (an ndarray)."""
    if hasattr(source, "head"):
        return source.head(n_rows)
    return source.X[:n_rows]


def map_rows(source, fn, chunk):
    """``fn`` of every chunk's rows, stacked: an ndarray for a local source, a lazy
    Dask array for a Dask source (``fn`` maps an (n, d) chunk to an array of n rows)."""
    if is_distributed(source):
        return source.map_rows(fn)
    return np.concatenate([fn(X) for X, _ in source.chunks(chunk)])


def one_pass_sample(source, n_rows, seed, chunk, chunk_map=None):
    """A uniform sample of ``n_rows`` rows, in their data order, drawn in one pass.

    With weights the rows are drawn in proportion to them and come back with unit
    weights; when there are no more rows (of positive weight) than ``n_rows``, the
    sample is all of them, with their weights. The sample depends on ``seed`` and the
    rows only, not on the source's chunks (:mod:`gaussmix.engine.row_sample`).

    Returns
    -------
    rows : ndarray of shape (m, n_features)
    weights : ndarray of shape (m,) or None
    """
    sample = source_sum(source, partial(_sample_chunk, seed=seed, m=n_rows), chunk, chunk_map)
    order = np.argsort(sample.index, kind="stable")
    rows = sample.rows[order]
    w = getattr(source, "w", None)
    if w is None or sample.index.size >= n_rows:
        return rows, None
    return rows, np.asarray(w[sample.index[order]], dtype=rows.dtype)


def _sample_chunk(X, w, start, *, seed, m):
    return sample_part(X, w, start, seed, m)
