"""Resampling replicates (permutations, bootstrap draws): each with its own random
stream, run serially or in worker processes, with one progress bar.

Replicate ``b`` always draws from the ``b``-th child of one ``numpy.random.SeedSequence``,
wherever and in whatever order it runs, so a result does not depend on ``n_jobs``.
"""

from __future__ import annotations

import numpy as np

from .parallel import resolve_n_jobs
from .progress import progress_bar

#: Replicates run in worker processes (when ``n_jobs`` allows) from this much work
#: on: rows x columns x replicates. The rule of the bootstrap likelihood-ratio test
#: (benchmarks/bootstrap_lrt.py, 2 cores): below some 20 000 values a whole run takes
#: less time than starting the workers (about 1 s).
PROCESS_MIN_VALUES = 20_000
#: Batches per worker: replicates travel to the workers in batches (pickling a model
#: and the data once per batch, not per replicate), enough of them for the progress
#: bar to move and for fast workers to take more.
BATCHES_PER_WORKER = 8


def replicate_jobs(n_jobs, n_replicates, n_values):
    """Worker processes for ``n_replicates`` replicates on data of ``n_values`` values
    (rows x columns): 1 where starting workers would cost more than it saves.

    Examples
    --------
    >>> replicate_jobs(2, 10, 100)          # 1 000 values of work: serial
    1
    >>> replicate_jobs(2, 999, 400)
    2
    """
    jobs = resolve_n_jobs(n_jobs, n_replicates)
    return jobs if n_values * n_replicates >= PROCESS_MIN_VALUES else 1


def run_replicates(replicate, n_replicates, seed, *, args=(), n_jobs=1, progress=None,
                   desc="replicates"):
    """``replicate(rng, *args)`` for ``b = 0 .. n_replicates - 1``, each ``rng`` a
    ``numpy.random.Generator`` of its own child of ``SeedSequence(seed)``.

    Parameters
    ----------
    replicate : callable
        ``replicate(rng, *args) -> float``; a module-level function (it is pickled
        for worker processes).
    n_replicates : int
    seed : int
        Root of the replicates' streams.
    args : tuple, default=()
        Passed to every call (sent once per batch to a worker).
    n_jobs : int, default=1
        Worker processes (joblib's loky); 1 runs here, in order.
    progress : bool or None, default=None
        Progress bar (tqdm, stderr); None: only on a terminal.
    desc : str, default="replicates"
        The bar's label.

    Returns
    -------
    values : ndarray of shape (n_replicates,)
        In replicate order, whatever order they finished in.

    Examples
    --------
    >>> def draw(rng, scale):
    ...     return scale * rng.standard_normal()
    >>> a = run_replicates(draw, 5, seed=0, args=(2.0,), progress=False)
    >>> b = run_replicates(draw, 5, seed=0, args=(2.0,), progress=False)
    >>> a.shape, bool(np.array_equal(a, b))
    ((5,), True)
    """
    seeds = np.random.SeedSequence(seed).spawn(n_replicates)
    out = np.empty(n_replicates)
    bar = progress_bar(progress, n_replicates, desc, unit="replicate")
    try:
        for indices, values in _batches(replicate, seeds, args, n_jobs):
            out[indices] = values
            if bar is not None:
                bar.update(len(indices))
    finally:
        if bar is not None:
            bar.close()
    return out


def _batches(replicate, seeds, args, n_jobs):
    """``(indices, values)`` of batches of replicates as they finish."""
    n = len(seeds)
    if n_jobs == 1:
        return (([b], [replicate(np.random.default_rng(seeds[b]), *args)]) for b in range(n))
    from joblib import Parallel, delayed

    size = max(1, -(-n // (n_jobs * BATCHES_PER_WORKER)))
    groups = [list(range(start, min(n, start + size))) for start in range(0, n, size)]
    par = Parallel(n_jobs=n_jobs, backend="loky", return_as="generator_unordered")
    return par(delayed(_run_batch)(replicate, idx, [seeds[b] for b in idx], args)
               for idx in groups)


def _run_batch(replicate, indices, seeds, args):
    """One batch in a worker: its indices and values."""
    return indices, [replicate(np.random.default_rng(s), *args) for s in seeds]
