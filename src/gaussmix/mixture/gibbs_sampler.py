"""Gibbs sweeps of a Gaussian mixture with full covariances under the conjugate prior,
and the relabelling of the kept draws.

The prior (Fraley and Raftery 2007; :class:`~gaussmix.ConjugatePrior`) is, per
component, Normal-inverse-Wishart: ``Sigma_k ~ IW(Lambda_0, nu_0)`` (density
proportional to ``|Sigma|^-(nu_0 + d + 1)/2 exp(-tr(Lambda_0 Sigma^-1) / 2)``, the
convention of :meth:`~gaussmix.covariance.CovarianceStructure.map_covariance`) and
``mu_k | Sigma_k ~ N(mu_0, Sigma_k / kappa_0)``; the weights are ``Dirichlet(alpha)``.

One sweep draws, in turn (Murphy 2007, "Conjugate Bayesian analysis of the Gaussian
distribution", section 9, eqs. 250-254; the same as Gelman et al., BDA3, section 3.6):

* ``z_i ~ Categorical(r_i)``, ``r_ik`` proportional to ``pi_k N(x_i | mu_k,
  Sigma_k)``, one uniform per row (inverse CDF), and the statistics of the
  assignment (``n_k``, ``xbar_k`` and the scatter ``S_k = sum_{z_i = k} (x_i -
  xbar_k)(x_i - xbar_k)^T``), in one pass of EM's chunked E-step
  (:func:`~gaussmix.engine.collect` with ``uniforms``): the one-hot responsibilities
  go through the same moment kernel as EM's soft ones. Measured (one thread,
  100,000 x 2, K = 5; ``benchmarks/bayesian_quality.py``): a sweep now costs 1.06 EM
  iterations; drawing from separately computed log densities and grouping the rows
  by component had cost 3.9;
* ``pi ~ Dirichlet(alpha + n_1, ..., alpha + n_K)`` (normalised gamma draws);
* ``Sigma_k ~ IW(Lambda_n, nu_n)`` and ``mu_k ~ N(m_n, Sigma_k / kappa_n)``, with
  ``kappa_n = kappa_0 + n_k``, ``nu_n = nu_0 + n_k``, ``m_n = (kappa_0 mu_0 + n_k
  xbar_k) / kappa_n`` and ``Lambda_n = Lambda_0 + S_k + kappa_0 n_k / kappa_n
  (xbar_k - mu_0)(xbar_k - mu_0)^T``; an empty component draws from the prior.

The inverse Wishart is drawn by Bartlett's decomposition, all components at once:
with ``Lambda_n = C C^T`` and ``A`` lower triangular (``A_jj^2 ~ chi2(nu_n - j)``,
``j = 0..d-1``, ``A_jl ~ N(0, 1)`` below the diagonal), the precision ``C^-T A A^T
C^-1`` is ``Wishart(Lambda_n^-1, nu_n)``, so ``Sigma = M M^T`` with ``M = C A^-T``;
``mu = m_n + M z / sqrt(kappa_n)``, ``z ~ N(0, I)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from ..engine import MixtureParams, collect


@dataclass(frozen=True)
class NIWPrior:
    """The sampler's prior: ``kappa`` (> 0), ``mean`` (d,), ``dof`` (> d - 1),
    ``scale`` Lambda_0 (d, d) and the Dirichlet's ``alpha``."""

    kappa: float
    mean: np.ndarray
    dof: float
    scale: np.ndarray
    alpha: float


class NonFiniteDrawError(FloatingPointError):
    """A chain produced a non-finite value (or a matrix that is not positive
    definite); the message names the chain and the draw."""


def niw_posterior(stats, prior):
    """``(m_n, kappa_n, Lambda_n, nu_n)`` per component from the statistics of an
    assignment (a :class:`~gaussmix.engine.SuffStats`: ``nk``, and ``s1``, ``s2``
    (K, d, d) centred on ``stats.ref``)."""
    nk, s1, s2, ref = stats.nk, stats.s1, stats.s2, stats.ref
    kappa_n = prior.kappa + nk
    nu_n = prior.dof + nk
    m_n = (prior.kappa * prior.mean + nk[:, None] * ref + s1) / kappa_n[:, None]
    safe = np.maximum(nk, np.finfo(np.float64).tiny)
    scatter = s2 - s1[:, :, None] * s1[:, None, :] / safe[:, None, None]
    dev = ref + s1 / safe[:, None] - prior.mean
    shrink = (prior.kappa * nk / kappa_n)[:, None, None]
    lam_n = prior.scale + scatter + shrink * dev[:, :, None] * dev[:, None, :]
    return m_n, kappa_n, 0.5 * (lam_n + np.swapaxes(lam_n, -1, -2)), nu_n


