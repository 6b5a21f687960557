"""A memo of agglomerations, owned by whoever fits many models on the same data."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import numpy as np


class AgglomerationCache:
    """Merge partitions of agglomerated row sets, so several fits agglomerate once.

    The merge tree depends on the rows alone, so fitting several K or covariance
    types on the same data can share it, as mclust's ``mclustBIC`` does.
    :func:`gaussmix.select` makes one per selection and hands it to every
    candidate; a lone fit makes its own. Entries are keyed on the rows' contents
    (the agglomeration always runs on a small in-memory sample of at most a few
    thousand rows, cheap to hash). Safe to share between threads.

    Parameters
    ----------
    max_entries : int, default=4
        Row sets remembered (least recently used dropped first).
    """

    def __init__(self, max_entries=4):
        self.max_entries = int(max_entries)
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def __getstate__(self):  # a lock cannot be pickled (process workers)
        return {"max_entries": self.max_entries, "_entries": self._entries}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def __len__(self):
        return len(self._entries)

    @staticmethod
    def key(rows):
        """The cache key of a row set: digest, shape and dtype."""
        digest = hashlib.sha1(np.ascontiguousarray(rows).tobytes()).hexdigest()
        return digest, rows.shape, rows.dtype.str

    def get(self, rows):
        """``(index, labels)`` stored for ``rows``, or None."""
        with self._lock:
            return self._entries.get(self.key(rows))

    def put(self, rows, value):
        """Remember ``(index, labels)`` for ``rows``."""
        key = self.key(rows)
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
