"""Bootstrap likelihood-ratio test for the number of components, as mclust's
``mclustBootstrapLRT``.

For G = 1, 2, ... the test of G components against G + 1 compares the observed
statistic ``2 (log L_{G+1} - log L_G)`` with its distribution under G components,
simulated by the parametric bootstrap: rows drawn from the fitted G-component
mixture, to which G and G + 1 components are fitted again. The statistic has no
chi-squared limit here (the G-component model sits on the boundary of the larger
one), which is why it is bootstrapped.
"""

from __future__ import annotations

import numbers
import warnings
from typing import NamedTuple

import numpy as np

from ..covariance import check_covariance_type
from ..mixture import GaussianMixture
from ..mixture.noise import gaussian_share
from ..utils.parallel import resolve_n_jobs
from ..utils.random import SEED_BOUND, seed_from
from ..utils.validation import refuse_chunked
from .lrt_result import BootstrapLRTResult
from .search import _progress_bar, _quiet_fit_warnings, _row_count, select

#: Replicates run in worker processes (when ``n_jobs`` allows) from this many values
#: (rows x columns x replicates) on. Measured with benchmarks/bootstrap_lrt.py on 2
#: cores: Old Faithful (272 x 2), tied, 199 replicates per test: 25 s serial, 15 s in
#: 2 processes (about 1 s of it starting them); below some 20 000 values a whole test
#: takes less than starting the workers costs.
PROCESS_MIN_VALUES = 20_000
#: What bootstrap_lrt sets itself, so **params may not.
OWN_PARAMS = ("n_components", "covariance_type", "random_state", "warm_start",
              "weights_init", "means_init", "precisions_init", "n_jobs")


def _check_int(value, name, low):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}.")
    if value < low:
        raise ValueError(f"{name} must be >= {low}, got {int(value)}.")
    return int(value)


def _check_arguments(X, covariance_type, max_components, n_boot, level, params):
    """Every argument checked before any fit, with what to pass instead."""
    check_covariance_type(covariance_type)
    if isinstance(max_components, numbers.Integral) and not isinstance(max_components, bool) \
            and max_components < 2:
        raise ValueError(f"max_components must be >= 2 (the first test is 1 against 2 "
                         f"components), got {int(max_components)}.")
    max_components = _check_int(max_components, "max_components", 2)
    n_boot = _check_int(n_boot, "n_boot", 1)
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0 < level < 1:
        raise ValueError(f"level must be a number strictly between 0 and 1, such as 0.05; "
                         f"got {level!r}.")
    for name in OWN_PARAMS:
        if name in params:
            raise TypeError(f"bootstrap_lrt() sets {name} itself; do not pass it in **params.")
    if X is None:
        raise ValueError("X is None: pass a 2-D array-like of shape (n_samples, n_features).")
    refuse_chunked(X, "bootstrap_lrt()")
    n = _row_count(X if hasattr(X, "shape") else np.asarray(X))
    if n and max_components > n:
        raise ValueError(f"max_components={max_components} is more than the {n} rows of X; "
                         f"use at most {n}.")
    return max_components, n_boot, float(level)


