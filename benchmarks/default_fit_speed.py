"""Default fits: gaussmix versus scikit-learn, side by side in one process.

Speed table: for each shape (d features, K separated blobs) and number of rows (the
first rows of one data set, so that only n changes), the
best of ``--repeats`` wall times of ``GaussianMixture(K, random_state=0).fit(X)`` in
scikit-learn and in gaussmix (default ``init_params="auto"``), their ratio, and
gaussmix's time with the previous start policy ("before": the agglomeration on all
rows up to 2000, from single rows). gaussmix's time should not fall as rows are
added, and should be at most scikit-learn's.

Quality table (``--quality``): on synthetic mixtures of 1000-10000 rows, for every
covariance type, the log-likelihood of the default fit against that of the previous
policy, counting the cells where the new one reaches the old within ``--tol``
(relative) or exceeds it.

Run: ``python benchmarks/default_fit_speed.py`` (speed, ~2 minutes on 2 cores),
``--quality`` for the quality table too (~5 minutes), ``--quick`` for one shape,
``--blas-threads 1`` for steadier times on a busy machine.
"""

from __future__ import annotations

import argparse
import contextlib
import time
import warnings

import numpy as np
from sklearn.mixture import GaussianMixture as SkGM
from threadpoolctl import threadpool_limits

import gaussmix
from gaussmix import GaussianMixture
from gaussmix.covariance import COVARIANCE_TYPES, get_structure
from gaussmix.init import sample, starts

#: the start functions as imported, so that ``old_policy`` reproduces the previous
#: policy even when a caller has patched them
_HC_ROWS = starts.hc_rows
ROWS = (100, 300, 1000, 2000, 4000, 6000, 10000)
SHAPES = ((5, 3), (2, 2), (10, 6))


def blobs(n, d, K, seed):
    """K separated Gaussian blobs with random covariances (unequal sizes)."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=6.0, size=(K, d))
    sizes = rng.multinomial(n, rng.dirichlet(np.full(K, 4.0)))
    parts = []
    for k in range(K):
        A = rng.normal(size=(d, d)) / np.sqrt(d)
        parts.append(centers[k] + rng.normal(size=(sizes[k], d)) @ (A + np.eye(d)))
    X = np.concatenate(parts)
    return X[rng.permutation(n)]


def _old_hc_max_rows(X):
    """The previous policy's row cap (2000; on more than 4000 rows at most 1000, and
    fewer so that the agglomeration's memory stayed under a quarter of the data)."""
    n, d = X.shape
    if n <= 4000:
        return 2000
    m = 1000
    while m > 100 and 8 * (1.7 * m * m + 4 * m * d * d) > X.nbytes / 4:
        m = int(m * 0.9)
    return max(m, 100)


@contextlib.contextmanager
def old_policy():
    """The previous start policy: the agglomeration on up to 2000 rows (on 2000-4000
    rows a random 2000 of them, drawn here as the new policy draws its subset)."""
    saved = sample.HC_MAX_GROUPS, starts.hc_rows

    def capped(X, w, Xi, wi, rng, max_rows):
        return _HC_ROWS(X, w, Xi, wi, rng, _old_hc_max_rows(X))

    sample.HC_MAX_GROUPS, starts.hc_rows = None, capped
    try:
        yield
    finally:
        sample.HC_MAX_GROUPS, starts.hc_rows = saved


def best_time(fit, repeats):
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        fit()
        best = min(best, time.perf_counter() - t0)
    return best * 1e3


def speed_table(shapes, rows, repeats, before):
    print(f"{'d':>3} {'K':>3} {'rows':>6} {'sklearn ms':>11} {'gaussmix ms':>12} "
          f"{'ratio':>6} {'before ms':>10}")
    for d, K in shapes:
        data = blobs(max(rows), d, K, seed=d)  # the first n rows: one mixture for all n
        for n in rows:
            X = data[:n]
            sk = best_time(lambda: SkGM(K, random_state=0).fit(X), repeats)
            gm = best_time(lambda: GaussianMixture(K, random_state=0).fit(X), repeats)
            old = np.nan
            if before:
                with old_policy():
                    old = best_time(lambda: GaussianMixture(K, random_state=0).fit(X),
                                    max(1, repeats - 2))
            print(f"{d:3d} {K:3d} {n:6d} {sk:11.1f} {gm:12.1f} {gm / sk:6.2f} {old:10.1f}",
                  flush=True)


def fits_width(covariance_type, d):
    """Whether the structure exists in d dimensions (mclust's E and V are 1-D only)."""
    try:
        get_structure(covariance_type).check_n_features(d)
    except ValueError:
        return False
    return True


def quality_table(tol, seeds):
    """New default versus the previous policy: log-likelihood per cell."""
    cells = reached = better = 0
    worst = 0.0
    for n, d, K in ((1000, 3, 4), (2500, 5, 3), (5000, 4, 5), (10000, 2, 6)):
        for seed in range(seeds):
            X = blobs(n, d, K, seed=100 * seed + d)
            X[: n // 20] = np.random.default_rng(seed).uniform(X.min(0), X.max(0),
                                                                 size=(n // 20, d))  # noise
            for ct in COVARIANCE_TYPES:
                if not fits_width(ct, d):
                    continue
                new = GaussianMixture(K, covariance_type=ct, random_state=seed).fit(X)
                with old_policy():
                    old = GaussianMixture(K, covariance_type=ct, random_state=seed).fit(X)
                a, b = new.score(X) * n, old.score(X) * n
                rel = (a - b) / abs(b)
                cells += 1
                reached += rel >= -tol
                better += rel > tol
                worst = min(worst, rel)
                if rel < -tol:
                    print(f"  below: n={n} d={d} K={K} seed={seed} {ct}: "
                          f"{a:.3f} vs {b:.3f} ({rel:+.2e})", flush=True)
    print(f"quality: {reached}/{cells} cells reach the previous default within {tol:g} "
          f"relative ({better} exceed it by more); worst {worst:+.2e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one shape")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--no-before", action="store_true", help="skip the previous policy")
    ap.add_argument("--quality", action="store_true", help="also the quality table")
    ap.add_argument("--tol", type=float, default=1e-4)
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--blas-threads", type=int, default=None,
                    help="limit BLAS/OpenMP threads (threadpoolctl): on a busy machine "
                         "2-thread BLAS calls of both libraries vary up to 15x")
    ap.add_argument("--groups", type=int, default=None,
                    help="start the agglomeration from this many micro-clusters")
    args = ap.parse_args()
    if args.groups is not None:  # micro-clusters of the initialisation sample's rows
        sample.HC_MAX_GROUPS, sample.MAX_HC_ROWS = args.groups, sample.MAX_INIT_ROWS
    warnings.simplefilter("ignore")
    print(f"gaussmix {gaussmix.__version__}; best of {args.repeats} runs; agglomeration on "
          f"at most {sample.MAX_HC_ROWS} rows, micro-clusters: {sample.HC_MAX_GROUPS}")
    with threadpool_limits(args.blas_threads):
        speed_table(SHAPES[:1] if args.quick else SHAPES, ROWS, args.repeats,
                    not args.no_before)
        if args.quality:
            quality_table(args.tol, args.seeds)


if __name__ == "__main__":
    main()
