"""MAP fits with mclust's default prior versus mclust's tables (tests/data/mclust).

For faithful and iris, fits ``GaussianMixture(G, covariance_type=M,
prior="mclust")`` for mclust's ten prior-supported models and G = 1..9 (one
agglomeration per data set, shared as mclust's ``mclustBIC`` shares its ``hc``) and
prints per model and data set: the cells whose log-likelihood at the MAP estimate
equals mclust's within ``max(0.05, 1e-4 |ref|)``; the cells where gaussmix found
another optimum, with both log posteriors (mclust's from its own EM path rebuilt
from gaussmix's parts: the MAP M-step on the hierarchical partition and mclust's
stopping rule, which reaches mclust's value in every cell); and the fitting time,
beside mclust's time for ``Mclust(X, G = 1:9, prior = priorControl())``
(map_best.txt, measured when the tables were made, on another machine).

Run: ``python benchmarks/mclust_map.py [--repeats N] [--tol T]``.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from gaussmix import GaussianMixture
from gaussmix.init import AgglomerationCache

TESTS = Path(__file__).resolve().parents[1] / "tests" / "mixture"
sys.path.insert(0, str(TESTS))
from test_mclust_map import MCLUST, MODELS, close, map_reference, mclust_path  # noqa: E402


def mclust_times():
    """mclust's seconds for Mclust(X, G = 1:9, prior = priorControl()) per data set."""
    out = {}
    for line in (MCLUST / "map_best.txt").read_text().splitlines():
        fields = dict(f.split("=", 1) for f in line.split()[1:])
        out[line.split()[0]] = float(fields["map_time"].rstrip("s"))
    return out


def fit_cells(X, table, tol):
    """Every cell's fit and the seconds per model (all G)."""
    cache, fits, seconds = AgglomerationCache(), {}, {}
    for model in MODELS:
        t = time.perf_counter()
        for G in table[model]:
            gm = GaussianMixture(G, covariance_type=model, prior="mclust", tol=tol,
                                 random_state=0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                gm._fit(X, None, cache=cache)
            fits[model, G] = gm
        seconds[model] = time.perf_counter() - t
    return fits, seconds, cache


def report(name, X, table, fits, seconds, cache):
    """Print one data set's rows; return the cells matched and the total."""
    n = X.shape[0]
    matched = total = 0
    print(f"\n{name} (n={n}, d={X.shape[1]})")
    print(f"  {'model':5}  {'matched':>7}  {'seconds':>7}  other optima (G: ours / mclust's "
          "log posterior)")
    for model in MODELS:
        others = []
        for G, ref in table[model].items():
            gm = fits[model, G]
            total += 1
            if close(gm.score(X) * n, ref):
                matched += 1
                continue
            _, path_posterior = mclust_path(X, G, model, cache)
            others.append(f"{G}: {gm.lower_bound_ * n:.2f} / {path_posterior:.2f}")
        count = f"{len(table[model]) - len(others)}/{len(table[model])}"
        print(f"  {model:5}  {count:>7}  {seconds[model]:7.2f}  {'; '.join(others)}")
    return matched, total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="timing repeats (minimum)")
    parser.add_argument("--tol", type=float, default=1e-8,
                        help="EM tolerance (the test's; mclust stops at a relative 1e-5)")
    args = parser.parse_args()
    times = mclust_times()
    for name in ("faithful", "iris"):
        X, table = map_reference(name)
        best = None
        for _ in range(args.repeats):
            fits, seconds, cache = fit_cells(X, table, args.tol)
            if best is None or sum(seconds.values()) < sum(best[1].values()):
                best = (fits, seconds, cache)
        matched, total = report(name, X, table, *best)
        print(f"  all    {matched}/{total} matched; gaussmix {sum(best[1].values()):.2f} s "
              f"(minimum of {args.repeats}), mclust {times[name]:.2f} s (map_best.txt)")


if __name__ == "__main__":
    main()
