"""Model files: a JSON document with a format marker, a version and encoded arrays.

No pickle, nothing executed on load. A model file is untrusted input: it is read
only if it is a regular file of at most :data:`MAX_MODEL_BYTES` (or the caller's
``max_bytes``), parsed within the limits of :mod:`gaussmix.io.json_limits`, and every
array is decoded only with an allowed dtype and the shape its reader expects. This
module knows the file format, not the estimators: :mod:`gaussmix.mixture.persistence`
builds and reads the documents and checks their values.
"""

from __future__ import annotations

import json
import math
import os

import numpy as np

from ..utils.validation import check_int
from .atomic import write_text
from .errors import DataError
from .inputs import check_regular_file, read_bytes_capped
from .json_limits import JsonLimitError, loads_limited

#: Largest model file read by default, in bytes (64 MiB: a full-covariance mixture
#: of 20 components in 200 dimensions needs about 32 MiB).
MAX_MODEL_BYTES = 64 * 2**20
#: The dtypes a floating-point array may be stored with.
FLOAT_DTYPES = ("float64", "float32")


class ModelFileError(ValueError):
    """A file is not a readable gaussmix model document."""


class FieldError(ModelFileError):
    """One field of a model document is missing, malformed or has a wrong value.

    ``str(error)`` is ``"field NAME: what is wrong"``.
    """

    def __init__(self, field, why):
        # names and values come from the file: one printable line of bounded length
        field = field if field.isprintable() else ascii(field)
        why = why if len(why) <= 300 else why[:300] + "..."
        super().__init__(f"field {field[:80]}: {' '.join(why.split())}")
        self.field = field


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


def expect_keys(obj, keys, field):
    """Raise :class:`FieldError` unless ``obj`` is a JSON object with exactly ``keys``."""
    if not isinstance(obj, dict):
        raise FieldError(field, f"must be an object, got {type(obj).__name__}")
    missing = [k for k in keys if k not in obj]
    if missing:
        raise FieldError(f"{field}.{missing[0]}" if field else missing[0], "is missing")
    extra = [k for k in obj if k not in keys]
    if extra:
        raise FieldError(f"{field}.{extra[0]}" if field else extra[0],
                         "is not part of a gaussmix model file")


def _check_shape(shape, field, expected):
    if not isinstance(shape, list) or not all(type(n) is int and n >= 0 for n in shape):
        raise FieldError(field, "shape must be a list of non-negative integers")
    if len(shape) > 3:
        raise FieldError(field, f"has {len(shape)} dimensions, at most 3 are allowed")
    if expected is not None and tuple(shape) != tuple(expected):
        raise FieldError(field, f"has shape {tuple(shape)}, expected {tuple(expected)}")


def _check_data(data, field, size):
    if not isinstance(data, list) or len(data) != size:
        raise FieldError(field, f"data must be a list of {size} numbers")
    if not all(type(v) is float or type(v) is int for v in data):
        raise FieldError(field, "data must hold numbers only")


def decode_array(value, field, dtypes=FLOAT_DTYPES, shape=None):
    """An array from its :func:`encode`-d form, checked before anything is allocated.

    Parameters
    ----------
    value : object
        The parsed JSON value: ``{"dtype": ..., "shape": [...], "data": [...]}``.
    field : str
        The field's name, for messages.
    dtypes : tuple of str
        The dtype names allowed for this field.
    shape : tuple of int, optional
        The shape the reader expects; any shape of at most 3 dimensions if None.

    Raises
    ------
    FieldError
        A missing key, a dtype not in ``dtypes``, a shape other than ``shape``, data
        that are not ``prod(shape)`` numbers, or values that are not finite (or not
        integers for an integer dtype) once stored with the dtype.
    """
    expect_keys(value, ("dtype", "shape", "data"), field)
    if value["dtype"] not in dtypes:
        raise FieldError(field, f"dtype {str(value['dtype'])[:40]!r} is not allowed here; "
                         f"use one of {', '.join(dtypes)}")
    _check_shape(value["shape"], field, shape)
    _check_data(value["data"], field, math.prod(value["shape"]))
    with np.errstate(all="ignore"):
        data = np.asarray(value["data"], dtype=np.float64).reshape(value["shape"])
        arr = data.astype(value["dtype"])
    if not np.isfinite(arr).all():
        raise FieldError(field, f"holds NaN or infinite values (as {arr.dtype}); values "
                         "must be finite")
    if arr.dtype.kind != "f" and not np.array_equal(arr, data):
        raise FieldError(field, f"holds values that are not {arr.dtype} integers")
    return arr


