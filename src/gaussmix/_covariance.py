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


@dataclass
class Plan:
    """Per-iteration constants of the E-step of one covariance type.

    Attributes
    ----------
    centre : ndarray of shape (d,)
        Rows are centred on it before anything else (the mixture's mean), so
        products stay precise for data far from the origin.
    m : ndarray of shape (K, d)
        Means relative to ``centre`` (float64).
    const : ndarray of shape (K,)
        Per-component constant of the log-density, log-weight included (float64).
    A : ndarray
        The matrix the chunk's product uses (in the data's dtype).
    back : ndarray or None
        ``full``: inverse precision factors, to map whitened moments back.
    """

    centre: np.ndarray
    m: np.ndarray
    const: np.ndarray
    A: np.ndarray
    back: object


class _Model:
    """Interface shared by the covariance types.

    E-step: ``plan`` (once per iteration), then per chunk of rows ``X``:
    ``log_prob(X, plan) -> (log pi_k + log N, aux)`` and
    ``moments(aux, wr, nk, plan) -> (s1, s2)`` centred on the means.
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

    def unit_precision_cholesky(self, K, d):
        return np.broadcast_to(np.eye(d), (K, d, d))

    # -- E-step ----------------------------------------------------------------------
    def plan(self, means, prec_chol, log_weights, centre, dtype):
        """Everything a chunk's E-step needs, precomputed once per iteration.

        ``Y_k = (x - c) P_k - (mu_k - c) P_k = (x - mu_k) P_k`` for all k is one
        matrix product of ``[x - c, 1]`` with the stacked factors ``[P_1 .. P_K]``
        over the row ``[-(mu_1 - c) P_1 .. -(mu_K - c) P_K]``, shape (d + 1, K d).
        """
        K, d = means.shape
        m = means - centre
        logdet = np.log(np.diagonal(prec_chol, axis1=1, axis2=2)).sum(axis=1)
        A = np.empty((d + 1, K * d), dtype=dtype)
        A[:d] = prec_chol.transpose(1, 0, 2).reshape(d, K * d)
        A[d] = -np.einsum("kd,kde->ke", m, prec_chol).reshape(K * d)
        return Plan(centre=centre, m=m, const=(logdet + log_weights - 0.5 * d * LOG_2PI),
                    A=A, back=np.linalg.inv(prec_chol))

    def log_prob(self, X, plan):
        """Weighted log-densities (n, K) of rows ``X``; aux = (centred rows, whitened rows)."""
        n, d = X.shape
        K = plan.m.shape[0]
        Xa = np.empty((n, d + 1), dtype=X.dtype)
        np.subtract(X, plan.centre.astype(X.dtype), out=Xa[:, :d])
        Xa[:, d] = 1.0
        Y = (Xa @ plan.A).reshape(n, K, d)
        maha = np.einsum("nkd,nkd->nk", Y, Y)
        maha *= -0.5
        maha += plan.const.astype(X.dtype)
        return maha, (Xa[:, :d], Y)

    def moments(self, aux, wr, nk, plan):
        """Centred moments ``s1`` (K, d) and ``s2`` (K, d, d), float64.

        ``s2_k = P_k^{-T} (sum_n r_nk y_nk^T y_nk) P_k^{-1}``: the whitened rows are
        scaled by ``sqrt(r)`` in place, their Gram matrices are one batched product,
        then mapped back.
        """
        Xc, Y = aux
        s1 = (wr.T @ Xc).astype(np.float64) - nk[:, None] * plan.m
        Y *= np.sqrt(wr)[:, :, None]
        G = np.matmul(Y.transpose(1, 2, 0), Y.transpose(1, 0, 2)).astype(np.float64)
        back = plan.back
        return s1, np.matmul(np.matmul(back.transpose(0, 2, 1), G), back)

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
        return np.linalg.eigvalsh(M)[:, 0] < tol

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

    def unit_precision_cholesky(self, K, d):
        return np.eye(d)

    def plan(self, means, prec_chol, log_weights, centre, dtype):
        K, d = means.shape
        m = means - centre
        bk = m @ prec_chol
        logdet = np.log(np.diagonal(prec_chol)).sum()
        return Plan(
            centre=centre, m=m,
            const=logdet + log_weights - 0.5 * d * LOG_2PI - 0.5 * (bk * bk).sum(axis=1),
            A=np.vstack([prec_chol, bk]).astype(dtype), back=None,
        )

    def log_prob(self, X, plan):
        """``||Y||^2 - 2 Y b_k + ||b_k||^2`` with ``Y = (x - c) P``: two products, no
        (n, K, d) intermediate."""
        d = X.shape[1]
        Xc = X - plan.centre.astype(X.dtype)
        Y = Xc @ plan.A[:d]
        yy = np.einsum("nd,nd->n", Y, Y)
        logp = Y @ plan.A[d:].T
        logp -= 0.5 * yy[:, None]
        logp += plan.const.astype(X.dtype)
        return logp, Xc

    def moments(self, Xc, wr, nk, plan):
        """``s2 = sum_k sum_n r_nk (x - mu_k)(x - mu_k)^T`` from the scatter about c."""
        s1c = (wr.T @ Xc).astype(np.float64)
        wsum = wr.sum(axis=1)
        S = ((Xc * wsum[:, None]).T @ Xc).astype(np.float64)
        m = plan.m
        s2 = S - s1c.T @ m - m.T @ s1c + (m * nk[:, None]).T @ m
        return s1c - nk[:, None] * m, s2

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

    def unit_precision_cholesky(self, K, d):
        return np.ones((K, d))

    def _prec(self, prec_chol, d):
        """Precisions as (K, d)."""
        return prec_chol**2

    def plan(self, means, prec_chol, log_weights, centre, dtype):
        """``-(x-mu)^2 p / 2 = -x^2 p / 2 + x mu p - mu^2 p / 2`` on rows centred on c:
        one product of ``[x - c, (x - c)^2]`` with ``[mu p; -p / 2]``, shape (2 d, K)."""
        K, d = means.shape
        m = means - centre
        prec = self._prec(prec_chol, d)
        logdet = 0.5 * np.log(prec).sum(axis=1)
        return Plan(
            centre=centre, m=m,
            const=logdet + log_weights - 0.5 * d * LOG_2PI - 0.5 * (m * m * prec).sum(axis=1),
            A=np.vstack([(m * prec).T, (-0.5 * prec).T]).astype(dtype), back=None,
        )

    def log_prob(self, X, plan):
        n, d = X.shape
        Z = np.empty((n, 2 * d), dtype=X.dtype)
        np.subtract(X, plan.centre.astype(X.dtype), out=Z[:, :d])
        np.multiply(Z[:, :d], Z[:, :d], out=Z[:, d:])
        logp = Z @ plan.A
        logp += plan.const.astype(X.dtype)
        return logp, Z

    def moments(self, Z, wr, nk, plan):
        """Per-feature centred moments (K, d), float64, from one product ``r^T Z``."""
        d = plan.m.shape[1]
        M = (wr.T @ Z).astype(np.float64)
        s1c, q = M[:, :d], M[:, d:]
        m = plan.m
        return s1c - nk[:, None] * m, q - 2.0 * m * s1c + nk[:, None] * m * m

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

    # E-step and moments: per-feature like diag, averaged in raw_covariance
    def raw_covariance(self, nk, s1, s2):
        return Diag.raw_covariance(self, nk, s1, s2).mean(axis=1)

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
