"""The EM engine: E-step to statistics, M-step from statistics, and the loop.

``e_step`` is the only function that reads data rows; ``m_step`` is the only one
that makes parameters. ``collect`` maps ``e_step`` over chunks of rows and adds the
results, so no step ever needs more than one chunk of intermediate arrays.
"""

from __future__ import annotations

import operator
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import reduce

import numpy as np

from ._covariance import collapse_tol, get_model
from ._stats import ChunkStats, SuffStats, lowest_rows

#: Bytes of intermediate arrays one thread's chunk may use. Measured on 2 cores
#: (benchmarks/em_speed.py): chunks of a few thousand rows lose to the per-call
#: overhead of numpy and to the two threads' hand-offs of the interpreter lock (two
#: threads on 1024-row chunks were slower than one); from about 10 MB on, two threads
#: run an E-step in 0.5-0.6 of one thread's time.
CHUNK_BYTES = 16 * 2**20
#: Never smaller chunks than this, whatever the data's size: on small data with many
#: quadratic features (4000 x 50, K = 20: 11 KB per row) a quarter of the data's size
#: would leave chunks of a few rows, all overhead.
MIN_CHUNK_BYTES = 4 * 2**20
#: A problem whose intermediates fit in this is one chunk on one thread.
SMALL_BYTES = 2**20


@dataclass
class MixtureParams:
    """Parameters of a Gaussian mixture.

    Attributes
    ----------
    covariance_type : str
    weights : ndarray of shape (n_components,)
    means : ndarray of shape (n_components, n_features)
    covariances : ndarray
        Shape as in :mod:`gaussmix._covariance`.
    precisions_cholesky : ndarray
        Same shape as ``covariances``.
    """

    covariance_type: str
    weights: np.ndarray
    means: np.ndarray
    covariances: np.ndarray
    precisions_cholesky: np.ndarray

    @property
    def model(self):
        return get_model(self.covariance_type)

    @property
    def n_components(self):
        return self.means.shape[0]

    @classmethod
    def from_covariances(cls, covariance_type, weights, means, covariances):
        """Build parameters, computing the precision Cholesky factors."""
        prec_chol, _ = get_model(covariance_type).precision_cholesky(covariances)
        return cls(covariance_type, weights, means, covariances, prec_chol)

    @classmethod
    def from_precisions_cholesky(cls, covariance_type, weights, means, prec_chol):
        """Build parameters from precision Cholesky factors."""
        cov = get_model(covariance_type).covariance_from_precision_cholesky(prec_chol)
        return cls(covariance_type, weights, means, cov, prec_chol)

    def astype(self, dtype):
        return MixtureParams(
            self.covariance_type,
            *(np.asarray(a, dtype=dtype) for a in
              (self.weights, self.means, self.covariances, self.precisions_cholesky)),
        )


