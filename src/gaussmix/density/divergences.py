"""How far apart two mixture densities are, and how spread one is: Kullback-Leibler
and Jensen-Shannon divergences, and the entropy.

None of them has a closed form for mixtures. The Monte Carlo estimates average a
log-density ratio over rows drawn from the mixtures themselves (``sample`` and
``score_samples``, so any fitted mixture of any covariance type will do) and give
their standard error; the variational approximation of the Kullback-Leibler
divergence (Hershey & Olsen 2007) is closed-form, from the Gaussian divergences
between components, and exact when both mixtures have one component.
"""

from __future__ import annotations

import numpy as np
from scipy.special import logsumexp, xlogy

from ..utils.columns import call_with_feature_names
from ..utils.random import as_generator
from .parameters import full_parameters, refuse_noise

KL_METHODS = ("monte_carlo", "variational")
_LOG_2PI = np.log(2 * np.pi)


def kl_divergence(p, q, method="monte_carlo", *, n_samples=10_000, random_state=None,
                  return_stderr=False):
    """Kullback-Leibler divergence ``KL(p || q) = E_p[log p(x) - log q(x)]``.

    Parameters
    ----------
    p, q : fitted mixtures
        Anything with ``sample``, ``score_samples`` and the fitted parameters
        (``weights_``, ``means_``, ``covariances_``, ``covariance_type``), over the
        same columns; any covariance types.
    method : {"monte_carlo", "variational"}, default="monte_carlo"
        ``"monte_carlo"``: the mean of ``log p(x) - log q(x)`` over ``n_samples``
        rows drawn from ``p`` (unbiased; its standard error shrinks as
        ``1 / sqrt(n_samples)``). ``"variational"``: Hershey & Olsen's (2007)
        closed form ``sum_a pi_a log(sum_a' pi_a' exp(-KL(p_a || p_a')) / sum_b
        w_b exp(-KL(p_a || q_b)))`` over the components' Gaussian divergences; an
        approximation (neither a bound nor consistent), exact when ``p`` and ``q``
        have one component each, deterministic and cheap.
    n_samples : int, default=10000
        Rows drawn from ``p`` (Monte Carlo only).
    random_state : int, numpy Generator or None, default=None
        Randomness of the draws (Monte Carlo only).
    return_stderr : bool, default=False
        Also return the Monte Carlo standard error (Monte Carlo only).

    Returns
    -------
    kl : float
        In nats; at least 0 in exact arithmetic (a Monte Carlo estimate can fall
        below 0 when ``p`` and ``q`` are nearly equal).
    stderr : float
        Only with ``return_stderr=True``: the standard error of the estimate.

    Raises
    ------
    ValueError
        An unknown method, ``return_stderr`` with the variational method, ``p`` or
        ``q`` unfitted, or over other columns than the other.

    Examples
    --------
    >>> import gaussmix
    >>> from gaussmix.density import kl_divergence
    >>> p = gaussmix.GaussianMixture.from_parameters([1.], [[0.]], [1.], "spherical")
    >>> q = gaussmix.GaussianMixture.from_parameters([1.], [[1.]], [1.], "spherical")
    >>> kl_divergence(p, q, method="variational")          # (0 - 1)^2 / 2, exactly
    0.5
    >>> kl, se = kl_divergence(p, q, n_samples=20000, random_state=0, return_stderr=True)
    >>> bool(abs(kl - 0.5) < 4 * se)
    True
    """
    if method not in KL_METHODS:
        raise ValueError(f"method={method!r} is not supported; use 'monte_carlo' or "
                         "'variational'.")
    _check_pair(p, q)
    if method == "variational":
        if return_stderr:
            raise ValueError("return_stderr=True needs method='monte_carlo': the variational "
                             "approximation is deterministic and has no standard error.")
        for mixture in (p, q):  # the Monte Carlo estimate uses the whole density
            refuse_noise(mixture, "method='variational' (use method='monte_carlo')")
        return _variational_kl(full_parameters(p), full_parameters(q))
    X = _draw(p, n_samples, as_generator(random_state))
    return _mean(_log_density(p, X) - _log_density(q, X), return_stderr)


