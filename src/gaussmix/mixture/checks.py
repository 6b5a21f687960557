"""Checks of user-given mixture parameters (``weights_init``, ``means_init``,
``precisions_init``, and ``from_parameters``), in scikit-learn's words where it has
them, each followed by what to do."""

from __future__ import annotations

import numpy as np

from ..covariance import get_structure


def as_float_array(value, name):
    """``value`` as a finite float64 array, or a TypeError/ValueError naming ``name``."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be numeric ({exc}).") from exc
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} contains NaN or infinity; pass finite values.")
    return arr


def _check_shape(arr, shape, name, hint):
    if arr.shape != tuple(shape):
        raise ValueError(f"The parameter '{name}' should have the shape of {tuple(shape)}, "
                         f"but got {arr.shape}; {hint}.")


def check_weights(weights, n_components):
    """Mixture weights of shape (K,), in [0, 1] and summing to 1 (to 1e-6); returned
    renormalised to sum to 1 exactly.

    Examples
    --------
    >>> check_weights([0.25, 0.75], 2)
    array([0.25, 0.75])
    """
    w = as_float_array(weights, "weights")
    _check_shape(w, (n_components,), "weights", "pass one weight per component")
    if (w < 0).any() or (w > 1).any():
        raise ValueError("The parameter 'weights' should be in the range [0, 1], but got "
                         f"min value {w.min():.5f}, max value {w.max():.5f}; pass "
                         "proportions.")
    if not np.isclose(w.sum(), 1.0, rtol=0, atol=1e-6):
        raise ValueError(f"The parameter 'weights' should be normalized, but got "
                         f"sum(weights) = {w.sum():.5f}; weights must sum to 1: divide them by their "
                         "sum.")
    return w / w.sum()


def check_means(means, n_components, n_features):
    """Component means of shape (K, d)."""
    m = as_float_array(means, "means")
    _check_shape(m, (n_components, n_features), "means",
                 "pass one row of n_features values per component")
    return m


def _check_matrices(values, covariance_type, n_components, n_features, kind, argument, hint):
    """Covariances or precisions (``kind``) in the structure's shape, meeting its
    requirement (symmetric positive-definite matrices, or positive variances, with
    the constraints of the model: e.g. EII's matrices equal multiples of the
    identity)."""
    structure = get_structure(covariance_type)
    structure.check_n_features(n_features)
    name = f"{covariance_type} {kind}"
    arr = as_float_array(values, argument)
    _check_shape(arr, structure.cov_shape(n_components, n_features), name,
                 f"shapes follow covariance_type={covariance_type!r}")
    if not structure.is_valid(arr):
        raise ValueError(f"'{name}' should be {structure.requirement}; {hint}.")
    return arr


def check_precisions(precisions, covariance_type, n_components, n_features):
    """Precisions (inverse covariances) in the shape of ``covariance_type``'s structure."""
    return _check_matrices(precisions, covariance_type, n_components, n_features,
                           "precision", "precisions_init",
                           "pass the inverses of valid covariances")


def check_covariances(covariances, covariance_type, n_components, n_features):
    """Covariances in the shape of ``covariance_type``'s structure."""
    return _check_matrices(covariances, covariance_type, n_components, n_features,
                           "covariance", "covariances",
                           "pass valid covariances (variances where the type stores them)")
