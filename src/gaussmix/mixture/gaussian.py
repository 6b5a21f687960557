"""``GaussianMixture``: a scikit-learn estimator and a fitted distribution object."""

from __future__ import annotations

import numpy as np
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted

from ..covariance import check_covariance_type, check_prior, get_structure, resolve_prior
from ..engine import ArraySource, FixedParams, MixtureParams, run_em
from ..engine.missing import weighted_log_prob_missing
from ..engine.online import DEFAULT_STEP_EXPONENT
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
from .conditioning import ConditioningMixin
from .map_start import map_start
from .missing import allows_missing, check_missing_option, fit_source, impute_like
from .fixed import check_fixed
from .checks import (
    as_float_array,
    check_covariances,
    check_means,
    check_precisions,
    check_weights,
)
from .noise import (
    check_noise_parameters,
    noise_labels,
    noise_summary,
    noise_term,
    prepare_noise,
    sample_noise,
    set_noise_weight,
    with_noise_column,
)
from .noise_start import noise_starts
from .online import check_step_exponent, forget_online_state, online_step_supported, partial_fit
from .persistence import MAX_MODEL_BYTES, load_model


class GaussianMixture(ConditioningMixin, BaseMixture):
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
    noise : bool, default=False
        Add mclust's noise component: a uniform density ``1 / V`` over the training
        data's bounding box (constant outside it too), its weight ``noise_weight_``
        fitted with the Gaussians (:doc:`/user_guide/noise`). ``predict`` then gives
        -1 for rows it takes, ``predict_proba`` a last column for it.
    noise_volume : float or None, default=None
        ``V`` of the noise component; None: the volume of the data's bounding box.
        Needs ``noise=True``.
    missing : None, "error" or "em", default=None
        NaN in ``X``: None and ``"error"`` refuse it. ``"em"`` fits data with missing
        entries exactly, by EM on each row's observed entries (the objective is the
        observed-data log-likelihood; see :doc:`/user_guide/missing`), and makes
        ``score_samples``, ``predict_proba``, ``predict`` and ``score`` of a row with
        NaN use the marginal density of its observed entries. The starts are made on
        the data completed by column means; rows or columns with nothing observed are
        refused. Data without NaN are fitted exactly as with None.
    online_step_exponent : float, default=0.6
        alpha in (0.5, 1] of :meth:`partial_fit`'s step sizes ``(t + 2)^-alpha``
        (stepwise online EM, Cappe and Moulines 2009): smaller forgets the early
        batches faster, 1 averages all batches equally. See
        :doc:`/user_guide/streaming`.
    fixed : None or iterable of {"weights", "means", "covariances"}, default=None
        Parameters held at their initial values (``weights_init``, ``means_init``,
        the covariances of ``precisions_init``, each then required) while EM fits
        the others given them; the log-likelihood still never decreases. Fixed
        means: the covariances are the scatter about them. Maximum likelihood only
        (no ``prior``). See :doc:`/user_guide/fixed`.

    Attributes
    ----------
    weights_ : ndarray of shape (n_components,)
        Sum to 1, or with ``noise`` to ``1 - noise_weight_``.
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
    noise_weight_ : float
        With ``noise``: the noise component's weight ``pi_0``.
    noise_box_ : ndarray of shape (2, n_features)
        With ``noise``: the lowest and highest value of each column in the training
        data (rows of positive weight).
    noise_volume_ : float
        With ``noise``: ``V``, the box's volume or ``noise_volume``. On wide data the
        box's volume can exceed a float (inf) or vanish (0); the density then uses
        the sum of the logs of the box's widths.
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names, when fitted on a DataFrame with string column names.
    n_steps_ : int
        Batches :meth:`partial_fit` has averaged since the model was started, the
        parameters of a fitted model it continued counting as one (set by
        ``partial_fit`` only; ``fit`` removes it).

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
        noise=False,
        noise_volume=None,
        missing=None,
        online_step_exponent=DEFAULT_STEP_EXPONENT,
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
        self.noise = noise
        self.noise_volume = noise_volume
        self.missing = missing
        self.online_step_exponent = online_step_exponent
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
        if kwargs.get("noise"):
            raise ValueError("from_parameters makes a mixture of Gaussians alone; fit with "
                             "noise=True to have a noise component.")
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

    # ------------------------------------------------------------------ noise
    def _prepare_fit(self, X, w):
        prepare_noise(self, X, w)

    def _set_params(self, params):
        super()._set_params(params)
        set_noise_weight(self)

    def _chunked_log_prob(self, X):
        """Weighted log-probabilities (n, K), or (n, K + 1) with the noise column;
        rows with NaN (``missing="em"``) from their observed entries."""
        if self._allows_missing() and np.isnan(X).any():
            logp = weighted_log_prob_missing(X, self._get_params(), self.chunk_size)
        else:
            logp = super()._chunked_log_prob(X)
        term = noise_term(self)
        return logp if term is None else with_noise_column(logp, term, self.weights_)

    def predict(self, X):
        """Most likely component of each row; -1 where it is the noise component.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return noise_labels(super().predict(X), self.means_.shape[0])

    def fit_predict(self, X, y=None, sample_weight=None):
        """Fit, then return the most likely component of each row of ``X`` (-1: the
        noise component).

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        labels = super().fit_predict(X, sample_weight=sample_weight)
        return noise_labels(labels, self.means_.shape[0])

    def sample(self, n_samples=1, random_state=None):
        """Draw rows from the fitted density; with noise, a share ``noise_weight_``
        of them (binomially) uniform in the training data's box ``noise_box_``,
        labelled -1 and placed last.

        Parameters
        ----------
        n_samples : int, default=1
        random_state : int, numpy Generator or None, default=None
            Randomness for this call only.

        Returns
        -------
        X : ndarray of shape (n_samples, n_features)
        y : ndarray of shape (n_samples,)
            Component of each row (-1: noise).
        """
        if noise_term(self) is None:
            return super().sample(n_samples, random_state)
        return sample_noise(self, super().sample, n_samples, random_state)

    def summary(self, X=None):
        """A readable text summary: weights, means, the noise component if any and,
        given ``X``, log-likelihood and BIC.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), optional

        Returns
        -------
        text : str
        """
        return super().summary(X) + noise_summary(self)

    def n_parameters(self):
        """Number of free parameters of the fitted mixture (one more, the noise
        weight, with a noise component)."""
        return super().n_parameters() + (noise_term(self) is not None)

    _n_parameters = n_parameters

    # ------------------------------------------------------------------ the density at work
    def goodness_of_fit(self, X, *, n_boot=199, statistic="ks", refit=True,
                        random_state=None, n_jobs=None, progress=None):
        """Test whether ``X`` looks like a draw from this mixture (parametric bootstrap).

        Each of ``n_boot`` replicates draws ``len(X)`` rows from the model and, with
        ``refit=True``, fits them again by EM started at the model's parameters: the
        model was fitted to ``X``, which made ``X`` fit it well, and a replicate
        must get the same advantage, or the test would hardly ever reject. Use
        ``refit=False`` for a model fixed before the data were seen (e.g.
        :meth:`from_parameters`). See :mod:`gaussmix.mixture.goodness`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The data (a DataFrame needs the model's column names).
        n_boot : int, default=199
            Bootstrap replicates; the smallest possible p-value is ``1 / (n_boot + 1)``.
        statistic : {"ks", "mean"}, default="ks"
            ``"ks"``: the Kolmogorov-Smirnov distance between the data's
            log-densities and those of 10,000 rows drawn from the model. ``"mean"``:
            the mean log-likelihood; blind to any misfit of one refitted Gaussian
            (it depends on the sample covariance alone), so best with ``refit=False``.
        refit : bool, default=True
            Refit each replicate (the model's parameters, e.g. ``tol``, ``reg_covar``)
            or judge it by the model as it is.
        random_state : int, numpy Generator or None, default=None
            Root of the replicates' streams: the result does not depend on ``n_jobs``.
        n_jobs : int or None, default=None
            Worker processes (None: all cores, where the work pays for starting them).
        progress : bool or None, default=None
            Progress bar (tqdm, stderr); None: only on a terminal.

        Returns
        -------
        result : GoodnessOfFitResult
            ``statistic``, ``pvalue`` (small: the data fit worse than the model's own
            draws), ``null_statistics`` and ``summary()``.

        Examples
        --------
        >>> import numpy as np, gaussmix
        >>> X = np.random.default_rng(0).standard_t(2, size=(300, 2))   # heavy tails
        >>> gm = gaussmix.GaussianMixture(1, random_state=0).fit(X)
        >>> res = gm.goodness_of_fit(X, n_boot=19, random_state=0, progress=False)
        >>> res.pvalue, res.null_statistics.shape        # no replicate as far off
        (0.05, (19,))
        """
        from .goodness import goodness_of_fit

        return goodness_of_fit(self, X, n_boot=n_boot, statistic=statistic, refit=refit,
                               random_state=random_state, n_jobs=n_jobs, progress=progress)

    def entropy(self, *, n_samples=10_000, random_state=None, return_stderr=False):
        """Differential entropy ``-E[log p(x)]`` of the mixture, by Monte Carlo.

        See :func:`gaussmix.density.entropy`, and :func:`gaussmix.kl_divergence`
        and :func:`gaussmix.js_divergence` for the distance to another mixture.

        Parameters
        ----------
        n_samples : int, default=10000
            Rows drawn from the mixture; the standard error shrinks as
            ``1 / sqrt(n_samples)``.
        random_state : int, numpy Generator or None, default=None
        return_stderr : bool, default=False
            Also return the standard error.

        Returns
        -------
        entropy : float
            In nats.
        stderr : float
            Only with ``return_stderr=True``.

        Examples
        --------
        >>> import numpy as np, gaussmix
        >>> gm = gaussmix.GaussianMixture.from_parameters([1.], [[0.]], [1.], "spherical")
        >>> h, se = gm.entropy(n_samples=20000, random_state=0, return_stderr=True)
        >>> bool(abs(h - 0.5 * np.log(2 * np.pi * np.e)) < 4 * se)
        True
        """
        from ..density.divergences import entropy

        return entropy(self, n_samples=n_samples, random_state=random_state,
                       return_stderr=return_stderr)

    # ------------------------------------------------------------------ fitting
    def _check_parameters(self):
        check_int(self.n_components, "n_components", low=1)
        check_covariance_type(self.covariance_type)
        self._check_run_parameters()
        check_prior(self.prior)
        check_noise_parameters(self.noise, self.noise_volume)
        check_missing_option(self.missing)
        if self.noise and allows_missing(self.missing):
            # the incomplete-row E-step has no noise term yet (the uniform's marginal
            # over each row's observed columns); refuse rather than fit without it
            raise ValueError("noise=True cannot be combined with missing='em' yet; fit "
                             "the complete rows with noise=True, or drop noise.")
        check_step_exponent(self.online_step_exponent)
        check_fixed(self)

    def _allows_missing(self):
        return allows_missing(self.missing)

    def _in_memory_only(self):
        # the noise box and the missing-entry E-step read rows in memory (for now)
        if self.noise or allows_missing(self.missing):
            option = "noise=True" if self.noise else "missing='em'"
            return f"{option} needs the data in memory"
        return None

    def _source(self, X, w):
        return fit_source(X, w) if self._allows_missing() else super()._source(X, w)

    # ------------------------------------------------------------------ missing values
    def impute(self, X, method="mean", random_state=None):
        """Fill the missing entries (NaN) of ``X`` from the fitted mixture.

        Each row's missing entries get their conditional distribution given its
        observed ones: a mixture of the components' conditional Gaussians, weighted by
        the responsibilities of the observed entries. Works for any fitted model, with
        or without ``missing="em"``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            NaN where an entry is missing (a row may miss all of them: it gets the
            mixture's mean, or a draw from the mixture).
        method : {"mean", "sample"}, default="mean"
            ``"mean"``: the conditional mean ``E[x_m | x_o]`` (least squared error).
            ``"sample"``: one draw from the conditional distribution (repeat with other
            seeds for multiple imputation).
        random_state : int, numpy Generator or None, default=None
            Randomness of ``"sample"`` for this call.

        Returns
        -------
        X_filled : ndarray or DataFrame of shape (n_samples, n_features)
            Like ``X`` (a DataFrame keeps its index and column names); the observed
            entries unchanged.

        Examples
        --------
        >>> import numpy as np
        >>> from gaussmix import GaussianMixture
        >>> gm = GaussianMixture.from_parameters([1.0], [[0.0, 0.0]],
        ...                                      [[[1.0, 0.8], [0.8, 1.0]]])
        >>> gm.impute([[2.0, np.nan]])
        array([[2. , 1.6]])
        """
        return impute_like(self, X, method, random_state)

    def _fit(self, X, sample_weight, cache=None):
        forget_online_state(self)  # a fit starts over, whatever partial_fit had seen
        return super()._fit(X, sample_weight, cache)

    @available_if(online_step_supported)
    def partial_fit(self, X, y=None, sample_weight=None):
        """Update the mixture with one batch of rows: a step of stepwise online EM.

        For data that arrive in batches, or are too large to pass over many times.
        The first call on an unfitted model starts the mixture on its batch (as
        ``fit`` does: the same starts, ``n_init``, ``prior``, EM to convergence on
        it); on a fitted model (after ``fit``, ``from_parameters`` or
        :func:`~gaussmix.load`) the batches continue from its parameters, which count
        as the first batch (one whose moments they are). Every call then runs the
        batch's E-step under the current parameters, moves the running average of
        the statistics per unit weight towards the batch's by ``gamma = (t +
        2)^-alpha`` (``alpha`` is ``online_step_exponent``; the first batch sets the
        average, ``t = 0, 1, ...`` counts the later ones) and takes the M-step on
        the average, scaled to the weight ``partial_fit`` has seen (so a ``prior``
        weighs as in a batch fit on that many rows). Batches are averaged with equal
        say whatever their size; shuffle the rows if their order is not random, and
        prefer batches of hundreds of rows or more (single rows make the early steps
        noisy). ``fit`` starts over. Not available with ``noise=True``,
        ``missing="em"`` or ``fixed`` (the model has no ``partial_fit`` then; calling
        it raises an AttributeError whose cause says why). See
        :doc:`/user_guide/streaming`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            One batch; every batch has the columns (and column names) of the first.
            The first needs at least ``n_components`` rows, later ones one.
        y : ignored
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights; an integer weight w is w copies of the row.

        Returns
        -------
        self : GaussianMixture
            With ``n_steps_`` the batches averaged (a fitted model's parameters
            counting as one), ``n_iter_`` the same count (one M-step per batch),
            ``converged_`` False (a stream has no convergence test), ``lower_bound_``
            the running average of the batches' mean log-likelihoods, each under the
            parameters before its step (plus the log prior per unit weight for a MAP
            fit), and ``lower_bounds_`` empty.

        Raises
        ------
        ValueError
            A batch of another width than the first, a first batch of fewer rows
            than components, or anything ``fit`` refuses.

        Examples
        --------
        >>> import numpy as np
        >>> from gaussmix import GaussianMixture
        >>> rng = np.random.default_rng(0)
        >>> X = np.vstack([rng.normal(-3, 1, (5000, 2)), rng.normal(3, 1, (5000, 2))])
        >>> X = rng.permutation(X)
        >>> gm = GaussianMixture(n_components=2, random_state=0)
        >>> for batch in np.array_split(X, 20):
        ...     gm = gm.partial_fit(batch)
        >>> gm.n_steps_, np.round(np.sort(gm.means_[:, 0]))
        (20, array([-3.,  3.]))
        """
        return partial_fit(self, X, sample_weight)

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
                      chunk_map=chunk_map, verbose=self.verbose, prior=self.prior_,
                      noise=noise_term(self))

    def _starts(self, X, w, scale, rng, chunk_map, cache):
        """Starting parameters, one per EM run (:mod:`.noise_start` with noise)."""
        if self.noise:
            return noise_starts(self, X, w, scale, rng, chunk_map, cache, noise_term(self))
        return self._gaussian_starts(X, w, scale, rng, chunk_map, cache)

    def _gaussian_starts(self, X, w, scale, rng, chunk_map, cache):
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
