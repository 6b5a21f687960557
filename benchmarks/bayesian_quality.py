"""Bayesian mixtures: held-out prediction, the cost of a Gibbs sweep, coverage.

Prediction table: small training samples (n_train = 20, 50, 200) from a known 2-D,
3-component mixture (held out: 2,000 fresh rows) and from Old Faithful
(``gaussmix.load_faithful()``; held out: the rows not drawn), K = 3. The mean
held-out log density of BayesianGaussianMixture's plug-in ``score_samples`` and its
``predictive_score_samples`` (Student-t mixture), GibbsGaussianMixture's
``predictive_score_samples`` (average over the draws) and GaussianMixture(prior=
"mclust")'s plug-in MAP density; mean and standard error over the repetitions.
Higher is better.

Cost table: seconds per Gibbs sweep (``gibbs_sampler.sweep`` timed directly, from
the MAP fit) against seconds per EM iteration of ``GaussianMixture(prior="mclust",
n_jobs=1)`` (``m`` iterations continued from a first fit with ``warm_start=True``
and tol = 0, over ``n_iter_``). The issue's bar: a sweep costs at most 2x one EM iteration.
Both run on one thread; set ``OPENBLAS_NUM_THREADS=1`` so BLAS does too.

Coverage table: repeated data sets of 200 rows from a known 1-D, 2-component
mixture; for each, GibbsGaussianMixture's 90% central posterior interval (5% and 95%
quantiles of the draws) of each component mean, components matched to the truth by
nearest mean; the rate at which it covers the true value (nominal 0.90; with R data
sets its Monte Carlo standard error is about ``sqrt(0.09 / R)``).

Run: ``OPENBLAS_NUM_THREADS=1 python benchmarks/bayesian_quality.py`` (about two
minutes on two cores); ``--reps``, ``--datasets`` for other repetition counts,
``--quick`` for a smoke run.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np
from scipy.optimize import linear_sum_assignment

from gaussmix import (BayesianGaussianMixture, GaussianMixture, GibbsGaussianMixture,
                      load_faithful)
from gaussmix.covariance import get_structure
from gaussmix.mixture.gibbs_sampler import NIWPrior, sweep

TRUE_2D = dict(weights=np.array([0.5, 0.3, 0.2]),
               means=np.array([[-3.0, 0.0], [0.0, 3.0], [3.0, -1.0]]),
               covs=np.array([[[1.0, 0.5], [0.5, 1.0]], [[0.6, 0.0], [0.0, 1.5]],
                              [[1.0, -0.4], [-0.4, 0.5]]]))
TRUE_1D = dict(weights=np.array([0.6, 0.4]), means=np.array([[-2.0], [2.0]]),
               covs=np.array([[[1.0]], [[0.8]]]))
METHODS = ("VB plug-in", "VB predictive", "Gibbs predictive", "MAP plug-in")
GIBBS_KW = dict(n_chains=2, n_draws=250, n_warmup=250, n_jobs=1)


def sample_mixture(truth, n, rng):
    z = rng.choice(len(truth["weights"]), size=n, p=truth["weights"])
    chol = np.linalg.cholesky(truth["covs"])
    noise = rng.standard_normal((n, truth["means"].shape[1]))
    return truth["means"][z] + np.einsum("nij,nj->ni", chol[z], noise)


def held_out_scores(X, Y, K, seed):
    """Mean held-out log density of each of METHODS fitted on X."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        vb = BayesianGaussianMixture(n_components=K, max_iter=500,
                                     random_state=seed).fit(X)
        gibbs = GibbsGaussianMixture(K, random_state=seed, **GIBBS_KW).fit(X)
        em = GaussianMixture(K, prior="mclust", random_state=seed).fit(X)
    return [vb.score_samples(Y).mean(), vb.predictive_score_samples(Y).mean(),
            gibbs.predictive_score_samples(Y).mean(), em.score_samples(Y).mean()]


def prediction(n_trains, reps, K=3):
    print(f"Held-out mean log density (K = {K}; mean +- s.e. over {reps} repetitions; "
          "higher is better)")
    print(f"{'data':>9} {'n_train':>7} " + " ".join(f"{m:>18}" for m in METHODS)
          + f" {'best':>17}")
    faithful = load_faithful()
    for name in ("synthetic", "faithful"):
        for n in n_trains:
            rows = []
            for r in range(reps):
                rng = np.random.default_rng(1000 * n + r)
                if name == "synthetic":
                    X, Y = sample_mixture(TRUE_2D, n, rng), sample_mixture(TRUE_2D, 2000, rng)
                else:
                    idx = rng.permutation(len(faithful))
                    X, Y = faithful[idx[:n]], faithful[idx[n:]]
                rows.append(held_out_scores(X, Y, K, r))
            rows = np.array(rows)
            mean, se = rows.mean(axis=0), rows.std(axis=0, ddof=1) / np.sqrt(reps)
            cells = " ".join(f"{m:10.3f} +-{s:6.3f}" for m, s in zip(mean, se))
            print(f"{name:>9} {n:7d} {cells} {METHODS[int(np.argmax(mean))]:>17}",
                  flush=True)


