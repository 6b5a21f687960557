"""The commands' files: reading DATA and MODEL, checking outputs before any work,
and writing tables to a file or stdout."""

from __future__ import annotations

import os

import click

from ..io.atomic import check_target
from ..io.errors import DataError
from ..io.tables import (
    check_writable,
    header_note,
    parse_columns,
    read_frame,
    select_numeric,
    table_format,
    write_table,
)
from ..utils.columns import feature_names, with_feature_names
from .console import note

TABLE_EXTS = (".csv", ".tsv", ".txt", ".parquet", ".pq")
FIGURE_EXTS = (".png", ".pdf", ".svg", ".jpg", ".jpeg", ".gif")
REPORT_EXTS = (".html", ".htm")


def check_output(path, exts, option="-o"):
    """Before any work: a usage error for an extension gaussmix cannot write; a data
    error for a missing or read-only folder, or a read-only file without --force."""
    if os.path.splitext(path)[1].lower() not in exts:
        raise click.BadParameter(
            f"cannot tell the format of {path!r} from its extension; use one of "
            f"{', '.join(exts)}.", param_hint=f"'{option}'")
    check_writable(path, formats=exts, force_hint="--force")


def check_file_output(path):
    """Before any work: :func:`check_output` for a file of any extension (a model)."""
    check_target(path, force_hint="--force")


def check_data_ext(path, header=None):
    """Usage error for a DATA file whose format the extension does not tell, or for
    --header/--no-header with data that is not CSV."""
    try:
        fmt = table_format(path)
    except DataError as exc:
        raise click.BadParameter(str(exc), param_hint="'DATA'") from None
    if header is not None and fmt != "csv":
        raise click.BadParameter(f"it applies to CSV data, but {path!r} is {fmt.upper()}, "
                                 "which keeps its column names; leave it out.",
                                 param_hint="'--header' / '--no-header'")


def _guessed(path, notes):
    """What to do when the header rule guessed: a note naming --header/--no-header."""
    if notes is None:
        return None
    return lambda is_header, cells: notes(header_note(path, cells, is_header, "--header",
                                                      "--no-header"))


def read_data(path, columns, header=None, notes=None, allow_missing=False):
    """(frame for fitting, ndarray, names): a DataFrame when the file has column names.

    ``header``: --header/--no-header (None: the rule decides; ``notes`` is called with
    a one-line note when it had to guess). ``allow_missing``: empty cells become NaN
    instead of an error.
    """
    check_data_ext(path, header)
    frame, has_names = read_frame(path, header=header, on_guess=_guessed(path, notes))
    X, names = select_numeric(frame, parse_columns(columns), source=repr(path),
                              allow_missing=allow_missing)
    fit_input = X
    if has_names:
        import pandas as pd

        fit_input = pd.DataFrame(X, columns=names)
    return fit_input, X, names


def check_max_k(ks, path, X):
    """The Ks of a ``-k`` range (a :class:`~.options.KSpec`), expanded only once its
    largest is known not to exceed the rows of DATA (a data error otherwise)."""
    if ks.max > X.shape[0]:
        raise DataError(f"-k goes up to {ks.max} but {path!r} has only {X.shape[0]} row(s); "
                        f"use -k 1-{X.shape[0]} or fewer.")
    return ks.values()


def load_model(path):
    """The model saved at ``path`` (a data error for a folder or a file that is not one)."""
    from ..mixture import load

    if os.path.isdir(path):
        raise DataError(f"{path!r} is a folder, not a model file; give the file written by "
                        "'gaussmix fit -o'.")
    return load(path)


def data_for_model(gm, path, columns, header=None, notes=None, allow_missing=False):
    """The columns of DATA the model needs, as the model's input, and the plain matrix.

    With --columns: those columns. Otherwise, if the model knows its column names and
    the file has them: those, in the model's order. Otherwise all columns.
    ``header``, ``notes`` and ``allow_missing`` as :func:`read_data`.
    """
    check_data_ext(path, header)
    frame, has_names = read_frame(path, header=header, on_guess=_guessed(path, notes))
    source = repr(path)
    wanted = parse_columns(columns)
    if wanted is None and hasattr(gm, "feature_names_in_") and has_names:
        names = feature_names(gm)
        missing = [c for c in names if c not in frame.columns]
        if missing:
            raise DataError(f"{source} lacks column(s) {', '.join(map(repr, missing))} that the "
                            f"model was fitted on ({', '.join(names)}); pick the columns to use "
                            "with --columns.")
        wanted = names
    X, _ = select_numeric(frame, wanted, source=source, allow_missing=allow_missing)
    d = gm.n_features_in_
    if X.shape[1] != d:
        raise DataError(f"the model has {d} feature(s) but {source} gives {X.shape[1]} "
                        f"column(s); pick {d} with --columns.")
    return with_feature_names(gm, X), X


def emit_table(frame, output, ctx, quiet, what):
    """Write ``frame`` to ``output`` (with a note), or as CSV to stdout."""
    if output:
        write_table(frame, output)
        note(ctx, quiet, f"wrote {what} ({len(frame)} rows) to {output}")
    else:
        text = frame.to_csv(index=False)  # full precision, as the file output
        click.echo(text, nl=False)
