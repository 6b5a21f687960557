"""``gaussmix select``: fit every K and covariance type, print the criterion table."""

from __future__ import annotations

import click

from ..io.tables import write_table
from .console import note, notes, show_progress
from .files import TABLE_EXTS, check_file_output, check_max_k, check_output, read_data
from .options import (
    SEED,
    KRange,
    TypeList,
    check_jobs,
    chosen_types,
    common_options,
    criterion_option,
    examples,
    force_option,
    header_option,
    missing_option,
)


@click.command(epilog=examples(
    "gaussmix select faithful.csv",
    "gaussmix select faithful.csv -k 1-6 -t full,diag --criterion aic -o table.csv",
    "gaussmix select faithful.csv --criterion icl",
    "gaussmix select faithful.csv -k 2-4 --save-best best.gmm.json"))
@click.argument("data")
@click.option("-k", "--n-components", "ks", type=KRange(), default="1-9", show_default=True,
              help="Numbers of components to try: 1-9, 3, 1,2,5 or 2-4,8.")
@click.option("-t", "--covariance-type", "types", type=TypeList(), multiple=True,
              help="Covariance types to try (comma-separated or repeated), or mclust / "
                   "sklearn for a whole family; default: mclust's 14 models (E, V on 1-D "
                   "data; its 6 spherical and diagonal ones when DATA has no more rows "
                   "than columns), as Mclust(X).")
@criterion_option
@click.option("--columns", metavar="A,B,...", help="Columns to use (names or 0-based positions).")
@click.option("--seed", type=SEED, default=0, show_default=True, help="Random seed of the fits.")
@click.option("-j", "--jobs", type=int, default=None,
              help="Parallel workers (default: all cores when the data are large enough).")
@click.option("-o", "--output", metavar="TABLE", help="Also write the table (.csv or .parquet).")
@click.option("--save-best", metavar="MODEL", help="Save the best model (JSON) to this path.")
@missing_option()
@header_option
@force_option
@common_options
@click.pass_context
def select(ctx, data, ks, types, criterion, columns, seed, jobs, output, save_best, missing,
           header, quiet, debug):
    """Fit every K and covariance type; print the BIC/AIC table, best marked.

    First the chosen model as mclust's summary() describes it (model, log-likelihood,
    n, df, BIC, ICL, clustering table), then every candidate's BIC, AIC and ICL with
    the best marked. They use scikit-learn's sign: lower is better (mclust's BIC and
    ICL have the opposite sign).
    """
    from ..selection import select as run_select

    if output:
        check_output(output, TABLE_EXTS)
    if save_best:
        check_file_output(save_best)
    check_jobs(jobs)
    types = chosen_types(types)
    Xfit, X, _ = read_data(data, columns, header, notes(ctx, quiet),
                           allow_missing=missing == "em")
    ks = check_max_k(ks, data, X)
    extra = {"missing": "em"} if missing == "em" else {}
    res = run_select(Xfit, ks, types, criterion, random_state=seed, n_jobs=jobs,
                     progress=None if show_progress(ctx, quiet) else False, **extra)
    click.echo(res.summary())
    if output:
        write_table(res.table_, output)
        note(ctx, quiet, f"wrote the table to {output}")
    if save_best:
        res.best_.save(save_best)
        note(ctx, quiet, f"wrote the best model to {save_best}")
