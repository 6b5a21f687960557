"""Option types and decorators shared by the commands: ranges of K, lists of
covariance types, --quiet/--debug, example epilogs, and the checks of option values
that click cannot express."""

from __future__ import annotations

import re

import click

from ..covariance import COVARIANCE_TYPES
from ..selection import DEFAULT_COVARIANCE_TYPES


class KRange(click.ParamType):
    """Numbers of components: ``3``, ``1-9``, ``1,2,5`` or ``2-4,8``."""

    name = "K-RANGE"

    def convert(self, value, param, ctx):
        if isinstance(value, list):
            return value
        out = []
        for part in str(value).split(","):
            part = part.strip()
            m = re.fullmatch(r"(\d+)(?:\s*[-:]\s*(\d+))?", part)
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
            out.extend(k for k in range(lo, hi + 1) if k not in out)
        return out


class TypeList(click.ParamType):
    """Covariance types, comma-separated (the option may also be repeated)."""

    name = "TYPES"

    def convert(self, value, param, ctx):
        if isinstance(value, list):
            return value
        types = [t.strip() for t in str(value).split(",") if t.strip()]
        for t in types:
            if t not in COVARIANCE_TYPES:
                self.fail(f"{t!r} is not a covariance type; use {', '.join(COVARIANCE_TYPES)}.",
                          param, ctx)
        if not types:
            self.fail("no covariance type given.", param, ctx)
        return types


def chosen_types(groups):
    """The covariance types of a repeated ``-t`` option, in order; default the
    selection's defaults."""
    return [t for group in groups for t in group] or list(DEFAULT_COVARIANCE_TYPES)


def check_jobs(jobs):
    """Usage error for ``--jobs 0`` (click's ranges cannot leave out one value)."""
    if jobs is not None and jobs == 0:
        raise click.BadParameter("must be a positive number of workers or -1 for all cores.",
                                 param_hint="'--jobs'")


def common_options(f):
    """--debug and --quiet, accepted by the group and by every command."""
    f = click.option("--debug", is_flag=True, help="On error, also print the traceback.")(f)
    f = click.option("-q", "--quiet", is_flag=True,
                     help="No progress bars and no notes on stderr.")(f)
    return f


def examples(*lines):
    """A --help epilog with examples, formatted as written."""
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)
