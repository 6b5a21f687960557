"""``gaussmix fit`` on files too large to read whole: the file streamed through a
:class:`~gaussmix.io.file_source.FileSource`, a progress bar per pass over it."""

from __future__ import annotations

import os
import sys

from ..io.file_source import FileSource
from ..io.row_source import RowSource
from ..io.tables import table_format

#: Data files larger than this (bytes) are streamed by ``gaussmix fit`` (``--stream``
#: forces it, ``--no-stream`` reads the file whole). Below it reading the file into
#: memory is faster: one parse instead of one per EM iteration.
STREAM_BYTES = 256 * 2**20


def should_stream(path, stream):
    """Whether to stream ``path``: ``stream`` if given (True/False), else by size."""
    if stream is not None:
        return bool(stream)
    try:
        table_format(path)
        return os.stat(path).st_size > STREAM_BYTES
    except (OSError, ValueError):  # read_data says what is wrong with it
        return False


class PassProgress(RowSource):
    """A row source that moves a fresh tqdm bar over each pass of its rows.

    Parameters
    ----------
    source : RowSource
    tqdm : callable or None
        ``tqdm.auto.tqdm``; None shows nothing.
    """

    def __init__(self, source, tqdm=None):
        self.source, self.tqdm, self.passes = source, tqdm, 0
        self.n_samples, self.n_features = source.n_samples, source.n_features
        self.dtype, self.feature_names, self.what = source.dtype, source.feature_names, \
            source.what

    def head(self, n_rows):
        """The first rows, read without a bar (not a pass)."""
        return self.source.head(n_rows)

    def _blocks(self, chunk):
        self.passes += 1
        bar = None if self.tqdm is None else self.tqdm(
            total=self.n_samples, desc=f"pass {self.passes}", unit="rows", unit_scale=True,
            file=sys.stderr, leave=False, dynamic_ncols=True)
        try:
            for start, raw in self.source._blocks(chunk):
                yield start, raw
                if bar is not None:
                    bar.update(raw.shape[0])
        finally:
            if bar is not None:
                bar.close()


def streamed_source(path, columns, header, show_progress):
    """The :class:`FileSource` of ``path`` behind a bar per pass (on a terminal)."""
    source = FileSource(path, columns, header=header)
    tqdm = None
    if show_progress:
        try:
            from tqdm.auto import tqdm
        except ImportError:
            tqdm = None
    return PassProgress(source, tqdm)
