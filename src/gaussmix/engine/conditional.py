"""The E-step's Gaussian algebra for rows with missing entries.

For a row whose entries ``m`` are missing and ``o`` observed, each component k gives

- the density of the observed entries, ``N(x_o; mu_o, Sigma_oo)`` (the marginal of a
  Gaussian is the Gaussian of its sub-vector and sub-block);
- the conditional mean of the missing ones,
  ``E[x_m | x_o, k] = mu_m - Lambda_mm^-1 Lambda_mo (x_o - mu_o)``;
- their conditional covariance ``Cov[x_m | x_o, k] = Lambda_mm^-1``,

with ``Lambda = Sigma^-1`` the component's precision. Working with the precision, the
only matrix factored per missing pattern is ``Lambda_mm`` (as many rows as entries are
missing: small when few are), and ``log det Sigma_oo = log det Sigma + log det
Lambda_mm``. The completed deviation ``e = x_hat - mu`` (observed entries ``x_o -
mu_o``, missing ones their conditional mean minus ``mu_m``) minimises ``e^T Lambda e``
over the missing entries, and that minimum is the observed entries' Mahalanobis
distance ``(x_o - mu_o)^T Sigma_oo^-1 (x_o - mu_o)``. It is computed as ``||U^T e||^2``
(``Lambda = U U^T``): a sum of squares, and since ``e`` is a minimiser, an error in the
conditional mean changes it only to second order.

Rows are grouped by their missing pattern, and patterns by how many entries they
miss, so that each group is a few batched array operations whatever its size.
Everything here works on full (K, d, d) matrices, which every covariance structure
gives (``to_full``); nothing switches on the covariance type.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..covariance.linalg import LOG_2PI, safe_cholesky


@dataclass
class FullPlan:
    """A mixture's parameters as full matrices, made once per E-step pass.

    Attributes
    ----------
    log_weights : ndarray of shape (K,)
    means : ndarray of shape (K, d)
    prec : ndarray of shape (K, d, d)
        Precisions ``Lambda_k``.
    prec_chol : ndarray of shape (K, d, d)
        Upper triangular ``U_k`` with ``Lambda_k = U_k U_k^T``.
    logdet : ndarray of shape (K,)
        ``log det Sigma_k``.
    """

    log_weights: np.ndarray
    means: np.ndarray
    prec: np.ndarray
    prec_chol: np.ndarray
    logdet: np.ndarray


def full_plan(params):
    """The :class:`FullPlan` of ``params`` (a :class:`~gaussmix.engine.MixtureParams`),
    in float64."""
    means = np.asarray(params.means, dtype=np.float64)
    K, d = means.shape
    cov = params.structure.to_full(np.asarray(params.covariances, dtype=np.float64), K, d)
    chol = safe_cholesky(cov)[0]
    # U = L^-T: upper triangular, and U U^T = L^-T L^-1 = Sigma^-1
    prec_chol = np.swapaxes(np.linalg.inv(chol), -1, -2)
    prec = np.matmul(prec_chol, np.swapaxes(prec_chol, -1, -2))
    logdet = 2.0 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
    weights = np.asarray(params.weights, dtype=np.float64)
    with np.errstate(divide="ignore"):
        log_weights = np.log(weights)
    return FullPlan(log_weights, means, prec, prec_chol, logdet)


def missing_patterns(miss):
    """Distinct missing patterns of a boolean mask and the pattern of each row.

    Parameters
    ----------
    miss : ndarray of bool, shape (n, d)
        True where an entry is missing.

    Returns
    -------
    patterns : ndarray of bool, shape (P, d)
        The distinct rows of ``miss``, ordered by how many entries they miss.
    row_pattern : ndarray of int, shape (n,)
        Index into ``patterns`` of each row.

    Examples
    --------
    >>> miss = np.array([[0, 1], [0, 0], [0, 1]], dtype=bool)
    >>> patterns, row_pattern = missing_patterns(miss)
    >>> patterns.astype(int).tolist(), row_pattern.tolist()
    ([[0, 0], [0, 1]], [1, 0, 1])
    """
    n, d = miss.shape
    packed = np.packbits(miss, axis=1)  # unique on bytes: d / 8 of them per row
    _, first, inverse = np.unique(packed, axis=0, return_index=True, return_inverse=True)
    patterns = miss[first]
    order = np.argsort(patterns.sum(axis=1), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return patterns[order], rank[inverse.reshape(n)]


@dataclass
class PatternGroup:
    """Patterns that miss the same number ``c`` of entries, and their rows.

    Attributes
    ----------
    rows : ndarray of int, shape (r,)
        Positions of the group's rows in the block.
    local : ndarray of int, shape (r,)
        Each row's pattern, as an index into ``columns``.
    columns : ndarray of int, shape (P, c)
        The missing columns of each pattern, in increasing order.
    cond_cov : ndarray of shape (K, P, c, c)
        ``Cov[x_m | x_o, k] = Lambda_k,mm^-1`` of each component and pattern.
    cond_factor : ndarray of shape (K, P, c, c)
        Upper triangular factors, ``cond_cov = cond_factor @ cond_factor^T`` (for
        drawing from the conditional).
    logdet_prec : ndarray of shape (K, P)
        ``log det Lambda_k,mm``.
    """

    rows: np.ndarray
    local: np.ndarray
    columns: np.ndarray
    cond_cov: np.ndarray
    cond_factor: np.ndarray
    logdet_prec: np.ndarray


@dataclass
class Conditionals:
    """What the E-step needs of a block of rows with missing entries.

    Attributes
    ----------
    log_prob : ndarray of shape (K, n)
        ``log pi_k + log N(x_o; mu_k,o, Sigma_k,oo)`` of each row's observed entries.
    deviation : ndarray of shape (K, n, d)
        ``E[x | x_o, k] - mu_k``: observed entries ``x_o - mu_k,o``, missing ones their
        conditional mean minus ``mu_k,m``.
    groups : list of PatternGroup
    """

    log_prob: np.ndarray
    deviation: np.ndarray
    groups: list

    def completed(self, plan, resp):
        """Rows completed by their conditional mean under the mixture (n, d):
        ``sum_k resp[k] E[x | x_o, k]`` for responsibilities ``resp`` (K, n)."""
        return np.einsum("kn,knd->nd", resp, self.deviation) + resp.T @ plan.means


def conditionals(X, patterns, row_pattern, plan):
    """Observed-entry log-densities, conditional means and covariances of rows.

    Parameters
    ----------
    X : ndarray of shape (n, d)
        Rows with NaN where entries are missing (any row may have none missing, or
        all).
    patterns : ndarray of bool, shape (P, d)
    row_pattern : ndarray of int, shape (n,)
        As :func:`missing_patterns` gives them (for these rows, or a superset).
    plan : FullPlan

    Returns
    -------
    Conditionals
    """
    K, d = plan.means.shape
    n = X.shape[0]
    E = np.where(np.isnan(X), 0.0, X.astype(np.float64, copy=False))
    E = E[None, :, :] - plan.means[:, None, :]            # (K, n, d)
    miss = patterns[row_pattern]
    E[:, miss] = 0.0                                     # deviations of missing: none yet
    log_prob = np.empty((K, n))
    counts = patterns.sum(axis=1)
    groups = []
    for c in np.unique(counts[row_pattern]):
        rows = np.flatnonzero(counts[row_pattern] == c)
        group = _fill_group(E, rows, patterns, row_pattern[rows], plan)
        logdet_oo = plan.logdet[:, None] + group.logdet_prec       # (K, P)
        log_prob[:, rows] = (plan.log_weights[:, None] - 0.5 * (d - c) * LOG_2PI
                             - 0.5 * logdet_oo[:, group.local])
        groups.append(group)
    Y = np.matmul(E, plan.prec_chol)                      # e^T U per row: (K, n, d)
    log_prob -= 0.5 * np.einsum("knd,knd->kn", Y, Y)
    return Conditionals(log_prob, E, groups)


def _fill_group(E, rows, patterns, pattern_ids, plan):
    """Put the conditional means of the group's missing entries into ``E`` (in place)
    and return the group with its conditional covariances.

    ``delta = -Lambda_mm^-1 (Lambda e)_m`` with the missing entries of ``e`` still 0,
    so that ``(Lambda e)_m = Lambda_mo e_o``.
    """
    used, local = np.unique(pattern_ids, return_inverse=True)
    local = local.reshape(-1)
    c = int(patterns[used[0]].sum())
    columns = np.nonzero(patterns[used])[1].reshape(used.size, c)
    A = plan.prec[:, columns[:, :, None], columns[:, None, :]]    # (K, P, c, c)
    chol = np.linalg.cholesky(A)
    factor = np.swapaxes(np.linalg.inv(chol), -1, -2)             # L^-T
    cond_cov = np.matmul(factor, np.swapaxes(factor, -1, -2))     # Lambda_mm^-1
    logdet_prec = 2.0 * np.log(np.diagonal(chol, axis1=-2, axis2=-1)).sum(axis=-1)
    group = PatternGroup(rows, local, columns, cond_cov, factor, logdet_prec)
    if c == 0:
        return group
    cols = columns[local]                                          # (r, c)
    sub = E[:, rows]                                               # (K, r, d)
    b = np.take_along_axis(np.matmul(sub, plan.prec), cols[None], axis=2)
    delta = -np.einsum("krij,krj->kri", cond_cov[:, local], b)
    np.put_along_axis(sub, np.broadcast_to(cols[None], delta.shape), delta, axis=2)
    E[:, rows] = sub
    return group


def scatter_conditional(groups, resp_weights, n_features):
    """``sum_n w_n r_nk Cov[x_m | x_o, k]`` embedded in (K, d, d): the term that makes
    the missing-data E-step exact rather than "impute, then fit".

    Parameters
    ----------
    groups : list of PatternGroup
    resp_weights : ndarray of shape (K, n)
        Responsibilities times row weights.
    n_features : int

    Returns
    -------
    S : ndarray of shape (K, d, d)
    """
    K = resp_weights.shape[0]
    d = n_features
    flat = np.zeros((K, d * d))
    for g in groups:
        P, c = g.columns.shape
        if c == 0:
            continue
        mass = np.stack([np.bincount(g.local, weights=resp_weights[k, g.rows], minlength=P)
                         for k in range(K)])                       # (K, P)
        contrib = mass[:, :, None, None] * g.cond_cov              # (K, P, c, c)
        where = (g.columns[:, :, None] * d + g.columns[:, None, :]).ravel()
        for k in range(K):
            flat[k] += np.bincount(where, weights=contrib[k].ravel(), minlength=d * d)
    return flat.reshape(K, d, d)
