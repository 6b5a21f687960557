"""Tied covariance: one general covariance matrix shared by all components (mclust's EEE)."""

from __future__ import annotations

import numpy as np
from scipy import linalg

from .full import Full
from .kernels import SharedKernel
from .wishart import TiedWishart


class Tied(TiedWishart, Full):
    """Covariance (d, d) shared by all components; precision factor (d, d)."""

    name = "tied"
    mclust_name = "EEE"
    kernel = SharedKernel()
    description = ("Tied (mclust's EEE): ellipsoidal, equal volume, shape and orientation; "
                   "every component shares one covariance matrix.")
    shared = True

    def cov_shape(self, n_components, n_features):
        return (n_features, n_features)

    def n_cov_parameters(self, n_components, n_features):
        return n_features * (n_features + 1) // 2

    def to_full(self, cov, n_components, n_features):
        cov = np.asarray(cov)
        return np.broadcast_to(cov, (n_components,) + cov.shape).copy()


    def raw_covariance(self, nk, s1, s2, start=None):
        corr = (s1 / nk[:, None]).T @ s1
        return (s2 - corr) / nk.sum()

    def collapsed(self, cov_raw, n_components, scale, tol):
        # a pooled covariance cannot collapse onto one component's points;
        # regularisation alone keeps it positive definite
        return self.no_collapse(n_components)

    def rows_needed(self, scale):
        return 1  # the pooled covariance takes every component's rows

    def set_component(self, cov, k, matrix):
        """Nothing to re-seed: the shared covariance belongs to every component."""

    def sample_component(self, rng, prec_chol, k, n, d):
        z = rng.standard_normal((n, d))
        return linalg.solve_triangular(prec_chol.T, z.T, lower=True, check_finite=False).T
