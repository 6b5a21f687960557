"""``gaussmix score``: the log-density (and responsibilities) of every row of DATA."""

from __future__ import annotations

import click

from .files import TABLE_EXTS, check_output, data_for_model, emit_table, load_model
from .console import notes
from .options import common_options, examples, force_option, header_option


@click.command(epilog=examples(
    "gaussmix score faithful.gmm.json faithful.csv",
    "gaussmix score faithful.gmm.json new.csv --responsibilities -o scores.parquet"))
@click.argument("model")
@click.argument("data")
@click.option("-o", "--output", metavar="OUT",
              help="Write the table here (.csv or .parquet); default: CSV on stdout.")
@click.option("-r", "--responsibilities", is_flag=True,
              help="Also the most likely component and the responsibility of each component.")
@click.option("--columns", metavar="A,B,...",
              help="Columns of DATA to use; default the model's column names.")
@header_option
@force_option
@common_options
@click.pass_context
def score(ctx, model, data, output, responsibilities, columns, header, quiet, debug):
    """Log-density of every row of DATA under MODEL.

    Output columns: log_density, and with --responsibilities also component (the
    most likely one, 0-based) and resp_0, resp_1, ... (posterior probabilities).
    Rows stay in the order of DATA. A model fitted with --missing em scores rows with
    empty cells by the density of their observed cells.
    """
    import pandas as pd

    if output:
        check_output(output, TABLE_EXTS)
    gm = load_model(model)
    Xin, _ = data_for_model(gm, data, columns, header, notes(ctx, quiet),
                            allow_missing=getattr(gm, "missing", None) == "em")
    out = pd.DataFrame({"log_density": gm.score_samples(Xin)})
    if responsibilities:
        resp = gm.predict_proba(Xin)
        out["component"] = resp.argmax(axis=1)
        for k in range(resp.shape[1]):
            out[f"resp_{k}"] = resp[:, k]
    emit_table(out, output, ctx, quiet, "scores")
