"""Opening files a user names as inputs: regular files only, of bounded size.

A FIFO would block a read forever, a device such as ``/dev/zero`` never ends, and a
folder is no file: each is refused at once, before anything is read, with a message
that says what the path is. Links are followed (the file they point to is checked).
"""

from __future__ import annotations

import os
import stat

from .errors import DataError

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
        ``path`` does not exist.
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
        raise FileNotFoundError(f"{what} {path!r} does not exist; check the path.") from None
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise DataError(f"{path!r} is {kind}, not a regular {what}; give the path of a "
                            "file on disk.")
    return info


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
    with open(path, "rb") as fh:
        data = fh.read(max_bytes + 1)  # a file that grew since stat is still bounded
    if len(data) > max_bytes:
        raise DataError(f"{what} {os.fspath(path)!r} is more than {max_bytes} bytes; check "
                        "that it is the right file.")
    return data
