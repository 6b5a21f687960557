"""``gaussmix compare``: do two data files come from the same distribution?"""

from __future__ import annotations

import click

from .console import notes, show_progress
from .files import read_data
from .options import (
    SEED,
    KRange,
    TypeList,
    check_jobs,
    chosen_types,
    common_options,
    examples,
    header_option,
)


@click.command(epilog=examples(
    "gaussmix compare before.csv after.csv",
    "gaussmix compare a.parquet b.parquet -k 1-3 -t full,diag --permutations 999 --seed 1",
    "gaussmix compare a.csv b.csv --columns x,y"))
@click.argument("data_a")
@click.argument("data_b")
@click.option("-k", "--n-components", "ks", type=KRange(), default=None,
              help="Numbers of components BIC chooses among on the pooled rows: 1-5, 3 or "
                   "1,2,4. Default: 1-5 (at most the rows of the smaller file).")
@click.option("-t", "--covariance-type", "types", type=TypeList(), multiple=True,
              help="Covariance types BIC chooses among (comma-separated or repeated), or "
                   "mclust / sklearn; default: mclust's 14 models.")
@click.option("-p", "--permutations", type=click.IntRange(1), default=199, show_default=True,
              help="Random splits of the pooled rows behind the p-value (the smallest "
                   "possible p-value is 1 / (permutations + 1)).")
@click.option("--columns", metavar="A,B,...",
              help="Columns to use from both files (names or 0-based positions).")
@click.option("--seed", type=SEED, default=0, show_default=True, help="Random seed.")
@click.option("-j", "--jobs", type=int, default=None,
              help="Parallel workers (default: all cores when the work is large enough).")
@header_option
@common_options
@click.pass_context
def compare(ctx, data_a, data_b, ks, types, permutations, columns, seed, jobs, header, quiet,
            debug):
    """Test whether DATA_A and DATA_B come from the same distribution.

    A Gaussian mixture chosen by BIC is fitted to the pooled rows, and each file gets
    its own mixture of that kind; the statistic is twice the rise in log-likelihood,
    and its p-value comes from random splits of the pooled rows (permutations). The
    files must have the same columns (matched by name when they have names). Prints
    the test's summary; the exit code is 0 whatever the p-value.
    """
    from ..compare import two_sample_test

    check_jobs(jobs)
    say = notes(ctx, quiet)
    X, _, _ = read_data(data_a, columns, header, say)
    Y, _, _ = read_data(data_b, columns, header, say)
    res = two_sample_test(X, Y, None if ks is None else ks.values(), chosen_types(types),
                          n_permutations=permutations, random_state=seed, n_jobs=jobs,
                          progress=None if show_progress(ctx, quiet) else False)
    click.echo(f"X = {data_a}, Y = {data_b}")
    click.echo(res.summary())
