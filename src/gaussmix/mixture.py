"""``GaussianMixture``: a scikit-learn estimator and a fitted distribution object."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, DensityMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted

from ._covariance import get_model
from ._em import (
    MixtureParams,
    chunk_size_for,
    collect,
    data_moments,
    default_threads,
    run_em,
    weighted_log_prob,
    _logsumexp_rows,
)
from ._init import (
    INIT_METHODS,
    MAX_INIT_ROWS,
    auto_methods,
    init_sample,
    one_hot,
    params_from_resp,
    start_params,
)
from ._kmeans import sq_distances
from ._validation import (
    check_covariance_type,
    check_int,
    check_real,
    check_sample_weight,
    check_X,
)


class DegenerateComponentWarning(UserWarning):
    """A component collapsed onto a point or lost its mass and was re-seeded."""


def as_generator(random_state):
    """``numpy.random.Generator`` from None, an int, a Generator or a RandomState."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(0, 2**32 - 1, dtype=np.uint64))
    if random_state is None or (isinstance(random_state, (int, np.integer))
                                and not isinstance(random_state, bool)):
        return np.random.default_rng(random_state)
    raise TypeError(
        f"random_state must be None, an int, a numpy Generator or RandomState, got {random_state!r}."
    )


class GaussianMixture(DensityMixin, BaseEstimator):
    """Gaussian mixture density, fitted by EM on additive sufficient statistics.

    ``p(x) = sum_k weights_[k] * N(x; means_[k], covariances_[k])``.

    A drop-in for :class:`sklearn.mixture.GaussianMixture` (same parameter and
    attribute names) that also takes ``sample_weight``, starts from better optima by
    default (mclust's hierarchical agglomeration plus k-means candidates), and fits
    degenerate data (duplicates, constant columns, more components than distinct
    points) instead of failing.

    Parameters
    ----------
    n_components : int, default=1
        Number of mixture components K.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        ``full``: one general covariance per component; ``tied``: one shared general
        covariance; ``diag``: one diagonal covariance per component; ``spherical``:
        one variance per component (mclust's VVV, EEE, VVI, VII).
    tol : float, default=1e-5
        EM stops when the mean (per unit weight) log-likelihood changes by less.
        Tighter than scikit-learn's 1e-3: EM's last steps can be slow, and 1e-3
        stops short of mclust's optima in many cells of its reference tables.
    reg_covar : float, default=1e-6
        Added to the diagonal of every covariance; keeps them positive definite.
    max_iter : int, default=1000
        Maximum number of EM iterations (M-steps) per initialisation.
    n_init : int, default=1
        Number of initialisations; the one with the highest log-likelihood is kept.
    init_params : {"auto", "hierarchical", "kmeans", "k-means++", "random", \
"random_from_data"}, default="auto"
        How starting parameters are found; see :mod:`gaussmix._init`. ``"auto"``
        tries mclust's model-based hierarchical agglomeration and a k-means start,
        runs EM from each to convergence and keeps the best. On more than 4000 rows
        the candidates are started and raced on a 4000-row sample, and only the
        winner runs on all rows (each later initialisation is one k-means start).
    weights_init : array-like of shape (n_components,), default=None
    means_init : array-like of shape (n_components, n_features), default=None
    precisions_init : array-like, default=None
        User-given starting parameters (shapes as ``precisions_``). Given together,
        EM starts exactly there.
    random_state : int, numpy Generator or None, default=None
        Seed for the random parts of the initialisation.
    warm_start : bool, default=False
        If True, a new ``fit`` starts from the previous solution (``n_init`` ignored).
    verbose : int, default=0
        1 prints one line per initialisation, 2 one line per EM iteration.
    verbose_interval : int, default=10
        Accepted for scikit-learn compatibility.
    chunk_size : int or None, default=None
        Rows per E-step chunk; None sizes chunks per iteration to the E-step's
        intermediates, up to 16 MB per thread and a quarter of the data's size
        for all threads together. Results do not depend on it beyond rounding.
    n_jobs : int or None, default=None
        Threads for the E-step's chunks; None uses every core this process may use.
        Results do not depend on it.

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
    means_ : ndarray of shape (n_components, n_features)
    covariances_ : ndarray
        (K, d, d) full, (d, d) tied, (K, d) diag, (K,) spherical.
    precisions_ : ndarray
        Inverses of ``covariances_``, same shapes.
    precisions_cholesky_ : ndarray
        Cholesky factors of the precisions, same shapes.
    converged_ : bool
    n_iter_ : int
        EM iterations of the kept initialisation.
    lower_bound_ : float
        Mean log-likelihood per unit weight of the fitted parameters on the training data.
    lower_bounds_ : list of float
        ``lower_bounds_[i]``: mean log-likelihood after ``i`` iterations (entry 0 is
        the start). Never decreases except at the iterations in ``resets_``.
    n_resets_ : int
        Components re-seeded because they collapsed or emptied (all initialisations).
    resets_ : list of (int, int)
        ``(iteration, component)`` of each re-seeding in the kept run.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when fitted on a DataFrame with string column names.

    Examples
    --------
    >>> import numpy as np
    >>> from gaussmix import GaussianMixture
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(-3, 1, (200, 2)), rng.normal(3, 1, (200, 2))])
    >>> gm = GaussianMixture(n_components=2, random_state=0).fit(X)
    >>> np.round(np.sort(gm.means_[:, 0]))
    array([-3.,  3.])
    """

    def __init__(
        self,
        n_components=1,
        *,
        covariance_type="full",
        tol=1e-5,
        reg_covar=1e-6,
        max_iter=1000,
        n_init=1,
        init_params="auto",
        weights_init=None,
        means_init=None,
        precisions_init=None,
        random_state=None,
        warm_start=False,
        verbose=0,
        verbose_interval=10,
        chunk_size=None,
        n_jobs=None,
    ):
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

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_parameters(cls, weights, means, covariances, covariance_type="full", **kwargs):
        """A ready (fitted) mixture from its parameters.

        Parameters
        ----------
        weights : array-like of shape (n_components,)
            Non-negative, summing to 1.
        means : array-like of shape (n_components, n_features)
        covariances : array-like
            Shape (K, d, d) full, (d, d) tied, (K, d) diag variances, (K,) spherical
            variances. Must be positive definite.
        covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        **kwargs
            Other constructor parameters (used if the model is later refitted).

        Returns
        -------
        GaussianMixture

        Examples
        --------
        >>> from gaussmix import GaussianMixture
        >>> gm = GaussianMixture.from_parameters([0.3, 0.4, 0.3], [[8.], [-2.], [4.]],
        ...                                      [4., 4., 4.], covariance_type="spherical")
        >>> gm.predict_proba([[5.]]).round(3)
        array([[0.268, 0.002, 0.729]])
        """
        check_covariance_type(covariance_type)
        means = _as_float_array(means, "means")
        if means.ndim != 2:
            raise ValueError(
                f"means must have shape (n_components, n_features), got shape {means.shape}."
            )
        K, d = means.shape
        weights = _check_weights(weights, K)
        covariances = _check_covariances(covariances, covariance_type, K, d)
        gm = cls(n_components=K, covariance_type=covariance_type, **kwargs)
        params = MixtureParams.from_covariances(covariance_type, weights, means, covariances)
        gm._set_params(params)
        gm.converged_ = True
        gm.n_iter_ = 0
        gm.lower_bound_ = -np.inf
        gm.lower_bounds_ = []
        gm.n_resets_ = 0
        gm.resets_ = []
        gm.n_features_in_ = d
        return gm

    # ------------------------------------------------------------------ fitting
    def _check_parameters(self):
        check_int(self.n_components, "n_components", low=1)
        check_covariance_type(self.covariance_type)
        check_real(self.tol, "tol", low=0.0)
        check_real(self.reg_covar, "reg_covar", low=0.0)
        check_int(self.max_iter, "max_iter", low=0)
        check_int(self.n_init, "n_init", low=1)
        check_int(self.verbose, "verbose", low=0)
        if self.chunk_size is not None:
            check_int(self.chunk_size, "chunk_size", low=1)
        if self.n_jobs is not None:
            check_int(self.n_jobs, "n_jobs")
        if self.init_params not in INIT_METHODS:
            raise ValueError(
                f"init_params={self.init_params!r} is not supported; use one of "
                f"{', '.join(repr(m) for m in INIT_METHODS)}."
            )

    def fit(self, X, y=None, sample_weight=None):
        """Estimate the mixture's parameters by EM.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data (numpy array or pandas DataFrame). float32 data are fitted
            in float32, anything else in float64.
        y : ignored
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights; an integer weight w fits exactly as w copies
            of the row.

        Returns
        -------
        self : GaussianMixture
        """
        self._fit(X, sample_weight)
        return self

    def fit_predict(self, X, y=None, sample_weight=None):
        """Fit, then return the most likely component of each row of ``X``.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        X = self._fit(X, sample_weight)
        return self._log_resp(X).argmax(axis=1)

    def _fit(self, X, sample_weight):
        self._check_parameters()
        X = check_X(self, X, reset=True)
        w = check_sample_weight(sample_weight, X.shape[0], X.dtype)
        n_rows = X.shape[0] if w is None else int(np.count_nonzero(w))
        K = self.n_components
        if K > n_rows:
            raise ValueError(
                f"n_components={K} is larger than the number of samples "
                f"({n_rows}{' with positive weight' if w is not None else ''}); "
                "use at most as many components as rows."
            )
        if w is not None and np.all(w == 1):
            w = None
        rng = as_generator(self.random_state)
        n_threads = self._n_threads()
        chunk = chunk_size_for(X.shape[0], K, X.shape[1], X.dtype.itemsize, self.chunk_size,
                               n_threads)
        with np.errstate(over="ignore", invalid="ignore"):
            _, data_cov = data_moments(X, w, chunk)
        limit = np.finfo(X.dtype).max ** 0.25
        spread = np.sqrt(np.max(np.diag(data_cov))) if np.all(np.isfinite(data_cov)) else np.inf
        if not spread < limit:
            raise ValueError(
                f"X's spread ({spread:.3g}) is too large to fit in {X.dtype} (squares of "
                "distances would overflow); rescale the data, e.g. divide each column by its "
                "standard deviation"
                + (", or pass float64 data." if X.dtype == np.float32 else ".")
            )
        user = self._user_params(X, w, data_cov, rng)
        warm = self.warm_start and hasattr(self, "means_") and self.means_.shape[0] == K
        best = None
        n_resets = 0
        for init, params in enumerate(self._starts(X, w, data_cov, rng, user, warm)):
            res = run_em(X, w, params, tol=self.tol, max_iter=self.max_iter,
                         reg_covar=self.reg_covar, data_cov=data_cov, chunk=self.chunk_size,
                         n_threads=n_threads, verbose=self.verbose)
            n_resets += len(res.recovery.resets)
            if self.verbose:
                print(f"start {init}: mean log-likelihood {res.lower_bound:.6f} "
                      f"after {res.n_iter} iterations, converged={res.converged}")
            if best is None or res.lower_bound > best.lower_bound:
                best = res
        self._set_params(best.params.astype(X.dtype))
        self.converged_ = best.converged
        self.n_iter_ = best.n_iter
        self.lower_bound_ = best.lower_bound
        self.lower_bounds_ = list(best.lower_bounds)
        self.n_resets_ = n_resets
        self.resets_ = list(best.recovery.resets)
        self._warn(best, n_resets)
        return X

    def _n_threads(self):
        if self.n_jobs is None:
            return default_threads()
        n = check_int(self.n_jobs, "n_jobs")
        return max(1, default_threads() + 1 + n) if n < 0 else max(1, n)

    def _starts(self, X, w, data_cov, rng, user, warm):
        """Starting parameters, one per EM run: a warm start, the user's, or
        ``n_init`` initialisations (``"auto"``: several candidates for the first)."""
        if warm:
            yield self._get_params().astype(X.dtype)
            return
        if user is not None:
            yield user
            return
        Xi, wi = init_sample(X, w, rng)
        for init in range(self.n_init):
            methods = (auto_methods(self.n_components, first=init == 0)
                       if self.init_params == "auto" else [self.init_params])
            cands = [start_params(method, X, w, Xi, wi, self.n_components,
                                  self.covariance_type, self.reg_covar, data_cov, rng)
                     for method in methods]
            if len(cands) > 1 and X.shape[0] > MAX_INIT_ROWS:
                # large data: the candidates race to convergence on the initialisation
                # sample, and only the winner runs on all rows
                cands = [self._best_on_sample(Xi, wi, cands, data_cov)]
            yield from cands

    def _best_on_sample(self, Xi, wi, cands, data_cov):
        """The candidate start whose EM on the sample ``(Xi, wi)`` ends highest, as
        converged there."""
        best = None
        for params in cands:
            res = run_em(Xi, wi, params, tol=self.tol, max_iter=self.max_iter,
                         reg_covar=self.reg_covar, data_cov=data_cov,
                         n_threads=self._n_threads())
            if best is None or res.lower_bound > best.lower_bound:
                best = res
        return best.params

    def _warn(self, best, n_resets):
        if n_resets or best.recovery.n_unrecovered:
            warnings.warn(
                f"{n_resets} time(s) a component collapsed onto too few points or lost its "
                "mass and was re-seeded at a poorly explained row"
                + (f"; {best.recovery.n_unrecovered} degenerate component(s) kept, held "
                   "finite by reg_covar" if best.recovery.n_unrecovered else "")
                + ". See n_resets_ and resets_; fewer components or a larger reg_covar "
                "avoid it.",
                DegenerateComponentWarning,
                stacklevel=4,
            )
        if not best.converged and self.max_iter > 0:
            warnings.warn(
                f"EM did not converge in max_iter={self.max_iter} iterations (last change "
                "of the mean log-likelihood above tol); increase max_iter or tol, or try "
                "more initialisations.",
                ConvergenceWarning,
                stacklevel=4,
            )

    def _user_params(self, X, w, data_cov, rng):
        """Starting parameters from weights_init / means_init / precisions_init, if any.

        Given all three (or means and precisions), EM starts exactly there. Given only
        some, the rest come from one M-step on the rows assigned to the nearest given
        mean (or from ``init_params`` when no means are given).
        """
        if self.means_init is None and self.precisions_init is None and self.weights_init is None:
            return None
        K, d = self.n_components, X.shape[1]
        model = get_model(self.covariance_type)
        weights = None if self.weights_init is None else _check_weights(self.weights_init, K)
        means = None if self.means_init is None else _check_means(self.means_init, K, d)
        cov = None
        if self.precisions_init is not None:
            prec = _check_precisions(self.precisions_init, self.covariance_type, K, d)
            cov = np.linalg.inv(prec) if model.name in ("full", "tied") else 1.0 / prec
            if model.name in ("full", "tied"):
                cov = 0.5 * (cov + np.swapaxes(cov, -1, -2))
        if weights is None or means is None or cov is None:
            Xi, wi = init_sample(X, w, rng)
            if means is not None:
                resp = one_hot(np.argmin(sq_distances(Xi, means.astype(X.dtype)), axis=1),
                               K, X.dtype)
                base = params_from_resp(Xi, wi, resp, self.covariance_type, self.reg_covar,
                                        data_cov)
            else:
                method = "kmeans" if self.init_params == "auto" else self.init_params
                base = start_params(method, X, w, Xi, wi, K, self.covariance_type,
                                    self.reg_covar, data_cov, rng)
            weights = base.weights if weights is None else weights
            means = base.means if means is None else means
            cov = base.covariances if cov is None else cov
        params = MixtureParams.from_covariances(
            self.covariance_type, *(np.asarray(a, dtype=X.dtype) for a in (weights, means, cov)))
        return params

    # ------------------------------------------------------------------ parameters
    def _set_params(self, params):
        model = params.model
        self.weights_ = params.weights
        self.means_ = params.means
        self.covariances_ = params.covariances
        self.precisions_cholesky_ = params.precisions_cholesky
        self.precisions_ = model.precisions(params.precisions_cholesky)

    def _get_params(self):
        check_is_fitted(self, "means_")
        return MixtureParams(self.covariance_type, self.weights_, self.means_,
                             self.covariances_, self.precisions_cholesky_)

    # ------------------------------------------------------------------ evaluation
    def _check_X_predict(self, X):
        check_is_fitted(self, "means_")
        return check_X(self, X, reset=False)

    def _chunked_log_prob(self, X):
        """Weighted log-probabilities (n, K), computed chunk by chunk."""
        params = self._get_params()
        dtype = np.result_type(X.dtype, params.means.dtype)
        return weighted_log_prob(X.astype(dtype, copy=False), params)

    def _log_resp(self, X):
        logp = self._chunked_log_prob(X)
        with np.errstate(invalid="ignore"):
            return logp - _logsumexp_rows(logp)[:, None]

    def score_samples(self, X):
        """Log-density ``log p(x)`` of each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_density : ndarray of shape (n_samples,)
        """
        X = self._check_X_predict(X)
        return _logsumexp_rows(self._chunked_log_prob(X))

    def score(self, X, y=None, sample_weight=None):
        """Mean log-density of ``X`` (weighted mean if ``sample_weight`` is given).

        Returns
        -------
        score : float
        """
        X = self._check_X_predict(X)
        w = check_sample_weight(sample_weight, X.shape[0], np.float64)
        return self._mean_log_density(X, w)

    def _mean_log_density(self, X, w=None):
        return float(np.average(_logsumexp_rows(self._chunked_log_prob(X)), weights=w))

    def predict_proba(self, X):
        """Responsibilities: posterior probability of each component for each row.

        Returns
        -------
        resp : ndarray of shape (n_samples, n_components)
        """
        X = self._check_X_predict(X)
        return np.exp(self._log_resp(X))

    def predict(self, X):
        """Most likely component of each row.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        X = self._check_X_predict(X)
        return self._chunked_log_prob(X).argmax(axis=1)

    def sample(self, n_samples=1, random_state=None):
        """Draw rows from the fitted density.

        Parameters
        ----------
        n_samples : int, default=1
        random_state : int, numpy Generator or None, default=None
            Randomness for this call only; None draws fresh entropy, so repeated
            calls give different rows (unlike scikit-learn, which re-seeds).

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
        y : ndarray of shape (n_samples,)
            Component of each row.
        """
        check_is_fitted(self, "means_")
        n_samples = check_int(n_samples, "n_samples", low=1)
        rng = as_generator(random_state)
        params = self._get_params()
        model = params.model
        K, d = params.means.shape
        counts = rng.multinomial(n_samples, params.weights / params.weights.sum())
        X = np.empty((n_samples, d), dtype=params.means.dtype)
        y = np.repeat(np.arange(K), counts)
        start = 0
        for k, c in enumerate(counts):
            if c:
                X[start:start + c] = params.means[k] + model.sample_component(
                    rng, params.precisions_cholesky, k, c, d)
                start += c
        return X, y

    # ------------------------------------------------------------------ criteria
    def n_parameters(self):
        """Number of free parameters of the fitted mixture."""
        check_is_fitted(self, "means_")
        K, d = self.means_.shape
        return get_model(self.covariance_type).n_parameters(K, d)

    def bic(self, X):
        """Bayesian information criterion on ``X`` (lower is better).

        ``-2 log L + n_parameters * log(n_samples)``. mclust reports the negative of
        this (higher is better there).
        """
        X = self._check_X_predict(X)
        n = X.shape[0]
        return float(-2 * self._mean_log_density(X) * n + self.n_parameters() * np.log(n))

    def aic(self, X):
        """Akaike information criterion on ``X`` (lower is better)."""
        X = self._check_X_predict(X)
        return float(-2 * self._mean_log_density(X) * X.shape[0] + 2 * self.n_parameters())

    def summary(self, X=None):
        """A readable text summary: weights, means and, given ``X``, log-likelihood and BIC.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), optional
            Data to report the log-likelihood, BIC and AIC on.

        Returns
        -------
        text : str
        """
        check_is_fitted(self, "means_")
        K, d = self.means_.shape
        names = (list(map(str, self.feature_names_in_)) if hasattr(self, "feature_names_in_")
                 else [f"x{j}" for j in range(d)])
        width = max(10, *(len(n) for n in names))
        lines = [f"GaussianMixture: {K} component(s), covariance_type={self.covariance_type!r}, "
                 f"{self.n_parameters()} free parameters",
                 f"converged={getattr(self, 'converged_', True)} after "
                 f"{getattr(self, 'n_iter_', 0)} iteration(s); re-seeded components: "
                 f"{getattr(self, 'n_resets_', 0)}", ""]
        lines.append(f"{'component':>9}  {'weight':>7}  " + "  ".join(f"{n:>{width}}" for n in names))
        for k in np.argsort(-self.weights_):
            lines.append(f"{k:>9}  {self.weights_[k]:7.4f}  "
                         + "  ".join(f"{v:>{width}.4g}" for v in self.means_[k]))
        if X is not None:
            n = _n_rows(X)
            ll = self.score(X) * n
            lines += ["", f"log-likelihood {ll:.4f} on {n} rows (mean {ll / n:.4f})",
                      f"BIC {self.bic(X):.4f}   AIC {self.aic(X):.4f}   (lower is better)"]
        return "\n".join(lines)

    # ------------------------------------------------------------------ persistence
    def save(self, path):
        """Write the fitted model to exactly ``path`` (JSON; no pickle).

        Read it back with :func:`gaussmix.load`.
        """
        from ._io import save_model

        check_is_fitted(self, "means_")
        save_model(self, path)


