"""Fitted mixtures to model documents and back (JSON; no pickle, nothing executed).

The file format itself (marker, version, array encoding, atomic write, reading
limits) is :mod:`gaussmix.io.model_file`'s. Reading, every field is checked for
its type, dtype and shape here before an array is built, and the values by
:mod:`gaussmix.mixture.model_checks` before anything is computed.
"""

from __future__ import annotations

import os

import numpy as np

from ..covariance import ConjugatePrior, get_structure
from ..engine.online import DEFAULT_STEP_EXPONENT
from ..io.model_file import (
    FLOAT_DTYPES,
    MAX_MODEL_BYTES,
    FieldError,
    bad_file,
    decode_array,
    encode,
    expect_keys,
    read_bool,
    read_document,
    read_int,
    read_objective,
    write_document,
)
from .fixed import fixed_names
from .model_checks import check_fitted, check_parameters
from .noise_persistence import noise_document, read_noise

FORMAT = "gaussmix.GaussianMixture"
#: The format marker of :class:`~gaussmix.BayesianGaussianMixture` documents
#: (:mod:`gaussmix.mixture.bayesian_persistence`).
BAYES_FORMAT = "gaussmix.BayesianGaussianMixture"
VERSION = 1

_ARRAYS = ("weights_", "means_", "covariances_", "precisions_cholesky_")
_SCALARS = ("converged_", "n_iter_", "lower_bound_", "n_resets_")
_TOP = ("format", "version", "params", "fitted", "lower_bounds_", "resets_",
        "n_features_in_", "feature_names_in_", "prior_", "noise_")
#: Keys files written before MAP estimation (or the noise component) lack, and the
#: value they stand for; documents leave them out at these values.
_OPTIONAL = {"prior_": None, "noise_": None}
_OPTIONAL_PARAMS = {"prior": None, "noise": False, "noise_volume": None, "missing": None,
                    "online_step_exponent": DEFAULT_STEP_EXPONENT, "fixed": None}
_PRIOR_FIELDS = ("shrinkage", "mean", "dof", "scale", "weight_concentration")
#: Array parameters (``means_init``, ...) keep the dtype the user gave them, so files
#: may hold integer ones; their values are checked as ``fit`` checks them.
_PARAM_DTYPES = FLOAT_DTYPES + ("int64", "int32")


def _json_safe_params(model):
    out = {}
    for key, value in model.get_params(deep=False).items():
        if key in _OPTIONAL_PARAMS and value is _OPTIONAL_PARAMS[key]:
            continue  # documents without a prior or noise stay as they were before
        value = encode(value) if isinstance(value, np.generic) else value
        if key == "fixed":  # names of held parameters, a list of strings
            out[key] = list(fixed_names(value))
        elif isinstance(value, ConjugatePrior):
            out[key] = prior_document(value)
        elif isinstance(value, np.ndarray):
            out[key] = {"array": encode(value)}
        elif isinstance(value, (list, tuple)):
            out[key] = {"array": encode(np.asarray(value, dtype=np.float64))}
        elif value is None or isinstance(value, (bool, int, float, str)):
            out[key] = value
        else:  # e.g. a numpy Generator as random_state: not restorable, stored as None
            out[key] = None
    return out


def to_document(model):
    """The JSON-safe document of a fitted mixture (``prior_`` only for MAP fits, so
    maximum-likelihood documents are those of earlier versions)."""
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "params": _json_safe_params(model),
        "fitted": {name: encode(getattr(model, name)) for name in _ARRAYS + _SCALARS},
        "lower_bounds_": [float(v) for v in model.lower_bounds_],
        "resets_": [list(r) for r in model.resets_],
        "n_features_in_": int(model.n_features_in_),
        "feature_names_in_": (None if not hasattr(model, "feature_names_in_")
                              else [str(c) for c in model.feature_names_in_]),
    }
    if getattr(model, "prior_", None) is not None:
        doc["prior_"] = prior_document(model.prior_)
    if noise_document(model) is not None:
        doc["noise_"] = noise_document(model)
    return doc


def prior_document(prior):
    """The JSON-safe form of a :class:`~gaussmix.ConjugatePrior` (arrays encoded
    exactly, as the fitted arrays)."""
    return {"conjugate_prior": {"shrinkage": prior.shrinkage, "mean": encode(prior.mean),
                                "dof": prior.dof, "scale": encode(prior.scale),
                                "weight_concentration": prior.weight_concentration}}


def read_prior(value, field):
    """A prior from its document form: null, a name (checked with the other
    parameters) or a :func:`prior_document`, every field checked as the constructor
    checks it."""
    if value is None or isinstance(value, str):
        return value
    expect_keys(value, ("conjugate_prior",), field)
    body = value["conjugate_prior"]
    expect_keys(body, _PRIOR_FIELDS, f"{field}.conjugate_prior")
    args = {}
    for key in _PRIOR_FIELDS:
        item, where = body[key], f"{field}.conjugate_prior.{key}"
        if key in ("mean", "scale"):
            args[key] = decode_array(item, where, FLOAT_DTYPES)
        elif type(item) not in (int, float):
            raise FieldError(where, f"must be a number, got {str(item)[:40]!r}")
        else:
            args[key] = item
    try:
        return ConjugatePrior(**args)
    except ValueError as exc:
        raise FieldError(field, str(exc).rstrip(".")) from None


def save_model(model, path, *, force=None):
    """Write ``model`` to exactly ``path`` (atomically: temporary file, then rename;
    ``force``: replace a read-only file)."""
    write_document(to_document(model), path, force=force)


