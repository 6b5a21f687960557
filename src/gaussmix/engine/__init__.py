"""The EM engine: one loop on additive sufficient statistics.

Every fit is the same loop: statistics summed over a source's chunks
(:func:`~gaussmix.engine.collect.collect`, the only place that reads data), then
parameters from statistics (:func:`~gaussmix.engine.mstep.m_step`, the only place
that makes parameters), until the mean log-likelihood stops rising
(:func:`~gaussmix.engine.loop.run_em`). Statistics add with ``+``
(:class:`~gaussmix.engine.stats.SuffStats`), so chunks, threads and other sources
all reduce the same way.
"""

from .collect import as_source, collect, data_scale
from .fixed import FIXABLE, FixedParams
from .estep import e_step, logsumexp_rows, make_plan, stats_from_resp, weighted_log_prob
from .loop import EMResult, run_em
from .noise import NoiseTerm
from .mstep import Recovery, m_step, m_step_recover, map_step, map_step_params
from .parallel import ChunkMap
from .params import MixtureParams
from .sources import ArraySource, chunk_size_for, iter_chunks
from .stats import ChunkStats, SuffStats

__all__ = ["ArraySource", "ChunkMap", "ChunkStats", "EMResult", "FIXABLE", "FixedParams",
           "MixtureParams", "NoiseTerm", "Recovery",
           "map_step", "map_step_params",
           "SuffStats", "as_source", "chunk_size_for", "collect", "data_scale", "e_step",
           "iter_chunks", "logsumexp_rows", "m_step", "m_step_recover", "make_plan",
           "run_em", "stats_from_resp", "weighted_log_prob"]
