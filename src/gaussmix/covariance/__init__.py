"""Covariance structures: every covariance-type-specific formula, and nothing else.

One class per covariance model behind :class:`CovarianceStructure`; each evaluates
densities with one of the E-step kernels in :mod:`gaussmix.covariance.kernels`.
No other package switches on the covariance type string: callers ask
:func:`get_structure` for the structure and use its methods.

gaussmix takes mclust's fourteen models by their names (Celeux and Govaert 1995:
``Sigma_k = lambda_k D_k A_k D_k^T``, volume, shape and orientation each E equal, V
varying or I the identity), and scikit-learn's four names as aliases of four of them,
with scikit-learn's shapes. With K components and d features:

==========  ======  ======================  =====================================
type        mclust  covariances             precisions_cholesky
==========  ======  ======================  =====================================
full        VVV     (K, d, d)               (K, d, d), upper triangular P_k,
                                            prec = P_k P_k^T
tied        EEE     (d, d)                  (d, d)
diag        VVI     (K, d) variances        (K, d), 1 / std
spherical   VII     (K,) variances          (K,), 1 / std
EII ... EVV         (K, d, d)               (K, d, d), as for full
E, V                (K,) variances          (K,), 1 / std; one-dimensional data
==========  ======  ======================  =====================================

``"VVV"``, ``"EEE"``, ``"VVI"`` and ``"VII"`` are the same structures as ``"full"``,
``"tied"``, ``"diag"`` and ``"spherical"`` (same results, same shapes).
"""

from __future__ import annotations

from .base import CovarianceStructure
from .diagonal import Diag
from .diagonal_family import EEI, EVI, VEI
from .ellipsoidal_family import EEV, EVE, EVV, VEE, VEV, VVE
from .full import Full
from .prior import ConjugatePrior, check_prior, prior_label, resolve_prior
from .scale import DataScale
from .spherical import Spherical
from .spherical_family import EII
from .tied import Tied
from .univariate import E, V

_ALIASES = (Full(), Diag(), Spherical(), Tied())
_BY_MCLUST_NAME = {s.mclust_name: s for s in _ALIASES + (
    EII(), EEI(), VEI(), EVI(), VEE(), EVE(), VVE(), EEV(), VEV(), EVV())}

#: mclust's fourteen model names, in mclust's order (``mclust.options("emModelNames")``).
MCLUST_MODELS = ("EII", "VII", "EEI", "VEI", "EVI", "VVI", "EEE", "VEE", "EVE", "VVE",
                 "EEV", "VEV", "EVV", "VVV")
#: mclust's models of one-dimensional data: E (equal variance) and V (varying).
UNIVARIATE_TYPES = ("E", "V")
#: scikit-learn's four names, aliases of mclust's VVV, VVI, VII and EEE.
SKLEARN_TYPES = tuple(s.name for s in _ALIASES)

_STRUCTURES = {s.name: s for s in _ALIASES}
_STRUCTURES.update((name, _BY_MCLUST_NAME[name]) for name in MCLUST_MODELS)
_STRUCTURES.update((s.name, s) for s in (E(), V()))

#: The covariance type names gaussmix accepts for data of any dimension:
#: scikit-learn's four, then mclust's fourteen in mclust's order. The
#: one-dimensional E and V (:data:`UNIVARIATE_TYPES`) are accepted too.
COVARIANCE_TYPES = SKLEARN_TYPES + MCLUST_MODELS


def check_covariance_type(covariance_type):
    """Return ``covariance_type`` if it is known, else raise a clear ValueError.

    Examples
    --------
    >>> check_covariance_type("diag")
    'diag'
    >>> check_covariance_type("EVE")
    'EVE'
    """
    if not isinstance(covariance_type, str) or covariance_type not in _STRUCTURES:
        raise ValueError(
            f"covariance_type={covariance_type!r} is not supported; use one of mclust's "
            f"models {', '.join(repr(c) for c in MCLUST_MODELS)} (one-dimensional data "
            f"also {' or '.join(repr(c) for c in UNIVARIATE_TYPES)}), or scikit-learn's "
            f"{', '.join(repr(c) for c in SKLEARN_TYPES)} (the same as "
            f"{', '.join(repr(s.mclust_name) for s in _ALIASES)})."
        )
    return covariance_type


def univariate_model(covariance_type):
    """The one-dimensional model (``"E"`` or ``"V"``) that one of mclust's
    three-letter names becomes on one-dimensional data, or None for other names.

    In one dimension shape and orientation have no free parameter, so only the
    volume letter remains: EVE is E, VEV is V. scikit-learn's four names (None here)
    keep their meaning and shapes on any data.

    Examples
    --------
    >>> univariate_model("EVE"), univariate_model("VII"), univariate_model("full")
    ('E', 'V', None)
    """
    if covariance_type not in MCLUST_MODELS:
        return None
    return covariance_type[0]


def get_structure(covariance_type):
    """The :class:`CovarianceStructure` of a covariance type name.

    Examples
    --------
    >>> s = get_structure("spherical")
    >>> s.mclust_name, s.cov_shape(3, 2), s.n_parameters(3, 2)
    ('VII', (3,), 11)
    >>> get_structure("VII") is s
    True
    >>> get_structure("EVE").cov_shape(3, 2), get_structure("EVE").n_parameters(3, 2)
    ((3, 2, 2), 13)
    """
    return _STRUCTURES[check_covariance_type(covariance_type)]


__all__ = ["CovarianceStructure", "DataScale", "ConjugatePrior", "check_prior",
           "prior_label", "resolve_prior", "COVARIANCE_TYPES", "MCLUST_MODELS",
           "SKLEARN_TYPES", "UNIVARIATE_TYPES", "check_covariance_type", "get_structure",
           "univariate_model",
           "Full", "Tied", "Diag", "Spherical", "EII", "EEI", "VEI", "EVI", "VEE", "EVE",
           "VVE", "EEV", "VEV", "EVV", "E", "V"]
