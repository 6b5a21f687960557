"""Information criteria: one formula each, scikit-learn's sign (lower is better).

mclust reports BIC with the opposite sign (higher is better there): gaussmix's
``bic`` is minus mclust's.
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
