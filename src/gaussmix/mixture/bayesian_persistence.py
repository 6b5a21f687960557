"""Fitted :class:`~gaussmix.BayesianGaussianMixture` models to model documents and
back: :mod:`gaussmix.mixture.persistence`'s format (marker :data:`BAYES_FORMAT`),
with the posterior's and the prior's fields; every field checked for its type, dtype
and shape here, and the values by :mod:`gaussmix.mixture.model_checks`."""

from __future__ import annotations

import numpy as np

from ..covariance import get_structure
from ..io.model_file import (
    FLOAT_DTYPES,
    FieldError,
    decode_array,
    encode,
    expect_keys,
    read_bool,
    read_int,
    read_objective,
    write_document,
)
from ..variational import PRIOR_TYPES, VariationalPrior
from .model_checks import check_fitted_bayesian
from .persistence import (
    BAYES_FORMAT,
    VERSION,
    _json_safe_params,
    _read_feature_names,
    _read_params,
)

_ARRAYS = ("weights_", "means_", "covariances_", "precisions_cholesky_", "mean_precision_",
           "weight_concentration_", "degrees_of_freedom_")
_SCALARS = ("converged_", "n_iter_", "lower_bound_")
_TOP = ("format", "version", "params", "fitted", "lower_bounds_", "n_features_in_",
        "feature_names_in_", "prior_")
_PRIOR_FIELDS = ("prior_type", "weight_concentration", "mean_precision", "mean", "dof",
                 "covariance")


def _as_array(value):
    """A fitted value as an array: the stick-breaking ``(a, b)`` as one (2, K) array,
    a shared number of degrees of freedom as a 0-d one."""
    if isinstance(value, tuple):
        return np.vstack(value)
    return np.asarray(value, dtype=np.result_type(value, np.float32))


def to_document(model):
    """The JSON-safe document of a fitted variational mixture."""
    prior = model._prior
    fitted = {name: encode(_as_array(getattr(model, name))) for name in _ARRAYS}
    fitted.update({name: encode(getattr(model, name)) for name in _SCALARS})
    return {
        "format": BAYES_FORMAT,
        "version": VERSION,
        "params": _json_safe_params(model),
        "fitted": fitted,
        "lower_bounds_": [float(v) for v in model.lower_bounds_],
        "n_features_in_": int(model.n_features_in_),
        "feature_names_in_": (None if not hasattr(model, "feature_names_in_")
                              else [str(c) for c in model.feature_names_in_]),
        "prior_": {"prior_type": prior.prior_type,
                   "weight_concentration": float(prior.weight_concentration),
                   "mean_precision": float(prior.mean_precision),
                   "mean": encode(np.asarray(prior.mean, dtype=np.float64)),
                   "dof": float(prior.dof),
                   "covariance": encode(np.asarray(prior.covariance, dtype=np.float64))},
    }


def save_bayesian(model, path, *, force=None):
    """Write ``model`` to exactly ``path`` (atomically, as
    :func:`gaussmix.mixture.persistence.save_model`)."""
    write_document(to_document(model), path, force=force)


def _read_number(value, field):
    if type(value) not in (int, float) or not np.isfinite(value):
        raise FieldError(field, f"must be a finite number, got {str(value)[:40]!r}")
    return float(value)


def _read_prior(body, structure, n_features):
    """The fit's :class:`~gaussmix.variational.VariationalPrior` (types and shapes;
    the values are checked by :func:`check_fitted_bayesian`)."""
    expect_keys(body, _PRIOR_FIELDS, "prior_")
    if body["prior_type"] not in PRIOR_TYPES:
        raise FieldError("prior_.prior_type", f"must be one of "
                         f"{', '.join(repr(t) for t in PRIOR_TYPES)}, got "
                         f"{str(body['prior_type'])[:40]!r}")
    cov_shape = structure.wishart_prior_shape(n_features)
    cov = decode_array(body["covariance"], "prior_.covariance", FLOAT_DTYPES, cov_shape)
    return VariationalPrior(
        body["prior_type"],
        _read_number(body["weight_concentration"], "prior_.weight_concentration"),
        _read_number(body["mean_precision"], "prior_.mean_precision"),
        decode_array(body["mean"], "prior_.mean", FLOAT_DTYPES, (n_features,)),
        _read_number(body["dof"], "prior_.dof"),
        float(cov) if cov.ndim == 0 else cov)


def _read_fitted(model, fitted, n_features, prior):
    """The posterior's arrays and the run's scalars, each of its type, dtype and
    shape (the weights' concentrations as the fit's prior type has them)."""
    expect_keys(fitted, _ARRAYS + _SCALARS, "fitted")
    K = model.n_components
    structure = get_structure(model.covariance_type)
    cov_shape = structure.cov_shape(K, n_features)
    shapes = {"weights_": (K,), "means_": (K, n_features), "covariances_": cov_shape,
              "precisions_cholesky_": cov_shape, "mean_precision_": (K,),
              "weight_concentration_": (2, K) if prior.is_process else (K,),
              "degrees_of_freedom_": () if structure.shared else (K,)}
    for name in _ARRAYS:
        setattr(model, name, decode_array(fitted[name], f"fitted.{name}", FLOAT_DTYPES,
                                          shapes[name]))
    if prior.is_process:
        model.weight_concentration_ = tuple(model.weight_concentration_)
    if structure.shared:
        model.degrees_of_freedom_ = model.degrees_of_freedom_[()]
    model.converged_ = read_bool(fitted["converged_"], "fitted.converged_")
    model.n_iter_ = read_int(fitted["n_iter_"], "fitted.n_iter_")
    model.lower_bound_ = read_objective(fitted["lower_bound_"], "fitted.lower_bound_")


def _set_prior(model, prior):
    model._prior = prior
    model.weight_concentration_prior_ = prior.weight_concentration
    model.mean_precision_prior_ = prior.mean_precision
    model.mean_prior_ = prior.mean
    model.degrees_of_freedom_prior_ = prior.dof
    model.covariance_prior_ = prior.covariance


def restore_bayesian(doc, estimator_class):
    """The variational mixture a :data:`BAYES_FORMAT` document describes, every field
    checked (a :class:`~gaussmix.io.model_file.FieldError` naming the field)."""
    expect_keys(doc, _TOP, "")
    model, n_features = _read_params(doc, estimator_class, optional={})
    structure = get_structure(model.covariance_type)
    prior = _read_prior(doc["prior_"], structure, n_features)
    _read_fitted(model, doc["fitted"], n_features, prior)
    _set_prior(model, prior)
    model.n_features_in_ = n_features
    if not isinstance(doc["lower_bounds_"], list):
        raise FieldError("lower_bounds_", "must be a list of numbers")
    model.lower_bounds_ = [read_objective(v, "lower_bounds_") for v in doc["lower_bounds_"]]
    _read_feature_names(model, doc["feature_names_in_"])
    check_fitted_bayesian(model)
    return model
