"""The interface every covariance structure implements.

A covariance structure is everything that depends on the covariance type: the shape
of ``covariances_`` and ``precisions_cholesky_``, the parameter count, the M-step
from sufficient statistics, the collapse test and re-seeding, the conversions to
full matrices and to precisions, and sampling. It evaluates densities with one of
the E-step kernels (:mod:`gaussmix.covariance.kernels`), whose statistics layout its
M-step reads. Nothing outside :mod:`gaussmix.covariance` switches on the covariance
type: callers ask the structure.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from .decomposition import eigen_descending, volume_shape


class CovarianceStructure(ABC):
    """One covariance type: shapes, counts, M-step, collapse, conversions, sampling.

    Subclasses set :attr:`name`, :attr:`mclust_name`, :attr:`kernel` and
    :attr:`requirement`, and implement every abstract method. Covariances and
    precision Cholesky factors have the structure's own shape, :meth:`cov_shape`.
    """

    #: scikit-learn's name of the covariance type ("full", "tied", ...)
    name = ""
    #: mclust's name of the same model ("VVV", "EEE", ...)
    mclust_name = ""
    #: the E-step kernel the structure's densities are evaluated with
    kernel = None
    #: what a valid covariance (or precision) of this structure is, in words
    requirement = ""
    #: one sentence for people: what the structure assumes
    description = ""
    #: one covariance for all components
    shared = False
    #: no correlations: every covariance is diagonal
    diagonal = False
    #: one variance per component, the same in every direction
    isotropic = False
    #: covariances stored as variances ((K,) or (K, d)) rather than matrices
    stores_variances = False
    #: MAP M-step with the prior's degrees of freedom and the mean prior counted once
    #: for all components (mclust's ``meeeip``, ``meevip``, ``meeevp``: the models of
    #: equal volume whose shape or orientation vary, and EEI), not per component
    prior_counted_once = False
    #: has the Wishart formulas of variational Bayes (:mod:`.wishart`): scikit-learn's
    #: four types
    variational = False

    def __repr__(self):
        return f"{type(self).__name__}()"

    # -- shapes and counts ---------------------------------------------------------
    @abstractmethod
    def cov_shape(self, n_components, n_features):
        """Shape of ``covariances_``, ``precisions_`` and ``precisions_cholesky_``."""

    @abstractmethod
    def n_cov_parameters(self, n_components, n_features):
        """Number of free covariance parameters."""

    def n_parameters(self, n_components, n_features):
        """Free parameters of the mixture: covariances, means and weights."""
        return (self.n_cov_parameters(n_components, n_features)
                + n_components * n_features + n_components - 1)

    # -- conversions -----------------------------------------------------------------
    @abstractmethod
    def to_full(self, cov, n_components, n_features):
        """Every component's covariance as a full matrix, shape (K, d, d)."""

    def from_full(self, cov_full, weights=None):
        """Covariances of this structure from full matrices.

        The M-step given each component's scatter ``weights[k] * cov_full[k]`` about
        its mean: the same matrices where the structure can hold them, otherwise
        their maximum-likelihood projection onto it (the diagonal, the mean variance,
        the weighted average for a shared covariance).

        Parameters
        ----------
        cov_full : array-like of shape (n_components, n_features, n_features)
        weights : array-like of shape (n_components,), optional
            Component masses; default equal.

        Returns
        -------
        cov : ndarray of shape ``cov_shape(n_components, n_features)``
        """
        cov_full = np.asarray(cov_full, dtype=np.float64)
        K, d = cov_full.shape[:2]
        nk = np.ones(K) if weights is None else np.asarray(weights, dtype=np.float64)
        s2 = self.kernel.second_moment_from_full(nk[:, None, None] * cov_full)
        return self.raw_covariance(nk, np.zeros((K, d)), s2)

    @abstractmethod
    def precision_cholesky(self, cov):
        """``(prec_chol, n_fixed)``: Cholesky factors of the precisions; ``n_fixed``
        counts components that needed jitter (or a variance floor) to be invertible."""

    @abstractmethod
    def covariance_from_precision_cholesky(self, prec_chol):
        """Covariances from precision Cholesky factors."""

    @abstractmethod
    def precisions(self, prec_chol):
        """Precisions (inverse covariances) from their Cholesky factors."""

    @abstractmethod
    def covariance_from_precisions(self, prec):
        """Covariances from precisions (the inverse)."""

    @abstractmethod
    def is_valid(self, mats, eps=None):
        """Whether covariances or precisions of this shape meet :attr:`requirement`.

        ``eps``: the precision the values were stored with (default their dtype's),
        for structures whose constraints (equal volumes, shared axes) hold only to
        rounding."""

    def kernel_precision_cholesky(self, prec_chol):
        """The precision factors in the kernel's shape (the same for the four
        scikit-learn types; structures stored otherwise override this)."""
        return prec_chol

    def decompose(self, cov, n_components, n_features):
        """Volumes (K,), shapes (K, d) and orientations (K, d, d) of the covariances,
        ``Sigma_k = volume_k D_k diag(shape_k) D_k^T`` (Celeux and Govaert 1995), as
        mclust reports them: the volume ``det(Sigma_k)^(1/d)``, shapes with product 1
        (decreasing for ellipsoidal models, in column order for diagonal ones), the
        orientation's columns the eigenvectors; what the model shares is equal for
        all components. In the covariances' dtype."""
        full = np.asarray(self.to_full(cov, n_components, n_features), dtype=np.float64)
        values, vectors = eigen_descending(full)
        volumes, shapes = volume_shape(values)
        dtype = np.asarray(cov).dtype
        return tuple(np.asarray(a, dtype=dtype) for a in (volumes, shapes, vectors))

    def marginal_type(self, covariance_type):
        """The covariance type of the mixture's marginal over some of its columns.

        Every component's covariance there is its sub-block. The structures named
        by scikit-learn's four names and mclust's E and V keep their form in any
        sub-block (one shared matrix, diagonal, spherical), so the marginal has the
        model's own type; mclust's stacked models say otherwise where they must.

        Parameters
        ----------
        covariance_type : str
            The model's name for this structure (an alias: ``"full"`` or ``"VVV"``).

        Returns
        -------
        covariance_type : str
        """
        return covariance_type

    def check_n_features(self, n_features):
        """Raise a ValueError if the structure does not exist in ``n_features``
        dimensions (mclust's one-dimensional E and V); every other structure fits
        any dimension."""

    # -- M-step ----------------------------------------------------------------------
    @abstractmethod
    def raw_covariance(self, nk, s1, s2, start=None):
        """Maximum-likelihood covariances from statistics (``nk``, ``s1`` about the
        reference points, ``s2`` in the kernel's layout), before regularisation.

        ``start``: what :meth:`m_step_start` took from the current covariances, for
        M-steps that iterate (None: their own start); closed forms ignore it."""

    def m_step_start(self, cov):
        """What an iterative M-step starts from, taken from the current covariances
        ``cov`` (the EM of a structure whose M-step is in closed form keeps nothing:
        None). Started there, every iteration of the M-step raises the EM objective
        from the current parameters' value, so EM stays monotone however few
        iterations the M-step runs."""
        return None

    # -- MAP M-step (conjugate prior, gaussmix.covariance.prior) ---------------------
    @property
    def prior_form(self):
        """How a :class:`~gaussmix.covariance.prior.ConjugatePrior` reads on this
        model: ``"spherical"`` (inverse gamma on the one variance), ``"diagonal"``
        (inverse gamma on each variance) or ``"matrix"`` (inverse Wishart)."""
        if self.isotropic:
            return "spherical"
        return "diagonal" if self.diagonal else "matrix"

    def prior_scale(self, prior, n_features, n_components):
        """The covariance prior's scale as a (d, d) matrix Lambda with ``-tr(Lambda
        Sigma^-1) / 2`` its term of the log density: Lambda_P (``s_P I`` for a number)
        for general matrices; ``s_P I`` (the matrix's diagonal) for diagonal models,
        each variance's inverse-gamma scale; ``s_P / d I`` (``s_P = trace / d`` for a
        matrix) for spherical models, so that ``tr(Lambda) = s_P``. Added to each
        component's scatter, once for a shared covariance."""
        d = n_features
        s = np.asarray(prior.scale, dtype=np.float64)
        form = self.prior_form
        if form == "matrix":
            return s * np.eye(d) if s.ndim == 0 else s.copy()
        if form == "diagonal":
            return s * np.eye(d) if s.ndim == 0 else np.diag(np.diag(s))
        value = s if s.ndim == 0 else np.trace(s) / d
        return value / d * np.eye(d)

    def prior_counts(self, prior, n_components):
        """``e_k`` (K,): the prior's exponent of ``|Sigma_k|^(-1/2)``, so that the
        M-step divides by ``n_k + e_k``. The covariance prior gives ``nu_P + d + 1``
        (inverse Wishart), ``nu_P + 2`` (an inverse gamma on each variance: the
        product's exponent of ``|Sigma|``) or ``(nu_P + 2) / d`` (an inverse gamma on
        the one variance, ``|Sigma| = sigma^(2 d)``), once for a shared covariance
        (spread evenly over the components); the mean prior ``N(mu_P, Sigma_k /
        kappa_P)`` adds 1 per component (Fraley and Raftery 2007, table 2). One
        component is fitted as mclust's ``mvnX*`` fit it, with these counts; some
        models of several components override them as mclust's ``me*p`` count.
        """
        d = prior.n_features
        cov_part = {"matrix": prior.dof + d + 1, "diagonal": prior.dof + 2,
                    "spherical": (prior.dof + 2) / d}[self.prior_form]
        mean_part = 1.0 if prior.shrinkage > 0 else 0.0
        if self.prior_counted_once and n_components > 1:
            # mclust's meeeip, meevip: nu_P + 1 for diagonal models; meeevp: nu_P + d + 1
            cov_part = prior.dof + (d + 1 if self.prior_form == "matrix" else 1)
            return np.full(n_components, (cov_part + mean_part) / n_components)
        if self.shared:
            cov_part = cov_part / n_components
        return np.full(n_components, cov_part + mean_part)

    def map_covariance(self, nk, s1, s2, ref, prior, start=None):
        """The posterior mode's covariances from the E-step's statistics (``nk``,
        ``s1`` about ``ref``, ``s2`` in the kernel's layout) and the prior's
        pseudo-statistics: the scatter gains ``Lambda + kappa n_k / (kappa + n_k)
        (xbar_k - mu_P)(xbar_k - mu_P)^T`` and the masses become ``n_k + e_k``
        (:meth:`prior_scale`, :meth:`prior_counts`; Fraley and Raftery 2007, table
        2; mclust's Fortran ``me*p``). The model's maximum-likelihood M-step on these
        (:meth:`raw_covariance` with the scatter about zero) minimises ``sum_k (n_k +
        e_k) log|Sigma_k| + tr(B_k Sigma_k^-1)``, which is minus twice the log
        posterior's covariance part: the mode for every model, closed form or
        iterated (started from ``start``, every iteration raises the posterior)."""
        K, d = s1.shape
        kernel = self.kernel
        kappa = prior.shrinkage
        dev = ref + s1 / nk[:, None] - prior.mean
        outer = s1[:, :, None] * s1[:, None, :] / nk[:, None, None]
        outer -= (kappa * nk / (kappa + nk))[:, None, None] * dev[:, :, None] * dev[:, None, :]
        lam = self.prior_scale(prior, d, K) / (K if self.shared else 1)
        scatter = s2 - kernel.second_moment_from_full(outer)
        scatter = scatter + kernel.second_moment_from_full(np.broadcast_to(lam, (K, d, d)))
        mass = nk + self.prior_counts(prior, K)
        return self.raw_covariance(mass, np.zeros_like(s1), scatter, start)

    def log_prior(self, weights, means, cov, prior):
        """The prior's log density at the parameters, normalising constants dropped
        (they do not depend on the parameters): ``sum_k -(e_k log|Sigma_k| +
        tr(Lambda_k Sigma_k^-1) + kappa (mu_k - mu_P)^T Sigma_k^-1 (mu_k - mu_P)) / 2
        + (alpha - 1) sum_k log pi_k``, the terms :meth:`map_covariance` maximises."""
        K, d = np.shape(means)
        full = np.asarray(self.to_full(cov, K, d), dtype=np.float64)
        chol = np.linalg.cholesky(full)
        logdet = 2.0 * np.log(np.diagonal(chol, axis1=1, axis2=2)).sum(axis=1)
        inv = np.linalg.inv(full)
        lam = self.prior_scale(prior, d, K) / (K if self.shared else 1)
        dev = np.asarray(means, dtype=np.float64) - prior.mean
        quad = (np.einsum("ij,kji->k", lam, inv)
                + prior.shrinkage * np.einsum("ki,kij,kj->k", dev, inv, dev))
        total = -0.5 * float((self.prior_counts(prior, K) * logdet + quad).sum())
        if prior.weight_concentration != 1.0:
            total += (prior.weight_concentration - 1.0) * float(np.log(weights).sum())
        return total

    @abstractmethod
    def regularise(self, cov, reg_covar):
        """``cov`` with ``reg_covar`` added to every variance (a new array)."""

    # -- collapse and re-seeding -----------------------------------------------------
    @abstractmethod
    def collapsed(self, cov_raw, n_components, scale, tol):
        """Boolean (n_components,): components whose covariance (before
        regularisation) is singular, relative to the data's spread ``scale``
        (:class:`~gaussmix.covariance.scale.DataScale`), in some direction."""

    @abstractmethod
    def rows_needed(self, scale):
        """Rows a component needs for a covariance that is regular in the data's
        directions (``scale``: :class:`~gaussmix.covariance.DataScale`)."""

    @abstractmethod
    def set_component(self, cov, k, matrix):
        """Re-seed component ``k`` of ``cov`` in place with the (d, d) ``matrix``
        (projected onto the structure); a no-op where components share one covariance."""

    # -- sampling ----------------------------------------------------------------------
    @abstractmethod
    def sample_component(self, rng, prec_chol, k, n, d):
        """``n`` draws of ``x - mu_k`` for component ``k``, shape (n, d)."""

    def no_collapse(self, n_components):
        """The collapse test's answer when nothing can collapse."""
        return np.zeros(n_components, dtype=bool)