def js_divergence(p, q, *, n_samples=10_000, random_state=None, return_stderr=False):
    """Jensen-Shannon divergence ``KL(p || m) / 2 + KL(q || m) / 2``, ``m = (p + q) / 2``.

    Symmetric, between 0 (equal densities) and ``log 2`` (densities that do not
    overlap), by Monte Carlo: ``n_samples`` rows from each of ``p`` and ``q``.

    Parameters
    ----------
    p, q : fitted mixtures
        As :func:`kl_divergence`.
    n_samples : int, default=10000
        Rows drawn from each of ``p`` and ``q``.
    random_state : int, numpy Generator or None, default=None
    return_stderr : bool, default=False
        Also return the standard error.

    Returns
    -------
    js : float
        In nats, within ``[0, log 2]``: the estimate averages, over rows of ``m``,
        ``log 2 - h(p / (p + q))`` (``h`` the binary entropy), which lies there row
        by row.
    stderr : float
        Only with ``return_stderr=True``.

    Examples
    --------
    >>> import gaussmix
    >>> from gaussmix.density import js_divergence
    >>> p = gaussmix.GaussianMixture.from_parameters([1.], [[0.]], [1.], "spherical")
    >>> far = gaussmix.GaussianMixture.from_parameters([1.], [[100.]], [1.], "spherical")
    >>> round(js_divergence(p, far, n_samples=1000, random_state=0), 6)   # log 2
    0.693147
    >>> round(js_divergence(p, p, n_samples=1000, random_state=0), 12)
    0.0
    """
    _check_pair(p, q)
    rng = as_generator(random_state)
    # JS = E_m[log 2 - h(r)], r = p / (p + q), h the binary entropy: every row's term
    # lies in [0, log 2], and n rows from each of p and q are a stratified sample of m
    from_p = _js_terms(p, q, _draw(p, n_samples, rng))
    from_q = _js_terms(p, q, _draw(q, n_samples, rng))
    value = 0.5 * (from_p.mean() + from_q.mean())
    if not return_stderr:
        return float(value)
    stderr = 0.5 * np.sqrt(_variance_of_mean(from_p) + _variance_of_mean(from_q))
    return float(value), float(stderr)


def entropy(mixture, *, n_samples=10_000, random_state=None, return_stderr=False):
    """Differential entropy ``H(p) = -E_p[log p(x)]`` of a mixture, by Monte Carlo.

    Parameters
    ----------
    mixture : fitted mixture
        Anything with ``sample`` and ``score_samples``.
    n_samples : int, default=10000
        Rows drawn from the mixture.
    random_state : int, numpy Generator or None, default=None
    return_stderr : bool, default=False
        Also return the standard error.

    Returns
    -------
    entropy : float
        In nats (can be negative: a density is not a probability).
    stderr : float
        Only with ``return_stderr=True``.

    Examples
    --------
    >>> import numpy as np, gaussmix
    >>> from gaussmix.density import entropy
    >>> gm = gaussmix.GaussianMixture.from_parameters([1.], [[0., 0.]], [[1., 1.]], "diag")
    >>> h, se = entropy(gm, n_samples=20000, random_state=0, return_stderr=True)
    >>> bool(abs(h - (1 + np.log(2 * np.pi))) < 4 * se)   # one Gaussian: log(2 pi e)
    True
    """
    _check_fitted(mixture, "mixture")
    X = _draw(mixture, n_samples, as_generator(random_state))
    return _mean(-_log_density(mixture, X), return_stderr)


