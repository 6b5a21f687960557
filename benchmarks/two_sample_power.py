"""Level and power of gaussmix.two_sample_test against a kernel MMD permutation test
(Gaussian kernel, median heuristic) and the energy-distance permutation test, on the
same data sets.

Scenarios (2-D, n rows per sample; X always from the first density):

- null: X and Y from the same two-component mixture (the rejection rate at
  alpha = 0.05 should lie within 0.02-0.08);
- mean shift: Y's mixture moved by 0.5 along x;
- scale: Y's covariances multiplied by 1.7;
- rotation: one elongated Gaussian, Y's rotated by 45 degrees (same mean, same
  eigenvalues: only the orientation differs);
- modes: X one Gaussian, Y two modes with X's mean and covariance (the first two
  moments agree);
- rotation 20: as rotation, by 20 degrees;
- shift 10-D: standard normal rows in 10 dimensions, Y's moved by 0.25 in each.

Every test is a permutation test with the same number of permutations. The MMD and
energy statistics are short numpy functions here; the energy statistic is checked
against scipy.stats.energy_distance in 1-D at start-up.

    python benchmarks/two_sample_power.py                      # 200 null, 100 per alternative
    python benchmarks/two_sample_power.py --null 400 --repeats 200 --n 100 --jobs 2
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from scipy.spatial.distance import cdist
from scipy.stats import energy_distance

import gaussmix

ALPHA = 0.05


# ---------------------------------------------------------------------- scenarios
def _mixture(rng, n, shift=0.0, scale=1.0):
    """Two elongated Gaussians, weights 0.5, optionally moved and scaled."""
    cov = scale * np.array([[1.0, 0.6], [0.6, 1.0]])
    centres = np.array([[-1.5, 0.0], [1.5, 0.0]]) + [shift, 0.0]
    labels = rng.integers(2, size=n)
    return centres[labels] + rng.multivariate_normal([0, 0], cov, size=n)


def _rotated(rng, n, angle):
    c, s = np.cos(angle), np.sin(angle)
    R = np.array([[c, -s], [s, c]])
    return rng.normal(size=(n, 2)) * [2.0, 0.5] @ R.T


def _modes(rng, n, two):
    """One Gaussian, or two modes at -+1.2 along x with the same mean and covariance."""
    if not two:
        return rng.normal(size=(n, 2)) * [np.sqrt(1.2 ** 2 + 0.3 ** 2), 1.0]
    centre = np.where(rng.random(n) < 0.5, -1.2, 1.2)
    return np.column_stack([centre + 0.3 * rng.normal(size=n), rng.normal(size=n)])


SCENARIOS = {
    "null": (lambda r, n: _mixture(r, n), lambda r, n: _mixture(r, n)),
    "mean shift": (lambda r, n: _mixture(r, n), lambda r, n: _mixture(r, n, shift=0.5)),
    "scale": (lambda r, n: _mixture(r, n), lambda r, n: _mixture(r, n, scale=1.7)),
    "rotation": (lambda r, n: _rotated(r, n, 0.0), lambda r, n: _rotated(r, n, np.pi / 4)),
    "modes": (lambda r, n: _modes(r, n, False), lambda r, n: _modes(r, n, True)),
    "rotation 20": (lambda r, n: _rotated(r, n, 0.0), lambda r, n: _rotated(r, n, np.pi / 9)),
    "shift 10-D": (lambda r, n: r.normal(size=(n, 10)), lambda r, n: r.normal(0.25, size=(n, 10))),
}


# ---------------------------------------------------------------------- peer tests
def _perm_pvalue(statistic, M, n_x, n_perm, rng):
    """Permutation p-value of ``statistic(M, in_x)`` on a pooled (n, n) matrix."""
    n = M.shape[0]
    in_x = np.zeros(n, dtype=bool)
    in_x[:n_x] = True
    observed = statistic(M, in_x)
    null = np.array([statistic(M, rng.permutation(in_x)) for _ in range(n_perm)])
    return (1 + np.sum(null >= observed)) / (n_perm + 1)


def _block_means(M, in_x):
    return (M[np.ix_(in_x, in_x)].mean(), M[np.ix_(~in_x, ~in_x)].mean(),
            M[np.ix_(in_x, ~in_x)].mean())


def mmd2(K, in_x):
    """Biased (V-statistic) squared MMD from the pooled kernel matrix."""
    xx, yy, xy = _block_means(K, in_x)
    return xx + yy - 2 * xy


def energy(D, in_x):
    """Energy statistic 2 E|X - Y| - E|X - X'| - E|Y - Y'| (V-statistics)."""
    xx, yy, xy = _block_means(D, in_x)
    return 2 * xy - xx - yy


def mmd_test(X, Y, n_perm, rng):
    Z = np.vstack([X, Y])
    D = cdist(Z, Z)
    bandwidth = np.median(D[np.triu_indices_from(D, 1)])      # median heuristic
    return _perm_pvalue(mmd2, np.exp(-D ** 2 / (2 * bandwidth ** 2)), len(X), n_perm, rng)


def energy_test(X, Y, n_perm, rng):
    Z = np.vstack([X, Y])
    return _perm_pvalue(energy, cdist(Z, Z), len(X), n_perm, rng)


def gaussmix_test(X, Y, n_perm, rng, options):
    res = gaussmix.two_sample_test(X, Y, n_permutations=n_perm, random_state=rng,
                                   n_jobs=1, progress=False, **options)
    return res.pvalue


def check_energy_against_scipy():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=37), rng.normal(0.5, 2.0, size=53)
    Z = np.concatenate([x, y])[:, None]
    in_x = np.arange(len(Z)) < len(x)
    ours = energy(cdist(Z, Z), in_x)
    assert np.isclose(ours, energy_distance(x, y) ** 2, rtol=1e-12), (ours, energy_distance(x, y))
    print(f"energy statistic = scipy.stats.energy_distance ** 2 in 1-D: {ours:.12f}")


# ---------------------------------------------------------------------- study
def run(args):
    options = {"n_components": range(1, args.max_components + 1),
               "covariance_type": None if args.types == "mclust" else args.types}
    print(f"n = {args.n} per sample, {args.permutations} permutations, alpha = {ALPHA}; "
          f"gaussmix: K = 1..{args.max_components}, covariance types {args.types!r} by BIC")
    print(f"{'scenario':12} {'repeats':>7} " + " ".join(f"{t:>14}" for t in TESTS)
          + f" {'s/test gaussmix':>16}")
    from joblib import Parallel, delayed

    for name in args.only or SCENARIOS:
        repeats = args.null if name == "null" else args.repeats
        results = Parallel(n_jobs=args.jobs)(delayed(_one_repeat)(name, i, args, options)
                                             for i in range(repeats))
        rejected = {t: sum(r[0][t] for r in results) for t in TESTS}
        seconds = sum(r[1] for r in results)
        rates = " ".join(f"{_rate(rejected[t], repeats):>14}" for t in TESTS)
        print(f"{name:12} {repeats:>7} {rates} {seconds / repeats:>16.2f}", flush=True)


TESTS = ("gaussmix", "MMD", "energy")


def _one_repeat(name, i, args, options):
    """Whether each test rejects on repeat ``i`` of a scenario, and gaussmix's seconds."""
    warnings.simplefilter("ignore")
    draw_x, draw_y = SCENARIOS[name]
    rng = np.random.default_rng([args.seed, i, len(name)])
    X, Y = draw_x(rng, args.n), draw_y(rng, args.n)
    start = time.perf_counter()
    out = {"gaussmix": gaussmix_test(X, Y, args.permutations, rng, options) <= ALPHA}
    seconds = time.perf_counter() - start
    out["MMD"] = mmd_test(X, Y, args.permutations, rng) <= ALPHA
    out["energy"] = energy_test(X, Y, args.permutations, rng) <= ALPHA
    return out, seconds


def _rate(count, repeats):
    """Rejection rate with its binomial standard error."""
    p = count / repeats
    return f"{p:.3f} +- {np.sqrt(p * (1 - p) / repeats):.3f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="rows per sample")
    parser.add_argument("--null", type=int, default=200, help="repeats under the null")
    parser.add_argument("--repeats", type=int, default=100, help="repeats per alternative")
    parser.add_argument("--permutations", type=int, default=99)
    parser.add_argument("--max-components", type=int, default=3)
    parser.add_argument("--types", default="sklearn", help="'sklearn', 'mclust' or a name")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=-1, help="worker processes over repeats")
    parser.add_argument("--only", nargs="+", choices=list(SCENARIOS), help="these scenarios")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    check_energy_against_scipy()
    run(args)


if __name__ == "__main__":
    main()
