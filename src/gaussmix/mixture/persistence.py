"""Fitted mixtures to model documents and back (JSON; no pickle, nothing executed).

The file format itself (marker, version, array encoding, atomic write) is
:mod:`gaussmix.io.model_file`'s.
"""

from __future__ import annotations

import os

import numpy as np

from ..covariance import get_structure
from ..io.model_file import (
    ModelFileError,
    bad_file,
    decode_array,
    encode,
    read_document,
    write_document,
)

FORMAT = "gaussmix.GaussianMixture"
VERSION = 1

_ARRAYS = ("weights_", "means_", "covariances_", "precisions_cholesky_")
_SCALARS = ("converged_", "n_iter_", "lower_bound_", "n_resets_")


def _json_safe_params(model):
    out = {}
    for key, value in model.get_params(deep=False).items():
        if isinstance(value, np.ndarray):
            out[key] = {"array": encode(value)}
        elif isinstance(value, (list, tuple)):
            out[key] = {"array": encode(np.asarray(value, dtype=np.float64))}
        elif value is None or isinstance(value, (bool, int, float, str)):
            out[key] = value
        else:  # e.g. a numpy Generator as random_state: not restorable, stored as None
            out[key] = None
    return out


def to_document(model):
    """The JSON-safe document of a fitted mixture."""
    return {
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


def save_model(model, path):
    """Write ``model`` to exactly ``path`` (atomically: temporary file, then rename)."""
    write_document(to_document(model), path)


def _restore(doc, path, estimator_class):
    """The estimator a document describes (fields read, shapes not yet checked)."""
    params = dict(doc["params"])
    fitted = doc["fitted"]
    for key, value in params.items():
        if isinstance(value, dict):
            params[key] = decode_array(value["array"], path, key)
    model = estimator_class(**params)
    for name in _ARRAYS:
        setattr(model, name, decode_array(fitted[name], path, name))
    model.converged_ = bool(fitted["converged_"])
    model.n_iter_ = int(fitted["n_iter_"])
    model.lower_bound_ = float(fitted["lower_bound_"])
    model.n_resets_ = int(fitted["n_resets_"])
    model.lower_bounds_ = [float(v) for v in doc["lower_bounds_"]]
    model.resets_ = [tuple(int(i) for i in r) for r in doc["resets_"]]
    model.n_features_in_ = int(doc["n_features_in_"])
    if doc.get("feature_names_in_") is not None:
        model.feature_names_in_ = np.asarray(doc["feature_names_in_"], dtype=object)
    return model


def _check_shapes(model, path):
    model._check_parameters()
    structure = get_structure(model.covariance_type)
    K, d = model.means_.shape
    shape = structure.cov_shape(K, d)
    if model.covariances_.shape != shape or model.weights_.shape != (K,) \
            or model.precisions_cholesky_.shape != shape or d != model.n_features_in_:
        raise bad_file(path, "parameter shapes do not agree")
    model.precisions_ = structure.precisions(model.precisions_cholesky_)


def load_model(path, estimator_class):
    """Read a model written by :func:`save_model`.

    Parameters
    ----------
    path : str or os.PathLike
    estimator_class : type
        The class the document's parameters are passed to.

    Returns
    -------
    estimator : estimator_class

    Raises
    ------
    ValueError
        If the file is not a gaussmix model (a pickle, truncated or malformed JSON,
        or a newer format version). Nothing in the file is ever executed.
    """
    path = os.fspath(path)
    doc = read_document(path, FORMAT, VERSION)
    try:
        model = _restore(doc, path, estimator_class)
        _check_shapes(model, path)
    except ModelFileError:
        raise
    except ValueError as exc:
        raise bad_file(path, str(exc)) from exc
    except (KeyError, TypeError, AttributeError) as exc:
        raise bad_file(path, f"missing or malformed field {exc}") from exc
    return model
