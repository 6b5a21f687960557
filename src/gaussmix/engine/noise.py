"""mclust's noise component in the EM engine: a constant density ``1 / V`` beside
the Gaussians (Banfield and Raftery 1993; Fraley and Raftery 2002, section 5).

The mixture is ``p(x) = sum_k pi_k N(x | mu_k, Sigma_k) + pi_0 / V``. The noise
weight travels inside the parameters themselves: the Gaussians' ``weights`` sum to
``1 - pi_0`` (as mclust's ``pro`` without its last entry), so the E-step kernels,
whose per-component constant is ``log(weights)``, need no change, and the E-step only
gains one constant row ``log(pi_0 / V)`` before its log-sum-exp. Responsibilities
are normalised over the ``K + 1`` rows; the Gaussians' statistics are made from the
first ``K`` rows alone, and the noise mass is what the Gaussians did not take,
``N_0 = W - sum_k N_k``. With the noise density fixed, this is EM for a ``K + 1``
component mixture, so the objective (the log-likelihood with the noise term) never
decreases.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial

import numpy as np

from .estep import chunk_stats, draw_one_hot, normalise
from .params import MixtureParams


def box_volume(box):
    """The product of a bounding box's widths (``box``: lowest and highest values,
    (2, d)); inf (or 0) where it over- (under-)flows on wide data, without a warning:
    the density uses the sum of the widths' logs."""
    with np.errstate(over="ignore", under="ignore"):
        return float(np.prod(box[1] - box[0]))


def noise_weight(weights):
    """``pi_0 = 1 - sum(weights)``, never below 0 (rounding)."""
    return max(1.0 - float(np.sum(weights, dtype=np.float64)), 0.0)


def e_step_with_noise(X, w, kernel, plan, uniforms=None, *, log_noise):
    """:class:`~gaussmix.engine.stats.ChunkStats` of one chunk with a noise row of
    constant ``log_noise = log(pi_0 / V)``: responsibilities over ``K + 1`` rows (or
    with ``uniforms`` components drawn from them, as ``e_step_raw``), the Gaussians'
    moments from the first ``K``, the log-likelihood with the noise term."""
    logp, aux = kernel.log_prob(X, plan)
    K = logp.shape[0]
    full = np.empty((K + 1, logp.shape[1]), dtype=logp.dtype)
    full[:K] = logp
    full[K] = log_noise
    del logp
    log_density, resp = normalise(full)
    if uniforms is not None:
        resp = draw_one_hot(resp, uniforms)
    return chunk_stats(X, w, resp[:K], aux, plan, kernel, log_density)


def gaussian_mass(stats, prior):
    """What the Gaussians' weights are proportional to after the M-step, summed: their
    responsibility mass ``sum_k N_k``, or with a Dirichlet(alpha) prior on the weights
    ``sum_k max(N_k + alpha - 1, eps)`` as :func:`~gaussmix.engine.mstep.map_step`
    takes it (the noise weight has a flat prior, so ``pi_0 = N_0 / (N_0 + this)``
    is the posterior mode)."""
    eps = 10 * np.finfo(np.float64).eps
    nk = stats.nk + eps
    if prior is None or prior.weight_concentration == 1.0:
        return float(nk.sum())
    return float(np.maximum(nk + (prior.weight_concentration - 1.0), eps).sum())


@dataclass(frozen=True)
class NoiseTerm:
    """The noise component of an EM run: a uniform density ``1 / V`` with
    ``log V = log_volume``.

    Examples
    --------
    >>> import numpy as np
    >>> from gaussmix.engine import MixtureParams, collect
    >>> term = NoiseTerm(log_volume=np.log(100.0))
    >>> p = MixtureParams.from_covariances("spherical", np.array([0.9]),
    ...                                    np.zeros((1, 2)), np.ones(1))
    >>> round(float(np.exp(term.log_density(p.weights))), 12)   # pi_0 / V = 0.1 / 100
    0.001
    >>> X = np.array([[0.0, 0.0], [30.0, 30.0]])
    >>> stats = collect(X, p, noise=term)
    >>> round(stats.weight - float(stats.nk.sum()), 3)  # noise mass: the far row all,
    1.007
    >>> # the row at the mean 0.001 / (0.001 + 0.9 / (2 pi)) of its weight
    """

    log_volume: float

    def log_density(self, weights):
        """``log(pi_0 / V)`` for Gaussians' weights ``weights`` (-inf when pi_0 = 0)."""
        pi0 = noise_weight(weights)
        return (math.log(pi0) if pi0 > 0 else -math.inf) - self.log_volume

    def e_step(self, params):
        """The chunk E-step (``e_step_raw``'s signature) under ``params``."""
        return partial(e_step_with_noise, log_noise=self.log_density(params.weights))

    def reweight(self, params, stats, prior=None):
        """``params`` from the Gaussian M-step (weights summing to 1) with the noise's
        M-step: ``pi_0 = N_0 / (N_0 + gaussian_mass)``, the Gaussians' weights scaled
        to ``1 - pi_0``."""
        mass = gaussian_mass(stats, prior)
        noise_mass = max(stats.weight - float(stats.nk.sum()), 0.0)
        keep = mass / (mass + noise_mass)
        weights = params.weights / params.weights.sum() * keep
        return MixtureParams(params.covariance_type, weights, params.means, params.covariances,
                             params.precisions_cholesky)
