"""Missing values: exact EM against "impute, then fit", on real data.

Data: Old Faithful (``gaussmix.load_faithful``), and scikit-learn's shipped iris, wine
and breast-cancer tables (no network), each column standardised. For every data set,
missing rate (10 %, 20 %, 30 % of the training entries, missing completely at random;
every row keeps one observed entry) and repetition: a random 70 / 30 split of the
rows; the held-out 30 % stay complete.

Methods, each a ``GaussianMixture`` of the data set's K and covariance type, default
start, ``random_state`` of the repetition:

- ``EM``: ``GaussianMixture(missing="em")`` on the training rows with their NaN;
  imputation by ``impute(method="mean")`` (the conditional mean under the mixture);
- ``EM reg 1e-3``: the same with ``reg_covar=1e-3``: on breast cancer's 30 nearly
  collinear columns (smallest eigenvalue of their correlation matrix about 1e-4) the
  missing-data MLE gets the near-null directions wrong at 30 % missing, and the small
  ridge (0.1 % of a column's variance) keeps held-out rows from being penalised there;
- ``mean + GM``: scikit-learn's ``SimpleImputer(strategy="mean")``, then a fit;
- ``iterative + GM``: scikit-learn's ``IterativeImputer`` (Bayesian ridge, 10 rounds),
  then a fit;
- ``complete``: a fit to the training rows before any entry was removed (the yardstick).

Columns: held-out mean log-likelihood (higher is better), the RMSE of the imputed
training entries against their true values (in standard deviations), and how far the
parameters are from the complete-data fit (components matched by their means):
largest difference of a mean, and of a covariance entry, in standard deviations
(squared, for covariances). Mean (standard error) over the repetitions. Last column:
in how many repetitions the fit re-seeded a collapsed component (mean imputation
puts many rows on one line, onto which a component can collapse).

Collapse table: Old Faithful with K = 3 (full), where mean-filled rows on a line
invite a component to collapse: in how many fits EM and mean + GM re-seeded one.

Speed table (complete data): seconds per EM iteration of ``missing=None`` and of
``missing="em"`` on complete rows (the same path: the ratio should be 1), and of
``missing="em"`` with 10 % of the rows missing one entry (what the incomplete rows cost).

Run: ``OPENBLAS_NUM_THREADS=1 python benchmarks/missing_values.py`` (a few minutes on
two cores); ``--reps`` for other repetition counts, ``--quick`` for a smoke run.
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import IterativeImputer, SimpleImputer

from gaussmix import DegenerateComponentWarning, GaussianMixture, load_faithful
from gaussmix.density import full_parameters

#: (name, loader, K, covariance type)
DATASETS = (
    ("faithful", load_faithful, 2, "full"),
    ("iris", lambda: load_iris().data, 2, "full"),
    ("wine", lambda: load_wine().data, 3, "diag"),
    ("breast_cancer", lambda: load_breast_cancer().data, 2, "tied"),
)
RATES = (0.1, 0.2, 0.3)
METHODS = ("EM", "EM reg 1e-3", "mean + GM", "iterative + GM", "complete")


def standardised(X):
    return (X - X.mean(axis=0)) / X.std(axis=0)


def with_holes(X, rate, rng):
    """``X`` with ``rate`` of its entries NaN (MCAR), each row keeping one entry."""
    miss = rng.random(X.shape) < rate
    full = miss.all(axis=1)
    miss[full, rng.integers(0, X.shape[1], full.sum())] = False
    out = X.copy()
    out[miss] = np.nan
    return out, miss


def fit(X, K, cov, seed, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return GaussianMixture(K, covariance_type=cov, random_state=seed, **kw).fit(X)


def parameter_distance(gm, ref):
    """Largest |mean difference| and |covariance entry difference|, components matched
    by their means (Hungarian)."""
    _, mu, cov = full_parameters(gm)
    _, mu0, cov0 = full_parameters(ref)
    cost = ((mu[:, None] - mu0[None]) ** 2).sum(axis=2)
    rows, cols = linear_sum_assignment(cost)
    return (float(np.abs(mu[rows] - mu0[cols]).max()),
            float(np.abs(cov[rows] - cov0[cols]).max()))


def one_cell(X, K, cov, rate, seed):
    """Every method's numbers on one split of ``X``: {method: (heldout, rmse, dmu, dcov)}."""
    rng = np.random.default_rng(seed)
    perm = rng.permutation(X.shape[0])
    n_train = int(0.7 * X.shape[0])
    train, test = X[perm[:n_train]], X[perm[n_train:]]
    holey, miss = with_holes(train, rate, rng)
    complete = fit(train, K, cov, seed)
    em = fit(holey, K, cov, seed, missing="em")
    em_reg = fit(holey, K, cov, seed, missing="em", reg_covar=1e-3)
    fills = {"EM": em.impute(holey), "EM reg 1e-3": em_reg.impute(holey),
             "mean + GM": SimpleImputer(strategy="mean").fit_transform(holey),
             "iterative + GM": IterativeImputer(max_iter=10, random_state=seed)
             .fit_transform(holey)}
    models = {"EM": em, "EM reg 1e-3": em_reg, "complete": complete}
    for name in ("mean + GM", "iterative + GM"):
        models[name] = fit(fills[name], K, cov, seed)
    out = {}
    for name, gm in models.items():
        rmse = (float(np.sqrt(np.mean((fills[name][miss] - train[miss]) ** 2)))
                if name in fills else np.nan)
        out[name] = ((gm.score(test), rmse) + parameter_distance(gm, complete)
                     + (float(gm.n_resets_ > 0),))
    return out


