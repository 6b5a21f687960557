"""Model selection: fit every (number of components, covariance type) and compare.

:func:`select` fits one :class:`~gaussmix.GaussianMixture` per candidate, in parallel,
and ranks them by BIC (or AIC, or ICL). The criteria follow scikit-learn's sign: lower
is better. mclust's ``mclustBIC`` and ``mclustICL`` report them with the opposite sign
(higher is better there): gaussmix's ``bic`` and ``icl`` are minus mclust's.
"""

from __future__ import annotations

import numbers
import sys
import warnings
from typing import NamedTuple

import numpy as np

from ..covariance import COVARIANCE_TYPES, SKLEARN_TYPES, get_structure, prior_label
from ..init import AgglomerationCache
from ..mixture import DegenerateComponentWarning, GaussianMixture, criteria
from ..utils.parallel import resolve_n_jobs
from ..utils.random import seed_from
from .result import SelectionResult

#: The covariance types :func:`select` tries by default, in the order of its table.
#: This is the one place to change when mclust's 14 models arrive in
#: ``gaussmix.covariance``: mclust's ``mclustBIC`` tries all 14 by default.
DEFAULT_COVARIANCE_TYPES = SKLEARN_TYPES
CRITERIA = ("bic", "aic", "icl")
BACKENDS = ("auto", "threads", "processes")
TABLE_COLUMNS = ("n_components", "covariance_type", "log_likelihood", "n_parameters", "bic",
                 "aic", "icl", "converged")

#: ``backend="auto"`` fits data with at least this many values (rows x columns) in
#: worker processes and smaller data serially in this process. Measured with
#: benchmarks/select_parallel.py on 2 cores (36 candidates, K = 1..9): threads were
#: never faster than serial (EM's per-iteration Python work holds the GIL: Old
#: Faithful 1.5 s vs 0.8 s serial, 20000 x 4: 4.1 s vs 5.7 s, no better than
#: processes); processes pay about 1 s to start their workers, which costs more than it
#: saves on Old Faithful (1.4 s vs 0.8 s serial; 0.4 s once started) and breaks even
#: near 3000 x 3 (2.3 s each); from 10000 x 3 on they win (3.7 s vs 4.8 s; 20000 x 4:
#: 2.9 s vs 6.8 s).
PROCESS_MIN_VALUES = 10_000


# ---------------------------------------------------------------------- checks
def _check_n_components(n_components):
    if isinstance(n_components, numbers.Integral) and not isinstance(n_components, bool):
        ks = [n_components]
    else:
        try:
            ks = list(n_components)
        except TypeError:
            raise TypeError(f"n_components must be an int or a sequence of ints such as "
                            f"range(1, 10), got {n_components!r}.") from None
    out = []
    for k in ks:
        if isinstance(k, bool) or not isinstance(k, numbers.Integral):
            raise TypeError(f"n_components must hold integers, got {k!r}; pass e.g. range(1, 10).")
        if k < 1:
            raise ValueError(f"n_components must be >= 1, got {int(k)}; a mixture needs at least "
                             "one component.")
        if int(k) not in out:
            out.append(int(k))
    if not out:
        raise ValueError("n_components is empty; pass at least one number of components, "
                         "e.g. range(1, 10).")
    return out


def _check_covariance_types(covariance_types):
    if isinstance(covariance_types, str):
        covariance_types = (covariance_types,)
    out = []
    for t in covariance_types:
        if t not in COVARIANCE_TYPES:
            raise ValueError(f"covariance type {t!r} is not supported; use some of "
                             f"{', '.join(repr(c) for c in COVARIANCE_TYPES)}.")
        if t not in out:
            out.append(t)
    if not out:
        raise ValueError("covariance_types is empty; pass at least one of "
                         f"{', '.join(repr(c) for c in COVARIANCE_TYPES)}.")
    return out


def _check_options(criterion, backend, params):
    if criterion not in CRITERIA:
        raise ValueError(f"criterion={criterion!r} is not supported; use one of "
                         f"{', '.join(repr(c) for c in CRITERIA)}.")
    if backend not in BACKENDS:
        raise ValueError(f"backend={backend!r} is not supported; use one of "
                         f"{', '.join(repr(b) for b in BACKENDS)}.")
    for name in ("n_components", "covariance_type", "random_state", "warm_start"):
        if name in params:
            raise TypeError(f"select() sets {name} itself; do not pass it in **params.")


