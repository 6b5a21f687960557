"""EM iteration speed and memory: gaussmix versus scikit-learn, side by side.

For each case (rows x dims, components, covariance type) both libraries start from the
same parameters and run single EM iterations (E-step + M-step); the table reports
seconds per iteration, the ratio, the fraction of this machine's matrix-multiply rate
(measured in the same run) that the 4 N K D^2 flops of a full-covariance iteration
represent, peak extra memory per iteration relative to the data size, and the
log-likelihood difference after the same number of iterations.

Run: ``python benchmarks/em_speed.py [--quick] [--whole]``. ``--whole`` also times whole
default fits (initialisation included) of both libraries.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
import warnings

import numpy as np
from sklearn.mixture import GaussianMixture as SkGM

from gaussmix import GaussianMixture
from gaussmix._em import (MixtureParams, Recovery, chunk_size_for, collect, data_moments,
                          default_threads, m_step_recover)

CASES = [
    # (n, d, K, type)
    (1_000_000, 10, 10, "full"),
    (200_000, 50, 20, "full"),
    (1_000_000, 2, 5, "full"),
    (1_000_000, 10, 10, "diag"),
    (1_000_000, 10, 10, "tied"),
    (1_000_000, 10, 10, "spherical"),
    (200_000, 2, 50, "full"),
    (2_000, 5, 3, "full"),
]
QUICK = [(200_000, 10, 10, "full"), (200_000, 2, 5, "full"), (200_000, 10, 10, "diag"),
         (20_000, 2, 50, "full"), (2_000, 5, 3, "full")]


def gemm_rate(dtype=np.float64, size=2000, repeat=3):
    a = np.random.default_rng(0).standard_normal((size, size)).astype(dtype)
    best = np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        a @ a
        best = min(best, time.perf_counter() - t)
    return 2 * size**3 / best


def make_data(n, d, K, rng, dtype=np.float64):
    centres = rng.normal(scale=4.0, size=(K, d))
    labels = rng.integers(0, K, size=n)
    X = centres[labels] + rng.standard_normal((n, d)) @ np.diag(rng.uniform(0.5, 1.5, d))
    return X.astype(dtype)


def start(X, K, ct, rng):
    """Same start for both: K random rows as means, the data covariance, equal weights."""
    n, d = X.shape
    means = X[rng.choice(n, K, replace=False)].astype(np.float64)
    cov = np.cov(X[: min(n, 100_000)].T).reshape(d, d) + 1e-6 * np.eye(d)
    covs = {"full": np.stack([cov] * K), "tied": cov, "diag": np.tile(np.diag(cov), (K, 1)),
            "spherical": np.full(K, np.diag(cov).mean())}[ct]
    return MixtureParams.from_covariances(ct, np.full(K, 1.0 / K), means, covs)


def time_sklearn(X, params, n_iter):
    sk = SkGM(params.n_components, covariance_type=params.covariance_type, reg_covar=1e-6)
    sk.weights_, sk.means_ = params.weights.copy(), params.means.copy()
    sk.covariances_ = params.covariances.copy()
    from sklearn.mixture._gaussian_mixture import _compute_precision_cholesky
    sk.precisions_cholesky_ = _compute_precision_cholesky(sk.covariances_, sk.covariance_type)
    times = []
    for _ in range(n_iter):
        t = time.perf_counter()
        _, log_resp = sk._e_step(X)
        sk._m_step(X, log_resp)
        times.append(time.perf_counter() - t)
    return min(times), sk.score(X)


def time_gaussmix(X, params, n_iter, data_cov):
    times = []
    p = params
    for _ in range(n_iter):
        t = time.perf_counter()
        stats = collect(X, None, p)
        p, _ = m_step_recover(stats, p.covariance_type, 1e-6, data_cov, Recovery(), 1, 0)
        times.append(time.perf_counter() - t)
    gm = GaussianMixture.from_parameters(p.weights, p.means, p.covariances, p.covariance_type)
    return min(times), gm.score(X), p


def peak_extra_memory(fn):
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def run(cases, n_iter=3, whole=False, dtype=np.float64):
    warnings.simplefilter("ignore")
    rate = gemm_rate(dtype)
    print(f"matrix-multiply rate measured now: {rate / 1e9:.0f} GFLOP/s ({np.dtype(dtype).name})")
    head = (f"{'n x d':>13} {'K':>3} {'type':>9} | {'sklearn s/it':>12} {'gaussmix s/it':>13} "
            f"{'ratio':>6} | {'GEMM frac':>9} {'peak extra/data':>15} | {'loglik rel diff':>15}")
    print(head)
    print("-" * len(head))
    for n, d, K, ct in cases:
        rng = np.random.default_rng(0)
        X = make_data(n, d, K, rng, dtype)
        params = start(X, K, ct, rng)
        _, data_cov = data_moments(X, None, 65536)
        t_sk, ll_sk = time_sklearn(X, params, n_iter)
        t_gm, ll_gm, _ = time_gaussmix(X, params, n_iter, data_cov)
        mem = peak_extra_memory(lambda: collect(X, None, params))
        flops = 4 * n * K * d * d if ct in ("full",) else 0
        frac = f"{flops / t_gm / rate:9.2f}" if flops else f"{'-':>9}"
        rel = abs(ll_gm - ll_sk) / abs(ll_sk)
        print(f"{n:>8} x {d:<3} {K:>3} {ct:>9} | {t_sk:12.4f} {t_gm:13.4f} {t_sk / t_gm:6.1f} | "
              f"{frac} {mem / X.nbytes:15.3f} | {rel:15.2e}", flush=True)
        if whole:
            for lib, cls in (("sklearn", SkGM), ("gaussmix", GaussianMixture)):
                t = time.perf_counter()
                gm = cls(K, covariance_type=ct, random_state=0).fit(X)
                el = time.perf_counter() - t
                print(f"{'':>30}whole default fit {lib:8s}: {el:8.2f} s, mean log-lik "
                      f"{gm.score(X):.6f}, iterations {gm.n_iter_}", flush=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller cases")
    ap.add_argument("--whole", action="store_true", help="also time whole default fits")
    ap.add_argument("--float32", action="store_true", help="float32 data")
    args = ap.parse_args()
    run(QUICK if args.quick else CASES, whole=args.whole,
        dtype=np.float32 if args.float32 else np.float64)
