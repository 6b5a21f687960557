"""Summing chunk statistics, serially or on threads, in chunk order.

numpy and BLAS release the interpreter lock, so a chunk's E-step runs on its own
thread while BLAS itself is held to one thread (the cores are not oversubscribed).
The pool belongs to one :class:`ChunkMap`, which a fit opens and closes: no thread
pool outlives the work it was made for.
"""

from __future__ import annotations

import operator
from concurrent.futures import ThreadPoolExecutor
from functools import reduce
from itertools import islice


class ChunkMap:
    """Maps a function over chunks and adds the results, in chunk order.

    The chunks and the order of the sum do not depend on the number of threads, so
    neither does the result. Use as a context manager (the pool, if any, is shut
    down on exit); unused, it starts no thread.

    Parameters
    ----------
    n_threads : int, default=1
        Worker threads; 1 runs everything in the calling thread.

    Examples
    --------
    >>> with ChunkMap(2) as cmap:
    ...     cmap.sum(lambda c: sum(c), [[1, 2], [3], [4, 5]])
    15
    """

    def __init__(self, n_threads=1):
        self.n_threads = max(1, int(n_threads))
        self._pool = None
        self._blas = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def sum(self, fn, chunks):
        """``fn(c0) + fn(c1) + ...`` over the iterable ``chunks``, in order."""
        chunks = iter(chunks)
        if self.n_threads <= 1:
            return reduce(operator.add, map(fn, chunks))
        first = list(islice(chunks, self.n_threads))
        if len(first) <= 1:
            return reduce(operator.add, map(fn, first))
        total = None
        with self._blas_limit():
            # a window of one chunk per thread in flight at a time, summed in chunk
            # order: the partial statistics never pile up in memory
            window = first
            while window:
                for part in self._executor().map(fn, window):
                    total = part if total is None else total + part
                window = list(islice(chunks, self.n_threads))
        return total

    def _executor(self):
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.n_threads,
                                            thread_name_prefix="gaussmix-estep")
        return self._pool

    def _blas_limit(self):
        """BLAS held to one thread (threadpoolctl), the controller built once per map."""
        if self._blas is None:
            from threadpoolctl import ThreadpoolController

            self._blas = ThreadpoolController()
        return self._blas.limit(limits=1, user_api="blas")
