"""Model selection: fit every (number of components, covariance type) and compare.

:func:`select` fits one :class:`~gaussmix.GaussianMixture` per candidate, in parallel,
and ranks them by BIC (or AIC). BIC and AIC follow scikit-learn's sign: lower is
better. mclust's ``mclustBIC`` reports BIC with the opposite sign (higher is better
there): gaussmix's ``bic`` is minus mclust's.
"""

from __future__ import annotations

import numbers
import os
import sys
import warnings

import numpy as np

from .mixture import DegenerateComponentWarning, GaussianMixture

COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")
CRITERIA = ("bic", "aic")
BACKENDS = ("auto", "threads", "processes")
TABLE_COLUMNS = ("n_components", "covariance_type", "log_likelihood", "n_parameters", "bic",
                 "aic", "converged")

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


class SelectionResult:
    """What :func:`select` found: the table of candidates and the best fitted model.

    Attributes
    ----------
    best_ : GaussianMixture
        The fitted candidate with the lowest criterion.
    table_ : pandas.DataFrame
        One row per candidate, in the order (covariance type, n_components) they were
        given, with columns ``n_components, covariance_type, log_likelihood,
        n_parameters, bic, aic, converged``. ``log_likelihood`` is the total
        (weighted) log-likelihood of the data; ``bic`` and ``aic`` are lower-is-better.
    models_ : list of GaussianMixture
        The fitted candidates, aligned with the rows of ``table_``.
    best_index_ : int
        Row position of ``best_`` in ``table_``.
    criterion : {"bic", "aic"}
        The criterion used to choose.

    Examples
    --------
    >>> import gaussmix
    >>> X = gaussmix.load_faithful()
    >>> res = gaussmix.select(X, n_components=range(1, 4), covariance_types=("full",),
    ...                       random_state=0, progress=False)
    >>> res.best_params_
    {'n_components': 2, 'covariance_type': 'full'}
    """

    def __init__(self, table, models, best_index, criterion):
        self.table_ = table
        self.models_ = models
        self.best_index_ = int(best_index)
        self.best_ = models[best_index]
        self.criterion = criterion

    @property
    def best_params_(self):
        """``{"n_components": K, "covariance_type": T}`` of the best candidate."""
        return {"n_components": int(self.best_.n_components),
                "covariance_type": str(self.best_.covariance_type)}

    def summary(self):
        """The table as text, the best row marked with ``<- best``.

        Returns
        -------
        text : str
        """
        t = self.table_
        head = (f"{'K':>3}  {'covariance':10}  {'log-lik':>12}  {'params':>6}  {'BIC':>12}  "
                f"{'AIC':>12}  {'converged':9}")
        lines = [head]
        for i, row in enumerate(t.itertuples(index=False)):
            mark = f"  <- best ({self.criterion.upper()})" if i == self.best_index_ else ""
            lines.append(f"{row.n_components:>3}  {row.covariance_type:10}  "
                         f"{row.log_likelihood:12.4f}  {row.n_parameters:>6}  {row.bic:12.4f}  "
                         f"{row.aic:12.4f}  {str(bool(row.converged)):9}{mark}".rstrip())
        b = self.best_params_
        lines += ["", f"best by {self.criterion.upper()} (lower is better; mclust's BIC has the "
                  f"opposite sign): {b['n_components']} component(s), covariance_type="
                  f"{b['covariance_type']!r}"]
        return "\n".join(lines)

    def plot(self, ax=None, criterion=None):
        """Criterion against K, one line per covariance type; see
        :func:`gaussmix.plot.plot_selection`."""
        from .plot import plot_selection

        return plot_selection(self, ax=ax, criterion=criterion)

    def __repr__(self):
        b = self.best_params_
        return (f"SelectionResult({len(self.table_)} candidates, best by {self.criterion}: "
                f"n_components={b['n_components']}, covariance_type={b['covariance_type']!r})")


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


def _seed(random_state):
    """One integer seed, shared by every candidate (so results do not depend on n_jobs)."""
    if random_state is None:
        return int(np.random.SeedSequence().generate_state(1)[0])
    if isinstance(random_state, np.random.Generator):
        return int(random_state.integers(2**32))
    if isinstance(random_state, np.random.RandomState):
        return int(random_state.randint(0, 2**32 - 1, dtype=np.uint64))
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return int(random_state)
    raise TypeError(f"random_state must be None, an int or a numpy Generator, got {random_state!r}.")


