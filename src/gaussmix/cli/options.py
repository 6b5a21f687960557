"""Option types and decorators shared by the commands: ranges of K, lists of
covariance types, the selection criterion, --quiet/--debug, example epilogs, and the
checks of option values that click cannot express."""

from __future__ import annotations

import functools
import re

import click

from ..covariance import COVARIANCE_TYPES, UNIVARIATE_TYPES
from ..io.atomic import replacing_read_only
from ..selection import CRITERIA
from ..selection.types import KEYWORDS


class KSpec(tuple):
    """Numbers of components as ``(lo, hi)`` ranges, in the order given.

    Kept as ranges so that ``-k 1-100000`` costs nothing until it has been checked
    against the data's rows (:meth:`max`); :meth:`values` then expands it.
    """

    @property
    def max(self):
        """The largest K asked for."""
        return max(hi for _, hi in self)

    def values(self):
        """Every K once, in the order given (linear in the number of values)."""
        seen, out = set(), []
        for lo, hi in self:
            for k in range(lo, hi + 1):
                if k not in seen:
                    seen.add(k)
                    out.append(k)
        return out


class KRange(click.ParamType):
    """Numbers of components: ``3``, ``1-9``, ``1,2,5`` or ``2-4,8`` (a :class:`KSpec`)."""

    name = "K-RANGE"

    def convert(self, value, param, ctx):
        if isinstance(value, KSpec):
            return value
        if isinstance(value, (list, tuple, range)):
            return KSpec((int(k), int(k)) for k in value)
        ranges = []
        for part in str(value).split(","):
            m = re.fullmatch(r"\s*(\d+)(?:\s*[-:]\s*(\d+))?\s*", part)
            if not m:
                self.fail(f"{value!r} is not a number of components or a range such as 1-9.",
                          param, ctx)
            lo = int(m.group(1))
            hi = int(m.group(2)) if m.group(2) else lo
            if lo < 1:
                self.fail(f"{value!r} includes K={lo}; a mixture needs at least 1 component.",
                          param, ctx)
            if hi < lo:
                self.fail(f"{value!r} is an empty range; write it low-high, e.g. 1-9.", param, ctx)
            ranges.append((lo, hi))
        return KSpec(ranges)


#: A random seed: what numpy's generators take (negative seeds are a usage error).
SEED = click.IntRange(0, 2**32 - 1)


class TypeList(click.ParamType):
    """Covariance types, comma-separated (the option may also be repeated), or one of
    the keywords ``mclust`` (mclust's fourteen models) and ``sklearn`` (scikit-learn's
    four)."""

    name = "TYPES"

    def convert(self, value, param, ctx):
        if isinstance(value, list):
            return value
        types = [t.strip() for t in str(value).split(",") if t.strip()]
        for t in types:
            if t not in COVARIANCE_TYPES + UNIVARIATE_TYPES + KEYWORDS:
                self.fail(f"{t!r} is not a covariance type; use {', '.join(COVARIANCE_TYPES)} "
                          f"(1-D data also {', '.join(UNIVARIATE_TYPES)}), or "
                          f"{' or '.join(KEYWORDS)} for a whole family.", param, ctx)
        if not types:
            self.fail("no covariance type given.", param, ctx)
        return types


def chosen_types(groups):
    """The covariance types of a repeated ``-t`` option, in order, or a keyword given
    alone (``mclust``, ``sklearn``); None (the selection's default: mclust's models,
    E and V on one-dimensional data) when the option is not given."""
    types = [t for group in groups for t in group]
    if len(types) == 1 and types[0] in KEYWORDS:
        return types[0]
    return types or None


def criterion_option(f):
    """--criterion: what chooses the best model, one of :func:`gaussmix.select`'s
    criteria (BIC by default, as mclust)."""
    return click.option(
        "--criterion", type=click.Choice(list(CRITERIA)), default="bic", show_default=True,
        help="What chooses the best model (lower is better): BIC, AIC, or ICL, which "
             "favours well separated clusters.")(f)


def check_jobs(jobs):
    """Usage error for ``--jobs 0`` (click's ranges cannot leave out one value)."""
    if jobs is not None and jobs == 0:
        raise click.BadParameter("must be a positive number of workers or -1 for all cores.",
                                 param_hint="'--jobs'")


def header_option(f):
    """--header/--no-header: whether a CSV's first row names the columns (default: the
    rule of :func:`gaussmix.io.tables.header_rule`, with a note when it guesses)."""
    return click.option(
        "--header/--no-header", "header", default=None,
        help="Whether the first row of a CSV names the columns. Default: it does unless "
             "it is all numbers, or it is exactly 0,1,...,d-1 (pandas' default names); a "
             "note says which way it went when the first row is whole numbers.")(f)


def missing_option(extra=""):
    """--missing error|em: whether empty cells in DATA are refused or fitted exactly
    (``GaussianMixture(missing="em")``); ``extra`` ends the help (e.g. what it does not
    combine with)."""
    return click.option(
        "--missing", type=click.Choice(["error", "em"]), default="error", show_default=True,
        help="Empty cells in DATA: 'error' refuses them; 'em' fits them exactly, by EM on "
             f"each row's observed entries{extra}.")


def force_option(f):
    """--force: the command may replace read-only output files.

    The command runs inside :func:`gaussmix.io.atomic.replacing_read_only`, so every
    write it makes (and the early checks of its outputs) follows the flag; the
    function itself does not receive it.
    """
    @functools.wraps(f)
    def run(*args, force=False, **kwargs):
        with replacing_read_only(force):
            return f(*args, **kwargs)

    return click.option("--force", is_flag=True,
                        help="Replace output files even if they are read-only.")(run)


def common_options(f):
    """--debug and --quiet, accepted by the group and by every command."""
    f = click.option("--debug", is_flag=True, help="On error, also print the traceback.")(f)
    f = click.option("-q", "--quiet", is_flag=True,
                     help="No progress bars and no notes on stderr.")(f)
    return f


def examples(*lines):
    """A --help epilog with examples, formatted as written."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)
