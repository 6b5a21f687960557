"""The diagonal and isotropic kernels: per-feature (or one) precision per component."""

from __future__ import annotations

import numpy as np

from ..linalg import LOG_2PI
from .base import (
    EStepKernel,
    Plan,
    centred_T,
    choose_mode,
    feature_moments,
    quadratic_features,
    split,
    spread,
)


class DiagonalKernel(EStepKernel):
    """Precision factors ``1 / std`` (K, d); statistics ``s2`` (K, d) per feature."""

    name = "diagonal"

    #: quadratic features of the expanded E-step (see ``quadratic_features``)
    squares = "diag"

    def row_values(self, K, d, mode):
        return 3 * d + 1 + 2 * K

    def second_moment_from_full(self, S):
        return np.diagonal(S, axis1=1, axis2=2).copy()

    def moment_values(self, K, d, mode):
        return K * (2 * d + 1)

    def _prec(self, prec_chol, d):
        """Precisions as (K, d)."""
        return prec_chol**2

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
        if (prec > 0).all():  # no division by 0: no error-state context (3 us)
            t = spread(prec.sum(axis=1), (m * m).sum(axis=1), (1.0 / prec).sum(axis=1))
        else:
            with np.errstate(divide="ignore"):
                t = spread(prec.sum(axis=1), (m * m).sum(axis=1), (1.0 / prec).sum(axis=1))
        mode, cdtype = choose_mode(dtype, t, mode)
        if mode == "expand":
            A = np.hstack([(const - 0.5 * (m * m * prec).sum(axis=1))[:, None], m * prec,
                           self._square_coef(prec)])
        else:
            A = prec
        return Plan(centre=centre, m=m, const=const, A=A.astype(cdtype), back=None,
                    mode=mode, dtype=cdtype)

    def _square_coef(self, prec):
        return -0.5 * prec

    def exact_rows(self, X, plan):
        """``(X - centre)^T`` of shape (d, n)."""
        return centred_T(X, plan)

    def log_prob(self, X, plan):
        if plan.mode == "expand":
            F = quadratic_features(X, plan, self.squares)
            return plan.A @ F, F
        XT = centred_T(X, plan)
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
        """Expand mode: the feature moments. Exact mode: mass, first moments about c
        and per-feature squares about the means."""
        if plan.mode == "expand":
            return feature_moments(aux, wr)
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
        """Second moments about the means: per feature (K, d) here, summed over
        features (K,) for the isotropic kernel."""
        m = plan.m
        if plan.mode == "expand":
            nk, s1c, q = split(raw[0], m.shape[1])
            return nk, s1c - nk[:, None] * m, self._recentre_squares(nk, s1c, q, m)
        nk, s1c, s2 = raw
        return nk, s1c - nk[:, None] * m, s2

    def shift_second_moment(self, nk, s1, s2, shift):
        """As :meth:`EStepKernel.shift_second_moment`, without the (K, d, d)
        matrices: only their diagonals (or traces) are kept here."""
        return self._recentre_squares(nk, s1, s2.reshape(s2.shape[0], -1), shift)

    def _s2_shape(self, d):
        return (d,)

    def _reduce_squares(self, v):
        return v

    def _recentre_squares(self, nk, s1c, q, m):
        return q - 2.0 * m * s1c + nk[:, None] * m * m


class IsotropicKernel(DiagonalKernel):
    """Precision factors ``1 / std`` (K,); statistics ``s2`` (K,): the summed square
    distance from the mean. The E-step of the diagonal kernel with ``|x - c|^2`` as
    the only quadratic feature."""

    name = "isotropic"
    squares = "sum"

    def second_moment_from_full(self, S):
        return np.trace(S, axis1=1, axis2=2)

    def _prec(self, prec_chol, d):
        return np.repeat((prec_chol**2)[:, None], d, axis=1)

    def _square_coef(self, prec):
        return -0.5 * prec[:, :1]

    def _s2_shape(self, d):
        return ()

    def _reduce_squares(self, v):
        return v.sum()

    def _recentre_squares(self, nk, s1c, q, m):
        return q[:, 0] - 2.0 * (m * s1c).sum(axis=1) + nk * (m * m).sum(axis=1)
