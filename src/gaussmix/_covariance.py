"""Every covariance-type-specific formula, and nothing else.

One small class per covariance type (scikit-learn's ``full``, ``tied``, ``diag``,
``spherical``; later mclust's fourteen models) behind one interface: the log-density
of a chunk, the second-moment statistic, the covariance from statistics, Cholesky
factors of the precision, collapse detection, sampling and the parameter count.
No other module switches on the covariance type string.

Shapes, with K components and d features (scikit-learn's conventions):

============  ==================  =================================================
type          covariances         precisions_cholesky
============  ==================  =================================================
full          (K, d, d)           (K, d, d), upper triangular P_k, prec_k = P_k P_k^T
tied          (d, d)              (d, d)
diag          (K, d) variances    (K, d), 1 / std
spherical     (K,) variances      (K,), 1 / std
============  ==================  =================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import linalg

from ._validation import check_covariance_type

LOG_2PI = float(np.log(2.0 * np.pi))


def collapse_tol(dtype):
    """Relative variance below which a component counts as collapsed.

    ``sqrt(eps)``: below it, a variance computed from centred moments carries no
    significant digits, so the component has collapsed onto a point or a subspace.
    """
    return float(np.sqrt(np.finfo(dtype).eps))


def _jitter_scale(mat):
    """A scale for diagonal jitter: mean diagonal of ``mat``, or 1 when zero."""
    scale = float(np.abs(np.trace(mat))) / mat.shape[-1]
    return scale if np.isfinite(scale) and scale > 0 else 1.0


def safe_cholesky(cov):
    """Lower Cholesky factors of a stack of covariances, never raising.

    Parameters
    ----------
    cov : ndarray of shape (..., d, d)

    Returns
    -------
    chol : ndarray of shape (..., d, d)
        Lower-triangular factors. A matrix that is not numerically positive definite
        gets the smallest diagonal jitter (relative 1e-12, 1e-11, ...) that makes it so.
    n_fixed : int
        How many matrices needed jitter.
    """
    try:
        return np.linalg.cholesky(cov), 0
    except np.linalg.LinAlgError:
        pass
    flat = cov.reshape(-1, cov.shape[-2], cov.shape[-1])
    out = np.empty_like(flat)
    n_fixed = 0
    eye = np.eye(flat.shape[-1], dtype=flat.dtype)
    for i, mat in enumerate(flat):
        try:
            out[i] = np.linalg.cholesky(mat)
            continue
        except np.linalg.LinAlgError:
            n_fixed += 1
        mat = np.where(np.isfinite(mat), mat, 0.0)
        mat = 0.5 * (mat + mat.T)
        scale = _jitter_scale(mat)
        jitter = scale * max(1e-12, float(np.finfo(flat.dtype).eps) * 10)
        while True:
            try:
                out[i] = np.linalg.cholesky(mat + jitter * eye)
                break
            except np.linalg.LinAlgError:
                jitter *= 10.0
                if jitter > 1e6 * scale:  # pragma: no cover - only for pathological input
                    out[i] = np.sqrt(scale) * eye
                    break
    return out.reshape(cov.shape), n_fixed


def _prec_chol_from_cov_chol(chol):
    """Upper-triangular ``P = L^{-T}`` from lower ``L`` (stacked or single), batched."""
    return np.triu(np.swapaxes(np.linalg.inv(chol), -1, -2))


def _cov_from_prec_chol(prec_chol):
    """Covariance ``(P P^T)^{-1} = P^{-T} P^{-1}`` from triangular ``P`` (stacked or single)."""
    inv = np.linalg.inv(prec_chol)
    return np.matmul(np.swapaxes(inv, -1, -2), inv)


def _whitening(data_cov):
    """Columns spanning the data's non-constant directions, scaled to unit variance.

    Cached: EM asks for the same data covariance at every M-step.
    """
    return _whitening_cached(data_cov.tobytes(), data_cov.shape, data_cov.dtype.str)


@lru_cache(maxsize=16)
def _whitening_cached(buf, shape, dtype):
    data_cov = np.frombuffer(buf, dtype=dtype).reshape(shape)
    lam, vec = np.linalg.eigh(data_cov)
    top = lam.max() if lam.size else 0.0
    if not top > 0:
        return vec[:, :0]
    keep = lam > top * 1e-12
    return vec[:, keep] / np.sqrt(lam[keep])


#: The expanded E-step (below) rounds each Mahalanobis distance with an error of
#: about ``eps * t``, where ``t = max_k trace(Lambda_k) (|mu_k - c|^2 + trace(Sigma_k))``
#: measures how far, in their own units, components sit from the centre ``c``. It is
#: used when that error stays under ``EXPAND_ERROR`` for the data's dtype, else in
#: float64 when that suffices, else the exact (whitened, per-component) E-step runs.
EXPAND_ERROR = {np.dtype(np.float64): 1e-9, np.dtype(np.float32): 1e-4}


def choose_mode(dtype, spread, mode=None):
    """E-step mode and compute dtype: ``("expand", dtype)``, ``("expand", float64)``
    or ``("exact", dtype)``, from the spread ``t`` described at ``EXPAND_ERROR``."""
    dtype = np.dtype(dtype)
    if mode == "exact":
        return "exact", dtype
    if mode == "expand":
        return "expand", dtype
    if not np.isfinite(spread):
        return "exact", dtype
    for cand in (dtype, np.dtype(np.float64)):
        if np.finfo(cand).eps * spread <= EXPAND_ERROR.get(cand, 1e-9):
            return "expand", cand
    return "exact", dtype


@dataclass
class Plan:
    """Per-iteration constants of the E-step of one covariance type.

    The E-step of a chunk works on the transposed layout: log-probabilities and
    responsibilities are (K, n), so that reductions over components run over
    contiguous rows.

    Attributes
    ----------
    centre : ndarray of shape (d,)
        Rows are centred on it before anything else (the mixture's mean, rounded to
        the data's dtype), so products stay precise for data far from the origin.
    m : ndarray of shape (K, d)
        Means relative to ``centre`` (float64).
    const : ndarray of shape (K,)
        Per-component constant of the log-density, log-weight included (float64).
    A : ndarray
        The matrix the chunk's product uses (in ``dtype``).
    back : object
        Model-specific extra constants (e.g. inverse precision factors).
    mode : {"expand", "exact"}
        ``"expand"``: log-densities and all moments of a chunk are two matrix products
        with its quadratic features ``[1, x, x x^T]`` (rows centred on ``centre``).
        ``"exact"``: rows are whitened per component (as scikit-learn does).
    dtype : numpy.dtype
        The dtype chunks are computed in.
    """

    centre: np.ndarray
    m: np.ndarray
    const: np.ndarray
    A: np.ndarray
    back: object
    mode: str = "exact"
    dtype: object = np.dtype(np.float64)


def _centred_T(X, plan, before=0, after=0):
    """Features array of shape (before + d + after, n) in ``plan.dtype`` whose rows
    ``before .. before + d`` hold ``(X - centre)^T``; the others are the caller's."""
    n, d = X.shape
    F = np.empty((before + d + after, n), dtype=plan.dtype)
    np.subtract(X.T, plan.centre.astype(plan.dtype)[:, None], out=F[before:before + d])
    return F


def _quadratic_features(X, plan, squares="pairs"):
    """``[1; x; quad]`` of shape (p, n) for rows centred on ``plan.centre``.

    ``squares``: ``"pairs"`` gives ``x_i x_j`` for i <= j (upper triangle, row-major),
    ``"diag"`` gives ``x_i^2`` and ``"sum"`` gives ``|x|^2``.
    """
    d = X.shape[1]
    nq = {"pairs": d * (d + 1) // 2, "diag": d, "sum": 1}[squares]
    F = _centred_T(X, plan, before=1, after=nq)
    F[0] = 1.0
    XT = F[1:d + 1]
    if squares == "pairs":
        off = d + 1
        for i in range(d):
            np.multiply(XT[i], XT[i:], out=F[off:off + d - i])
            off += d - i
    elif squares == "diag":
        np.multiply(XT, XT, out=F[d + 1:])
    else:
        np.einsum("dn,dn->n", XT, XT, out=F[d + 1])
    return F


def _feature_moments(F, wr):
    """Raw moments of the features about the centre, float64 (K, p): one product
    ``wr @ F^T`` gives the mass (column 0), first moments and the quadratic block."""
    return ((wr @ F.T).astype(np.float64),)


def _split(S, d):
    """``nk`` (K,), ``s1c`` (K, d) and the quadratic block (K, q) of raw moments."""
    return S[:, 0], S[:, 1:d + 1], S[:, d + 1:]


def _recentre(nk, s1c, s2c, m):
    """First and second moments about the centre turned into moments about the means
    ``m`` (all relative to the centre): full (K, d, d) second moments."""
    s1 = s1c - nk[:, None] * m
    s2 = (s2c - s1c[:, :, None] * m[:, None, :] - m[:, :, None] * s1c[:, None, :]
          + nk[:, None, None] * m[:, :, None] * m[:, None, :])
    return s1, s2


def _spread(trace_prec, dist2, trace_cov):
    """``t = max_k trace(Lambda_k) (|m_k|^2 + trace(Sigma_k))`` (see ``EXPAND_ERROR``)."""
    with np.errstate(over="ignore", invalid="ignore"):
        t = np.max(trace_prec * (dist2 + trace_cov)) if np.size(trace_prec) else 0.0
    return float(t)


@lru_cache(maxsize=64)
def _triu(d):
    """Row and column indices of the upper triangle (row-major), and the pair weights
    (1 on the diagonal, 2 off it), cached: they are asked for at every iteration."""
    iu, ju = np.triu_indices(d)
    wt = np.where(iu == ju, 1.0, 2.0)
    for a in (iu, ju, wt):
        a.setflags(write=False)
    return iu, ju, wt


def _pairs_to_matrix(Q, d):
    """Upper-triangle pair moments (K, d(d+1)/2) to symmetric (K, d, d)."""
    iu, ju, _ = _triu(d)
    out = np.empty((Q.shape[0], d, d), dtype=Q.dtype)
    out[:, iu, ju] = Q
    out[:, ju, iu] = Q
    return out


def _matrix_to_pairs(M):
    """Coefficients of ``x^T M x`` on the pair features: (K, d(d+1)/2) from (K, d, d)."""
    iu, ju, wt = _triu(M.shape[-1])
    return wt * M[..., iu, ju]


class _Model:
    """Interface shared by the covariance types.

    E-step: ``plan`` (once per iteration), then per chunk of rows ``X``:
    ``log_prob(X, plan) -> (log pi_k + log N of shape (K, n), aux)`` and
    ``moments(aux, wr, plan) -> raw`` from weighted responsibilities ``wr`` of shape
    (K, n): a tuple of float64 arrays that add across chunks, and once per pass
    ``finish(raw, plan) -> (nk, s1, s2)`` centred on the means.
    M-step: ``raw_covariance``, ``regularise``, ``precision_cholesky``.
    """

    name = ""

    def cov_parameters(self, n_components, n_features):
        """Number of free covariance parameters."""
        raise NotImplementedError

    def n_parameters(self, n_components, n_features):
        """Free parameters of the mixture: covariances, means and weights."""
        return (
            self.cov_parameters(n_components, n_features)
            + n_components * n_features
            + n_components
            - 1
        )


class Full(_Model):
    name = "full"

    def cov_parameters(self, K, d):
        return K * d * (d + 1) // 2

    def cov_shape(self, K, d):
        return (K, d, d)

    def may_expand(self, K, d):
        """Whether the quadratic features are worth it: they cost d^2 / 2 values per
        row, and beyond about 4 K d they stop paying for themselves."""
        return 1 + d + d * (d + 1) // 2 <= 4 * K * d + 16

    def row_values(self, K, d, mode):
        """Intermediate values per row of a chunk's E-step (for sizing chunks);
        ``mode=None``: the most either mode may need."""
        if mode is None:
            return max(self.row_values(K, d, "exact"),
                       self.row_values(K, d, "expand") if self.may_expand(K, d) else 0)
        if mode == "expand":
            return 1 + d + d * (d + 1) // 2 + 2 * K + d
        return K * d + 2 * d + 3 * K

    def unit_precision_cholesky(self, K, d):
        return np.broadcast_to(np.eye(d), (K, d, d))

    # -- E-step ----------------------------------------------------------------------
    def plan(self, means, prec_chol, log_weights, centre, dtype, mode=None):
        """Everything a chunk's E-step needs, precomputed once per iteration.

        ``"expand"``: ``-(x - mu)^T Lambda (x - mu) / 2`` is linear in the features
        ``[1, x, x_i x_j (i <= j)]`` of rows centred on c, so the (K, n) log-densities
        are one product with a (K, p) matrix and the moments one more, ``p = 1 + d +
        d(d+1)/2``: half the arithmetic of whitening, and no (n, K, d) intermediate.

        ``"exact"``: ``Y_k = (x - c) P_k - (mu_k - c) P_k = (x - mu_k) P_k`` for all k
        is one matrix product of ``[x - c, 1]`` with the stacked factors
        ``[P_1 .. P_K]`` over the row ``[-(mu_1 - c) P_1 .. -(mu_K - c) P_K]``.
        """
        K, d = means.shape
        m = means - centre
        logdet = np.log(np.diagonal(prec_chol, axis1=1, axis2=2)).sum(axis=1)
        const = logdet + log_weights - 0.5 * d * LOG_2PI
        back = np.linalg.inv(prec_chol)
        prec = np.matmul(prec_chol, prec_chol.transpose(0, 2, 1))
        spread = _spread(np.trace(prec, axis1=1, axis2=2), (m * m).sum(axis=1),
                         (back * back).sum(axis=(1, 2)))
        if mode is None and not self.may_expand(K, d):
            mode = "exact"
        mode, cdtype = choose_mode(dtype, spread, mode)
        if mode == "expand":
            Lm = np.einsum("kij,kj->ki", prec, m)
            A = np.empty((K, 1 + d + d * (d + 1) // 2), dtype=np.float64)
            A[:, 0] = const - 0.5 * (m * Lm).sum(axis=1)
            A[:, 1:d + 1] = Lm
            A[:, d + 1:] = -0.5 * _matrix_to_pairs(prec)
            return Plan(centre=centre, m=m, const=const, A=A.astype(cdtype), back=None,
                        mode=mode, dtype=cdtype)
        A = np.empty((d + 1, K * d), dtype=dtype)
        A[:d] = prec_chol.transpose(1, 0, 2).reshape(d, K * d)
        A[d] = -np.einsum("kd,kde->ke", m, prec_chol).reshape(K * d)
        return Plan(centre=centre, m=m, const=const, A=A, back=back, mode=mode,
                    dtype=cdtype)

    def log_prob(self, X, plan):
        """Weighted log-densities (K, n) of rows ``X`` and what ``moments`` needs."""
        if plan.mode == "expand":
            F = _quadratic_features(X, plan, "pairs")
            return plan.A @ F, F
        n, d = X.shape
        K = plan.m.shape[0]
        Xa = np.empty((n, d + 1), dtype=X.dtype)
        np.subtract(X, plan.centre.astype(X.dtype), out=Xa[:, :d])
        Xa[:, d] = 1.0
        Y = (Xa @ plan.A).reshape(n, K, d)
        maha = np.einsum("nkd,nkd->kn", Y, Y)
        maha *= -0.5
        maha += plan.const.astype(X.dtype)[:, None]
        return maha, (Xa[:, :d], Y)

    def moments(self, aux, wr, plan):
        """Raw moments of a chunk from responsibilities ``wr`` (K, n) times row
        weights: a tuple of float64 arrays that add across chunks; :meth:`finish`
        turns their sum into moments about the means.

        Exact mode: mass, first moments and the whitened Gram matrices
        ``sum_n r_nk y_nk^T y_nk``: the whitened rows are scaled by ``sqrt(r)`` in
        place and the Gram matrices are one batched product.
        """
        if plan.mode == "expand":
            return _feature_moments(aux, wr)
        Xc, Y = aux
        nk = wr.sum(axis=1, dtype=np.float64)
        s1 = (wr @ Xc).astype(np.float64) - nk[:, None] * plan.m
        Y *= np.sqrt(wr).T[:, :, None]
        G = np.matmul(Y.transpose(1, 2, 0), Y.transpose(1, 0, 2)).astype(np.float64)
        return nk, s1, G

    def finish(self, raw, plan):
        """Mass ``nk`` (K,) and moments about the means ``s1`` (K, d), ``s2`` (K, d, d)
        from summed raw moments; exact mode maps the Gram matrices back,
        ``s2_k = P_k^{-T} G_k P_k^{-1}``."""
        d = plan.m.shape[1]
        if plan.mode == "expand":
            nk, s1c, q = _split(raw[0], d)
            return (nk,) + _recentre(nk, s1c, _pairs_to_matrix(q, d), plan.m)
        nk, s1, G = raw
        back = plan.back
        return nk, s1, np.matmul(np.matmul(back.transpose(0, 2, 1), G), back)

    # -- M-step ----------------------------------------------------------------------
    def raw_covariance(self, nk, s1, s2):
        """Maximum-likelihood covariance from statistics, before regularisation."""
        m = s1 / nk[:, None]
        return s2 / nk[:, None, None] - m[:, :, None] * m[:, None, :]

    def regularise(self, cov, reg_covar):
        d = cov.shape[-1]
        out = cov.copy()
        idx = np.arange(d)
        out[:, idx, idx] += reg_covar
        return out

    def precision_cholesky(self, cov):
        chol, n_fixed = safe_cholesky(cov)
        return _prec_chol_from_cov_chol(chol), n_fixed

    def covariance_from_precision_cholesky(self, prec_chol):
        return _cov_from_prec_chol(prec_chol)

    def precisions(self, prec_chol):
        return np.matmul(prec_chol, prec_chol.transpose(0, 2, 1))

    # -- collapse ---------------------------------------------------------------------
    def collapsed(self, cov_raw, data_cov, tol):
        W = _whitening(data_cov)
        if W.shape[1] == 0:
            return np.zeros(cov_raw.shape[0], dtype=bool)
        M = np.matmul(np.matmul(W.T[None], cov_raw), W[None])
        # smallest eigenvalue below tol <=> M - tol I has no Cholesky factor; one
        # batched factorisation is several times cheaper than eigenvalues
        M[:, np.arange(M.shape[1]), np.arange(M.shape[1])] -= tol
        try:
            np.linalg.cholesky(M)
            return np.zeros(M.shape[0], dtype=bool)
        except np.linalg.LinAlgError:
            return np.linalg.eigvalsh(M)[:, 0] < 0

    def broad(self, data_cov, K):
        return np.broadcast_to(data_cov, (K,) + data_cov.shape).copy()

    def set_component(self, cov, k, data_cov):
        cov[k] = data_cov

    # -- sampling ---------------------------------------------------------------------
    def sample_component(self, rng, prec_chol, k, n, d):
        z = rng.standard_normal((n, d))
        # x - mu = P^{-T} z has covariance P^{-T} P^{-1} = Sigma
        return linalg.solve_triangular(prec_chol[k].T, z.T, lower=True, check_finite=False).T


class Tied(Full):
    name = "tied"

    def cov_parameters(self, K, d):
        return d * (d + 1) // 2

    def cov_shape(self, K, d):
        return (d, d)

    def row_values(self, K, d, mode):
        return 3 * d + 3 * K

    def unit_precision_cholesky(self, K, d):
        return np.eye(d)

    def plan(self, means, prec_chol, log_weights, centre, dtype, mode=None):
        """``"expand"``: ``||Y - b_k||^2 = ||Y||^2 - 2 Y b_k + ||b_k||^2`` with
        ``Y = (x - c) P`` and ``b_k = (mu_k - c) P``: two products, no (n, K, d)
        intermediate. ``"exact"``: ``Y - b_k`` per component."""
        K, d = means.shape
        m = means - centre
        bk = m @ prec_chol
        logdet = np.log(np.diagonal(prec_chol)).sum()
        const = logdet + log_weights - 0.5 * d * LOG_2PI
        back = np.linalg.inv(prec_chol)
        spread = _spread(np.full(K, (prec_chol * prec_chol).sum()), (m * m).sum(axis=1),
                         np.full(K, (back * back).sum()))
        mode, cdtype = choose_mode(dtype, spread, mode)
        if mode == "expand":
            const = const - 0.5 * (bk * bk).sum(axis=1)
        return Plan(centre=centre, m=m, const=const,
                    A=np.vstack([prec_chol, bk]).astype(cdtype), back=None, mode=mode,
                    dtype=cdtype)

    def log_prob(self, X, plan):
        d = X.shape[1]
        XT = _centred_T(X, plan)
        YT = plan.A[:d].T @ XT
        if plan.mode == "expand":
            yy = np.einsum("dn,dn->n", YT, YT)
            logp = plan.A[d:] @ YT
            logp -= 0.5 * yy
            logp += plan.const.astype(plan.dtype)[:, None]
            return logp, XT
        K = plan.m.shape[0]
        logp = np.empty((K, X.shape[0]), dtype=plan.dtype)
        for k in range(K):
            D = YT - plan.A[d + k][:, None]
            np.einsum("dn,dn->n", D, D, out=logp[k])
        logp *= -0.5
        logp += plan.const.astype(plan.dtype)[:, None]
        return logp, XT

    def moments(self, XT, wr, plan):
        """Raw moments: mass, first moments about c and, in expand mode, the weighted
        scatter about c; in exact mode ``sum_k sum_n r_nk (x - mu_k)(x - mu_k)^T``."""
        nk = wr.sum(axis=1, dtype=np.float64)
        s1c = (wr @ XT.T).astype(np.float64)
        if plan.mode == "expand":
            wsum = wr.sum(axis=0)
            return nk, s1c, ((XT * wsum) @ XT.T).astype(np.float64)
        m = plan.m
        s2 = np.zeros((m.shape[1], m.shape[1]))
        for k in range(m.shape[0]):
            D = XT - m[k].astype(plan.dtype)[:, None]
            s2 += ((D * wr[k]) @ D.T).astype(np.float64)
        return nk, s1c, s2

    def finish(self, raw, plan):
        """``nk`` (K,), ``s1`` (K, d) and the pooled ``s2`` (d, d) about the means."""
        nk, s1c, S = raw
        m = plan.m
        if plan.mode == "expand":
            S = S - s1c.T @ m - m.T @ s1c + (m * nk[:, None]).T @ m
        return nk, s1c - nk[:, None] * m, S

    def raw_covariance(self, nk, s1, s2):
        corr = (s1 / nk[:, None]).T @ s1
        return (s2 - corr) / nk.sum()

    def regularise(self, cov, reg_covar):
        out = cov.copy()
        out.flat[:: cov.shape[0] + 1] += reg_covar
        return out

    def precisions(self, prec_chol):
        return prec_chol @ prec_chol.T

    def collapsed(self, cov_raw, data_cov, tol):
        # a pooled covariance cannot collapse onto one component's points;
        # regularisation alone keeps it positive definite
        return None

    def broad(self, data_cov, K):
        return data_cov.copy()

    def set_component(self, cov, k, data_cov):
        pass

    def sample_component(self, rng, prec_chol, k, n, d):
        z = rng.standard_normal((n, d))
        return linalg.solve_triangular(prec_chol.T, z.T, lower=True, check_finite=False).T


class Diag(_Model):
    name = "diag"

    def cov_parameters(self, K, d):
        return K * d

    def cov_shape(self, K, d):
        return (K, d)

    def row_values(self, K, d, mode):
        return 3 * d + 1 + 2 * K

    def unit_precision_cholesky(self, K, d):
        return np.ones((K, d))

    def _prec(self, prec_chol, d):
        """Precisions as (K, d)."""
        return prec_chol**2

    #: quadratic features of the expanded E-step (see ``_quadratic_features``)
    squares = "diag"

    def plan(self, means, prec_chol, log_weights, centre, dtype, mode=None):
        """``"expand"``: ``-(x-mu)^2 p / 2 = -x^2 p / 2 + x mu p - mu^2 p / 2`` on rows
        centred on c: one product of ``[1, x - c, (x - c)^2]`` with
        ``[const; mu p; -p / 2]`` (scikit-learn expands the same way, uncentred).
        ``"exact"``: ``(x - mu_k)^2`` per component."""
        K, d = means.shape
        m = means - centre
        prec = self._prec(prec_chol, d)
        logdet = 0.5 * np.log(prec).sum(axis=1)
        const = logdet + log_weights - 0.5 * d * LOG_2PI
        with np.errstate(divide="ignore"):
            spread = _spread(prec.sum(axis=1), (m * m).sum(axis=1), (1.0 / prec).sum(axis=1))
        mode, cdtype = choose_mode(dtype, spread, mode)
        if mode == "expand":
            A = np.hstack([(const - 0.5 * (m * m * prec).sum(axis=1))[:, None], m * prec,
                           self._square_coef(prec)])
        else:
            A = prec
        return Plan(centre=centre, m=m, const=const, A=A.astype(cdtype), back=None,
                    mode=mode, dtype=cdtype)

    def _square_coef(self, prec):
        return -0.5 * prec

    def log_prob(self, X, plan):
        if plan.mode == "expand":
            F = _quadratic_features(X, plan, self.squares)
            return plan.A @ F, F
        XT = _centred_T(X, plan)
        K = plan.m.shape[0]
        logp = np.empty((K, X.shape[0]), dtype=plan.dtype)
        m = plan.m.astype(plan.dtype)
        for k in range(K):
            D = XT - m[k][:, None]
            D *= D
            np.matmul(plan.A[k], D, out=logp[k])
        logp *= -0.5
        logp += plan.const.astype(plan.dtype)[:, None]
        return logp, XT

    def moments(self, aux, wr, plan):
        """Raw moments: the feature moments in expand mode; in exact mode mass, first
        moments about c and per-feature squares about the means."""
        if plan.mode == "expand":
            return _feature_moments(aux, wr)
        XT = aux
        m = plan.m
        nk = wr.sum(axis=1, dtype=np.float64)
        s1c = (wr @ XT.T).astype(np.float64)
        s2 = np.empty((m.shape[0],) + self._s2_shape(m.shape[1]))
        mm = m.astype(plan.dtype)
        for k in range(m.shape[0]):
            D = XT - mm[k][:, None]
            D *= D
            s2[k] = self._reduce_squares((D @ wr[k]).astype(np.float64))
        return nk, s1c, s2

    def finish(self, raw, plan):
        """Mass (K,), first moments (K, d) and second moments about the means:
        per feature (K, d) for diag, summed over features (K,) for spherical."""
        m = plan.m
        if plan.mode == "expand":
            nk, s1c, q = _split(raw[0], m.shape[1])
            return nk, s1c - nk[:, None] * m, self._recentre_squares(nk, s1c, q, m)
        nk, s1c, s2 = raw
        return nk, s1c - nk[:, None] * m, s2

    def _s2_shape(self, d):
        return (d,)

    def _reduce_squares(self, v):
        return v

    def _recentre_squares(self, nk, s1c, q, m):
        return q - 2.0 * m * s1c + nk[:, None] * m * m

    def raw_covariance(self, nk, s1, s2):
        m = s1 / nk[:, None]
        return s2 / nk[:, None] - m * m

    def regularise(self, cov, reg_covar):
        return cov + reg_covar

    def precision_cholesky(self, cov):
        bad = ~(cov > 0)
        n_fixed = int(bad.any(axis=tuple(range(1, cov.ndim))).sum()) if cov.ndim > 1 else int(bad.sum())
        if n_fixed:
            cov = _floor_variances(cov)
        return 1.0 / np.sqrt(cov), n_fixed

    def covariance_from_precision_cholesky(self, prec_chol):
        return 1.0 / prec_chol**2

    def precisions(self, prec_chol):
        return prec_chol**2

    def collapsed(self, cov_raw, data_cov, tol):
        v = np.diag(data_cov)
        top = v.max() if v.size else 0.0
        if not top > 0:
            return np.zeros(cov_raw.shape[0], dtype=bool)
        keep = v > top * 1e-12
        return (cov_raw[:, keep] / v[keep]).min(axis=1) < tol

    def broad(self, data_cov, K):
        return np.tile(np.diag(data_cov), (K, 1))

    def set_component(self, cov, k, data_cov):
        cov[k] = np.diag(data_cov)

    def sample_component(self, rng, prec_chol, k, n, d):
        return rng.standard_normal((n, d)) / prec_chol[k]


class Spherical(Diag):
    name = "spherical"

    def cov_parameters(self, K, d):
        return K

    def cov_shape(self, K, d):
        return (K,)

    def unit_precision_cholesky(self, K, d):
        return np.ones(K)

    def _prec(self, prec_chol, d):
        return np.repeat((prec_chol**2)[:, None], d, axis=1)

    # E-step like diag, with |x - c|^2 as the only quadratic feature; the second
    # moment is the summed square distance from the mean (K,)
    squares = "sum"

    def _square_coef(self, prec):
        return -0.5 * prec[:, :1]

    def _s2_shape(self, d):
        return ()

    def _reduce_squares(self, v):
        return v.sum()

    def _recentre_squares(self, nk, s1c, q, m):
        return q[:, 0] - 2.0 * (m * s1c).sum(axis=1) + nk * (m * m).sum(axis=1)

    def raw_covariance(self, nk, s1, s2):
        m = s1 / nk[:, None]
        return (s2 / nk - (m * m).sum(axis=1)) / s1.shape[1]

    def collapsed(self, cov_raw, data_cov, tol):
        scale = float(np.trace(data_cov)) / data_cov.shape[0]
        if not scale > 0:
            return np.zeros(cov_raw.shape[0], dtype=bool)
        return cov_raw / scale < tol

    def broad(self, data_cov, K):
        return np.full(K, np.trace(data_cov) / data_cov.shape[0], dtype=data_cov.dtype)

    def set_component(self, cov, k, data_cov):
        cov[k] = np.trace(data_cov) / data_cov.shape[0]

    def sample_component(self, rng, prec_chol, k, n, d):
        return rng.standard_normal((n, d)) / prec_chol[k]


def _floor_variances(cov):
    """Replace non-positive or non-finite variances by a tiny positive floor."""
    cov = np.where(np.isfinite(cov), cov, 0.0)
    pos = cov[cov > 0]
    floor = (pos.min() if pos.size else 1.0) * 1e-12
    return np.maximum(cov, floor)


_MODELS = {m.name: m for m in (Full(), Tied(), Diag(), Spherical())}


def get_model(covariance_type):
    """The covariance model object for a covariance type name."""
    return _MODELS[check_covariance_type(covariance_type)]