def _row_count(X):
    return X.shape[0] if hasattr(X, "shape") else len(X)


def _check_data(X, sample_weight, ks):
    """``X`` as an array-like with a shape, the weights as an array or None."""
    if X is None:
        raise ValueError("X is None: pass a 2-D array-like of shape (n_samples, n_features).")
    if not hasattr(X, "shape"):
        X = np.asarray(X)
    w = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    n_rows = _row_count(X) if w is None or w.ndim != 1 else int(np.count_nonzero(w > 0))
    if n_rows and max(ks) > n_rows:
        raise ValueError(f"n_components goes up to {max(ks)} but X has only {n_rows} "
                         f"row(s){' with positive weight' if w is not None else ''}; use "
                         f"n_components=range(1, {n_rows + 1}) or fewer.")
    return X, w


def select(X, n_components=range(1, 10), covariance_types=DEFAULT_COVARIANCE_TYPES,
           criterion="bic", *, sample_weight=None, random_state=None, n_jobs=None,
           backend="auto", progress=None, **params):
    """Fit every candidate mixture and choose one by BIC (or AIC, or ICL).

    One :class:`~gaussmix.GaussianMixture` per (covariance type, number of components)
    is fitted on ``X``, in parallel, with a progress bar on a terminal. BIC, AIC and
    ICL use scikit-learn's sign: **lower is better**. mclust's BIC and ICL have the
    opposite sign (higher is better there; gaussmix's values are minus mclust's). The
    candidates share one agglomeration of the data for their hierarchical starts, as
    mclust's ``mclustBIC`` does.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Data (numpy array or pandas DataFrame; the fitted models remember a
        DataFrame's column names).
    n_components : int or iterable of int, default=range(1, 10)
        Numbers of components to try, each >= 1 and at most the number of rows.
    covariance_types : str or iterable of str, default=("full", "diag", "spherical", "tied")
        Covariance types to try.
    criterion : {"bic", "aic", "icl"}, default="bic"
        What ``best_`` minimises (ties: the earlier row). ICL
        (:meth:`~gaussmix.GaussianMixture.icl`) prefers well separated clusters.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights for every fit; the log-likelihood is then weighted and BIC uses
        the total weight as the number of observations.
    random_state : int, numpy Generator or None, default=None
        One seed is drawn from it and given to every candidate, so a candidate's fit
        equals ``GaussianMixture(K, covariance_type=T, random_state=seed).fit(X)``
        and does not depend on ``n_jobs`` or on the other candidates.
    n_jobs : int or None, default=None
        Parallel workers; None or -1: all cores; 1: no parallelism.
    backend : {"auto", "processes", "threads"}, default="auto"
        How candidates run in parallel (joblib's loky processes or threads).
        ``"auto"``: processes from ``PROCESS_MIN_VALUES`` (10 000) values (rows x
        columns) on, and no parallelism below, where starting worker processes costs
        more than the fits (threads gain little: EM's Python part holds the GIL).
    progress : bool or None, default=None
        Show a progress bar (tqdm, on stderr); None: only when stderr is a terminal.
    **params
        Other :class:`~gaussmix.GaussianMixture` parameters (``tol``, ``prior``, ...)
        for every candidate (a ``prior``: MAP fits, and a ``prior`` column in the table).

    Returns
    -------
    result : SelectionResult
        ``result.best_`` is the chosen fitted model, ``result.table_`` a pandas
        DataFrame with columns ``n_components, covariance_type, log_likelihood,
        n_parameters, bic, aic, icl, converged``, one row per candidate.

    Examples
    --------
    >>> import gaussmix
    >>> X = gaussmix.load_faithful()
    >>> res = gaussmix.select(X, n_components=range(1, 5), random_state=0, progress=False)
    >>> list(res.table_.columns[-4:]), len(res.table_) // len(DEFAULT_COVARIANCE_TYPES)
    (['bic', 'aic', 'icl', 'converged'], 4)
    >>> bool(res.best_.bic(X) == res.table_["bic"].min())
    True
    """
    _require_pandas()
    ks = _check_n_components(n_components)
    types = _check_covariance_types(covariance_types)
    _check_options(criterion, backend, params)
    X, w = _check_data(X, sample_weight, ks)
    seed = seed_from(random_state)
    candidates = [(t, k) for t in types for k in ks]
    order, jobs, backend = _plan(X, candidates, n_jobs, backend)
    in_processes = jobs > 1 and backend == "processes"
    Xfit, names = _for_workers(X) if in_processes else (X, None)
    cache = _warm_cache(Xfit, w, seed, params) if in_processes else AgglomerationCache()
    results = _fit_all(Xfit, w, candidates, order, seed, params, cache, jobs, backend,
                       criterion, progress)
    n_obs = _row_count(X) if w is None else float(np.sum(w))
    table, models = _table(candidates, results, n_obs, names)
    result = SelectionResult(table, models, _best_row(table, criterion), criterion,
                             n_obs=n_obs, cluster_sizes=[r.sizes for r in results])
    _warn_about_best(result.best_)
    return result


