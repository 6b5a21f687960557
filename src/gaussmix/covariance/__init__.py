"""Covariance structures: every covariance-type-specific formula, and nothing else.

One class per covariance type behind :class:`CovarianceStructure`; each evaluates
densities with one of the E-step kernels in :mod:`gaussmix.covariance.kernels`.
No other package switches on the covariance type string: callers ask
:func:`get_structure` for the structure and use its methods.

Shapes, with K components and d features (scikit-learn's conventions):

============  ======  ==================  ===============================================
type          mclust  covariances         precisions_cholesky
============  ======  ==================  ===============================================
full          VVV     (K, d, d)           (K, d, d), upper triangular P_k, prec = P_k P_k^T
tied          EEE     (d, d)              (d, d)
diag          VVI     (K, d) variances    (K, d), 1 / std
spherical     VII     (K,) variances      (K,), 1 / std
============  ======  ==================  ===============================================
"""

from __future__ import annotations

from .base import CovarianceStructure
from .diagonal import Diag
from .full import Full
from .scale import DataScale
from .spherical import Spherical
from .tied import Tied

_STRUCTURES = {s.name: s for s in (Full(), Diag(), Spherical(), Tied())}

#: The covariance type names gaussmix accepts, most flexible per component first.
COVARIANCE_TYPES = tuple(_STRUCTURES)


def check_covariance_type(covariance_type):
    """Return ``covariance_type`` if it is known, else raise a clear ValueError.

    Examples
    --------
    >>> check_covariance_type("diag")
    'diag'
    """
    if not isinstance(covariance_type, str) or covariance_type not in _STRUCTURES:
        raise ValueError(
            f"covariance_type={covariance_type!r} is not supported; "
            f"use one of {', '.join(repr(c) for c in COVARIANCE_TYPES)}."
        )
    return covariance_type


def get_structure(covariance_type):
    """The :class:`CovarianceStructure` of a covariance type name.

    Examples
    --------
    >>> s = get_structure("spherical")
    >>> s.mclust_name, s.cov_shape(3, 2), s.n_parameters(3, 2)
    ('VII', (3,), 11)
    """
    return _STRUCTURES[check_covariance_type(covariance_type)]


__all__ = ["CovarianceStructure", "DataScale", "COVARIANCE_TYPES", "check_covariance_type",
           "get_structure", "Full", "Tied", "Diag", "Spherical"]
