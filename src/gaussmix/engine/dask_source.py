"""Dask arrays and DataFrames as a source: the E-step runs per block on the workers.

Each pass builds one small graph: the pass's work (the E-step kernel and its plan,
i.e. the current parameters) is one key, sent to the scheduler once and copied to
each worker that needs it once (a broadcast per iteration); one task
per block maps it over the block's rows in chunks and sums their statistics; the
blocks' statistics are tree-summed with ``+`` (:data:`FAN_IN` per node), and only the (K, d, d)-sized total
comes back. A worker lost in the middle of a pass costs only a recomputation of its
blocks' statistics (Dask reruns them from the graph), so the answer does not change.

A pass that cannot finish raises :class:`ClusterError` instead of waiting forever:
when the client's connection is closed, when the cluster has had no worker for
:data:`NO_WORKER_TIMEOUT` seconds, or after :data:`PASS_TIMEOUT` seconds in all.
"""

from __future__ import annotations

import functools
import operator
import time

import numpy as np

from ..io.row_source import check_chunk, check_numeric_dtype, float_dtype

#: Seconds one pass over a Dask collection may take before :class:`ClusterError`.
PASS_TIMEOUT = 3600.0
#: Seconds a pass waits for a cluster without workers (all died, none came back).
NO_WORKER_TIMEOUT = 60.0
#: Statistics summed per node of the reduction tree (its depth: log_FAN_IN of the
#: blocks; each level costs a hand-off between workers).
FAN_IN = 8
#: Seconds between checks of the cluster while a pass runs.
POLL_INTERVAL = 0.5


class ClusterError(RuntimeError):
    """A pass over a Dask collection could not finish: the cluster went away."""


def _need_dask():
    try:
        import dask.array as da
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise ImportError("fitting Dask collections needs dask; install it with: "
                          "pip install 'gaussmix[dask]'.") from None
    return da


def _as_dask_array(X):
    """A 2-D Dask array of a Dask array or DataFrame (its column names too), with
    known row-chunk sizes and one chunk across the columns."""
    da = _need_dask()
    names = None
    if hasattr(X, "columns") and hasattr(X, "dtypes"):  # a Dask DataFrame
        for name, dtype in X.dtypes.items():
            check_numeric_dtype(np.dtype(dtype) if _is_numpy_dtype(dtype) else object, "X",
                                name)
        names = [str(c) for c in X.columns] if all(isinstance(c, str) for c in X.columns) \
            else None
        X = X.to_dask_array(lengths=True)
    elif not isinstance(X, da.Array):
        raise TypeError(f"cannot read a {type(X).__name__} as data; pass a Dask array or "
                        "DataFrame, or compute it first.")
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError(f"X has shape {X.shape}; pass a 2-D array of shape "
                         "(n_samples, n_features).")
    check_numeric_dtype(X.dtype, "X")
    if any(np.isnan(c) for c in X.chunks[0]):
        # unknown block lengths (e.g. from DataFrame.values or boolean indexing): one
        # pass computes them; X.compute_chunk_sizes() before the fit saves that pass
        X = X.compute_chunk_sizes()
    if len(X.chunks[1]) > 1:
        X = X.rechunk({1: -1})
    return X, names


def _is_numpy_dtype(dtype):
    try:
        return isinstance(np.dtype(dtype), np.dtype)
    except TypeError:
        return False


