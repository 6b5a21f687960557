"""Conjugate priors for MAP estimation: the prior's value, its checks and mclust's
default.

The prior (Fraley and Raftery 2007, "Bayesian regularization for normal mixture
estimation and model-based clustering", J. Classification 24:155-181; mclust's
``priorControl()``) is, per component,

* the mean given the covariance: ``mu_k | Sigma_k ~ N(mu_P, Sigma_k / kappa_P)``
  (``shrinkage`` kappa_P, ``mean`` mu_P; no mean prior when kappa_P = 0),
* the covariance: inverse Wishart ``IW(nu_P, Lambda_P)`` on a general matrix
  (``dof`` nu_P, ``scale`` Lambda_P), inverse gamma ``IG(nu_P / 2, s_P / 2)`` on
  each variance of a diagonal model and on the one variance of a spherical model,
  once for what the model shares between components,
* the weights: ``Dirichlet(alpha, ..., alpha)`` (``weight_concentration``; 1 is
  flat, mclust has none).

:meth:`~gaussmix.covariance.CovarianceStructure.map_covariance` computes the
posterior mode from the E-step's statistics and :meth:`~gaussmix.covariance.
CovarianceStructure.log_prior` the prior's log density (normalising constants
dropped: they do not depend on the parameters).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: mclust's default shrinkage (``defaultPrior``).
MCLUST_SHRINKAGE = 0.01


@dataclass(frozen=True)
class ConjugatePrior:
    """A conjugate prior on a Gaussian mixture's parameters (see :doc:`/user_guide/map`).

    Parameters
    ----------
    shrinkage : float
        kappa_P >= 0: the prior mean's weight, in rows; 0 drops the mean prior.
    mean : array-like of shape (n_features,)
        mu_P, the prior mean of every component's mean.
    dof : float
        nu_P > d - 1: the covariance prior's degrees of freedom.
    scale : float or array-like of shape (n_features, n_features)
        The covariance prior's scale: a positive number (s_P: the inverse-gamma
        scale of spherical and diagonal models, ``s_P I`` for general matrices) or
        a symmetric positive-definite matrix Lambda_P (its diagonal for diagonal
        models, ``trace / d`` for spherical ones).
    weight_concentration : float, default=1.0
        alpha > 0 of the symmetric Dirichlet prior on the weights; 1 is flat.

    Examples
    --------
    >>> from gaussmix import ConjugatePrior
    >>> p = ConjugatePrior(shrinkage=0.01, mean=[0.0, 0.0], dof=4, scale=[[1, 0], [0, 1]])
    >>> p.dof, p.mean.tolist()
    (4.0, [0.0, 0.0])
    >>> ConjugatePrior(shrinkage=-1, mean=[0.0], dof=3, scale=1.0)
    Traceback (most recent call last):
    ...
    ValueError: prior shrinkage=-1.0 must be >= 0 (the prior mean's weight in rows).
    """

    shrinkage: float
    mean: np.ndarray = field(compare=False)
    dof: float
    scale: np.ndarray = field(compare=False)
    weight_concentration: float = 1.0

    def __post_init__(self):
        set_ = object.__setattr__
        for name in ("shrinkage", "dof", "weight_concentration"):
            set_(self, name, _real(getattr(self, name), name))
        set_(self, "mean", _array(self.mean, "mean", ndim=(1,)))
        set_(self, "scale", _array(self.scale, "scale", ndim=(0, 2)))
        _check_ranges(self)

    @property
    def n_features(self):
        return self.mean.shape[0]

    def __eq__(self, other):
        if not isinstance(other, ConjugatePrior):
            return NotImplemented
        return (self.shrinkage == other.shrinkage and self.dof == other.dof
                and self.weight_concentration == other.weight_concentration
                and np.array_equal(self.mean, other.mean)
                and np.array_equal(self.scale, other.scale))

    __hash__ = None

    def check(self, n_features):
        """Raise a ValueError unless the prior fits data of ``n_features`` columns."""
        d = n_features
        if self.n_features != d:
            raise ValueError(f"prior mean has {self.n_features} value(s) but X has {d} "
                             "column(s); give one per column.")
        if self.scale.ndim == 2 and self.scale.shape != (d, d):
            raise ValueError(f"prior scale has shape {self.scale.shape}; a matrix scale "
                             f"must be ({d}, {d}) (or give a positive number).")
        if not self.dof > d - 1:
            raise ValueError(f"prior dof={self.dof:g} must be > n_features - 1 = {d - 1} "
                             "(the inverse Wishart needs it to be proper).")
        return self

    def to_dict(self):
        """JSON-safe form (lists), read back by ``ConjugatePrior(**d)``."""
        return {"shrinkage": self.shrinkage, "mean": self.mean.tolist(), "dof": self.dof,
                "scale": self.scale.tolist(),
                "weight_concentration": self.weight_concentration}


def _real(value, name):
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"prior {name} must be a real number, got {value!r}.") from None
    if not np.isfinite(out):
        raise ValueError(f"prior {name} must be finite, got {out!r}.")
    return out


def _array(value, name, ndim):
    try:
        out = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"prior {name} must be numbers, got {value!r}.") from None
    if out.ndim not in ndim or not np.all(np.isfinite(out)) or out.size == 0:
        kinds = {(1,): "a finite vector", (0, 2): "a positive number or a finite matrix"}
        raise ValueError(f"prior {name} must be {kinds[ndim]}, got shape {out.shape}.")
    out.setflags(write=False)
    return out


def _check_ranges(prior):
    if prior.shrinkage < 0:
        raise ValueError(f"prior shrinkage={prior.shrinkage!r} must be >= 0 (the prior "
                         "mean's weight in rows).")
    if not prior.weight_concentration > 0:
        raise ValueError(f"prior weight_concentration={prior.weight_concentration!r} must "
                         "be > 0 (1 is a flat Dirichlet prior on the weights).")
    scale = prior.scale
    if scale.ndim == 0 and not scale > 0:
        raise ValueError(f"prior scale={float(scale)!r} must be > 0 (or a positive-definite "
                         "matrix).")
    if scale.ndim == 2:
        ok = scale.shape[0] == scale.shape[1] and np.allclose(scale, scale.T)
        if not (ok and np.linalg.eigvalsh(scale)[0] > 0):
            raise ValueError("prior scale must be a symmetric positive-definite matrix "
                             f"(or a positive number); got {scale.tolist()!r}.")
    if not prior.dof > 0:
        raise ValueError(f"prior dof={prior.dof!r} must be > n_features - 1.")


def mclust_default(X, n_components, form, w=None):
    """mclust's ``defaultPrior(data, G, modelName)``: shrinkage 0.01, the column means,
    dof d + 2 (3 in one dimension), and the scale of the model's ``form``: ``var(X) /
    G^(2/d)`` for general matrices (the diagonal of ``var(X)`` when n <= d), ``sum_j
    var(X_j) / d / G^(2/d)`` for spherical and diagonal models, ``var(x) / G^2`` in
    one dimension (R's ``var``: divisor n - 1; weighted rows count as copies).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 8.0]])
    >>> p = mclust_default(X, 2, "matrix")
    >>> p.dof, p.mean.tolist(), np.round(p.scale, 3).tolist()
    (4.0, [2.0, 4.0], [[2.0, 3.5], [3.5, 6.5]])
    >>> float(mclust_default(X, 2, "spherical").scale)
    4.25
    """
    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    w = np.ones(n) if w is None else np.asarray(w, dtype=np.float64)
    total = w.sum()
    mean = w @ X / total
    Xc = X - mean
    var = (Xc * w[:, None]).T @ Xc / max(total - 1.0, np.finfo(float).eps)
    fac = (1.0 / n_components) ** (2.0 / d)
    if d == 1:
        scale = var[0, 0] / n_components**2
    elif form == "matrix":
        scale = fac * (var if n > d else np.diag(np.diag(var)))
    else:
        scale = fac * np.trace(var) / d
    return ConjugatePrior(MCLUST_SHRINKAGE, mean, d + 2.0 if d > 1 else 3.0, scale)


#: What ``GaussianMixture(prior=...)`` takes besides a :class:`ConjugatePrior`.
PRIOR_NAMES = (None, "mclust")


def check_prior(prior):
    """Return ``prior`` if ``GaussianMixture`` takes it: None (maximum likelihood),
    ``"mclust"`` (mclust's default, computed from the data at fit time) or a
    :class:`ConjugatePrior`; else raise a ValueError.

    Examples
    --------
    >>> check_prior("mclust")
    'mclust'
    """
    if prior is None or isinstance(prior, ConjugatePrior):
        return prior
    if isinstance(prior, str) and prior in PRIOR_NAMES:
        return prior
    raise ValueError(f"prior={prior!r} is not supported; use None (maximum likelihood), "
                     "'mclust' (mclust's default conjugate prior) or a "
                     "gaussmix.ConjugatePrior.")


def resolve_prior(prior, X, n_components, form, w=None):
    """The :class:`ConjugatePrior` a fit of ``X`` uses (None: maximum likelihood),
    checked against the data's width; ``form``: the model's
    :attr:`~gaussmix.covariance.CovarianceStructure.prior_form`."""
    check_prior(prior)
    if prior is None:
        return None
    if isinstance(prior, str):
        prior = mclust_default(X, n_components, form, w)
    return prior.check(np.shape(X)[1])


def prior_label(prior):
    """A short name of ``GaussianMixture(prior=...)`` for tables: ``"none"`` (maximum
    likelihood), ``"mclust"`` or ``"conjugate"``.

    Examples
    --------
    >>> prior_label(None), prior_label("mclust")
    ('none', 'mclust')
    """
    if prior is None:
        return "none"
    return prior if isinstance(prior, str) else "conjugate"
