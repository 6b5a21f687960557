"""Which columns a picture of many columns draws: at most :data:`MAX_PAIR_COLUMNS`,
the first ones unless chosen, by name or 0-based position."""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np

#: A grid of pairs draws at most this many columns: the first ones, unless chosen with
#: ``features=`` (``plot_columns=`` in the report, ``--plot-columns`` on the command
#: line). Its panels grow with the square of the columns; 8 columns (64 panels) take
#: a few seconds.
MAX_PAIR_COLUMNS = 8


class ColumnChoice(NamedTuple):
    """The columns a picture draws.

    Attributes
    ----------
    columns : list of int
        0-based positions, in drawing order.
    note : str or None
        Where only the first of many columns are drawn, a short note saying so (for
        the picture's title); None otherwise.
    """

    columns: list
    note: object


def pair_columns(features, names, *, option="features=", what="the pair grid"):
    """The columns of a grid of pairs: ``features`` checked, or the first
    :data:`MAX_PAIR_COLUMNS` of wider data with a :class:`UserWarning`.

    Parameters
    ----------
    features : sequence of int or str, or None
        Columns by 0-based position or by name (a name wins over a position).
    names : list of str
        Every column's name.
    option : str, default="features="
        How the caller chooses columns, for the messages.
    what : str, default="the pair grid"
        What is drawn, for the messages.

    Returns
    -------
    choice : ColumnChoice
    """
    d = len(names)
    if features is not None:
        cols = resolve_columns(features, names)
        if len(cols) > MAX_PAIR_COLUMNS:
            raise ValueError(f"{what} draws at most {MAX_PAIR_COLUMNS} columns but {len(cols)} "
                             "are chosen; choose fewer.")
        return ColumnChoice(cols, None)
    if d <= MAX_PAIR_COLUMNS:
        return ColumnChoice(list(range(d)), None)
    shown = f"{names[0]} to {names[MAX_PAIR_COLUMNS - 1]}"
    warnings.warn(f"{what} draws the first {MAX_PAIR_COLUMNS} of {d} columns ({shown}); "
                  f"choose others with {option} (--plot-columns on the command line).",
                  UserWarning, stacklevel=3)
    return ColumnChoice(list(range(MAX_PAIR_COLUMNS)),
                        f"first {MAX_PAIR_COLUMNS} of {d} columns ({shown}); choose others with "
                        f"{option} or --plot-columns")


def resolve_columns(features, names):
    """0-based positions of columns given by name or position, each at most once.

    Parameters
    ----------
    features : int, str or sequence of int or str
        A name that is a column's name picks that column; otherwise an integer (or a
        string of digits) picks a column by its 0-based position.
    names : list of str
        Every column's name.

    Returns
    -------
    columns : list of int

    Examples
    --------
    >>> resolve_columns(["b", 0, "2"], ["a", "b", "c"])
    [1, 0, 2]
    """
    items = [features] if isinstance(features, (str, int, np.integer)) else list(features)
    if not items:
        raise ValueError("no column is chosen; name at least one.")
    cols = [_position(item, names) for item in items]
    twice = sorted({names[c] for c in cols if cols.count(c) > 1})
    if twice:
        raise ValueError(f"column {twice[0]!r} is chosen twice; give each column once.")
    return cols


def _position(item, names):
    """The position of one column given by name or position."""
    d = len(names)
    text = str(item).strip()
    if isinstance(item, str) and text in names:
        return names.index(text)
    if isinstance(item, (int, np.integer)) or text.isdigit():
        if 0 <= int(text) < d:
            return int(text)
        raise ValueError(f"column position {text} is not in the data, whose {d} column(s) "
                         f"are at positions 0 to {d - 1}.")
    have = ", ".join(names[:12]) + (", ..." if d > 12 else "")
    raise ValueError(f"column {text!r} is not in the data (its columns: {have}).")