def _require_pandas():
    try:
        import pandas  # noqa: F401
    except ImportError:
        raise ImportError("gaussmix.select needs pandas for its table; install it with "
                          "pip install 'gaussmix[pandas]'.") from None


def _for_workers(X):
    """A plain array for worker processes (joblib memory-maps it) and the DataFrame's
    column names to give the fitted models back (None if it has none)."""
    if not hasattr(X, "columns"):
        return X, None
    names = None
    if all(isinstance(c, str) for c in X.columns):
        names = np.asarray(list(X.columns), dtype=object)
    return X.to_numpy(), names


def _best_row(table, criterion):
    """Row of the lowest finite criterion (ties: the earlier row)."""
    values = table[criterion].to_numpy(dtype=np.float64)
    if not np.isfinite(values).any():
        raise ValueError(f"no candidate has a finite {criterion.upper()}; check the data for "
                         "extreme values or rescale it.")
    return int(np.nanargmin(np.where(np.isfinite(values), values, np.nan)))


# ---------------------------------------------------------------------- work
def _progress_bar(show, total, desc, unit="fit"):
    """A tqdm bar on stderr, or None. ``show=None``: only when stderr is a terminal."""
    if show is False:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    if show is None and not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        return None
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False,
                dynamic_ncols=True)


class Fitted(NamedTuple):
    """One fitted candidate and what the table needs of it."""

    gm: GaussianMixture
    #: total (weighted) log-likelihood
    loglik: float
    #: sum over rows of (weight times) the log of the largest responsibility (ICL)
    log_max_resp: float
    #: rows (total weight) each component takes by its largest responsibility
    sizes: np.ndarray


def _evaluate(gm, X, w):
    """The candidate's log-likelihood, ICL term and cluster sizes on ``X``, where the
    fit ran (a worker process returns them with the model)."""
    n = X.shape[0] if w is None else float(np.sum(w))
    log_resp = gm._log_resp(gm._check_X_predict(X))
    sizes = np.bincount(np.argmax(log_resp, axis=1), weights=w, minlength=gm.n_components)
    return Fitted(gm, gm.score(X, sample_weight=w) * n, criteria.sum_log_max_resp(log_resp, w),
                  sizes)


def _fit_one(X, w, K, covariance_type, seed, params, cache, own_warnings):
    """Fit one candidate; return it as :class:`Fitted`."""
    def work():
        gm = GaussianMixture(K, covariance_type=covariance_type, random_state=seed, **params)
        gm._fit(X, w, cache=cache)
        return _evaluate(gm, X, w)

    if not own_warnings:
        return work()
    with warnings.catch_warnings():  # in a worker process: safe to change filters
        _quiet_fit_warnings()
        return work()


def _indexed(i, *args):
    return i, _fit_one(*args)


def _quiet_fit_warnings():
    from sklearn.exceptions import ConvergenceWarning

    warnings.simplefilter("ignore", ConvergenceWarning)
    warnings.simplefilter("ignore", DegenerateComponentWarning)


def _plan(X, candidates, n_jobs, backend):
    """Order of the fits (longest first, so parallel workers end together), the
    number of workers and the backend."""
    d = X.shape[1] if getattr(X, "ndim", 2) == 2 else 1
    order = sorted(range(len(candidates)), key=lambda i: (
        -candidates[i][1], -get_structure(candidates[i][0]).n_parameters(candidates[i][1], d)))
    jobs = resolve_n_jobs(n_jobs, len(candidates))
    if backend == "auto":
        backend = "processes"
        if int(np.prod(X.shape)) < PROCESS_MIN_VALUES:
            jobs = 1
    return order, jobs, backend