def draw_niw(rng, m_n, kappa_n, lam_n, nu_n):
    """``(Sigma, mu)`` of every component from its Normal-inverse-Wishart posterior
    (Bartlett's decomposition, vectorised over components)."""
    K, d = m_n.shape
    C = np.linalg.cholesky(lam_n)
    A = np.zeros((K, d, d))
    idx = np.arange(d)
    A[:, idx, idx] = np.sqrt(rng.chisquare(nu_n[:, None] - idx[None, :]))
    low = np.tril_indices(d, -1)
    A[:, low[0], low[1]] = rng.standard_normal((K, low[0].size))
    M = np.matmul(C, np.swapaxes(np.linalg.inv(A), -1, -2))
    cov = np.matmul(M, np.swapaxes(M, -1, -2))
    cov = 0.5 * (cov + np.swapaxes(cov, -1, -2))
    z = rng.standard_normal((K, d, 1))
    mu = m_n + np.matmul(M, z)[..., 0] / np.sqrt(kappa_n)[:, None]
    return cov, mu


def draw_weights(rng, nk, alpha):
    """``Dirichlet(alpha + n_k)`` as normalised gamma draws."""
    g = rng.standard_gamma(alpha + nk)
    return g / g.sum()


def sweep(rng, X, params, prior):
    """One Gibbs sweep from ``params``: assignments, then weights, covariances and
    means given them. Returns the new :class:`MixtureParams`."""
    stats = collect(X, params, uniforms=rng.random(X.shape[0]))
    weights = draw_weights(rng, stats.nk, prior.alpha)
    cov, mu = draw_niw(rng, *niw_posterior(stats, prior))
    return MixtureParams.from_covariances(params.covariance_type, weights, mu, cov)


def _finite(params):
    return all(np.isfinite(a).all() for a in (params.weights, params.means,
                                               params.covariances,
                                               params.precisions_cholesky))


def run_chain(X, start, prior, rng, n_warmup, n_draws, thin, chain):
    """The kept draws of one chain: arrays (n_draws, K), (n_draws, K, d) and
    (n_draws, K, d, d) after ``n_warmup`` sweeps, one kept every ``thin``.

    Raises :class:`NonFiniteDrawError` naming the chain and the draw (negative
    during warm-up) when a sweep gives a non-finite value."""
    K, d = start.means.shape
    weights = np.empty((n_draws, K))
    means = np.empty((n_draws, K, d))
    covs = np.empty((n_draws, K, d, d))
    params = start
    for it in range(n_warmup + n_draws * thin):
        draw = (it - n_warmup) // thin if it >= n_warmup else it - n_warmup
        try:
            with np.errstate(all="ignore"):
                params = sweep(rng, X, params, prior)
            ok = _finite(params)
        except np.linalg.LinAlgError as exc:  # a scale matrix not positive definite
            ok, why = False, f" ({exc})"
        else:
            why = ""
        if not ok:
            where = f"draw {draw}" if draw >= 0 else f"warm-up sweep {it}"
            raise NonFiniteDrawError(
                f"GibbsGaussianMixture: chain {chain}, {where} produced a non-finite "
                f"value{why}; check the data's scale and the prior (a larger prior "
                "scale or dof keeps covariances away from singular).")
        if draw >= 0 and (it - n_warmup) % thin == thin - 1:
            weights[draw], means[draw], covs[draw] = (params.weights, params.means,
                                                      params.covariances)
    return weights, means, covs


def label_costs(means, ref_means, ref_covs):
    """(S, K, K) costs: ``cost[s, j, k]`` is the squared Mahalanobis distance of draw
    ``s``'s mean ``j`` from reference mean ``k`` in reference covariance ``k``."""
    prec = np.linalg.inv(ref_covs)
    diff = means[:, :, None, :] - ref_means[None, None, :, :]
    return np.einsum("sjkd,kde,sjke->sjk", diff, prec, diff)


def permutations(means, ref_means, ref_covs):
    """(S, K) permutations: draw ``s``'s relabelled component ``k`` is its component
    ``perm[s, k]`` (the assignment of least total cost, :func:`label_costs`)."""
    cost = label_costs(means, ref_means, ref_covs)
    perm = np.empty(cost.shape[:2], dtype=np.intp)
    for s in range(cost.shape[0]):
        rows, cols = linear_sum_assignment(cost[s])
        perm[s, cols] = rows
    return perm


def relabel(weights, means, covs, ref_means, ref_covs, passes=2):
    """Draws (S, K, ...) permuted to match the reference, then (``passes`` > 1) again
    to match the relabelled draws' posterior means and mean covariances."""
    S = weights.shape[0]
    for _ in range(passes):
        perm = permutations(means, ref_means, ref_covs)
        rows = np.arange(S)[:, None]
        weights, means, covs = weights[rows, perm], means[rows, perm], covs[rows, perm]
        ref_means, ref_covs = means.mean(axis=0), covs.mean(axis=0)
    return weights, means, covs
