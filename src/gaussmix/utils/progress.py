"""Progress bars: one tqdm bar on stderr, shown only where someone can see it."""

from __future__ import annotations

import sys


def progress_bar(show, total, desc, unit="fit"):
    """A tqdm bar on stderr, or None.

    Parameters
    ----------
    show : bool or None
        True: always (if tqdm is installed); False: never; None: only when stderr is
        a terminal.
    total : int
        Steps the bar counts to.
    desc : str
        Its label.
    unit : str, default="fit"

    Returns
    -------
    bar : tqdm.tqdm or None
        None where no bar is shown (the caller then skips its updates).

    Examples
    --------
    >>> progress_bar(False, 10, "fits") is None
    True
    """
    if show is False:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    if show is None and not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        return None
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False,
                dynamic_ncols=True)
