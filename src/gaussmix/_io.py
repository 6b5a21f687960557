"""Saving and loading fitted mixtures as JSON: no pickle, nothing executed on load."""

from __future__ import annotations

import json
import os
import tempfile

import numpy as np

FORMAT = "gaussmix.GaussianMixture"
VERSION = 1

_ARRAYS = ("weights_", "means_", "covariances_", "precisions_cholesky_")
_SCALARS = ("converged_", "n_iter_", "lower_bound_", "n_resets_")


def _encode(value):
    if isinstance(value, np.ndarray):
        return {"dtype": str(value.dtype), "shape": list(value.shape),
                "data": [float(v) for v in value.ravel()]}
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value


def _json_safe_params(model):
    out = {}
    for key, value in model.get_params(deep=False).items():
        if isinstance(value, np.ndarray):
            out[key] = {"array": _encode(value)}
        elif isinstance(value, (list, tuple)):
            out[key] = {"array": _encode(np.asarray(value, dtype=np.float64))}
        elif value is None or isinstance(value, (bool, int, float, str)):
            out[key] = value
        else:  # e.g. a numpy Generator as random_state: not restorable, stored as None
            out[key] = None
    return out


def save_model(model, path):
    """Write ``model`` to exactly ``path`` (atomically: temporary file, then rename)."""
    doc = {
        "format": FORMAT,
        "version": VERSION,
        "params": _json_safe_params(model),
        "fitted": {name: _encode(getattr(model, name)) for name in _ARRAYS + _SCALARS},
        "lower_bounds_": [float(v) for v in model.lower_bounds_],
        "resets_": [list(r) for r in model.resets_],
        "n_features_in_": int(model.n_features_in_),
        "feature_names_in_": (None if not hasattr(model, "feature_names_in_")
                              else [str(c) for c in model.feature_names_in_]),
    }
    text = json.dumps(doc, allow_nan=True)
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"cannot save to {path!r}: folder {folder!r} does not exist.")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".gaussmix-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        mask = os.umask(0o022)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # mkstemp creates 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _bad(path, why):
    return ValueError(f"{path!r} is not a readable gaussmix model file ({why}); "
                      "write one with GaussianMixture.save().")


def _decode_array(value, path, name):
    try:
        arr = np.asarray(value["data"], dtype=np.float64).reshape(value["shape"])
        return arr.astype(np.dtype(value["dtype"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise _bad(path, f"field {name} is malformed: {exc}") from exc


def load(path):
    """Read a model written by :meth:`GaussianMixture.save`.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    GaussianMixture

    Raises
    ------
    ValueError
        If the file is not a gaussmix model (a pickle, truncated or malformed JSON,
        or a newer format version). Nothing in the file is ever executed.
    """
    from .mixture import GaussianMixture

    path = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise FileNotFoundError(f"model file {path!r} does not exist.") from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(path, f"not JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _bad(path, "no gaussmix format marker")
    version = doc.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise _bad(path, f"format version {version!r}; this gaussmix reads up to {VERSION}")
    try:
        params = dict(doc["params"])
        fitted = doc["fitted"]
        for key, value in params.items():
            if isinstance(value, dict):
                params[key] = _decode_array(value["array"], path, key)
        model = GaussianMixture(**params)
        for name in _ARRAYS:
            setattr(model, name, _decode_array(fitted[name], path, name))
        model.converged_ = bool(fitted["converged_"])
        model.n_iter_ = int(fitted["n_iter_"])
        model.lower_bound_ = float(fitted["lower_bound_"])
        model.n_resets_ = int(fitted["n_resets_"])
        model.lower_bounds_ = [float(v) for v in doc["lower_bounds_"]]
        model.resets_ = [tuple(int(i) for i in r) for r in doc["resets_"]]
        model.n_features_in_ = int(doc["n_features_in_"])
        if doc.get("feature_names_in_") is not None:
            model.feature_names_in_ = np.asarray(doc["feature_names_in_"], dtype=object)
        model._check_parameters()
        K, d = model.means_.shape
        from ._covariance import get_model
        shape = get_model(model.covariance_type).cov_shape(K, d)
        if model.covariances_.shape != shape or model.weights_.shape != (K,) \
                or model.precisions_cholesky_.shape != shape or d != model.n_features_in_:
            raise _bad(path, "parameter shapes do not agree")
        model.precisions_ = get_model(model.covariance_type).precisions(model.precisions_cholesky_)
    except ValueError as exc:
        if "gaussmix model file" in str(exc):
            raise
        raise _bad(path, str(exc)) from exc
    except (KeyError, TypeError, AttributeError) as exc:
        raise _bad(path, f"missing or malformed field {exc}") from exc
    return model
