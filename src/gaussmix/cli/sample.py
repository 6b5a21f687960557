"""``gaussmix sample``: synthetic rows drawn from a saved model."""

from __future__ import annotations

import os

import click

from ..utils.columns import feature_names
from .files import TABLE_EXTS, check_output, emit_table, load_model
from .options import SEED, common_options, examples, force_option


def check_memory(n_samples, n_columns):
    """Usage error when ``n_samples`` rows of ``n_columns`` float64 values would not
    fit in this machine's memory (checked before drawing anything)."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # no sysconf: let the drawing decide
        return
    need = n_samples * n_columns * 8
    if total > 0 and need > total:
        raise click.BadParameter(
            f"{n_samples} rows of {n_columns} value(s) need at least {need} bytes "
            f"({need / 1e9:.3g} GB) of memory, more than this machine's {total} bytes "
            f"({total / 1e9:.3g} GB); draw fewer rows, e.g. in several runs with different "
            "--seed values.", param_hint="'-n'")


@click.command(epilog=examples(
    "gaussmix sample faithful.gmm.json -n 1000 --seed 1 -o synthetic.csv",
    "gaussmix sample faithful.gmm.json -n 5"))
@click.argument("model")
@click.option("-n", "--n-samples", type=click.IntRange(min=1), required=True,
              help="Number of rows to draw.")
@click.option("--seed", type=SEED, default=None,
              help="Random seed; the same seed gives the same rows. Default: fresh randomness.")
@click.option("-o", "--output", metavar="OUT",
              help="Write the rows here (.csv or .parquet); default: CSV on stdout.")
@click.option("--component", "with_component", is_flag=True,
              help="Add a column 'component': which component drew each row.")
@force_option
@common_options
@click.pass_context
def sample(ctx, model, n_samples, seed, output, with_component, quiet, debug):
    """Draw synthetic rows from MODEL, with the training data's column names."""
    import pandas as pd

    if output:
        check_output(output, TABLE_EXTS)
    gm = load_model(model)
    check_memory(n_samples, gm.n_features_in_ + 1)  # the rows and their components
    S, comp = gm.sample(n_samples, random_state=seed)
    out = pd.DataFrame(S, columns=feature_names(gm))
    if with_component:
        out["component"] = comp
    emit_table(out, output, ctx, quiet, "synthetic rows")
