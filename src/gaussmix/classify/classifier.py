"""``MixtureClassifier``: a scikit-learn classifier from one Gaussian mixture density
per class (mclust's ``MclustDA``; ``EDDA``: one Gaussian per class under a common
covariance model) and Bayes' rule."""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d

from ..engine import logsumexp_rows
from ..mixture import GaussianMixture
from ..mixture.missing import allows_missing, check_missing_option
from ..selection.types import resolve_covariance_types
from ..utils.columns import call_with_feature_names
from ..utils.random import as_generator
from ..utils.validation import check_sample_weight, check_X
from .classwise import SHARED_PARAMS, fit_class
from .edda import fit_edda

#: What ``model_type`` takes: mclust's two kinds of discriminant analysis.
MODEL_TYPES = ("MclustDA", "EDDA")


class MixtureClassifier(ClassifierMixin, BaseEstimator):
    """Classifier from class-conditional Gaussian mixtures (mclust's ``MclustDA``).

    Each class ``c`` gets a density ``p(x | c)``, a Gaussian mixture fitted to its
    rows; a row is classified by Bayes' rule, ``P(c | x) = pi_c p(x | c) / sum_j pi_j
    p(x | j)``, computed in log space (log-sum-exp), with the class priors ``pi``
    the class frequencies or given.

    Parameters
    ----------
    n_components : int, iterable of int or "bic", default="bic"
        Components per class. ``"bic"``: 1 to 5 (mclust's ``G = 1:5``), chosen per
        class by BIC together with the covariance type (among the candidates that
        are not singular and have fewer free parameters than the class has rows);
        an iterable: these, chosen so; an int: that many for every class. A class with fewer rows than
        components gets as many components as it has rows.
    covariance_type : None, "mclust", "sklearn", str or iterable of str, default=None
        The covariance models tried, as :func:`gaussmix.select`'s
        ``covariance_types``: None: mclust's default for each class's rows (its
        fourteen; ``E``, ``V`` on one-dimensional data; the six spherical and diagonal
        ones for a class with no more rows than columns); ``"mclust"``: the fourteen;
        one name: only that model.
    model_type : {"MclustDA", "EDDA"}, default="MclustDA"
        ``"MclustDA"``: a mixture per class, each with its own number of components
        and covariance model. ``"EDDA"``: one Gaussian per class, every class under
        one covariance model chosen by the BIC of all classes together (``"EEE"`` is
        linear and ``"VVV"`` quadratic discriminant analysis); ``n_components`` must
        then be ``"bic"`` or 1.
    priors : array-like of shape (n_classes,), default=None
        Class prior probabilities, in the order of ``classes_``; positive, rescaled
        to sum to 1. None: the (weighted) class frequencies of the training data.
    tol, reg_covar, max_iter, n_init, init_params, verbose, chunk_size, n_jobs, prior
        As for :class:`~gaussmix.GaussianMixture`, for every class's mixture
        (``prior``: MAP estimation of each class's mixture; ``priors`` are the
        class probabilities). ``"EDDA"`` uses only ``reg_covar``: with known labels
        its fit is one M-step, no EM.
    random_state : int, numpy Generator or None, default=None
        Seeds the classes' fits (one seed drawn per class).
    missing : None, "error" or "em", default=None
        NaN in ``X``: None and ``"error"`` refuse it. ``"em"`` (``"MclustDA"`` only):
        each class's mixture is fitted by EM on its rows' observed entries
        (``GaussianMixture(missing="em")``), and a row with NaN is classified by the
        classes' densities of its observed entries (their marginals), so rows with
        gaps are neither dropped nor imputed. ``"EDDA"``'s single M-step needs
        complete rows.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        The class labels, sorted.
    class_prior_ : ndarray of shape (n_classes,)
        The priors used: ``priors`` rescaled, or the class frequencies.
    class_counts_ : ndarray of shape (n_classes,)
        Rows (total weight) per class in the training data.
    models_ : list of GaussianMixture
        The density of each class, in the order of ``classes_`` (for ``"EDDA"``: one
        component each, with its class's full covariance).
    covariance_types_ : list of str
        The covariance model of each class (for ``"EDDA"`` the common one).
    n_components_ : list of int
        The number of components of each class.
    n_iter_ : int
        The most EM iterations of a class's mixture (``"EDDA"``: M-steps of the
        chosen model, more than one only for the iterative models).
    selection_ : list
        ``"MclustDA"`` with candidates to choose from: per class the BIC table of
        :func:`gaussmix.select` (a DataFrame; None where nothing was chosen).
        ``"EDDA"``: one :class:`~gaussmix.classify.edda.EddaFit` per covariance model
        (BIC NaN and a note where a class's covariance is singular under it).
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names, when fitted on a DataFrame with string column names.

    See Also
    --------
    sklearn.discriminant_analysis.QuadraticDiscriminantAnalysis
        ``MixtureClassifier(1, covariance_type="full")`` (equal up to ``reg_covar``
        and QDA's unbiased covariance estimate).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from gaussmix import MixtureClassifier
    >>> X, y = load_iris(return_X_y=True, as_frame=True)
    >>> clf = MixtureClassifier(model_type="EDDA").fit(X, y)
    >>> clf.covariance_types_[0], round(clf.score(X, y), 2)
    ('VEV', 0.98)
    >>> clf.predict_proba(X.iloc[[0, 100]]).round(3)
    array([[1., 0., 0.],
           [0., 0., 1.]])
    """

    def __init__(self, n_components="bic", *, covariance_type=None, model_type="MclustDA",
                 priors=None, tol=1e-5, reg_covar=1e-6, max_iter=1000, n_init=1,
                 init_params="auto", random_state=None, verbose=0, chunk_size=None,
                 n_jobs=None, prior=None, missing=None):
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.model_type = model_type
        self.priors = priors
        self.tol = tol
        self.reg_covar = reg_covar
        self.max_iter = max_iter
        self.n_init = n_init
        self.init_params = init_params
        self.random_state = random_state
        self.verbose = verbose
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs
        self.prior = prior
        self.missing = missing

    # ------------------------------------------------------------------ fitting
    def fit(self, X, y, sample_weight=None):
        """Fit one density per class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data (numpy array or pandas DataFrame).
        y : array-like of shape (n_samples,)
            Class labels.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights, for the densities and the class frequencies.

        Returns
        -------
        self : MixtureClassifier
        """
        self._check_parameters()
        X, y, w = self._check_training_data(X, y, sample_weight)
        self.classes_, labels = np.unique(y, return_inverse=True)
        counts = np.bincount(labels, weights=w, minlength=len(self.classes_))
        _check_every_class_weighted(self.classes_, counts)
        self.class_counts_ = counts
        self.class_prior_ = self._class_prior(counts)
        types = resolve_covariance_types(self.covariance_type, X.shape[1])
        if self.model_type == "EDDA":
            self._fit_edda(X, w, labels, types)
        else:
            self._fit_classwise(X, w, labels, types)
        return self

    def _check_parameters(self):
        if self.model_type not in MODEL_TYPES:
            raise ValueError(f"model_type={self.model_type!r} is not supported; use one of "
                             f"{', '.join(repr(m) for m in MODEL_TYPES)}.")
        _check_n_components(self.n_components, self.model_type)
        check_missing_option(self.missing)
        if self.model_type == "EDDA" and allows_missing(self.missing):
            raise ValueError("model_type='EDDA' fits complete rows only (one M-step from "
                             "the labels); use model_type='MclustDA' with missing='em', or "
                             "drop or impute the rows with NaN first.")
        if self.model_type == "MclustDA":  # the shared parameters, checked as a mixture's
            GaussianMixture(**self._mixture_params())._check_parameters()

    def _mixture_params(self):
        return {name: getattr(self, name) for name in SHARED_PARAMS}

    def _check_training_data(self, X, y, sample_weight):
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target "
                             "y is None; pass the class label of every row.")
        X = check_X(self, X, reset=True, allow_nan=allows_missing(self.missing))
        y = column_or_1d(y, warn=True)
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]} labels; pass "
                             "one label per row.")
        check_classification_targets(y)
        w = check_sample_weight(sample_weight, X.shape[0], X.dtype)
        return X, y, w

    def _class_prior(self, counts):
        if self.priors is None:
            return counts / counts.sum()
        priors = np.asarray(self.priors, dtype=np.float64)
        if priors.shape != counts.shape:
            raise ValueError(f"priors has shape {priors.shape} but there are {counts.shape[0]} "
                             f"classes ({list(self.classes_)}); pass one prior per class.")
        if not (np.isfinite(priors).all() and (priors > 0).all()):
            raise ValueError(f"priors must be finite and positive, got {priors.tolist()}.")
        return priors / priors.sum()

    def _fit_classwise(self, X, w, labels, types):
        """MclustDA: each class's rows get their own mixture."""
        rng = as_generator(self.random_state)
        params = self._mixture_params()
        self.models_, self.selection_ = [], []
        for c in range(len(self.classes_)):
            rows = labels == c
            wc = None if w is None else w[rows]
            if self.covariance_type is None:  # mclust's default for each class's rows
                n_rows = int(rows.sum()) if wc is None else int(np.count_nonzero(wc))
                types = resolve_covariance_types(None, X.shape[1], n_rows)
            gm, table = fit_class(X[rows], wc, self.n_components, types, params, rng)
            self.models_.append(gm)
            self.selection_.append(table)
        self.n_iter_ = max(gm.n_iter_ for gm in self.models_)
        self._name_models()

    def _fit_edda(self, X, w, labels, types):
        """EDDA: one Gaussian per class, one covariance model for all."""
        fits, best = fit_edda(X, w, labels, len(self.classes_), types, self.reg_covar)
        params = fits[best].params
        K, d = params.means.shape
        full = params.structure.to_full(params.covariances, K, d)
        self.models_ = [GaussianMixture.from_parameters([1.0], params.means[c:c + 1],
                                                        full[c:c + 1], "full",
                                                        reg_covar=self.reg_covar)
                        for c in range(K)]
        self.selection_ = fits
        self.n_iter_ = fits[best].n_iter
        self._name_models(fits[best].covariance_type)

    def _name_models(self, common_type=None):
        """``covariance_types_``, ``n_components_``, and the data's column names on
        every class's mixture."""
        self.covariance_types_ = [common_type or gm.covariance_type for gm in self.models_]
        self.n_components_ = [int(gm.n_components) for gm in self.models_]
        for gm in self.models_:
            gm.n_features_in_ = self.n_features_in_
            if hasattr(self, "feature_names_in_"):
                gm.feature_names_in_ = self.feature_names_in_

    # ------------------------------------------------------------------ prediction
    def class_log_density(self, X):
        """``log p(x | c)``: each row's log-density under each class's mixture.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_density : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self, "models_")
        X = check_X(self, X, reset=False, allow_nan=allows_missing(self.missing))
        return np.column_stack([call_with_feature_names(gm, "score_samples", X)
                                for gm in self.models_])

    def predict_log_proba(self, X):
        """Log of the class probabilities ``log P(c | x)`` by Bayes' rule.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        joint = self.class_log_density(X) + np.log(self.class_prior_)
        norm = logsumexp_rows(joint)[:, None]
        # a row no class can explain (every log-density -inf) gets the priors
        return np.where(np.isfinite(norm), joint - norm, np.log(self.class_prior_))

    def predict_proba(self, X):
        """Class probabilities ``P(c | x)`` by Bayes' rule.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to 1; columns in the order of ``classes_``.
        """
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        """The most probable class of each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        log_proba = self.predict_log_proba(X)  # checks first that the model is fitted
        return self.classes_[np.argmax(log_proba, axis=1)]

    def score(self, X, y, sample_weight=None):
        """Fraction of rows classified correctly (weighted by ``sample_weight``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            True labels.
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        accuracy : float
        """
        return super().score(X, y, sample_weight=sample_weight)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = self.missing == "em"
        return tags


def _check_n_components(n_components, model_type):
    if isinstance(n_components, str):
        if n_components != "bic":
            raise ValueError(f"n_components={n_components!r} is not supported; pass 'bic', "
                             "an int or an iterable of ints such as range(1, 6).")
        return
    ks = [n_components] if isinstance(n_components, numbers.Number) else n_components
    try:
        ks = list(ks)
    except TypeError:
        raise TypeError(f"n_components must be 'bic', an int or an iterable of ints, got "
                        f"{n_components!r}.") from None
    if not ks or any(isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1
                     for k in ks):
        raise ValueError(f"n_components must be 'bic', a positive int or a non-empty iterable "
                         f"of positive ints, got {n_components!r}.")
    if model_type == "EDDA" and ks != [1]:
        raise ValueError(f"model_type='EDDA' fits one Gaussian per class; n_components must be "
                         f"'bic' or 1, got {n_components!r}.")


def _check_every_class_weighted(classes, counts):
    empty = [c.item() if isinstance(c, np.generic) else c
             for c, n in zip(classes, counts) if not n > 0]
    if empty:
        raise ValueError(f"class(es) {empty} have no row with positive sample_weight, so "
                         "their density cannot be fitted; drop those rows or give them weight.")
