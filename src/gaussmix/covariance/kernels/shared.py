"""The shared kernel: one general precision matrix for all components."""

from __future__ import annotations

import numpy as np

from ..linalg import LOG_2PI
from .base import EStepKernel, Plan, centred_T, choose_mode, spread


class SharedKernel(EStepKernel):
    """Precision factor (d, d); statistics ``s2`` (d, d), pooled over components."""

    name = "shared"

    def row_values(self, K, d, mode):
        return 3 * d + 3 * K

    def moment_values(self, K, d, mode):
        return d * d + K * (d + 1)

    def second_moment_from_full(self, S):
        return np.asarray(S).sum(axis=0)

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
        t = spread(np.full(K, (prec_chol * prec_chol).sum()), (m * m).sum(axis=1),
                   np.full(K, (back * back).sum()))
        mode, cdtype = choose_mode(dtype, t, mode)
        if mode == "expand":
            const = const - 0.5 * (bk * bk).sum(axis=1)
        return Plan(centre=centre, m=m, const=const,
                    A=np.vstack([prec_chol, bk]).astype(cdtype), back=None, mode=mode,
                    dtype=cdtype)

    def exact_rows(self, X, plan):
        """``(X - centre)^T`` of shape (d, n)."""
        return centred_T(X, plan)

    def log_prob(self, X, plan):
        d = X.shape[1]
        XT = centred_T(X, plan)
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
        nk, s1c, S = raw
        m = plan.m
        if plan.mode == "expand":
            S = S - s1c.T @ m - m.T @ s1c + (m * nk[:, None]).T @ m
        return nk, s1c - nk[:, None] * m, S
