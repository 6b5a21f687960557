"""The data's own spread: the yardstick for collapse detection and re-seeding."""

from __future__ import annotations

from functools import cached_property

import numpy as np


class DataScale:
    """The covariance of the data, with the derived quantities collapse tests need.

    Built once per fit (the data do not change while EM runs), so what EM asks for at
    every M-step (the whitening of the data's covariance) is computed once.

    Parameters
    ----------
    cov : ndarray of shape (n_features, n_features)
        Covariance of the (weighted) data.

    Examples
    --------
    >>> scale = DataScale(np.diag([4.0, 0.0]))
    >>> scale.whitening.shape      # the constant column spans no direction
    (2, 1)
    """

    def __init__(self, cov):
        self.cov = np.asarray(cov)

    @property
    def n_features(self):
        return self.cov.shape[0]

    @cached_property
    def whitening(self):
        """Columns spanning the data's non-constant directions, scaled to unit variance
        (shape (d, r), r <= d)."""
        lam, vec = np.linalg.eigh(self.cov)
        top = lam.max() if lam.size else 0.0
        if not top > 0:
            return vec[:, :0]
        keep = lam > top * 1e-12
        return vec[:, keep] / np.sqrt(lam[keep])

    @cached_property
    def variances(self):
        """Per-feature variances of the data (d,)."""
        return np.diag(self.cov).copy()

    @cached_property
    def mean_variance(self):
        """Mean variance over features: the scale of an isotropic covariance."""
        return float(np.trace(self.cov)) / self.cov.shape[0]

    def broad(self, reg_covar):
        """The covariance a re-seeded component gets: the data's, plus ``reg_covar``."""
        return self.cov + reg_covar * np.eye(self.n_features, dtype=self.cov.dtype)
