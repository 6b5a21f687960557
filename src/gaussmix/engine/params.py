"""The parameters of a Gaussian mixture, as the engine passes them around."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..covariance import get_structure


@dataclass
class MixtureParams:
    """Parameters of a Gaussian mixture.

    Attributes
    ----------
    covariance_type : str
    weights : ndarray of shape (n_components,)
    means : ndarray of shape (n_components, n_features)
    covariances : ndarray
        Shape as the covariance structure's ``cov_shape``.
    precisions_cholesky : ndarray
        Same shape as ``covariances``.
    """

    covariance_type: str
    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    precisions_cholesky: np.ndarray

    @property
    def structure(self):
        """The :class:`~gaussmix.covariance.CovarianceStructure` of the covariances."""
        return get_structure(self.covariance_type)

    @property
    def n_components(self):
        return self.means.shape[0]

    @property
    def n_features(self):
        return self.means.shape[1]

    @classmethod
    def from_covariances(cls, covariance_type, weights, means, covariances):
        """Build parameters, computing the precision Cholesky factors."""
        prec_chol, _ = get_structure(covariance_type).precision_cholesky(covariances)
        return cls(covariance_type, weights, means, covariances, prec_chol)

    @classmethod
    def from_precisions_cholesky(cls, covariance_type, weights, means, prec_chol):
        """Build parameters from precision Cholesky factors."""
        cov = get_structure(covariance_type).covariance_from_precision_cholesky(prec_chol)
        return cls(covariance_type, weights, means, cov, prec_chol)

    def astype(self, dtype):
        return MixtureParams(
            self.covariance_type,
            *(np.asarray(a, dtype=dtype) for a in
              (self.weights, self.means, self.covariances, self.precisions_cholesky)),
        )
