"""One pass over a data source: the E-step mapped over its chunks, statistics summed.

This is the only place where EM reads data; in-memory arrays, memmaps and (later)
files and Dask blocks differ only in how their chunks are produced and mapped.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ..covariance import DataScale, get_structure
from ..utils.parallel import available_cores
from .estep import e_step_raw, finish, make_plan, stats_from_resp
from .parallel import ChunkMap
from .source_ops import source_head, source_sum
from .sources import ArraySource, chunk_size_for, iter_chunks


def as_source(X, w=None):
    """A data source for ``X``: an :class:`ArraySource` for arrays, else ``X`` itself."""
    if isinstance(X, np.ndarray):
        return ArraySource(X, w)
    return X


def collect(source, params, *, chunk=None, chunk_map=None, mode=None, log_prior=None,
            uniforms=None, noise=None):
    """Sum of the E-step's statistics over the chunks of ``source``.

    Parameters
    ----------
    source : ArraySource or ndarray of shape (n_samples, n_features)
        A source with its own E-step (a ``collect`` method, as
        :class:`~gaussmix.engine.missing.MissingSource`) is handed the call.
    params : MixtureParams
    chunk : int, optional
        Rows per chunk; default :func:`chunk_size_for` the E-step this iteration runs
        (sized for every core this process may use, so that the chunks, and so the
        result, do not depend on how many threads run them).
    chunk_map : ChunkMap, optional
        Where the chunks run; default one thread.
    mode : {"expand", "exact"}, optional
        Force the E-step variant (default: chosen per iteration, see
        :class:`gaussmix.covariance.kernels.Plan`).
    log_prior : ndarray of shape (n_components,), optional
        Each component's additive constant instead of ``log(weights)`` (see
        :func:`~gaussmix.engine.estep.make_plan`); the statistics' ``loglik`` is then
        the sum of the rows' log-normalisers of these scores.
    uniforms : ndarray of shape (n_samples,), optional
        One uniform per row: the statistics are then those of components drawn from
        the responsibilities by these uniforms (a Gibbs sweep's assignments,
        :func:`~gaussmix.engine.estep.draw_one_hot`), whatever the chunks.
    noise : NoiseTerm, optional
        A noise component beside the Gaussians (:mod:`gaussmix.engine.noise`): the
        statistics are the Gaussians', the log-likelihood includes the noise term.

    Returns
    -------
    SuffStats
    """
    source = as_source(source)
    if hasattr(source, "collect"):  # a source with its own E-step (missing entries)
        return source.collect(params, chunk=chunk, chunk_map=chunk_map, mode=mode,
                              log_prior=log_prior)
    plan = make_plan(params, source.dtype, mode=mode, log_prior=log_prior)
    kernel = params.structure.kernel
    step = e_step_raw if noise is None else noise.e_step(params)
    if chunk is None:
        K, d = params.n_components, source.n_features
        chunk = chunk_size_for(source.n_samples, K, d, source.dtype.itemsize,
                               n_threads=available_cores(),
                               row_values=kernel.row_values(K, d, plan.mode),
                               moment_values=kernel.moment_values(K, d, plan.mode))
    if chunk >= source.n_samples and isinstance(source, ArraySource):
        # small data, one chunk (so on this thread, however many the map has): the
        # same E-step without the chunk machinery (a ChunkMap, a generator, a reduce):
        # measured on Old Faithful (272 x 2, K = 3, EEE), an E-step in 102 us instead
        # of 117 us
        return finish(step(source.X, source.w, kernel, plan, uniforms), plan, kernel)
    if not isinstance(source, ArraySource):  # memmaps, files, Dask blocks
        if uniforms is not None or noise is not None:
            raise NotImplementedError("drawn assignments (uniforms=) and the noise component "
                                      "need in-memory rows")
        return finish(source_sum(source, partial(_e_step_part, kernel, plan), chunk, chunk_map),
                      plan, kernel)
    chunk_map = chunk_map or ChunkMap(1)
    parts = source.chunks(chunk)
    if uniforms is not None:  # the chunks are in row order, iter_chunks' bounds
        parts = ((X, w, uniforms[a:b]) for (X, w), (a, b)
                 in zip(parts, iter_chunks(source.n_samples, chunk)))

    def work(part):
        return step(*part[:2], kernel, plan, *part[2:])

    return finish(chunk_map.sum(work, parts), plan, kernel)


def _e_step_part(kernel, plan, X, w, start):
    """The E-step of one chunk of a source (``start``, its first row, unused)."""
    return e_step_raw(X, w, kernel, plan)


def _moments_part(ref, structure, X, w, start):
    """One chunk's moments about ``ref`` (one component holding every row)."""
    return stats_from_resp(X, w, np.ones((X.shape[0], 1), dtype=X.dtype), ref, structure)


def data_scale(source, chunk, chunk_map=None):
    """The :class:`~gaussmix.covariance.DataScale` (weighted covariance) of the data,
    in one chunked pass; straight from the rows on wide in-memory data (fewer rows
    than columns), where no (d, d) matrix is needed."""
    if isinstance(source, ArraySource) and source.n_samples < source.n_features:
        return DataScale.from_rows(source.X, source.w)
    structure = get_structure("full")
    # a centre every chunk's moments are taken about: the mean of the first rows
    ref = source_head(source, min(chunk, 1024)).mean(axis=0, keepdims=True, dtype=np.float64)
    total = source_sum(source, partial(_moments_part, ref, structure), chunk, chunk_map)
    cov = structure.raw_covariance(total.nk, total.s1, total.s2)[0]
    n_rows = source.n_samples if source.w is None else int(np.count_nonzero(source.w))
    return DataScale(0.5 * (cov + cov.T), n_rows)
