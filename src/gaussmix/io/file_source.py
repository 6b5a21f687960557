"""``FileSource``: a data file read in blocks wherever an array is accepted.

``GaussianMixture().fit(FileSource("big.parquet"))`` fits a file that need not fit in
memory: ``.npy`` files are memory-mapped (a chunk's pages are read when it is used),
Parquet files are read a batch of rows at a time (pyarrow), CSV files in blocks of
rows (pandas). Each pass of EM reads the file once; nothing holds more than a chunk.
"""

from __future__ import annotations

import os

import numpy as np

from ..utils.columns import default_names
from .errors import DataError
from .inputs import check_regular_file, open_regular
from .row_source import (ArrayRows, NonNumericError, RowSource, check_numeric_dtype,
                         float_dtype)
from .tables import _first_row, header_rule, npy_matrix, parse_columns, table_format


class FileSource(RowSource):
    """Rows of a ``.npy``, Parquet or CSV file, streamed in chunks.

    Accepted wherever gaussmix takes an array: ``fit``, ``score``,
    ``score_samples``, ``predict``, ``predict_proba``, ``bic``, ``aic``. Nothing is
    read when it is made but the file's header (its shape, column names and types);
    a CSV file is read once more to count its rows.

    Parameters
    ----------
    path : str or os.PathLike
        ``.npy`` (a 2-D or 1-D numeric array; memory-mapped), ``.parquet`` / ``.pq``,
        or ``.csv`` / ``.tsv`` / ``.txt`` (read as :func:`gaussmix.io.tables.read_table`
        reads them).
    columns : list of str or str, optional
        Columns to use, in this order (``"a,b"`` or ``["a", "b"]``); an integer (or
        integer-looking name that is no column's name) picks a column by position.
        Default: all columns, which must then all be numeric.
    header : bool, optional
        CSV only: whether the first row names the columns; default: guessed as
        :func:`gaussmix.io.tables.header_rule` guesses.

    Attributes
    ----------
    n_samples, n_features : int
    dtype : numpy dtype
        float32 when every column used is float32, else float64.
    feature_names : list of str or None
        The columns' names (None for ``.npy`` files and CSV without a header).

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    DataError (a ValueError)
        The file is truncated or not of the format its extension says, or a named
        column is not in it; later, while reading, a CSV row that cannot be parsed
        (the message names the line).
    TypeError
        A column used is not numeric (a :class:`~gaussmix.io.row_source.NonNumericError`,
        also a ValueError, worded as for an in-memory ``X``).

    Examples
    --------
    >>> import numpy as np, gaussmix
    >>> np.save("rows.npy", np.random.default_rng(0).normal(size=(1000, 2)))  # doctest: +SKIP
    >>> src = gaussmix.FileSource("rows.npy")                                 # doctest: +SKIP
    >>> gaussmix.GaussianMixture(2, random_state=0).fit(src).n_features_in_  # doctest: +SKIP
    2
    """

    def __init__(self, path, columns=None, *, header=None):
        self.path = os.fspath(path)
        self.format = table_format(self.path)
        if header is not None and self.format != "csv":
            raise DataError(f"header={header} applies to CSV data, but {self.path!r} is "
                            f"{self.format.upper()}; leave it out.")
        self.what = f"X ({self.path!r})"
        self.columns = parse_columns(columns) if isinstance(columns, str) else columns
        check_regular_file(self.path, "data file")
        self._reader = _READERS[self.format](self.path, self.columns, header)
        self.n_features = len(self._reader.names)
        self.feature_names = self._reader.names if self._reader.has_names else None
        self.dtype = self._reader.dtype
        self._n_samples = None

    def __repr__(self):
        cols = "" if self.columns is None else f", columns={self.columns!r}"
        return f"FileSource({self.path!r}{cols})"

    @property
    def n_samples(self):
        """Rows of the file (for CSV counted in one read on first use)."""
        if self._n_samples is None:
            self._n_samples = self._reader.count_rows()
        return self._n_samples

    @property
    def nbytes(self):
        """The file's size in bytes."""
        return os.stat(self.path).st_size

    def _blocks(self, chunk):
        return self._reader.blocks(chunk)


def _pick(names, wanted, path):
    """Positions of the ``wanted`` columns among ``names`` (all if None), or a
    DataError naming the file and the missing column."""
    if wanted is None:
        return list(range(len(names)))
    picked = []
    for name in wanted:
        if name in names:
            picked.append(names.index(name))
        elif str(name).lstrip("-").isdigit() and 0 <= int(name) < len(names):
            picked.append(int(name))
        else:
            have = ", ".join(map(str, names[:12])) + (", ..." if len(names) > 12 else "")
            raise DataError(f"column {name!r} is not in {path!r} (its columns: {have}); check "
                            "the column names.")
    if len(set(picked)) != len(picked):
        raise DataError(f"columns names a column of {path!r} twice; give each column once.")
    if not picked:
        raise DataError(f"no columns chosen from {path!r}; give at least one column.")
    return picked


class _NpyReader:
    """A ``.npy`` file, memory-mapped."""

    has_names = False

    def __init__(self, path, columns, header):
        try:
            arr = np.load(path, mmap_mode="r", allow_pickle=False)
        except (ValueError, OSError, EOFError) as exc:
            raise DataError(f"cannot read {path!r} as a NumPy array file ({exc}); the file may "
                            "be truncated or not a .npy file.") from None
        arr = npy_matrix(arr, path)
        self.cols = _pick(default_names(arr.shape[1]), columns, path)
        self.names = default_names(len(self.cols))
        self.rows = ArrayRows(arr, what=f"X ({path!r})")
        self.dtype = self.rows.dtype
        self.all_columns = self.cols == list(range(arr.shape[1]))

    def count_rows(self):
        return self.rows.n_samples

    def blocks(self, chunk):
        for start, raw in self.rows._blocks(chunk):
            yield start, raw if self.all_columns else raw[:, self.cols]


