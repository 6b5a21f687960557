"""EM speed and memory: gaussmix versus scikit-learn, side by side in one process.

Per-iteration table: for each case (rows x dims, components, covariance type) both
libraries start from the same parameters and run single EM iterations (E-step +
M-step). It reports seconds per iteration (best of several), the ratio, the fraction
of this machine's matrix-multiply rate (measured in the same run) that the 4 N K D^2
flops of a full-covariance iteration represent (the hardware's floor for that case),
gaussmix's peak extra memory during an iteration relative to the data's size, and the
relative difference of the log-likelihoods after the same number of iterations.

Whole-fit table: default settings of each library (initialisation included), time to
a converged fit, iterations, final mean log-likelihood, and gaussmix's peak extra
memory over the whole fit relative to the data's size.

Run: ``python benchmarks/em_speed.py`` (all cases, float64 and float32, whole fits:
about 10 minutes on 2 cores), ``--quick`` for smaller cases, ``--no-whole`` to skip
whole fits, ``--dtype float64`` for one dtype.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc
import warnings

import numpy as np
import sklearn
from sklearn.mixture import GaussianMixture as SkGM
from sklearn.mixture._gaussian_mixture import _compute_precision_cholesky

import gaussmix
from gaussmix import GaussianMixture
from gaussmix.covariance import get_structure
from gaussmix.engine import (
    ArraySource,
    ChunkMap,
    MixtureParams,
    Recovery,
    collect,
    data_scale,
    m_step_recover,
)
from gaussmix.utils.parallel import available_cores

# (n, d, K, type): the four cases first, then shapes that must not be slower
CASES = [
    (1_000_000, 10, 10, "full"),
    (200_000, 50, 20, "full"),
    (1_000_000, 2, 5, "full"),
    (1_000_000, 10, 10, "diag"),
    (1_000_000, 10, 10, "tied"),
    (1_000_000, 10, 10, "spherical"),
    (200_000, 2, 50, "full"),
    (100_000, 1, 4, "spherical"),
    (20_000, 100, 3, "full"),
    (10_000, 2, 100, "full"),
    (1_000, 200, 2, "full"),
    (2_000, 5, 3, "full"),
    (500, 2, 3, "diag"),
]
QUICK = [(200_000, 10, 10, "full"), (50_000, 50, 20, "full"), (200_000, 2, 5, "full"),
         (200_000, 10, 10, "diag"), (200_000, 10, 10, "tied"), (20_000, 2, 50, "full"),
         (2_000, 5, 3, "full")]
#: whole default fits are run on these (scikit-learn's take minutes on the largest)
WHOLE = {(1_000_000, 10, 10, "full"), (200_000, 50, 20, "full"), (1_000_000, 2, 5, "full"),
         (1_000_000, 10, 10, "diag"), (200_000, 10, 10, "full"), (50_000, 50, 20, "full"),
         (200_000, 2, 5, "full"), (200_000, 10, 10, "diag"), (2_000, 5, 3, "full")}


def gemm_rate(dtype=np.float64, size=2000, repeat=3):
    """Flops per second of a square matrix product (all cores, as BLAS runs it)."""
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
    covs = get_structure(ct).from_full(np.broadcast_to(cov, (K, d, d)))
    return MixtureParams.from_covariances(ct, np.full(K, 1.0 / K), means, covs)


def _repeats(fn, n_iter, min_time=0.3):
    """Best time of ``fn`` over at least ``n_iter`` calls (more while under min_time)."""
    times = []
    t0 = time.perf_counter()
    while len(times) < n_iter or (time.perf_counter() - t0 < min_time and len(times) < 200):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), len(times)


def sklearn_at(params):
    """A scikit-learn model set to ``params`` (EM steps through its private API)."""
    sk = SkGM(params.n_components, covariance_type=params.covariance_type, reg_covar=1e-6)
    sk.weights_, sk.means_ = params.weights.copy(), params.means.copy()
    sk.covariances_ = params.covariances.copy()
    sk.precisions_cholesky_ = _compute_precision_cholesky(sk.covariances_, sk.covariance_type)
    return sk


def sklearn_step(sk, X):
    _, log_resp = sk._e_step(X)
    sk._m_step(X, log_resp)


def gaussmix_step(X, p, engine):
    """One EM iteration as a fit runs it; ``engine``: (data scale, chunk map)."""
    scale, chunk_map = engine
    stats = collect(X, p, chunk_map=chunk_map)
    return m_step_recover(stats, p.structure, 1e-6, scale, Recovery(), 1, 0)[0]


def time_sklearn(X, params, n_iter):
    sk = sklearn_at(params)
    best, done = _repeats(lambda: sklearn_step(sk, X), n_iter)
    return best, done, sk.score(X)


def time_gaussmix(X, params, n_iter, engine):
    state = {"p": params}

    def step():
        state["p"] = gaussmix_step(X, state["p"], engine)

    best, done = _repeats(step, n_iter)
    p = state["p"]
    gm = GaussianMixture.from_parameters(p.weights, p.means, p.covariances, p.covariance_type)
    return best, done, gm.score(X)


def iterate_gaussmix(X, params, n, engine):
    p = params
    for _ in range(n):
        p = gaussmix_step(X, p, engine)
    gm = GaussianMixture.from_parameters(p.weights, p.means, p.covariances, p.covariance_type)
    return gm.score(X)


def iterate_sklearn(X, params, n):
    sk = sklearn_at(params)
    for _ in range(n):
        sklearn_step(sk, X)
    return sk.score(X)


def peak_extra_memory(fn):
    """Peak bytes allocated (numpy included, via tracemalloc) while ``fn`` runs."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    out = fn()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak, out


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(l.split(":", 1)[1].strip() for l in fh if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{cpu}, {cores} cores; numpy {np.__version__}, scikit-learn {sklearn.__version__}, "
            f"gaussmix {gaussmix.__version__}")


