"""What every E-step kernel provides, the per-iteration plan, and the helpers the
expanded (quadratic-feature) E-step shares."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

#: The expanded E-step rounds each Mahalanobis distance with an error of about
#: ``eps * t``, where ``t = max_k trace(Lambda_k) (|mu_k - c|^2 + trace(Sigma_k))``
#: measures how far, in their own units, components sit from the centre ``c``. It is
#: used when that error stays under ``EXPAND_ERROR`` for the data's dtype, else in
#: float64 when that suffices, else the exact (whitened, per-component) E-step runs.
EXPAND_ERROR = {np.dtype(np.float64): 1e-9, np.dtype(np.float32): 1e-4}


def choose_mode(dtype, spread, mode=None):
    """E-step mode and compute dtype: ``("expand", dtype)``, ``("expand", float64)``
    or ``("exact", dtype)``, from the spread ``t`` described at ``EXPAND_ERROR``.

    Examples
    --------
    >>> choose_mode(np.float32, 1e2)
    ('expand', dtype('float32'))
    >>> choose_mode(np.float32, 1e6)
    ('expand', dtype('float64'))
    >>> choose_mode(np.float64, np.inf)
    ('exact', dtype('float64'))
    """
    dtype = np.dtype(dtype)
    if mode in ("exact", "expand"):
        return mode, dtype
    if not np.isfinite(spread):
        return "exact", dtype
    for cand in (dtype, np.dtype(np.float64)):
        if np.finfo(cand).eps * spread <= EXPAND_ERROR.get(cand, 1e-9):
            return "expand", cand
    return "exact", dtype


@dataclass
class Plan:
    """Per-iteration constants of the E-step of one kernel.

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
        Kernel-specific extra constants (e.g. inverse precision factors).
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


class EStepKernel(ABC):
    """How one shape of precision evaluates a chunk of rows.

    Per iteration: :meth:`plan`. Per chunk of rows ``X``: :meth:`log_prob` gives
    ``log pi_k + log N(x | mu_k, Sigma_k)`` of shape (K, n) and what
    :meth:`moments` needs; :meth:`moments` gives, from weighted responsibilities
    ``wr`` (K, n), a tuple of float64 arrays that add across chunks. Once per pass,
    :meth:`finish` turns their sum into mass, first and second moments about the
    means.
    """

    #: the layout of the second moment ``s2`` this kernel's statistics carry
    name = ""

    @abstractmethod
    def row_values(self, K, d, mode):
        """Intermediate values per row of a chunk's E-step (for sizing chunks);
        ``mode=None``: the most any mode may need."""

    @abstractmethod
    def moment_values(self, K, d, mode):
        """Values of one chunk's raw moments (they are made whatever its rows)."""

    def moment_plan(self, means, centre, dtype):
        """A plan for the moments of rows about ``means`` given their responsibilities,
        with no densities to compute (:func:`gaussmix.engine.stats_from_resp`): the
        exact mode's moments, read from :meth:`exact_rows`."""
        return Plan(centre=centre, m=means - centre, const=np.zeros(means.shape[0]),
                    A=None, back=None, mode="exact", dtype=np.dtype(dtype))

    @abstractmethod
    def exact_rows(self, X, plan):
        """The rows ``X``, centred on ``plan.centre``, in the layout the exact mode's
        :meth:`moments` reads."""

    @abstractmethod
    def plan(self, means, prec_chol, log_weights, centre, dtype, mode=None):
        """Everything a chunk's E-step needs, precomputed once per iteration.

        Parameters
        ----------
        means : ndarray of shape (K, d), float64
        prec_chol : ndarray, float64
            Precision Cholesky factors in this kernel's shape.
        log_weights : ndarray of shape (K,)
        centre : ndarray of shape (d,)
        dtype : numpy.dtype
            The data's dtype.
        mode : {"expand", "exact"} or None
            Force an E-step variant; None chooses from the rounding bound.

        Returns
        -------
        Plan
        """

    @abstractmethod
    def log_prob(self, X, plan):
        """Weighted log-densities (K, n) of rows ``X`` and what :meth:`moments` needs."""

    @abstractmethod
    def moments(self, aux, wr, plan):
        """Raw moments of a chunk (a tuple of float64 arrays that add across chunks)."""

    @abstractmethod
    def second_moment_from_full(self, S):
        """This kernel's layout of ``s2`` from per-component (K, d, d) second moments."""

    def shift_second_moment(self, nk, s1, s2, shift):
        """``s2`` about the reference points moved by ``shift`` (K, d), from ``s2``
        and ``s1`` (K, d) about the old ones and the masses ``nk`` (K,):
        ``s2 - s1 shift^T - shift s1^T + nk shift shift^T`` per component, in this
        kernel's layout (the layouts are linear in the per-component matrices, so
        the change is made full and mapped by :meth:`second_moment_from_full`)."""
        cross = s1[:, :, None] * shift[:, None, :]
        change = nk[:, None, None] * shift[:, :, None] * shift[:, None, :]
        change -= cross
        change -= cross.transpose(0, 2, 1)
        return s2 + self.second_moment_from_full(change)

    @abstractmethod
    def finish(self, raw, plan):
        """Mass ``nk`` (K,), first moments ``s1`` (K, d) about the means and second
        moments ``s2`` (this kernel's layout) from summed raw moments."""