def quality_table(reps, datasets):
    print(f"{'data':14s} {'miss':>4s} {'method':15s} {'held-out LL':>17s} "
          f"{'impute RMSE':>15s} {'max |dmu|':>15s} {'max |dcov|':>15s} {'re-seeded':>9s}")
    for name, load, K, cov in datasets:
        X = standardised(np.asarray(load(), dtype=np.float64))
        for rate in RATES:
            cells = [one_cell(X, K, cov, rate, seed) for seed in range(reps)]
            for method in METHODS:
                vals = np.array([c[method] for c in cells])
                mean = vals.mean(axis=0)
                se = vals.std(axis=0, ddof=1) / np.sqrt(reps) if reps > 1 else 0 * mean
                cols = " ".join("{:>15s}".format("-" if np.isnan(m) else f"{m:.3f} ({s:.3f})")
                                for m, s in zip(mean[:4], se[:4]))
                print(f"{name:14s} {rate:4.0%} {method:15s}   {cols} "
                      f"{int(vals[:, 4].sum()):>5d}/{reps}")
        print()


def collapse_table(reps):
    """How often a fit re-seeds a collapsed component: Old Faithful, K = 3, full (the
    mean-filled rows of a column lie on one line, which a component can collapse onto)."""
    X = standardised(load_faithful())
    print("Old Faithful, K = 3, full: fits that re-seeded a collapsed component")
    for rate in RATES:
        counts = {"EM": 0, "mean + GM": 0}
        for seed in range(reps):
            holey, _ = with_holes(X, rate, np.random.default_rng(seed))
            counts["EM"] += fit(holey, 3, "full", seed, missing="em").n_resets_ > 0
            filled = SimpleImputer(strategy="mean").fit_transform(holey)
            counts["mean + GM"] += fit(filled, 3, "full", seed).n_resets_ > 0
        print(f"  {rate:4.0%}: " + ", ".join(f"{k} {v}/{reps}" for k, v in counts.items()))
    print()


def per_iteration(X, start, **kw):
    """Seconds per EM iteration: 30 iterations with tol = 0 from ``start``."""
    init = dict(weights_init=start.weights_, means_init=start.means_,
                precisions_init=start.precisions_)
    best = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        gm = fit(X, 3, "full", 0, tol=0, max_iter=30, n_jobs=1, **init, **kw)
        best = min(best, (time.perf_counter() - t0) / gm.n_iter_)
    return best


def speed_table(n_rows):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(n_rows, 10)) + np.repeat(rng.normal(scale=4, size=(3, 10)),
                                                  -(-n_rows // 3), axis=0)[:n_rows]
    holey = X.copy()
    rows = rng.choice(n_rows, n_rows // 10, replace=False)
    holey[rows, rng.integers(0, 10, rows.size)] = np.nan
    start = fit(X, 3, "full", 0, max_iter=1, init_params="kmeans", n_jobs=1)
    plain = per_iteration(X, start)
    em_complete = per_iteration(X, start, missing="em")
    em_holey = per_iteration(holey, start, missing="em")
    print(f"EM iteration, {n_rows} x 10, K = 3, full, one thread (best of 3):")
    print(f"  missing=None, complete rows:           {plain * 1e3:8.2f} ms")
    print(f"  missing='em', complete rows:           {em_complete * 1e3:8.2f} ms "
          f"(ratio {em_complete / plain:.2f})")
    print(f"  missing='em', 10 % rows missing one:   {em_holey * 1e3:8.2f} ms "
          f"(ratio {em_holey / plain:.2f})")


def main():
    warnings.simplefilter("ignore", ConvergenceWarning)  # IterativeImputer's, EM's
    warnings.simplefilter("ignore", DegenerateComponentWarning)  # counted in the table
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    args = parser.parse_args()
    reps = 2 if args.quick else args.reps
    quality_table(reps, DATASETS[:2] if args.quick else DATASETS)
    collapse_table(reps)
    speed_table(20_000 if args.quick else 200_000)


if __name__ == "__main__":
    main()