def per_iteration(cases, dtype, n_iter=3, same_iters=5):
    rate = gemm_rate(dtype)
    name = np.dtype(dtype).name
    print(f"\nPer EM iteration, {name}, same start for both; matrix-multiply rate measured "
          f"now: {rate / 1e9:.0f} GFLOP/s")
    head = (f"{'n x d':>14} {'K':>3} {'type':>9} | {'sklearn s/it':>12} {'gaussmix s/it':>13} "
            f"{'ratio':>6} | {'GEMM frac':>9} {'peak extra':>10} | {'loglik rel diff':>15}")
    print(head)
    print("-" * len(head))
    ratios = []
    chunk_map = ChunkMap(available_cores())  # threads, as a fit uses them
    for n, d, K, ct in cases:
        rng = np.random.default_rng(0)
        X = make_data(n, d, K, rng, dtype)
        params = start(X, K, ct, rng)
        scale = data_scale(ArraySource(X), 65536)
        engine = (scale, chunk_map)
        t_sk, _, _ = time_sklearn(X, params, n_iter)
        t_gm, _, _ = time_gaussmix(X, params, n_iter, engine)
        # the same number of iterations from the same start
        ll_sk = iterate_sklearn(X, params, same_iters)
        ll_gm = iterate_gaussmix(X, params, same_iters, engine)
        mem, _ = peak_extra_memory(lambda: collect(X, params, chunk_map=chunk_map))
        flops = 4 * n * K * d * d if ct == "full" else 0
        frac = f"{flops / t_gm / rate:9.2f}" if flops else f"{'-':>9}"
        rel = abs(ll_gm - ll_sk) / abs(ll_sk)
        ratios.append(t_sk / t_gm)
        print(f"{n:>9} x {d:<3} {K:>3} {ct:>9} | {t_sk:12.4f} {t_gm:13.4f} {t_sk / t_gm:6.1f} | "
              f"{frac} {mem / X.nbytes:9.2f}x | {rel:15.2e}", flush=True)
    chunk_map.close()
    return ratios


def whole_fits(cases, dtype):
    name = np.dtype(dtype).name
    print(f"\nWhole default fits, {name} (initialisation included; scikit-learn: k-means "
          "start, tol 1e-3; gaussmix: auto start, tol 1e-5)")
    head = (f"{'n x d':>14} {'K':>3} {'type':>9} | {'sklearn s':>9} {'it':>4} {'mean loglik':>12} | "
            f"{'gaussmix s':>10} {'it':>4} {'mean loglik':>12} {'peak extra':>10} | {'ratio':>6}")
    print(head)
    print("-" * len(head))
    for n, d, K, ct in cases:
        X = make_data(n, d, K, np.random.default_rng(0), dtype)
        t = time.perf_counter()
        sk = SkGM(K, covariance_type=ct, random_state=0).fit(X)
        t_sk = time.perf_counter() - t
        t = time.perf_counter()
        gm = GaussianMixture(K, covariance_type=ct, random_state=0).fit(X)
        t_gm = time.perf_counter() - t
        mem, _ = peak_extra_memory(
            lambda: GaussianMixture(K, covariance_type=ct, random_state=0).fit(X))
        print(f"{n:>9} x {d:<3} {K:>3} {ct:>9} | {t_sk:9.2f} {sk.n_iter_:4d} {sk.score(X):12.6f} | "
              f"{t_gm:10.2f} {gm.n_iter_:4d} {gm.score(X):12.6f} {mem / X.nbytes:9.2f}x | "
              f"{t_sk / t_gm:6.1f}", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller cases")
    ap.add_argument("--no-whole", action="store_true", help="skip whole default fits")
    ap.add_argument("--dtype", choices=["float64", "float32", "both"], default="both")
    args = ap.parse_args()
    warnings.simplefilter("ignore")
    cases = QUICK if args.quick else CASES
    print(machine())
    dtypes = [np.float64, np.float32] if args.dtype == "both" else [np.dtype(args.dtype).type]
    for dtype in dtypes:
        per_iteration(cases, dtype)
    if not args.no_whole:
        whole_fits([c for c in cases if c in WHOLE], np.float64)


if __name__ == "__main__":
    main()
