"""The one way gaussmix writes a file: atomically.

The output goes to a temporary file beside the target and is renamed over it only
when complete, so a failed command never leaves a half-written or stray file behind,
and an existing file stays as it was until the new one is whole.
"""

from __future__ import annotations

import contextlib
import os
import tempfile

from .errors import DataError, MissingFolderError


def _umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_folder(path):
    """Raise unless ``path`` could be written: its folder exists and it is no folder.

    Raises
    ------
    MissingFolderError
        The folder of ``path`` does not exist.
    DataError
        ``path`` is a folder.
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise MissingFolderError(f"cannot write {path!r}: folder {folder!r} does not exist; "
                                 "create it first or choose another output path.")
    if os.path.isdir(path):
        raise DataError(f"cannot write {path!r}: it is a folder; give a file name.")


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path``; rename it to ``path`` on success.

    The temporary file has the same extension (writers that pick a format from it
    work). On any exception it is removed, and ``path`` is left as it was.

    Raises
    ------
    MissingFolderError, DataError
        As :func:`check_folder`.
    """
    path = os.fspath(path)
    check_folder(path)
    folder = os.path.dirname(os.path.abspath(path))
    ext = os.path.splitext(path)[1]
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".gaussmix-", suffix=ext or ".tmp")
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_text(text, path):
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
