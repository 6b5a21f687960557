"""``MixtureOutlierDetector``: a Gaussian mixture's density as an outlier score, with
scikit-learn's outlier-detector conventions (as ``EllipticEnvelope``)."""

from __future__ import annotations

import math

import numpy as np
from sklearn.base import BaseEstimator, OutlierMixin
from sklearn.utils.validation import check_is_fitted

from ..utils.validation import check_sample_weight
from .gaussian import GaussianMixture
from .noise import noise_term

#: The largest ``contamination`` (scikit-learn's outlier detectors take (0, 0.5]).
MAX_CONTAMINATION = 0.5


def check_contamination(contamination):
    """``"auto"`` or a real number in (0, 0.5]."""
    if isinstance(contamination, str) and contamination == "auto":
        return contamination
    ok = (not isinstance(contamination, (bool, np.bool_, str))
          and np.isscalar(contamination) and np.isreal(contamination)
          and 0.0 < float(contamination) <= MAX_CONTAMINATION)
    if not ok:
        raise ValueError(f"contamination must be 'auto' or a number in (0, "
                         f"{MAX_CONTAMINATION}], the expected share of outliers; got "
                         f"{contamination!r}.")
    return float(contamination)


def weighted_quantile(values, weights, q):
    """The ``q`` quantile of ``values`` with row weights, numpy's default (linear)
    rule on the rows each repeated ``weights`` times: an integer weight counts as
    that many copies of the row, a zero weight as no row.

    Examples
    --------
    >>> v = np.array([3.0, 1.0, 2.0])
    >>> float(weighted_quantile(v, np.array([1.0, 2.0, 0.0]), 0.5))
    1.0
    >>> float(np.quantile([3.0, 1.0, 1.0], 0.5))
    1.0
    """
    if weights is None:
        return float(np.quantile(values, q))
    order = np.argsort(values, kind="stable")
    v = values[order]
    upto = np.cumsum(weights[order], dtype=np.float64)
    h = max(upto[-1] - 1.0, 0.0) * q  # position among the repeated rows
    lo = math.floor(h)
    # the value at repeated position p is that of the first row whose weight reaches past p
    at = v[np.minimum(np.searchsorted(upto, [lo, lo + 1], side="right"), v.size - 1)]
    return float(at[0] + (h - lo) * (at[1] - at[0]))


class MixtureOutlierDetector(OutlierMixin, BaseEstimator):
    """Outliers as the rows of lowest density under a fitted Gaussian mixture.

    ``score_samples`` is the mixture's log-density ``log p(x)`` (higher: more
    normal); ``decision_function = score_samples - offset_``; ``predict`` gives 1 for
    inliers (``decision_function >= 0``) and -1 for outliers, as scikit-learn's
    ``EllipticEnvelope``, of which this is the K-component generalisation.

    Parameters
    ----------
    contamination : float in (0, 0.5] or "auto", default=0.05
        A number: the expected share of outliers in the training data; ``offset_`` is
        that quantile of the training rows' log-densities (weighted by
        ``sample_weight``, an integer weight counting as copies of the row), so that
        share of them is called outliers. ``"auto"``: the mixture is fitted with
        mclust's noise component (``noise=True`` whatever ``noise`` says; see
        :doc:`/user_guide/noise`), and a row is an outlier where the uniform
        background explains more than half its density: ``offset_ = log(2 *
        noise_weight_ / noise_volume_)``; how many that are is found from the data.
    n_components, covariance_type, tol, reg_covar, max_iter, n_init, init_params, \
weights_init, means_init, precisions_init, random_state, warm_start, verbose, \
verbose_interval, chunk_size, n_jobs, prior, noise, noise_volume, missing, \
online_step_exponent, fixed
        Passed to the :class:`~gaussmix.GaussianMixture` that models the density (same
        meanings and defaults). ``warm_start=True`` refits the previous ``mixture_``
        from its solution.

    Attributes
    ----------
    mixture_ : GaussianMixture
        The fitted mixture.
    offset_ : float
        The threshold on ``score_samples``: rows below it are outliers.
    n_iter_ : int
        EM iterations of the mixture's fit.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names, when fitted on a DataFrame with string column names.

    Examples
    --------
    >>> import numpy as np
    >>> from gaussmix import MixtureOutlierDetector
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(-4, 1, (200, 2)), rng.normal(4, 1, (200, 2))])
    >>> det = MixtureOutlierDetector(contamination=0.05, n_components=2,
    ...                              random_state=0).fit(X)
    >>> int((det.predict(X) == -1).sum())          # 5 % of 400 rows
    20
    >>> det.predict([[-4.0, -4.0], [0.0, 0.0], [20.0, 20.0]]).tolist()
    [1, -1, -1]
    """

    def __init__(self, contamination=0.05, *, n_components=1, covariance_type="full",
                 tol=1e-5, reg_covar=1e-6, max_iter=1000, n_init=1, init_params="auto",
                 weights_init=None, means_init=None, precisions_init=None,
                 random_state=None, warm_start=False, verbose=0, verbose_interval=10,
                 chunk_size=None, n_jobs=None, prior=None, noise=False, noise_volume=None,
                 missing=None, online_step_exponent=0.6, fixed=None):
        self.contamination = contamination
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weights_init = weights_init
        self.means_init = means_init
        self.precisions_init = precisions_init
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs
        self.prior = prior
        self.noise = noise
        self.noise_volume = noise_volume
        self.missing = missing
        self.online_step_exponent = online_step_exponent
        self.fixed = fixed

    def _mixture(self, contamination):
        """The (unfitted) mixture of this fit: the previous one for a warm start."""
        params = {k: v for k, v in self.get_params(deep=False).items() if k != "contamination"}
        if contamination == "auto":
            params["noise"] = True
        gm = self.mixture_ if self.warm_start and hasattr(self, "mixture_") else GaussianMixture()
        return gm.set_params(**params)

    def fit(self, X, y=None, sample_weight=None):
        """Fit the mixture, then place ``offset_`` (see ``contamination``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights; an integer weight w fits as w copies of the row.

        Returns
        -------
        self : MixtureOutlierDetector
        """
        contamination = check_contamination(self.contamination)
        gm = self._mixture(contamination)
        gm.fit(X, sample_weight=sample_weight)
        self.mixture_ = gm
        if contamination == "auto":
            self.offset_ = noise_term(gm).log_density(gm.weights_) + math.log(2.0)
        else:
            scores = gm.score_samples(X)
            w = check_sample_weight(sample_weight, scores.shape[0], np.float64)
            self.offset_ = weighted_quantile(scores, w, contamination)
        self.n_iter_ = gm.n_iter_
        self.n_features_in_ = gm.n_features_in_
        if hasattr(gm, "feature_names_in_"):
            self.feature_names_in_ = gm.feature_names_in_
        return self

    def score_samples(self, X):
        """Log-density ``log p(x)`` of each row under ``mixture_`` (higher: more normal).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "offset_")
        return self.mixture_.score_samples(X)

    def decision_function(self, X):
        """``score_samples(X) - offset_``: negative for outliers.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        decision : ndarray of shape (n_samples,)
        """
        return self.score_samples(X) - self.offset_

    def predict(self, X):
        """1 for inliers, -1 for outliers.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return np.where(self.decision_function(X) >= 0, 1, -1)