def _n_jobs(n_jobs, n_tasks):
    if n_jobs is None or n_jobs == -1:
        n = os.cpu_count() or 1
    elif isinstance(n_jobs, numbers.Integral) and not isinstance(n_jobs, bool) and n_jobs != 0:
        n = int(n_jobs) if n_jobs > 0 else max(1, (os.cpu_count() or 1) + 1 + int(n_jobs))
    else:
        raise ValueError(f"n_jobs must be None, -1 or a positive integer, got {n_jobs!r}.")
    return max(1, min(n, n_tasks))


def _progress_bar(show, total, desc):
    """A tqdm bar on stderr, or None. ``show=None``: only when stderr is a terminal."""
    if show is False:
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    if show is None and not (hasattr(sys.stderr, "isatty") and sys.stderr.isatty()):
        return None
    return tqdm(total=total, desc=desc, unit="fit", file=sys.stderr, leave=False,
                dynamic_ncols=True)


# ---------------------------------------------------------------------- work
def _fit_one(X, w, K, covariance_type, seed, params, own_warnings):
    """Fit one candidate; return the model and its total (weighted) log-likelihood."""
    def work():
        gm = GaussianMixture(K, covariance_type=covariance_type, random_state=seed, **params)
        gm.fit(X, sample_weight=w)
        n = X.shape[0] if w is None else float(np.sum(w))
        return gm, gm.score(X, sample_weight=w) * n

    if not own_warnings:
        return work()
    with warnings.catch_warnings():  # in a worker process: safe to change filters
        _quiet_fit_warnings()
        return work()


def _quiet_fit_warnings():
    from sklearn.exceptions import ConvergenceWarning

    warnings.simplefilter("ignore", ConvergenceWarning)
    warnings.simplefilter("ignore", DegenerateComponentWarning)


def _row_count(X):
    return X.shape[0] if hasattr(X, "shape") else len(X)


