"""What every mixture estimator shares: fitting from a series of starts, evaluating
the fitted density, sampling from it, criteria, a summary and saving.

A subclass provides its parameter checks (``_check_parameters``), its starts
(``_starts``, a generator) and how one run from the next start goes (``_run``); the
EM engine does the rest.
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
from sklearn.base import BaseEstimator, DensityMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted

from ..covariance import get_structure, univariate_model
from ..engine import (
    ArraySource,
    ChunkMap,
    MixtureParams,
    chunk_size_for,
    data_scale,
    logsumexp_rows,
    weighted_log_prob,
)
from ..init import INIT_METHODS
from ..utils.columns import feature_names
from ..utils.memory import check_fits_in_memory
from ..utils.parallel import resolve_n_jobs
from ..utils.random import as_generator
from ..engine.source_ops import as_data_source
from ..utils.validation import check_int, check_real, check_sample_weight, check_X
from . import criteria, source_eval
from .source_fit import check_source, fit_source
from .exceptions import DegenerateComponentWarning
from .persistence import save_model


#: Columns of means that :meth:`BaseMixture.summary` prints at most.
SUMMARY_COLUMNS = 12


class BaseMixture(DensityMixin, BaseEstimator):
    """Fitting, evaluation, sampling and criteria shared by the mixture estimators."""

    # ------------------------------------------------------------------ fitting
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
        self : estimator
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

    def _check_run_parameters(self):
        """The EM-run parameters every estimator of this base shares: ``tol``,
        ``reg_covar``, ``max_iter``, ``n_init``, ``verbose``, ``chunk_size``,
        ``n_jobs`` and ``init_params`` (scikit-learn's wording in the errors)."""
        check_real(self.tol, "tol", low=0.0)
        check_real(self.reg_covar, "reg_covar", low=0.0)
        check_int(self.max_iter, "max_iter", low=0)
        check_int(self.n_init, "n_init", low=1)
        check_int(self.verbose, "verbose", low=0)
        if self.chunk_size is not None:
            check_int(self.chunk_size, "chunk_size", low=1)
        resolve_n_jobs(self.n_jobs)
        if self.init_params not in INIT_METHODS:
            raise ValueError(
                f"init_params={self.init_params!r} is not supported; use one of "
                f"{', '.join(repr(m) for m in INIT_METHODS)}."
            )

    def _fit(self, X, sample_weight, cache=None):
        """Validate, then run EM from every start and keep the best run.

        ``cache`` (an :class:`~gaussmix.init.AgglomerationCache`) lets several fits
        on the same data share the agglomeration of their hierarchical starts.
        Memmaps, files and Dask data are read chunk by chunk (:mod:`.source_fit`).
        """
        self._check_parameters()
        if self._continues_previous_fit():
            self._check_warm_start_width(X)
        source = self._data_source(X)
        if source is not None:
            _warn_if_univariate_alias(self.covariance_type, source.n_features)
            X, best, n_resets = fit_source(self, source, sample_weight, cache)
        else:
            X = check_X(self, X, reset=True, allow_nan=self._allows_missing())
            get_structure(self.covariance_type).check_n_features(X.shape[1])  # E, V: 1-D only
            _warn_if_univariate_alias(self.covariance_type, X.shape[1])
            w = _rescaled(check_sample_weight(sample_weight, X.shape[0], X.dtype))
            self._check_enough_rows(X, w)
            if w is not None and np.all(w == 1):
                w = None
            source = self._source(X, w)
            self.prior_ = self._resolve_prior(source.X, w)
            self._prepare_fit(X, w)
            best, n_resets = self._fit_rows(source, cache)
        self._set_params(best.params.astype(X.dtype))
        self.converged_ = best.converged
        self.n_iter_ = best.n_iter
        self.lower_bound_ = best.lower_bound
        self.lower_bounds_ = list(best.lower_bounds)
        self.n_resets_ = n_resets
        self.resets_ = list(best.recovery.resets)
        self._warn(best, n_resets)
        return X

    def _fit_rows(self, source, cache, start_rows=None):
        """The best EM run over all starts on ``source``, and the re-seedings of all
        runs. ``start_rows(rng, chunk, chunk_map)``, if given, gives the rows
        ``(X, w)`` the starts are computed on (default: the source's own)."""
        rng = as_generator(self.random_state)
        n_threads = resolve_n_jobs(self.n_jobs)
        scale = self._data_scale(source, n_threads)
        with ChunkMap(n_threads) as chunk_map:
            return self._run_starts(source, scale, rng, chunk_map, cache, start_rows)

    def _continues_previous_fit(self):
        """Whether this fit starts from the previous one; subclasses with warm starts
        say when."""
        return False

    def _data_source(self, X):
        """The chunked source of ``X`` (a memmap, a file, Dask data), or None for rows
        in memory. Where this model needs its rows in memory (:meth:`_in_memory_only`)
        a memmap is read as an array; other sources are refused, saying why."""
        source = as_data_source(X)
        if source is None:
            return None
        reason = self._in_memory_only()
        if reason is None:
            return source
        if isinstance(X, np.ndarray):  # a memmap
            return None
        raise ValueError(f"{reason}; pass a numpy array or DataFrame (e.g. FileSource's "
                         "rows read into memory), or fit without it.")

    def _in_memory_only(self):
        """Why this model needs its rows in memory (a sentence), or None: the base
        model reads sources chunk by chunk."""
        return None

    def _allows_missing(self):
        """Whether ``X`` may hold NaN (missing entries); subclasses that fit them say
        when."""
        return False

    def _source(self, X, w):
        """The data source EM reads (its ``X``: complete rows for the starts)."""
        return ArraySource(X, w)

    def _resolve_prior(self, X, w):
        """The prior of a MAP fit; None (maximum likelihood) unless a subclass has one."""
        return None

    def _prepare_fit(self, X, w):
        """Whatever a subclass computes from the checked data before EM runs."""

    def _check_warm_start_width(self, X):
        """A warm start continues the previous fit: ``X`` must have its width (checked
        before anything of the previous fit is replaced)."""
        try:
            shape = X.shape if hasattr(X, "shape") else np.shape(X)
        except ValueError:  # ragged input: check_X says what is wrong with it
            return
        width = self.means_.shape[1]
        if len(shape) == 2 and shape[1] != width:
            raise ValueError(f"warm_start=True continues the previous fit, which has {width} "
                             f"feature(s), but X has {shape[1]}; set warm_start=False (or "
                             "use a new model) to fit data of another width.")

    def _degenerate_message(self, recovery, n_resets):
        """What EM did about collapsed or empty components, and what avoids it."""
        parts = []
        if n_resets:
            parts.append(f"{n_resets} time(s) a component collapsed onto too few points or "
                         "lost its mass and was re-seeded at a poorly explained row")
        if recovery.n_unrecovered:
            parts.append(f"{recovery.n_unrecovered} degenerate component(s) kept, held "
                         "finite by reg_covar")
        text = "; ".join(parts)
        if recovery.rows_needed:
            text += (f" (each component's covariance needs at least {recovery.rows_needed} "
                     f"rows, more than the data can give {self.n_components} components, so "
                     "re-seeding cannot help)")
        return (text[0].upper() + text[1:] + ". See n_resets_ and resets_; fewer components, "
                "a simpler covariance_type or a larger reg_covar avoid it.")

    def _check_enough_rows(self, X, w):
        n_rows = X.shape[0] if w is None else int(np.count_nonzero(w))
        self._check_enough_rows_count(n_rows, w is not None)

    def _check_enough_rows_count(self, n_rows, weighted):
        if self.n_components > n_rows:
            raise ValueError(
                f"n_components={self.n_components} is larger than the number of samples "
                f"({n_rows}{' with positive weight' if weighted else ''}); "
                "use at most as many components as rows."
            )

    def _data_scale(self, source, n_threads):
        """The data's :class:`~gaussmix.covariance.DataScale`, after checking that its
        spread can be squared in the data's dtype."""
        dtype = source.dtype
        chunk = chunk_size_for(source.n_samples, self.n_components, source.n_features,
                               dtype.itemsize, self.chunk_size, n_threads)
        with np.errstate(over="ignore", invalid="ignore"):
            scale = data_scale(source, chunk)
        limit = np.finfo(dtype).max ** 0.25
        variances = scale.variances
        spread = np.sqrt(np.max(variances)) if np.all(np.isfinite(variances)) else np.inf
        if not spread < limit:
            raise ValueError(
                f"X's spread ({spread:.3g}) is too large to fit in {dtype} (squares of "
                "distances would overflow); rescale the data, e.g. divide each column by its "
                "standard deviation"
                + (", or pass float64 data." if dtype == np.float32 else ".")
            )
        return scale

    def _run_starts(self, source, scale, rng, chunk_map, cache, start_rows=None):
        """The best run over all starts, and the re-seedings of all runs."""
        best = None
        n_resets = 0
        if start_rows is None:
            X0, w0 = source.X, source.w
        else:  # a source not in memory: the starts' rows are a sample of it
            X0, w0 = start_rows(rng, self._start_chunk(source), chunk_map)
        starts = self._starts(X0, w0, scale, rng, chunk_map, cache)
        for init in itertools.count():
            try:
                res = self._run(source, starts, scale, chunk_map)
            except StopIteration:  # no start left
                break
            n_resets += len(res.recovery.resets)
            if self.verbose:
                print(f"start {init}: mean log-likelihood {res.lower_bound:.6f} "
                      f"after {res.n_iter} iterations, converged={res.converged}")
            if best is None or _clearly_better(res.lower_bound, best.lower_bound):
                best = res
        return best, n_resets

    def _start_chunk(self, source):
        """Rows per chunk of the pass that draws the starts' sample."""
        return chunk_size_for(source.n_samples, self.n_components, source.n_features,
                              source.dtype.itemsize, self.chunk_size)

    def _warn(self, best, n_resets):
        if n_resets or best.recovery.n_unrecovered:
            warnings.warn(self._degenerate_message(best.recovery, n_resets),
                          DegenerateComponentWarning, stacklevel=4)
        if not best.converged and self.max_iter > 0:
            change = abs(best.lower_bounds[-1] - best.lower_bounds[-2])
            warnings.warn(
                "Best performing initialization did not converge. Try different init "
                "parameters, or increase max_iter, tol, or check for degenerate data. "
                f"(EM ran max_iter={self.max_iter} iterations; the last change of the "
                f"{'mean log-likelihood' if self.prior_ is None else 'log posterior per row'}"
                f", {change:.3g}, was above tol={self.tol:g}.)",
                ConvergenceWarning,
                stacklevel=4,
            )

    # ------------------------------------------------------------------ parameters
    def _set_params(self, params):
        self.weights_ = params.weights
        self.means_ = params.means
        self.covariances_ = params.covariances
        self.precisions_cholesky_ = params.precisions_cholesky
        self.precisions_ = params.structure.precisions(params.precisions_cholesky)

    def _get_params(self):
        check_is_fitted(self, "means_")
        return MixtureParams(self.covariance_type, self.weights_, self.means_,
                             self.covariances_, self.precisions_cholesky_)

    # ------------------------------------------------------------------ evaluation
    def _check_X_predict(self, X):
        check_is_fitted(self, "means_")
        source = self._data_source(X)  # memmaps, files, Dask: read chunk by chunk
        if source is not None:
            return check_source(self, source, reset=False)
        return check_X(self, X, reset=False, allow_nan=self._allows_missing())

    def _chunked_log_prob(self, X):
        """Weighted log-probabilities (n, K), computed chunk by chunk."""
        params = self._get_params()
        if not isinstance(X, np.ndarray):
            return source_eval.log_prob(params, X)
        dtype = np.result_type(X.dtype, params.means.dtype)
        return weighted_log_prob(X.astype(dtype, copy=False), params)

    def _log_resp(self, X):
        if not isinstance(X, np.ndarray):
            return source_eval.log_resp(self._get_params(), X)
        logp = self._chunked_log_prob(X)
        with np.errstate(invalid="ignore"):
            return logp - logsumexp_rows(logp)[:, None]

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
        if not isinstance(X, np.ndarray):
            return source_eval.log_density(self._get_params(), X)
        return logsumexp_rows(self._chunked_log_prob(X))

    def score(self, X, y=None, sample_weight=None):
        """Mean log-density of ``X`` (weighted mean if ``sample_weight`` is given).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        X = self._check_X_predict(X)
        w = check_sample_weight(sample_weight, X.shape[0], np.float64)
        return self._mean_log_density(X, w)

    def _mean_log_density(self, X, w=None):
        if not isinstance(X, np.ndarray):
            return source_eval.mean_log_density(self._get_params(), X, w)
        return float(np.average(logsumexp_rows(self._chunked_log_prob(X)), weights=w))

    def predict_proba(self, X):
        """Responsibilities: posterior probability of each component for each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        resp : ndarray of shape (n_samples, n_components)
        """
        X = self._check_X_predict(X)
        if not isinstance(X, np.ndarray):
            return source_eval.resp(self._get_params(), X)
        return np.exp(self._log_resp(X))

    def predict(self, X):
        """Most likely component of each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        X = self._check_X_predict(X)
        if not isinstance(X, np.ndarray):
            return source_eval.labels(self._get_params(), X)
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
        _check_n_samples(n_samples)
        rng = as_generator(random_state)
        params = self._get_params()
        K, d = params.means.shape
        check_fits_in_memory(n_samples * (d * params.means.dtype.itemsize + 8),
                             f"sample({n_samples})", "draw fewer rows, or in batches")
        counts = rng.multinomial(n_samples, params.weights / params.weights.sum())
        X = np.empty((n_samples, d), dtype=params.means.dtype)
        y = np.repeat(np.arange(K), counts)
        start = 0
        for k, c in enumerate(counts):
            if c:
                X[start:start + c] = params.means[k] + params.structure.sample_component(
                    rng, params.precisions_cholesky, k, c, d)
                start += c
        return X, y

    # ------------------------------------------------------------------ criteria
    def n_parameters(self):
        """Number of free parameters of the fitted mixture."""
        check_is_fitted(self, "means_")
        K, d = self.means_.shape
        return get_structure(self.covariance_type).n_parameters(K, d)

    #: scikit-learn's private name for :meth:`n_parameters`, which code written for
    #: ``sklearn.mixture.GaussianMixture`` calls
    _n_parameters = n_parameters

    def bic(self, X):
        """Bayesian information criterion on ``X`` (lower is better).

        ``-2 log L + n_parameters * log(n_samples)``. mclust reports the negative of
        this (higher is better there).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        bic : float
        """
        X = self._check_X_predict(X)
        n = X.shape[0]
        return criteria.bic(self._mean_log_density(X) * n, self.n_parameters(), n)

    def aic(self, X):
        """Akaike information criterion on ``X`` (lower is better).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        aic : float
        """
        X = self._check_X_predict(X)
        return criteria.aic(self._mean_log_density(X) * X.shape[0], self.n_parameters())

    def icl(self, X):
        """Integrated completed likelihood on ``X`` (lower is better).

        ``BIC - 2 * sum over rows of log(largest responsibility)``: BIC plus a penalty
        for rows that no component clearly claims, so ICL prefers well separated
        clusters. mclust's ``icl`` is the negative of this (higher is better there).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        icl : float

        Examples
        --------
        >>> import gaussmix
        >>> X = gaussmix.load_faithful()
        >>> gm = gaussmix.GaussianMixture(2, random_state=0).fit(X)
        >>> bool(gm.icl(X) >= gm.bic(X))
        True
        """
        X = self._check_X_predict(X)
        n = X.shape[0]
        log_resp = self._log_resp(X)
        return criteria.icl(self._mean_log_density(X) * n, self.n_parameters(), n,
                            criteria.sum_log_max_resp(log_resp))

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
        lines = [f"{type(self).__name__}: {K} component(s), "
                 f"covariance_type={self.covariance_type!r}, {self.n_parameters()} free "
                 "parameters",
                 f"converged={getattr(self, 'converged_', True)} after "
                 f"{getattr(self, 'n_iter_', 0)} iteration(s); re-seeded components: "
                 f"{getattr(self, 'n_resets_', 0)}", ""]
        lines += self._means_table(feature_names(self, d))
        if X is not None:
            n = X.shape[0] if hasattr(X, "shape") else len(X)
            ll = self.score(X) * n
            lines += ["", f"log-likelihood {ll:.4f} on {n} rows (mean {ll / n:.4f})",
                      f"BIC {self.bic(X):.4f}   AIC {self.aic(X):.4f}   (lower is better)"]
        return "\n".join(lines)

    def _means_table(self, names):
        """Weights and means, one line per component by decreasing weight; at most
        :data:`SUMMARY_COLUMNS` columns (wide data would give lines of thousands)."""
        shown = names[:SUMMARY_COLUMNS]
        width = max(10, *(len(n) for n in shown))
        lines = [f"{'component':>9}  {'weight':>7}  " + "  ".join(f"{n:>{width}}" for n in shown)]
        for k in np.argsort(-self.weights_):
            lines.append(f"{k:>9}  {self.weights_[k]:7.4f}  "
                         + "  ".join(f"{v:>{width}.4g}" for v in self.means_[k, :len(shown)]))
        if len(names) > len(shown):
            lines.append(f"(means of the first {len(shown)} of {len(names)} columns; all of "
                         "them are in means_)")
        return lines

    # ------------------------------------------------------------------ persistence
    def save(self, path, *, force=False):
        """Write the fitted model to exactly ``path`` (JSON; no pickle).

        Read it back with :func:`gaussmix.load`. The write is atomic: a temporary file
        beside ``path``, renamed over it when complete. A symbolic link is written
        through (the file it points to gets the model).

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
        check_is_fitted(self, "means_")
        save_model(self, path, force=True if force else None)


def _rescaled(w):
    """Weights whose largest is tiny (subnormal numbers) scaled up so it is 1: a fit
    does not depend on the weights' scale, but sums of subnormal numbers lose digits
    (weights of 1e-320 once made the agglomeration see no rows)."""
    if w is not None and w.max() < np.sqrt(np.finfo(w.dtype).tiny):
        return w / w.max()
    return w


def _check_n_samples(n_samples):
    """scikit-learn's message for a bad ``n_samples`` of ``sample``, and what to do."""
    n_samples = check_int(n_samples, "n_samples")
    if n_samples < 1:
        raise ValueError(f"Invalid value for 'n_samples': {n_samples} (n_samples must be "
                         ">= 1); the sampling requires at least one sample.")
    return n_samples


def _warn_if_univariate_alias(covariance_type, n_features):
    """Say that a three-letter mclust name fits one-dimensional data as E or V.

    mclust refuses such names in 1-D; gaussmix fits the model of the volume letter
    (the same likelihood; ``covariances_`` keep the three-letter model's (K, 1, 1)
    shape) and says so, so that a user comparing with mclust knows which model it was.
    """
    model = univariate_model(covariance_type) if n_features == 1 else None
    if model is not None:
        warnings.warn(
            f"covariance_type={covariance_type!r} on one-dimensional data is mclust's "
            f"{model!r} (in one dimension only the volume letter has a free parameter); "
            f"pass covariance_type={model!r} to say so and silence this warning.",
            UserWarning, stacklevel=4)


#: A later start replaces the best run only if its objective is higher by more than
#: this (relative): starts that reach the same partition with other labels (k-means
#: seeds often do) end equal up to rounding, and rounding differs with the chunks and
#: threads; the earlier start then stays, whatever the chunking.
TIE_TOLERANCE = 1e-10


def _clearly_better(value, best):
    return value > best + TIE_TOLERANCE * max(1.0, abs(best))
