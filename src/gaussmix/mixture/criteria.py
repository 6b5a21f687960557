"""Information criteria: one formula each, scikit-learn's sign (lower is better).

mclust reports BIC and ICL with the opposite sign (higher is better there):
gaussmix's ``bic`` and ``icl`` are minus mclust's.
"""

from __future__ import annotations

import numpy as np


def bic(loglik, n_parameters, n_obs):
    """Bayesian information criterion ``-2 log L + p log n``.

    Examples
    --------
    >>> bool(bic(-100.0, 5, 100) == 200.0 + 5 * np.log(100))
    True
    """
    return float(-2.0 * loglik + n_parameters * np.log(n_obs))


def aic(loglik, n_parameters):
    """Akaike information criterion ``-2 log L + 2 p``.

    Examples
    --------
    >>> aic(-100.0, 5)
    210.0
    """
    return float(-2.0 * loglik + 2.0 * n_parameters)


def icl(loglik, n_parameters, n_obs, log_max_resp):
    """Integrated completed likelihood ``BIC - 2 sum_n log max_k r_nk``.

    BIC plus a penalty for overlapping components: ``log_max_resp`` is the sum over
    rows of the log of each row's largest responsibility (:func:`sum_log_max_resp`),
    0 when every row belongs to one component for sure. mclust's ``icl`` is the
    negative of this (its BIC has the opposite sign too).

    Examples
    --------
    >>> bool(icl(-100.0, 5, 100, np.log(0.5) * 10) == bic(-100.0, 5, 100) - 20 * np.log(0.5))
    True
    """
    return bic(loglik, n_parameters, n_obs) - 2.0 * float(log_max_resp)


def sum_log_max_resp(log_resp, sample_weight=None):
    """``sum_n w_n max_k log r_nk``: the (weighted) log of each row's largest
    responsibility, summed; the classification term of :func:`icl`.

    Parameters
    ----------
    log_resp : ndarray of shape (n_samples, n_components)
        Log-responsibilities.
    sample_weight : ndarray of shape (n_samples,), optional

    Examples
    --------
    >>> float(sum_log_max_resp(np.array([[np.log(0.5), np.log(0.5)], [0.0, -np.inf]])))
    -0.6931471805599453
    """
    best = np.max(log_resp, axis=1)
    return float(np.dot(best, sample_weight) if sample_weight is not None else np.sum(best))
