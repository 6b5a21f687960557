"""mclust's one-dimensional models: E (one variance for all components) and V (a
variance per component).

In one dimension a covariance is a variance: volume is all there is to it (shape and
orientation have no free parameter), and mclust names its two models by the volume
letter alone. Stored as variances (K,), like scikit-learn's ``"spherical"``, with
which V coincides in one dimension. Both refuse data of more than one column: use
mclust's three-letter names there (EII or VII, for the same idea of one variance).
Three-letter names fit one-dimensional data as the model of their volume letter
(E or V).
"""

from __future__ import annotations

import numpy as np

from .spherical import Spherical


class V(Spherical):
    """One variance per component (K,), one-dimensional data only."""

    name = "V"
    mclust_name = "V"
    description = "V: univariate, unequal variance."
    #: scikit-learn's four types only have a variational form here
    variational = False

    def check_n_features(self, n_features):
        if n_features != 1:
            letters = "EII" if self.shared else "VII"
            raise ValueError(
                f"covariance_type={self.name!r} is mclust's one-dimensional model "
                f"({self.description[3:-1]}), but X has {n_features} columns; use "
                f"{letters!r} (or another of mclust's three-letter models) for data of "
                "more than one column.")


class E(V):
    """One variance for all components (stored once per component, (K,))."""

    name = "E"
    mclust_name = "E"
    description = "E: univariate, equal variance."
    shared = True

    def n_cov_parameters(self, n_components, n_features):
        return 1

    def raw_covariance(self, nk, s1, s2, start=None):
        total = (s2 - (s1 * s1).sum(axis=1) / nk).sum()
        return np.full(nk.shape[0], total / (nk.sum() * s1.shape[1]))

    def collapsed(self, cov_raw, n_components, scale, tol):
        return self.no_collapse(n_components)

    def rows_needed(self, scale):
        return 1

    def set_component(self, cov, k, matrix):
        """Nothing to re-seed: the variance belongs to every component."""
