"""Draws from a mixture's conditional distributions, for many rows of observed values
at once: a component per draw from the conditional weights, then its conditional
Gaussian (:mod:`.conditional`)."""

from __future__ import annotations

import numpy as np

from ..utils.random import as_generator
from .conditional import (
    as_values,
    conditional_component_means,
    conditional_log_weights,
    conditional_parts,
)


def sample_conditional(mixture, columns, values, n_samples=1, random_state=None):
    """Draws of the other columns given observed values, for each row of values.

    Parameters
    ----------
    mixture : fitted mixture, FullMixture or (weights, means, covariances)
        As :func:`~gaussmix.density.full_parameters`.
    columns : int, str or sequence of int or str
        The observed columns, as :func:`~gaussmix.density.condition`.
    values : array-like of shape (n, m)
        As :func:`~gaussmix.density.conditional_mean`.
    n_samples : int, default=1
        Draws per row of values.
    random_state : int, numpy Generator or None, default=None

    Returns
    -------
    draws : ndarray of shape (n, n_samples, r)
        ``draws[i]`` are independent draws from the conditional mixture given
        ``values[i]``, over the other r columns in the model's order.

    Examples
    --------
    >>> import numpy as np
    >>> from gaussmix.density import sample_conditional
    >>> gm = ([1.], [[0., 0.]], [[[1., .8], [.8, 1.]]])
    >>> draws = sample_conditional(gm, 0, [2.], n_samples=20000, random_state=0)
    >>> draws.shape
    (1, 20000, 1)
    >>> bool(abs(draws.mean() - 1.6) < 0.02 and abs(draws.var() - 0.36) < 0.02)
    True
    """
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) \
            or n_samples < 1:
        raise ValueError(f"n_samples must be a positive integer, got {n_samples!r}.")
    parts = conditional_parts(mixture, columns)
    vals = as_values(values, parts.given.size)
    rng = as_generator(random_state)
    n, r = vals.shape[0], parts.rest.size
    comp = _draw_components(np.exp(conditional_log_weights(parts, vals)), int(n_samples), rng)
    means = conditional_component_means(parts, vals)
    noise = rng.standard_normal((n, int(n_samples), r))
    rows = np.broadcast_to(np.arange(n)[:, None], comp.shape)
    out = np.empty((n, int(n_samples), r))
    for k in range(parts.log_weights.size):
        mask = comp == k
        if mask.any():
            factor = np.linalg.cholesky(parts.covariances[k])
            out[mask] = means[rows[mask], k] + noise[mask] @ factor.T
    return out


def _draw_components(weights, n_samples, rng):
    """A component per draw (n, n_samples) from each row's weights (n, K), by the
    inverse of the weights' cumulative sum at uniform draws. Row i's cumulative sums
    are shifted by i, so one sorted search serves all rows."""
    n, K = weights.shape
    cumulative = np.cumsum(weights, axis=1)
    cumulative /= cumulative[:, -1:]  # the last is 1 up to rounding: make it exact
    offsets = np.arange(n, dtype=np.float64)[:, None]
    u = rng.random((n, n_samples)) + offsets
    found = np.searchsorted((cumulative + offsets).ravel(), u.ravel(), side="right")
    comp = found.reshape(n, n_samples) - K * np.arange(n)[:, None]
    return np.minimum(comp, K - 1)
