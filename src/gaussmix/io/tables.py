"""Reading data tables (CSV, Parquet, ``.npy``) and writing result tables atomically.

The command line and the report read their data through :func:`read_table`, which
returns a float64 matrix and its column names, and write tables through
:func:`write_table` (by way of :func:`gaussmix.io.atomic.atomic_path`).

pandas is imported inside the functions that need it (``import gaussmix`` stays
light); Parquet needs pyarrow.
"""

from __future__ import annotations

import csv
import os
import re
import warnings

import numpy as np

from ..utils.columns import default_names
from .atomic import atomic_path, check_target
from .errors import DataError
from .inputs import open_regular

#: Extensions read and written, by format.
CSV_EXTS = (".csv", ".tsv", ".txt")
PARQUET_EXTS = (".parquet", ".pq")
NPY_EXTS = (".npy",)


def _ext(path):
    return os.path.splitext(os.fspath(path))[1].lower()


def table_format(path, *, allow_npy=True):
    """``"csv"``, ``"parquet"`` or ``"npy"`` from the file extension, or a DataError."""
    ext = _ext(path)
    if ext in CSV_EXTS:
        return "csv"
    if ext in PARQUET_EXTS:
        return "parquet"
    if allow_npy and ext in NPY_EXTS:
        return "npy"
    known = "CSV (.csv), Parquet (.parquet)" + (" or NumPy (.npy)" if allow_npy else "")
    raise DataError(f"cannot tell the format of {os.fspath(path)!r} from its extension "
                    f"{ext or '(none)'!r}; use a {known} file name.")


def _need_pandas(what):
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise DataError(f"{what} needs pandas; install it with: pip install 'gaussmix[cli]'.") \
            from None
    return pd


def _need_pyarrow(path):
    try:
        import pyarrow  # noqa: F401
    except ImportError:  # pragma: no cover - exercised only without the extra
        raise DataError(f"reading or writing Parquet ({os.fspath(path)!r}) needs pyarrow; "
                        "install it with: pip install 'gaussmix[all]'.") from None


def parse_columns(spec):
    """Split a ``--columns`` value ``"a,b,c"`` into names; None stays None."""
    if spec is None:
        return None
    if isinstance(spec, str):
        spec = spec.split(",")
    names = [str(s).strip() for s in spec if str(s).strip()]
    if not names:
        raise DataError("--columns is empty; give column names separated by commas, "
                        "e.g. --columns eruptions,waiting.")
    return names


def _looks_numeric(text):
    try:
        float(text)
    except (TypeError, ValueError):
        return False
    return True


class HeaderGuessWarning(UserWarning):
    """The first row of a CSV file held only whole numbers: whether it names the
    columns was guessed (pass ``header=True`` or ``False`` to decide)."""


def header_rule(cells):
    """Whether a CSV's first row (its cells, as text) is a header, and whether that
    was a guess: ``(is_header, guessed)``.

    - A row with a cell that is not a number is a header.
    - A row that is exactly ``0,1,...,d-1`` is a header (the column names pandas
      writes for a DataFrame without names): a guess.
    - Another row of whole numbers only is data: a guess (it might name the columns).
    - A row of numbers with a fraction or an exponent is data.

    Examples
    --------
    >>> header_rule(["eruptions", "waiting"]), header_rule(["0", "1", "2"])
    ((True, False), (True, True))
    >>> header_rule(["3", "1", "4"]), header_rule(["3.6", "79"])
    ((False, True), (False, False))
    """
    cells = [c.strip() for c in cells]
    if not all(_looks_numeric(c) for c in cells):
        return True, False
    if cells == [str(i) for i in range(len(cells))]:
        return True, True
    return False, all(re.fullmatch(r"[+-]?\d+", c) for c in cells)


def header_note(path, cells, is_header, yes="header=True", no="header=False"):
    """The sentence that says which way :func:`header_rule` guessed, and how to say
    otherwise (``yes``/``no``: how to force a header or none)."""
    shown = ",".join(cells[:6]) + (",..." if len(cells) > 6 else "")
    if is_header:
        return (f"read the first row of {path!r} ({shown}) as column names, as pandas writes "
                f"them; pass {no} if it is data.")
    return (f"read the first row of {path!r} ({shown}) as data, not column names; pass "
            f"{yes} if it names the columns.")


def _first_row(fh, sep):
    """The cells of the first line of a binary CSV stream, which is rewound."""
    line = fh.readline().decode("utf-8", errors="replace").lstrip("\ufeff")
    fh.seek(0)
    return next(csv.reader([line], delimiter=sep, skipinitialspace=True), [])