def em_seconds_per_iteration(X, K, m):
    """A fit, then ``m`` more iterations from it (``warm_start``, tol = 0), timed."""
    gm = GaussianMixture(K, prior="mclust", tol=0.0, max_iter=m, init_params="kmeans",
                         random_state=0, n_jobs=1, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gm.fit(X)
        t = time.perf_counter()
        gm.fit(X)
        elapsed = time.perf_counter() - t
    return elapsed / gm.n_iter_


def gibbs_seconds_per_sweep(X, K, m):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        g = GibbsGaussianMixture(K, n_chains=1, n_draws=1, n_warmup=0, random_state=0,
                                 n_jobs=1).fit(X)
    p = g.prior_
    niw = NIWPrior(p.shrinkage, p.mean, p.dof,
                   get_structure("full").prior_scale(p, X.shape[1], K),
                   p.weight_concentration)
    params, rng = g.map_._get_params().astype(np.float64), np.random.default_rng(0)
    params = sweep(rng, X, params, niw)  # warm
    t = time.perf_counter()
    for _ in range(m):
        params = sweep(rng, X, params, niw)
    return (time.perf_counter() - t) / m


def cost(cases, m):
    print(f"\nCost of a Gibbs sweep against an EM iteration (one thread, {m} of each)")
    print(f"{'case':>22} {'s/sweep':>9} {'s/EM it':>9} {'ratio':>7} {'<= 2x':>6}")
    for n, d, K in cases:
        rng = np.random.default_rng(0)
        centres = rng.normal(scale=4.0, size=(K, d))
        X = centres[rng.integers(K, size=n)] + rng.standard_normal((n, d))
        t_em = em_seconds_per_iteration(X, K, m)
        t_sw = gibbs_seconds_per_sweep(X, K, m)
        ratio = t_sw / t_em
        print(f"{f'{n} x {d}, K={K}':>22} {t_sw:9.4f} {t_em:9.4f} {ratio:6.2f}x "
              f"{'yes' if ratio <= 2 else 'NO':>6}", flush=True)


def coverage(n_datasets, n=200, level=0.90):
    truth = TRUE_1D["means"][:, 0]
    lo_q, hi_q = (1 - level) / 2, (1 + level) / 2
    hits = np.zeros(len(truth))
    for r in range(n_datasets):
        rng = np.random.default_rng(5000 + r)
        X = sample_mixture(TRUE_1D, n, rng)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            g = GibbsGaussianMixture(2, n_chains=2, n_draws=500, n_warmup=200,
                                     random_state=r, n_jobs=1).fit(X)
        draws = g.draws_["means"][..., 0].reshape(-1, len(truth))  # (S, K)
        _, match = linear_sum_assignment(np.abs(truth[:, None] - g.means_[None, :, 0]))
        lo, hi = np.quantile(draws[:, match], [lo_q, hi_q], axis=0)
        hits += (lo <= truth) & (truth <= hi)
    rate = hits / n_datasets
    se = np.sqrt(level * (1 - level) / n_datasets)
    print(f"\nCoverage of the {level:.0%} central posterior interval of each component "
          f"mean ({n_datasets} data sets of {n} rows, 1-D, 2 components; nominal "
          f"{level:.2f}, Monte Carlo s.e. {se:.3f})")
    for k, mu in enumerate(truth):
        print(f"  mean of component {k} (true {mu:+.1f}): {rate[k]:.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reps", type=int, default=10, help="repetitions per row")
    parser.add_argument("--datasets", type=int, default=100, help="coverage data sets")
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    args = parser.parse_args()
    print(f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
    start = time.perf_counter()
    if args.quick:
        prediction((20, 50), 2)
        cost([(10_000, 5, 3)], 3)
        coverage(4)
    else:
        prediction((20, 50, 200), args.reps)
        cost([(1_000, 2, 3), (10_000, 5, 3), (100_000, 2, 5), (300_000, 3, 4),
              (100_000, 10, 10)], 10)
        coverage(args.datasets)
    print(f"\ntotal {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
