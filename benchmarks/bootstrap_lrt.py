"""mclust's bootstrap LRT on Old Faithful with the EEE (``tied``) model: p-values and time.

Runs ``gaussmix.bootstrap_lrt(faithful, "tied", ...)`` with 199 and 999 replicates
and prints each test's observed statistic and bootstrap p-value beside mclust's
(``tests/data/mclust/faithful_lrt_EEE.txt``: ``mclustBootstrapLRT(faithful,
modelName="EEE", nboot=199, maxG=4)``), the chosen number of components and the
time. By default every test up to 4 vs 5 runs, as mclust's with ``maxG=4``
(``--stop`` stops at the first that is not significant, as mclust without
``maxG``). ``--jobs 1`` gives the serial time that ``PROCESS_MIN_VALUES`` in
``gaussmix/selection/lrt.py`` weighs against.

Run: ``python benchmarks/bootstrap_lrt.py [--boots 199 999] [--jobs N] [--stop]``.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from pathlib import Path

import numpy as np

import gaussmix

MCLUST = Path(__file__).resolve().parents[1] / "tests" / "data" / "mclust"


def mclust_table():
    """``{G: (LRTS, p-value)}`` of mclust's run (199 replicates)."""
    text = (MCLUST / "faithful_lrt_EEE.txt").read_text()
    return {int(g): (float(s), float(p))
            for g, s, p in re.findall(r"^(\d+) vs \d+\s+(\S+)\s+(\S+)$", text, re.M)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--boots", type=int, nargs="+", default=[199, 999])
    ap.add_argument("--jobs", type=int, default=None, help="workers (default: all cores)")
    ap.add_argument("--max-components", type=int, default=5)
    ap.add_argument("--stop", action="store_true", help="stop at the first non-significant test")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    X = np.loadtxt(MCLUST / "faithful.csv", delimiter=",", skiprows=1)
    ref = mclust_table()
    jobs = args.jobs or os.cpu_count()
    print(f"Old Faithful {X.shape[0]} x {X.shape[1]}, tied (mclust EEE), level 0.05, "
          f"{jobs} worker(s), max_components={args.max_components}")
    for n_boot in args.boots:
        t0 = time.perf_counter()
        res = gaussmix.bootstrap_lrt(X, "tied", max_components=args.max_components,
                                     n_boot=n_boot, random_state=args.seed, n_jobs=args.jobs,
                                     all_tests=not args.stop, progress=None)
        seconds = time.perf_counter() - t0
        print(f"\nn_boot = {n_boot}: {seconds:.1f} s, chosen G = {res.n_components_}")
        print(f"{'test':8} {'LRTS':>12} {'p-value':>9}   {'mclust LRTS':>12} "
              f"{'mclust p (199)':>14}")
        for row in res.table_.itertuples(index=False):
            g = int(row.n_components)
            m_stat, m_p = ref.get(g, (np.nan, np.nan))
            print(f"{g} vs {g + 1}   {row.lrt:12.6f} {row.p_value:9.4f}   {m_stat:12.6f} "
                  f"{m_p:14.3f}")


if __name__ == "__main__":
    main()
