"""Model selection: fit every (number of components, covariance type) and compare.

:func:`select` fits one :class:`~gaussmix.GaussianMixture` per candidate, in parallel,
and ranks them by BIC (or AIC, or ICL). The criteria follow scikit-learn's sign: lower
is better. mclust's ``mclustBIC`` and ``mclustICL`` report them with the opposite sign
(higher is better there): gaussmix's ``bic`` and ``icl`` are minus mclust's.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np

from ..covariance import get_structure, prior_label
from ..init import AgglomerationCache
from ..mixture import DegenerateComponentWarning, GaussianMixture, criteria
from ..mixture.missing import check_observed
from ..utils.parallel import resolve_n_jobs
from ..utils.random import seed_from
from ..utils.validation import check_X, refuse_chunked
from .fitting import progress_bar, quiet_fit_warnings, stream, warm_cache
from .refine import needs_second_start, screening_tol
from .result import SelectionResult
from .singular import empty_singular_cells
from .types import DEFAULT_COVARIANCE_TYPES, default_covariance_types, resolve_covariance_types

# names other modules (and tests) import from here
_progress_bar, _quiet_fit_warnings, _warm_cache = progress_bar, quiet_fit_warnings, warm_cache

CRITERIA = ("bic", "aic", "icl")
BACKENDS = ("auto", "threads", "processes")
#: Columns of :attr:`SelectionResult.table_`; ``note`` says why a candidate that could
#: not be fitted is empty (its numbers are NaN), and is "" otherwise.
TABLE_COLUMNS = ("n_components", "covariance_type", "log_likelihood", "n_parameters", "bic",
                 "aic", "icl", "converged", "note")

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
    refuse_chunked(X, "select()")
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

    By default like mclust's ``Mclust(X)``: its models (see ``covariance_types``) with
    1 to 9 components, one :class:`~gaussmix.GaussianMixture` each. BIC, AIC and ICL
    use scikit-learn's sign: **lower is better** (minus mclust's).

    Starts: as ``mclustBIC``, the data are agglomerated once and every candidate
    runs EM from that partition; the candidates where a second start can matter
    (near the best, or a poor optimum) are refitted with ``init_params="auto"`` as a
    lone :class:`~gaussmix.GaussianMixture` would be (see :mod:`gaussmix.selection.refine`).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Data (an array, or a DataFrame whose column names the models remember).
    n_components : int or iterable of int, default=range(1, 10)
        Numbers of components to try, each >= 1 and at most the number of rows.
    covariance_types : None, "mclust", "sklearn", str or iterable of str, default=None
        None: mclust's default, its fourteen models (``"E"``, ``"V"`` on 1-D data; its
        six spherical and diagonal ones when rows <= columns); ``"mclust"``: the 14;
        ``"sklearn"``: scikit-learn's four; or a list of names, not two of one model
        (:func:`~gaussmix.selection.types.resolve_covariance_types`).
    criterion : {"bic", "aic", "icl"}, default="bic"
        What ``best_`` minimises (ties: the earlier row).
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights for every fit; the log-likelihood is then weighted and BIC uses
        the total weight as the number of observations.
    random_state : int, numpy Generator or None, default=None
        One seed drawn from it is given to every candidate: the table does not
        depend on ``n_jobs``.
    n_jobs : int or None, default=None
        Parallel workers; None or -1: all cores; 1: no parallelism.
    backend : {"auto", "processes", "threads"}, default="auto"
        How candidates run in parallel (joblib's loky processes or threads).
        ``"auto"``: processes from ``PROCESS_MIN_VALUES`` values (rows x columns) on,
        none below, where starting workers costs more than the fits.
    progress : bool or None, default=None
        Show a progress bar (tqdm, on stderr); None: only when stderr is a terminal.
    **params
        Other :class:`~gaussmix.GaussianMixture` parameters (``tol``, ``prior``, ...)
        for every candidate (a ``prior``: MAP fits, and a ``prior`` column in the table).

    Returns
    -------
    result : SelectionResult
        ``best_``: the chosen fitted model; ``table_``: a DataFrame, one row per
        candidate (:data:`TABLE_COLUMNS`). A candidate not fitted, or singular
        (:mod:`~gaussmix.selection.singular`), has NaN numbers, None in ``models_``
        and the reason in ``note``.

    Examples
    --------
    >>> import gaussmix
    >>> X = gaussmix.load_faithful()
    >>> res = gaussmix.select(X, n_components=range(1, 4), covariance_types="sklearn",
    ...                       random_state=0, progress=False)
    >>> len(res.table_), list(res.table_.columns[-5:])
    (12, ['bic', 'aic', 'icl', 'converged', 'note'])
    >>> bool(res.best_.bic(X) == res.table_["bic"].min())
    True
    """
    X, w, candidates = _check_all(X, n_components, covariance_types, criterion,
                                  sample_weight, backend, params)
    seed = seed_from(random_state)
    order, jobs, backend = _plan(X, candidates, n_jobs, backend)
    in_processes = jobs > 1 and backend == "processes"
    Xfit, names = _for_workers(X) if in_processes else (X, None)
    cache = warm_cache(Xfit, w, seed, params) if in_processes else AgglomerationCache()
    n_obs = _row_count(X) if w is None else float(np.sum(w))
    run = dict(Xfit=Xfit, w=w, seed=seed, cache=cache, jobs=jobs, backend=backend,
               criterion=criterion, n_obs=n_obs)
    results = empty_singular_cells(_fit_candidates(candidates, order, params, run, progress), X, w)
    table, models = _table(candidates, results, n_obs, names, _n_features(X))
    result = SelectionResult(table, models, _best_row(table, criterion), criterion,
                             n_obs=n_obs, cluster_sizes=[r.sizes for r in results])
    _warn_about_best(result.best_)
    return result


