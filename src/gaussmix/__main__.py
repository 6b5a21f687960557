"""``gaussmix`` / ``python -m gaussmix``: the command line, if its extra is installed.

The command line needs click, pandas and tqdm (``pip install 'gaussmix[cli]'``). This
entry point checks for them first, so that without them the command says in one line
what to install instead of failing with a traceback.

It also makes SIGTERM (``kill``, ``timeout``, a cancelled CI job) and SIGHUP (a
closed terminal) stop the command the way Ctrl-C does: the first of these signals
raises :class:`Interrupted` (a ``KeyboardInterrupt``), so temporary files are
removed, an existing output stays as it was, and the command exits with 128 + the
signal's number and one line on stderr. The handlers are installed first thing,
before click, pandas and the commands are imported; a further signal while the first
one unwinds removes the temporary files and exits at once.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys

from .io.atomic import remove_temporaries  # light; the package import has loaded it already

#: Modules the command line cannot run without (the ``cli`` extra).
REQUIRED = ("click", "pandas", "tqdm")

#: The signals that stop a command like Ctrl-C (those this platform has).
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                     if hasattr(signal, name))

#: "idle" before main(), "running", "stopping" after the first signal, "finished".
_STATE = {"phase": "idle", "signum": None}


class Interrupted(KeyboardInterrupt):
    """The command was stopped by signal ``signum`` (handled like Ctrl-C)."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, frame):
    """The first signal raises :class:`Interrupted`; one during its clean-up ends the
    process at once (temporary files removed); one after the command is done is
    ignored (it exits with its own status)."""
    phase = _STATE["phase"]
    if phase == "running":
        _STATE.update(phase="stopping", signum=signum)
        raise Interrupted(signum)
    if phase == "stopping":
        remove_temporaries()
        os._exit(128 + _STATE["signum"])


def install_signal_handlers():
    """Handle SIGINT, SIGTERM and SIGHUP as described above (main thread only). A
    signal the parent set to be ignored stays ignored (``nohup`` ignores SIGHUP, a
    shell ignores SIGINT in background jobs)."""
    for signum in STOP_SIGNALS:
        try:
            if signal.getsignal(signum) is not signal.SIG_IGN:
                signal.signal(signum, _on_signal)
        except (OSError, ValueError):  # not the main thread, or not allowed here
            pass
    _STATE.update(phase="running", signum=None)


def interrupted_line(signum):
    """The line printed when a signal stops the command before the command line's own
    error handling has started (the same words as :mod:`gaussmix.cli.errors`)."""
    return f"gaussmix: interrupted ({signal.Signals(signum).name}); nothing was left half-written"


def missing_modules():
    """Names in ``REQUIRED`` that cannot be imported."""
    missing = []
    for name in REQUIRED:
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    return missing


def main(argv=None):
    """Entry point of the ``gaussmix`` command."""
    install_signal_handlers()
    try:
        missing = missing_modules()
        if missing:
            print(f"gaussmix: the command line needs {', '.join(missing)}, which is not "
                  "installed; install it with: pip install 'gaussmix[cli]' (or 'gaussmix[all]').",
                  file=sys.stderr)
            sys.exit(1)
        from .cli import main as cli_main

        return cli_main(argv)
    except KeyboardInterrupt as exc:  # stopped while starting, before the commands' handling
        signum = getattr(exc, "signum", signal.SIGINT)
        print(interrupted_line(signum), file=sys.stderr)
        sys.exit(128 + signum)
    finally:
        _STATE["phase"] = "finished"


if __name__ == "__main__":
    main()
