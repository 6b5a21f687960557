"""A fitted mixture evaluated on data that are not an array in memory.

Memmaps and files are read chunk by chunk and give numpy results (one value or row
per data row, as for in-memory data; ``score`` is one number); Dask data give lazy
Dask arrays, one block per block of the data (``score``, a mean, is computed).
"""

from __future__ import annotations

import numpy as np

from ..engine import chunk_size_for, logsumexp_rows, weighted_log_prob
from ..engine.source_ops import map_rows, source_sum


def _chunk(params, source):
    K, d = params.means.shape
    return chunk_size_for(source.n_samples, K, d, max(source.dtype.itemsize, 8))


def _log_prob_fn(params):
    """Weighted log-probabilities (n, K) of a chunk, in the dtype of the chunk and
    the parameters together (as in memory)."""
    def log_prob(X):
        dtype = np.result_type(X.dtype, params.means.dtype)
        return weighted_log_prob(X.astype(dtype, copy=False), params)
    return log_prob


def log_prob(params, source):
    """``log pi_k + log N(x | mu_k, Sigma_k)`` of every row, shape (n, K)."""
    return map_rows(source, _log_prob_fn(params), _chunk(params, source))


def log_resp(params, source):
    """Log-responsibilities of every row, shape (n, K)."""
    fn = _log_prob_fn(params)

    def rows(X):
        logp = fn(X)
        with np.errstate(invalid="ignore"):
            return logp - logsumexp_rows(logp)[:, None]
    return map_rows(source, rows, _chunk(params, source))


def log_density(params, source):
    """``log p(x)`` of every row, shape (n,)."""
    fn = _log_prob_fn(params)
    return map_rows(source, lambda X: logsumexp_rows(fn(X)), _chunk(params, source))


def labels(params, source):
    """The most likely component of every row, shape (n,)."""
    fn = _log_prob_fn(params)
    return map_rows(source, lambda X: fn(X).argmax(axis=1), _chunk(params, source))


def resp(params, source):
    """Responsibilities of every row, shape (n, K)."""
    fn = _log_prob_fn(params)

    def rows(X):
        logp = fn(X)
        with np.errstate(invalid="ignore"):
            return np.exp(logp - logsumexp_rows(logp)[:, None])
    return map_rows(source, rows, _chunk(params, source))


def mean_log_density(params, source, w=None):
    """The (weighted) mean of ``log p(x)`` over the rows, in one pass."""
    if w is not None:
        source = source.with_weights(w)
    fn = _log_prob_fn(params)

    def part(X, wc, start):
        ll = logsumexp_rows(fn(X)).astype(np.float64)
        if wc is None:
            return np.array([ll.sum(), X.shape[0]])
        wc = np.asarray(wc, dtype=np.float64)
        return np.array([ll @ wc, wc.sum()])
    total, weight = source_sum(source, part, _chunk(params, source))
    return float(total / weight)
