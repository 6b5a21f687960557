"""Does the data look like a draw from the fitted mixture? A parametric bootstrap.

Two statistics, both of the data's log-densities under the model:

- ``"ks"`` (the default): the Kolmogorov-Smirnov distance between the distribution
  of the data's log-densities and that of rows drawn from the model
  (:data:`REFERENCE_ROWS` of them). Where the model is right the two agree; heavy
  tails, a flat top or a missing mode show up as a different spread of log-densities.
- ``"mean"``: the mean log-likelihood, small when the data fit badly. It has a
  blind spot that refitting makes total: for one Gaussian fitted by maximum
  likelihood it equals ``-(log det(2 pi S) + d) / 2``, a function of the sample
  covariance S alone, and a refitted replicate gives the same value for its own S,
  so no data are rejected (Cauchy rows against one Gaussian: p = 0.36; fitted
  mixtures fare hardly better). It suits a model fixed in advance (``refit=False``).

Rows drawn from the model show how the statistic varies when the model is right;
data beyond nearly all of those draws are evidence against it.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted

from ..utils.columns import call_with_feature_names
from ..utils.random import SEED_BOUND, seed_from
from ..utils.replicates import replicate_jobs, run_replicates
from ..utils.validation import check_int, refuse_chunked
from .exceptions import DegenerateComponentWarning
from .noise import gaussian_share

#: Rows drawn from the model (and from each replicate's refit) for the reference
#: distribution of log-densities that the ``"ks"`` statistic compares with; its own
#: noise is in every replicate too, so the p-value accounts for it.
REFERENCE_ROWS = 10_000
STATISTICS = ("ks", "mean")


@dataclass(frozen=True, eq=False)
class GoodnessOfFitResult:
    """What :meth:`GaussianMixture.goodness_of_fit` found.

    Attributes
    ----------
    statistic : float
        ``"ks"``: the Kolmogorov-Smirnov distance between the data's log-densities
        and those of rows drawn from the model; ``"mean"``: the mean log-likelihood.
    pvalue : float
        ``(1 + #{replicates at least as extreme}) / (n_boot + 1)``, extreme meaning a
        larger distance or a smaller mean: small when the data fit worse than rows
        drawn from the model do.
    null_statistics : ndarray of shape (n_boot,)
        The statistic of every bootstrap replicate.
    n_boot : int
    refit : bool
        Whether each replicate was refitted before it was scored.
    n_samples : int
        Rows of the data (and of every replicate).
    kind : {"ks", "mean"}
        Which statistic.
    """

    statistic: float
    pvalue: float
    null_statistics: np.ndarray = field(repr=False)
    n_boot: int
    refit: bool
    n_samples: int
    kind: str = "ks"

    def summary(self):
        """The test in a few lines: statistic, its bootstrap distribution, p-value.

        Returns
        -------
        text : str
        """
        low, mid, high = np.percentile(self.null_statistics, [2.5, 50, 97.5])
        how = "refitted" if self.refit else "scored under the model as it is"
        what = ("KS distance of log-densities" if self.kind == "ks" else "mean log-likelihood")
        return "\n".join([
            f"Goodness of fit: parametric bootstrap of the {what}",
            f"{'statistic of the data':30} {self.statistic:.6g}  ({self.n_samples} rows)",
            f"{'under the model (median, 95%)':30} {mid:.6g}  [{low:.6g}, {high:.6g}]",
            f"{'replicates':30} {self.n_boot}, each {how}",
            f"{'p-value':30} {self.pvalue:.4g}  (small: the data fit worse than draws "
            "from the model)"])


def goodness_of_fit(gm, X, *, n_boot=199, statistic="ks", refit=True, random_state=None,
                    n_jobs=None, progress=None):
    """Parametric bootstrap test of a fitted mixture against data (see
    :meth:`GaussianMixture.goodness_of_fit`, which documents the parameters)."""
    check_is_fitted(gm, "means_")
    n_boot = check_int(n_boot, "n_boot", low=1)
    refuse_chunked(X, "goodness_of_fit()")
    if statistic not in STATISTICS:
        raise ValueError(f"statistic={statistic!r} is not supported; use 'ks' or 'mean'.")
    if not isinstance(refit, (bool, np.bool_)):
        raise TypeError(f"refit must be True or False, got {refit!r}.")
    Xc = gm._check_X_predict(X)  # columns, names, NaN: the model's own checks
    seed = seed_from(random_state)
    # the observed statistic's reference rows come from a stream no replicate uses
    observed = _statistic(gm, Xc, statistic, np.random.default_rng([seed, n_boot]))
    n = Xc.shape[0]
    null = run_replicates(_replicate, n_boot, seed, args=(gm, n, statistic, bool(refit)),
                          n_jobs=replicate_jobs(n_jobs, n_boot, n * gm.n_features_in_),
                          progress=progress, desc="goodness of fit")
    extreme = null >= observed if statistic == "ks" else null <= observed
    pvalue = (1 + np.count_nonzero(extreme)) / (n_boot + 1)
    return GoodnessOfFitResult(float(observed), float(pvalue), null, n_boot, bool(refit), n,
                               statistic)


def _statistic(gm, X, kind, rng):
    """The statistic of rows ``X`` under ``gm``."""
    if kind == "mean":
        return gm._mean_log_density(X)
    reference, _ = gm.sample(REFERENCE_ROWS, random_state=rng)
    return _ks_distance(call_with_feature_names(gm, "score_samples", X),
                        call_with_feature_names(gm, "score_samples", reference))


def _ks_distance(a, b):
    """Largest gap between the empirical distribution functions of ``a`` and ``b``."""
    a, b = np.sort(a), np.sort(b)
    points = np.concatenate([a, b])
    gap = (np.searchsorted(a, points, side="right") / a.size
           - np.searchsorted(b, points, side="right") / b.size)
    return float(np.max(np.abs(gap)))


def _replicate(rng, gm, n, kind, refit):
    """One bootstrap draw of the statistic: ``n`` rows from ``gm``, judged by ``gm``
    or by a refit started at ``gm``'s parameters."""
    Xb, _ = gm.sample(n, random_state=rng)
    if not refit:
        return _statistic(gm, Xb, kind, rng)
    fit = clone(gm).set_params(weights_init=gaussian_share(gm), means_init=gm.means_,
                               precisions_init=gm.precisions_, warm_start=False, n_jobs=1,
                               verbose=0, random_state=int(rng.integers(SEED_BOUND)))
    with warnings.catch_warnings():
        # a replicate's collapse or slow convergence is part of the null distribution
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", DegenerateComponentWarning)
        fit.fit(Xb)
    return _statistic(fit, Xb, kind, rng)
