"""``gaussmix impute``: DATA with its empty cells filled in from a saved model."""

from __future__ import annotations

import click

from .console import notes
from .files import TABLE_EXTS, check_output, data_for_model, emit_table, load_model
from .options import SEED, common_options, examples, force_option, header_option


@click.command(epilog=examples(
    "gaussmix impute survey.gmm.json survey.csv -o survey-filled.csv",
    "gaussmix impute survey.gmm.json survey.csv --method sample --seed 1 -o draw1.parquet"))
@click.argument("model")
@click.argument("data")
@click.option("-o", "--output", metavar="OUT",
              help="Write the filled table here (.csv or .parquet); default: CSV on stdout.")
@click.option("--method", type=click.Choice(["mean", "sample"]), default="mean",
              show_default=True,
              help="'mean': each empty cell gets its conditional mean given the row's "
                   "observed cells; 'sample': one draw from that conditional distribution "
                   "(run with several --seed values for multiple imputation).")
@click.option("--seed", type=SEED, default=None,
              help="Random seed of --method sample; the same seed gives the same draws.")
@click.option("--columns", metavar="A,B,...",
              help="Columns of DATA to use; default the model's column names.")
@click.option("--marks", is_flag=True,
              help="Also a column 'n_imputed': how many cells of each row were filled in.")
@header_option
@force_option
@common_options
@click.pass_context
def impute(ctx, model, data, output, method, seed, columns, marks, header, quiet, debug):
    """Fill in the empty cells of DATA from MODEL (a file written by 'gaussmix fit').

    The output has the model's columns, rows in the order of DATA, and the observed
    cells unchanged. A row with no observed cell gets the mixture's mean (or a draw
    from the mixture). Any fitted model imputes; 'gaussmix fit --missing em' fits one
    on data with empty cells.
    """
    import pandas as pd

    if output:
        check_output(output, TABLE_EXTS)
    gm = load_model(model)
    if not hasattr(gm, "impute"):
        raise click.UsageError(f"{model!r} holds a {type(gm).__name__}, which cannot impute; "
                               "give a model written by 'gaussmix fit' without --bayes.",
                               ctx=ctx)
    Xin, X = data_for_model(gm, data, columns, header, notes(ctx, quiet), allow_missing=True)
    filled = gm.impute(Xin, method=method, random_state=seed)
    out = pd.DataFrame(filled, columns=list(Xin.columns) if hasattr(Xin, "columns")
                       else [f"x{j}" for j in range(X.shape[1])])
    if marks:
        out["n_imputed"] = pd.isna(X).sum(axis=1)
    emit_table(out, output, ctx, quiet, f"rows, {int(pd.isna(X).sum())} cell(s) imputed")
