"""Quantiles of a mixture's conditional distribution of one column.

A one-dimensional Gaussian mixture's distribution function is a weighted sum of
normal ones, with no closed-form inverse; its quantiles are found by bisection,
all rows and levels at once. They give intervals that follow the conditional's
shape (skewed or two-peaked where components overlap), unlike mean +- 2 std.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from .conditional import (
    as_values,
    conditional_component_means,
    conditional_log_weights,
    conditional_parts,
    row_blocks,
)

#: Bisection steps: each halves the bracket, so 200 steps take a bracket of 1e20
#: widths far below float64's resolution of any quantile.
_STEPS = 200


def conditional_quantiles(mixture, columns, values, q):
    """Quantiles of the one column left over, given the others' values.

    Parameters
    ----------
    mixture : fitted mixture, FullMixture or (weights, means, covariances)
        As :func:`~gaussmix.density.full_parameters`.
    columns : int, str or sequence of int or str
        The observed columns, as :func:`~gaussmix.density.condition`: all but one.
    values : array-like of shape (n, m)
        As :func:`~gaussmix.density.conditional_mean`.
    q : float or array-like of shape (n_levels,)
        Probabilities in (0, 1).

    Returns
    -------
    quantiles : ndarray of shape (n, n_levels)
        ``quantiles[i, j]``: the value below which the conditional mixture given
        ``values[i]`` has probability ``q[j]`` (to float64 resolution).

    Examples
    --------
    >>> import numpy as np
    >>> from gaussmix.density import conditional_quantiles
    >>> gm = ([1.], [[0., 0.]], [[[1., .8], [.8, 1.]]])       # y | x ~ N(0.8 x, 0.36)
    >>> conditional_quantiles(gm, 0, [2.], [0.5, 0.975]).round(4)
    array([[1.6  , 2.776]])
    """
    levels = np.atleast_1d(np.asarray(q, dtype=np.float64))
    if levels.ndim != 1 or not np.all((levels > 0) & (levels < 1)):
        raise ValueError(f"q must be probabilities strictly between 0 and 1, got {q!r}.")
    parts = conditional_parts(mixture, columns)
    if parts.rest.size != 1:
        raise ValueError(f"quantiles need exactly one column left over, but {parts.rest.size} "
                         "are; condition on all but one column (or use a marginal first).")
    vals = as_values(values, parts.given.size)
    stds = np.sqrt(parts.covariances[:, 0, 0])                    # (K,)
    out = np.empty((vals.shape[0], levels.size))
    for rows in row_blocks(parts, vals.shape[0]):
        weights = np.exp(conditional_log_weights(parts, vals[rows]))      # (n, K)
        means = conditional_component_means(parts, vals[rows])[:, :, 0]    # (n, K)
        out[rows] = mixture_quantiles(weights, means, stds, levels)
    return out


def mixture_quantiles(weights, means, stds, levels):
    """Quantiles of one-dimensional mixtures, one mixture per row, by bisection.

    Parameters
    ----------
    weights, means : ndarray of shape (n, K)
    stds : ndarray of shape (K,) or (n, K)
    levels : ndarray of shape (n_levels,)

    Returns
    -------
    quantiles : ndarray of shape (n, n_levels)
    """
    stds = np.broadcast_to(stds, means.shape)
    live = weights > 0
    # 8 std below the lowest and above the highest component the mixture's distribution
    # function is within 1e-15 of 0 and 1: the bracket holds every level in between
    lo = np.where(live, means - 8 * stds, np.inf).min(axis=1)[:, None] \
        * np.ones(levels.size)
    hi = np.where(live, means + 8 * stds, -np.inf).max(axis=1)[:, None] \
        * np.ones(levels.size)
    for _ in range(_STEPS):
        mid = 0.5 * (lo + hi)
        below = _cdf(mid, weights, means, stds) < levels
        lo = np.where(below, mid, lo)
        hi = np.where(below, hi, mid)
        if np.all(hi - lo <= 4 * np.spacing(np.maximum(abs(lo), abs(hi)))):
            break
    return 0.5 * (lo + hi)


def _cdf(points, weights, means, stds):
    """The mixtures' distribution functions at points (n, n_levels)."""
    z = (points[:, :, None] - means[:, None, :]) / stds[:, None, :]
    return np.einsum("nk,nlk->nl", weights, ndtr(z))
