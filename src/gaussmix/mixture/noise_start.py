"""Where EM with a noise component starts.

mclust starts noise fits from a guess of which rows are noise (its users pass one,
often from Byers and Raftery's nearest-neighbour cleaning) and agglomerates the other
rows. gaussmix makes the guess from the data:

1. a clean fit (the mixture's usual starts and EM, without noise) gives a density
   ``p(x)``;
2. the rows where ``p(x) < 1 / V``, which the uniform background explains better
   than the clean fit does, are the initial noise; their share of the weight is the
   start's noise weight, clipped to ``[MIN_START_NOISE, MAX_START_NOISE]`` (EM never
   revives a zero weight);
3. the candidates are the clean fit, its weights scaled to ``1 - pi_0``, and the
   usual starts (hierarchical, k-means) made on the rows not guessed to be noise.
   Each runs EM with the noise component on all rows, and the best is kept.

The clean fit's Gaussians are widened by the noise they had to cover; the second
kind of start has not seen it, so clusters that the clean fit merged (to spend a
component on the background) are found again.
"""

from __future__ import annotations

import numpy as np

from ..engine import ArraySource, logsumexp_rows, run_em, weighted_log_prob
from ..engine.noise import noise_weight
from ..engine.params import MixtureParams
from .base import _clearly_better

#: Least and most noise weight a start gets.
MIN_START_NOISE = 0.01
MAX_START_NOISE = 0.5


def with_start_noise(params, share):
    """``params`` with their weights scaled to ``1 - share`` (the noise weight)."""
    weights = params.weights / params.weights.sum() * (1.0 - share)
    return MixtureParams(params.covariance_type, weights.astype(params.weights.dtype),
                         params.means, params.covariances, params.precisions_cholesky)


def guess_noise(params, X, term):
    """Boolean (n,): rows whose density under the Gaussians of ``params`` (weights
    normalised) is below the uniform ``1 / V``."""
    clean = MixtureParams(params.covariance_type, params.weights / params.weights.sum(),
                          params.means, params.covariances, params.precisions_cholesky)
    dtype = np.result_type(X.dtype, clean.means.dtype)
    log_density = logsumexp_rows(weighted_log_prob(X.astype(dtype, copy=False), clean))
    return log_density < -term.log_volume


def start_share(noisy, w):
    """The weight share of the rows guessed to be noise, clipped to the start's range."""
    share = float(np.mean(noisy) if w is None else w[noisy].sum() / w.sum())
    return min(max(share, MIN_START_NOISE), MAX_START_NOISE)


def clean_fit(gm, X, w, scale, rng, chunk_map, cache):
    """Parameters of the best EM run without noise from ``gm``'s usual starts."""
    best = None
    for params in gm._gaussian_starts(X, w, scale, rng, chunk_map, cache):
        res = run_em(ArraySource(X, w), params, tol=gm.tol, max_iter=gm.max_iter,
                     reg_covar=gm.reg_covar, scale=scale, chunk=gm.chunk_size,
                     chunk_map=chunk_map, prior=gm.prior_)
        if best is None or _clearly_better(res.lower_bound, best.lower_bound):
            best = res
    return best.params


def noise_starts(gm, X, w, scale, rng, chunk_map, cache, term):
    """Starting parameters (Gaussians' weights summing to ``1 - pi_0``) for the EM
    runs of ``gm`` with the noise component ``term``: a warm start as it was, a user's
    start with the guessed noise weight, else the candidates of the module's recipe."""
    if gm._continues_previous_fit():
        prev = gm._get_params().astype(X.dtype)
        if noise_weight(prev.weights) > 0:
            yield prev
            return
        yield with_start_noise(prev, start_share(guess_noise(prev, X, term), w))
        return
    user = [gm._user_params(X, w, scale, rng)]
    if user[0] is not None:
        yield with_start_noise(user[0], start_share(guess_noise(user[0], X, term), w))
        return
    clean = clean_fit(gm, X, w, scale, rng, chunk_map, cache)
    noisy = guess_noise(clean, X, term)
    share = start_share(noisy, w)
    yield with_start_noise(clean, share)
    keep = ~noisy if w is None else ~noisy & (w > 0)
    # (none guessed: the same starts as the clean fit's; too few rows: none possible)
    if noisy.any() and np.count_nonzero(keep) >= gm.n_components:
        rest = None if w is None else w[keep]
        for params in gm._gaussian_starts(X[keep], rest, scale, rng, chunk_map, cache):
            yield with_start_noise(params, share)
