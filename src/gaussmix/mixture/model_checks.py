"""Is a mixture read from a model file one that gaussmix could have made?

A model file is untrusted input: after :mod:`gaussmix.mixture.persistence` has read
its fields with the right types and shapes, the values are checked here before
anything is computed from them: constructor parameters as a fit checks them, finite
parameters, weights that are proportions, covariances and precision factors valid
for the covariance type and agreeing with each other, and finite log-densities.
Every violation is a :class:`~gaussmix.io.model_file.FieldError` naming the field.
"""

from __future__ import annotations

import numpy as np

from ..covariance import ConjugatePrior, get_structure
from ..engine import MixtureParams, logsumexp_rows, weighted_log_prob
from ..io.model_file import FieldError
from ..variational import PRIOR_TYPES, VariationalPosterior, log_predictive, resolve_prior
from .checks import check_means, check_precisions, check_weights

#: Relative disagreement always allowed between ``covariances_`` and the covariances
#: ``precisions_cholesky_`` gives; more is allowed for ill-conditioned matrices
#: (:func:`_tolerances`).
RTOL = 1e-6
#: Rounding allowance per unit of ``n_features * eps * condition number``.
SLACK = 10.0

_COV, _PREC = "fitted.covariances_", "fitted.precisions_cholesky_"


def _check_extra_parameters(model):
    """The constructor parameters ``_check_parameters`` leaves to ``fit``."""
    if type(model.warm_start) is not bool:
        raise ValueError(f"warm_start must be true or false, got {model.warm_start!r}.")
    if model.random_state is not None and not (
            type(model.random_state) is int and model.random_state >= 0):
        raise ValueError("random_state must be null or a non-negative integer, got "
                         f"{model.random_state!r}.")
    if type(model.verbose_interval) is not int:
        raise ValueError(f"verbose_interval must be an integer, got {model.verbose_interval!r}.")


def _check_prior(prior, field, n_features, fitted=False):
    """A prior (``params.prior`` or the fit's ``prior_``) that a fit with
    ``n_features`` columns accepts: hyper-parameters in range and of the data's
    width; the fit's own must be a :class:`~gaussmix.ConjugatePrior` or null."""
    if prior is None or (isinstance(prior, str) and not fitted):
        return
    if not isinstance(prior, ConjugatePrior):
        raise FieldError(field, "must be null or a conjugate prior")
    try:
        prior.check(n_features)
    except ValueError as exc:
        raise FieldError(field, str(exc).rstrip(".")) from None


def _check_init_arrays(model, n_features):
    """``weights_init``, ``means_init``, ``precisions_init`` as ``fit`` checks them."""
    K, cov_type = model.n_components, model.covariance_type
    checks = {"weights_init": lambda v: check_weights(v, K),
              "means_init": lambda v: check_means(v, K, n_features),
              "precisions_init": lambda v: check_precisions(v, cov_type, K, n_features)}
    for name, check in checks.items():
        value = getattr(model, name, None)  # variational mixtures have none
        if value is None:
            continue
        try:
            with np.errstate(all="ignore"):
                check(value)
        except (TypeError, ValueError) as exc:
            raise FieldError(f"params.{name}", str(exc).rstrip(".")) from None


def check_parameters(model, n_features):
    """Raise :class:`FieldError` unless every constructor parameter of ``model`` is one
    ``fit`` accepts with ``n_features`` columns (the message names the parameter)."""
    try:
        model._check_parameters()
        get_structure(model.covariance_type).check_n_features(n_features)
        _check_extra_parameters(model)
    except (TypeError, ValueError) as exc:
        raise FieldError("params", str(exc).rstrip(".")) from None
    _check_prior(getattr(model, "prior", None), "params.prior", n_features)
    _check_init_arrays(model, n_features)
    if hasattr(model, "weight_concentration_prior_type"):
        _check_variational_parameters(model, n_features)


def _check_variational_parameters(model, n_features):
    """The prior's hyper-parameters of a variational mixture, as ``fit`` resolves them
    (the data-dependent defaults from a stand-in of ``n_features`` columns)."""
    structure = get_structure(model.covariance_type)
    try:
        with np.errstate(all="ignore"):
            resolve_prior(model, np.zeros((2, n_features)), None, structure)
    except (TypeError, ValueError) as exc:
        raise FieldError("params", str(exc).rstrip(".")) from None


