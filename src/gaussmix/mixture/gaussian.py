"""``GaussianMixture``: a scikit-learn estimator and a fitted distribution object."""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ..covariance import check_covariance_type, check_prior, get_structure, resolve_prior
from ..engine import ArraySource, FixedParams, MixtureParams, run_em
from ..init import (
    MAX_INIT_ROWS,
    AgglomerationCache,
    auto_methods,
    hc_subsamples,
    init_sample,
    one_hot,
    params_from_resp,
    sq_distances,
    start_params,
)
from ..utils.validation import check_int
from .base import BaseMixture
from .map_start import map_start
from .fixed import check_fixed
from .checks import (
    as_float_array,
    check_covariances,
    check_means,
    check_precisions,
    check_weights,
)
from .persistence import MAX_MODEL_BYTES, load_model


class GaussianMixture(BaseMixture):
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
    covariance_type : str, default="full"
        scikit-learn's ``"full"`` (one general covariance per component), ``"tied"``
        (one shared general covariance), ``"diag"`` (one diagonal covariance per
        component) or ``"spherical"`` (one variance per component), or any of
        mclust's fourteen models ``"EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE",
        "VEE", "EVE", "VVE", "EEV", "VEV", "EVV", "VVV"`` (``Sigma_k = lambda_k D_k
        A_k D_k^T``: volume, shape and orientation each E equal for all components,
        V varying, I the identity; see :doc:`/user_guide/model`). ``"VVV"``,
        ``"EEE"``, ``"VVI"`` and ``"VII"`` are ``"full"``, ``"tied"``, ``"diag"``
        and ``"spherical"`` (same results and shapes). One-dimensional data also take
        mclust's ``"E"`` (one variance) and ``"V"`` (a variance per component), and
        there every three-letter model is the E or V of its volume letter.
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
        How starting parameters are found; see :mod:`gaussmix.init`. ``"auto"``
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
        Threads for the E-step's chunks; None uses every core this process may use,
        -1 too, -2 all but one. Results do not depend on it.
    prior : None, "mclust" or ConjugatePrior, default=None
        None: maximum likelihood. Otherwise MAP estimation (the posterior mode; see
        :doc:`/user_guide/map`) under a conjugate prior: ``"mclust"`` is mclust's
        ``priorControl()`` default, computed from the data at fit time (shrinkage
        0.01 towards the column means, dof d + 2, a scale from the data's variance
        and ``n_components``); a :class:`~gaussmix.ConjugatePrior` gives every
        hyper-parameter. EM then climbs the log posterior, needs no re-seeding of
        collapsed components and adds no ``reg_covar``.
    fixed : None or iterable of {"weights", "means", "covariances"}, default=None
        Parameters held at their initial values (``weights_init``, ``means_init``,
        the covariances of ``precisions_init``, each then required) while EM fits
        the others given them; the log-likelihood still never decreases. Fixed
        means: the covariances are the scatter about them. Maximum likelihood only
        (no ``prior``). See :doc:`/user_guide/fixed`.

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
    means_ : ndarray of shape (n_components, n_features)
    covariances_ : ndarray
        (K, d, d) full (VVV), (d, d) tied (EEE), (K, d) diag (VVI) variances, (K,)
        spherical (VII) variances; (K, d, d) for mclust's other ten models; (K,)
        variances for E and V.
    precisions_ : ndarray
        Inverses of ``covariances_``, same shapes.
    precisions_cholesky_ : ndarray
        Cholesky factors of the precisions, same shapes (upper triangular matrices,
        or ``1 / std`` where variances are stored).
    volumes_ : ndarray of shape (n_components,)
        ``lambda_k = det(Sigma_k)^(1/d)`` of every component (equal where the model's
        volume is E), as mclust's ``scale``.
    shapes_ : ndarray of shape (n_components, n_features)
        The diagonal of ``A_k``, product 1: eigenvalues over the volume, decreasing
        (for spherical and diagonal models: ones, or the variances in column order),
        as mclust's ``shape``.
    orientations_ : ndarray of shape (n_components, n_features, n_features)
        ``D_k``: the eigenvectors as columns, in the order of ``shapes_``, each
        column's largest entry positive (the identity for spherical and diagonal
        models), as mclust's ``orientation``. ``Sigma_k = volumes_[k] *
        orientations_[k] @ diag(shapes_[k]) @ orientations_[k].T``. The three are
        computed from ``covariances_`` when read.
    converged_ : bool
    n_iter_ : int
        EM iterations of the kept initialisation, counted as scikit-learn counts
        them: the iteration whose E-step found the objective settled is included
        (its M-step is skipped: the parameters are those the objective was measured
        on). At most ``max_iter``.
    lower_bound_ : float
        The objective EM maximised, per unit weight, at the fitted parameters on the
        training data: the mean log-likelihood, or with a ``prior`` the log posterior
        (log-likelihood plus log prior density, its normalising constants dropped)
        per unit weight. ``score(X)`` is always the mean log-likelihood.
    lower_bounds_ : list of float
        ``lower_bounds_[i]``: the objective after ``i`` M-steps (entry 0 is the
        start). Never decreases except at the iterations in ``resets_``.
    prior_ : ConjugatePrior or None
        The prior of the fit (``"mclust"`` computed from the data), None for
        maximum likelihood.
    n_resets_ : int
        Components re-seeded because they collapsed or emptied (all initialisations).
    resets_ : list of (int, int)
        ``(iteration, component)`` of each re-seeding in the kept run.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
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
        prior=None,
        fixed=None,
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
        self.prior = prior
        self.fixed = fixed

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
            variances; (K, d, d) for mclust's other ten models, which must have the
            model's structure (e.g. EII: equal multiples of the identity; EVE:
            matrices of equal determinant with the same eigenvectors); (K,) variances
            for E and V. Must be positive definite.
        covariance_type : str, default="full"
            As for the constructor.
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
        >>> eii = GaussianMixture.from_parameters([0.5, 0.5], [[0., 0.], [3., 3.]],
        ...                                       [np.eye(2), np.eye(2)], "EII")
        >>> eii.volumes_.tolist(), eii.n_parameters()
        ([1.0, 1.0], 6)
        """
        check_covariance_type(covariance_type)
        means = as_float_array(means, "means")
        if means.ndim != 2:
            raise ValueError(
                f"means must have shape (n_components, n_features), got shape {means.shape}."
            )
        K, d = means.shape
        if K == 0 or d == 0:
            raise ValueError(f"means has shape {means.shape}; a mixture needs at least one "
                             "component and one feature.")
        weights = check_weights(weights, K)
        covariances = check_covariances(covariances, covariance_type, K, d)
        gm = cls(n_components=K, covariance_type=covariance_type, **kwargs)
        gm._set_params(MixtureParams.from_covariances(covariance_type, weights, means,
                                                      covariances))
        gm.converged_ = True
        gm.n_iter_ = 0
        gm.lower_bound_ = -np.inf
        gm.lower_bounds_ = []
        gm.n_resets_ = 0
        gm.resets_ = []
        gm.prior_ = None
        gm.n_features_in_ = d
        return gm

    # ------------------------------------------------------------------ decomposition
    @property
    def volumes_(self):
        """Volumes ``det(Sigma_k)^(1/d)`` (K,) of the fitted covariances."""
        return self._decomposition()[0]

    @property
    def shapes_(self):
        """Shapes (K, d) of the fitted covariances: eigenvalues over the volume."""
        return self._decomposition()[1]

    @property
    def orientations_(self):
        """Orientations (K, d, d) of the fitted covariances: eigenvectors as columns."""
        return self._decomposition()[2]

    def _decomposition(self):
        """``(volumes, shapes, orientations)`` of ``covariances_``, computed on demand
        (the eigenvectors of wide full covariances are costly and rarely wanted)."""
        check_is_fitted(self, "means_")
        K, d = self.means_.shape
        return get_structure(self.covariance_type).decompose(self.covariances_, K, d)

    # ------------------------------------------------------------------ fitting
    def _check_parameters(self):
        check_int(self.n_components, "n_components", low=1)
        check_covariance_type(self.covariance_type)
        self._check_run_parameters()
        check_prior(self.prior)
        check_fixed(self)

    def _resolve_prior(self, X, w):
        """The fit's :class:`~gaussmix.ConjugatePrior` (None: maximum likelihood),
        checked against ``X``'s width; ``"mclust"`` computed from ``X``."""
        form = get_structure(self.covariance_type).prior_form
        return resolve_prior(self.prior, X, self.n_components, form, w)

    def _continues_previous_fit(self):
        """Whether this fit starts from the previous one (``warm_start``)."""
        return (self.warm_start and hasattr(self, "means_")
                and self.means_.shape[0] == self.n_components)

    def _run(self, source, starts, scale, chunk_map):
        """One EM run on all rows from the next of ``starts`` (StopIteration when
        there is none). The start is handed to the run without a name here, so the
        run alone holds it and lets it go after its first M-step: on wide data a
        start's matrices are hundreds of MB."""
        if self.fixed:
            start = next(starts)
            return run_em(source, start, tol=self.tol, max_iter=self.max_iter,
                          reg_covar=self.reg_covar, scale=scale, chunk=self.chunk_size,
                          chunk_map=chunk_map, verbose=self.verbose,
                          fixed=FixedParams.from_params(start, self.fixed))
        return run_em(source, next(starts), tol=self.tol, max_iter=self.max_iter,
                      reg_covar=self.reg_covar, scale=scale, chunk=self.chunk_size,
                      chunk_map=chunk_map, verbose=self.verbose, prior=self.prior_)

    def _starts(self, X, w, scale, rng, chunk_map, cache):
        """Starting parameters, one per EM run: a warm start, the user's, or
        ``n_init`` initialisations (``"auto"``: several candidates for the first)."""
        if self._continues_previous_fit():
            yield self._get_params().astype(X.dtype)
            return
        user = [self._user_params(X, w, scale, rng)]
        if user[0] is not None:
            yield user.pop()  # popped: this generator keeps no reference to a start
            return
        cache = AgglomerationCache() if cache is None else cache
        Xi, wi = init_sample(X, w, rng)
        for init in range(self.n_init):
            methods = (auto_methods(self.n_components, first=init == 0,
                                    subsampled=hc_subsamples(X, w))
                       if self.init_params == "auto" else [self.init_params])
            cands = [self._start(method, X, w, Xi, wi, scale, rng, cache)
                     for method in methods]
            if len(cands) > 1 and X.shape[0] > MAX_INIT_ROWS:
                # large data: the candidates race to convergence on the initialisation
                # sample, and only the winner runs on all rows
                cands = [self._best_on_sample(Xi, wi, cands, scale, chunk_map)]
            while cands:
                yield cands.pop(0)

    def _start(self, method, X, w, Xi, wi, scale, rng, cache):
        """Starting parameters by one method: the maximum-likelihood M-step on its
        partition, or for a MAP fit the MAP M-step (as mclust starts)."""
        if self.prior_ is not None:
            return map_start(method, X, w, Xi, wi, self.n_components,
                             get_structure(self.covariance_type), self.prior_, rng, cache)
        return start_params(method, X, w, Xi, wi, self.n_components, self.covariance_type,
                            self.reg_covar, scale, rng, cache)

    def _best_on_sample(self, Xi, wi, cands, scale, chunk_map):
        """The candidate start whose EM on the sample ``(Xi, wi)`` ends highest, as
        converged there."""
        best = None
        for params in cands:
            res = run_em(ArraySource(Xi, wi), params, tol=self.tol, max_iter=self.max_iter,
                         reg_covar=self.reg_covar, scale=scale, chunk_map=chunk_map,
                         prior=self.prior_)
            if best is None or res.lower_bound > best.lower_bound:
                best = res
        return best.params

    def _user_params(self, X, w, scale, rng):
        """Starting parameters from weights_init / means_init / precisions_init, if any.

        Given all three (or means and precisions), EM starts exactly there. Given only
        some, the rest come from one M-step on the rows assigned to the nearest given
        mean (or from ``init_params`` when no means are given).
        """
        if self.means_init is None and self.precisions_init is None and self.weights_init is None:
            return None
        K, d = self.n_components, X.shape[1]
        weights = None if self.weights_init is None else check_weights(self.weights_init, K)
        means = None if self.means_init is None else check_means(self.means_init, K, d)
        cov = None
        if self.precisions_init is not None:
            prec = check_precisions(self.precisions_init, self.covariance_type, K, d)
            cov = get_structure(self.covariance_type).covariance_from_precisions(prec)
        if weights is None or means is None or cov is None:
            base = self._completion(X, w, scale, rng, means)
            weights = base.weights if weights is None else weights
            means = base.means if means is None else means
            cov = base.covariances if cov is None else cov
        return MixtureParams.from_covariances(
            self.covariance_type, *(np.asarray(a, dtype=X.dtype) for a in (weights, means, cov)))

    def _completion(self, X, w, scale, rng, means):
        """Parameters that fill in what the user did not give: one M-step on the rows
        nearest each given mean, or the ``init_params`` start when no means are given."""
        K = self.n_components
        structure = get_structure(self.covariance_type)
        Xi, wi = init_sample(X, w, rng)
        if means is not None:
            resp = one_hot(np.argmin(sq_distances(Xi, means.astype(X.dtype)), axis=1), K,
                           X.dtype)
            return params_from_resp(Xi, wi, resp, structure, self.reg_covar, scale)
        method = "kmeans" if self.init_params == "auto" else self.init_params
        return start_params(method, X, w, Xi, wi, K, self.covariance_type, self.reg_covar,
                            scale, rng)


