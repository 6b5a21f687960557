"""Conditioning and mixture regression: gaussmix beside gmr, side by side in one run.

Table 1, same parameters: a random mixture (K components, d features, full
covariances) conditioned on its first m columns at n rows. gaussmix's
``conditional_mean`` against gmr's ``GMM.predict`` (seconds, best of a few calls,
the ratio, and the largest relative difference of the predictions), and one-row
``condition`` against gmr's ``GMM.condition``.

Table 2, fitted regressors: ``MixtureRegressor`` against gmr's
``GaussianMixtureRegressor`` (its ``kmeans++`` start) on a noisy 1-D curve and a
5-input problem: held-out R² and fit seconds, same K.

Run: ``python benchmarks/conditioning.py`` (``--quick`` for smaller cases).
Needs gmr (``pip install gmr``; in the ``test`` extra).
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from gmr import GMM
from gmr.sklearn import GaussianMixtureRegressor

from gaussmix import GaussianMixture, MixtureRegressor

#: (rows, features, components, conditioning columns)
CASES = [(100_000, 10, 10, 5), (100_000, 3, 5, 1), (10_000, 30, 20, 20)]
QUICK = [(10_000, 10, 10, 5), (10_000, 3, 5, 1)]


def best_time(fn, repeats=3):
    best = np.inf
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def random_mixture(rng, K, d):
    A = rng.normal(size=(K, d, d)) * 0.3 + np.eye(d)
    return rng.dirichlet(np.ones(K)), rng.normal(0, 3, (K, d)), np.einsum("kij,klj->kil", A, A)


def same_parameters(cases):
    print("same parameters: conditional_mean vs gmr GMM.predict; condition vs GMM.condition")
    print(f"{'n x d, K, m':>22} {'gaussmix s':>11} {'gmr s':>9} {'ratio':>7} {'max rel diff':>13}"
          f" {'condition us':>13} {'gmr us':>9}")
    for n, d, K, m in cases:
        rng = np.random.default_rng(0)
        w, mu, cov = random_mixture(rng, K, d)
        gm = GaussianMixture.from_parameters(w, mu, cov)
        theirs = GMM(K, priors=w, means=mu, covariances=cov)
        X = gm.sample(n, random_state=1)[0][:, :m]
        given = np.arange(m)
        t_ours, ours = best_time(lambda: gm.conditional_mean(given, X))
        t_gmr, ref = best_time(lambda: theirs.predict(given, X))
        diff = np.max(np.abs(ours - ref) / np.maximum(np.abs(ref), 1e-300))
        t_c, _ = best_time(lambda: gm.condition(given, X[0]), repeats=20)
        t_cg, _ = best_time(lambda: theirs.condition(given, X[0]), repeats=20)
        print(f"{f'{n:,} x {d}, {K}, {m}':>22} {t_ours:11.3f} {t_gmr:9.3f} "
              f"{t_gmr / t_ours:6.1f}x {diff:13.1e} {t_c * 1e6:13.0f} {t_cg * 1e6:9.0f}")


def regression_data(rng, n, kind):
    if kind == "sine":
        x = rng.uniform(-3, 3, (n, 1))
        return x, np.sin(2 * x[:, 0]) + 0.1 * rng.standard_normal(n)
    x = rng.normal(size=(n, 5))
    return x, np.tanh(x[:, 0]) * x[:, 1] + 0.5 * x[:, 2] + 0.1 * rng.standard_normal(n)


def fitted_regressors(n):
    print("\nfitted regressors: held-out R², fit seconds (same K)")
    print(f"{'data, K':>12} {'gaussmix R2':>12} {'fit s':>7} {'gmr R2':>8} {'fit s':>7}")
    for kind, K in (("sine", 8), ("5 inputs", 10)):
        rng = np.random.default_rng(0)
        X, y = regression_data(rng, 2 * n, kind)
        Xtr, ytr, Xte, yte = X[:n], y[:n], X[n:], y[n:]
        ours = MixtureRegressor(K, random_state=0)
        theirs = GaussianMixtureRegressor(K, random_state=0, init_params="kmeans++")
        row = []
        for reg in (ours, theirs):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t = time.perf_counter()
                reg.fit(Xtr, ytr)
                dt = time.perf_counter() - t
            row += [reg.score(Xte, yte), dt]
        print(f"{f'{kind}, {K}':>12} {row[0]:12.4f} {row[1]:7.2f} {row[2]:8.4f} {row[3]:7.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller cases")
    args = parser.parse_args()
    same_parameters(QUICK if args.quick else CASES)
    fitted_regressors(1000 if args.quick else 3000)


if __name__ == "__main__":
    main()
