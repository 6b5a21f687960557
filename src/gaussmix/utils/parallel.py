"""How many workers: one rule for ``n_jobs`` everywhere (threads and processes)."""

from __future__ import annotations

import numbers
import os


def available_cores():
    """The cores this process may run on (its CPU affinity where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def resolve_n_jobs(n_jobs, n_tasks=None):
    """Number of workers for ``n_jobs`` (joblib's convention).

    Parameters
    ----------
    n_jobs : int or None
        None or -1: every available core; a positive int: that many; ``-2``, ``-3``,
        ...: all cores but 1, 2, ... (at least one).
    n_tasks : int, optional
        Never more workers than this.

    Returns
    -------
    n : int
        At least 1.

    Examples
    --------
    >>> resolve_n_jobs(3)
    3
    >>> resolve_n_jobs(8, n_tasks=2)
    2
    """
    if n_jobs is None:
        n = available_cores()
    elif (isinstance(n_jobs, numbers.Integral) and not isinstance(n_jobs, bool)
          and n_jobs != 0):
        n = int(n_jobs) if n_jobs > 0 else max(1, available_cores() + 1 + int(n_jobs))
    else:
        raise ValueError(f"n_jobs must be None, a positive integer or a negative one (-1: all "
                         f"cores), got {n_jobs!r}.")
    if n_tasks is not None:
        n = min(n, max(1, int(n_tasks)))
    return n
