"""Model files: a JSON document with a format marker, a version and encoded arrays.

No pickle, nothing executed on load. This module knows the file format, not the
estimators: :mod:`gaussmix.mixture.persistence` builds and reads the documents.
"""

from __future__ import annotations

import json
import os

import numpy as np

from .atomic import write_text


class ModelFileError(ValueError):
    """A file is not a readable gaussmix model document."""


def encode(value):
    """A JSON-safe form of a numpy array or scalar (other values unchanged)."""
    if isinstance(value, np.ndarray):
        return {"dtype": str(value.dtype), "shape": list(value.shape),
                "data": [float(v) for v in value.ravel()]}
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def bad_file(path, why):
    """The error for a file that is not a readable model."""
    return ModelFileError(f"{path!r} is not a readable gaussmix model file ({why}); "
                          "write one with GaussianMixture.save().")


def decode_array(value, path, name):
    """An array from its :func:`encode`-d form, or a :class:`ModelFileError`."""
    try:
        arr = np.asarray(value["data"], dtype=np.float64).reshape(value["shape"])
        return arr.astype(np.dtype(value["dtype"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise bad_file(path, f"field {name} is malformed: {exc}") from exc


def write_document(doc, path):
    """Write a model document (a JSON-safe dict) to exactly ``path``, atomically."""
    write_text(json.dumps(doc, allow_nan=True), path)


def read_document(path, fmt, version):
    """The JSON document in ``path``, checked for the format marker ``fmt`` and a
    version no newer than ``version``.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    ModelFileError
        Not JSON, not a gaussmix document, or a newer version.
    """
    path = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise FileNotFoundError(f"model file {path!r} does not exist.") from None
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad_file(path, f"not JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("format") != fmt:
        raise bad_file(path, "no gaussmix format marker")
    found = doc.get("version")
    if not isinstance(found, int) or found > version:
        raise bad_file(path, f"format version {found!r}; this gaussmix reads up to {version}")
    return doc