def chunk_size_for(n_samples, n_components, n_features, itemsize, chunk_size=None,
                   n_threads=1, row_values=None):
    """Rows per chunk.

    A chunk's intermediates (the quadratic features or the whitened rows, the
    (K, n) log-probabilities, the centred rows) take ``row_values`` values per row
    (default: the most any covariance type and E-step mode needs). Chunks are as
    large as ``CHUNK_BYTES`` allows, but all threads' chunks together stay under a
    quarter of the data's own size (never below ``MIN_CHUNK_BYTES``), so a fit's
    extra memory stays under half the data's size (for data over 32 MB; smaller
    data use at most ``MIN_CHUNK_BYTES`` per thread). A problem whose
    intermediates fit in ``SMALL_BYTES`` is one chunk. ``chunk_size`` overrides.
    """
    if chunk_size is not None:
        return max(1, int(chunk_size))
    K, d = n_components, max(n_features, 1)
    if row_values is None:  # full covariances need the most
        row_values = get_model("full").row_values(K, d, None)
    # chunks may be computed in float64 whatever the data's dtype
    per_row = (row_values + 8) * max(itemsize, 8)
    if n_samples * per_row <= SMALL_BYTES:
        return max(1, n_samples)
    data_bytes = n_samples * d * itemsize
    budget = min(CHUNK_BYTES, max(MIN_CHUNK_BYTES, data_bytes // (4 * max(1, n_threads))))
    return int(max(64, min(n_samples, budget // per_row)))


def iter_chunks(n_samples, chunk):
    """``(start, stop)`` pairs covering ``range(n_samples)``."""
    for start in range(0, n_samples, chunk):
        yield start, min(start + chunk, n_samples)


def _logsumexp_rows(a):
    """``log(sum(exp(a), axis=1))`` for (n, K), stable; all -inf rows stay -inf."""
    top = a.max(axis=1)
    if np.isfinite(top).all():
        return top + np.log(np.exp(a - top[:, None]).sum(axis=1))
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return top + np.log(np.exp(a - top[:, None]).sum(axis=1))


def _log(weights):
    """``log(weights)``, -inf for zero weights without a warning."""
    if (weights > 0).all():
        return np.log(weights)
    with np.errstate(divide="ignore"):
        return np.log(weights)


def make_plan(params, dtype, centre=None, mode=None):
    """The covariance model's per-iteration E-step constants for ``params``.

    Rows are centred on ``centre`` (default: the mixture's mean, rounded to ``dtype``
    so that the rows' and the means' offsets agree exactly) before any product.
    ``mode`` forces the E-step variant (see :class:`gaussmix._covariance.Plan`).
    """
    weights = np.asarray(params.weights, dtype=np.float64)
    means = np.asarray(params.means, dtype=np.float64)
    if centre is None:
        centre = weights @ means / weights.sum()
    centre = np.asarray(centre, dtype=dtype).astype(np.float64)
    return params.model.plan(means, np.asarray(params.precisions_cholesky, dtype=np.float64),
                             _log(weights), centre, np.dtype(dtype), mode)


def weighted_log_prob(X, params, chunk=None):
    """``log pi_k + log N(x_n | mu_k, Sigma_k)`` of shape (n, K), chunk by chunk."""
    plan = make_plan(params, X.dtype)
    model = params.model
    n = X.shape[0]
    if chunk is None:
        chunk = chunk_size_for(n, params.n_components, X.shape[1], X.dtype.itemsize)
    out = np.empty((params.n_components, n), dtype=X.dtype)
    for start, stop in iter_chunks(n, chunk):
        out[:, start:stop] = model.log_prob(X[start:stop], plan)[0]
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


def _normalise(logp):
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


def _chunk_raw(X, w, resp, aux, plan, model, log_density):
    """:class:`ChunkStats` of one chunk from its responsibilities (K, n)."""
    wr = resp if w is None else resp * w.astype(resp.dtype, copy=False)
    raw = model.moments(aux, wr, plan)
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


def finish(chunks, plan, model):
    """:class:`SuffStats` (float64, centred on the means) from summed chunk statistics."""
    nk, s1, s2 = model.finish(chunks.raw, plan)
    return SuffStats(plan.centre + plan.m, nk, s1, s2, chunks.loglik, chunks.weight,
                     chunks.worst, chunks.worst_logp)


def stats_from_resp(X, w, resp, ref, model):
    """Sufficient statistics of a chunk given its responsibilities (no log-likelihood).

    Parameters
    ----------
    X : ndarray of shape (n, d)
    w : ndarray of shape (n,) or None
        Row weights; None means unit weights.
    resp : ndarray of shape (n, K)
        Responsibilities (soft, or one-hot for hard assignments).
    ref : ndarray of shape (K, d)
        Reference points the moments are centred on.
    model : covariance model from :func:`gaussmix._covariance.get_model`

    Returns
    -------
    SuffStats
    """
    K, d = ref.shape
    ref = np.asarray(ref, dtype=np.float64)
    centre = ref.mean(axis=0).astype(X.dtype).astype(np.float64)
    # exact mode: moments taken about each reference point, whatever the data's scale
    plan = model.plan(ref, model.unit_precision_cholesky(K, d), np.zeros(K), centre,
                      X.dtype, "exact")
    n = X.shape[0]
    chunk = chunk_size_for(n, K, d, X.dtype.itemsize,
                           row_values=model.row_values(K, d, "exact"))
    total = None
    for start, stop in list(iter_chunks(n, chunk)) or [(0, 0)]:
        _, aux = model.log_prob(X[start:stop], plan)
        r = np.ascontiguousarray(resp[start:stop].T, dtype=plan.dtype)
        part = _chunk_raw(X[start:stop], None if w is None else w[start:stop], r, aux, plan,
                          model, None)
        total = part if total is None else total + part
    return finish(total, plan, model)


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
    return finish(_e_step_raw(X, w, params.model, plan), plan, params.model)


def _e_step_raw(X, w, model, plan):
    logp, aux = model.log_prob(X, plan)
    log_density, resp = _normalise(logp)
    return _chunk_raw(X, w, resp, aux, plan, model, log_density)


_POOL = {}


def _pool(n_threads):
    if n_threads not in _POOL:
        _POOL[n_threads] = ThreadPoolExecutor(max_workers=n_threads,
                                              thread_name_prefix="gaussmix-estep")
    return _POOL[n_threads]


def default_threads():
    """Worker threads for the E-step: the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def collect(X, w, params, chunk=None, n_threads=None, mode=None):
    """Sum of :func:`e_step` over row chunks of ``X``.

    Chunks run on ``n_threads`` threads (numpy and BLAS release the GIL), with BLAS
    itself held to one thread meanwhile so the cores are not oversubscribed. The
    chunks and the order of the sum do not depend on the thread count, so neither
    does the result. ``chunk`` (rows) defaults to :func:`chunk_size_for` the E-step
    this iteration runs. ``mode`` forces the E-step variant (default: chosen per
    iteration, see :class:`gaussmix._covariance.Plan`).
    """
    plan = make_plan(params, X.dtype, mode=mode)
    n, d = X.shape
    if chunk is None:
        chunk = chunk_size_for(n, params.n_components, d, X.dtype.itemsize,
                               n_threads=default_threads(),
                               row_values=params.model.row_values(params.n_components, d,
                                                                  plan.mode))
    model = params.model
    bounds = list(iter_chunks(X.shape[0], chunk))

    def work(b):
        return _e_step_raw(X[b[0]:b[1]], None if w is None else w[b[0]:b[1]], model, plan)

    if n_threads is None:
        n_threads = default_threads()
    if n_threads <= 1 or len(bounds) <= 1:
        return finish(reduce(operator.add, map(work, bounds)), plan, model)
    total = None
    pool = _pool(n_threads)
    with _blas_limit(1):
        # a few chunks per thread in flight at a time, summed in chunk order: the
        # partial statistics never pile up in memory
        for i in range(0, len(bounds), n_threads):
            for part in pool.map(work, bounds[i:i + n_threads]):
                total = part if total is None else total + part
    return finish(total, plan, model)


_CONTROLLER = []


def _blas_limit(n):
    """Context manager limiting BLAS threads (threadpoolctl), built once."""
    if not _CONTROLLER:
        from threadpoolctl import ThreadpoolController

        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0].limit(limits=n, user_api="blas")


def m_step(stats, covariance_type, reg_covar):
    """M-step from statistics alone.

    Returns
    -------
    weights : ndarray of shape (K,)
    means : ndarray of shape (K, d)
    cov_raw : ndarray
        Maximum-likelihood covariances before ``reg_covar``.
    cov : ndarray
        ``cov_raw`` plus ``reg_covar`` on the diagonal.
    """
    model = get_model(covariance_type)
    eps = 10 * np.finfo(np.float64).eps
    nk = stats.nk + eps
    means = stats.ref + stats.s1 / nk[:, None]
    cov_raw = model.raw_covariance(nk, stats.s1, stats.s2)
    cov = model.regularise(cov_raw, reg_covar)
    weights = nk / nk.sum()
    return weights, means, cov_raw, cov


def data_moments(X, w, chunk):
    """Weighted mean (d,) and covariance (d, d) of the data in one chunked pass."""
    ref = X[: min(X.shape[0], 1024)].mean(axis=0, keepdims=True, dtype=np.float64)
    model = get_model("full")
    total = None
    for start, stop in iter_chunks(X.shape[0], chunk):
        xc = X[start:stop]
        s = stats_from_resp(xc, None if w is None else w[start:stop],
                            np.ones((xc.shape[0], 1), dtype=X.dtype), ref, model)
        total = s if total is None else total + s
    nk = total.nk
    mean = ref[0] + total.s1[0] / nk[0]
    cov = model.raw_covariance(nk, total.s1, total.s2)[0]
    return mean, 0.5 * (cov + cov.T)


@dataclass
class Recovery:
    """What EM did about degenerate components during one run."""

    resets: list = field(default_factory=list)  # (iteration, component)
    n_cholesky_fixes: int = 0
    n_unrecovered: int = 0  # collapsed components left to regularisation


def m_step_recover(stats, covariance_type, reg_covar, data_cov, recovery, iteration,
                   max_resets):
    """M-step, then detect and re-seed collapsed or empty components.

    A component whose covariance (before ``reg_covar``) is singular, relative to the
    data's own spread, in some direction, or whose mass vanished, is re-seeded at one
    of the worst-explained rows with the data's covariance (the lecture's hot fix),
    while the reset budget lasts; afterwards ``reg_covar`` alone keeps it finite.

    Returns
    -------
    params : MixtureParams
    did_reset : bool
    """
    model = get_model(covariance_type)
    weights, means, cov_raw, cov = m_step(stats, covariance_type, reg_covar)
    K = weights.shape[0]
    bad = stats.nk <= 10 * np.finfo(stats.nk.dtype).eps * stats.weight
    collapsed = model.collapsed(cov_raw, data_cov, collapse_tol(cov_raw.dtype))
    if collapsed is not None:
        bad = bad | collapsed
    did_reset = False
    if bad.any():
        budget = max_resets - len(recovery.resets)
        ks = np.flatnonzero(bad)
        if budget > 0 and stats.worst.shape[0] > 0:
            broad = data_cov + reg_covar * np.eye(data_cov.shape[0], dtype=data_cov.dtype)
            for j, k in enumerate(ks[:budget]):
                means[k] = stats.worst[j % stats.worst.shape[0]]
                model.set_component(cov, k, broad)
                weights[k] = max(weights[k], 1.0 / K)
                recovery.resets.append((iteration, int(k)))
            weights = weights / weights.sum()
            did_reset = True
        else:
            recovery.n_unrecovered = max(recovery.n_unrecovered, int(ks.size))
    prec_chol, n_fixed = model.precision_cholesky(cov)
    recovery.n_cholesky_fixes += n_fixed
    if n_fixed:
        cov = model.covariance_from_precision_cholesky(prec_chol)
    return MixtureParams(covariance_type, weights, means, cov, prec_chol), did_reset


@dataclass
class EMResult:
    """Outcome of one EM run."""

    params: MixtureParams
    lower_bounds: list
    converged: bool
    n_iter: int
    recovery: Recovery

    @property
    def lower_bound(self):
        return self.lower_bounds[-1]


def run_em(X, w, params, *, tol, max_iter, reg_covar, data_cov, chunk=None, n_threads=None,
           max_resets=None, verbose=0, recovery=None):
    """Run EM from ``params`` until the mean log-likelihood changes by less than ``tol``.

    ``lower_bounds[i]`` is the mean (per unit weight) log-likelihood of the parameters
    after ``i`` M-steps, so the last entry is exactly that of the returned parameters.
    It never decreases, except at an iteration where a collapsed component was
    re-seeded (listed in ``recovery.resets``).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    w : ndarray of shape (n_samples,) or None
    params : MixtureParams
        Starting parameters.
    tol : float
    max_iter : int
        Maximum number of M-steps.
    reg_covar : float
    data_cov : ndarray of shape (n_features, n_features)
        Covariance of the data: the scale for collapse detection and re-seeding.
    chunk : int, optional
        Rows per E-step chunk; default sized per iteration (see :func:`collect`).
    max_resets : int, optional
        Re-seeding budget for this run; default ``2 * n_components``.

    Returns
    -------
    EMResult
    """
    if recovery is None:
        recovery = Recovery()
    if max_resets is None:
        max_resets = 2 * params.n_components
    lower_bounds = []
    prev = None
    converged = False
    n_iter = 0
    for it in range(max_iter + 1):
        stats = collect(X, w, params, chunk, n_threads)
        ll = stats.mean_loglik
        lower_bounds.append(ll)
        if verbose >= 2:
            change = float("nan") if prev is None else ll - prev
            print(f"  iteration {it:4d}  mean log-likelihood {ll: .8f}  change {change: .3e}")
        if prev is not None and abs(ll - prev) < tol:
            converged = True
            break
        if it == max_iter:
            break
        params, did_reset = m_step_recover(
            stats, params.covariance_type, reg_covar, data_cov, recovery, it + 1, max_resets
        )
        n_iter += 1
        prev = None if did_reset else ll
    return EMResult(params, lower_bounds, converged, n_iter, recovery)
