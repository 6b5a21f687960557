"""The default ``gaussmix.select(X)`` against mclust's ``Mclust(X)``, on the same data.

Both run their defaults: mclust's 14 models with G = 1..9 (wreath: G = 1..20, as in
mclust's own examples). Per data set: gaussmix's time (the minimum of ``--repeat``
runs; its CPU time too), mclust's (``Rscript`` with mclust, run side by side in this process when it is
installed; otherwise the figures measured on this kind of machine, marked "ref"),
the ratio gaussmix / mclust (below 1: gaussmix is faster), and the best model, G and
BIC of each (BIC with mclust's sign, higher is better).

Data: Old Faithful and iris (``tests/data/mclust``), a wreath-like set (14 Gaussian
clusters on a circle, 1000 x 2) and a GvHD-like one (6809 x 4, a few skewed clusters)
made here with a fixed seed.

Run: ``python benchmarks/select_speed.py [--repeat 3] [--only faithful iris]``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

import gaussmix

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "mclust"
#: Mclust(X) seconds measured on this kind of machine (2 cores), for when R is missing.
MCLUST_REF_SECONDS = {"faithful": 0.49, "iris": 0.41, "wreath": 2.3, "gvhd": 12.2}
R_SCRIPT = """
suppressMessages(library(mclust))
X <- as.matrix(read.csv("{path}"))
G <- {kmin}:{kmax}
invisible(Mclust(X, G = G, verbose = FALSE))  # warm-up: loads and compiles
t <- system.time(m <- Mclust(X, G = G, verbose = FALSE))[["elapsed"]]
cat(sprintf("%.4f %s %d %.4f\\n", t, m$modelName, m$G, m$bic))
"""


def wreath(rng):
    """14 Gaussian clusters on a circle, 1000 x 2 (like mclust's wreath data)."""
    angles = 2 * np.pi * np.arange(14) / 14
    centres = 10 * np.c_[np.cos(angles), np.sin(angles)]
    labels = rng.integers(0, 14, 1000)
    return centres[labels] + rng.normal(scale=0.8, size=(1000, 2))


def gvhd(rng):
    """6809 x 4, a few skewed clusters (like flow cytometry's GvHD control)."""
    sizes = [3000, 2000, 1200, 609]
    parts = []
    for k, n in enumerate(sizes):
        centre = rng.uniform(100, 500, size=4)
        skewed = rng.gamma(shape=2.0 + k, scale=30.0, size=(n, 4))
        parts.append(centre + skewed @ rng.normal(scale=0.5, size=(4, 4)) + skewed)
    return np.vstack(parts)


def datasets(only):
    rng = np.random.default_rng(2024)
    sets = {"faithful": lambda: (pd.read_csv(DATA / "faithful.csv").to_numpy(), range(1, 10)),
            "iris": lambda: (pd.read_csv(DATA / "iris.csv").to_numpy(), range(1, 10)),
            "wreath": lambda: (wreath(rng), range(1, 21)),
            "gvhd": lambda: (gvhd(rng), range(1, 10))}
    for name, make in sets.items():
        X, ks = make()  # made in order, so the seed gives the same data with --only
        if not only or name in only:
            yield name, X, ks


def run_gaussmix(X, ks, repeat, **params):
    times, cpus = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = gaussmix.select(X, ks, random_state=0, progress=False, **params)
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    row = res.table_.iloc[res.best_index_]
    return min(times), min(cpus), row.covariance_type, int(row.n_components), -float(row.bic)


def run_mclust(name, X, ks):
    """(seconds, model, G, BIC, measured here?) of Mclust(X) in R, or the reference
    time (model, G, BIC unknown) when R or mclust is missing."""
    if shutil.which("Rscript") is not None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "X.csv"
            pd.DataFrame(X).to_csv(path, index=False)
            script = R_SCRIPT.format(path=path.as_posix(), kmin=min(ks), kmax=max(ks))
            out = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            t, model, G, bic = out.stdout.split()
            return float(t), model, int(G), float(bic), True
    return MCLUST_REF_SECONDS[name], "?", 0, float("nan"), False


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", nargs="*", choices=["faithful", "iris", "wreath", "gvhd"])
    ap.add_argument("--before", action="store_true",
                    help="also time every candidate from both starts (init_params='auto', "
                         "select's strategy before it started from the agglomeration alone)")
    args = ap.parse_args()
    print(f"{'data':9s} {'n x d':>8} {'fits':>5} {'gaussmix s':>10} {'cpu s':>6} {'mclust s':>10} "
          f"{'ratio':>6}  {'gaussmix best':24s} {'mclust best':24s}")
    for name, X, ks in datasets(args.only):
        t_g, c_g, model, G, bic = run_gaussmix(X, ks, args.repeat)
        t_m, m_model, m_G, m_bic, here = run_mclust(name, X, ks)
        if args.before:
            t_b, _, b_model, b_G, b_bic = run_gaussmix(X, ks, args.repeat, init_params="auto")
            print(f"{name:9s} both starts everywhere: {t_b:.2f} s ({t_g / t_b:.2f} of it now); "
                  f"best {b_model} G={b_G} BIC={b_bic:.2f}")
        shape = f"{X.shape[0]}x{X.shape[1]}"
        fits = len(ks) * 14
        mclust_best = f"{m_model} G={m_G} BIC={m_bic:.2f}" if here else "(not run: no R)"
        print(f"{name:9s} {shape:>8} {fits:>5} {t_g:10.2f} {c_g:6.2f} {t_m:9.2f}{' ' if here else '*'} "
              f"{t_g / t_m:6.2f}  {f'{model} G={G} BIC={bic:.2f}':24s} {mclust_best}")
    print("* mclust not installed here: its time measured on this kind of machine (2 cores).")
    print("cpu s: this process's CPU time (load does not distort it); it leaves out worker "
          "processes (select's backend='auto' uses them from 10000 values on).")


if __name__ == "__main__":
    main()
