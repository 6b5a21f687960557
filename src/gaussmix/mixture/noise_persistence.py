"""The noise component of a saved :class:`~gaussmix.GaussianMixture`: its document
(``noise_``: the box, the volume and the weight) and, reading, every field checked.

Only fits with ``noise=True`` have a ``noise_`` document, so the files of other fits
are those of earlier versions.
"""

from __future__ import annotations

import math

import numpy as np

from ..io.model_file import FLOAT_DTYPES, FieldError, decode_array, encode, expect_keys
from .noise import log_volume

_FIELDS = ("box", "volume", "weight")
#: Relative disagreement allowed between a stored volume and the box's.
RTOL = 1e-9


def noise_document(model):
    """The JSON-safe ``noise_`` of a fit with noise, None without."""
    if getattr(model, "noise_box_", None) is None:
        return None
    return {"box": encode(model.noise_box_), "volume": float(model.noise_volume_),
            "weight": float(model.noise_weight_)}


def _number(value, field, low, high):
    if type(value) not in (int, float) or not low <= value <= high:
        raise FieldError(field, f"must be a number in [{low}, {high}], got "
                         f"{str(value)[:40]!r}")
    return float(value)


def _read_box(value, n_features, need_volume):
    """The box: finite, each column's highest value not below (with ``need_volume``:
    above) its lowest."""
    box = decode_array(value, "noise_.box", FLOAT_DTYPES, (2, n_features)).astype(np.float64)
    wide = box[1] > box[0] if need_volume else box[1] >= box[0]
    if not (np.isfinite(box).all() and wide.all()):
        raise FieldError("noise_.box", "must hold finite lowest and highest values of "
                         "each column, the highest above the lowest")
    return box


def read_noise(model, value, n_features):
    """Set ``noise_box_``, ``noise_volume_`` and ``noise_weight_`` from a document's
    ``noise_`` (FieldError when it disagrees with ``params.noise``, is malformed, or
    the volume is not the box's or ``params.noise_volume``)."""
    if value is None:
        if model.noise:
            raise FieldError("noise_", "is missing, but params.noise is true")
        return
    if not model.noise:
        raise FieldError("noise_", "is given, but params.noise is false")
    expect_keys(value, _FIELDS, "noise_")
    box = _read_box(value["box"], n_features, model.noise_volume is None)
    volume = _number(value["volume"], "noise_.volume", 0.0, math.inf)
    expected = log_volume(box, model.noise_volume)
    if not (volume > 0 and abs(math.log(volume) - expected) <= RTOL * max(1.0, abs(expected))):
        raise FieldError("noise_.volume", "must be params.noise_volume, or the volume of "
                         "noise_.box when that is null")
    model.noise_box_ = box
    model.noise_volume_ = volume
    model.noise_weight_ = _number(value["weight"], "noise_.weight", 0.0, 1.0)
