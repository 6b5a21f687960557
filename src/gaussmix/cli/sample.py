"""``gaussmix sample``: synthetic rows drawn from a saved model."""

from __future__ import annotations

import click

from ..utils.columns import feature_names
from .files import TABLE_EXTS, check_output, emit_table, load_model
from .options import common_options, examples


@click.command(epilog=examples(
    "gaussmix sample faithful.gmm.json -n 1000 --seed 1 -o synthetic.csv",
    "gaussmix sample faithful.gmm.json -n 5"))
@click.argument("model")
@click.option("-n", "--n-samples", type=click.IntRange(min=1), required=True,
              help="Number of rows to draw.")
@click.option("--seed", type=int, default=None,
              help="Random seed; the same seed gives the same rows. Default: fresh randomness.")
@click.option("-o", "--output", metavar="OUT",
              help="Write the rows here (.csv or .parquet); default: CSV on stdout.")
@click.option("--component", "with_component", is_flag=True,
              help="Add a column 'component': which component drew each row.")
@common_options
@click.pass_context
def sample(ctx, model, n_samples, seed, output, with_component, quiet, debug):
    """Draw synthetic rows from MODEL, with the training data's column names."""
    import pandas as pd

    if output:
        check_output(output, TABLE_EXTS)
    gm = load_model(model)
    S, comp = gm.sample(n_samples, random_state=seed)
    out = pd.DataFrame(S, columns=feature_names(gm))
    if with_component:
        out["component"] = comp
    emit_table(out, output, ctx, quiet, "synthetic rows")
