"""mclust's noise component on a fitted :class:`~gaussmix.GaussianMixture`: the
data's bounding box, the noise column of the log-probabilities, labels and draws.

``GaussianMixture(noise=True)`` adds a uniform background ``pi_0 / V`` to the
Gaussians, ``V`` the volume of the training data's bounding box (mclust's default
``hypvol`` is the smaller of that box and the data's convex-hull ellipsoid; the box
is simpler, and ``noise_volume=`` sets ``V`` directly). Like mclust, the noise
density is the constant ``1 / V`` everywhere, also outside the box, so that rows
far from every cluster are called noise. The EM side is
:mod:`gaussmix.engine.noise`; the start is :mod:`gaussmix.mixture.noise_start`.
"""

from __future__ import annotations

import math

import numpy as np

from ..engine import NoiseTerm
from ..engine.noise import box_volume, noise_weight
from ..utils.random import as_generator
from ..utils.validation import check_real
from .base import _check_n_samples

#: The label :meth:`GaussianMixture.predict` gives rows the noise component takes.
NOISE_LABEL = -1


def check_noise_parameters(noise, noise_volume):
    """``noise`` a bool; ``noise_volume`` None or a positive finite number."""
    if not isinstance(noise, (bool, np.bool_)):
        raise ValueError(f"noise must be True or False, got {noise!r}.")
    if noise_volume is not None:
        check_real(noise_volume, "noise_volume", low=0.0, strict=True)
        if not noise:
            raise ValueError("noise_volume is the volume of the noise component; set "
                             "noise=True with it, or leave it None.")


def data_box(X, w=None, need_volume=True):
    """The bounding box (2, d) of the rows of positive weight: lowest and highest
    value of each column.

    Raises
    ------
    ValueError
        If fewer than 2 rows have positive weight, or, with ``need_volume``, a
        column is constant: the box has no volume (give ``noise_volume=``).

    Examples
    --------
    >>> data_box(np.array([[0.0, 1.0], [2.0, 5.0], [1.0, 3.0]]))
    array([[0., 1.],
           [2., 5.]])
    """
    rows = X if w is None else X[w > 0]
    if rows.shape[0] < 2:
        raise ValueError(f"noise=True needs at least 2 rows (of positive weight) to span "
                         f"the data's bounding box, got {rows.shape[0]} sample(s); fit "
                         "more rows, or without noise.")
    box = np.stack([rows.min(axis=0), rows.max(axis=0)]).astype(np.float64)
    flat = np.flatnonzero(~(box[1] > box[0]))
    if need_volume and flat.size:
        raise ValueError(
            f"noise=True needs the data's bounding box to have a volume, but column "
            f"{int(flat[0])} is constant; drop constant columns, or pass noise_volume= "
            "(the volume of the region the noise is spread over).")
    return box


def log_volume(box, noise_volume=None):
    """``log V``: of ``noise_volume`` if given, else of the box (a sum of logs of its
    widths, which does not overflow on wide data)."""
    if noise_volume is not None:
        return math.log(noise_volume)
    return float(np.log(box[1] - box[0]).sum())


def noise_term(gm):
    """The :class:`~gaussmix.engine.NoiseTerm` of a mixture fitted (or being fitted)
    with noise, None without; from the fitted ``noise_volume_`` (from the box's
    widths where that product over- or underflowed)."""
    box = getattr(gm, "noise_box_", None)
    if box is None:
        return None
    volume = gm.noise_volume_
    return NoiseTerm(math.log(volume) if 0 < volume < math.inf else log_volume(box))


def prepare_noise(gm, X, w):
    """Set the noise attributes a fit needs before EM runs (``noise_box_``,
    ``noise_volume_``), or remove those of an earlier noise fit."""
    for name in ("noise_box_", "noise_volume_", "noise_weight_"):
        if hasattr(gm, name):
            delattr(gm, name)
    if gm.noise:
        gm.noise_box_ = data_box(X, w, need_volume=gm.noise_volume is None)
        gm.noise_volume_ = (float(gm.noise_volume) if gm.noise_volume is not None
                            else box_volume(gm.noise_box_))


def set_noise_weight(gm):
    """``noise_weight_`` from the fitted Gaussians' weights (they sum to 1 - it)."""
    if getattr(gm, "noise_box_", None) is not None:
        gm.noise_weight_ = noise_weight(gm.weights_)


def with_noise_column(logp, term, weights):
    """Log-probabilities (n, K) of the Gaussians with the noise's ``log(pi_0 / V)``
    as a last column (n, K + 1)."""
    out = np.empty((logp.shape[0], logp.shape[1] + 1), dtype=logp.dtype)
    out[:, :-1] = logp
    out[:, -1] = term.log_density(weights)
    return out


def noise_summary(gm):
    """The summary's line on the noise component ("" without one)."""
    if noise_term(gm) is None:
        return ""
    where = ("noise_volume" if gm.noise_volume is not None
             else "the training data's bounding box")
    return (f"\nnoise component: weight {gm.noise_weight_:.4f}, uniform density 1 / V, "
            f"V = {gm.noise_volume_:.6g} ({where}); predict labels its rows -1")


def noise_labels(labels, n_components):
    """Component labels with the noise column's index ``n_components`` replaced by
    :data:`NOISE_LABEL`."""
    return np.where(labels == n_components, NOISE_LABEL, labels)


def sample_noise(gm, sample_gaussians, n_samples, random_state):
    """``n_samples`` rows of a mixture with noise: a binomial share ``noise_weight_``
    uniform in ``noise_box_`` (labelled -1, placed last), the rest from
    ``sample_gaussians(n, rng)`` (the Gaussians' draw)."""
    n_samples = _check_n_samples(n_samples)
    rng = as_generator(random_state)
    n_noise = int(rng.binomial(n_samples, min(gm.noise_weight_, 1.0)))
    dtype = gm.means_.dtype
    X = rng.uniform(gm.noise_box_[0], gm.noise_box_[1],
                    size=(n_noise, gm.means_.shape[1])).astype(dtype, copy=False)
    y = np.full(n_noise, NOISE_LABEL)
    if n_noise < n_samples:
        Xg, yg = sample_gaussians(n_samples - n_noise, rng)
        X, y = np.concatenate([Xg, X]), np.concatenate([yg, y])
    return X, y


def gaussian_share(gm):
    """``gm``'s weights as a ``weights_init`` for a new fit from its parameters: with
    a noise component they sum to ``1 - noise_weight_``, so they are normalised (the
    new fit guesses its own noise weight from its data, as for any user's start);
    without one they are ``weights_`` as they are, bit for bit.

    Examples
    --------
    >>> from gaussmix import GaussianMixture
    >>> gm = GaussianMixture.from_parameters([0.5, 0.5], [[0.0], [3.0]], [1.0, 1.0], "V")
    >>> gaussian_share(gm).tolist()
    [0.5, 0.5]
    """
    weights = np.asarray(gm.weights_)
    return weights / weights.sum() if getattr(gm, "noise", False) else weights