def _check_all(X, n_components, covariance_types, criterion, sample_weight, backend,
               params):
    """Every argument checked before any fit; the data, weights and candidates."""
    _require_pandas()
    ks = _check_n_components(n_components)
    _check_options(criterion, backend, params)
    X, w = _check_data(X, sample_weight, ks)
    n_rows = _row_count(X) if w is None or w.ndim != 1 else int(np.count_nonzero(w > 0))
    types = resolve_covariance_types(covariance_types, _n_features(X), n_rows)
    _check_fit_params(ks[0], types[0], params, X, w)
    return X, w, [(t, k) for t in types for k in ks]


def _n_features(X):
    return X.shape[1] if getattr(X, "ndim", 2) == 2 else 1


def _check_fit_params(K, covariance_type, params, X, w):
    """The shared parameters, and the data's values (NaN, infinity, non-numbers), checked
    once as a fit checks them, before any fit: a mistake in them is an error and not a
    table of empty cells ("no candidate has a finite BIC")."""
    try:
        gm = GaussianMixture(K, covariance_type=covariance_type, **params)
        gm._check_parameters()
    except TypeError as err:
        raise TypeError(f"select(): {err}") from None
    values = check_X(gm, X, reset=True, allow_nan=gm._allows_missing())
    if gm._allows_missing():  # (weights of a wrong shape: the fits' own error)
        check_observed(values, w if w is not None and w.shape == values.shape[:1] else None)


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
        notes = sorted(set(n for n in table["note"] if n))
        why = f" (the fits failed: {'; '.join(notes[:3])})" if notes else ""
        raise ValueError(f"no candidate has a finite {criterion.upper()}{why}; check the data "
                         "for extreme values or rescale it.")
    return int(np.nanargmin(np.where(np.isfinite(values), values, np.nan)))


# ---------------------------------------------------------------------- work
def _plan(X, candidates, n_jobs, backend):
    """Order of the fits (longest first, so parallel workers end together), the
    number of workers and the backend."""
    d = _n_features(X)
    order = sorted(range(len(candidates)), key=lambda i: (
        -candidates[i][1], -get_structure(candidates[i][0]).n_parameters(candidates[i][1], d)))
    jobs = resolve_n_jobs(n_jobs, len(candidates))
    if backend == "auto":
        backend = "processes"
        if int(np.prod(X.shape)) < PROCESS_MIN_VALUES:
            jobs = 1
    return order, jobs, backend