def _check_weights(weights, noise_weight=0.0):
    if (weights < 0).any():
        k = int(np.argmin(weights))
        raise FieldError("fitted.weights_", f"weight {k} is {weights[k]}, but weights "
                         "must be non-negative")
    total = float(weights.sum(dtype=np.float64))
    if abs(total + noise_weight - 1.0) > RTOL + weights.size * np.finfo(weights.dtype).eps:
        raise FieldError("fitted.weights_", f"the weights sum to {total!r}, not 1"
                         + (f" - noise_.weight ({noise_weight!r})" if noise_weight else ""))


def _check_dtypes(model):
    names = ("weights_", "means_", "covariances_", "precisions_cholesky_")
    dtypes = {str(getattr(model, name).dtype) for name in names}
    if len(dtypes) > 1:
        raise FieldError("fitted", f"the arrays mix dtypes {sorted(dtypes)}; they must share "
                         "one")


def _matrices(structure, values, n_features):
    """``values`` (float64) as a stack of (d, d) matrices, one per distinct covariance
    (the first where all components share one, however it is stored)."""
    n = 1 if structure.shared else values.shape[0]
    full = structure.to_full(values, n, n_features)
    return full.reshape(-1, n_features, n_features)[:n]


def _tolerances(structure, cov, n_features, eps):
    """Allowed relative disagreement per covariance: :data:`RTOL` plus rounding that
    grows with the matrix's condition number (elementwise for stored variances)."""
    if structure.stores_variances:
        return RTOL + SLACK * eps
    eig = np.linalg.eigvalsh(_matrices(structure, cov, n_features))
    return RTOL + SLACK * n_features * eps * (eig[:, -1] / eig[:, 0])


def _relative_errors(structure, a, b, n_features):
    """``|a - b| / |b|`` elementwise (stored variances) or per matrix (Frobenius)."""
    if structure.stores_variances:
        return np.abs(a - b) / np.abs(b)
    a, b = (_matrices(structure, m, n_features) for m in (a, b))
    return np.linalg.norm(a - b, axis=(1, 2)) / np.linalg.norm(b, axis=(1, 2))


def _is_valid(structure, mats, eps):
    """``structure.is_valid(mats, eps)`` (``eps``: the precision the file stored them
    in), False for values that overflow or do not converge."""
    if not np.isfinite(mats).all():
        return False
    try:
        return structure.is_valid(mats, eps)
    except np.linalg.LinAlgError:
        return False


def _covariances_from_factors(structure, prec_chol, eps):
    """The covariances ``prec_chol`` (float64) stands for, or a FieldError when it is
    not the factor of a positive-definite precision of the structure."""
    why = (f"is not a valid precision factor for covariance_type "
           f"{structure.name!r} (zero, singular, not positive definite or not of the "
           "model)")
    try:
        if not _is_valid(structure, structure.precisions(prec_chol), eps):
            raise FieldError(_PREC, why)
        cov = structure.covariance_from_precision_cholesky(prec_chol)
    except np.linalg.LinAlgError:
        raise FieldError(_PREC, why) from None
    if not np.isfinite(cov).all():
        raise FieldError(_PREC, why)
    return cov


def _check_covariances(model, structure, n_features):
    """Covariances valid for the type, precision factors valid and in the canonical
    form the structure makes (triangular, positive diagonal), and the two agreeing."""
    cov = model.covariances_.astype(np.float64)
    eps = float(np.finfo(model.covariances_.dtype).eps)
    if not _is_valid(structure, cov, eps):
        raise FieldError(_COV, f"must be {structure.requirement} for covariance_type "
                         f"{structure.name!r}")
    prec_chol = model.precisions_cholesky_.astype(np.float64)
    implied = _covariances_from_factors(structure, prec_chol, eps)
    tol = _tolerances(structure, cov, n_features, eps)
    if not (_relative_errors(structure, implied, cov, n_features) <= tol).all():
        raise FieldError(_COV, "disagrees with fitted.precisions_cholesky_; the two must "
                         "describe the same covariances")
    canonical, n_fixed = structure.precision_cholesky(implied)
    tol = _tolerances(structure, cov, n_features, float(np.finfo(np.float64).eps))
    errors = _relative_errors(structure, canonical, prec_chol, n_features)
    if n_fixed or not (errors <= tol).all():
        raise FieldError(_PREC, "is not in the form gaussmix computes it (the Cholesky "
                         "factor of the precision: triangular, positive diagonal)")