def bootstrap_lrt(X, covariance_type, max_components=9, n_boot=999, level=0.05, *,
                  random_state=None, n_jobs=None, progress=None, all_tests=False, **params):
    """Choose the number of components by sequential bootstrap likelihood-ratio tests.

    mclust's ``mclustBootstrapLRT``: for G = 1, 2, ..., G components are tested
    against G + 1 with the statistic ``2 (log L_{G+1} - log L_G)``. Each of ``n_boot``
    replicates draws ``n`` rows from the fitted G-component mixture and fits G and
    G + 1 components to them by EM from the fits to the data (as mclust's ``em``).
    The p-value is mclust's, ``(1 + #{replicates >= observed}) / (n_boot + 1)``. The
    tests stop at the first with a p-value above ``level``, whose G is chosen; if all
    are significant, ``max_components`` is.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    covariance_type : str
        One covariance type for every fit (mclust's ``modelName``).
    max_components : int, default=9
        The most components fitted, at least 2; the last test is ``max_components -
        1`` against ``max_components`` (mclust's ``maxG`` is ``max_components - 1``).
    n_boot : int, default=999
        Replicates per test (mclust's ``nboot``), at least 1; the smallest possible
        p-value is ``1 / (n_boot + 1)``.
    level : float, default=0.05
        Significance level, strictly between 0 and 1.
    random_state : int, numpy Generator or None, default=None
        One seed is drawn from it: the seed of the fits to the data (as in
        :func:`select`) and the root of a ``numpy.random.SeedSequence`` that gives
        every replicate its own stream, so results do not depend on ``n_jobs``.
    n_jobs : int or None, default=None
        Parallel workers (None or -1: all cores); replicates run in worker processes
        from ``PROCESS_MIN_VALUES`` (rows x columns x ``n_boot``) on.
    progress : bool or None, default=None
        Progress bar over the replicates (tqdm, stderr); None: only on a terminal.
    all_tests : bool, default=False
        Run every test up to ``max_components`` (as mclust does when ``maxG`` is
        given); the chosen G is the same.
    **params
        Other :class:`~gaussmix.GaussianMixture` parameters (``tol``, ``reg_covar``,
        ``max_iter``, ...), for every fit, to the data and to the replicates.

    Returns
    -------
    result : BootstrapLRTResult
        ``table_`` (one row per test: ``n_components`` G, ``lrt``, ``p_value``,
        ``significant``), ``n_components_`` (the chosen G), ``models_`` (the fits to
        the data, K = 1 .. ``max_components``), ``statistics_`` (the replicates').

    Raises
    ------
    ValueError
        ``max_components`` below 2 or above the rows, ``n_boot`` below 1, ``level``
        outside (0, 1), an unknown covariance type.

    Examples
    --------
    >>> import gaussmix
    >>> X = gaussmix.load_faithful()
    >>> res = gaussmix.bootstrap_lrt(X, "tied", max_components=3, n_boot=19,
    ...                              random_state=0, progress=False)
    >>> res.table_["p_value"].tolist()   # 1 vs 2, 2 vs 3: the smallest possible, 1/20
    [0.05, 0.05]
    >>> res.n_components_
    3
    """
    max_components, n_boot, level = _check_arguments(X, covariance_type, max_components,
                                                     n_boot, level, params)
    seed = seed_from(random_state)
    with warnings.catch_warnings():  # the fits to the data: seen in models_, not the best
        _quiet_fit_warnings()
        fits = select(X, range(1, max_components + 1), covariance_type, random_state=seed,
                      n_jobs=n_jobs, progress=False, **params)
    logliks = fits.table_["log_likelihood"].to_numpy(dtype=np.float64)
    plan = _Plan(_shape(X)[0], params, _jobs(X, n_jobs, n_boot), n_boot,
                 np.random.SeedSequence(seed).spawn(max_components - 1))
    observed, p_values, boot = _run_tests(fits.models_, logliks, plan, level, progress,
                                          all_tests)
    return BootstrapLRTResult(covariance_type, observed, p_values, boot, level, fits.models_,
                              logliks)


class _Plan(NamedTuple):
    """How the replicates run: rows per replicate, fit parameters, workers, replicates
    per test and each test's seed stream."""

    n: int
    params: dict
    jobs: int
    n_boot: int
    streams: list


def _jobs(X, n_jobs, n_boot):
    """Worker processes for the replicates, or 1 where starting them costs more."""
    n, d = _shape(X)
    jobs = resolve_n_jobs(n_jobs, n_boot)
    return jobs if n * d * n_boot >= PROCESS_MIN_VALUES else 1