def _stream(Xfit, w, candidates, order, seed, params, cache, jobs, backend):
    """``(index, Fitted)`` pairs as the fits finish."""
    from joblib import Parallel, delayed

    if jobs == 1:
        return ((i, _fit_one(Xfit, w, candidates[i][1], candidates[i][0], seed, params,
                             cache, False)) for i in order)
    own = backend == "processes"
    par = Parallel(n_jobs=jobs, backend="loky" if own else "threading",
                   return_as="generator_unordered")
    return par(delayed(_indexed)(i, Xfit, w, candidates[i][1], candidates[i][0], seed, params,
                                 cache, own) for i in order)


def _fit_all(Xfit, w, candidates, order, seed, params, cache, jobs, backend, criterion,
             progress):
    """Every candidate's :class:`Fitted`, in candidate order."""
    bar = _progress_bar(progress, len(candidates), "select")
    results = [None] * len(candidates)
    best_so_far = np.inf
    n_obs = Xfit.shape[0] if w is None else float(np.sum(w))
    try:
        with warnings.catch_warnings():
            _quiet_fit_warnings()
            for i, fitted in _stream(Xfit, w, candidates, order, seed, params, cache, jobs,
                                     backend):
                results[i] = fitted
                if bar is not None:
                    gm = fitted.gm
                    value = _criteria(fitted, n_obs)[criterion]
                    best_so_far = min(best_so_far, value)
                    bar.set_postfix_str(f"K={gm.n_components} {gm.covariance_type}; best "
                                        f"{criterion.upper()} {best_so_far:.2f}")
                    bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return results


def _warm_cache(X, w, seed, params):
    """An agglomeration cache holding the merge tree every candidate's hierarchical
    start will ask for, so that worker processes receive it instead of each
    agglomerating again. A candidate with other rows simply computes its own."""
    cache = AgglomerationCache()
    if X.shape[0] < 2 or params.get("init_params", "auto") not in ("auto", "hierarchical"):
        return cache
    rest = {k: v for k, v in params.items() if k not in ("max_iter", "verbose")}
    probe = GaussianMixture(2, covariance_type="spherical", random_state=seed, max_iter=0,
                            verbose=0, **rest)
    with warnings.catch_warnings():
        _quiet_fit_warnings()
        try:
            probe._fit(X, w, cache=cache)
        except (ValueError, TypeError):
            pass  # the candidates will report the problem themselves
    return cache


def _table(candidates, results, n_obs, names):
    """The selection table (a DataFrame) and the models, aligned."""
    import pandas as pd

    rows, models = [], []
    for (t, k), fitted in zip(candidates, results):
        gm = fitted.gm
        if names is not None:
            gm.feature_names_in_ = names
        rows.append({"n_components": k, "covariance_type": t,
                     "log_likelihood": float(fitted.loglik), "n_parameters": int(gm.n_parameters()),
                     **_criteria(fitted, n_obs), "converged": bool(gm.converged_)})
        models.append(gm)
    columns = list(TABLE_COLUMNS)
    if any(gm.prior is not None for gm in models):
        # MAP fits: the log-likelihood is at the MAP estimate and the criteria use it
        # (mclust's mclustBIC with a prior), which the table says in a last column
        columns.append("prior")
        for row, gm in zip(rows, models):
            row["prior"] = prior_label(gm.prior)
    return pd.DataFrame(rows, columns=columns), models


def _warn_about_best(gm):
    if not gm.converged_:
        from sklearn.exceptions import ConvergenceWarning

        warnings.warn(f"the chosen model (K={gm.n_components}, {gm.covariance_type}) did not "
                      f"converge in max_iter={gm.max_iter} iterations; pass a larger max_iter.",
                      ConvergenceWarning, stacklevel=3)
    if gm.n_resets_:
        warnings.warn(f"the chosen model (K={gm.n_components}, {gm.covariance_type}) re-seeded "
                      f"{gm.n_resets_} collapsed component(s) while fitting; see best_.resets_.",
                      DegenerateComponentWarning, stacklevel=3)


def _criteria(fitted, n_obs):
    """BIC, AIC and ICL of a :class:`Fitted` candidate (lower is better)."""
    ll, p = fitted.loglik, fitted.gm.n_parameters()
    return {"bic": criteria.bic(ll, p, n_obs), "aic": criteria.aic(ll, p),
            "icl": criteria.icl(ll, p, n_obs, fitted.log_max_resp)}
