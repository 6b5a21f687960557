"""Default fits versus mclust's log-likelihoods and scikit-learn's default fits.

For the mclust reference tables (tests/data/mclust: faithful, iris), fits
gaussmix with default settings for every one of mclust's fourteen models and
G = 1..9, and scikit-learn for the four models it has (VVV, EEE, VVI, VII as
"full", "tied", "diag", "spherical"), side by side in one process, and prints: how
many cells reach mclust's log-likelihood (within 1e-4 relative), and the fitting
time of each library on the cells both have.

gaussmix's cells come from one ``gaussmix.select`` per data set and seed, whose
candidates share one agglomeration tree (as mclust's ``mclustBIC`` reuses one ``hc``
for all models and G); ``--cold`` fits every cell on its own instead, so each fit pays
for its own agglomeration.

Run: ``python benchmarks/mclust_quality.py [--seeds N] [--cold]``.
"""

from __future__ import annotations

import argparse
import csv
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.mixture import GaussianMixture as SkGM

from gaussmix import GaussianMixture, select
from gaussmix.covariance import MCLUST_MODELS, SKLEARN_TYPES, get_structure

# R mclust 6.0.0 results, shipped with the tests (copied from ../shared/reference/mclust)
REF = Path(__file__).resolve().parents[1] / "tests" / "data" / "mclust"
TYPES = {name: name for name in MCLUST_MODELS}
#: scikit-learn's name of each of mclust's models it has
SKLEARN_NAMES = {get_structure(name).mclust_name: name for name in SKLEARN_TYPES}
GS = range(1, 10)


def read_table(name):
    with open(REF / f"{name}_loglik.csv") as fh:
        rows = list(csv.DictReader(fh))
    return {int(r["G"]): {k: (float(v) if v != "NA" else None) for k, v in r.items() if k != "G"}
            for r in rows}


def read_data(name):
    return np.loadtxt(REF / f"{name}.csv", delimiter=",", skiprows=1)


def gaussmix_logliks(X, seed, cold, types):
    """Total log-likelihood per (covariance type, G), and the seconds it took."""
    t = time.perf_counter()
    if cold:
        out = {(ct, G): GaussianMixture(G, covariance_type=ct, random_state=seed).fit(X)
               .score(X) * X.shape[0] for ct in types for G in GS}
    else:
        res = select(X, GS, tuple(types), random_state=seed, n_jobs=1, progress=False)
        out = {(r.covariance_type, r.n_components): r.log_likelihood
               for r in res.table_.itertuples(index=False)}
    return out, time.perf_counter() - t


def sklearn_logliks(X, seed):
    t = time.perf_counter()
    out = {(ct, G): SkGM(n_components=G, covariance_type=SKLEARN_NAMES[ct],
                         random_state=seed).fit(X).score(X) * X.shape[0]
           for ct in SKLEARN_NAMES for G in GS}
    return out, time.perf_counter() - t


def main(seeds=1, verbose=False, cold=False):
    warnings.simplefilter("ignore")
    total = {"gaussmix": 0.0, "sklearn": 0.0, "gaussmix (all 14)": 0.0}
    hits = {"gaussmix": 0, "sklearn": 0}
    cells = {"gaussmix": 0, "sklearn": 0}
    misses = []
    for name in ("faithful", "iris"):
        X = read_data(name)
        table = read_table(name)
        for seed in range(seeds):
            found = {}
            found["gaussmix"], t_all = gaussmix_logliks(X, seed, cold, TYPES)
            total["gaussmix (all 14)"] += t_all
            total["gaussmix"] += gaussmix_logliks(X, seed, cold, SKLEARN_NAMES)[1]
            found["sklearn"], t_sk = sklearn_logliks(X, seed)
            total["sklearn"] += t_sk
            for (ct, G), ref in ((k, table[k[1]][k[0]]) for k in found["gaussmix"]):
                if ref is None:
                    continue
                for lib in ("gaussmix", "sklearn"):
                    if (ct, G) not in found[lib]:
                        continue
                    cells[lib] += 1
                    ll = found[lib][(ct, G)]
                    ok = ll >= ref - 1e-4 * abs(ref)
                    hits[lib] += ok
                    if lib == "gaussmix" and not ok:
                        misses.append((name, ct, G, seed, round(ll, 4), round(ref, 4)))
                    if verbose:
                        print(f"{name:9s} {ct:9s} G={G} seed={seed} {lib:8s} "
                              f"{ll:12.4f} mclust {ref:12.4f} {'ok' if ok else 'MISS'}")
    for lib in ("gaussmix", "sklearn"):
        print(f"{lib:8s}: reaches mclust in {hits[lib]}/{cells[lib]} cells")
    print(f"time on scikit-learn's four models: gaussmix {total['gaussmix']:.3f} s, "
          f"scikit-learn {total['sklearn']:.3f} s, ratio "
          f"{total['gaussmix'] / total['sklearn']:.2f}; gaussmix on all fourteen "
          f"{total['gaussmix (all 14)']:.3f} s")
    for m in misses:
        print("  miss:", *m)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--cold", action="store_true",
                    help="fit every cell on its own (no shared agglomeration)")
    args = ap.parse_args()
    main(args.seeds, args.verbose, args.cold)
