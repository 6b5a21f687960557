"""Reading data tables (CSV, Parquet, ``.npy``) and writing result tables atomically.

The command line and the report read their data through :func:`read_table`, which
returns a float64 matrix and its column names, and write tables through
:func:`write_table` (by way of :func:`gaussmix.io.atomic.atomic_path`).

pandas is imported inside the functions that need it (``import gaussmix`` stays
light); Parquet needs pyarrow.
"""

from __future__ import annotations

import os

import numpy as np

from ..utils.columns import default_names
from .atomic import atomic_path, check_folder
from .errors import DataError

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


def read_frame(path):
    """Read a CSV, Parquet or ``.npy`` file into a pandas DataFrame (all columns).

    A ``.npy`` array of shape (n,) or (n, d) gets columns ``x0 .. x{d-1}``. A CSV whose
    header cells are all numbers is read as having no header (columns ``x0 ..``).

    Returns
    -------
    frame : DataFrame of shape (n_samples, n_columns)
    has_names : bool
        False for ``.npy`` files and header-less CSV (column names were made up).
    """
    path = os.fspath(path)
    fmt = table_format(path)
    if not os.path.exists(path):
        raise DataError(f"data file {path!r} does not exist; check the path.")
    if os.path.isdir(path):
        raise DataError(f"{path!r} is a folder, not a data file; give a .csv, .parquet or "
                        ".npy file.")
    pd = _need_pandas("reading data files")
    try:
        if fmt == "npy":
            try:
                arr = np.load(path, allow_pickle=False)
            except ValueError as exc:
                raise DataError(f"{path!r} is not a numeric NumPy array file ({exc}); save "
                                "the data with numpy.save on a numeric array.") from None
            if arr.ndim == 1:
                arr = arr[:, None]
            if arr.ndim != 2:
                raise DataError(f"{path!r} holds an array of shape {arr.shape}; gaussmix needs "
                                "a 2-D array of shape (n_samples, n_features).")
            return pd.DataFrame(arr, columns=default_names(arr.shape[1])), False
        if fmt == "parquet":
            _need_pyarrow(path)
            return pd.read_parquet(path), True
        sep = "\t" if _ext(path) == ".tsv" else ","
        frame = pd.read_csv(path, sep=sep, skipinitialspace=True)
        if len(frame.columns) and all(_looks_numeric(c) for c in frame.columns):
            frame = pd.read_csv(path, sep=sep, header=None, skipinitialspace=True)
            frame.columns = default_names(frame.shape[1])
            return frame, False
        return frame, True
    except DataError:
        raise
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        msg = " ".join(str(exc).split())
        if "No columns to parse" in msg:
            raise DataError(f"data file {path!r} is empty; give a file with a header row and "
                            "at least one row of numbers.") from None
        raise DataError(f"cannot read {path!r} as {fmt.upper()} ({msg}); check that the file "
                        "and its extension match.") from None
    except Exception as exc:  # pyarrow raises its own error types on corrupt files
        msg = " ".join(str(exc).split())
        raise DataError(f"cannot read {path!r} as {fmt.upper()} ({type(exc).__name__}: {msg}); "
                        "check that the file and its extension match.") from None


def select_numeric(frame, columns=None, *, source="the data"):
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
        col = sub[name]
        if not (pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)):
            bad = col[pd.to_numeric(col, errors="coerce").isna() & col.notna()]
            example = f" (e.g. {bad.iloc[0]!r} in row {bad.index[0] + 1})" if len(bad) else ""
            hint = ("pick the numeric columns with --columns" if columns is None
                    else "choose numeric columns with --columns")
            raise DataError(f"column {name!r} of {source} is not numeric{example}; {hint}.")
    X = sub.to_numpy(dtype=np.float64, na_value=np.nan)
    bad_rows = ~np.isfinite(X).all(axis=1)
    if bad_rows.any():
        j = int(np.argmax(~np.isfinite(X[bad_rows]).any(axis=0)))
        raise DataError(f"{source} has {int(bad_rows.sum())} row(s) with missing or infinite "
                        f"values (first in column {chosen[j]!r}, row "
                        f"{int(np.flatnonzero(bad_rows)[0]) + 1}); drop or fill them first.")
    return X, [str(c) for c in chosen]


def read_table(path, columns=None):
    """Read numeric data from a CSV, Parquet or ``.npy`` file.

    Parameters
    ----------
    path : str or os.PathLike
    columns : str or list of str, optional
        Column names to use (``"a,b"`` or ``["a", "b"]``); default all, which must
        then be numeric.

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
    frame, has_names = read_frame(path)
    X, names = select_numeric(frame, parse_columns(columns), source=repr(os.fspath(path)))
    return X, names, has_names


def check_writable(path, *, allow_npy=False, formats=None):
    """Fail early (before long work) if ``path`` cannot be an output file.

    Checks the extension (``formats``: the allowed formats of :func:`table_format`,
    or a tuple of extensions) and that the folder exists.
    """
    path = os.fspath(path)
    if formats is None:
        table_format(path, allow_npy=allow_npy)
    elif _ext(path) not in formats:
        raise DataError(f"cannot tell the format of {path!r} from its extension "
                        f"{_ext(path) or '(none)'!r}; use one of {', '.join(formats)}.")
    check_folder(path)


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
