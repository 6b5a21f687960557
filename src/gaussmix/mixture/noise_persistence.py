"""The noise component of a saved :class:`~gaussmix.GaussianMixture`: its document
(``noise_``: the box, the volume and the weight) and, reading, every field checked.

Only fits with ``noise=True`` have a ``noise_`` document, so the files of other fits
are those of earlier versions.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine.noise import box_volume
from ..io.model_file import FLOAT_DTYPES, FieldError, decode_array, encode, expect_keys

_FIELDS = ("box", "volume", "weight")


def noise_document(model):
    """The JSON-safe ``noise_`` of a fit with noise, None without."""
    if getattr(model, "noise_box_", None) is None:
        return None
    volume = float(model.noise_volume_)
    # null: the box's own volume, too large or small for a float (wide data); JSON has
    # no Infinity
    return {"box": encode(model.noise_box_),
            "volume": volume if 0 < volume < math.inf else None,
            "weight": float(model.noise_weight_)}


def _number(value, field, low, high):
    if type(value) not in (int, float) or not low <= value <= high:
        raise FieldError(field, f"must be a number in [{low}, {high}], got "
                         f"{str(value)[:40]!r}")
    return float(value)


def _volume(value, box):
    """A positive finite volume, or null for the box's own volume where that product
    does not fit a float (then every column of the box must have a width)."""
    if value is None:
        if not (box[1] > box[0]).all():
            raise FieldError("noise_.volume", "is null (the box's volume) but the box has "
                             "a column of zero width")
        return box_volume(box)
    volume = _number(value, "noise_.volume", 0.0, math.inf)
    if not 0 < volume < math.inf:
        raise FieldError("noise_.volume", f"must be positive and finite, got {volume!r}")
    return volume


def _read_box(value, n_features):
    """The box: finite, each column's highest value not below its lowest (equal on a
    constant column, which a given ``noise_volume`` allows)."""
    box = decode_array(value, "noise_.box", FLOAT_DTYPES, (2, n_features)).astype(np.float64)
    if not (np.isfinite(box).all() and (box[1] >= box[0]).all()):
        raise FieldError("noise_.box", "must hold finite lowest and highest values of "
                         "each column, the highest not below the lowest")
    return box


def read_noise(model, value, n_features):
    """Set ``noise_box_``, ``noise_volume_`` and ``noise_weight_`` from a document's
    ``noise_`` (FieldError when it is malformed). Whether the fit had a noise
    component is said by ``noise_`` alone: like every parameter, ``params.noise`` may
    have been changed after the fit, for the next one."""
    if value is None:
        return
    expect_keys(value, _FIELDS, "noise_")
    box = _read_box(value["box"], n_features)
    volume = _volume(value["volume"], box)
    model.noise_box_ = box
    model.noise_volume_ = volume
    model.noise_weight_ = _number(value["weight"], "noise_.weight", 0.0, 1.0)