def _run_tests(models, logliks, plan, level, progress, all_tests):
    """Observed statistics, p-values and replicate statistics of the tests run."""
    bar = _progress_bar(progress, plan.n_boot * (len(models) - 1), "bootstrap LRT",
                        unit="replicate")
    observed, p_values, boot = [], [], []
    try:
        for g in range(1, len(models)):
            if models[g] is None:  # select left G + 1 empty: singular before reg_covar
                _warn_untestable(g, models)
                break
            observed.append(2.0 * (logliks[g] - logliks[g - 1]))
            boot.append(_replicates(models[g - 1], models[g], plan, plan.streams[g - 1], bar))
            p_values.append(_p_value(boot[-1], observed[-1]))
            if p_values[-1] > level and not all_tests:
                break
    finally:
        if bar is not None:
            bar.close()
    return observed, p_values, np.array(boot) if boot else np.empty((0, plan.n_boot))


def _warn_untestable(g, models):
    warnings.warn(f"bootstrap_lrt: {g} against {g + 1} components was not tested: the fit "
                  f"with {g + 1} has a singular covariance before reg_covar (mclust gives "
                  f"it no BIC), so {g} is the most the data support with "
                  f"{models[0].covariance_type!r}.", UserWarning, stacklevel=4)


def _shape(X):
    """(rows, columns) of the data, whatever its type."""
    shape = X.shape if hasattr(X, "shape") else np.shape(X)
    return int(shape[0]), int(shape[1]) if len(shape) > 1 else 1


def _p_value(statistics, observed):
    """mclust's bootstrap p-value: the observed statistic counted as one more draw."""
    return float((1 + np.count_nonzero(statistics >= observed)) / (len(statistics) + 1))


def _replicates(gm0, gm1, plan, stream, bar):
    """The statistics of ``plan.n_boot`` replicates, in replicate order: replicate
    ``b`` draws from its own child of ``stream`` wherever it runs."""
    seeds = stream.spawn(plan.n_boot)
    out = np.empty(plan.n_boot)
    if plan.jobs == 1:
        results = ((b, _replicate(gm0, gm1, plan.n, seeds[b], plan.params))
                   for b in range(plan.n_boot))
    else:
        from joblib import Parallel, delayed

        par = Parallel(n_jobs=plan.jobs, backend="loky", return_as="generator_unordered")
        results = par(delayed(_indexed_replicate)(b, gm0, gm1, plan.n, seeds[b], plan.params)
                      for b in range(plan.n_boot))
    for b, value in results:
        out[b] = value
        if bar is not None:
            bar.set_postfix_str(f"{gm0.n_components} vs {gm1.n_components} components")
            bar.update(1)
    return out


def _indexed_replicate(b, *args):
    with warnings.catch_warnings():  # in a worker process: safe to change filters
        _quiet_fit_warnings()
        return b, _replicate(*args)


def _replicate(gm0, gm1, n, seed, params):
    """One parametric bootstrap draw of the statistic: ``n`` rows from ``gm0``, refitted
    with ``gm0``'s and ``gm1``'s numbers of components from their parameters."""
    rng = np.random.default_rng(seed)
    Xb, _ = gm0.sample(n, random_state=rng)
    fit_seed = int(rng.integers(SEED_BOUND))  # for re-seeding a collapsed component
    with warnings.catch_warnings():
        _quiet_fit_warnings()
        ll0 = _refit(gm0, Xb, fit_seed, params)
        ll1 = _refit(gm1, Xb, fit_seed, params)
    return 2.0 * (ll1 - ll0)


def _refit(gm, X, seed, params):
    """EM on ``X`` from ``gm``'s parameters (mclust's ``em(data, parameters=...)``);
    the total log-likelihood it reaches."""
    fit = GaussianMixture(gm.n_components, covariance_type=gm.covariance_type,
                          weights_init=gaussian_share(gm), means_init=gm.means_,
                          precisions_init=gm.precisions_, random_state=seed, n_jobs=1,
                          **params)
    fit.fit(X)
    return fit.score(X) * X.shape[0]
