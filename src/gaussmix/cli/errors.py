"""Every failure as one line on stderr and the documented exit code.

0 ok; 2 usage error (unknown option, bad option value, an output extension gaussmix
cannot write); 1 data error (missing or unreadable file, non-numeric column, a file
that is not a model, a missing output folder) and anything unexpected; 128 + the
signal's number when stopped by SIGINT (Ctrl-C, 130), SIGHUP (129) or SIGTERM (143):
:mod:`gaussmix.__main__` turns the latter two into the same exception as Ctrl-C.
``--debug`` adds the traceback.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
import warnings

import click

from ..io.atomic import remove_temporaries
from ..io.errors import DataError

EXIT_OK, EXIT_DATA_ERROR, EXIT_USAGE_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130  # 128 + SIGINT
PROG = "gaussmix"


class Stopped(Exception):
    """A ``KeyboardInterrupt`` (Ctrl-C, or SIGTERM/SIGHUP turned into one by
    :mod:`gaussmix.__main__`) carried past click's ``main``, which would print an
    empty line and forget the signal."""

    def __init__(self, signum):
        super().__init__(f"stopped by signal {signum}")
        self.signum = signum


class OneLineErrorGroup(click.Group):
    """A click group that turns every failure into one line on stderr and the
    documented exit code, and shows warnings as one line each."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            raise Stopped(getattr(exc, "signum", signal.SIGINT)) from None

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        argv = list(sys.argv[1:] if args is None else args)
        try:
            with one_line_warnings():
                # the name is always gaussmix, also under click's test runner
                rv = super().main(args=argv, prog_name=PROG, complete_var=complete_var,
                                  standalone_mode=False, **extra)
            code = rv if isinstance(rv, int) else EXIT_OK
        except (KeyboardInterrupt, Exception) as exc:  # Ctrl-C is not an Exception
            if isinstance(exc, (KeyboardInterrupt, Stopped, click.exceptions.Abort)):
                remove_temporaries()  # those whose own clean-up the signal cut short
            code = exit_code(exc, debug="--debug" in argv)
        if standalone_mode:
            sys.exit(code)
        return code


def exit_code(exc, debug=False):
    """Report ``exc`` on stderr (one line; the traceback too with ``debug``) and return
    its exit code. Called while ``exc`` is being handled (for the traceback)."""
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        click.echo(exc.format_message(), err=True)
        return EXIT_USAGE_ERROR
    if isinstance(exc, click.UsageError):
        if debug:
            traceback.print_exc()
        cmd = exc.ctx.command_path if exc.ctx is not None else PROG
        error(f"{cmd}: usage error: {exc.format_message()} (see '{cmd} --help')")
        return EXIT_USAGE_ERROR
    if isinstance(exc, (Stopped, click.exceptions.Abort, KeyboardInterrupt)):
        # SIGTERM, SIGHUP: see gaussmix.__main__; click turns Ctrl-C while parsing into Abort
        signum = getattr(exc.__cause__ or exc, "signum", signal.SIGINT)
        error(interrupted_line(signum))
        return 128 + signum
    if isinstance(exc, BrokenPipeError):
        # stdout closed early (e.g. piped into head): stop quietly
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_DATA_ERROR
    if isinstance(exc, click.ClickException):
        if debug:
            traceback.print_exc()
        error(f"{PROG}: error: {exc.format_message()}")
        return exc.exit_code
    if debug:
        traceback.print_exc()
    error(f"{PROG}: error: {message(exc)}")
    return EXIT_DATA_ERROR


def interrupted_line(signum):
    """The line for a command stopped by signal ``signum``."""
    return f"{PROG}: interrupted ({signal.Signals(signum).name}); nothing was left half-written"


def message(exc):
    """The text of a data error; anything else is named as a probable bug."""
    text = " ".join(str(exc).split())
    if isinstance(exc, MemoryError):
        return (f"out of memory ({text or 'MemoryError'}); give less data or ask for less "
                "(fewer rows, components or candidates).")
    if isinstance(exc, (DataError, ValueError, TypeError, OSError, ImportError)) and text:
        if isinstance(exc, OSError) and getattr(exc, "filename", None) and exc.filename not in text:
            text = f"{text}: {exc.filename}"
        return text
    return (f"{type(exc).__name__}: {text or 'unexpected failure'} (this looks like a bug in "
            "gaussmix; run again with --debug for the traceback)")


def error(line):
    """One line on stderr, whitespace collapsed."""
    click.echo(" ".join(line.split()), err=True)


@contextlib.contextmanager
def one_line_warnings():
    """Show warnings as ``gaussmix: warning: ...`` (one line, no source line)."""
    def show(message, category, filename, lineno, file=None, line=None):
        click.echo(f"gaussmix: warning: {' '.join(str(message).split())}", err=True)

    old = warnings.showwarning
    warnings.showwarning = show
    try:
        yield
    finally:
        warnings.showwarning = old