def gaussian_kl(means_a, covs_a, means_b, covs_b):
    """Closed-form ``KL(N(mu_a, S_a) || N(mu_b, S_b))`` for every pair of components.

    ``(tr(S_b^-1 S_a) + (mu_b - mu_a)^T S_b^-1 (mu_b - mu_a) - d + log det S_b -
    log det S_a) / 2``.

    Parameters
    ----------
    means_a : ndarray of shape (Ka, d)
    covs_a : ndarray of shape (Ka, d, d)
    means_b : ndarray of shape (Kb, d)
    covs_b : ndarray of shape (Kb, d, d)
        Positive definite.

    Returns
    -------
    kl : ndarray of shape (Ka, Kb)

    Examples
    --------
    >>> import numpy as np
    >>> from gaussmix.density import gaussian_kl
    >>> gaussian_kl(np.zeros((1, 1)), np.ones((1, 1, 1)), np.ones((1, 1)),
    ...             4 * np.ones((1, 1, 1)))          # (1/4 + 1/4 - 1 + log 4) / 2
    array([[0.44314718]])
    """
    d = means_a.shape[1]
    L_b = np.linalg.cholesky(covs_b)                                  # (Kb, d, d)
    L_a = np.linalg.cholesky(covs_a)
    logdet_a = 2 * np.log(np.diagonal(L_a, axis1=1, axis2=2)).sum(axis=1)
    logdet_b = 2 * np.log(np.diagonal(L_b, axis1=1, axis2=2)).sum(axis=1)
    # tr(S_b^-1 S_a) = |L_b^-1 L_a|_F^2 and the Mahalanobis term = |L_b^-1 (mu_a - mu_b)|^2
    inv_b = np.linalg.inv(L_b)                                        # (Kb, d, d)
    whitened = np.einsum("bij,ajk->abik", inv_b, L_a)                 # (Ka, Kb, d, d)
    trace = np.sum(whitened ** 2, axis=(2, 3))
    diff = means_a[:, None, :] - means_b[None, :, :]                  # (Ka, Kb, d)
    maha = np.sum(np.einsum("bij,abj->abi", inv_b, diff) ** 2, axis=2)
    return 0.5 * (trace + maha - d + logdet_b[None, :] - logdet_a[:, None])


# ---------------------------------------------------------------------- helpers
def _variational_kl(p, q):
    """Hershey & Olsen's variational approximation between two FullMixtures."""
    within = gaussian_kl(p.means, p.covariances, p.means, p.covariances)   # (Kp, Kp)
    across = gaussian_kl(p.means, p.covariances, q.means, q.covariances)   # (Kp, Kq)
    with np.errstate(divide="ignore"):  # a zero weight is a component that is not there
        log_wp, log_wq = np.log(p.weights), np.log(q.weights)
    num = logsumexp(log_wp[None, :] - within, axis=1)
    den = logsumexp(log_wq[None, :] - across, axis=1)
    keep = p.weights > 0
    return float(np.sum(p.weights[keep] * (num[keep] - den[keep])))


def _js_terms(p, q, X):
    """``log 2 - h(r)`` at each row, ``r = p / (p + q)``, in log space (densities that
    underflow to 0 give a term of exactly log 2, not NaN)."""
    log_p, log_q = _log_density(p, X), _log_density(q, X)
    log_total = np.logaddexp(log_p, log_q)
    r, s = np.exp(log_p - log_total), np.exp(log_q - log_total)
    return np.log(2) + xlogy(r, r) + xlogy(s, s)


def _draw(mixture, n_samples, rng):
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) \
            or n_samples < 2:
        raise ValueError(f"n_samples must be an integer >= 2 (a standard error needs two "
                         f"draws), got {n_samples!r}.")
    return mixture.sample(int(n_samples), random_state=rng)[0]


def _log_density(mixture, X):
    """``log p(x)`` in float64, the rows given the model's own column names."""
    return np.asarray(call_with_feature_names(mixture, "score_samples", X), dtype=np.float64)


def _variance_of_mean(values):
    return np.var(values, ddof=1) / values.size


def _mean(values, return_stderr):
    value = float(np.mean(values))
    if not return_stderr:
        return value
    return value, float(np.sqrt(_variance_of_mean(values)))


def _check_fitted(mixture, name):
    if not hasattr(mixture, "means_"):
        raise ValueError(f"{name} is not fitted; call fit(X) first (or build it with "
                         "GaussianMixture.from_parameters).")


def _check_pair(p, q):
    """Both fitted, over the same columns (by count, and by name where both have names)."""
    _check_fitted(p, "p")
    _check_fitted(q, "q")
    dp, dq = np.shape(p.means_)[1], np.shape(q.means_)[1]
    if dp != dq:
        raise ValueError(f"p has {dp} feature(s) but q has {dq}; both mixtures must be over "
                         "the same columns.")
    names_p, names_q = getattr(p, "feature_names_in_", None), getattr(q, "feature_names_in_", None)
    if names_p is not None and names_q is not None and list(names_p) != list(names_q):
        raise ValueError(f"p is over columns {list(names_p)} but q over {list(names_q)}; fit "
                         "both on the same columns, in the same order.")