def _fit_candidates(candidates, order, params, run, progress):
    """Every candidate's :class:`~gaussmix.selection.fitting.Fitted`, in candidate order.

    Given ``init_params``, each candidate is one fit with it. Otherwise each starts
    from the shared agglomeration (to mclust's convergence rule unless ``tol`` is
    given, see :func:`~gaussmix.selection.refine.screening_tol`), and the candidates where a second start can
    matter (:func:`~gaussmix.selection.refine.needs_second_start`) are refitted from
    both (``init_params="auto"``), the refit kept.
    """
    bar = progress_bar(progress, len(candidates), "select")
    try:
        if "init_params" in params:
            return _fit_all(candidates, order, params, run, bar)
        screen = {**params, "init_params": "hierarchical"}
        if "tol" not in params:
            screen["tol"] = screening_tol(run["Xfit"], run["w"])
        results = _fit_all(candidates, order, screen, run, bar)
        values = np.array([_criteria(r, run["n_obs"])[run["criterion"]] for r in results])
        again = set(needs_second_start(candidates, results, values))
        if again and bar is not None:
            bar.total += len(again)
            bar.refresh()
        refits = _fit_all(candidates, [i for i in order if i in again],
                          {**params, "init_params": "auto"}, run, bar)
        return [first if refit is None or refit.gm is None else refit
                for first, refit in zip(results, refits)]
    finally:
        if bar is not None:
            bar.close()


def _fit_all(candidates, order, params, run, bar):
    """The :class:`~gaussmix.selection.fitting.Fitted` of ``candidates[i]`` for ``i``
    in ``order`` (None for the others), in candidate order."""
    results = [None] * len(candidates)
    best_so_far = np.inf
    criterion = run["criterion"]
    with warnings.catch_warnings():
        quiet_fit_warnings()
        for i, fitted in stream(run["Xfit"], run["w"], candidates, order, run["seed"], params,
                                run["cache"], run["jobs"], run["backend"]):
            results[i] = fitted
            if bar is not None:
                value = _criteria(fitted, run["n_obs"])[criterion]
                best_so_far = np.fmin(best_so_far, value)
                t, k = candidates[i]
                bar.set_postfix_str(f"K={k} {t}; best {criterion.upper()} {best_so_far:.2f}")
                bar.update(1)
    return results


def _table(candidates, results, n_obs, names, n_features):
    """The selection table (a DataFrame) and the models (None for an empty cell),
    aligned."""
    import pandas as pd

    rows, models = [], []
    for (t, k), fitted in zip(candidates, results):
        gm = fitted.gm
        if gm is not None and names is not None:
            gm.feature_names_in_ = names
        rows.append({"n_components": k, "covariance_type": t,
                     "log_likelihood": float(fitted.loglik),
                     "n_parameters": int(get_structure(t).n_parameters(k, n_features)
                                         if gm is None else gm.n_parameters()),
                     **_criteria(fitted, n_obs),
                     "converged": bool(gm is not None and gm.converged_),
                     "note": fitted.reason})
        models.append(gm)
    columns = list(TABLE_COLUMNS)
    priors = [gm.prior for gm in models if gm is not None]  # one prior for all
    if priors and priors[0] is not None:
        # MAP fits: the log-likelihood is at the MAP estimate and the criteria use it
        # (mclust's mclustBIC with a prior), which the table says in a last column
        columns.append("prior")
        for row in rows:
            row["prior"] = prior_label(priors[0])
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
    """BIC, AIC and ICL of a :class:`~gaussmix.selection.fitting.Fitted` candidate
    (lower is better; NaN for a failed fit)."""
    if fitted.gm is None:
        return {"bic": np.nan, "aic": np.nan, "icl": np.nan}
    ll, p = fitted.loglik, fitted.gm.n_parameters()
    return {"bic": criteria.bic(ll, p, n_obs), "aic": criteria.aic(ll, p),
            "icl": criteria.icl(ll, p, n_obs, fitted.log_max_resp)}
