"""The EM engine: E-step to statistics, M-step from statistics, and the loop.

``e_step`` is the only function that reads data rows; ``m_step`` is the only one
that makes parameters. ``collect`` maps ``e_step`` over chunks of rows and adds the
results, so no step ever needs more than one chunk of intermediate arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._covariance import collapse_tol, get_model
from ._stats import SuffStats, lowest_rows

#: Bytes of intermediate arrays one chunk may use (the (K, n, d) centred copies).
CHUNK_BYTES = 8 * 2**20


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


def chunk_size_for(n_samples, n_components, n_features, itemsize, chunk_size=None):
    """Rows per chunk so that a chunk's (K, n, d) intermediates stay near CHUNK_BYTES."""
    if chunk_size is not None:
        return max(1, int(chunk_size))
    per_row = max(1, n_components * max(n_features, 1) * itemsize * 2)
    return int(max(256, min(n_samples, CHUNK_BYTES // per_row)))


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


def _centred(X, ref):
    """``X - ref_k`` for every component: shape (K, n, d)."""
    return X[None, :, :] - ref[:, None, :]


def weighted_log_prob(X, params):
    """``log pi_k + log N(x_n | mu_k, Sigma_k)`` of shape (n, K) for one chunk."""
    logw = _log(params.weights)
    return params.model.log_gauss(_centred(X, params.means), params.precisions_cholesky) + logw


def stats_from_resp(X, w, resp, ref, model, *, D=None, log_density=None):
    """Sufficient statistics of a chunk given its responsibilities.

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
    D : ndarray of shape (K, n, d), optional
        ``X - ref_k`` if the caller already has it.
    log_density : ndarray of shape (n,), optional
        ``log p(x_n)``; enters the statistics' log-likelihood and the worst rows.

    Returns
    -------
    SuffStats
    """
    wr = resp if w is None else resp * w[:, None]
    if D is None:
        D = _centred(X, ref)
    nk = wr.sum(axis=0)
    s1 = np.matmul(wr.T[:, None, :], D)[:, 0, :]
    s2 = model.second_moment(D, wr)
    weight = float(X.shape[0] if w is None else w.sum())
    K = ref.shape[0]
    if log_density is None:
        loglik = 0.0
        worst, worst_logp = X[:0], np.empty(0, dtype=X.dtype)
    else:
        loglik = float(log_density.sum() if w is None else log_density @ w)
        cand = log_density if w is None else np.where(w > 0, log_density, np.inf)
        worst, worst_logp = lowest_rows(cand, X, K)
        finite = np.isfinite(worst_logp)
        worst, worst_logp = worst[finite].copy(), worst_logp[finite]
    return SuffStats(ref, nk, s1, s2, loglik, weight, worst, worst_logp)


def e_step(X, w, params):
    """E-step of one chunk: responsibilities by log-sum-exp, then statistics.

    Parameters
    ----------
    X : ndarray of shape (n, d)
    w : ndarray of shape (n,) or None
    params : MixtureParams

    Returns
    -------
    SuffStats
        Centred on ``params.means``; carries the chunk's log-likelihood.
    """
    model = params.model
    D = _centred(X, params.means)
    logp = model.log_gauss(D, params.precisions_cholesky) + _log(params.weights)
    log_density = _logsumexp_rows(logp)
    finite = np.isfinite(log_density)
    if finite.all():
        resp = np.exp(logp - log_density[:, None])
    else:  # rows no component can explain (all log-densities -inf): spread them evenly
        with np.errstate(invalid="ignore"):
            resp = np.exp(logp - log_density[:, None])
        resp[~finite] = 1.0 / logp.shape[1]
    return stats_from_resp(X, w, resp, params.means, model, D=D, log_density=log_density)


def collect(X, w, params, chunk):
    """Sum of :func:`e_step` over row chunks of ``X``."""
    total = None
    for start, stop in iter_chunks(X.shape[0], chunk):
        s = e_step(X[start:stop], None if w is None else w[start:stop], params)
        total = s if total is None else total + s
    return total


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
    eps = 10 * np.finfo(stats.nk.dtype).eps
    nk = stats.nk + eps
    means = stats.ref + stats.s1 / nk[:, None]
    cov_raw = model.raw_covariance(nk, stats.s1, stats.s2)
    cov = model.regularise(cov_raw, reg_covar)
    weights = nk / nk.sum()
    return weights, means, cov_raw, cov


def data_moments(X, w, chunk):
    """Weighted mean (d,) and covariance (d, d) of the data in one chunked pass."""
    ref = X[: min(X.shape[0], 1024)].mean(axis=0, keepdims=True)
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


def run_em(X, w, params, *, tol, max_iter, reg_covar, data_cov, chunk,
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
    chunk : int
        Rows per E-step chunk.
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
        stats = collect(X, w, params, chunk)
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
