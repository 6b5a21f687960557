"""Fitting a selection's candidates: serially or in workers, a failed fit kept as an
empty cell with its reason instead of ending the whole selection."""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np

from ..init import AgglomerationCache
from ..mixture import DegenerateComponentWarning, GaussianMixture, criteria
from ..utils.progress import progress_bar  # noqa: F401  (search and lrt import it from here)

#: What a candidate's fit may raise on awkward data (a singular system, a failed
#: factorisation, values out of range): the candidate becomes an empty cell with the
#: message as its reason. Mistakes in the arguments are caught before any fit.
FIT_ERRORS = (ValueError, ArithmeticError, np.linalg.LinAlgError)


class Fitted(NamedTuple):
    """One fitted candidate and what the table needs of it (``gm`` None: the fit
    failed, for ``reason``)."""

    gm: GaussianMixture | None
    #: total (weighted) log-likelihood
    loglik: float
    #: sum over rows of (weight times) the log of the largest responsibility (ICL)
    log_max_resp: float
    #: rows (total weight) each component takes by its largest responsibility
    sizes: np.ndarray | None
    #: why the fit failed ("" when it did not)
    reason: str = ""


def failed(err):
    """The :class:`Fitted` of a candidate whose fit raised ``err``."""
    return Fitted(None, np.nan, np.nan, None, f"{type(err).__name__}: {err}")


def quiet_fit_warnings():
    from sklearn.exceptions import ConvergenceWarning

    warnings.simplefilter("ignore", ConvergenceWarning)
    warnings.simplefilter("ignore", DegenerateComponentWarning)


def evaluate(gm, X, w):
    """The candidate's log-likelihood, ICL term and cluster sizes on ``X``, where the
    fit ran (a worker process returns them with the model)."""
    n = X.shape[0] if w is None else float(np.sum(w))
    log_resp = gm._log_resp(gm._check_X_predict(X))
    sizes = np.bincount(np.argmax(log_resp, axis=1), weights=w, minlength=gm.n_components)
    return Fitted(gm, gm.score(X, sample_weight=w) * n, criteria.sum_log_max_resp(log_resp, w),
                  sizes)


def fit_one(X, w, K, covariance_type, seed, params, cache, own_warnings):
    """Fit one candidate; return it as :class:`Fitted` (failed: see :data:`FIT_ERRORS`)."""
    def work():
        gm = GaussianMixture(K, covariance_type=covariance_type, random_state=seed, **params)
        try:
            gm._fit(X, w, cache=cache)
            return evaluate(gm, X, w)
        except FIT_ERRORS as err:
            return failed(err)

    if not own_warnings:
        return work()
    with warnings.catch_warnings():  # in a worker process: safe to change filters
        quiet_fit_warnings()
        return work()


def _indexed(i, *args):
    return i, fit_one(*args)


def stream(Xfit, w, candidates, order, seed, params, cache, jobs, backend):
    """``(index, Fitted)`` pairs as the fits of ``candidates[i] for i in order`` finish."""
    from joblib import Parallel, delayed

    if jobs == 1:
        return ((i, fit_one(Xfit, w, candidates[i][1], candidates[i][0], seed, params,
                            cache, False)) for i in order)
    own = backend == "processes"
    par = Parallel(n_jobs=jobs, backend="loky" if own else "threading",
                   return_as="generator_unordered")
    return par(delayed(_indexed)(i, Xfit, w, candidates[i][1], candidates[i][0], seed, params,
                                 cache, own) for i in order)


def warm_cache(X, w, seed, params):
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
        quiet_fit_warnings()
        try:
            probe._fit(X, w, cache=cache)
        except (ValueError, TypeError):
            pass  # the candidates will report the problem themselves
    return cache
