"""``gaussmix report``: an exploratory HTML report on DATA."""

from __future__ import annotations

import os

import click

from .console import note, notes, show_progress, use_agg
from .files import REPORT_EXTS, check_max_k, check_output, read_data
from .options import SEED, KRange, TypeList, check_jobs, chosen_types, common_options, examples
from .options import force_option, header_option


@click.command(epilog=examples(
    "gaussmix report faithful.csv -o faithful.html",
    "gaussmix report data.parquet --columns a,b,c -k 1-5 -o report.html"))
@click.argument("data")
@click.option("-o", "--output", metavar="HTML", default="report.html", show_default=True,
              help="Where to write the report (.html).")
@click.option("-k", "--n-components", "ks", type=KRange(), default="1-9", show_default=True,
              help="Numbers of components to try.")
@click.option("-t", "--covariance-type", "types", type=TypeList(), multiple=True,
              help="Covariance types to try, or mclust / sklearn; default: mclust's 14 "
                   "models (E, V on 1-D data).")
@click.option("--criterion", type=click.Choice(["bic", "aic"]), default="bic", show_default=True)
@click.option("--columns", metavar="A,B,...", help="Columns to use (names or 0-based positions).")
@click.option("--plot-columns", metavar="A,B,...",
              help="Columns of the density picture (at most 8; names or 0-based positions); "
                   "default all, or the first 8 of wider data.")
@click.option("--seed", type=SEED, default=0, show_default=True,
              help="Random seed of the fits and the synthetic rows.")
@click.option("-j", "--jobs", type=int, default=None, help="Parallel workers for the selection.")
@click.option("--title", help="Title of the report.")
@click.option("--outliers", type=click.IntRange(min=0), default=10, show_default=True,
              help="How many least likely rows to list.")
@header_option
@force_option
@common_options
@click.pass_context
def report(ctx, data, output, ks, types, criterion, columns, plot_columns, seed, jobs, title,
           outliers, header, quiet, debug):
    """Write an exploratory HTML report on DATA (one self-contained file).

    Data summary, the selection table and curves, the chosen model's parameters,
    density plots, component sizes, the least likely rows (outlier candidates) and
    synthetic rows beside the data. Pictures are embedded; it opens offline.
    """
    check_output(output, REPORT_EXTS)
    check_jobs(jobs)
    use_agg("the report needs matplotlib; install it with: pip install 'gaussmix[plot]'.")
    from ..report import report as make_report

    types = chosen_types(types)
    Xfit, X, _ = read_data(data, columns, header, notes(ctx, quiet))
    ks = check_max_k(ks, data, X)
    make_report(Xfit, output, n_components=ks, covariance_types=types, criterion=criterion,
                random_state=seed, n_jobs=jobs,
                progress=None if show_progress(ctx, quiet) else False,
                title=title or f"gaussmix report: {os.path.basename(data)}", n_outliers=outliers,
                plot_columns=plot_columns.split(",") if plot_columns else None)
    note(ctx, quiet, f"wrote the report to {os.path.abspath(output)}")
