"""The E-step: responsibilities by log-sum-exp, then a chunk's sufficient statistics.

``e_step`` is the only function that reads data rows to make statistics; everything
covariance-specific is the structure's E-step kernel (:mod:`gaussmix.covariance`).
"""

from __future__ import annotations

import numpy as np

from .sources import ArraySource, chunk_size_for, iter_chunks
from .stats import ChunkStats, SuffStats, lowest_rows


def log_weights(weights):
    """``log(weights)``, -inf for zero weights without a warning."""
    if (weights > 0).all():
        return np.log(weights)
    with np.errstate(divide="ignore"):
        return np.log(weights)


def make_plan(params, dtype, centre=None, mode=None, log_prior=None):
    """The E-step kernel's per-iteration constants for ``params``.

    ``log_prior`` (K,), if given, replaces ``log(weights)`` as each component's
    additive constant: variational Bayes's expected log-weights plus the constants of
    its expected log-densities (:mod:`gaussmix.variational`).

    Rows are centred on ``centre`` (default: the mixture's mean, rounded to ``dtype``
    so that the rows' and the means' offsets agree exactly) before any product.
    ``mode`` forces the E-step variant (see :class:`gaussmix.covariance.kernels.Plan`).
    """
    weights = np.asarray(params.weights, dtype=np.float64)
    means = np.asarray(params.means, dtype=np.float64)
    if centre is None:
        centre = weights @ means / weights.sum()
    centre = np.asarray(centre, dtype=dtype).astype(np.float64)
    structure = params.structure
    prec_chol = structure.kernel_precision_cholesky(
        np.asarray(params.precisions_cholesky, dtype=np.float64))
    if log_prior is None:
        log_prior = log_weights(weights)
    return structure.kernel.plan(means, prec_chol, np.asarray(log_prior, dtype=np.float64),
                                 centre,
                                 np.dtype(dtype), mode)


def logsumexp_rows(a):
    """``log(sum(exp(a), axis=1))`` for (n, K), stable; all -inf rows stay -inf."""
    top = a.max(axis=1)
    if np.isfinite(top).all():
        return top + np.log(np.exp(a - top[:, None]).sum(axis=1))
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return top + np.log(np.exp(a - top[:, None]).sum(axis=1))


def weighted_log_prob(X, params, chunk=None, log_prior=None):
    """``log pi_k + log N(x_n | mu_k, Sigma_k)`` of shape (n, K), chunk by chunk
    (``log_prior``: other constants instead of ``log pi_k``, as :func:`make_plan`)."""
    plan = make_plan(params, X.dtype, log_prior=log_prior)
    kernel = params.structure.kernel
    n = X.shape[0]
    if chunk is None:
        chunk = chunk_size_for(n, params.n_components, X.shape[1], X.dtype.itemsize)
    out = np.empty((params.n_components, n), dtype=X.dtype)
    for start, stop in iter_chunks(n, chunk):
        out[:, start:stop] = kernel.log_prob(X[start:stop], plan)[0]
    return out.T


def _flush(p):
    """Set probabilities (relative to each row's largest, which is 1) below
    ``tiny ** (2/3)`` to exactly 0, in place.

    They change no statistic at the dtype's precision, but near-underflow values make
    subnormal numbers in every later product, which the CPU handles in microcode:
    measured, 3 % subnormal responsibilities made an E-step (200000 x 50, K = 20)
    2.9 times slower.
    """
    np.putmask(p, p < np.finfo(p.dtype).tiny ** (2.0 / 3.0), 0.0)


def normalise(logp):
    """Log-density (n,) and responsibilities (K, n) from weighted log-probabilities
    of shape (K, n).

    Log-sum-exp in place on ``logp``: one ``exp`` per entry. Terms like 1e-1064
    underflow to 0 instead of producing NaN; a row that no component can explain
    (all -inf) gets even responsibilities.
    """
    top = logp.max(axis=0)
    finite = np.isfinite(top)
    if finite.all():
        logp -= top
        np.exp(logp, out=logp)
        _flush(logp)
        total = logp.sum(axis=0)
        logp *= np.reciprocal(total)
        total = np.log(total)
        total += top
        return total, logp
    safe = np.where(finite, top, 0.0)
    logp -= safe
    np.exp(logp, out=logp)
    _flush(logp)
    total = logp.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_density = safe + np.log(total)
        logp /= total
    logp[:, total == 0] = 1.0 / logp.shape[0]
    return log_density, logp