class _ParquetReader:
    """A Parquet file, read a batch of rows at a time (pyarrow)."""

    has_names = True

    def __init__(self, path, columns, header):
        self.path = path
        pf = self._open()
        schema = pf.schema_arrow
        self.cols = _pick(list(schema.names), columns, path)
        self.names = [schema.names[j] for j in self.cols]
        dtypes = []
        for name in self.names:
            dtype = _arrow_numpy_dtype(schema.field(name).type)
            check_numeric_dtype(dtype, f"X ({path!r})", name)
            dtypes.append(dtype)
        self.dtype = float_dtype(dtypes)
        self._rows = pf.metadata.num_rows

    def _open(self):
        try:
            import pyarrow.parquet as pq
        except ImportError:  # pragma: no cover - exercised only without the extra
            raise DataError(f"reading Parquet ({self.path!r}) needs pyarrow; install it with: "
                            "pip install 'gaussmix[all]'.") from None
        try:
            return pq.ParquetFile(open_regular(self.path, "data file"))
        except Exception as exc:  # pyarrow raises its own error types
            raise DataError(f"cannot read {self.path!r} as Parquet ({type(exc).__name__}: "
                            f"{exc}); the file may be truncated or not Parquet.") from None

    def count_rows(self):
        return self._rows

    def blocks(self, chunk):
        pf = self._open()
        start = 0
        try:
            for batch in pf.iter_batches(batch_size=chunk, columns=self.names):
                yield start, np.column_stack([
                    col.to_numpy(zero_copy_only=False) for col in batch.columns])
                start += batch.num_rows
        except Exception as exc:
            if isinstance(exc, (DataError, GeneratorExit)):
                raise
            raise DataError(f"cannot read rows from {start + 1} on of {self.path!r} "
                            f"({type(exc).__name__}: {exc}); the file may be truncated.") \
                from None
        finally:
            pf.close()
        if start != self._rows:
            raise DataError(f"{self.path!r} gave {start} rows but its footer says "
                            f"{self._rows}; the file may be truncated.")


def _arrow_numpy_dtype(arrow_type):
    """The numpy dtype of an Arrow column type (object for text and the like)."""
    try:
        return np.dtype(arrow_type.to_pandas_dtype())
    except (NotImplementedError, TypeError):
        return np.dtype(object)


class _CsvReader:
    """A CSV file, read in blocks of rows (pandas)."""

    dtype = np.dtype(np.float64)  # as read_table reads CSV

    def __init__(self, path, columns, header):
        import pandas as pd

        self.pd, self.path = pd, path
        self.sep = "\t" if path.lower().endswith(".tsv") else ","
        with open_regular(path, "data file") as fh:
            cells = _first_row(fh, self.sep)
        if not cells:
            raise DataError(f"data file {path!r} is empty; give a file with a header row and "
                            "at least one row of numbers.")
        self.has_header = header_rule(cells)[0] if header is None else bool(header)
        all_names = [c.strip() for c in cells] if self.has_header else default_names(len(cells))
        self.cols = _pick(all_names, columns, path)
        self.names = [all_names[j] for j in self.cols]
        self.has_names = self.has_header

    def _reader(self, fh, chunk):
        # every column is parsed (with usecols pandas would not see a row with too
        # many fields), the chosen ones are kept per block
        return self.pd.read_csv(fh, sep=self.sep, skipinitialspace=True,
                                header=0 if self.has_header else None, chunksize=chunk)

    def count_rows(self):
        return sum(start_rows[1].shape[0] for start_rows in self.blocks(1 << 16))

    def blocks(self, chunk):
        start = 0
        with open_regular(self.path, "data file") as fh:
            frames = self._reader(fh, chunk)
            while True:
                try:
                    frame = next(frames)
                except StopIteration:
                    return
                except Exception as exc:  # pandas' ParserError names the line
                    msg = " ".join(str(exc).split())
                    raise DataError(f"cannot read {self.path!r} as CSV after row {start} "
                                    f"({msg}); fix or remove that row.") from None
                frame = frame.iloc[:, self.cols]
                yield start, self._numeric(frame, start)
                start += frame.shape[0]

    def _numeric(self, frame, start):
        """The block as a float array, or a TypeError naming a non-numeric cell."""
        for j, name in enumerate(self.names):
            col = frame.iloc[:, j]
            if not self.pd.api.types.is_numeric_dtype(col) or \
                    self.pd.api.types.is_bool_dtype(col):
                bad = np.flatnonzero(self.pd.to_numeric(col, errors="coerce").isna()
                                     & col.notna())
                row = start + (int(bad[0]) if bad.size else 0)
                cell = col.iloc[row - start]
                line = row + 1 + self.has_header
                raise NonNumericError(f"X contains non-numeric values (column {name!r} of "
                                f"{self.path!r}, line {line}: {cell!r}); select the numeric "
                                "columns (e.g. DataFrame.select_dtypes('number')).")
        return frame.to_numpy(dtype=np.float64, na_value=np.nan)


_READERS = {"npy": _NpyReader, "parquet": _ParquetReader, "csv": _CsvReader}
