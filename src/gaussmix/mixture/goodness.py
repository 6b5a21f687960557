"""Does the data look like a draw from the fitted mixture? A parametric bootstrap of
the mean log-likelihood.

The statistic is the mean log-likelihood of the data under the model. Rows drawn
from the model itself show how large it is when the model is right; data that fit
worse than nearly all of those draws are evidence against the model.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted

from ..utils.random import SEED_BOUND, seed_from
from ..utils.replicates import replicate_jobs, run_replicates
from ..utils.validation import check_int
from .exceptions import DegenerateComponentWarning


@dataclass(frozen=True, eq=False)
class GoodnessOfFitResult:
    """What :meth:`GaussianMixture.goodness_of_fit` found.

    Attributes
    ----------
    statistic : float
        Mean log-likelihood of the data under the model.
    pvalue : float
        ``(1 + #{replicates <= statistic}) / (n_boot + 1)``: small when the data fit
        worse than rows drawn from the model do.
    null_statistics : ndarray of shape (n_boot,)
        The statistic of every bootstrap replicate.
    n_boot : int
    refit : bool
        Whether each replicate was refitted before it was scored.
    n_samples : int
        Rows of the data (and of every replicate).
    """

    statistic: float
    pvalue: float
    null_statistics: np.ndarray = field(repr=False)
    n_boot: int
    refit: bool
    n_samples: int

    def summary(self):
        """The test in a few lines: statistic, its bootstrap distribution, p-value.

        Returns
        -------
        text : str
        """
        low, mid, high = np.percentile(self.null_statistics, [2.5, 50, 97.5])
        how = "refitted" if self.refit else "scored under the model as it is"
        return "\n".join([
            "Goodness of fit: parametric bootstrap of the mean log-likelihood",
            f"mean log-likelihood of the data  {self.statistic:.6g}  ({self.n_samples} rows)",
            f"under the model (median, 95%)    {mid:.6g}  [{low:.6g}, {high:.6g}]",
            f"replicates                       {self.n_boot}, each {how}",
            f"p-value                          {self.pvalue:.4g}  (small: the data fit worse "
            "than draws from the model)"])


def goodness_of_fit(gm, X, *, n_boot=199, refit=True, random_state=None, n_jobs=None,
                    progress=None):
    """Parametric bootstrap test of a fitted mixture against data (see
    :meth:`GaussianMixture.goodness_of_fit`, which documents the parameters)."""
    check_is_fitted(gm, "means_")
    n_boot = check_int(n_boot, "n_boot", low=1)
    if not isinstance(refit, (bool, np.bool_)):
        raise TypeError(f"refit must be True or False, got {refit!r}.")
    statistic = gm.score(X)  # checks X: columns, names, NaN
    n = gm._check_X_predict(X).shape[0]
    jobs = replicate_jobs(n_jobs, n_boot, n * gm.n_features_in_)
    null = run_replicates(_replicate, n_boot, seed_from(random_state),
                          args=(gm, n, bool(refit)), n_jobs=jobs, progress=progress,
                          desc="goodness of fit")
    pvalue = (1 + np.count_nonzero(null <= statistic)) / (n_boot + 1)
    return GoodnessOfFitResult(float(statistic), float(pvalue), null, n_boot, bool(refit), n)


def _replicate(rng, gm, n, refit):
    """One bootstrap draw of the statistic: ``n`` rows from ``gm``, scored by ``gm``
    or by a refit started at ``gm``'s parameters."""
    Xb, _ = gm.sample(n, random_state=rng)
    if not refit:
        return gm._mean_log_density(Xb)
    fit = clone(gm).set_params(weights_init=gm.weights_, means_init=gm.means_,
                               precisions_init=gm.precisions_, warm_start=False, n_jobs=1,
                               verbose=0, random_state=int(rng.integers(SEED_BOUND)))
    with warnings.catch_warnings():
        # a replicate's collapse or slow convergence is part of the null distribution
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", DegenerateComponentWarning)
        fit.fit(Xb)
    return fit._mean_log_density(Xb)