def chunk_stats(X, w, resp, aux, plan, kernel, log_density):
    """:class:`ChunkStats` of one chunk from its responsibilities (K, n).

    ``log_density`` None: statistics without a log-likelihood (given
    responsibilities, as k-means and initialisation use them).
    """
    wr = resp if w is None else resp * w.astype(resp.dtype, copy=False)
    raw = kernel.moments(aux, wr, plan)
    weight = float(X.shape[0] if w is None else w.sum(dtype=np.float64))
    if log_density is None:
        return ChunkStats(raw, 0.0, weight, X[:0], np.empty(0))
    if w is None:
        loglik = float(log_density.sum(dtype=np.float64))
        cand = log_density
    else:
        loglik = float(log_density.astype(np.float64) @ w)
        cand = np.where(w > 0, log_density, np.inf)
    worst, worst_logp = lowest_rows(cand, X, plan.m.shape[0])
    finite = np.isfinite(worst_logp)
    return ChunkStats(raw, loglik, weight, worst[finite].copy(),
                      worst_logp[finite].astype(np.float64))


def finish(chunks, plan, kernel):
    """:class:`SuffStats` (float64, centred on the means) from summed chunk statistics."""
    nk, s1, s2 = kernel.finish(chunks.raw, plan)
    return SuffStats(plan.centre + plan.m, nk, s1, s2, chunks.loglik, chunks.weight,
                     chunks.worst, chunks.worst_logp)


def draw_one_hot(resp, uniforms):
    """Components drawn from responsibilities (K, n), one per row by the inverse CDF
    of its uniform in ``uniforms`` (n,), as one-hot columns written into ``resp``.

    The draws are a Gibbs sampler's assignments: their statistics are those of
    one-hot responsibilities, made by the same kernel as EM's (so a sweep costs an
    E-step plus the draw, not a second pass over the rows).
    """
    K = resp.shape[0]
    # u scaled by each row's total, so a total a rounding away from 1 is no bias
    u = uniforms.astype(resp.dtype, copy=False) * resp.sum(axis=0)
    # running sums of the K rows: np.cumsum(resp, axis=0) took 3.6 ms on (5, 100000),
    # ten times these K adds and compares
    below = resp[0].copy()
    drawn = np.zeros(resp.shape[1], dtype=np.intp)
    for k in range(1, K):
        drawn += below < u
        below += resp[k]
    np.equal(drawn, np.arange(K)[:, None], out=resp, casting="unsafe")
    return resp


def e_step_raw(X, w, kernel, plan, uniforms=None):
    """:class:`ChunkStats` of one chunk under the plan's parameters: of its
    responsibilities, or with ``uniforms`` (n,) of components drawn from them
    (:func:`draw_one_hot`); the log-likelihood is the rows' under the plan's
    parameters either way."""
    logp, aux = kernel.log_prob(X, plan)
    log_density, resp = normalise(logp)
    if uniforms is not None:
        resp = draw_one_hot(resp, uniforms)
    return chunk_stats(X, w, resp, aux, plan, kernel, log_density)


def e_step(X, w, params, plan=None):
    """E-step of one chunk: responsibilities by log-sum-exp, then statistics.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    w : ndarray of shape (n,) or None
    params : MixtureParams
    plan : Plan, optional
        :func:`make_plan` of ``params`` for ``X.dtype``, if the caller has it.

    Returns
    -------
    SuffStats
        Centred on ``params.means``; carries the chunk's log-likelihood.
    """
    if plan is None:
        plan = make_plan(params, X.dtype)
    kernel = params.structure.kernel
    return finish(e_step_raw(X, w, kernel, plan), plan, kernel)


def stats_from_resp(X, w, resp, ref, structure):
    """Sufficient statistics of rows given their responsibilities (no log-likelihood).

    Parameters
    ----------
    X : ndarray of shape (n, d)
    w : ndarray of shape (n,) or None
        Row weights; None means unit weights.
    resp : ndarray of shape (n, K)
        Responsibilities (soft, or one-hot for hard assignments).
    ref : ndarray of shape (K, d)
        Reference points the moments are centred on.
    structure : CovarianceStructure
        Its kernel decides the layout of the second moment.

    Returns
    -------
    SuffStats
    """
    K, d = ref.shape
    kernel = structure.kernel
    ref = np.asarray(ref, dtype=np.float64)
    centre = ref.mean(axis=0).astype(X.dtype).astype(np.float64)
    # exact mode: moments taken about each reference point, whatever the data's scale
    plan = kernel.moment_plan(ref, centre, X.dtype)
    chunk = chunk_size_for(X.shape[0], K, d, X.dtype.itemsize,
                           row_values=kernel.row_values(K, d, "exact"),
                           moment_values=kernel.moment_values(K, d, "exact"))
    total = None
    offset = 0
    for Xc, wc in ArraySource(X, w).chunks(chunk):
        aux = kernel.exact_rows(Xc, plan)
        r = np.ascontiguousarray(resp[offset:offset + Xc.shape[0]].T, dtype=plan.dtype)
        offset += Xc.shape[0]
        part = chunk_stats(Xc, wc, r, aux, plan, kernel, None)
        total = part if total is None else total + part
    return finish(total, plan, kernel)
