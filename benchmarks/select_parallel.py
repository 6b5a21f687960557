"""How should ``gaussmix.select`` run its candidates: serially, in threads or in processes?

For a small data set (Old Faithful, 272 x 2) and larger synthetic ones, times
``select`` (K = 1..9, four covariance types: 36 fits) with ``n_jobs=1`` and with all
cores on joblib's threading and loky (process) backends, each in one process run,
side by side, and checks that the three tables agree. The ratio to serial is what to
read; ``backend="auto"`` in ``selection.py`` follows from it.

Run: ``python benchmarks/select_parallel.py [--sizes 272 20000 100000] [--repeat 2]``.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

import gaussmix


def data(n, rng):
    if n == 272:
        return gaussmix.load_faithful(), "faithful 272x2"
    d = 4
    centres = rng.normal(0, 4, size=(5, d))
    X = centres[rng.integers(0, 5, n)] + rng.normal(size=(n, d))
    return X, f"synthetic {n}x{d}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[272, 20000, 100000])
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--kmax", type=int, default=9)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    print(f"{os.cpu_count()} cores; K = 1..{args.kmax}, 4 covariance types")
    print(f"{'data':22s} {'serial s':>9} {'threads s':>10} {'processes s':>12}  "
          f"{'threads/serial':>14} {'processes/serial':>16}")
    for n in args.sizes:
        X, name = data(n, rng)
        times = {}
        tables = {}
        for label, kw in (("serial", {"n_jobs": 1}),
                          ("threads", {"n_jobs": None, "backend": "threads"}),
                          ("processes", {"n_jobs": None, "backend": "processes"})):
            best = np.inf
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                res = gaussmix.select(X, range(1, args.kmax + 1), random_state=0, progress=False,
                                      **kw)
                best = min(best, time.perf_counter() - t0)
            times[label] = best
            tables[label] = res.table_["bic"].to_numpy()
        same = all(np.allclose(tables["serial"], t, rtol=1e-10) for t in tables.values())
        print(f"{name:22s} {times['serial']:9.2f} {times['threads']:10.2f} "
              f"{times['processes']:12.2f}  {times['threads'] / times['serial']:14.2f} "
              f"{times['processes'] / times['serial']:16.2f}"
              + ("" if same else "   TABLES DIFFER"))


if __name__ == "__main__":
    main()
