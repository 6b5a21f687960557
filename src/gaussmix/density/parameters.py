"""A mixture's parameters with every covariance as a full matrix, whatever its type.

The density tools work on full matrices so that one formula serves every covariance
type: :func:`full_parameters` turns a fitted mixture (anything with ``weights_``,
``means_``, ``covariances_`` and ``covariance_type``) into a :class:`FullMixture`
through its covariance structure's ``to_full``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..covariance import get_structure


class FullMixture(NamedTuple):
    """A Gaussian mixture's parameters, every covariance a full matrix.

    Attributes
    ----------
    weights : ndarray of shape (n_components,)
    means : ndarray of shape (n_components, n_features)
    covariances : ndarray of shape (n_components, n_features, n_features)
    """

    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray

    @property
    def n_components(self):
        """Number of components K."""
        return self.means.shape[0]

    @property
    def n_features(self):
        """Number of features d."""
        return self.means.shape[1]


def full_parameters(mixture):
    """A mixture's weights, means and full covariance matrices, as float64 arrays.

    Parameters
    ----------
    mixture : fitted mixture, FullMixture or (weights, means, covariances)
        A fitted mixture is read duck-typed (``weights_``, ``means_``,
        ``covariances_``, ``covariance_type``); a triple of arrays must hold full
        covariance matrices.

    Returns
    -------
    params : FullMixture
        Shapes (K,), (K, d) and (K, d, d); new arrays, never views of the model's.

    Examples
    --------
    >>> import gaussmix
    >>> from gaussmix.density import full_parameters
    >>> gm = gaussmix.GaussianMixture.from_parameters([.5, .5], [[0., 0.], [3., 3.]],
    ...                                                [[1., 4.], [2., 2.]], "diag")
    >>> full_parameters(gm).covariances[0]
    array([[1., 0.],
           [0., 4.]])
    """
    if hasattr(mixture, "covariance_type"):
        return _from_model(mixture)
    weights, means, covariances = mixture
    return _checked(weights, means, covariances)


def full_covariances(mixture):
    """Every component's covariance as a full matrix, whatever the covariance type.

    Parameters
    ----------
    mixture : fitted mixture, FullMixture or (weights, means, covariances)
        As :func:`full_parameters`.

    Returns
    -------
    cov : ndarray of shape (n_components, n_features, n_features)

    Examples
    --------
    >>> import gaussmix
    >>> from gaussmix.plot import full_covariances
    >>> gm = gaussmix.GaussianMixture.from_parameters([.5, .5], [[0., 0.], [3., 3.]],
    ...                                                [1., 2.], "spherical")
    >>> full_covariances(gm)[1]
    array([[2., 0.],
           [0., 2.]])
    """
    return full_parameters(mixture).covariances


def full_block(mixture, columns):
    """:func:`full_parameters` over some columns only: the model's covariances are cut
    to those columns before they are expanded, so a wide model is never expanded whole.

    Parameters
    ----------
    mixture : fitted mixture, FullMixture or (weights, means, covariances)
        As :func:`full_parameters`.
    columns : ndarray of int, shape (m,)

    Returns
    -------
    params : FullMixture
        Shapes (K,), (K, m) and (K, m, m).
    """
    if not hasattr(mixture, "covariance_type"):
        params = full_parameters(mixture)
        return FullMixture(params.weights, params.means[:, columns],
                           params.covariances[:, columns][:, :, columns])
    if not hasattr(mixture, "means_"):
        raise ValueError("the model is not fitted; call fit(X) first.")
    structure = get_structure(mixture.covariance_type)
    means = np.array(np.asarray(mixture.means_)[:, columns], dtype=np.float64)
    cov = np.asarray(mixture.covariances_, dtype=np.float64)
    # the structure's column axes: none (one variance), the last (variances per
    # column) or the last two (matrices)
    if structure.diagonal and not structure.isotropic:
        cov = cov[..., columns]
    elif not structure.isotropic:
        cov = cov[..., columns, :][..., columns]
    return _checked(mixture.weights_, means,
                    structure.to_full(cov, means.shape[0], means.shape[1]))


def _from_model(gm):
    if not hasattr(gm, "means_"):
        raise ValueError("the model is not fitted; call fit(X) first.")
    means = np.array(gm.means_, dtype=np.float64)
    K, d = means.shape
    structure = get_structure(gm.covariance_type)
    # float64 before expanding: float32 models give float64 matrices, as their densities
    cov = structure.to_full(np.asarray(gm.covariances_, dtype=np.float64), K, d)
    return _checked(gm.weights_, means, cov)


def _checked(weights, means, covariances):
    weights = np.array(weights, dtype=np.float64)
    means = np.array(means, dtype=np.float64)
    covariances = np.array(covariances, dtype=np.float64)
    if means.ndim != 2:
        raise ValueError(f"means must have shape (n_components, n_features), got shape "
                         f"{means.shape}.")
    K, d = means.shape
    if weights.shape != (K,) or covariances.shape != (K, d, d):
        raise ValueError(f"weights of shape {weights.shape} and covariances of shape "
                         f"{covariances.shape} do not fit means of shape {means.shape}; "
                         f"expected ({K},) and ({K}, {d}, {d}).")
    return FullMixture(weights, means, covariances)


def refuse_noise(mixture, what):
    """A clear ValueError when ``mixture`` has a noise component (``noise=True``), which
    ``what`` (a closed form over the Gaussians, e.g. conditioning) would silently
    leave out."""
    if getattr(mixture, "noise", False):
        raise ValueError(f"{what} is not available for a mixture with a noise component "
                         "(noise=True) yet: it would leave out the uniform background. Fit "
                         "without noise for it, or build the Gaussians alone with "
                         "GaussianMixture.from_parameters(gm.weights_ / gm.weights_.sum(), "
                         "gm.means_, gm.covariances_, gm.covariance_type).")