def load(path, *, max_bytes=MAX_MODEL_BYTES):
    """Read a model written by :meth:`GaussianMixture.save` or
    :meth:`BayesianGaussianMixture.save`.

    A model file is untrusted input: it is read only if it is a regular file of at
    most ``max_bytes`` bytes, parsed with limits on nesting and numbers, and every
    field is checked (types, dtypes, shapes, finite values, weights that sum to 1,
    covariances valid for the type and agreeing with the precision factors) before
    anything is computed. Nothing in the file is ever executed.

    Parameters
    ----------
    path : str or os.PathLike
    max_bytes : int, default=MAX_MODEL_BYTES (64 MiB)
        Larger files are refused before they are read.

    Returns
    -------
    GaussianMixture or BayesianGaussianMixture
        As the file's format marker says.

    Raises
    ------
    ValueError
        If the file is not a regular file (a folder, a pipe, a device), is larger
        than ``max_bytes``, is not a gaussmix model (a pickle, truncated or malformed
        JSON, a newer format version), or a field is missing, malformed or invalid;
        the message names the field.
    FileNotFoundError
        If ``path`` does not exist.

    Examples
    --------
    >>> import gaussmix
    >>> gm = gaussmix.GaussianMixture(2, random_state=0).fit(gaussmix.load_faithful())
    >>> gm.save("faithful.gmm.json")                     # doctest: +SKIP
    >>> gaussmix.load("faithful.gmm.json").n_components  # doctest: +SKIP
    2
    """
    from .bayesian import BayesianGaussianMixture
    from .bayesian_persistence import restore_bayesian

    return load_model(path, GaussianMixture, max_bytes,
                      variational=(BayesianGaussianMixture, restore_bayesian))