# ---------------------------------------------------------------------- features
def centred_T(X, plan, before=0, after=0):
    """Features array of shape (before + d + after, n) in ``plan.dtype`` whose rows
    ``before .. before + d`` hold ``(X - centre)^T``; the others are the caller's."""
    n, d = X.shape
    F = np.empty((before + d + after, n), dtype=plan.dtype)
    np.subtract(X.T, plan.centre.astype(plan.dtype)[:, None], out=F[before:before + d])
    return F


def quadratic_features(X, plan, squares="pairs"):
    """``[1; x; quad]`` of shape (p, n) for rows centred on ``plan.centre``.

    ``squares``: ``"pairs"`` gives ``x_i x_j`` for i <= j (upper triangle, row-major),
    ``"diag"`` gives ``x_i^2`` and ``"sum"`` gives ``|x|^2``.
    """
    d = X.shape[1]
    nq = {"pairs": d * (d + 1) // 2, "diag": d, "sum": 1}[squares]
    F = centred_T(X, plan, before=1, after=nq)
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


def feature_moments(F, wr):
    """Raw moments of the features about the centre, float64 (K, p): one product
    ``wr @ F^T`` gives the mass (column 0), first moments and the quadratic block."""
    return ((wr @ F.T).astype(np.float64),)


def split(S, d):
    """``nk`` (K,), ``s1c`` (K, d) and the quadratic block (K, q) of raw moments."""
    return S[:, 0], S[:, 1:d + 1], S[:, d + 1:]


def spread(trace_prec, dist2, trace_cov):
    """``t = max_k trace(Lambda_k) (|m_k|^2 + trace(Sigma_k))`` (see ``EXPAND_ERROR``)."""
    # K values: in Python floats, which overflow to inf without a warning, so no
    # error-state context is needed (it alone took 3 us of a 30 us plan)
    values = [a * (b + c) for a, b, c in zip(np.ravel(trace_prec).tolist(),
                                              np.ravel(dist2).tolist(),
                                              np.ravel(trace_cov).tolist())]
    if not values:
        return 0.0
    return float("nan") if any(v != v for v in values) else max(values)


@lru_cache(maxsize=64)
def triu(d):
    """Row and column indices of the upper triangle (row-major), and the pair weights
    (1 on the diagonal, 2 off it), cached: they are asked for at every iteration."""
    iu, ju = np.triu_indices(d)
    wt = np.where(iu == ju, 1.0, 2.0)
    for a in (iu, ju, wt):
        a.setflags(write=False)
    return iu, ju, wt


def pairs_to_matrix(Q, d):
    """Upper-triangle pair moments (K, d(d+1)/2) to symmetric (K, d, d)."""
    iu, ju, _ = triu(d)
    out = np.empty((Q.shape[0], d, d), dtype=Q.dtype)
    out[:, iu, ju] = Q
    out[:, ju, iu] = Q
    return out


def matrix_to_pairs(M):
    """Coefficients of ``x^T M x`` on the pair features: (K, d(d+1)/2) from (K, d, d)."""
    iu, ju, wt = triu(M.shape[-1])
    return wt * M[..., iu, ju]
