"""Do two data sets come from the same distribution? A likelihood-ratio test of
separate against pooled Gaussian mixtures, calibrated by permutation.

The statistic is ``T = 2 (log L_X + log L_Y - log L_pooled)``: one mixture is chosen
by BIC and fitted on the pooled rows; ``X`` and ``Y`` then each get their own
mixture of the same kind, fitted by EM started at the pooled one, and ``T`` is how
much their log-likelihoods rise. Every parameter of the mixture can move (weights,
means, covariances), so differences in spread, shape and orientation count as much
as differences in location.

``T`` has no usable chi-squared limit (mixtures are not regular models), so its null
distribution is simulated by permuting the pooled rows: under the null hypothesis
every split of the pooled rows into ``n_x`` and ``n_y`` is equally likely, and ``T``
is recomputed for random splits exactly as for the observed one. The pooled model is
the same for every split (it sees the same rows), so it is fitted once. The
p-value's level is then exact whether or not the mixture describes the data well,
where a parametric bootstrap from the pooled fit would hold its level only as far as
that fit is the true density.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from ..mixture import DegenerateComponentWarning, GaussianMixture
from ..mixture.noise import gaussian_share
from ..selection import select
from ..utils.random import SEED_BOUND, seed_from
from ..utils.replicates import replicate_jobs, run_replicates
from ..utils.validation import check_int
from .samples import check_two_samples
from .two_sample_result import TwoSampleResult

#: The numbers of components BIC chooses among by default (fewer where a data set
#: has fewer rows).
DEFAULT_MAX_COMPONENTS = 5
#: What two_sample_test sets itself, so **params may not.
OWN_PARAMS = ("n_components", "covariance_type", "random_state", "warm_start",
              "weights_init", "means_init", "precisions_init", "n_jobs")


def two_sample_test(X, Y, n_components=None, covariance_type=None, *, n_permutations=199,
                    random_state=None, n_jobs=None, progress=None, **params):
    """Test whether ``X`` and ``Y`` come from the same distribution, with Gaussian mixtures.

    The likelihood-ratio statistic ``T = 2 (log L_X + log L_Y - log L_pooled)`` of
    separate against pooled mixtures, with a permutation p-value (see the module's
    notes: exact level, whatever the data's distribution).

    BIC (:func:`~gaussmix.select`) chooses the mixture on the pooled rows; ``X``,
    ``Y`` and every permutation's two parts get one of the same kind, fitted by EM
    from the pooled one (the same start for every split, and a short refit).

    Parameters
    ----------
    X : array-like of shape (n_x, n_features)
        Array, nested lists or DataFrame; a 1-D array is one column.
    Y : array-like of shape (n_y, n_features)
        The same columns as ``X``: with DataFrames, the same names (in any order;
        they are matched by name).
    n_components : int, iterable of int or None, default=None
        Numbers of components BIC chooses among; None: 1 to 5 (at most the rows of
        the smaller data set). Each must be at most the rows of either data set.
    covariance_type : str, iterable of str or None, default=None
        Covariance types BIC chooses among, as :func:`~gaussmix.select`'s
        ``covariance_types``; None: mclust's fourteen models.
    n_permutations : int, default=199
        Random splits of the pooled rows; the smallest possible p-value is
        ``1 / (n_permutations + 1)``. Each costs two EM runs.
    random_state : int, numpy Generator or None, default=None
        One seed is drawn from it: that of the pooled fit and the root of the
        permutations' streams, so the result does not depend on ``n_jobs``.
    n_jobs : int or None, default=None
        Worker processes for the permutations (None: all cores, where the work is
        large enough to pay for starting them).
    progress : bool or None, default=None
        Progress bar over the permutations (tqdm, stderr); None: only on a terminal.
    **params
        Other :class:`~gaussmix.GaussianMixture` parameters (``tol``, ``reg_covar``,
        ``prior``, ...) for every fit.

    Returns
    -------
    result : TwoSampleResult
        ``statistic``, ``pvalue``, ``null_statistics``, the fitted ``model_pooled``,
        ``model_x`` and ``model_y`` (with the DataFrames' column names), and
        ``summary()``.

    Raises
    ------
    ValueError
        Data that are not numeric, have NaN or infinite values, or other columns in
        ``Y`` than in ``X``; fewer than 2 rows; more components than rows; a bad
        ``n_permutations``.

    Examples
    --------
    >>> import numpy as np, gaussmix
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 2))
    >>> Y = rng.normal(size=(60, 2)) @ [[1.0, 0.9], [0.0, 0.4]]   # same mean, other shape
    >>> res = gaussmix.two_sample_test(X, Y, 1, "full", n_permutations=99, random_state=0,
    ...                                progress=False)
    >>> res.pvalue                           # no permutation reaches the observed statistic
    0.01
    >>> bool(res.statistic >= 0), res.model_x.n_components
    (True, 1)
    """
    samples, ks, n_permutations = _check_arguments(X, Y, n_components, n_permutations, params)
    seed = seed_from(random_state)
    pooled, n_candidates = _pooled_fit(samples, ks, covariance_type, seed, params)
    Z, n_x = samples.pooled(), samples.X.shape[0]
    base = pooled.score_samples(samples.frame(Z))  # each row's log-density under the pooled fit
    model_x, model_y, ll = _observed(samples, pooled, base, seed, params)
    statistic = 2.0 * (ll["x"] + ll["y"] - ll["x_pooled"] - ll["y_pooled"])
    null = run_replicates(_permutation, n_permutations, seed, args=(Z, n_x, base, pooled, params),
                          n_jobs=replicate_jobs(n_jobs, n_permutations, Z.size),
                          progress=progress, desc="permutations")
    pvalue = (1 + np.count_nonzero(null >= statistic)) / (n_permutations + 1)
    return TwoSampleResult(float(statistic), float(pvalue), null, pooled, model_x, model_y, ll,
                           (n_x, samples.Y.shape[0]), n_candidates)


def _observed(samples, pooled, base, seed, params):
    """The mixtures of ``X`` and ``Y`` (fitted on their DataFrames, so they keep the
    column names) and the four log-likelihoods of the statistic."""
    fit_seed = int(np.random.default_rng(seed).integers(SEED_BOUND))
    X, Y = samples.frame(samples.X), samples.frame(samples.Y)
    model_x, model_y = _refit(pooled, X, fit_seed, params), _refit(pooled, Y, fit_seed, params)
    n_x = samples.X.shape[0]
    ll = {"x_pooled": float(base[:n_x].sum()), "y_pooled": float(base[n_x:].sum()),
          "x": _total(model_x, X), "y": _total(model_y, Y)}
    return model_x, model_y, ll


def _check_arguments(X, Y, n_components, n_permutations, params):
    """Every argument checked before any fit: the data, the Ks, the permutations."""
    for name in OWN_PARAMS:
        if name in params:
            raise TypeError(f"two_sample_test() sets {name} itself; do not pass it in **params.")
    if "covariance_types" in params:  # select's name for it
        raise TypeError("two_sample_test() takes covariance_type= (one name, a list of names, "
                        "or None for all), not covariance_types=.")
    n_permutations = check_int(n_permutations, "n_permutations", low=1)
    samples = check_two_samples(X, Y)
    fewest = min(samples.X.shape[0], samples.Y.shape[0])
    if n_components is None:
        return samples, range(1, min(DEFAULT_MAX_COMPONENTS, fewest) + 1), n_permutations
    ks = [n_components] if isinstance(n_components, numbers.Integral) else list(n_components)
    too_many = [k for k in ks if isinstance(k, numbers.Integral) and k > fewest]
    if too_many:
        raise ValueError(f"n_components={max(too_many)} is more than the {fewest} rows of the "
                         f"smaller data set; each data set gets its own mixture, so use at "
                         f"most {fewest}.")
    return samples, ks, n_permutations


def _pooled_fit(samples, ks, covariance_type, seed, params):
    """The mixture BIC chooses on the pooled rows, and how many candidates it chose
    among."""
    with warnings.catch_warnings():  # a poor candidate's warnings are not the user's concern
        _quiet()
        res = select(samples.frame(samples.pooled()), ks, covariance_type, random_state=seed,
                     n_jobs=1, progress=False, **params)
    if res.best_ is None:
        notes = "; ".join(sorted(set(res.table_["note"]) - {""}))
        raise ValueError(f"no mixture could be fitted to the pooled rows ({notes}).")
    return res.best_, len(res.table_)


def _permutation(rng, Z, n_x, base, pooled, params):
    """The statistic of one random split of the pooled rows into ``n_x`` and the rest."""
    order = rng.permutation(Z.shape[0])
    first, second = order[:n_x], order[n_x:]
    seed = int(rng.integers(SEED_BOUND))
    gain = (_total(_refit(pooled, Z[first], seed, params), Z[first]) - base[first].sum()
            + _total(_refit(pooled, Z[second], seed, params), Z[second]) - base[second].sum())
    return 2.0 * gain


def _refit(pooled, rows, seed, params):
    """EM on ``rows`` started at the pooled mixture's parameters."""
    fit = GaussianMixture(pooled.n_components, covariance_type=pooled.covariance_type,
                          weights_init=gaussian_share(pooled), means_init=pooled.means_,
                          precisions_init=pooled.precisions_, random_state=seed, n_jobs=1,
                          **params)
    with warnings.catch_warnings():
        _quiet()
        return fit.fit(rows)


def _total(gm, rows):
    """Total log-likelihood of ``rows``."""
    return float(gm.score(rows) * rows.shape[0])


def _quiet():
    # a refit that re-seeds a collapsed component or stops at max_iter is still one
    # draw of the statistic, computed alike for the data and every permutation
    warnings.simplefilter("ignore", ConvergenceWarning)
    warnings.simplefilter("ignore", DegenerateComponentWarning)
