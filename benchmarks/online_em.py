"""Stepwise online EM (``partial_fit``) against the batch fit, side by side.

Data: ``--rows`` x ``--features`` rows (default 1,000,000 x 10) of a random mixture
of ``--components`` overlapping Gaussians (K = 10), shuffled. For each covariance
type, the batch fit is run twice: from the start ``partial_fit``'s first call makes
on the smallest batch size (the ordinary fit on the first rows; "same start": the
same as the online runs' for that size) and as ``fit`` starts by default ("default
start"). Then one pass of ``partial_fit`` over the rows in batches of each
``--batch-sizes`` for each step exponent ``--alphas``.

Printed per row: the mean log-likelihood on all rows, its gap to the batch fit from
the same start in % of the absolute value of the batch fit's (positive: online is
lower), the same gap to the default-start batch fit, and seconds: the batch fit's
(and per EM iteration), online's first call (the start on the first batch) plus the
rest of the pass. Tests never assert times; this script only reports them.

Run: ``python benchmarks/online_em.py`` (17 minutes on the project's 2 cores while
they were shared with other work; the batch fits and the starts take most of it),
``--quick`` for 200,000 rows, one covariance type and fewer settings.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from gaussmix import GaussianMixture


def mixture_data(n, d, K, seed, spread=1.5):
    """Shuffled rows of a random mixture whose components overlap (means drawn with
    standard deviation ``spread`` in units of the components' own spread)."""
    rng = np.random.default_rng(seed)
    means = rng.normal(scale=spread, size=(K, d))
    A = rng.normal(scale=0.4, size=(K, d, d)) + np.eye(d)
    labels = rng.choice(K, size=n, p=rng.dirichlet(5 * np.ones(K)))
    X = rng.normal(size=(n, d))
    for k in range(K):  # per component, so no (n, d, d) intermediate
        rows = labels == k
        X[rows] = means[k] + X[rows] @ A[k].T
    return X


def batch_fits(X, K, cov, first_batch):
    """``{name: (mean log-likelihood, seconds, EM iterations)}`` of the batch fit from
    the online run's start and from the default start."""
    out = {}
    start = GaussianMixture(K, covariance_type=cov, random_state=0).fit(first_batch)
    for name, kw in (("same start", dict(weights_init=start.weights_,
                                         means_init=start.means_,
                                         precisions_init=start.precisions_)),
                     ("default start", dict(random_state=0))):
        t = time.perf_counter()
        gm = GaussianMixture(K, covariance_type=cov, **kw).fit(X)
        out[name] = (gm.score(X), time.perf_counter() - t, gm.n_iter_)
    return out


def one_pass(X, K, cov, batch_size, alpha):
    """(mean log-likelihood, seconds of the first call, seconds of the other calls) of
    one pass of partial_fit in batches: the first call is the start (the ordinary
    fit on its batch), the others one stepwise-EM step each."""
    gm = GaussianMixture(K, covariance_type=cov, random_state=0, online_step_exponent=alpha)
    t = time.perf_counter()
    gm.partial_fit(X[:batch_size])
    t_start = time.perf_counter() - t
    t = time.perf_counter()
    for start in range(batch_size, X.shape[0], batch_size):
        gm.partial_fit(X[start:start + batch_size])
    return gm.score(X), t_start, time.perf_counter() - t


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--features", type=int, default=10)
    parser.add_argument("--components", type=int, default=10)
    parser.add_argument("--types", nargs="+", default=["full", "diag"])
    parser.add_argument("--batch-sizes", nargs="+", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--alphas", nargs="+", type=float, default=[0.6, 0.75, 1.0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.types, args.batch_sizes = 200_000, ["full"], [1000, 10000]
        args.alphas = [0.6, 1.0]
    n, d, K = args.rows, args.features, args.components
    X = mixture_data(n, d, K, seed=0)
    print(f"{n} x {d}, K = {K}; gap = (batch - online) / |batch| in %; seconds: the "
          "batch fit (and per EM iteration), online: the start (first call) + the pass")
    print(f"{'type':>5} {'method':>22} {'mean loglik':>12} {'gap same':>9} "
          f"{'gap default':>11}  seconds")
    for cov in args.types:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = batch_fits(X, K, cov, X[:min(args.batch_sizes)])
        same, default = ref["same start"][0], ref["default start"][0]
        for name, (ll, sec, n_iter) in ref.items():
            print(f"{cov:>5} {'batch, ' + name:>22} {ll:12.6f} {'':>9} {'':>11}  "
                  f"{sec:.2f} ({n_iter} iterations, {sec / max(n_iter, 1):.3f} each)")
        for size in args.batch_sizes:
            for alpha in args.alphas:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    ll, t_start, t_pass = one_pass(X, K, cov, size, alpha)
                gaps = [100 * (r - ll) / abs(r) for r in (same, default)]
                print(f"{cov:>5} {f'online b={size} a={alpha:g}':>22} {ll:12.6f} "
                      f"{gaps[0]:8.4f}% {gaps[1]:10.4f}%  {t_start:.2f} + {t_pass:.2f}")


if __name__ == "__main__":
    main()