def select(X, n_components=range(1, 10), covariance_types=("full", "diag", "spherical", "tied"),
           criterion="bic", *, sample_weight=None, random_state=None, n_jobs=None,
           backend="auto", progress=None, **params):
    """Fit every candidate mixture and choose one by BIC (or AIC).

    One :class:`~gaussmix.GaussianMixture` per (covariance type, number of components)
    is fitted on ``X``, in parallel, with a progress bar on a terminal. BIC and AIC
    use scikit-learn's sign: **lower is better**. mclust's BIC has the opposite sign
    (higher is better there; gaussmix's value is minus mclust's).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Data (numpy array or pandas DataFrame; the fitted models remember a
        DataFrame's column names).
    n_components : int or iterable of int, default=range(1, 10)
        Numbers of components to try, each >= 1 and at most the number of rows.
    covariance_types : str or iterable of str, default=("full", "diag", "spherical", "tied")
        Covariance types to try.
    criterion : {"bic", "aic"}, default="bic"
        What ``best_`` minimises. Ties go to the earlier row of the table.
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
        Other :class:`~gaussmix.GaussianMixture` parameters (``tol``, ``reg_covar``,
        ``max_iter``, ``n_init``, ``init_params``, ...), used for every candidate.

    Returns
    -------
    result : SelectionResult
        ``result.best_`` is the chosen fitted model, ``result.table_`` a pandas
        DataFrame with columns ``n_components, covariance_type, log_likelihood,
        n_parameters, bic, aic, converged``, one row per candidate.

    Examples
    --------
    >>> import gaussmix
    >>> X = gaussmix.load_faithful()
    >>> res = gaussmix.select(X, n_components=range(1, 5), random_state=0, progress=False)
    >>> res.table_.shape
    (16, 7)
    >>> bool(res.best_.bic(X) == res.table_["bic"].min())
    True
    """
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("gaussmix.select needs pandas for its table; install it with "
                          "pip install 'gaussmix[pandas]'.") from None
    from joblib import Parallel, delayed

    ks = _check_n_components(n_components)
    types = _check_covariance_types(covariance_types)
    if criterion not in CRITERIA:
        raise ValueError(f"criterion={criterion!r} is not supported; use 'bic' or 'aic'.")
    if backend not in BACKENDS:
        raise ValueError(f"backend={backend!r} is not supported; use one of "
                         f"{', '.join(repr(b) for b in BACKENDS)}.")
    for name in ("n_components", "covariance_type", "random_state", "warm_start"):
        if name in params:
            raise TypeError(f"select() sets {name} itself; do not pass it in **params.")
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
    seed = _seed(random_state)

    candidates = [(t, k) for t in types for k in ks]
    # Longest fits first (full, many components) so parallel workers end together.
    cost = {"full": 3, "tied": 2, "diag": 1, "spherical": 0}
    order = sorted(range(len(candidates)),
                   key=lambda i: (-candidates[i][1], -cost[candidates[i][0]]))
    jobs = _n_jobs(n_jobs, len(candidates))
    n_values = int(np.prod(X.shape)) if hasattr(X, "shape") else 0
    if backend == "auto":
        backend = "processes"
        if n_values < PROCESS_MIN_VALUES:
            jobs = 1

    names = None
    Xfit = X
    if jobs > 1 and backend == "processes" and hasattr(X, "columns"):
        # Send a plain array to the workers (joblib memory-maps it); restore names after.
        if all(isinstance(c, str) for c in X.columns):
            names = np.asarray(list(X.columns), dtype=object)
        Xfit = X.to_numpy()

    bar = _progress_bar(progress, len(candidates), "select")
    results = [None] * len(candidates)
    best_so_far = np.inf
    try:
        with warnings.catch_warnings():
            _quiet_fit_warnings()
            if jobs == 1:
                stream = ((i, _fit_one(Xfit, w, candidates[i][1], candidates[i][0], seed, params,
                                       False)) for i in order)
            else:
                own = backend == "processes"
                par = Parallel(n_jobs=jobs, backend="loky" if own else "threading",
                               return_as="generator_unordered")
                stream = par(delayed(_indexed)(i, Xfit, w, candidates[i][1], candidates[i][0],
                                               seed, params, own) for i in order)
            for i, (gm, ll) in stream:
                results[i] = (gm, ll)
                if bar is not None:
                    n = Xfit.shape[0] if w is None else float(np.sum(w))
                    value = _criteria(ll, gm.n_parameters(), n)[criterion]
                    best_so_far = min(best_so_far, value)
                    bar.set_postfix_str(f"K={gm.n_components} {gm.covariance_type}; best "
                                        f"{criterion.upper()} {best_so_far:.2f}")
                    bar.update(1)
    finally:
        if bar is not None:
            bar.close()

    n_obs = _row_count(X) if w is None else float(np.sum(w))
    rows = []
    models = []
    for (t, k), (gm, ll) in zip(candidates, results):
        if names is not None:
            gm.feature_names_in_ = names
        p = gm.n_parameters()
        crit = _criteria(ll, p, n_obs)
        rows.append({"n_components": k, "covariance_type": t, "log_likelihood": float(ll),
                     "n_parameters": int(p), "bic": crit["bic"], "aic": crit["aic"],
                     "converged": bool(gm.converged_)})
        models.append(gm)
    table = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    values = table[criterion].to_numpy(dtype=np.float64)
    if not np.isfinite(values).any():
        raise ValueError(f"no candidate has a finite {criterion.upper()}; check the data for "
                         "extreme values or rescale it.")
    best = int(np.nanargmin(np.where(np.isfinite(values), values, np.nan)))
    result = SelectionResult(table, models, best, criterion)
    gm = result.best_
    if not gm.converged_:
        from sklearn.exceptions import ConvergenceWarning

        warnings.warn(f"the chosen model (K={gm.n_components}, {gm.covariance_type}) did not "
                      f"converge in max_iter={gm.max_iter} iterations; pass a larger max_iter.",
                      ConvergenceWarning, stacklevel=2)
    if gm.n_resets_:
        warnings.warn(f"the chosen model (K={gm.n_components}, {gm.covariance_type}) re-seeded "
                      f"{gm.n_resets_} collapsed component(s) while fitting; see best_.resets_.",
                      DegenerateComponentWarning, stacklevel=2)
    return result


def _indexed(i, *args):
    return i, _fit_one(*args)


def _criteria(loglik, n_parameters, n_obs):
    return {"bic": float(-2.0 * loglik + n_parameters * np.log(n_obs)),
            "aic": float(-2.0 * loglik + 2.0 * n_parameters)}