def _check_log_densities(model):
    """Log-densities at the means must be computable (no NaN, finite where the
    component has weight)."""
    params = MixtureParams(model.covariance_type, model.weights_, model.means_,
                           model.covariances_, model.precisions_cholesky_)
    logp = weighted_log_prob(model.means_, params)
    dens = logsumexp_rows(logp)
    if np.isnan(logp).any() or not np.isfinite(dens[model.weights_ > 0]).all():
        raise FieldError("fitted", "the parameters give no finite log-density at the means")


def check_fitted(model):
    """Raise :class:`FieldError` unless the fitted arrays of ``model`` (shapes and
    finiteness already checked) make a valid mixture; then set ``precisions_``."""
    structure = get_structure(model.covariance_type)
    _check_prior(getattr(model, "prior_", None), "prior_", model.means_.shape[1], fitted=True)
    _check_dtypes(model)
    _check_weights(model.weights_, getattr(model, "noise_weight_", 0.0))
    # values that overflow or do not converge fail the checks instead of warning
    with np.errstate(all="ignore"):
        _check_covariances(model, structure, model.means_.shape[1])
        _check_log_densities(model)
        model.precisions_ = structure.precisions(model.precisions_cholesky_)


def _check_variational_prior(prior, structure, n_features):
    """The fit's prior (also when not read from a file): a known type, positive concentration and mean precision,
    ``dof > n_features - 1`` and a covariance prior valid for the type."""
    if prior.prior_type not in PRIOR_TYPES:
        raise FieldError("prior_.prior_type", f"must be one of "
                         f"{', '.join(repr(t) for t in PRIOR_TYPES)}, got "
                         f"{str(prior.prior_type)[:40]!r}")
    for name in ("weight_concentration", "mean_precision"):
        if not getattr(prior, name) > 0:
            raise FieldError(f"prior_.{name}", f"must be > 0, got {getattr(prior, name)!r}")
    if not prior.dof > n_features - 1:
        raise FieldError("prior_.dof", f"must be > {n_features - 1} (n_features - 1), got "
                         f"{prior.dof!r}")
    try:
        structure.check_wishart_prior(prior.covariance, n_features, "covariance")
    except ValueError as exc:
        raise FieldError("prior_.covariance", str(exc).rstrip(".")) from None


def _check_posterior(model, n_features):
    """Positive concentrations and mean precisions, ``nu_k > n_features - 1``, and
    ``weights_`` the expected weights the concentrations give."""
    conc = np.asarray(model.weight_concentration_, dtype=np.float64)
    values = {"weight_concentration_": (conc, 0.0),
              "mean_precision_": (model.mean_precision_, 0.0),
              "degrees_of_freedom_": (np.asarray(model.degrees_of_freedom_), n_features - 1)}
    for name, (value, low) in values.items():
        if not (value > low).all():
            raise FieldError(f"fitted.{name}", f"must be > {low:g} throughout, got "
                             f"{float(np.min(value))!r}")
    expected = VariationalPosterior(model.weight_concentration_, None, None, None, None,
                                    None).weights(model._prior)
    if not np.allclose(model.weights_, expected, rtol=RTOL, atol=RTOL * 1e-3):
        raise FieldError("fitted.weights_", "disagrees with fitted.weight_concentration_; "
                         "the weights must be the posterior's expected weights")


def check_fitted_bayesian(model):
    """Raise :class:`FieldError` unless a variational mixture read from a file (shapes
    and finiteness already checked) is one a fit could have made: its prior, its
    posterior and its plug-in mixture valid (:func:`check_fitted`), and a finite
    posterior predictive density at the means."""
    structure = get_structure(model.covariance_type)
    n_features = model.means_.shape[1]
    _check_variational_prior(model._prior, structure, n_features)
    with np.errstate(all="ignore"):
        _check_posterior(model, n_features)
    check_fitted(model)
    with np.errstate(all="ignore"):
        try:
            dens = log_predictive(model.means_, model._posterior(), model._prior, structure)
        except np.linalg.LinAlgError:
            dens = np.array([np.nan])
    if not np.isfinite(dens).all():
        raise FieldError("fitted", "the posterior gives no finite predictive density at "
                         "the means")
