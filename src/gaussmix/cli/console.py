"""The commands' side of the terminal: notes ("wrote ...") on stderr unless quiet,
progress bars only on a terminal, and pictures drawn without a display."""

from __future__ import annotations

import sys

import click

from ..io.errors import DataError


def is_quiet(ctx, quiet):
    """--quiet given to the command or to the group."""
    return bool(quiet or (ctx.obj or {}).get("quiet"))


def note(ctx, quiet, text):
    """A note on stderr, unless quiet."""
    if not is_quiet(ctx, quiet):
        click.echo(text, err=True)


def notes(ctx, quiet):
    """A function that writes ``gaussmix: note: TEXT`` on stderr, unless quiet (for
    decisions a reader made, such as whether a CSV's first row is a header)."""
    return lambda text: note(ctx, quiet, f"gaussmix: note: {' '.join(str(text).split())}")


def show_progress(ctx, quiet):
    """Progress bars only on a terminal, never with --quiet."""
    return not is_quiet(ctx, quiet) and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()


def use_agg(missing):
    """matplotlib on its file-only backend (no display needed); a data error saying
    ``missing`` where it is not installed."""
    try:
        import matplotlib
    except ImportError:
        raise DataError(missing) from None
    matplotlib.use("Agg")