def read_int(value, field, low=0):
    """``value`` if it is an integer (not a boolean) ``>= low``, else a FieldError."""
    if type(value) is not int:
        raise FieldError(field, f"must be an integer, got {str(value)[:40]!r}")
    if value < low:
        raise FieldError(field, f"must be >= {low}, got {value}")
    return value


def read_bool(value, field):
    """``value`` if it is true or false, else a FieldError."""
    if type(value) is not bool:
        raise FieldError(field, f"must be true or false, got {str(value)[:40]!r}")
    return value


def read_objective(value, field):
    """``value`` as a float if it is a number that is not NaN or +Infinity (-Infinity
    stands for a mixture that was never fitted), else a FieldError."""
    if type(value) not in (int, float) or np.isnan(value) or value == np.inf:
        raise FieldError(field, f"must be a finite number or -Infinity, got "
                         f"{str(value)[:40]!r}")
    return float(value)


def write_document(doc, path, *, force=None):
    """Write a model document (a JSON-safe dict) to exactly ``path``, atomically
    (``force``: replace a read-only file, as :func:`gaussmix.io.atomic.atomic_path`)."""
    write_text(json.dumps(doc, allow_nan=True), path, force=force)


def _read_capped(path, max_bytes):
    """The bytes of the regular file ``path``, refused before reading when larger than
    ``max_bytes`` (memory: the file's size, not the limit)."""
    check_int(max_bytes, "max_bytes", low=0)
    info = check_regular_file(path, "model file")
    if info.st_size > max_bytes:
        raise ModelFileError(
            f"model file {path!r} is {info.st_size} bytes, more than the limit of "
            f"{max_bytes} bytes; check that it is the right file, or pass a larger "
            "max_bytes to gaussmix.load if it is.")
    try:
        return read_bytes_capped(path, info.st_size, "model file")
    except DataError:  # it changed between the two looks
        raise ModelFileError(f"model file {path!r} changed while it was read; read it "
                             "again once nothing writes to it.") from None


def _check_version(doc, path, version):
    found = doc.get("version")
    if type(found) is int and found > version:
        raise bad_file(path, f"field version: format version {found} is newer than this "
                       f"gaussmix reads ({version}); upgrade gaussmix to read it")
    if type(found) is not int or found < 1:
        raise bad_file(path, f"field version: must be an integer from 1 to {version}, got "
                       f"{str(found)[:40]!r}")


def read_document(path, fmt, version, max_bytes=MAX_MODEL_BYTES):
    """The JSON document in ``path``, checked for the format marker ``fmt`` (a string,
    or a tuple of the markers accepted) and a version from 1 to ``version``.

    The file must be a regular file (no folder, pipe or device) of at most
    ``max_bytes`` bytes; it is parsed within :mod:`gaussmix.io.json_limits`' limits.

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    DataError
        ``path`` is a folder, a pipe, a device or a socket.
    ModelFileError
        Too large, not JSON, beyond a parsing limit, not a gaussmix document, or a
        version this gaussmix does not read.
    """
    path = os.fspath(path)
    raw = _read_capped(path, max_bytes)
    try:
        doc = loads_limited(raw)
    except JsonLimitError as exc:
        raise bad_file(path, str(exc)) from None
    formats = (fmt,) if isinstance(fmt, str) else tuple(fmt)
    if not isinstance(doc, dict) or not any(doc.get("format") == f for f in formats):
        raise bad_file(path, "no gaussmix format marker")
    _check_version(doc, path, version)
    return doc
