"""Two data sets checked as a pair: numeric, finite, and over the same columns.

A DataFrame's column names decide which column is which: ``Y``'s columns are put in
``X``'s order, and a column that only one of them has is an error that names it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..utils.validation import refuse_chunked


class TwoSamples(NamedTuple):
    """Two checked data sets.

    Attributes
    ----------
    X : ndarray of shape (n_x, d), float64
    Y : ndarray of shape (n_y, d), float64
        Its columns in ``X``'s order.
    names : list of str or None
        The columns' names, when either data set had them.
    """

    X: np.ndarray
    Y: np.ndarray
    names: list | None

    def pooled(self):
        """The rows of ``X`` then those of ``Y``, shape (n_x + n_y, d)."""
        return np.vstack([self.X, self.Y])

    def frame(self, rows):
        """``rows`` as a DataFrame with the columns' names, or as they are without names."""
        if self.names is None:
            return rows
        import pandas as pd

        return pd.DataFrame(rows, columns=self.names)


def check_two_samples(X, Y, min_rows=2):
    """``X`` and ``Y`` as float64 matrices over the same columns, or a clear error.

    Parameters
    ----------
    X, Y : array-like of shape (n_x, d) and (n_y, d)
        Arrays, nested lists or DataFrames; a 1-D array is one column.
    min_rows : int, default=2
        Fewest rows each must have.

    Returns
    -------
    samples : TwoSamples

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": [1., 2., 3.], "b": [4., 5., 6.]})
    >>> Y = pd.DataFrame({"b": [0., 1.], "a": [7., 8.]})      # same columns, other order
    >>> s = check_two_samples(X, Y)
    >>> s.names, s.Y.tolist()
    (['a', 'b'], [[7.0, 0.0], [8.0, 1.0]])
    """
    for data in (X, Y):
        refuse_chunked(data, "comparing two data sets")
    names_x, names_y = _names(X), _names(Y)
    if names_x is not None and names_y is not None:
        Y = Y[list(_matching_columns(X, Y, names_x, names_y))]
    Xa, Ya = _matrix(X, "X", min_rows), _matrix(Y, "Y", min_rows)
    if Xa.shape[1] != Ya.shape[1]:
        raise ValueError(f"X has {Xa.shape[1]} column(s) but Y has {Ya.shape[1]}; both data "
                         "sets must have the same columns.")
    return TwoSamples(Xa, Ya, names_x if names_x is not None else names_y)


def _names(data):
    """A DataFrame's column names as strings, or None."""
    if hasattr(data, "columns") and hasattr(data, "dtypes"):
        return [str(c) for c in data.columns]
    return None


def _matching_columns(X, Y, names_x, names_y):
    """``Y``'s own column labels in ``X``'s order, or an error naming the difference."""
    missing = [c for c in names_x if c not in names_y]
    extra = [c for c in names_y if c not in names_x]
    if missing or extra:
        parts = ([f"lacks {', '.join(map(repr, missing))}"] if missing else []) + \
                ([f"has {', '.join(map(repr, extra))} that X does not"] if extra else [])
        raise ValueError(f"Y must have X's columns ({', '.join(map(repr, names_x))}), but it "
                         f"{' and '.join(parts)}; select the same columns in both.")
    if len(set(names_y)) != len(names_y):
        raise ValueError("Y has repeated column names; give every column its own name.")
    label = dict(zip(names_y, Y.columns))
    return [label[c] for c in names_x]


def _matrix(data, what, min_rows):
    """One data set as a finite float64 matrix, or an error naming what is wrong."""
    if data is None:
        raise ValueError(f"{what} is None: pass an array-like of shape (n_samples, n_features).")
    names = _names(data)
    if names is not None:
        _check_numeric_columns(data, what, names)
        data = data.to_numpy(dtype=np.float64, na_value=np.nan)  # pandas' NA is NaN here
    A = np.asarray(data)
    if A.dtype.kind == "c":
        raise ValueError(f"{what} holds complex numbers; pass real numbers.")
    try:
        A = A.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} holds values that are not numbers ({exc}); pass numeric "
                         "data.") from None
    if A.ndim == 1:
        A = A[:, None]
    if A.ndim != 2:
        raise ValueError(f"{what} must be 2-D, of shape (n_samples, n_features), or 1-D (one "
                         f"column); got {A.ndim} dimensions, shape {A.shape}.")
    if A.shape[0] < min_rows or A.shape[1] == 0:
        raise ValueError(f"{what} has shape {A.shape}; it needs at least {min_rows} rows and "
                         "one column.")
    _check_finite(A, what, names)
    return A


def _check_numeric_columns(frame, what, names):
    from pandas.api.types import is_complex_dtype, is_numeric_dtype

    bad = [n for n, dtype in zip(names, frame.dtypes)
           if not is_numeric_dtype(dtype) or is_complex_dtype(dtype)]
    if bad:
        raise ValueError(f"column(s) {', '.join(map(repr, bad))} of {what} are not real "
                         "numbers; select the numeric columns (DataFrame.select_dtypes('number')).")


def _check_finite(A, what, names):
    bad = ~np.isfinite(A)
    if bad.any():
        col = int(np.flatnonzero(bad.any(axis=0))[0])
        row = int(np.flatnonzero(bad[:, col])[0])
        label = repr(names[col]) if names else str(col)
        kind = "NaN" if np.isnan(A[row, col]) else "infinity"
        raise ValueError(f"{what} has {int(bad.sum())} missing or infinite value(s) (first: "
                         f"{kind} in column {label}, row {row}); drop or impute those rows first "
                         "(e.g. DataFrame.dropna()).")
