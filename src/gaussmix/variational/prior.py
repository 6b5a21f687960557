"""The prior of variational Bayes: its hyper-parameters, checked, with scikit-learn's
defaults computed from the data."""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

#: The two priors on the weights, in scikit-learn's names.
PRIOR_TYPES = ("dirichlet_process", "dirichlet_distribution")


@dataclass
class VariationalPrior:
    """Hyper-parameters of the prior (scikit-learn's ``*_prior_`` attributes).

    Attributes
    ----------
    prior_type : {"dirichlet_process", "dirichlet_distribution"}
        Stick-breaking (truncated at K) or a symmetric Dirichlet on the weights.
    weight_concentration : float
        ``gamma_0`` of the Dirichlet process, ``alpha_0`` of the Dirichlet.
    mean_precision : float
        ``beta_0``: the means' prior is ``N(m_0, (beta_0 Lambda_k)^-1)``.
    mean : ndarray of shape (n_features,)
        ``m_0``.
    dof : float
        ``nu_0``, the Wishart's degrees of freedom (> n_features - 1).
    covariance : float or ndarray
        ``Psi_0``, the Wishart's inverse scale, in the covariance type's layout.
    """

    prior_type: str
    weight_concentration: float
    mean_precision: float
    mean: np.ndarray
    dof: float
    covariance: object

    @property
    def is_process(self):
        """Whether the weights have the Dirichlet process (stick-breaking) prior."""
        return self.prior_type == PRIOR_TYPES[0]


def _positive(value, name, low=0.0, what="a positive number (> 0)"):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or \
            not np.isfinite(value) or not value > low:
        raise ValueError(f"The parameter '{name}' should be {what}, but got {value!r}.")
    return float(value)


def check_prior_type(prior_type):
    """``prior_type`` if it is one of :data:`PRIOR_TYPES`, else a ValueError."""
    if not isinstance(prior_type, str) or prior_type not in PRIOR_TYPES:
        raise ValueError(f"The parameter 'weight_concentration_prior_type' should be one of "
                         f"{', '.join(repr(t) for t in PRIOR_TYPES)}, but got "
                         f"{prior_type!r}.")
    return prior_type


def resolve_prior(est, X, w, structure):
    """The :class:`VariationalPrior` of estimator ``est``'s parameters on data ``X``
    (row weights ``w`` or None), with scikit-learn's defaults: concentration
    ``1 / n_components``, mean precision 1, the data's mean, ``n_features`` degrees
    of freedom and the data's covariance (in the type's layout).

    Raises
    ------
    ValueError
        Naming the parameter and its allowed range.
    """
    d = X.shape[1]
    conc = est.weight_concentration_prior
    conc = 1.0 / est.n_components if conc is None else _positive(
        conc, "weight_concentration_prior")
    beta = est.mean_precision_prior
    beta = 1.0 if beta is None else _positive(beta, "mean_precision_prior")
    if est.mean_prior is None:
        mean = np.average(X, axis=0, weights=w).astype(np.float64)
    else:
        mean = np.asarray(est.mean_prior, dtype=np.float64)
        if mean.shape != (d,) or not np.all(np.isfinite(mean)):
            raise ValueError(f"The parameter 'mean_prior' should be {d} finite numbers "
                             f"(shape ({d},), one per feature), but got shape {mean.shape}.")
    dof = est.degrees_of_freedom_prior
    dof = float(d) if dof is None else _positive(
        dof, "degrees_of_freedom_prior", d - 1.0, f"greater than {d - 1} (n_features - 1)")
    if est.covariance_prior is None:
        cov = structure.wishart_default_prior(X, w)
    else:
        cov = structure.check_wishart_prior(est.covariance_prior, d, "covariance_prior")
    return VariationalPrior(check_prior_type(est.weight_concentration_prior_type), conc,
                            beta, mean, dof, cov)
