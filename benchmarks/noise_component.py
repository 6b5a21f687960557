"""The noise component against mclust's (``Mclust(X, initialization = list(noise =
...), Vinv = 1 / V)``), side by side in one run.

Data: three well separated clusters (unit-scale Gaussians, 300 rows each) in 2 and 5
dimensions plus 10 % of rows uniform on a box around them (as
``tests/mixture/test_noise.py``), several seeds. Both fit K = 3 with a noise
component of the same density ``1 / V`` (V: the data's bounding box): gaussmix from
its own start (a clean fit, its low-density tail as initial noise), mclust from a
nearest-neighbour guess (the 15 % of rows farthest from their 10th nearest
neighbour, as Byers and Raftery's cleaning does in spirit; prabclus's ``NNclean`` is
not installed). Printed per data set: the total log-likelihood (with the noise
term) of each and their difference, the noise weights, the F1 score of the rows each
calls noise against the true noise rows, and the seconds of each fit (mclust's
measured inside R, without R's start-up).

Run: ``python benchmarks/noise_component.py [--seeds N] [--models VVV,EEE]``
(needs R with mclust: ``Rscript -e 'library(mclust)'``).

``--digest`` prints instead one SHA-256 of 96 fits without noise (16 covariance types
x no prior and mclust's prior x Old Faithful, 3,000 x 5 in float64 and float32:
weights, means, covariances, ``lower_bounds_``, ``predict_proba``,
``score_samples``): run it on two versions (``PYTHONPATH=<src> python ...``) to see
that fits without noise are the same bit for bit.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

from gaussmix import GaussianMixture, load_faithful
from gaussmix.covariance import COVARIANCE_TYPES, get_structure

R_SCRIPT = r"""
suppressMessages(library(mclust))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
jobs <- read.csv(file.path(dir, "jobs.csv"), stringsAsFactors = FALSE)
out <- NULL
for (i in seq_len(nrow(jobs))) {
  X <- as.matrix(read.csv(file.path(dir, jobs$data[i]), header = FALSE))
  init <- scan(file.path(dir, jobs$init[i]), quiet = TRUE) == 1
  t <- system.time(fit <- Mclust(X, G = 3, modelNames = jobs$model[i],
                                 initialization = list(noise = init),
                                 Vinv = 1 / jobs$volume[i], verbose = FALSE))[["elapsed"]]
  write(as.integer(fit$classification == 0), file.path(dir, paste0("noise_", i, ".txt")),
        ncolumns = 1)
  out <- rbind(out, data.frame(job = i, loglik = fit$loglik,
                               pi0 = fit$parameters$pro[4], seconds = t))
}
write.csv(out, file.path(dir, "mclust.csv"), row.names = FALSE)
"""


def noisy_clusters(seed, d, n_per=300, share=0.1):
    """Rows and the true noise mask (the generator of tests/mixture/test_noise.py)."""
    rng = np.random.default_rng(seed)
    centres = np.zeros((3, d))
    centres[:, 0] = np.arange(3) * 8.0
    centres[:, 1] = [0.0, 6.0, -6.0]
    clean = np.vstack([c + s * rng.normal(size=(n_per, d))
                       for c, s in zip(centres, np.linspace(0.7, 1.3, 3))])
    n_noise = int(round(share * clean.shape[0] / (1 - share)))
    noise = rng.uniform(clean.min(axis=0) - 3, clean.max(axis=0) + 3, size=(n_noise, d))
    return np.vstack([clean, noise]), np.r_[np.zeros(len(clean), bool), np.ones(n_noise, bool)]


def nn_guess(X, k=10, share=0.15):
    """Rows whose distance to their k-th nearest neighbour is among the largest."""
    dist = cKDTree(X).query(X, k + 1)[0][:, -1]
    return dist >= np.quantile(dist, 1 - share)


def f1(found, truth):
    return 2 * np.sum(found & truth) / (np.sum(found) + np.sum(truth))


def run_gaussmix(X, truth, model):
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gm = GaussianMixture(3, covariance_type=model, noise=True, random_state=0).fit(X)
    seconds = time.perf_counter() - t
    return (gm.score(X) * X.shape[0], gm.noise_weight_, f1(gm.predict(X) == -1, truth),
            seconds, gm.noise_volume_)


def run_mclust(jobs, folder):
    """Fit every job in one R process; (loglik, pi0, noise mask, seconds) per job."""
    lines = ["data,init,model,volume"]
    for i, (X, model, volume) in enumerate(jobs, 1):
        np.savetxt(folder / f"x{i}.csv", X, delimiter=",", fmt="%.17g")
        np.savetxt(folder / f"init{i}.txt", nn_guess(X).astype(int), fmt="%d")
        lines.append(f"x{i}.csv,init{i}.txt,{model},{volume!r}")
    (folder / "jobs.csv").write_text("\n".join(lines) + "\n")
    (folder / "fit.R").write_text(R_SCRIPT)
    subprocess.run(["Rscript", str(folder / "fit.R"), str(folder)], check=True)
    table = np.genfromtxt(folder / "mclust.csv", delimiter=",", names=True)
    return [(row["loglik"], row["pi0"],
             np.loadtxt(folder / f"noise_{i}.txt").astype(bool), row["seconds"])
            for i, row in enumerate(np.atleast_1d(table), 1)]


def digest():
    """SHA-256 of 96 fits without noise (see the module's docstring)."""
    rng = np.random.default_rng(0)
    wide = rng.normal(size=(3000, 5)) + np.repeat(np.eye(5) * 4, 600, axis=0)
    h = hashlib.sha256()
    for data in (load_faithful(), wide, wide.astype(np.float32)):
        for t in COVARIANCE_TYPES:
            try:
                get_structure(t).check_n_features(2)
            except ValueError:  # E and V: one-dimensional data only
                continue
            for prior in (None, "mclust"):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    gm = GaussianMixture(3, covariance_type=t, prior=prior,
                                         random_state=0).fit(data)
                for a in (gm.weights_, gm.means_, gm.covariances_,
                          np.asarray(gm.lower_bounds_), gm.predict_proba(data),
                          gm.score_samples(data)):
                    h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--models", default="VVV,EEE,VII")
    parser.add_argument("--digest", action="store_true")
    args = parser.parse_args()
    if args.digest:
        print(digest())
        return
    cases, jobs = [], []
    for model in args.models.split(","):
        for d in (2, 5):
            for seed in range(1, args.seeds + 1):
                X, truth = noisy_clusters(seed, d)
                ours = run_gaussmix(X, truth, model)
                cases.append((model, d, seed, truth, ours))
                jobs.append((X, model, ours[4]))
    with tempfile.TemporaryDirectory() as tmp:
        theirs = run_mclust(jobs, Path(tmp))
    print(f"{'model':>5} {'d':>2} {'seed':>4}  {'loglik gaussmix':>15} {'mclust':>11} "
          f"{'diff':>8}  {'pi0 g':>6} {'m':>6}  {'F1 g':>5} {'m':>5}  {'s g':>6} {'s m':>6}")
    diffs = []
    for (model, d, seed, truth, ours), (ll, pi0, noise, secs) in zip(cases, theirs):
        diffs.append(ours[0] - ll)
        print(f"{model:>5} {d:>2} {seed:>4}  {ours[0]:15.3f} {ll:11.3f} {ours[0] - ll:8.3f}  "
              f"{ours[1]:6.3f} {pi0:6.3f}  {ours[2]:5.3f} {f1(noise, truth):5.3f}  "
              f"{ours[3]:6.2f} {secs:6.2f}")
    diffs = np.asarray(diffs)
    print(f"\ngaussmix - mclust log-likelihood: min {diffs.min():.3f}, median "
          f"{np.median(diffs):.3f}, max {diffs.max():.3f}; gaussmix at least mclust's "
          f"(within 0.01) in {np.sum(diffs >= -0.01)} of {diffs.size}")


if __name__ == "__main__":
    main()
