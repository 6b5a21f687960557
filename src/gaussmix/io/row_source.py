"""Rows read chunk by chunk on this machine: memmaps and files, never copied whole.

A *row source* is what the EM engine reads when the data are not an array in memory:
it knows its shape, dtype and column names without reading the rows, and yields the
rows as ``(X_chunk, w_chunk)`` pairs of at most ``chunk`` rows, each checked as an
in-memory ``X`` is checked (numeric, finite, the right width) with the same messages,
plus the file and the row where the problem is. :class:`ArrayRows` reads a numpy
array or memmap (a slice of a memmap is read from disk when it is used);
:class:`~gaussmix.io.file_source.FileSource` reads ``.npy``, Parquet and CSV files.
"""

from __future__ import annotations

import copy

import numpy as np


def float_dtype(dtypes):
    """The dtype rows are fitted in: float32 if every column is float32, else float64
    (as an in-memory ``X`` is converted).

    Examples
    --------
    >>> float_dtype([np.dtype("float32")]), float_dtype([np.dtype("float32"), np.dtype("int64")])
    (dtype('float32'), dtype('float64'))
    """
    dtypes = [np.dtype(t) for t in dtypes]
    if dtypes and all(t == np.float32 for t in dtypes):
        return np.dtype(np.float32)
    return np.dtype(np.float64)


class NonNumericError(TypeError, ValueError):
    """Data with a column that is not numeric. Worded as for an in-memory ``X`` (which
    raises a TypeError or, for text pandas cannot convert, a ValueError), and both."""


def check_numeric_dtype(dtype, what, column=None):
    """A :class:`NonNumericError`, worded as for an in-memory ``X``, unless ``dtype``
    holds real numbers (floats, integers or booleans)."""
    dtype = np.dtype(dtype)
    if dtype.kind not in "fiub":
        where = f"column {column!r} has dtype {dtype}" if column is not None else f"dtype {dtype}"
        raise NonNumericError(f"{what} contains non-numeric values ({where}); select the numeric "
                        "columns (e.g. DataFrame.select_dtypes('number')).")


def check_chunk(raw, dtype, what, first_row):
    """One chunk as a finite float array of ``dtype``, or an error naming the row.

    Parameters
    ----------
    raw : ndarray of shape (n, d)
        The rows as read (any real dtype).
    dtype : numpy dtype
        float32 or float64.
    what : str
        How to name the data in messages (``"X"``, or ``"X ('big.parquet')"``).
    first_row : int
        Index (0-based) of the chunk's first row in the whole data.

    Returns
    -------
    X : ndarray of shape (n, d)
        ``raw`` itself when it has ``dtype`` already (a memmap slice stays one).

    Examples
    --------
    >>> check_chunk(np.array([[1.0], [np.nan]]), np.float64, "X", 10)
    Traceback (most recent call last):
    ...
    ValueError: X contains NaN (NaN or infinity) in row 12: gaussmix cannot fit or score missing or infinite values yet; drop or impute those rows first (e.g. DataFrame.dropna()).
    """
    X = np.asarray(raw, dtype=dtype)
    finite = np.isfinite(X)
    if not finite.all():
        row = int(np.flatnonzero(~finite.all(axis=1))[0])
        bad = "NaN" if np.isnan(X[row]).any() else "inf"
        raise ValueError(
            f"{what} contains {bad} (NaN or infinity) in row {first_row + row + 1}: gaussmix "
            "cannot fit or score missing or infinite values yet; drop or impute those rows "
            "first (e.g. DataFrame.dropna()).")
    return X


class RowSource:
    """Base of the sources read chunk by chunk on this machine.

    A subclass sets ``n_samples``, ``n_features``, ``dtype``, ``feature_names`` (a
    list of str, or None) and ``what`` (the name in messages), and implements
    ``_blocks(chunk)``: ``(start, raw_rows)`` pairs in row order.
    """

    #: Row weights (ndarray of shape (n_samples,)) or None for unit weights.
    w = None
    feature_names = None
    what = "X"

    @property
    def shape(self):
        """``(n_samples, n_features)``, known without reading the rows."""
        return (self.n_samples, self.n_features)

    def __len__(self):
        return self.n_samples

    def with_weights(self, w):
        """The same rows with weights ``w`` (ndarray of shape (n_samples,) or None)."""
        other = copy.copy(self)
        other.w = w
        return other

    def chunks(self, chunk):
        """``(X_chunk, w_chunk)`` pairs of at most ``chunk`` rows, in row order, each
        checked (finite, of the source's dtype)."""
        w = self.w
        for start, raw in self._blocks(max(1, int(chunk))):
            X = check_chunk(raw, self.dtype, self.what, start)
            yield X, None if w is None else w[start:start + X.shape[0]]

    def head(self, n_rows):
        """The first ``n_rows`` rows (fewer if the data have fewer), checked."""
        parts, got = [], 0
        for X, _ in self.chunks(n_rows):
            parts.append(np.array(X))
            got += X.shape[0]
            if got >= n_rows:
                break
        return np.concatenate(parts)[:n_rows] if parts else np.empty((0, self.n_features),
                                                                     self.dtype)


class ArrayRows(RowSource):
    """Rows of a numpy array or memmap, read a slice at a time.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        A memmap's pages are read as its chunks are used, so a fit holds only the
        chunks' intermediates in memory, never a copy of the array.
    what : str, default="X"
        How to name the data in messages.

    Examples
    --------
    >>> rows = ArrayRows(np.arange(10.0).reshape(5, 2))
    >>> [X.shape for X, _ in rows.chunks(2)]
    [(2, 2), (2, 2), (1, 2)]
    """

    def __init__(self, X, what="X"):
        if X.ndim != 2:
            raise ValueError(f"{what} has shape {X.shape}; pass a 2-D array of shape "
                             "(n_samples, n_features).")
        check_numeric_dtype(X.dtype, what)
        self.X = X
        self.what = what
        self.n_samples, self.n_features = X.shape
        self.dtype = float_dtype([X.dtype])

    def _blocks(self, chunk):
        for start in range(0, self.n_samples, chunk):
            yield start, self.X[start:start + chunk]
