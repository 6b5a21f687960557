"""mclust's ``MclustDA``: one Gaussian mixture per class, each with its own number of
components and covariance model (given, or chosen by BIC with :func:`gaussmix.select`)."""

from __future__ import annotations

import inspect
import warnings

import numpy as np

from ..engine import ArraySource, chunk_size_for, data_scale
from ..mixture import GaussianMixture
from ..selection import select
from ..selection.fitting import quiet_fit_warnings
from ..selection.singular import singular
from ..utils.missing import complete_with_column_means
from ..utils.random import seed_from

#: mclust's ``MclustDA`` default: ``G = 1:5`` components per class.
BIC_COMPONENTS = range(1, 6)

#: The :class:`~gaussmix.GaussianMixture` parameters a classifier passes on to every
#: class's mixture (``n_components`` and ``covariance_type`` are chosen per class;
#: the ``*_init`` and ``warm_start`` parameters describe one mixture, not one per class).
SHARED_PARAMS = ("tol", "reg_covar", "max_iter", "n_init", "init_params", "verbose",
                 "chunk_size", "n_jobs", "prior", "missing")


def _defaults():
    signature = inspect.signature(GaussianMixture.__init__)
    return {name: signature.parameters[name].default for name in SHARED_PARAMS}


def changed_params(params):
    """The entries of ``params`` that differ from :class:`~gaussmix.GaussianMixture`'s
    defaults. Why: :func:`~gaussmix.select` screens its candidates with a looser
    ``tol`` and one shared agglomeration unless ``tol`` or ``init_params`` are given;
    passing the defaults explicitly would make every candidate a full "auto" fit.

    Examples
    --------
    >>> changed_params({"tol": 1e-5, "max_iter": 50, "prior": None})
    {'max_iter': 50}
    """
    defaults = _defaults()
    return {name: value for name, value in params.items()
            if not (value is defaults[name] or (isinstance(value, (int, float, str))
                                                and value == defaults[name]
                                                and type(value) is type(defaults[name])))}


def candidate_components(n_components, n_rows):
    """The numbers of components a class of ``n_rows`` rows tries: those of
    ``n_components`` ("bic": 1 to 5, or an iterable) that are at most ``n_rows``,
    or 1 (a class with fewer rows than every candidate still gets a density).

    Examples
    --------
    >>> candidate_components("bic", 3), candidate_components((2, 4), 1)
    ([1, 2, 3], [1])
    """
    ks = BIC_COMPONENTS if isinstance(n_components, str) else n_components
    ks = [int(k) for k in np.atleast_1d(ks) if int(k) <= n_rows]
    return ks or [1]


def fit_class(X, w, n_components, covariance_types, params, rng):
    """The mixture of one class's rows ``X`` (weights ``w`` or None).

    One number of components and one covariance type: one
    :class:`~gaussmix.GaussianMixture` fit (with fewer components if the class has
    fewer rows). Otherwise :func:`~gaussmix.select` over the candidates, and the
    candidate of lowest BIC whose covariances are regular (:func:`singular`).

    Returns
    -------
    gm : GaussianMixture
    table : pandas.DataFrame or None
        The BIC table of the candidates (None: one candidate, nothing chosen).
    """
    ks = candidate_components(n_components,
                              X.shape[0] if w is None else int(np.count_nonzero(w)))
    seed = seed_from(rng)
    if len(ks) == 1 and len(covariance_types) == 1:
        gm = GaussianMixture(ks[0], covariance_type=covariance_types[0], random_state=seed,
                             **params)
        return gm.fit(X, sample_weight=w), None
    with warnings.catch_warnings():
        # select warns about its own best candidate, which may not be the one kept
        quiet_fit_warnings()
        result = select(X, ks, covariance_types, "bic", sample_weight=w, random_state=seed,
                        progress=False, **changed_params(params))
    # missing="em": the scale of the mean-completed rows, as each fit's own
    scale = data_scale(ArraySource(complete_with_column_means(X, w), w),
                       chunk_size_for(X.shape[0], 1, X.shape[1], X.dtype.itemsize))
    table = result.table_.assign(singular=[singular(gm, scale, X.dtype)
                                           for gm in result.models_])
    n_obs = X.shape[0] if w is None else float(np.sum(w))
    return result.models_[_best_usable(table, n_obs)], table


def _best_usable(table, n_obs):
    """Row of the lowest BIC among the usable candidates: regular (not
    :func:`singular`) and with fewer free parameters than rows (all of them if none
    is usable).

    Why the second rule: BIC approximates the evidence when the rows far outnumber
    the parameters; a candidate with as many parameters as rows (on a class of 33
    rows in 3-D, four EVV components take 36) can still have a finite likelihood
    and the lowest BIC, and it classifies new rows worse. mclust rarely meets such a
    candidate only because its EM reaches a singular covariance first.
    """
    usable = ~table["singular"] & (table["n_parameters"] < n_obs)
    return int((table[usable] if usable.any() else table)["bic"].idxmin())