def _read_csv(fh, path, pd, header, on_guess):
    """(frame, has_names) of a CSV stream, the header decided by :func:`header_rule`
    unless ``header`` is True or False."""
    sep = "\t" if _ext(path) == ".tsv" else ","
    if header is None:
        cells = _first_row(fh, sep)
        header, guessed = header_rule(cells) if cells else (True, False)
        if guessed and on_guess is not None:
            on_guess(header, cells)
        elif guessed:
            warnings.warn(header_note(path, cells, header), HeaderGuessWarning, stacklevel=4)
    frame = pd.read_csv(fh, sep=sep, skipinitialspace=True, header=0 if header else None)
    if not header:
        frame.columns = default_names(frame.shape[1])
    return frame, bool(header)


def npy_matrix(arr, path):
    """The array of a ``.npy`` file as (n_samples, n_features): a 1-D array is one
    column; any other shape is a DataError."""
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise DataError(f"{path!r} holds an array of shape {arr.shape}; gaussmix needs "
                        "a 2-D array of shape (n_samples, n_features).")
    return arr


def _read_npy(fh, path, pd):
    try:
        arr = np.load(fh, allow_pickle=False)
    except ValueError as exc:
        raise DataError(f"{path!r} is not a numeric NumPy array file ({exc}); save "
                        "the data with numpy.save on a numeric array.") from None
    arr = npy_matrix(arr, path)
    if np.iscomplexobj(arr):
        raise DataError(f"{path!r} holds complex numbers ({arr.dtype}); gaussmix fits real "
                        "data, so save the real and imaginary parts as separate columns.")
    return pd.DataFrame(arr, columns=default_names(arr.shape[1])), False


def _cannot_read(path, fmt, exc):
    """The DataError for a file the parser rejected."""
    msg = " ".join(str(exc).split())
    if "No columns to parse" in msg:
        return DataError(f"data file {path!r} is empty; give a file with a header row and "
                         "at least one row of numbers.")
    if not isinstance(exc, (OSError, ValueError, UnicodeDecodeError)):
        msg = f"{type(exc).__name__}: {msg}"  # pyarrow raises its own error types
    return DataError(f"cannot read {path!r} as {fmt.upper()} ({msg}); check that the file "
                     "and its extension match.")


def read_frame(path, header=None, on_guess=None):
    """Read a CSV, Parquet or ``.npy`` file into a pandas DataFrame (all columns).

    Only a regular file is read (links followed), and only up to the size it had
    when opened: a folder, a pipe or a device is refused at once. A ``.npy`` array of
    shape (n,) or (n, d) gets columns ``x0 .. x{d-1}``; a complex one is refused.

    Parameters
    ----------
    path : str or os.PathLike
    header : bool, optional
        CSV only: whether the first row names the columns. Default: decided by
        :func:`header_rule` (a row that is not all numbers, or is exactly
        ``0,1,...,d-1``, is a header); a CSV without a header gets columns ``x0 ..``.
    on_guess : callable, optional
        Called as ``on_guess(is_header, cells)`` when the rule had to guess (the first
        row holds only whole numbers); default: a :class:`HeaderGuessWarning` saying
        which way it went (:func:`header_note`).

    Returns
    -------
    frame : DataFrame of shape (n_samples, n_columns)
    has_names : bool
        False for ``.npy`` files and header-less CSV (column names were made up).
    """
    path = os.fspath(path)
    fmt = table_format(path)
    if header is not None and fmt != "csv":
        raise DataError(f"header={header} applies to CSV data, but {path!r} is "
                        f"{fmt.upper()}; leave it out.")
    pd = _need_pandas("reading data files")
    with open_regular(path, "data file") as fh:
        try:
            if fmt == "npy":
                return _read_npy(fh, path, pd)
            if fmt == "parquet":
                _need_pyarrow(path)
                return pd.read_parquet(fh), True
            return _read_csv(fh, path, pd, header, on_guess)
        except (DataError, Warning):  # a warning: raised under -W error
            raise
        except Exception as exc:  # parsers raise many types (pyarrow its own)
            raise _cannot_read(path, fmt, exc) from None


