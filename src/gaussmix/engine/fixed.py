"""Parameters held fixed while EM fits the others (``GaussianMixture(fixed=...)``).

EM's M-step maximises the expected complete-data log-likelihood; holding some
parameters at given values, it maximises over the others given them, so the
objective still never decreases:

- fixed **weights**: the weights are not updated (the means and covariances do not
  depend on them);
- fixed **means**: the covariances are fitted to the scatter about the *fixed*
  means, not about the weighted sample means. The statistics are centred on a
  reference point ``r``; about the fixed means ``m`` (``delta = r - m``) they are
  ``s1 + n delta`` and ``s2 + s1 delta^T + delta s1^T + n delta delta^T``: a shift,
  exact, in every kernel's layout. With the first moment about ``m`` then set to
  zero, the model's own covariance M-step gives the scatter about ``m`` and the
  means come out as ``m``;
- fixed **covariances**: the means are the weighted sample means whatever the
  covariances (for every model), so only the covariances are replaced. Nothing can
  collapse, so no component is re-seeded.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .mstep import m_step, m_step_recover
from .params import MixtureParams

#: What ``fixed`` may name.
FIXABLE = ("weights", "means", "covariances")


@dataclass(frozen=True)
class FixedParams:
    """The values EM holds; None for a parameter it fits.

    Attributes
    ----------
    weights : ndarray of shape (n_components,) or None
    means : ndarray of shape (n_components, n_features) or None
    covariances : ndarray or None
        In the covariance structure's shape (``cov_shape``).
    precisions_cholesky : ndarray or None
        Of ``covariances``.
    """

    weights: np.ndarray | None = None
    means: np.ndarray | None = None
    covariances: np.ndarray | None = None
    precisions_cholesky: np.ndarray | None = None

    @classmethod
    def from_params(cls, params, names):
        """The values of ``names`` (a subset of :data:`FIXABLE`) in ``params``.

        Examples
        --------
        >>> p = MixtureParams.from_covariances("spherical", np.array([0.5, 0.5]),
        ...                                    np.zeros((2, 1)), np.ones(2))
        >>> FixedParams.from_params(p, ("means",)).weights is None
        True
        """
        names = set(names)
        cov = "covariances" in names
        return cls(weights=params.weights if "weights" in names else None,
                   means=params.means if "means" in names else None,
                   covariances=params.covariances if cov else None,
                   precisions_cholesky=params.precisions_cholesky if cov else None)

    def about_fixed_means(self, stats, structure):
        """``stats`` centred on the fixed means, first moment zero (see the module
        notes); unchanged when the means are not fixed."""
        if self.means is None:
            return stats
        m = np.asarray(self.means, dtype=np.float64)
        delta = stats.ref - m
        s1 = stats.s1
        nk = stats.nk
        shift = (s1[:, :, None] * delta[:, None, :] + delta[:, :, None] * s1[:, None, :]
                 + nk[:, None, None] * delta[:, :, None] * delta[:, None, :])
        s2 = stats.s2 + structure.kernel.second_moment_from_full(shift)
        return replace(stats, ref=m, s1=np.zeros_like(s1), s2=s2)

    def impose(self, params):
        """``params`` with the fixed values put back."""
        out = params
        if self.weights is not None:
            out = replace(out, weights=np.asarray(self.weights, dtype=out.weights.dtype))
        if self.means is not None:
            out = replace(out, means=np.asarray(self.means, dtype=out.means.dtype))
        if self.covariances is not None:
            out = replace(out, covariances=self.covariances,
                          precisions_cholesky=self.precisions_cholesky)
        return out


def fixed_m_step(stats, structure, reg_covar, scale, recovery, iteration, max_resets, start,
                 fixed):
    """The M-step of the parameters not in ``fixed`` given those that are.

    Returns
    -------
    params : MixtureParams
    did_reset : bool
    """
    stats = fixed.about_fixed_means(stats, structure)
    if fixed.covariances is None:
        params, did_reset = m_step_recover(stats, structure, reg_covar, scale, recovery,
                                           iteration, max_resets, start)
        return fixed.impose(params), did_reset
    weights, means, _, _ = m_step(stats, structure, reg_covar, start)
    params = MixtureParams(structure.name, weights, means, fixed.covariances,
                           fixed.precisions_cholesky)
    return fixed.impose(params), False
