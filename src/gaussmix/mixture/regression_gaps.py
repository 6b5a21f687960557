"""Mixture regression for rows with missing inputs: ``E[y | x_o]`` on each row's
observed entries ``o``.

The joint mixture of ``[x, y]`` gives, for any set of observed columns, the
conditional mixture of the others; a row with gaps is predicted from the columns it
has, so nothing is imputed first. Rows are grouped by which inputs they miss (one
conditioning per pattern); a row with no input at all gets y's marginal mean and
spread.
"""

from __future__ import annotations

import numpy as np

from ..density import conditional_covariance, conditional_mean
from ..engine.online import mixture_scale


def predict_with_gaps(mixture, X, return_std=False):
    """``E[y | x_o]`` (and each target's conditional std) for rows ``X`` with NaN.

    Parameters
    ----------
    mixture : fitted GaussianMixture
        The joint mixture of ``[x, y]``, x's ``d`` columns first.
    X : ndarray of shape (n, d)
        Inputs, NaN where missing.
    return_std : bool, default=False

    Returns
    -------
    mean : ndarray of shape (n, n_targets)
    std : ndarray of shape (n, n_targets), only with ``return_std=True``

    Examples
    --------
    >>> import numpy as np
    >>> from gaussmix import GaussianMixture
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=(500, 2))
    >>> gm = GaussianMixture(1, random_state=0).fit(np.c_[x, x @ [1.0, 2.0]])
    >>> predict_with_gaps(gm, np.array([[1.0, np.nan], [1.0, 1.0]])).round(2)
    array([[1.],
           [3.]])
    """
    d = X.shape[1]
    targets = np.arange(d, mixture.means_.shape[1])
    mean = np.empty((X.shape[0], targets.size))
    std = np.empty_like(mean)
    patterns, which = np.unique(np.isnan(X), axis=0, return_inverse=True)
    for p, gaps in enumerate(patterns):
        rows = np.flatnonzero(which.ravel() == p)
        seen = np.flatnonzero(~gaps)
        mean[rows], std[rows] = _target_moments(mixture, seen, X[np.ix_(rows, seen)],
                                                targets, return_std)
    return (mean, std) if return_std else mean


def _target_moments(mixture, seen, values, targets, return_std):
    """Conditional mean and std of the targets given the columns ``seen`` (all rows
    with the same gaps); with no column seen, y's marginal ones."""
    n = values.shape[0]
    if seen.size == 0:  # the mixture's own mean and covariance
        params = mixture._get_params()
        centre = params.weights @ params.means / params.weights.sum()
        spread = mixture_scale(params).cov
        sd = np.sqrt(np.clip(np.diagonal(spread)[targets], 0.0, None))
        return np.tile(centre[targets], (n, 1)), np.tile(sd, (n, 1))
    # the conditional mixture's columns are the unseen inputs, then the targets
    last = slice(-targets.size, None)
    mean = conditional_mean(mixture, seen, values)[:, last]
    if not return_std:
        return mean, np.nan
    cov = conditional_covariance(mixture, seen, values)[:, last, last]
    return mean, np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0.0, None))
