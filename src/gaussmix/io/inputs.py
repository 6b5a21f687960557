"""Opening files a user names as inputs: regular files only, of bounded size.

A FIFO would block a read forever, a device such as ``/dev/zero`` never ends, and a
folder is no file: each is refused at once, before anything is read, with a message
that says what the path is. Links are followed (the file they point to is checked).
"""

from __future__ import annotations

import io
import os
import stat

from .errors import DataError, MissingFileError

#: What each non-regular file type is called in messages.
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def check_regular_file(path, what="file"):
    """The ``os.stat`` result of ``path`` if it is a regular file (links followed).

    Parameters
    ----------
    path : str or os.PathLike
    what : str
        How to name the file in messages ("data file", "model file", ...).

    Returns
    -------
    os.stat_result

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist (a :class:`~gaussmix.io.errors.MissingFileError`,
        also a DataError).
    DataError
        ``path`` is a folder, a pipe, a device or a socket.

    Examples
    --------
    >>> check_regular_file("/dev/null", "data file")
    Traceback (most recent call last):
    ...
    gaussmix.io.errors.DataError: '/dev/null' is a character device, not a regular data file; give the path of a file on disk.
    """
    path = os.fspath(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise MissingFileError(f"{what} {path!r} does not exist; check the path.") from None
    _refuse_special(info, path, what)
    return info


def _refuse_special(info, path, what):
    """A DataError unless ``info`` (an ``os.stat`` result) is a regular file's."""
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise DataError(f"{path!r} is {kind}, not a regular {what}; give the path of a "
                            "file on disk.")


def read_bytes_capped(path, max_bytes, what="file"):
    """The bytes of a regular file of at most ``max_bytes`` (checked before reading).

    Raises
    ------
    FileNotFoundError, DataError
        As :func:`check_regular_file`; also a DataError when the file is larger than
        ``max_bytes`` (the message gives both sizes).
    """
    info = check_regular_file(path, what)
    if info.st_size > max_bytes:
        raise DataError(f"{what} {os.fspath(path)!r} is {info.st_size} bytes, more than the "
                        f"limit of {max_bytes} bytes; check that it is the right file.")
    with open_regular(path, what) as fh:
        # the reader stops at the size the file had when opened; asking for no more
        # than that keeps Python from reserving the whole limit up front
        data = fh.read(min(info.st_size, max_bytes) + 1)
    if len(data) > max_bytes:
        raise DataError(f"{what} {os.fspath(path)!r} is more than {max_bytes} bytes; check "
                        "that it is the right file.")
    return data


def open_regular(path, what="file"):
    """A binary reader of the regular file ``path`` that ends at the size the file had
    when it was opened (a file that grows while it is read is still read to an end).

    ``path`` is checked first without opening it (a FIFO is never opened, so it cannot
    block), then opened without blocking and checked again through the open file (a
    path swapped for a pipe or a device in between is refused too). The reader is
    seekable (pandas, NumPy and pyarrow read from it) and has no ``fileno``, so every
    read goes through the size limit.

    Raises
    ------
    FileNotFoundError, DataError
        As :func:`check_regular_file`.
    """
    check_regular_file(path, what)
    path = os.fspath(path)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        _refuse_special(info, path, what)
        raw = _BoundedFile(io.FileIO(fd, "rb", closefd=True), info.st_size)
    except BaseException:
        os.close(fd)
        raise
    return io.BufferedReader(raw, buffer_size=1 << 20)


class _BoundedFile(io.RawIOBase):
    """The first ``size`` bytes of an open file, read and seek only."""

    def __init__(self, raw, size):
        super().__init__()
        self._raw, self._size, self._pos = raw, size, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def readinto(self, buffer):
        n = max(0, min(len(buffer), self._size - self._pos))
        if n == 0:
            return 0
        self._raw.seek(self._pos)
        got = self._raw.readinto(memoryview(buffer)[:n])
        self._pos += got or 0
        return got

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise ValueError(f"negative seek position {base + offset}")
        self._pos = base + offset
        return self._pos

    def tell(self):
        return self._pos

    def close(self):
        if not self.closed:
            self._raw.close()
        super().close()
