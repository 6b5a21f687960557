"""Refusing, up front, work whose arrays could never fit in this machine's memory."""

from __future__ import annotations

import os


def physical_memory():
    """Bytes of physical memory of this machine, or None where the OS does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # pragma: no cover - not POSIX
        return None


def human_bytes(n_bytes):
    """``n_bytes`` for people: ``"1.5 GB"``, ``"16.0 TB"``.

    Examples
    --------
    >>> human_bytes(1536 * 2**20)
    '1.5 GB'
    """
    value = float(n_bytes)
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if value < 1024 or unit == "PB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} PB"  # pragma: no cover - the loop always returns


def check_fits_in_memory(n_bytes, what, hint):
    """Raise a ValueError naming the bytes ``what`` needs if they exceed this machine's
    physical memory (such a request can only fail later, or make the machine swap).

    Parameters
    ----------
    n_bytes : int
    what : str
        What needs the memory, e.g. ``"sample(10**12)"``.
    hint : str
        What to do instead.

    Examples
    --------
    >>> check_fits_in_memory(2**90, "sample(10**27)", "draw fewer rows")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: sample(10**27) would need 1099511627776.0 PB for its arrays, more than ...
    """
    total = physical_memory()
    if total is not None and n_bytes > total:
        raise ValueError(f"{what} would need {human_bytes(n_bytes)} for its arrays, more "
                         f"than this machine's memory ({human_bytes(total)}); {hint}.")
