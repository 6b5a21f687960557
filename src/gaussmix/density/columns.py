"""Which columns of a mixture an operation is about: given by 0-based position or,
for a model fitted on a DataFrame, by name.

Marginals keep some columns and conditioning fixes some; both take the columns as a
user writes them and need the positions, checked once here.
"""

from __future__ import annotations

import numbers

import numpy as np


def mixture_names(mixture):
    """A fitted mixture's column names (``feature_names_in_``) as a list, or None."""
    names = getattr(mixture, "feature_names_in_", None)
    return None if names is None else [str(n) for n in names]


def column_positions(columns, names, n_features):
    """0-based positions of columns given by position or name, each at most once.

    Parameters
    ----------
    columns : int, str or sequence of int or str
        An integer is a 0-based position (negative positions are refused: they
        would silently pick columns from the end); a string is a column name.
    names : list of str or None
        The model's column names; None when it was fitted without names.
    n_features : int
        Number of columns of the model.

    Returns
    -------
    positions : ndarray of int, shape (m,)
        In the order given.

    Raises
    ------
    ValueError
        No column, an unknown name, a position out of range, or a column given twice.
    TypeError
        A column that is neither an integer nor a string.

    Examples
    --------
    >>> column_positions(["waiting", 0], ["eruptions", "waiting"], 2)
    array([1, 0])
    >>> column_positions(2, None, 3)
    array([2])
    """
    items = [columns] if _is_one_column(columns) or np.ndim(columns) == 0 else list(columns)
    if not items:
        raise ValueError("columns is empty; give at least one column, by position or name.")
    positions = [_position(item, names, n_features) for item in items]
    twice = sorted({p for p in positions if positions.count(p) > 1})
    if twice:
        label = names[twice[0]] if names is not None else twice[0]
        raise ValueError(f"column {label!r} is given twice; give each column once.")
    return np.asarray(positions, dtype=np.intp)


def split_columns(columns, names, n_features):
    """The given columns' positions and the positions of all the others.

    Parameters
    ----------
    columns : int, str or sequence of int or str
        As :func:`column_positions`.
    names : list of str or None
    n_features : int

    Returns
    -------
    given : ndarray of int, shape (m,)
        In the order given.
    rest : ndarray of int, shape (n_features - m,)
        The other columns, in the model's order.

    Raises
    ------
    ValueError
        As :func:`column_positions`, or when ``columns`` names every column (nothing
        would be left to describe).

    Examples
    --------
    >>> split_columns([2, 0], None, 4)
    (array([2, 0]), array([1, 3]))
    """
    given = column_positions(columns, names, n_features)
    rest = np.setdiff1d(np.arange(n_features), given)
    if rest.size == 0:
        raise ValueError(f"columns names all {n_features} column(s) of the model, which leaves "
                         "nothing to condition; give fewer columns (or use score_samples for "
                         "the density of whole rows).")
    return given, rest


def _is_one_column(columns):
    return isinstance(columns, (str, numbers.Integral)) and not isinstance(columns, bool)


def _position(item, names, n_features):
    """The position of one column given by position or name."""
    if isinstance(item, str):
        if names is None:
            raise ValueError(f"column {item!r} is a name, but the model was fitted without "
                             "column names; give 0-based positions, or fit on a DataFrame.")
        if item not in names:
            have = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
            raise ValueError(f"column {item!r} is not one of the model's columns ({have}).")
        return names.index(item)
    if isinstance(item, bool) or not isinstance(item, numbers.Integral):
        raise TypeError(f"a column must be an integer position or a name, got {item!r} of "
                        f"type {type(item).__name__}.")
    if not 0 <= int(item) < n_features:
        raise ValueError(f"column position {int(item)} is out of range: the model's "
                         f"{n_features} column(s) are at positions 0 to {n_features - 1}.")
    return int(item)
