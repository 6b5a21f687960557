"""The variational (Wishart) formulas of scikit-learn's four covariance types.

Variational Bayes (:mod:`gaussmix.variational`) puts a Wishart distribution on each
precision (one shared for ``"tied"``; a product of gammas, one per variance, for
``"diag"``; one gamma for ``"spherical"``), as scikit-learn's
``BayesianGaussianMixture`` does. What differs between the types is gathered here,
one mixin per type, mixed into the structures of :mod:`gaussmix.covariance`; a
structure without one (mclust's other models) says it has no variational form.

In every formula ``covariances`` is the Wishart's inverse scale over its degrees of
freedom, ``W^-1 / nu`` (so ``nu W`` is the expected precision): scikit-learn's
``covariances_``.
"""

from __future__ import annotations

import numpy as np


def weighted_covariance(X, w):
    """The data's covariance (d, d) with the unbiased (``n - 1``) denominator, rows
    weighted by ``w`` as frequencies (None: unit weights)."""
    X = np.asarray(X, dtype=np.float64)
    if w is None:
        return np.atleast_2d(np.cov(X.T))
    w = np.asarray(w, dtype=np.float64)
    mean = w @ X / w.sum()
    D = X - mean
    return (D.T * w) @ D / (w.sum() - 1.0)


def _as_matrix_prior(value, d, name):
    prior = np.asarray(value, dtype=np.float64)
    if prior.shape != (d, d):
        raise ValueError(f"The parameter '{name}' should have the shape {(d, d)}, but got "
                         f"{prior.shape}.")
    if not (np.allclose(prior, prior.T) and np.all(np.linalg.eigvalsh(prior) > 0.0)):
        raise ValueError(f"The parameter '{name}' should be a symmetric, positive-definite "
                         "matrix (all eigenvalues > 0).")
    return prior


class FullWishart:
    """One Wishart per component: ``covariances`` (K, d, d)."""

    variational = True

    def wishart_default_prior(self, X, w):
        """scikit-learn's default covariance prior: the data's covariance, here (d, d)."""
        return weighted_covariance(X, w)

    def check_wishart_prior(self, value, d, name):
        """``value`` as this type's covariance prior, or a ValueError naming ``name``."""
        return _as_matrix_prior(value, d, name)

    def wishart_prior_shape(self, d):
        """The shape of this type's covariance prior."""
        return (d, d)

    def wishart_dof(self, dof_prior, nk):
        """Posterior degrees of freedom, ``nu_0 + n_k`` per component."""
        return dof_prior + nk

    def wishart_covariances(self, nk, sk, diff, shrink, psi, dof):
        """``(Psi + n_k S_k + shrink_k (xbar_k - m_0)(xbar_k - m_0)^T) / nu_k``.

        ``sk``: covariances about the component means (regularised) in this type's
        layout; ``shrink = n_k beta_0 / beta_k``."""
        cov = psi + nk[:, None, None] * sk
        cov += shrink[:, None, None] * diff[:, :, None] * diff[:, None, :]
        return cov / dof[:, None, None]

    def log_det_cholesky(self, prec_chol, d):
        """``log det`` of each precision's Cholesky factor, (K,)."""
        return np.log(np.diagonal(prec_chol, axis1=-2, axis2=-1)).sum(axis=-1)

    def trace_scatter(self, prec_chol, s2):
        """``sum_k tr(Lambda_k S_k)`` for statistics ``s2`` in the kernel's layout."""
        prec = np.matmul(prec_chol, np.swapaxes(prec_chol, -1, -2))
        return float(np.sum(prec * s2))


class TiedWishart(FullWishart):
    """One Wishart shared by all components: ``covariances`` (d, d), as if each
    component held an even share ``N / K`` of the rows."""

    def wishart_dof(self, dof_prior, nk):
        return dof_prior + nk.sum() / nk.shape[0]

    def wishart_covariances(self, nk, sk, diff, shrink, psi, dof):
        K = nk.shape[0]
        cov = psi + sk * (nk.sum() / K) + (shrink * diff.T) @ diff / K
        return cov / dof


class DiagWishart(FullWishart):
    """A gamma on each variance: ``covariances`` (K, d)."""

    def wishart_default_prior(self, X, w):
        return np.diag(weighted_covariance(X, w)).copy()

    def check_wishart_prior(self, value, d, name):
        prior = np.asarray(value, dtype=np.float64)
        if prior.shape != (d,):
            raise ValueError(f"The parameter '{name}' should have the shape {(d,)}, but got "
                             f"{prior.shape}.")
        if not np.all(prior > 0.0):
            raise ValueError(f"The parameter '{name}' should be positive (every variance "
                             "> 0).")
        return prior

    def wishart_prior_shape(self, d):
        return (d,)

    def wishart_covariances(self, nk, sk, diff, shrink, psi, dof):
        cov = psi + nk[:, None] * sk + shrink[:, None] * diff * diff
        return cov / dof[:, None]

    def log_det_cholesky(self, prec_chol, d):
        return np.log(prec_chol).sum(axis=1)

    def trace_scatter(self, prec_chol, s2):
        return float(np.sum(prec_chol * prec_chol * s2))


class SphericalWishart(DiagWishart):
    """A gamma on the one variance of each component: ``covariances`` (K,)."""

    def wishart_default_prior(self, X, w):
        return float(np.diag(weighted_covariance(X, w)).mean())

    def check_wishart_prior(self, value, d, name):
        prior = np.asarray(value, dtype=np.float64)
        if prior.ndim != 0 or not prior > 0.0:
            raise ValueError(f"The parameter '{name}' should be a positive number (a "
                             f"variance > 0), but got {value!r}.")
        return float(prior)

    def wishart_prior_shape(self, d):
        return ()

    def wishart_covariances(self, nk, sk, diff, shrink, psi, dof):
        return (psi + nk * sk + shrink * (diff * diff).mean(axis=1)) / dof

    def log_det_cholesky(self, prec_chol, d):
        return d * np.log(prec_chol)

    def trace_scatter(self, prec_chol, s2):
        # the isotropic kernel's s2 is already summed over features
        return float(np.sum(prec_chol * prec_chol * s2))