def _param(key, value):
    """One constructor parameter from its document form (an encoded array or a
    JSON scalar; the value itself is checked later)."""
    field = f"params.{key}"
    if key == "prior":
        return read_prior(value, field)
    if key == "fixed":
        if value is not None and not (isinstance(value, list)
                                      and all(isinstance(v, str) for v in value)):
            raise FieldError(field, "must be null or a list of parameter names")
        return value if value is None else tuple(value)
    if isinstance(value, dict):
        expect_keys(value, ("array",), field)
        return decode_array(value["array"], field, _PARAM_DTYPES)
    if isinstance(value, list):
        raise FieldError(field, "must be a number, a string, true, false, null or an "
                         "encoded array")
    return value


def _read_params(doc, estimator_class, optional=_OPTIONAL_PARAMS):
    """The checked estimator a document's parameters describe (not yet fitted);
    ``optional``: parameters earlier files lack, and the values they stand for."""
    names = tuple(estimator_class().get_params(deep=False))
    if isinstance(doc["params"], dict):
        doc["params"] = {**optional, **doc["params"]}
    expect_keys(doc["params"], names, "params")
    model = estimator_class(**{k: _param(k, v) for k, v in doc["params"].items()})
    n_features = read_int(doc["n_features_in_"], "n_features_in_", low=1)
    check_parameters(model, n_features)
    return model, n_features


def _read_fitted(model, fitted, n_features):
    """The fitted arrays and scalars, each of its type, dtype and shape."""
    expect_keys(fitted, _ARRAYS + _SCALARS, "fitted")
    K = model.n_components
    cov_shape = get_structure(model.covariance_type).cov_shape(K, n_features)
    shapes = {"weights_": (K,), "means_": (K, n_features), "covariances_": cov_shape,
              "precisions_cholesky_": cov_shape}
    for name in _ARRAYS:
        setattr(model, name, decode_array(fitted[name], f"fitted.{name}", FLOAT_DTYPES,
                                          shapes[name]))
    model.converged_ = read_bool(fitted["converged_"], "fitted.converged_")
    model.n_iter_ = read_int(fitted["n_iter_"], "fitted.n_iter_")
    model.lower_bound_ = read_objective(fitted["lower_bound_"], "fitted.lower_bound_")
    model.n_resets_ = read_int(fitted["n_resets_"], "fitted.n_resets_")


def _read_history(model, doc):
    """``lower_bounds_`` and ``resets_``: lists of numbers and of (iteration,
    component) pairs."""
    if not isinstance(doc["lower_bounds_"], list):
        raise FieldError("lower_bounds_", "must be a list of numbers")
    model.lower_bounds_ = [read_objective(v, "lower_bounds_") for v in doc["lower_bounds_"]]
    resets = doc["resets_"]
    if not isinstance(resets, list) or not all(isinstance(r, list) and len(r) == 2
                                               for r in resets):
        raise FieldError("resets_", "must be a list of [iteration, component] pairs")
    model.resets_ = [(read_int(i, "resets_"), read_int(k, "resets_")) for i, k in resets]
    if any(k >= model.n_components for _, k in model.resets_):
        raise FieldError("resets_", "names a component the model does not have")


def _read_feature_names(model, names):
    if names is None:
        return
    if not isinstance(names, list) or len(names) != model.n_features_in_ \
            or not all(isinstance(n, str) for n in names):
        raise FieldError("feature_names_in_", f"must be null or a list of "
                         f"{model.n_features_in_} strings")
    model.feature_names_in_ = np.asarray(names, dtype=object)


def _restore(doc, estimator_class):
    """The estimator a document describes, every field checked."""
    if isinstance(doc, dict):
        doc = {**_OPTIONAL, **doc}
    expect_keys(doc, _TOP, "")
    model, n_features = _read_params(doc, estimator_class)
    _read_fitted(model, doc["fitted"], n_features)
    model.n_features_in_ = n_features
    _read_history(model, doc)
    _read_feature_names(model, doc["feature_names_in_"])
    model.prior_ = read_prior(doc["prior_"], "prior_")
    read_noise(model, doc["noise_"], n_features)
    check_fitted(model)
    return model


def load_model(path, estimator_class, max_bytes=MAX_MODEL_BYTES, variational=None):
    """Read a model written by :func:`save_model`, checked as untrusted input.

    Parameters
    ----------
    path : str or os.PathLike
    estimator_class : type
        The class the document's parameters are passed to.
    max_bytes : int, default=MAX_MODEL_BYTES
        Larger files are refused before they are read.
    variational : (type, callable) or None, default=None
        The class of :data:`BAYES_FORMAT` documents and the function that restores
        one (``restore(doc, cls)``, raising FieldError); None reads only
        :data:`FORMAT` ones.

    Returns
    -------
    estimator : estimator_class or the variational class

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not a regular file, is larger than ``max_bytes``, is not a
        gaussmix model (a pickle, truncated or malformed JSON, a newer format
        version), or any field is missing, malformed or invalid (the message names
        the field). Nothing in the file is ever executed.
    """
    path = os.fspath(path)
    formats = (FORMAT,) if variational is None else (FORMAT, BAYES_FORMAT)
    doc = read_document(path, formats, VERSION, max_bytes)
    try:
        if doc["format"] == BAYES_FORMAT:
            variational_class, restore = variational
            return restore(doc, variational_class)
        return _restore(doc, estimator_class)
    except FieldError as exc:
        raise bad_file(path, str(exc)) from None