class DaskSource:
    """Rows of a Dask array or DataFrame, each block's work done on the workers.

    Parameters
    ----------
    X : dask.array.Array or dask.dataframe.DataFrame of shape (n_samples, n_features)
        Numeric. Block lengths that Dask does not know are computed (one pass).
    w : ndarray or dask.array.Array of shape (n_samples,), optional
        Row weights.
    timeout : float, optional
        Seconds a pass may take; default :data:`PASS_TIMEOUT`.
    """

    def __init__(self, X, w=None, timeout=None):
        self.X, self.feature_names = _as_dask_array(X)
        self.w = w
        self.timeout = PASS_TIMEOUT if timeout is None else float(timeout)
        self.n_samples, self.n_features = (int(s) for s in self.X.shape)
        self.dtype = float_dtype([self.X.dtype])
        self.what = "X"
        self.starts = np.concatenate([[0], np.cumsum(self.X.chunks[0])[:-1]]).astype(int)
        self._delayed = None

    def _row_blocks(self):
        """The blocks as Delayed objects (made once: optimising the graph into blocks
        took longer than a small pass)."""
        if self._delayed is None:
            self._delayed = (list(self.X.to_delayed().ravel()), self._weight_blocks())
        return self._delayed

    @property
    def shape(self):
        return (self.n_samples, self.n_features)

    def __len__(self):
        return self.n_samples

    def with_weights(self, w):
        """The same rows with weights ``w`` (None: unit weights)."""
        other = object.__new__(DaskSource)
        other.__dict__.update(self.__dict__)
        other.w = w
        other._delayed = None
        return other

    def _weight_blocks(self):
        """One weight block (or None) per row block."""
        w = self.w
        if w is None:
            return [None] * len(self.starts)
        if type(w).__module__.split(".")[0] == "dask":
            return list(w.rechunk((self.X.chunks[0],)).to_delayed().ravel())
        return [w[a:a + n] for a, n in zip(self.starts, self.X.chunks[0])]

    def head(self, n_rows):
        """The first ``n_rows`` rows, checked, as an ndarray."""
        rows = np.asarray(_compute(self.X[:n_rows], _client(), self.timeout))
        return check_chunk(rows, self.dtype, self.what, 0)

    def chunks(self, chunk):
        """``(X, w)`` block by block, computed here (for code that needs the rows in
        this process; EM itself uses :meth:`map_sum`)."""
        client = _client()
        for block, wb, start in zip(*self._row_blocks(), self.starts):
            X = check_chunk(np.asarray(_compute(block, client, self.timeout)), self.dtype,
                            self.what, start)
            yield X, None if wb is None else np.asarray(_compute(wb, client, self.timeout))

    def map_sum(self, fn, chunk):
        """``fn(X, w, start)`` summed over chunks of at most ``chunk`` rows of every
        block, each block on a worker, the blocks' sums tree-summed with ``+``."""
        from dask import delayed

        client = _client()
        # the pass's work (kernel and plan: the parameters) is one key of the graph,
        # sent to the scheduler once and to each worker once, whatever the blocks
        work = delayed(fn, pure=False)
        parts = [delayed(_block_sum, pure=False)(work, block, wb, int(start), int(chunk),
                                                 self.dtype, self.what)
                 for block, wb, start in zip(*self._row_blocks(), self.starts)]
        while len(parts) > 1:  # a tree of sums: no worker receives every block's
            parts = [delayed(_sum, pure=False)(*parts[i:i + FAN_IN])
                     for i in range(0, len(parts), FAN_IN)]
        return _compute(parts[0], client, self.timeout)

    def map_rows(self, fn):
        """A lazy Dask array of ``fn`` applied to each block's checked rows."""
        sample = fn(np.zeros((1, self.n_features), dtype=self.dtype))
        tail = sample.shape[1:]
        chunks = (self.X.chunks[0],) + tuple((s,) for s in tail)
        return self.X.map_blocks(_block_rows, fn, self.dtype, self.what, dtype=sample.dtype,
                                 chunks=chunks, drop_axis=[] if tail else [1],
                                 meta=np.empty((0,) + tail, dtype=sample.dtype))


def _sum(*parts):
    """``parts[0] + parts[1] + ...`` in order."""
    return functools.reduce(operator.add, parts)


def _block_rows(block, fn, dtype, what, block_info=None):
    start = block_info[0]["array-location"][0][0] if block_info else 0
    return fn(check_chunk(np.asarray(block), dtype, what, start))


def _block_sum(fn, block, w, start, chunk, dtype, what):
    """``fn`` summed over the chunks of one block (on a worker)."""
    X = check_chunk(np.asarray(block), dtype, what, start)
    total = None
    for a in range(0, max(X.shape[0], 1), chunk):
        part = fn(X[a:a + chunk], None if w is None else np.asarray(w[a:a + chunk]), start + a)
        total = part if total is None else total + part
    return total


def _client():
    """The current ``dask.distributed`` client, or None (Dask's local scheduler)."""
    try:
        from distributed import get_client
    except ImportError:
        return None
    try:
        return get_client()
    except ValueError:  # no client: the local scheduler runs the graph
        return None


def _compute(value, client, timeout):
    """``value`` (a Dask collection, or anything else: returned as it is) computed, on
    the client's cluster with the timeouts of this module."""
    if not hasattr(value, "__dask_graph__"):
        return value
    if client is None:
        return value.compute()
    future = client.compute(value)
    began = time.monotonic()
    no_workers_since = None
    try:
        while True:
            try:
                return future.result(timeout=POLL_INTERVAL)
            except TimeoutError:
                pass
            no_workers_since = _check_cluster(client, began, no_workers_since, timeout)
    except BaseException:
        future.cancel()
        raise


def _check_cluster(client, began, no_workers_since, timeout):
    """A :class:`ClusterError` if the cluster went away or the pass ran too long;
    else when the cluster was last seen without workers (None: it has some)."""
    now = time.monotonic()
    if client.status not in ("running", "connecting"):
        raise ClusterError(f"the Dask client's connection is {client.status}: the cluster "
                           "went away in the middle of a pass; restart it and fit again.")
    workers = client.scheduler_info().get("workers", {})
    if workers:
        no_workers_since = None
    elif no_workers_since is None:
        no_workers_since = now
    elif now - no_workers_since > NO_WORKER_TIMEOUT:
        raise ClusterError(f"the Dask cluster has had no workers for {NO_WORKER_TIMEOUT:g} s "
                           "(gaussmix.engine.dask_source.NO_WORKER_TIMEOUT); start workers "
                           "and fit again.")
    if now - began > timeout:
        raise ClusterError(f"a pass over the Dask data took more than {timeout:g} s "
                           "(gaussmix.engine.dask_source.PASS_TIMEOUT); check the cluster, "
                           "or raise the timeout.")
    return no_workers_since