# ---------------------------------------------------------------------- checks
def _n_rows(X):
    return X.shape[0] if hasattr(X, "shape") else len(X)


def _as_float_array(value, name):
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric ({exc}).") from exc
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity; pass finite values.")
    return arr


def _check_weights(weights, K):
    w = _as_float_array(weights, "weights")
    if w.shape != (K,):
        raise ValueError(f"weights must have shape ({K},), got {w.shape}.")
    if (w < 0).any() or not np.isclose(w.sum(), 1.0, rtol=0, atol=1e-6):
        raise ValueError(
            f"weights must be non-negative and sum to 1, got sum {w.sum():.6g}; "
            "normalise them (w / w.sum())."
        )
    return w / w.sum()


def _check_means(means, K, d):
    m = _as_float_array(means, "means")
    if m.shape != (K, d):
        raise ValueError(f"means must have shape ({K}, {d}), got {m.shape}.")
    return m


def _expected_shape(covariance_type, K, d):
    return get_model(covariance_type).cov_shape(K, d)


def _check_spd(mats, covariance_type, name):
    if covariance_type in ("full", "tied"):
        stack = mats.reshape((-1,) + mats.shape[-2:])
        if not np.allclose(stack, stack.transpose(0, 2, 1)):
            raise ValueError(f"{name} must be symmetric.")
        if (np.linalg.eigvalsh(stack)[:, 0] <= 0).any():
            raise ValueError(f"{name} must be positive definite.")
    elif (mats <= 0).any():
        raise ValueError(f"{name} must be positive.")


def _check_covariances(cov, covariance_type, K, d):
    c = _as_float_array(cov, "covariances")
    shape = _expected_shape(covariance_type, K, d)
    if c.shape != shape:
        raise ValueError(
            f"covariances for covariance_type={covariance_type!r} must have shape {shape}, "
            f"got {c.shape}."
        )
    _check_spd(c, covariance_type, "covariances")
    return c


def _check_precisions(prec, covariance_type, K, d):
    p = _as_float_array(prec, "precisions_init")
    shape = _expected_shape(covariance_type, K, d)
    if p.shape != shape:
        raise ValueError(
            f"precisions_init for covariance_type={covariance_type!r} must have shape {shape}, "
            f"got {p.shape}."
        )
    _check_spd(p, covariance_type, "precisions_init")
    return p
