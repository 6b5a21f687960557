"""The ``gaussmix`` command line: fit, score, sample, select, plot and report.

Needs the ``cli`` extra (``pip install 'gaussmix[cli]'``: click, pandas, tqdm,
matplotlib); the installed ``gaussmix`` command checks for it first
(:mod:`gaussmix.__main__`).

Behaviour shared by every subcommand:

- DATA is a regular CSV (``.csv``, ``.tsv``), Parquet (``.parquet``) or NumPy
  (``.npy``) file; ``--columns a,b`` picks columns (names, or 0-based positions);
  header names carry through to models, tables and synthetic rows;
  ``--header/--no-header`` overrule the header rule of
  :func:`gaussmix.io.tables.header_rule`.
- An output's format follows its extension; tables go to stdout without ``-o``.
- Every write is atomic (a temporary file beside the target, renamed when complete);
  outputs are checked before any work; a read-only one is replaced only with
  ``--force``; a link is written through.
- Exit codes: 0 ok; 2 usage error (unknown option, bad option value such as
  ``-k 0``, an output extension gaussmix cannot write); 1 data error (missing or
  unreadable file, non-numeric column, a file that is not a model, an output folder
  that does not exist or cannot be written, a read-only output); 128 + the signal's
  number when stopped by SIGINT, SIGTERM or SIGHUP. An error is one line on stderr;
  ``--debug`` adds the traceback.
- Progress bars (stderr) only on a terminal and never with ``--quiet``.

One module per command (:mod:`.fit`, :mod:`.score`, :mod:`.sample`, :mod:`.select`,
:mod:`.plot`, :mod:`.report`); :mod:`.app` gathers them in the ``gaussmix`` group;
:mod:`.errors` turns failures into one line and an exit code; :mod:`.options` holds
the option types and decorators, :mod:`.files` the reading of DATA and MODEL and the
writing of outputs, :mod:`.console` notes and progress decisions, :mod:`.progress`
the EM progress bar. Heavy modules (pandas, matplotlib, tqdm) are imported by the
commands that need them, when they run.
"""

from .app import cli, main
from .progress import EMProgress as _EMProgress  # the name the tests and older code use

__all__ = ["cli", "main"]
