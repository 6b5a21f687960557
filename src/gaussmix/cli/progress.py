"""The EM progress bar of ``gaussmix fit``: the estimator's ``verbose=2`` lines,
read as they are printed, move a tqdm bar."""

from __future__ import annotations

import contextlib
import io
import re
import sys


class EMProgress(io.TextIOBase):
    """Reads GaussianMixture's ``verbose=2`` lines and moves a tqdm bar with them."""

    _ITER = re.compile(r"iteration\s+(\d+)\s+mean log-likelihood\s+(\S+)\s+change\s+(\S+)")
    _START = re.compile(r"^\s*start\s+(\d+):")

    def __init__(self, bar):
        super().__init__()
        self.bar = bar
        self.buffer_ = ""
        self.run = 1

    def writable(self):
        return True

    def write(self, text):
        self.buffer_ += text
        while "\n" in self.buffer_:
            line, self.buffer_ = self.buffer_.split("\n", 1)
            self._line(line)
        return len(text)

    def _line(self, line):
        m = self._ITER.search(line)
        if m:
            it, ll, change = m.groups()
            self.bar.update(1)
            self.bar.set_postfix_str(f"run {self.run}, iteration {it}: objective {float(ll):.6f}, "
                                     f"change {change}", refresh=False)
        elif self._START.search(line):
            self.run += 1


def fit_with_progress(gm, X, show_progress):
    """``gm.fit(X)``; on a terminal with a bar per EM iteration (objective and change)."""
    if not show_progress:
        return gm.fit(X)
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return gm.fit(X)
    verbose = gm.verbose
    with tqdm(desc="EM", unit="it", file=sys.stderr, leave=False, dynamic_ncols=True) as bar:
        gm.set_params(verbose=2)
        try:
            with contextlib.redirect_stdout(EMProgress(bar)):
                gm.fit(X)
        finally:
            gm.set_params(verbose=verbose)
    return gm
