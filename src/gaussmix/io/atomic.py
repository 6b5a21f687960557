"""The one way gaussmix writes a file: atomically.

The output goes to a temporary file beside the target and is renamed over it only
when complete, so a failed command never leaves a half-written or stray file behind,
and an existing file stays as it was until the new one is whole.

- A target that is a symbolic link is written through: the link stays a link and the
  file it points to gets the new content (the temporary file is made beside that
  file, so the rename stays within one folder).
- A read-only target is refused (:class:`~gaussmix.io.errors.OutputPermissionError`,
  a ``PermissionError``) unless replacing it is forced (``force=True``, or
  :func:`replacing_read_only` around the writes); a replaced file keeps its
  permissions, a new file gets ``0666`` less the umask.
- A target that is a pipe, a device or a socket is refused (it cannot be replaced
  atomically).
- Errors name the target, never the hidden temporary file.
- Temporary files not yet renamed are listed, so that :func:`remove_temporaries` can
  remove them when the process is stopped by a signal at any moment.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import secrets
import stat

from .errors import DataError, MissingFolderError, OutputPermissionError

#: Whether writes in the current context may replace read-only files.
_FORCE = contextvars.ContextVar("gaussmix_replace_read_only", default=False)

#: Temporary files created and not yet renamed or removed.
_LIVE = set()

_PREFIX = ".gaussmix-"


def _umask():
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def replacing_read_only(enabled=True):
    """Within this context, writes replace read-only targets (the command line's
    ``--force``) unless they say otherwise."""
    token = _FORCE.set(bool(enabled))
    try:
        yield
    finally:
        _FORCE.reset(token)


def resolve_target(path):
    """The file a write to ``path`` replaces: ``path`` itself, or where its link points."""
    path = os.fspath(path)
    return os.path.realpath(path) if os.path.islink(path) else os.path.abspath(path)


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
    folder = os.path.dirname(resolve_target(path))
    if not os.path.isdir(folder):
        raise MissingFolderError(f"cannot write {path!r}: folder {folder!r} does not exist; "
                                 "create it first or choose another output path.")
    if os.path.isdir(path):
        raise DataError(f"cannot write {path!r}: it is a folder; give a file name.")


def _read_only(info, target):
    """Whether the existing file is read-only: nobody may write it, or we may not."""
    return not stat.S_IMODE(info.st_mode) & 0o222 or not os.access(target, os.W_OK)


def check_target(path, force=None, force_hint="force=True"):
    """Raise unless a write to ``path`` can succeed; call it before long work.

    Checks, after following a link: the folder exists and may be written, the target
    is not a folder, pipe, device or socket, and it is not read-only (unless
    ``force``; default: as :func:`replacing_read_only` says).

    Returns
    -------
    str
        The absolute path of the file that will be replaced or created.

    Raises
    ------
    MissingFolderError
        The folder does not exist.
    OutputPermissionError
        The folder is not writable, or the target is read-only and ``force`` is false
        (``force_hint`` says in the message how to force it).
    DataError
        The target is a folder or not a regular file.
    """
    path = os.fspath(path)
    check_folder(path)
    target = resolve_target(path)
    folder = os.path.dirname(target)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise DataError(f"cannot write {path!r}: it is not a regular file (a pipe, device or "
                        "socket cannot be replaced); give the path of a file.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputPermissionError(f"cannot write {path!r}: folder {folder!r} is not "
                                    "writable; choose another output folder or make it writable.")
    force = _FORCE.get() if force is None else force
    if info is not None and not force and _read_only(info, target):
        raise OutputPermissionError(f"cannot replace {path!r}: it is read-only; make it "
                                    f"writable (chmod u+w) or pass {force_hint} to replace it.")
    return target


def _new_temporary(folder, ext):
    """Create an empty private file with a fresh hidden name in ``folder``; listed in
    ``_LIVE`` before it exists, so that a signal cannot leave it unlisted."""
    while True:
        tmp = os.path.join(folder, f"{_PREFIX}{secrets.token_hex(6)}{ext}")
        _LIVE.add(tmp)
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            return tmp
        except FileExistsError:
            _LIVE.discard(tmp)
        except BaseException:
            _LIVE.discard(tmp)
            raise


def _about_target(exc, tmp, path):
    """``exc`` again, naming ``path`` where it named the temporary file ``tmp``."""
    if isinstance(exc, OSError) and tmp and (exc.filename == tmp or tmp in str(exc)):
        if isinstance(exc, PermissionError):
            return OutputPermissionError(f"cannot write {path!r}: permission denied; choose "
                                         "another output path or fix its permissions.")
        if exc.errno is not None and exc.strerror:
            return OSError(exc.errno, exc.strerror, path)  # the errno's subclass, as raised
        return OSError(str(exc).replace(tmp, path))
    return None


def _remove(tmp):
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    _LIVE.discard(tmp)


@contextlib.contextmanager
def atomic_path(path, *, force=None):
    """Yield a temporary path beside ``path``; rename it to ``path`` on success.

    The temporary file has the same extension (writers that pick a format from it
    work). On any exception it is removed, and ``path`` is left as it was. A link is
    written through; a read-only target is refused unless ``force`` (default: as
    :func:`replacing_read_only` says); a replaced file keeps its permissions.

    Raises
    ------
    MissingFolderError, OutputPermissionError, DataError
        As :func:`check_target`.
    """
    path = os.fspath(path)
    target = check_target(path, force)
    ext = os.path.splitext(path)[1]
    try:
        tmp = _new_temporary(os.path.dirname(target), ext or ".tmp")
    except OSError as exc:
        raise (_about_target(exc, exc.filename, path) or exc) from None
    try:
        yield tmp
        mode = (stat.S_IMODE(os.stat(target).st_mode) if os.path.exists(target)
                else 0o666 & ~_umask())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        better = _about_target(exc, tmp, path)
        if better is None:
            raise
        raise better from None
    finally:
        _remove(tmp)


def remove_temporaries():
    """Remove every temporary file not yet renamed (for a process stopped by a signal)."""
    for tmp in list(_LIVE):
        _remove(tmp)


def write_text(text, path, *, force=None):
    """Write ``text`` (UTF-8) to ``path`` atomically (``force``: as :func:`atomic_path`)."""
    with atomic_path(path, force=force) as tmp:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
