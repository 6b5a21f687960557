"""The ``gaussmix`` click group with its subcommands, and the entry point."""

from __future__ import annotations

import click

from .. import __version__
from .compare import compare
from .errors import OneLineErrorGroup
from .fit import fit
from .impute import impute
from .options import common_options, examples
from .plot import plot
from .report import report
from .sample import sample
from .score import score
from .select import select


@click.group(cls=OneLineErrorGroup, context_settings={"help_option_names": ["-h", "--help"],
                                                      "max_content_width": 100},
             epilog=examples("gaussmix fit faithful.csv -k 2 -o faithful.gmm.json",
                             "gaussmix select faithful.csv -k 1-6",
                             "gaussmix report faithful.csv -o report.html",
                             "gaussmix sample faithful.gmm.json -n 5 --seed 1"))
@click.version_option(__version__, "--version", prog_name="gaussmix")
@common_options
@click.pass_context
def cli(ctx, quiet, debug):
    """Density estimation with Gaussian mixture models, from the terminal.

    Explore a data set (select, plot, report), evaluate points (score), generate
    synthetic data (sample), fill in missing values (impute) and test whether two
    data sets differ (compare). DATA is a CSV, Parquet or .npy file. Run
    'gaussmix COMMAND --help' for each command's options and an example.
    """
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet


for _command in (fit, score, sample, impute, select, plot, report, compare):
    cli.add_command(_command)


def main(argv=None):
    """Run the command line (``argv``: arguments after the program name)."""
    return cli.main(args=argv, prog_name="gaussmix")
