"""Conditioning a Gaussian mixture on the values of some of its columns.

For ``x = (a, b)`` with ``a`` observed, component k's conditional is Gaussian
(Bishop 2006, sec. 2.3.1)::

    mean_k(a) = mu_b + S_ba S_aa^-1 (a - mu_a)
    cov_k     = S_bb - S_ba S_aa^-1 S_ab          (the same for every a)

and the conditional mixture's weights are the components' posterior probabilities
given ``a`` alone, ``w_k(a) ∝ w_k N(a; mu_a, S_aa)``. The weights are computed in
log space (log-sum-exp): values far from every component give one weight 1 and the
others 0, never NaN. Everything per component that does not depend on ``a`` (the
Cholesky factor of ``S_aa``, the regression coefficients, the conditional
covariances) is computed once (:func:`conditional_parts`), so many rows cost a few
matrix products.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy.linalg import solve_triangular

from .columns import mixture_names, split_columns
from .parameters import FullMixture, full_parameters, refuse_noise

_LOG_2PI = np.log(2 * np.pi)


class ConditionalParts(NamedTuple):
    """What conditioning on some columns needs, per component, whatever the values.

    Attributes
    ----------
    given : ndarray of int, shape (m,)
        Positions of the observed columns, in the order their values come.
    rest : ndarray of int, shape (r,)
        Positions of the other columns, in the model's order: the conditional
        mixture's columns.
    log_weights : ndarray of shape (K,)
    means_given : ndarray of shape (K, m)
    whiten_given : ndarray of shape (K, m, m)
        ``L^-1`` for the lower Cholesky factor ``L`` of the observed columns'
        covariance ``S_aa``: ``|L^-1 (a - mu_a)|^2`` is the Mahalanobis distance.
    log_norm : ndarray of shape (K,)
        ``-log det(S_aa) / 2 - m log(2 pi) / 2``.
    means_rest : ndarray of shape (K, r)
    coefficients : ndarray of shape (K, r, m)
        ``S_ba S_aa^-1``.
    covariances : ndarray of shape (K, r, r)
        The conditional covariances ``S_bb - S_ba S_aa^-1 S_ab``.
    """

    given: np.ndarray
    rest: np.ndarray
    log_weights: np.ndarray
    means_given: np.ndarray
    whiten_given: np.ndarray
    log_norm: np.ndarray
    means_rest: np.ndarray
    coefficients: np.ndarray
    covariances: np.ndarray


def conditional_parts(mixture, columns):
    """Per-component quantities for conditioning on ``columns``.

    Parameters
    ----------
    mixture : fitted mixture, FullMixture or (weights, means, covariances)
        As :func:`~gaussmix.density.full_parameters`; column names are read from a
        fitted model's ``feature_names_in_``.
    columns : int, str or sequence of int or str
        The observed columns, by 0-based position or (for a model fitted on a
        DataFrame) by name; at least one column must be left over.

    Returns
    -------
    parts : ConditionalParts
    """
    refuse_noise(mixture, "conditioning")
    params = full_parameters(mixture)
    given, rest = split_columns(columns, mixture_names(mixture), params.n_features)
    K, m, r = params.n_components, given.size, rest.size
    chol = np.empty((K, m, m))
    whiten = np.empty((K, m, m))
    coef = np.empty((K, r, m))
    cov = np.empty((K, r, r))
    for k in range(K):
        S = params.covariances[k]
        chol[k] = _cholesky(S[np.ix_(given, given)], k)
        whiten[k] = solve_triangular(chol[k], np.eye(m), lower=True)
        # W = L^-1 S_ab: then S_ba S_aa^-1 S_ab = W^T W, and coef^T = L^-T W
        W = solve_triangular(chol[k], S[np.ix_(given, rest)], lower=True)
        coef[k] = solve_triangular(chol[k], W, lower=True, trans="T").T
        schur = S[np.ix_(rest, rest)] - W.T @ W
        cov[k] = 0.5 * (schur + schur.T)
    log_norm = (-np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1) - 0.5 * m * _LOG_2PI)
    with np.errstate(divide="ignore"):  # a weight of 0 is a log-weight of -inf
        log_weights = np.log(params.weights)
    return ConditionalParts(given, rest, log_weights, params.means[:, given], whiten, log_norm,
                            params.means[:, rest], coef, cov)


def conditional_log_weights(parts, values):
    """Log-weights of the conditional mixture at each row of observed values.

    Parameters
    ----------
    parts : ConditionalParts
    values : ndarray of shape (n, m)
        Observed values, columns in the order of ``parts.given``.

    Returns
    -------
    log_weights : ndarray of shape (n, K)
        ``log w_k + log N(a; mu_a, S_aa)``, normalised by log-sum-exp over k.
    """
    # all components in one product: L^-1 is a small (m, m) matrix per component, and
    # einsum's optimize=True hands the contraction to BLAS (100x faster here than
    # one triangular solve per component on 10,000 rows)
    z = np.einsum("nkm,kjm->nkj", _deviations(parts, values), parts.whiten_given, optimize=True)
    log_joint = parts.log_weights + parts.log_norm - 0.5 * np.einsum("nkj,nkj->nk", z, z)
    return _normalised_rows(log_joint)


def conditional_component_means(parts, values):
    """Every component's conditional mean at each row of observed values.

    Parameters
    ----------
    parts : ConditionalParts
    values : ndarray of shape (n, m)

    Returns
    -------
    means : ndarray of shape (n, K, r)
    """
    return parts.means_rest[None] + np.einsum("nkm,krm->nkr", _deviations(parts, values),
                                              parts.coefficients, optimize=True)


def condition(mixture, columns, values):
    """The conditional mixture over the other columns, given one row of values.

    Parameters
    ----------
    mixture : fitted mixture, FullMixture or (weights, means, covariances)
        As :func:`~gaussmix.density.full_parameters`.
    columns : int, str or sequence of int or str
        The observed columns (0-based positions, or names for a model fitted on a
        DataFrame); at least one column must be left over.
    values : array-like of shape (m,)
        Their values, in the order of ``columns``.

    Returns
    -------
    conditional : FullMixture
        Weights (K,), means (K, r) and covariances (K, r, r) over the other r
        columns, in the model's order.

    Examples
    --------
    For one Gaussian the conditional mean moves along the regression line:

    >>> import numpy as np
    >>> from gaussmix.density import condition
    >>> c = condition(([1.], [[0., 0.]], [[[1., .8], [.8, 1.]]]), [0], [2.])
    >>> c.means.round(12), c.covariances.round(12)
    (array([[1.6]]), array([[[0.36]]]))
    """
    parts = conditional_parts(mixture, columns)
    row = as_values(values, parts.given.size)
    if row.shape[0] != 1:
        raise ValueError(f"values must be one row of {parts.given.size} value(s), got shape "
                         f"{np.shape(values)}; for many rows use conditional_mean.")
    weights = np.exp(conditional_log_weights(parts, row)[0])
    return FullMixture(weights, conditional_component_means(parts, row)[0],
                       parts.covariances.copy())


def conditional_mean(mixture, columns, values):
    """``E[b | a]`` at many rows of observed values: mixture regression.

    Parameters
    ----------
    mixture : fitted mixture, FullMixture or (weights, means, covariances)
    columns : int, str or sequence of int or str
        The observed columns, as :func:`condition`.
    values : array-like of shape (n, m)
        Observed values, one row per case; a 1-D array is one row, or for one
        observed column n values.

    Returns
    -------
    mean : ndarray of shape (n, r)
        ``sum_k w_k(a) mean_k(a)`` over the other columns, in the model's order.

    Examples
    --------
    >>> import numpy as np
    >>> from gaussmix.density import conditional_mean
    >>> gm = ([.5, .5], [[-2., -1.], [2., 1.]], [np.eye(2), np.eye(2)])
    >>> conditional_mean(gm, 0, [-10., 0., 10.]).round(6)      # one-hot far away
    array([[-1.],
           [ 0.],
           [ 1.]])
    """
    parts = conditional_parts(mixture, columns)
    vals = as_values(values, parts.given.size)
    out = np.empty((vals.shape[0], parts.rest.size))
    for rows in row_blocks(parts, vals.shape[0]):
        weights = np.exp(conditional_log_weights(parts, vals[rows]))
        out[rows] = np.einsum("nk,nkr->nr", weights,
                              conditional_component_means(parts, vals[rows]), optimize=True)
    return out


def conditional_covariance(mixture, columns, values):
    """``Cov[b | a]`` at many rows of observed values (law of total covariance).

    Parameters
    ----------
    mixture : fitted mixture, FullMixture or (weights, means, covariances)
    columns : int, str or sequence of int or str
        The observed columns, as :func:`condition`.
    values : array-like of shape (n, m)
        As :func:`conditional_mean`.

    Returns
    -------
    cov : ndarray of shape (n, r, r)
        ``sum_k w_k(a) (cov_k + (mean_k(a) - m(a)) (mean_k(a) - m(a))^T)`` with
        ``m(a)`` the conditional mean: the spread within the components plus the
        spread of their means.

    Examples
    --------
    >>> import numpy as np
    >>> from gaussmix.density import conditional_covariance
    >>> gm = ([.5, .5], [[0., -1.], [0., 1.]], [np.eye(2), np.eye(2)])
    >>> conditional_covariance(gm, [0], [[0.]]).round(12)     # 1 within + 1 between
    array([[[2.]]])
    """
    parts = conditional_parts(mixture, columns)
    vals = as_values(values, parts.given.size)
    r = parts.rest.size
    flat = parts.covariances.reshape(len(parts.covariances), r * r)
    out = np.empty((vals.shape[0], r, r))
    for rows in row_blocks(parts, vals.shape[0]):
        weights = np.exp(conditional_log_weights(parts, vals[rows]))
        means = conditional_component_means(parts, vals[rows])
        dev = means - np.einsum("nk,nkr->nr", weights, means, optimize=True)[:, None, :]
        out[rows] = (weights @ flat).reshape(-1, r, r) + np.einsum(
            "nk,nki,nkj->nij", weights, dev, dev, optimize=True)
    return out


#: Floats of one block's largest intermediate (rows x components x columns): 8 MB,
#: so many rows never need n x K x d memory at once, and a block stays in cache.
BLOCK_FLOATS = 1 << 20


def row_blocks(parts, n_rows):
    """Slices of rows whose per-component intermediates hold at most
    :data:`BLOCK_FLOATS` floats (at least one row per block)."""
    K = parts.log_weights.size
    width = max(parts.given.size, parts.rest.size ** 2 // K + parts.rest.size, 1)
    step = max(1, BLOCK_FLOATS // (K * width))
    return [slice(start, min(start + step, n_rows)) for start in range(0, n_rows, step)]


def _normalised_rows(log_joint):
    """Each row minus its log-sum-exp: shifted by its largest entry first, so the
    largest becomes exp(0) = 1 and nothing underflows to 0/0 (scipy's logsumexp
    does the same with checks that cost more than the rest of the conditioning)."""
    top = log_joint.max(axis=1, keepdims=True)
    shifted = log_joint - np.where(np.isfinite(top), top, 0.0)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _deviations(parts, values):
    """``values - mu_a`` of every component, shape (n, K, m)."""
    return values[:, None, :] - parts.means_given[None]


def as_values(values, n_given):
    """Observed values as a finite (n, m) float64 array, or a clear ValueError.

    A 1-D array is one row, except for one observed column, where it is n values.
    """
    try:
        vals = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"values must be numeric ({exc}).") from exc
    if vals.ndim == 0:
        vals = vals.reshape(1, 1)
    elif vals.ndim == 1:
        vals = vals[:, None] if n_given == 1 else vals[None, :]
    if vals.ndim != 2 or vals.shape[1] != n_given or vals.shape[0] == 0:
        raise ValueError(f"values must have shape (n_rows, {n_given}): one value per given "
                         f"column, got shape {np.shape(values)}.")
    if not np.isfinite(vals).all():
        raise ValueError("values contain NaN or infinity; conditioning needs a finite value "
                         "for every given column (leave a missing column out of columns).")
    return vals


def _cholesky(matrix, k):
    try:
        return np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        raise ValueError(f"component {k}'s covariance of the given columns is not positive "
                         "definite, so its density there is undefined; refit with a larger "
                         "reg_covar.") from None
