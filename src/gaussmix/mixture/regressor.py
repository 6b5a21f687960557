"""``MixtureRegressor``: Gaussian mixture regression as a scikit-learn regressor.

A Gaussian mixture fitted to the joint rows ``[x, y]`` predicts ``E[y | x]``: each
component's linear regression of y on x, weighted by how well the component explains
x (Ghahramani and Jordan 1994; Sung 2004; gmr's ``GaussianMixtureRegressor``). With
one component this is linear least squares; with more it bends and splits.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, MultiOutputMixin, RegressorMixin
from sklearn.utils.validation import (check_array, check_consistent_length, check_is_fitted,
                                      validate_data)

from ..density import conditional_covariance, conditional_mean
from .gaussian import GaussianMixture
from .missing import allows_missing, check_missing_option
from .regression_gaps import predict_with_gaps

#: The constructor parameters passed on to the joint ``GaussianMixture``.
_MIXTURE_PARAMS = ("n_components", "covariance_type", "tol", "reg_covar", "max_iter",
                   "n_init", "init_params", "weights_init", "means_init", "precisions_init",
                   "random_state", "warm_start", "verbose", "verbose_interval", "chunk_size",
                   "n_jobs", "prior", "missing")


class MixtureRegressor(MultiOutputMixin, RegressorMixin, BaseEstimator):
    """Gaussian mixture regression: a mixture fitted on ``[X, y]`` predicts ``E[y | X]``.

    ``fit`` fits a :class:`GaussianMixture` to the rows ``[x, y]``; ``predict`` is the
    mean of the conditional mixture of y given x (:meth:`GaussianMixture.conditional_mean`),
    optionally with its standard deviation.

    Parameters
    ----------
    n_components : int, default=1
        Components of the joint mixture. One component is linear least squares;
        more bend the prediction and let its spread change with x.
    covariance_type : str, default="full"
        As :class:`GaussianMixture`. Only covariances that couple x and y (full,
        tied and mclust's ellipsoidal models) give a slope inside a component; with
        diagonal or spherical ones each component predicts its constant mean of y.
    tol, reg_covar, max_iter, n_init, init_params, weights_init, means_init, \
precisions_init, random_state, warm_start, verbose, verbose_interval, chunk_size, \
n_jobs, prior
        As :class:`GaussianMixture`, for the joint fit (``means_init`` and the other
        starting parameters have ``n_features + n_targets`` columns).
    missing : None, "error" or "em", default=None
        NaN in ``X`` or ``y``: None and ``"error"`` refuse it. ``"em"``: the joint
        mixture is fitted by EM on each row's observed entries
        (``GaussianMixture(missing="em")``), so rows with missing inputs, and rows
        without a target, still inform the fit; ``predict`` gives ``E[y | x_o]`` from
        each row's observed inputs ``x_o`` (y's marginal mean for a row with none).

    Attributes
    ----------
    mixture_ : GaussianMixture
        The joint mixture, fitted on the array ``[X, y]`` (X's columns first).
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        X's column names, when fitted on a DataFrame with string column names.
    n_targets_ : int
        Columns of y (1 for a 1-D y).
    n_iter_ : int
        EM iterations of the joint fit (``mixture_.n_iter_``).
    converged_ : bool
        Whether the joint fit converged (``mixture_.converged_``).

    Examples
    --------
    >>> import numpy as np
    >>> from gaussmix import MixtureRegressor
    >>> rng = np.random.default_rng(0)
    >>> x = rng.uniform(-3, 3, (600, 1))
    >>> y = np.sin(x[:, 0]) + 0.1 * rng.standard_normal(600)
    >>> reg = MixtureRegressor(n_components=6, random_state=0).fit(x, y)
    >>> bool(reg.score(x, y) > 0.95)
    True
    >>> mean, std = reg.predict([[1.5]], return_std=True)
    >>> bool(abs(mean[0] - np.sin(1.5)) < 0.1 and 0.05 < std[0] < 0.2)
    True
    """

    def __init__(self, n_components=1, *, covariance_type="full", tol=1e-5, reg_covar=1e-6,
                 max_iter=1000, n_init=1, init_params="auto", weights_init=None,
                 means_init=None, precisions_init=None, random_state=None, warm_start=False,
                 verbose=0, verbose_interval=10, chunk_size=None, n_jobs=None, prior=None,
                 missing=None):
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
        self.missing = missing

    def fit(self, X, y, sample_weight=None):
        """Fit the joint mixture of ``[X, y]``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), default=None
            As :meth:`GaussianMixture.fit`.

        Returns
        -------
        self : MixtureRegressor
        """
        X, Y = self._validate_training_data(X, y)
        self._target_names = _target_names(y)
        self._y_is_1d = np.ndim(Y) == 1
        Y = Y.reshape(len(Y), -1)
        self.n_targets_ = Y.shape[1]
        joint = np.hstack([X, Y.astype(X.dtype, copy=False)])
        mixture = self.mixture_ if self.warm_start and hasattr(self, "mixture_") \
            else GaussianMixture()
        mixture.set_params(**{p: getattr(self, p) for p in _MIXTURE_PARAMS})
        self.mixture_ = mixture.fit(joint, sample_weight=sample_weight)
        self.n_iter_ = self.mixture_.n_iter_
        self.converged_ = self.mixture_.converged_
        return self

    def predict(self, X, return_std=False):
        """``E[y | x]`` for each row of ``X``, optionally with the conditional std.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        return_std : bool, default=False
            Also return each target's conditional standard deviation
            ``sqrt(Var[y_j | x])`` (the mixture's, so it grows where components
            disagree).

        Returns
        -------
        mean : ndarray of shape (n_samples,) or (n_samples, n_targets)
            The shape of ``y`` at fit time; a pandas Series (DataFrame) with X's
            index and y's name(s) when ``X`` is a DataFrame.
        std : same type and shape, only with ``return_std=True``
        """
        check_is_fitted(self, "mixture_")
        frame = X if hasattr(X, "columns") else None
        gaps = allows_missing(self.missing)
        X = _finite_or_explain(lambda: validate_data(
            self, X, reset=False, dtype=[np.float64, np.float32],
            ensure_all_finite="allow-nan" if gaps else True))
        if gaps and np.isnan(X).any():
            out = predict_with_gaps(self.mixture_, X, return_std)
            out = list(out) if return_std else [out]
        else:
            out = _predict_complete(self.mixture_, X, return_std)
        out = [self._as_targets(a, frame) for a in out]
        return tuple(out) if return_std else out[0]

    def score(self, X, y, sample_weight=None):
        """The coefficient of determination R² of ``predict(X)`` against ``y``.

        scikit-learn's ``RegressorMixin.score`` (averaged uniformly over targets);
        defined here only to say so in gaussmix's documentation.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
            1 for perfect predictions, 0 for predicting y's mean; lower is worse.
        """
        return super().score(X, y, sample_weight=sample_weight)

    def _validate_training_data(self, X, y):
        """(X, y) as arrays; NaN let through in both with ``missing="em"``."""
        if not allows_missing(check_missing_option(self.missing)):
            return _finite_or_explain(lambda: validate_data(
                self, X, y, multi_output=True, y_numeric=True, dtype=[np.float64, np.float32]))
        if y is None:
            raise ValueError("MixtureRegressor requires y to be passed, but the target y is "
                             "None; pass the target of every row.")
        X = validate_data(self, X, reset=True, dtype=[np.float64, np.float32],
                          ensure_all_finite="allow-nan")
        Y = check_array(y, ensure_2d=False, dtype=np.float64, ensure_all_finite="allow-nan",
                        input_name="y")
        check_consistent_length(X, Y)
        return X, Y

    def _as_targets(self, array, frame):
        """Predictions in y's shape, as pandas with y's names for a DataFrame X."""
        array = array[:, 0] if self._y_is_1d else array
        if frame is None:
            return array
        import pandas as pd

        names = self._target_names or [f"y{j}" for j in range(self.n_targets_)]
        if self._y_is_1d:
            return pd.Series(array, index=frame.index, name=names[0])
        return pd.DataFrame(array, index=frame.index, columns=names)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.single_output = True
        tags.input_tags.allow_nan = self.missing == "em"
        return tags


def _predict_complete(mixture, X, return_std):
    """``[E[y | x]]`` (and the conditional std) for complete rows ``X``."""
    given = np.arange(X.shape[1])
    out = [conditional_mean(mixture, given, X)]
    if return_std:
        cov = conditional_covariance(mixture, given, X)
        out.append(np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0.0, None)))
    return out


def _target_names(y):
    """y's name(s): a named Series' name, a DataFrame's columns, else None."""
    if hasattr(y, "columns"):
        return [str(c) for c in y.columns]
    name = getattr(y, "name", None)
    return None if name is None else [str(name)]


def _finite_or_explain(validate):
    """Run scikit-learn's validation; to its message about NaN or infinity add what
    to do."""
    try:
        return validate()
    except ValueError as exc:
        if "NaN" in str(exc) or "infinity" in str(exc):
            raise ValueError(f"{exc} Pass missing='em' to fit and predict rows with NaN "
                             "(EM on their observed entries), or drop or impute those rows "
                             "first (infinity is never allowed).") \
                from exc
        raise