def select_numeric(frame, columns=None, *, source="the data", allow_missing=False):
    """The chosen columns of ``frame`` as a float64 matrix, with clear errors.

    Parameters
    ----------
    frame : DataFrame of shape (n_samples, n_columns)
    columns : list of str, optional
        Names to keep, in this order; an integer-looking name that is not a column
        name picks a column by position (0-based). Default: all columns, which must
        then all be numeric.
    source : str
        How to name the data in messages (usually the file name).
    allow_missing : bool, default=False
        Let empty cells through as NaN (infinite values stay an error).

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float64
    names : list of str
    """
    pd = _need_pandas("reading data files")
    if columns is None:
        chosen = list(frame.columns)
    else:
        chosen = []
        for name in columns:
            if name in frame.columns:
                chosen.append(name)
            elif name.lstrip("-").isdigit() and 0 <= int(name) < frame.shape[1]:
                chosen.append(frame.columns[int(name)])
            else:
                have = ", ".join(map(str, frame.columns[:12])) + (", ..." if frame.shape[1] > 12
                                                                 else "")
                raise DataError(f"column {name!r} is not in {source} (its columns: {have}); "
                                "check the --columns names.")
        if len(set(chosen)) != len(chosen):
            raise DataError(f"--columns names a column twice ({', '.join(map(str, chosen))}); "
                            "give each column once.")
    if not chosen:
        raise DataError(f"{source} has no columns; give a file with at least one numeric column.")
    if frame.shape[0] == 0:
        raise DataError(f"{source} has no rows; give at least one row of numbers.")
    sub = frame[chosen]
    for name in chosen:
        _check_real_column(pd, sub[name], name, source, columns is None)
    X = sub.to_numpy(dtype=np.float64, na_value=np.nan)
    bad_rows = (np.isinf(X) if allow_missing else ~np.isfinite(X)).any(axis=1)
    if bad_rows.any():
        j = int(np.argmax(~np.isfinite(X[bad_rows]).any(axis=0)))
        raise DataError(f"{source} has {int(bad_rows.sum())} row(s) with missing or infinite "
                        f"values (first in column {chosen[j]!r}, row "
                        f"{int(np.flatnonzero(bad_rows)[0]) + 1}); drop or fill them first"
                        + ("." if np.isinf(X).any() else " ('gaussmix fit' and 'gaussmix "
                           "select' fit empty cells with --missing em, 'gaussmix impute' "
                           "fills them)."))
    return X, [str(c) for c in chosen]


def _check_real_column(pd, col, name, source, all_columns):
    """A DataError unless ``col`` holds real numbers (not text, booleans or complex)."""
    if pd.api.types.is_complex_dtype(col):
        raise DataError(f"column {name!r} of {source} holds complex numbers; gaussmix fits "
                        "real data, so give the real and imaginary parts as separate columns.")
    if not (pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)):
        bad = col[pd.to_numeric(col, errors="coerce").isna() & col.notna()]
        example = f" (e.g. {bad.iloc[0]!r} in row {bad.index[0] + 1})" if len(bad) else ""
        hint = ("pick the numeric columns with --columns" if all_columns
                else "choose numeric columns with --columns")
        raise DataError(f"column {name!r} of {source} is not numeric{example}; {hint}.")


def read_table(path, columns=None, header=None):
    """Read numeric data from a CSV, Parquet or ``.npy`` file.

    Parameters
    ----------
    path : str or os.PathLike
    columns : str or list of str, optional
        Column names to use (``"a,b"`` or ``["a", "b"]``); default all, which must
        then be numeric.
    header : bool, optional
        CSV only: whether the first row names the columns; default: as
        :func:`header_rule` decides (a :class:`HeaderGuessWarning` when it guesses).

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float64
    names : list of str
        Column names (``x0 ..`` for ``.npy`` and header-less CSV).
    has_names : bool
        Whether the names came from the file.

    Examples
    --------
    >>> X, names, _ = read_table("faithful.csv", columns="eruptions,waiting")  # doctest: +SKIP
    """
    frame, has_names = read_frame(path, header=header)
    X, names = select_numeric(frame, parse_columns(columns), source=repr(os.fspath(path)))
    return X, names, has_names


def check_writable(path, *, allow_npy=False, formats=None, force=None,
                   force_hint="force=True"):
    """Fail early (before long work) if ``path`` cannot be an output file.

    Checks the extension (``formats``: the allowed formats of :func:`table_format`,
    or a tuple of extensions), then what :func:`gaussmix.io.atomic.check_target`
    checks: the folder exists and is writable, and the file is not read-only unless
    ``force``.
    """
    path = os.fspath(path)
    if formats is None:
        table_format(path, allow_npy=allow_npy)
    elif _ext(path) not in formats:
        raise DataError(f"cannot tell the format of {path!r} from its extension "
                        f"{_ext(path) or '(none)'!r}; use one of {', '.join(formats)}.")
    check_target(path, force, force_hint)


def write_table(frame, path):
    """Write a DataFrame to CSV or Parquet (by extension), atomically.

    Parameters
    ----------
    frame : DataFrame
    path : str or os.PathLike
        ``.csv`` / ``.tsv`` / ``.txt`` (comma- or tab-separated text) or ``.parquet``.
    """
    fmt = table_format(path, allow_npy=False)
    if fmt == "parquet":
        _need_pyarrow(path)
    with atomic_path(path) as tmp:
        if fmt == "parquet":
            frame.to_parquet(tmp, index=False)
        else:
            frame.to_csv(tmp, index=False, sep="\t" if _ext(path) == ".tsv" else ",")
