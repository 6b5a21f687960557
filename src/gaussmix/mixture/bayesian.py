"""``BayesianGaussianMixture``: variational Bayes on the engine's statistics, a
drop-in for scikit-learn's estimator of the same name."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted

from ..covariance import SKLEARN_TYPES, check_covariance_type, get_structure
from ..engine import ArraySource, ChunkMap, logsumexp_rows, weighted_log_prob
from ..utils.parallel import resolve_n_jobs
from ..utils.random import as_generator
from ..utils.validation import check_int, check_sample_weight, check_X
from ..variational import (
    VariationalPosterior,
    check_prior_type,
    estep_scores,
    log_predictive,
    resolve_prior,
    run_vb,
)
from .base import BaseMixture, _rescaled
from .bayesian_persistence import save_bayesian
from .bayesian_starts import posterior_starts


#: A component whose expected weight is at most this is taken as not needed when
#: the number of components the data support is counted (the CLI's summary, the
#: posterior-weight plot, the report's variational cross-check).
EFFECTIVE_WEIGHT = 0.01


class BayesianGaussianMixture(BaseMixture):
    """Variational Bayesian Gaussian mixture, fitted on additive sufficient statistics.

    A drop-in for :class:`sklearn.mixture.BayesianGaussianMixture`: the same
    parameters, attributes and numbers (from the same start, the same posterior and
    lower bound), with gaussmix's chunked, threaded E-step, ``sample_weight`` and
    gaussmix's default start. The weights get a Dirichlet process (stick-breaking,
    truncated at ``n_components``) or a Dirichlet prior, each component's mean and
    precision a Gaussian-Wishart prior; the fit is the factorised posterior
    ``q(z) q(pi) q(mu, Lambda)`` that maximises the variational lower bound. With a
    small ``weight_concentration_prior`` the components the data do not need get
    weights near 0 (see :doc:`/user_guide/bayesian`).

    Parameters
    ----------
    n_components : int, default=1
        Upper bound on the number of components K.
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
        scikit-learn's four types (mclust's other models have no variational form
        here).
    tol : float, default=1e-3
        Stop when the lower bound (a total over rows, as scikit-learn's) changes by
        less.
    reg_covar : float, default=1e-6
        Added to the diagonal of each component's scatter covariance.
    max_iter : int, default=100
        Maximum number of iterations per initialisation.
    n_init : int, default=1
        Number of initialisations; the one with the highest lower bound is kept.
    init_params : {"auto", "hierarchical", "kmeans", "k-means++", "random", \
"random_from_data"}, default="auto"
        The starting partition; ``"auto"`` runs from mclust's hierarchical start
        and from k-means and keeps the higher bound.
    weight_concentration_prior_type : {"dirichlet_process", \
"dirichlet_distribution"}, default="dirichlet_process"
    weight_concentration_prior : float or None, default=None
        ``> 0``; None is ``1 / n_components``.
    mean_precision_prior : float or None, default=None
        ``> 0``; None is 1.
    mean_prior : array-like of shape (n_features,) or None, default=None
        None is the data's mean.
    degrees_of_freedom_prior : float or None, default=None
        ``> n_features - 1``; None is ``n_features``.
    covariance_prior : float or array-like or None, default=None
        (d, d) positive definite for full and tied, (d,) positive for diag, a
        positive number for spherical; None is the data's covariance in that layout.
    random_state : int, numpy Generator or None, default=None
    warm_start : bool, default=False
        Continue from the previous fit's posterior (``n_init`` ignored).
    verbose : int, default=0
    verbose_interval : int, default=10
        Accepted for scikit-learn compatibility.
    chunk_size : int or None, default=None
        Rows per E-step chunk (None: sized per iteration); no effect on the result
        beyond rounding.
    n_jobs : int or None, default=None
        Threads for the E-step's chunks; None uses every core.

    Attributes
    ----------
    weights_, means_, covariances_, precisions_, precisions_cholesky_ : ndarray
        The expected weights, the means ``m_k``, ``W_k^-1 / nu_k`` and its inverse
        (the expected precision), shapes as :class:`~gaussmix.GaussianMixture`'s.
    weight_concentration_ : ndarray of shape (K,) or tuple of two
    mean_precision_ : ndarray of shape (K,)
    degrees_of_freedom_ : ndarray of shape (K,) (a float for tied)
    weight_concentration_prior_, mean_precision_prior_, mean_prior_, \
degrees_of_freedom_prior_, covariance_prior_
        The prior's hyper-parameters of the fit.
    converged_ : bool
    n_iter_ : int
    lower_bound_ : float
        The variational lower bound of the kept run (scikit-learn's quantity).
    lower_bounds_ : list of float
        The bound after each iteration of the kept run; never decreases.

    Examples
    --------
    >>> import numpy as np
    >>> from gaussmix import BayesianGaussianMixture
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(-5, 1, (200, 2)), rng.normal(5, 1, (200, 2))])
    >>> bgm = BayesianGaussianMixture(n_components=5, weight_concentration_prior=1e-3,
    ...                               random_state=0).fit(X)
    >>> int((bgm.weights_ > 0.01).sum())
    2
    """

    def __init__(self, *, n_components=1, covariance_type="full", tol=1e-3,
                 reg_covar=1e-6, max_iter=100, n_init=1, init_params="auto",
                 weight_concentration_prior_type="dirichlet_process",
                 weight_concentration_prior=None, mean_precision_prior=None,
                 mean_prior=None, degrees_of_freedom_prior=None, covariance_prior=None,
                 random_state=None, warm_start=False, verbose=0, verbose_interval=10,
                 chunk_size=None, n_jobs=None):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.weight_concentration_prior_type = weight_concentration_prior_type
        self.weight_concentration_prior = weight_concentration_prior
        self.mean_precision_prior = mean_precision_prior
        self.mean_prior = mean_prior
        self.degrees_of_freedom_prior = degrees_of_freedom_prior
        self.covariance_prior = covariance_prior
        self.random_state = random_state
        self.warm_start = warm_start
        self.verbose = verbose
        self.verbose_interval = verbose_interval
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs

    # ------------------------------------------------------------------ checks
    def _check_parameters(self):
        check_int(self.n_components, "n_components", low=1)
        check_covariance_type(self.covariance_type)
        if not get_structure(self.covariance_type).variational:
            raise ValueError(
                f"covariance_type={self.covariance_type!r} has no variational form in "
                "BayesianGaussianMixture; use one of scikit-learn's "
                f"{', '.join(repr(c) for c in SKLEARN_TYPES)}.")
        self._check_run_parameters()
        check_prior_type(self.weight_concentration_prior_type)

    def _continues_previous_fit(self):
        return (self.warm_start and hasattr(self, "weight_concentration_")
                and self.means_.shape[0] == self.n_components)

    # ------------------------------------------------------------------ fitting
    def _fit(self, X, sample_weight, cache=None):
        """Validate, resolve the prior, run from every start, keep the best bound."""
        self._check_parameters()
        warm = self._continues_previous_fit()
        if warm:
            self._check_warm_start_width(X)
        X = check_X(self, X, reset=True)
        w = _rescaled(check_sample_weight(sample_weight, X.shape[0], X.dtype))
        self._check_enough_rows(X, w)
        if w is not None and np.all(w == 1):
            w = None
        structure = get_structure(self.covariance_type)
        prior = resolve_prior(self, X, w, structure)
        rng = as_generator(self.random_state)
        source = ArraySource(X, w)
        with ChunkMap(resolve_n_jobs(self.n_jobs)) as chunk_map:
            starts = ([self._posterior()] if warm else
                      posterior_starts(self, X, w, structure, prior, rng, chunk_map))
            best = None
            for start in starts:
                res = run_vb(source, start, prior, structure, tol=self.tol,
                             max_iter=self.max_iter, reg_covar=self.reg_covar,
                             chunk=self.chunk_size, chunk_map=chunk_map, verbose=self.verbose,
                             start_bound=self.lower_bound_ if warm else -np.inf)
                if self.verbose:
                    print(f"initialisation: lower bound {res.lower_bound:.6f} after "
                          f"{res.n_iter} iterations, converged={res.converged}")
                if best is None or res.lower_bound > best.lower_bound:
                    best = res
        self._set_fit(best, prior, structure)
        return X

    def _set_fit(self, res, prior, structure):
        """Store the kept run: the prior's and the posterior's attributes."""
        self.weight_concentration_prior_ = prior.weight_concentration
        self.mean_precision_prior_ = prior.mean_precision
        self.mean_prior_ = prior.mean
        self.degrees_of_freedom_prior_ = prior.dof
        self.covariance_prior_ = prior.covariance
        self._prior = prior
        post = res.posterior
        self.weight_concentration_ = post.weight_concentration
        self.mean_precision_ = post.mean_precision
        self.degrees_of_freedom_ = post.dof
        self._set_params(post.plug_in(structure, prior))
        self.converged_ = res.converged
        self.n_iter_ = res.n_iter
        self.lower_bound_ = res.lower_bound
        self.lower_bounds_ = list(res.lower_bounds)
        if not res.converged and self.max_iter > 0:
            change = (abs(res.lower_bounds[-1] - res.lower_bounds[-2])
                      if len(res.lower_bounds) > 1 else float("inf"))
            warnings.warn(
                "Best performing initialization did not converge. Try different init "
                "parameters, or increase max_iter, tol, or check for degenerate data. "
                f"(ran max_iter={self.max_iter} iterations; the last change of the lower "
                f"bound, {change:.3g}, was above tol={self.tol:g}.)",
                ConvergenceWarning, stacklevel=3)

    def _posterior(self):
        """The fitted posterior (the start of a warm fit)."""
        return VariationalPosterior(self.weight_concentration_, self.mean_precision_,
                                    self.means_, self.degrees_of_freedom_,
                                    self.covariances_, self.precisions_cholesky_)

    # ------------------------------------------------------------------ evaluation
    def _variational_log_prob(self, X):
        """Expected log-weights plus expected log-densities (n, K), chunk by chunk:
        the scores whose normalisation gives the responsibilities."""
        check_is_fitted(self, "weight_concentration_")
        params, log_prior = estep_scores(self._posterior(), self._prior,
                                         get_structure(self.covariance_type))
        dtype = np.result_type(X.dtype, params.means.dtype)
        return weighted_log_prob(X.astype(dtype, copy=False), params, log_prior=log_prior)

    def _log_resp(self, X):
        logp = self._variational_log_prob(X)
        with np.errstate(invalid="ignore"):
            return logp - logsumexp_rows(logp)[:, None]

    def predict(self, X):
        """Most probable component of each row under the variational posterior
        (scikit-learn's responsibilities).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        X = self._check_X_predict(X)
        return self._variational_log_prob(X).argmax(axis=1)

    def predictive_score_samples(self, X):
        """Log posterior predictive density of each row, ``log p(x | training data)``.

        The variational posterior integrated out (Bishop, PRML eq. 10.81): a mixture
        of multivariate Student-t distributions, component ``k`` with weight
        ``E[pi_k]`` (``weights_``: ``alpha_k / sum alpha`` for the Dirichlet, the
        stick-breaking expectation for the Dirichlet process), location ``means_[k]``,
        ``nu_k - d + 1`` degrees of freedom and scale matrix
        ``(beta_k + 1) / (beta_k (nu_k - d + 1)) W_k^-1``, where ``W_k^-1 = nu_k
        covariances_[k]`` (``nu_k = degrees_of_freedom_[k]``, ``beta_k =
        mean_precision_[k]``; one shared matrix for ``"tied"``, diagonal ones for
        ``"diag"`` and ``"spherical"``). Its tails are heavier than those of
        :meth:`score_samples` (the plug-in Gaussian mixture), to which it tends as
        the training data grow.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_density : ndarray of shape (n_samples,)

        Examples
        --------
        >>> import numpy as np
        >>> from gaussmix import BayesianGaussianMixture
        >>> rng = np.random.default_rng(0)
        >>> X = np.vstack([rng.normal(-5, 1, (200, 2)), rng.normal(5, 1, (200, 2))])
        >>> bgm = BayesianGaussianMixture(n_components=2, random_state=0).fit(X)
        >>> far = np.array([[0.0, 20.0]])
        >>> bool(bgm.predictive_score_samples(far)[0] > bgm.score_samples(far)[0])
        True
        """
        check_is_fitted(self, "weight_concentration_")
        X = self._check_X_predict(X)
        return log_predictive(X, self._posterior(), self._prior,
                              get_structure(self.covariance_type))

    def save(self, path, *, force=False):
        """Write the fitted model to exactly ``path`` (JSON; no pickle).

        Read it back with :func:`gaussmix.load`: every fitted attribute, the prior's
        hyper-parameters and the constructor's parameters, so predictions,
        :meth:`score_samples` and :meth:`predictive_score_samples` are those of this
        model. The write is atomic, as :meth:`GaussianMixture.save`'s.

        Parameters
        ----------
        path : str or os.PathLike
        force : bool, default=False
            Replace ``path`` even if it is a read-only file (it keeps its permissions).

        Raises
        ------
        PermissionError
            ``path`` is a read-only file and ``force`` is False, or its folder cannot
            be written.
        FileNotFoundError
            The folder of ``path`` does not exist.
        """
        check_is_fitted(self, "weight_concentration_")
        save_bayesian(self, path, force=True if force else None)
