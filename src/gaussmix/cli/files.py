"""The commands' files: reading DATA and MODEL, checking outputs before any work,
and writing tables to a file or stdout."""

from __future__ import annotations

import os

import click

from ..io.errors import DataError
from ..io.tables import (
    check_writable,
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
    """Usage error for an extension gaussmix cannot write; data error for a missing folder."""
    if os.path.splitext(path)[1].lower() not in exts:
        raise click.BadParameter(
            f"cannot tell the format of {path!r} from its extension; use one of "
            f"{', '.join(exts)}.", param_hint=f"'{option}'")
    check_writable(path, formats=exts)


def check_data_ext(path):
    """Usage error for a DATA file whose format the extension does not tell."""
    try:
        table_format(path)
    except DataError as exc:
        raise click.BadParameter(str(exc), param_hint="'DATA'") from None


def read_data(path, columns):
    """(frame for fitting, ndarray, names): a DataFrame when the file has column names."""
    check_data_ext(path)
    frame, has_names = read_frame(path)
    X, names = select_numeric(frame, parse_columns(columns), source=repr(path))
    fit_input = X
    if has_names:
        import pandas as pd

        fit_input = pd.DataFrame(X, columns=names)
    return fit_input, X, names


def check_max_k(ks, path, X):
    """Data error when the largest K asked for exceeds the rows of DATA."""
    if max(ks) > X.shape[0]:
        raise DataError(f"-k goes up to {max(ks)} but {path!r} has only {X.shape[0]} row(s); "
                        f"use -k 1-{X.shape[0]} or fewer.")


def load_model(path):
    """The model saved at ``path`` (a data error for a folder or a file that is not one)."""
    from ..mixture import load

    if os.path.isdir(path):
        raise DataError(f"{path!r} is a folder, not a model file; give the file written by "
                        "'gaussmix fit -o'.")
    return load(path)


def data_for_model(gm, path, columns):
    """The columns of DATA the model needs, as the model's input, and the plain matrix.

    With --columns: those columns. Otherwise, if the model knows its column names and
    the file has them: those, in the model's order. Otherwise all columns.
    """
    check_data_ext(path)
    frame, has_names = read_frame(path)
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
    X, _ = select_numeric(frame, wanted, source=source)
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
