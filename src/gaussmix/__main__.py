"""``gaussmix`` / ``python -m gaussmix``: the command line, if its extra is installed.

The command line needs click, pandas and tqdm (``pip install 'gaussmix[cli]'``). This
entry point checks for them first, so that without them the command says in one line
what to install instead of failing with a traceback.
"""

from __future__ import annotations

import importlib
import sys

#: Modules the command line cannot run without (the ``cli`` extra).
REQUIRED = ("click", "pandas", "tqdm")


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
    missing = missing_modules()
    if missing:
        print(f"gaussmix: the command line needs {', '.join(missing)}, which is not installed; "
              "install it with: pip install 'gaussmix[cli]' (or 'gaussmix[all]').",
              file=sys.stderr)
        sys.exit(1)
    from .cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    main()
