"""mclust's ``EDDA``: one Gaussian per class, all classes under one covariance model
(``EEE``: a covariance shared by the classes, linear discriminant analysis; ``VVV``:
one per class, quadratic discriminant analysis; or any of the other twelve), the
model chosen by BIC.

The labels are known, so this is a mixture's M-step with the one-hot labels as
responsibilities: the classes are the components. Iterative M-steps (VEI, VEE, EVE,
...) are repeated from their previous covariances until the complete-data
log-likelihood settles; each repetition can only raise it.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..covariance import get_structure
from ..covariance.linalg import collapse_tol
from ..engine import (ArraySource, MixtureParams, chunk_size_for, data_scale, m_step,
                      stats_from_resp, weighted_log_prob)
from ..init import one_hot
from ..mixture import criteria

#: Repetitions of an iterative M-step at most, and the change of the complete-data
#: log-likelihood per unit weight below which they stop. Measured: VVE and EVE on
#: wine (13 columns) settle after about 2300 and 1900 repeats (100 stopped short,
#: 9 log-likelihood units lower); VEI, VEE, VEV after 2.
MAX_REPEATS = 3000
REPEAT_TOL = 1e-10


class EddaFit(NamedTuple):
    """One covariance model fitted to labelled rows (``params`` None: it collapsed)."""

    covariance_type: str
    params: MixtureParams | None
    log_likelihood: float
    n_parameters: int
    bic: float
    note: str = ""
    #: M-steps made (repeated for the iterative models until the fit settled)
    n_iter: int = 1


def complete_log_likelihood(X, w, labels, params):
    """``sum_n w_n log N(x_n | mu_{y_n}, Sigma_{y_n})``: each row under its own class."""
    K = params.means.shape[0]
    logp = weighted_log_prob(X, params, log_prior=np.zeros(K))
    own = logp[np.arange(X.shape[0]), labels]
    return float(np.sum(own if w is None else own * w))


def fit_model(X, w, labels, n_classes, covariance_type, reg_covar, scale):
    """The one-Gaussian-per-class fit of one covariance model, as :class:`EddaFit`.

    A model under which some class's covariance is singular (fewer rows than the
    model needs, or rows on a line) is not fitted (``params`` None, the reason in
    ``note``), as mclust gives such a model no BIC: ``reg_covar`` alone would give
    it an unbounded likelihood and BIC would choose it. ``scale`` None: no such test
    (singular covariances are kept, held finite by ``reg_covar``).
    """
    structure = get_structure(covariance_type)
    resp = one_hot(labels, n_classes, X.dtype)
    mass = resp.T @ (np.ones(X.shape[0]) if w is None else w)
    ref = (resp.T @ (X if w is None else X * w[:, None])) / mass[:, None]
    stats = stats_from_resp(X, w, resp, ref, structure)
    total = float(mass.sum())
    start, previous = None, -np.inf
    for n_iter in range(1, MAX_REPEATS + 1):
        _, means, cov_raw, cov = m_step(stats, structure, reg_covar, start)
        if scale is not None and structure.collapsed(cov_raw, n_classes, scale,
                                                     collapse_tol(X.dtype)).any():
            return _collapsed(covariance_type, n_classes, X.shape[1])
        params = MixtureParams.from_covariances(covariance_type, mass / total, means, cov)
        loglik = complete_log_likelihood(X, w, labels, params)
        if loglik - previous <= REPEAT_TOL * total or structure.m_step_start(cov) is None:
            break
        start, previous = structure.m_step_start(cov), loglik
    p = _n_density_parameters(structure, n_classes, X.shape[1])
    return EddaFit(covariance_type, params, loglik, p, criteria.bic(loglik, p, total),
                   n_iter=n_iter)


def _n_density_parameters(structure, n_classes, n_features):
    """Free parameters of the class densities: the mixture's less its K - 1 weights
    (the class priors are not part of the density; mclust counts them so too)."""
    return int(structure.n_parameters(n_classes, n_features) - (n_classes - 1))


def _collapsed(covariance_type, n_classes, n_features):
    p = _n_density_parameters(get_structure(covariance_type), n_classes, n_features)
    return EddaFit(covariance_type, None, np.nan, p, np.nan,
                   "a class's covariance is singular under this model")


def fit_edda(X, w, labels, n_classes, covariance_types, reg_covar):
    """Every covariance model's :class:`EddaFit`, and the position of the one with the
    lowest BIC.

    If every model is singular (classes of a row or two), the model with the fewest
    parameters is refitted with its collapsed covariances held finite by
    ``reg_covar``, so that tiny classes still get a density.

    Returns
    -------
    fits : list of EddaFit
    best : int

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> X, y = load_iris(return_X_y=True)
    >>> fits, best = fit_edda(X, None, y, 3, ["EEE", "VVV", "VEV"], 1e-6)
    >>> fits[best].covariance_type, fits[best].n_parameters
    ('VEV', 36)
    """
    source = ArraySource(X, w)
    scale = data_scale(source, chunk_size_for(X.shape[0], 1, X.shape[1], X.dtype.itemsize))
    fits = [fit_model(X, w, labels, n_classes, t, reg_covar, scale) for t in covariance_types]
    bics = np.array([f.bic for f in fits])
    if np.isfinite(bics).any():
        return fits, int(np.nanargmin(bics))
    best = int(np.argmin([f.n_parameters for f in fits]))
    fits[best] = _fit_regularised(X, w, labels, n_classes, covariance_types[best], reg_covar)
    return fits, best


def _fit_regularised(X, w, labels, n_classes, covariance_type, reg_covar):
    """:func:`fit_model` with no collapse test: singular covariances kept, held
    finite by ``reg_covar`` (noted in the fit)."""
    fit = fit_model(X, w, labels, n_classes, covariance_type, reg_covar, None)
    return fit._replace(note="singular covariances held finite by reg_covar")
