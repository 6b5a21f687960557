"""Model-based hierarchical agglomerative clustering, as R's mclust ``hc()``.

This module reproduces the deterministic initialisation that mclust uses for EM
(Fraley 1998; Scrucca & Raftery 2015): the data are first put through mclust's
``hcUse = "SVD"`` transform and then agglomerated with the classification
likelihood criterion of the ``"VVV"`` model (or Ward's criterion for ``"EII"``).

What mclust computes (read from mclust 6.x ``R/mbahc.R``, ``R/mclust.R`` and
``src/mclust.f``):

SVD transform (``hc(..., use = "SVD")``)
    ``X <- scale(X)`` (centre, divide by the n - 1 standard deviation), drop the
    columns that are not finite afterwards (constant columns), take the thin SVD
    ``X = U D V'`` and use ``Z = X V D^{-1/2}`` (= ``U D^{1/2}``): the principal
    component scores divided by the *square root* of their singular values (a
    half-way house between PCA and whitening; the column sums of squares of ``Z``
    are the singular values).  mclust does not guard zero singular values (it
    would produce infinities); here directions with a singular value below
    ``max(n, d) * eps * d_max`` are dropped.

``hcVVV`` criterion (Fortran ``hcvvv`` / ``vvvtij``)
    With ``alpha = traceW(Z / sqrt(n p)) = tr(W_total) / (n p)`` (floored at machine
    eps) and ``beta = 1``, a cluster with ``n_k`` points, scatter matrix ``W_k``
    (sum of outer products of deviations from its mean) gets the term ::

        n_k * log(beta * (tr W_k + alpha) / n_k)                       if n_k <= p
        n_k * log(det(W_k / n_k) + beta * (tr W_k + alpha) / n_k)      if n_k >  p

    (a singleton's term is ``log(alpha * beta)``; a pair of singletons always uses
    the first form).  The cost of merging clusters i and j is
    ``term(i u j) - term(i) - term(j)`` and the cheapest pair is merged; ties go to
    the last pair in mclust's packed lower-triangle order, with the same slot
    bookkeeping as the Fortran (the merged cluster keeps the smaller slot, the last
    slot is moved into the freed one), so even tie-breaking follows mclust.

``hcEII`` criterion (Fortran ``hceii``)
    Ward's criterion ``n_i n_j / (n_i + n_j) * ||m_i - m_j||^2``.

One-dimensional data
    mclust's ``mclustBIC`` does not use ``hc`` for 1-D data at all: it starts EM
    from :func:`quantile_classes` (its ``qclass``, equal-frequency bins, not
    nested), which is provided here too.  mclust's ``hcV`` is coded with
    ``alpha <- min(alpha, eps)``, i.e. an effective ``alpha`` of machine epsilon,
    which makes the agglomeration grow one cluster point by point; so for 1-D data
    ``hierarchical_partitions`` uses mclust's ``hcE`` (Ward's criterion, which in
    1-D equals ``"EII"``) for both ``"VVV"`` and ``"EII"``.  ``model="V"`` runs a
    faithful ``hcV`` (with that effective ``alpha``) if it is really wanted.

Starting partition and model choice
    mclust's ``mclustBIC`` calls ``hc(data, modelName, use)`` without a
    ``partition`` argument.  ``hc()``'s default ``partition = dupPartition(data)``
    (mclust >= 5.4.8) is never forwarded, because ``hc`` passes on only the
    arguments of ``match.call()``, so ``hcVVV`` starts from singletons even when
    rows are duplicated (the ``alpha`` regularisation keeps the criterion finite);
    this is what is done here.  Partitions with more clusters than distinct rows
    are capped (see :func:`hierarchical_partitions`).  ``mclustBIC`` uses
    ``"EII"`` instead of ``"VVV"`` when ``n <= d``; so does this module.

Validation
    Running mclust's EM (``meVVV`` etc.: M-step from the hard partition, stop at a
    relative log-likelihood change of 1e-5) from these partitions reproduces all
    72 log-likelihoods of ``mclustBIC`` (models VVV, EEE, VVI, VII; G = 1..9) for
    Old Faithful and iris to better than 1e-7 relative, i.e. the partitions are
    mclust's.

Implementation
    All pairwise merge costs are kept in an ``m x m`` array; after each merge only
    the costs between the merged cluster and the others are recomputed,
    vectorised over the other clusters (``W_i + W_j + n_i n_j / (n_i + n_j) d d'``
    with closed-form determinants for ``p <= 3`` and batched LAPACK
    log-determinants otherwise, only where the merged size exceeds ``p``).  Exact
    full-row minima are cached; a merge rescans only the rows whose minimum lay
    in one of the two replaced columns and grew.  The per-merge work is a few
    dozen numpy calls on one-dimensional rows of a column-per-slot statistics
    array (merged statistics in Python floats for small ``p``; columns of freed
    slots dropped every time the number of clusters halves).  From ``p >= 20``
    the scatter matrices are kept as triangular factors (as mclust's ``mclrup``
    does) and, when the merged cluster's scatter is nonsingular, the determinants
    come from the matrix determinant lemma at ``O(p^2 r)`` instead of ``O(p^3)``.
    Every cost is computed by the same floating-point operations in the same
    order whichever code path is taken, so results (ties included) do not depend
    on it.  Typical cost (one core): ~10 ms for Old Faithful (272 x 2), ~7 ms
    for iris (150 x 4), 0.25-0.4 s for n = 2000 with d <= 10.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy.linalg import solve_triangular
from scipy.spatial.distance import pdist, squareform

try:  # np.einsum without its Python-level dispatch (same computation)
    from numpy._core.multiarray import c_einsum as _einsum
except ImportError:  # pragma: no cover - other numpy versions
    _einsum = np.einsum

try:  # np.linalg.slogdet without its Python-level checks (same computation)
    from numpy.linalg import _umath_linalg

    def _slogdet(A):
        return _umath_linalg.slogdet(A, signature="d->dd")
except ImportError:  # pragma: no cover - other numpy versions
    _slogdet = np.linalg.slogdet

__all__ = ["hierarchical_partitions", "quantile_classes", "svd_transform"]

_EPS = np.finfo(np.float64).eps
_BETA = 1.0  # mclust's hcVVV default ``beta``
_ALPHA = 1.0  # mclust's hcVVV default ``alpha`` multiplier of tr(W)/(n p)
_LEMMA_MIN_P = 20  # use factors + the determinant lemma from this dimension on
_LEMMA_RCOND = 1e-6  # ... when the merged factor is this well conditioned
_COMPACT_MIN = 64  # drop the columns of freed slots from this width on ...
_COMPACT_FRAC = 0.5  # ... once at most this fraction of the columns is in use
_PYSTATS_MAX_P = 6  # merged statistics in Python floats up to this dimension


# ---------------------------------------------------------------------------
# transform
# ---------------------------------------------------------------------------

def _svd(A):
    """Thin SVD that never raises ``LinAlgError`` (falls back to eigh / zeros)."""
    try:
        U, s, _ = np.linalg.svd(A, full_matrices=False)
        return U, s
    except np.linalg.LinAlgError:  # pragma: no cover - pathological input
        pass
    try:  # pragma: no cover
        import scipy.linalg

        U, s, _ = scipy.linalg.svd(A, full_matrices=False, lapack_driver="gesvd")
        return U, s
    except Exception:  # pragma: no cover
        pass
    try:  # pragma: no cover
        evals, V = np.linalg.eigh(A.T @ A)
        order = np.argsort(evals)[::-1]
        s = np.sqrt(np.clip(evals[order], 0.0, None))
        V = V[:, order]
        with np.errstate(divide="ignore", invalid="ignore"):
            U = np.where(s > 0, (A @ V) / np.where(s > 0, s, 1.0), 0.0)
        return U, s
    except Exception:  # pragma: no cover
        return np.zeros((A.shape[0], 0)), np.zeros(0)


def svd_transform(X):
    """mclust's ``hcUse = "SVD"`` transform of the data (guarded).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite data.

    Returns
    -------
    Z : ndarray of shape (n_samples, q)
        ``Z = Xs V D^{-1/2} = U D^{1/2}`` where ``Xs`` is ``X`` centred and divided
        by its column standard deviations (``n - 1`` denominator), constant columns
        dropped, and ``Xs = U D V'`` its thin SVD.  Directions whose singular value
        is numerically zero (``<= max(n, d) * eps * d_max``) are dropped, so
        ``q <= min(n - 1, number of non-constant columns)``; ``q`` may be 0.
    """
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    if n < 2 or X.shape[1] == 0:
        return np.zeros((n, 0))
    keep = np.ptp(X, axis=0) > 0  # R: constant columns give 0/0 = NaN and are dropped
    if not np.any(keep):
        return np.zeros((n, 0))
    Xk = X[:, keep]
    Xc = Xk - Xk.mean(axis=0)
    sd = np.sqrt(np.einsum("ij,ij->j", Xc, Xc) / (n - 1))
    ok = np.isfinite(sd) & (sd > 0)
    if not np.all(ok):
        Xc, sd = Xc[:, ok], sd[ok]
        if Xc.shape[1] == 0:
            return np.zeros((n, 0))
    Xs = Xc / sd
    U, s = _svd(Xs)
    if s.size == 0 or not np.all(np.isfinite(s)) or s[0] <= 0:
        return np.zeros((n, 0))
    tol = max(Xs.shape) * _EPS * s[0]
    good = s > tol
    return U[:, good] * np.sqrt(s[good])


# ---------------------------------------------------------------------------
# agglomeration engine
# ---------------------------------------------------------------------------

def _logdet_batch(A):
    """log det of a stack of symmetric PSD matrices; ``-inf`` where not > 0.

    For ``p <= 3`` (closed forms) the caller silences the divide-by-zero warning
    of ``log(0)``.
    """
    p = A.shape[-1]
    if p == 1:
        det = A[:, 0, 0]
    elif p == 2:
        det = A[:, 0, 0] * A[:, 1, 1]
        det -= A[:, 0, 1] * A[:, 1, 0]
    elif p == 3:
        a, b, c = A[:, 0, 0], A[:, 0, 1], A[:, 0, 2]
        d, e, f = A[:, 1, 0], A[:, 1, 1], A[:, 1, 2]
        g, h, i = A[:, 2, 0], A[:, 2, 1], A[:, 2, 2]
        det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    else:
        try:
            sign, ld = _slogdet(A)
        except np.linalg.LinAlgError:  # pragma: no cover - never expected
            try:
                ev = np.linalg.eigvalsh(A)
                sign = np.where(np.all(ev > 0, axis=-1), 1.0, 0.0)
                ld = np.sum(np.log(np.where(ev > 0, ev, 1.0)), axis=-1)
            except np.linalg.LinAlgError:
                return np.full(A.shape[0], -np.inf)
        return np.where((sign > 0) & np.isfinite(ld), ld, -np.inf)
    # log(det) where det > 0; -inf where det <= 0 or NaN (fmax drops a NaN)
    return np.log(np.fmax(det, 0.0))


def _sumsq_rows(sq):
    """``||d_t||^2`` from the squares ``sq[a] = d[:, a]**2`` (``p <= 3``).

    Added up the way numpy's ``einsum("ij,ij->i", d, d)`` kernel does it (two
    SIMD lanes, zero padding: ``(d_0^2 + d_2^2) + d_1^2``); only used where
    :func:`_sumsq_is_einsum` has checked that the results are bitwise equal.
    """
    if len(sq) == 1:
        return sq[0].copy()
    s = sq[0] + sq[-1]
    if len(sq) == 3:
        s += sq[1]
    return s


_SUMSQ_IS_EINSUM = None


def _sumsq_is_einsum():
    """Whether :func:`_sumsq_rows` reproduces ``einsum`` bitwise here (cached)."""
    global _SUMSQ_IS_EINSUM
    if _SUMSQ_IS_EINSUM is None:
        rng = np.random.default_rng(20240607)
        ok = True
        for p in (1, 2, 3):
            d = rng.standard_normal((4096, p))
            d *= np.exp2(rng.integers(-40, 40, (4096, p)))
            sq = [d[:, a] * d[:, a] for a in range(p)]
            ok = ok and np.array_equal(_einsum("ij,ij->i", d, d), _sumsq_rows(sq))
        _SUMSQ_IS_EINSUM = bool(ok)
    return _SUMSQ_IS_EINSUM


class _Agglomerator:
    """State of Fraley's agglomeration with mclust's slot bookkeeping.

    Slots ``0..g-1`` hold the current clusters.  Merging the pair ``(i, j)``,
    ``i < j``, puts the merged cluster in slot ``i`` and moves the cluster in the
    last slot ``g - 1`` into slot ``j`` (mclust's ``wardsw``).  ``D`` holds the
    symmetric merge costs (``inf`` on the diagonal) and ``rowmin[t]`` the exact
    minimum of row ``t`` of ``D[:g, :g]``.  mclust merges the *last* minimum in its
    packed order ``(j, i)``, ``i < j``: that pair is ``j`` = the largest ``t`` with
    minimal ``rowmin`` (a partner of ``t`` attaining it is also minimal, so it
    lies below ``t``) and ``i`` = the largest column ``< j`` attaining it.

    The per-cluster statistics are kept column-wise in one array ``ST`` (one
    column per slot: moving a slot is one copy, and the merge costs are computed
    along contiguous rows): the means (rows ``0..p-1``); for ``"VVV"`` the scatter
    matrices ``W_k`` (for ``p <= 3`` their upper triangles, which suffice as the
    ``W_k`` are exactly symmetric; else all ``p^2`` entries, row-major); then the
    traces ``tr W_k``, the sizes and the criterion terms.  From
    ``p >= _LEMMA_MIN_P`` the scatter matrices are kept instead as
    upper-triangular factors ``R_k`` (``W_k = R_k' R_k``, zero-padded to
    ``p x p``, rows beyond ``min(n_k - 1, p)`` zero) as mclust does; these allow
    the determinant lemma.  For ``p <= _PYSTATS_MAX_P`` the columns are mirrored
    in Python lists and the merged statistics computed in Python floats; for
    ``p <= 3`` (and ``"EII"``/``"V"``) the costs are computed with
    one-dimensional numpy operations over the full width of ``ST`` (entries of
    freed slots are garbage and ignored; the freed columns are dropped whenever
    the number of clusters halves).  This keeps the per-merge overhead small.
    """

    def __init__(self, Z, criterion, alpha, beta):
        Z = np.ascontiguousarray(Z, dtype=np.float64)
        n, p = Z.shape
        self.n, self.p = n, p
        self.criterion = criterion  # "VVV", "EII" or "V"
        self.alpha, self.beta = float(alpha), float(beta)
        self.use_det = criterion == "VVV"
        self.factored = self.use_det and p >= _LEMMA_MIN_P
        self.small = p <= 3 and not self.factored
        self.pystats = p <= _PYSTATS_MAX_P and not self.factored
        self.sumsq = p <= 3 and _sumsq_is_einsum()
        self.ablog = np.log(self.beta * self.alpha) if criterion != "EII" else 0.0
        if self.use_det and not self.factored:
            if p <= 3:
                self.pairs = [(a, b) for a in range(p) for b in range(a, p)]
            else:
                self.pairs = [(a, b) for a in range(p) for b in range(p)]
        else:
            self.pairs = []
        self.pairflat = np.array([a * p + b for a, b in self.pairs], dtype=np.intp)
        npair = len(self.pairs)
        self.npair = npair
        kt = p + npair
        self.kt, self.kc, self.kterm = kt, kt + 1, kt + 2
        ST = np.zeros((kt + 3, n))
        ST[:p] = Z.T
        ST[self.kc] = 1.0
        ST[self.kterm] = self.ablog
        self.ST = ST
        self.R = np.zeros((n, p, p)) if self.factored else None
        self.maxcnt = 1.0  # largest current cluster size
        self.pf = float(p)
        self.alpha0 = np.array(self.alpha)  # 0-d: cheaper in ufuncs than a float
        self.zero0 = np.array(0.0)

        # initial pairwise costs between singletons (exact differences, as mclust),
        # transformed on the condensed vector (half the work of the square form)
        v = pdist(Z, "sqeuclidean") if n > 1 else np.zeros(0)
        if criterion == "EII":
            v *= 0.5
        else:
            # 2 log(beta (||xi - xj||^2 / 2 + alpha) / 2) - 2 log(alpha beta)
            v *= 0.5
            v += self.alpha
            if self.beta != 1.0:
                v *= self.beta
            v /= 2.0
            v = np.log(v)
            v *= 2.0
            v -= 2.0 * self.ablog
        D = squareform(v, checks=False) if n > 1 else np.zeros((n, n))
        np.fill_diagonal(D, np.inf)
        self.D = D
        self.rowmin = D.min(axis=1) if n > 1 else np.full(n, np.inf)
        self._views()

    def _views(self):
        """(Re)create the buffers and row views of the current width."""
        ST, p, kt = self.ST, self.p, self.kt
        N = ST.shape[1]
        self.width = N
        self.cnt, self.tr, self.term = ST[self.kc], ST[kt], ST[self.kterm]
        self.mean = ST[:p].T  # (N, p) view
        self.mrows = [ST[a] for a in range(p)]
        self.wrows = [ST[p + k] for k in range(self.npair)]
        self.E = np.empty((N, p))  # differences of the means, C order
        self.ecols = [self.E[:, a] for a in range(p)]
        self.EB = np.empty((p, N))  # the same, transposed

    def _compact(self, g):
        """Drop the columns of the freed slots ``g..`` (their data is stale)."""
        self.ST = self.ST[:, :g].copy()
        self.D = self.D[:g, :g].copy()
        self.rowmin = self.rowmin[:g].copy()
        if self.R is not None:
            self.R = self.R[:g].copy()
        self._views()

    # -- triangular factors (p >= _LEMMA_MIN_P) -------------------------------
    def _merged_factor(self, i, j, v):
        """Triangular factor of ``W_i + W_j + v v'`` (mclust: ``mclrup`` updates)."""
        p = self.p
        ri = int(min(self.cnt[i] - 1, p))
        rj = int(min(self.cnt[j] - 1, p))
        out = np.zeros((p, p))
        if ri + rj == 0:  # a pair of singletons: the factor is the single row v
            out[0] = v
            return out
        rows = np.vstack([self.R[i, :ri], self.R[j, :rj], v[None, :]])
        try:
            r = np.linalg.qr(rows, mode="r")
        except np.linalg.LinAlgError:  # pragma: no cover - never expected
            w, V = np.linalg.eigh(rows.T @ rows)
            r = (V * np.sqrt(np.clip(w, 0.0, None))).T[::-1]
        k = min(r.shape[0], p)
        out[:k] = r[:k]
        return out

    def _merged_logdet(self, i, idx, d, c):
        """``log det(W_i + W_t + c_t d_t d_t')`` for the slots ``t`` in ``idx``."""
        p = self.p
        if self.cnt[i] > p:
            dg = np.abs(np.diagonal(self.R[i]))
            if dg.min() > _LEMMA_RCOND * dg.max():
                return self._lemma_logdet(i, idx, d, c, dg)
        # direct: form the p x p matrices (only the non-zero factor rows are used)
        Ri = self.R[i, :int(min(self.cnt[i] - 1, p))]
        rmax = int(min(self.cnt[idx].max() - 1, p))
        Rt = self.R[idx, :rmax]
        Wn = np.matmul(Rt.transpose(0, 2, 1), Rt)
        Wn += Ri.T @ Ri
        Wn += c[:, None, None] * (d[:, :, None] * d[:, None, :])
        return _logdet_batch(Wn)

    def _lemma_logdet(self, i, idx, d, c, dg):
        """Same as :meth:`_merged_logdet` via the matrix determinant lemma.

        With ``W_i = R_i' R_i`` nonsingular and ``U_t`` the rows of ``R_t`` plus
        ``sqrt(c_t) d_t``: ``det(W_i + U_t' U_t) = det(W_i) det(I + Y_t' Y_t)``,
        ``Y_t = R_i^{-T} U_t'``.  Factors are zero-padded to a few bucket widths
        (zero rows leave the determinant unchanged) so everything is batched.
        """
        p = self.p
        Ri = self.R[i]
        base = 2.0 * float(np.sum(np.log(dg)))
        out = np.empty(idx.size)
        sc = np.sqrt(c)[:, None] * d
        width = np.minimum(self.cnt[idx] - 1, p).astype(np.intp) + 1
        single = width == 1
        if single.any():
            Y = solve_triangular(Ri, sc[single].T, trans="T", lower=False,
                                 check_finite=False)
            out[single] = base + np.log1p(np.einsum("ij,ij->j", Y, Y))
        if not single.all():
            bucket = np.minimum(1 << np.ceil(np.log2(width)).astype(np.intp), p + 1)
            bucket[single] = 0
            for b in np.unique(bucket[~single]):
                sel = (bucket == b).nonzero()[0]
                m = sel.size
                U = np.empty((m, b, p))
                U[:, :b - 1] = self.R[idx[sel], :b - 1]
                U[:, b - 1] = sc[sel]
                Y = solve_triangular(Ri, U.reshape(m * b, p).T, trans="T", lower=False,
                                     check_finite=False)
                Y = Y.T.reshape(m, b, p)
                M = np.matmul(Y, Y.transpose(0, 2, 1))
                M[:, np.arange(b), np.arange(b)] += 1.0
                out[sel] = base + _logdet_batch(M)
        return out

    # -- merge costs ----------------------------------------------------------
    # Cost of merging the cluster in slot i with the one in slot t: with
    # n = n_i + n_t, c = n_i n_t / n and d = m_t - m_i, Ward's c ||d||^2 for
    # "EII", otherwise term(W_i + W_t + c d d', n) - term_i - term_t (see the
    # module docstring).  All versions evaluate each value with the same
    # floating-point operations in the same order (elementwise ones at most
    # commuted), so the costs are bitwise reproducible whichever is used.

    def _costs_factored(self, i, g, ni=None, tri=None, termi=None, vi=None):
        """Merge costs between slot ``i`` and slots ``0..g-1`` (factored ``"VVV"``)."""
        ni = self.cnt[i]
        nt = self.cnt[:g]
        nn = ni + nt
        c = ni * nt / nn
        delta = self.mean[:g] - self.mean[i]
        inc = c * _einsum("ij,ij->i", delta, delta)
        trn = self.tr[i] + self.tr[:g] + inc
        base = np.log(self.beta * (trn + self.alpha) / nn)
        termn = nn * base
        mask = nn > self.p
        mask[i] = False
        idx = mask.nonzero()[0]
        if idx.size:
            ld = self._merged_logdet(i, idx, delta[idx], c[idx])
            ld -= self.p * np.log(nn[idx])  # log det(W / n)
            termn[idx] = nn[idx] * np.logaddexp(ld, base[idx])
        cost = termn - self.term[i] - self.term[:g]
        cost[i] = np.inf
        return cost

    def _costs_small(self, i, g, ni, tri, termi, vi):
        """Costs over the full width (entries from ``g`` on are garbage).

        For ``p <= 3`` (``vi``: the column of slot ``i`` as a list), and for
        ``"EII"``/``"V"`` with any ``p`` (``vi`` None).
        """
        p = self.p
        cnt = self.cnt
        nn = cnt + ni
        c = cnt * ni
        c /= nn
        sq = None
        if self.sumsq:
            # ||m_t - m_i||^2 added up as einsum does; the squares are reused
            # below
            e = [m - vi[a] for a, m in enumerate(self.mrows)]
            sq = [x * x for x in e]
            inc = _sumsq_rows(sq)
        else:
            E, e = self.E, self.ecols
            if vi is not None:
                for a, m in enumerate(self.mrows):
                    np.subtract(m, vi[a], out=e[a])
            else:
                np.subtract(self.mean, self.ST[:p, i], out=E)
            inc = _einsum("ij,ij->i", E, E)  # ||m_t - m_i||^2, E in C order
        inc *= c
        if self.criterion == "EII":
            inc[i] = np.inf
            return inc
        trn = self.tr + tri
        trn += inc
        trn += self.alpha0
        if self.beta != 1.0:
            trn *= self.beta
        trn /= nn
        base = np.log(trn)  # log(beta (tr W + alpha) / n)
        if self.use_det and ni + self.maxcnt > p:
            # the merged scatter matrices W_t + W_i + c d d' (upper triangles)
            A = []
            for k, (a, b) in enumerate(self.pairs):
                s = sq[a] if (a == b and sq is not None) else e[a] * e[b]
                s *= c
                Ak = self.wrows[k] + vi[p + k]
                Ak += s
                A.append(Ak)
            if p == 1:
                det = A[0]
            elif p == 2:
                det = A[0] * A[2]
                det -= A[1] * A[1]
            else:
                a, b, cc, e11, f, k22 = A  # W00, W01, W02, W11, W12, W22
                det = a * (e11 * k22 - f * f)
                det -= b * (b * k22 - f * cc)
                det += cc * (b * f - e11 * cc)
            ld = np.log(np.fmax(det, self.zero0))  # -inf where det <= 0 (or NaN)
            lnn = np.log(nn)
            lnn *= self.pf
            ld -= lnn  # log det(W / n)
            termn = np.logaddexp(ld, base)
            termn *= nn
            if not ni + 1.0 > p:  # n log(beta (tr W + alpha) / n) where n <= p
                termn = np.where(nn > p, termn, base * nn)
        else:
            termn = base * nn
        termn -= termi
        termn -= self.term
        termn[i] = np.inf
        return termn

    def _costs_mid(self, i, g, ni, tri, termi, vi=None):
        """Costs for unfactored ``"VVV"`` with ``p >= 4`` (length ``g``)."""
        ST, p, kt = self.ST, self.p, self.kt
        cnt = self.cnt[:g]
        nn = cnt + ni
        c = cnt * ni
        c /= nn
        dT = np.subtract(ST[:p, :g], ST[:p, i:i + 1], out=self.EB[:, :g])
        E = self.E[:g]
        np.copyto(E, dT.T)  # (g, p) in C order, as this reduction expects
        inc = _einsum("ij,ij->i", E, E)
        inc *= c
        trn = self.tr[:g] + tri
        trn += inc
        trn += self.alpha
        if self.beta != 1.0:
            trn *= self.beta
        trn /= nn
        base = np.log(trn)
        termn = base * nn
        if ni + self.maxcnt > p:
            # log det of W_t + W_i + c d d' (all p x p entries) where n > p
            if ni + 1.0 > p:
                cols = slice(0, g)
            else:
                cols = (nn > p).nonzero()[0]
            A = ST[p:kt, cols] + ST[p:kt, i:i + 1]
            d = dT[:, cols]
            P = d[:, None, :] * d[None, :, :]
            P *= c[cols]
            A += P.reshape(p * p, -1)
            ld = _logdet_batch(A.reshape(p, p, -1).transpose(2, 0, 1))
            nnx = nn[cols]
            lnn = np.log(nnx)
            lnn *= self.pf
            ld -= lnn  # log det(W / n)
            lae = np.logaddexp(ld, base[cols])
            lae *= nnx
            termn[cols] = lae
        termn -= termi
        termn -= self.term[:g]
        termn[i] = np.inf
        return termn

    # -- main loop -----------------------------------------------------------
    def run(self, stop=1):
        """Agglomerate down to ``stop`` clusters; return the merges ``(i, j, last)``."""
        p, kt, kc, kterm = self.p, self.kt, self.kc, self.kterm
        pystats, factored = self.pystats, self.factored
        pairs = self.pairs
        # W entries to update in Python: (row, a, b, row of the mirror entry)
        if p <= 3:
            upd = [(p + k, a, b, p + k) for k, (a, b) in enumerate(pairs)]
        else:
            upd = [(p + a * p + b, a, b, p + b * p + a) for a, b in pairs if a <= b]
        if factored:
            costs = self._costs_factored
        elif self.small or not self.use_det:
            costs = self._costs_small
        else:
            costs = self._costs_mid
        # Python copies of the per-slot statistics (small p: whole columns)
        if pystats:
            S = self.ST.T.tolist()
        else:
            cl, tl = self.ST[kc].tolist(), self.ST[kterm].tolist()
        inf = np.inf
        minimum = np.minimum
        outer = np.multiply.outer
        asarray = np.asarray
        merges = []
        append = merges.append
        g = self.n
        N = -1  # force loading the state below
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            while g > stop:
                if g != N and (N < 0 or (N >= _COMPACT_MIN and g <= _COMPACT_FRAC * N)):
                    if N >= 0:
                        self._compact(g)
                    D, rowmin, ST, R = self.D, self.rowmin, self.ST, self.R
                    N = self.width
                j = g - 1 - int(rowmin[g - 1::-1].argmin())
                if j == 0:  # pragma: no cover - only with NaN costs
                    j = 1
                i = j - 1 - int(D[j, j - 1::-1].argmin())
                last = g - 1
                append((i, j, last))
                Di, Dj = D[i], D[j]
                new_term = float(Di[j])  # mclust: tmop = dopt + terms
                # statistics of the merged cluster
                if pystats:
                    vi, vj = S[i], S[j]
                    ni, nj = vi[kc], vj[kc]
                    nij = ni + nj
                    c = ni * nj / nij
                    dl = [vj[a] - vi[a] for a in range(p)]
                    dv = asarray(dl)
                    dd = float(dv @ dv)
                    new = [x + y for x, y in zip(vi, vj)]  # sums of W, tr, n
                    f = nj / nij
                    for a in range(p):
                        new[a] = vi[a] + f * dl[a]  # mean (exact for duplicates)
                    for k, a, b, k2 in upd:
                        w = new[k] + c * (dl[a] * dl[b])
                        new[k] = w
                        new[k2] = w  # the lower triangle (p > 3), exactly equal
                    new_tr = new[kt] + c * dd
                    new[kt] = new_tr
                    new_term = new_term + vi[kterm] + vj[kterm]
                    new[kterm] = new_term
                else:
                    ni, nj = cl[i], cl[j]
                    nij = ni + nj
                    c = ni * nj / nij
                    new = ST[:, i] + ST[:, j]  # sums of W, tr, n
                    mi = ST[:p, i]
                    delta = ST[:p, j] - mi
                    new[:p] = mi + (nj / nij) * delta  # mean (exact for duplicates)
                    new_tr = float(new[kt]) + c * float(delta @ delta)
                    new[kt] = new_tr
                    new_term = new_term + tl[i] + tl[j]
                    new[kterm] = new_term
                    if pairs:
                        dd = outer(delta, delta).ravel()
                        if p <= 3:  # upper triangles only
                            dd = dd[self.pairflat]
                        new[p:kt] += c * dd
                    elif factored:
                        new_R = self._merged_factor(i, j, np.sqrt(c) * delta)
                # rows whose minimum may lie in the columns i or j (to be replaced)
                need = rowmin >= minimum(Di, Dj)
                # move the last slot into slot j
                if j != last:
                    if pystats:
                        S[j] = S[last]
                    else:
                        cl[j], tl[j] = cl[last], tl[last]
                    ST[:, j] = ST[:, last]
                    if factored:
                        R[j] = R[last]
                    Dj[:] = D[last]
                    D[:g, j] = D[:g, last]
                    Dj[j] = inf
                    rowmin[j] = rowmin[last]
                    need[j] = need[last]
                if pystats:
                    S[i] = new
                else:
                    cl[i], tl[i] = nij, new_term
                ST[:, i] = new
                if factored:
                    R[i] = new_R
                if nij > self.maxcnt:
                    self.maxcnt = nij
                g -= 1
                if g <= 1:
                    break
                cost = costs(i, g, nij, new_tr, new_term, new if self.small else None)
                cg = cost[:g]
                Di[:g] = cg
                D[:g, i] = cg
                # exact row minima: the other rows lost the columns i and j and
                # gained the new column i; rows whose minimum may have sat in a
                # lost column are rescanned
                # (a row whose minimum was in a lost column but is not above the
                # new value in column i has that value as its new minimum)
                rm = rowmin[:g]
                need = need[:g]
                need &= cg > rm
                minimum(rm, cg, out=rm)
                need[i] = True  # row i is new: scanned with the others
                rows = need.nonzero()[0]
                if rows.size > 3:
                    rowmin[rows] = D[rows, :g].min(axis=1)
                else:
                    for r in rows.tolist():
                        rowmin[r] = D[r, :g].min()
        return merges


def _partitions_from_merges(n, merges, kmax):
    """Replay slot merges; return ``{k: labels}`` for ``k = 1..min(kmax, n)``.

    Labels are ``0..k-1`` in order of first appearance.  The partition at level
    ``k0 = min(kmax, n)`` is found in one pass (the merge tree of the first
    ``n - k0`` merges, collapsed by pointer jumping); the coarser ones by replaying
    the remaining merges on the ``k0`` slots.
    """
    k0 = min(kmax, n)
    n0 = n - k0  # merges before level k0
    if n0 > 0:
        parent = list(range(n + n0))
        slot = list(range(n))  # slot -> tree node
        node = n
        for (i, j, last) in merges[:n0]:
            parent[slot[i]] = node
            parent[slot[j]] = node
            slot[i] = node
            if j != last:
                slot[j] = slot[last]
            slot.pop()
            node += 1
        parent = np.array(parent, dtype=np.intp)
        while True:
            nxt = parent[parent]
            if np.array_equal(nxt, parent):
                break
            parent = nxt
        node_slot = np.zeros(n + n0, dtype=np.intp)
        node_slot[np.array(slot, dtype=np.intp)] = np.arange(k0)
        lab = node_slot[parent[:n]]  # slot of every point at level k0
    else:
        lab = np.arange(n)
    # first position of each slot at level k0
    first = np.full(k0, n, dtype=np.intp)
    np.minimum.at(first, lab, np.arange(n))
    first = first.tolist()
    out = {}
    amap = list(range(k0))  # slot at level k0 -> slot at the current level
    g = k0
    for mg in [None] + list(merges[n0:]):
        if mg is not None:
            i, j, last = mg
            amap = [i if a == j else (j if a == last else a) for a in amap]
            g -= 1
        # number the current slots by first appearance
        firstg = [n] * g
        for s0, a in enumerate(amap):
            if first[s0] < firstg[a]:
                firstg[a] = first[s0]
        rank = [0] * g
        for r, a in enumerate(sorted(range(g), key=firstg.__getitem__)):
            rank[a] = r
        out[g] = np.array([rank[a] for a in amap], dtype=np.int64)[lab]
    return out


# ---------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------

def _check_rng(random_state):
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, np.random.RandomState):
        return np.random.default_rng(random_state.randint(0, 2**31 - 1))
    return np.random.default_rng(random_state)


def hierarchical_partitions(X, max_clusters, *, model="VVV", transform="svd",
                            max_samples=2000, random_state=None):
    """Model-based hierarchical agglomeration (Fraley 1998), as mclust's hc().

    Reproduces the partitions that mclust (>= 5.4) starts EM from:
    ``hc(X, modelName = "VVV", use = "SVD")`` followed by ``hclass``.  See the
    module docstring for the exact criterion and transform.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features), float64, finite.
        A 1-D array is treated as a single column.
    max_clusters : int
        Partitions into ``1..max_clusters`` clusters are returned.
    model : {"VVV", "EII"}, default="VVV"
        ``"VVV"``: Fraley's classification-likelihood criterion for unconstrained
        covariances, regularised as in mclust (``alpha = tr(W)/(n p)``,
        ``beta = 1``).  ``"EII"``: Ward's criterion.  As in mclust's ``mclustBIC``,
        ``"VVV"`` is replaced by ``"EII"`` when ``n_samples <= n_features``.
        For 1-D data both use Ward's criterion (mclust's ``hcE``); mclust itself
        starts 1-D EM from :func:`quantile_classes` instead.  ``"V"`` (1-D only)
        runs mclust's ``hcV`` as coded (effective ``alpha`` = machine epsilon).
    transform : {"svd", "none"}, default="svd"
        ``"svd"``: mclust's ``hcUse = "SVD"`` transform (:func:`svd_transform`);
        ``"none"``: the raw data (mclust's ``"VARS"``).
    max_samples : int, default=2000
        If ``n_samples > max_samples``, the agglomeration runs on a random subset
        of this size (mclust's ``mclust.options("subset")``).
    random_state : None, int or numpy.random.Generator, default=None
        Seeds ``numpy.random.default_rng`` for the subset.

    Returns
    -------
    index : ndarray of shape (m,), int
        The (sorted) rows of ``X`` that were clustered; ``arange(n_samples)`` when
        no subset is drawn.
    labels : ndarray of shape (max_clusters, m), int
        ``labels[k-1]`` is the partition into ``k' = min(k, n_distinct)`` clusters,
        where ``n_distinct`` is the number of distinct rows among ``X[index]``;
        labels are ``0..k'-1`` in order of first appearance.  The partitions are
        nested: every row refines the previous one.

    Notes
    -----
    Memory is ``O(m^2)`` (the merge-cost matrix) plus ``O(m p^2)`` scatter
    matrices for ``"VVV"``.  Never raises ``numpy.linalg.LinAlgError``.
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X must be finite")
    if isinstance(max_clusters, bool) or not isinstance(max_clusters, numbers.Integral) \
            or max_clusters < 1:
        raise ValueError(f"max_clusters must be a positive int, got {max_clusters!r}")
    max_clusters = int(max_clusters)
    if model not in ("VVV", "EII", "V", "E"):
        raise ValueError(f"model must be 'VVV' or 'EII', got {model!r}")
    if transform not in ("svd", "none"):
        raise ValueError(f"transform must be 'svd' or 'none', got {transform!r}")
    if isinstance(max_samples, bool) or not isinstance(max_samples, numbers.Integral) \
            or max_samples < 1:
        raise ValueError(f"max_samples must be a positive int, got {max_samples!r}")

    n, d = X.shape
    if n == 0:
        raise ValueError("X has no rows")
    one_d = d == 1
    if model in ("V", "E") and not one_d:
        raise ValueError(f"model {model!r} is for one-dimensional data only")

    if n > max_samples:
        rng = _check_rng(random_state)
        index = np.sort(rng.choice(n, size=int(max_samples), replace=False))
    else:
        index = np.arange(n)
    Xs = X[index] + 0.0  # + 0.0 turns -0.0 into 0.0 (for the duplicate count)
    m = Xs.shape[0]

    labels = np.zeros((max_clusters, m), dtype=np.int64)
    n_distinct = 1 if (m <= 1 or d == 0) else int(np.unique(Xs, axis=0).shape[0])
    if n_distinct <= 1:
        return index, labels

    Z = svd_transform(Xs) if transform == "svd" else Xs
    if Z.shape[1] == 0:  # cannot happen with >= 2 distinct rows, but be safe
        return index, labels

    # which criterion (mclust's mclustBIC / hc dispatch)
    if one_d:
        crit = "V" if model == "V" else "EII"  # hcE == Ward == EII in 1-D
    elif model == "VVV" and n <= d:
        crit = "EII"
    else:
        crit = model

    p = Z.shape[1]
    if crit == "VVV":
        Zc = Z - Z.mean(axis=0)
        alpha = _ALPHA * float(np.einsum("ij,ij->", Zc, Zc)) / (m * p)
        alpha = max(alpha, _EPS)
    elif crit == "V":
        # mclust hcV: alpha <- min(alpha * var, eps), then max(alpha, eps) in Fortran
        zc = Z[:, 0] - Z[:, 0].mean()
        alpha = max(min(float(zc @ zc) / m, _EPS), _EPS)
    else:
        alpha = 1.0

    kmax = min(max_clusters, n_distinct)
    agg = _Agglomerator(Z, crit, alpha, _BETA)
    merges = agg.run(stop=1)
    parts = _partitions_from_merges(m, merges, kmax)
    for k in range(1, max_clusters + 1):
        labels[k - 1] = parts[min(k, kmax)]
    return index, labels


def quantile_classes(x, k):
    """mclust's ``qclass``: the 1-D starting partition of ``mclustBIC``.

    Equal-frequency bins: the smallest number ``n >= k + 1`` of equally spaced
    quantiles (R type 7) that yields ``k + 1`` distinct break points, dropping the
    left ends of the smallest gaps if more are found; the outer breaks are widened
    by ``sd(x) * sqrt(eps)``.  Unlike mclust (which loops forever), fewer than
    ``k + 1`` distinct values give one class per distinct value.

    Parameters
    ----------
    x : array-like of shape (n_samples,) or (n_samples, 1)
    k : int
        Number of classes.

    Returns
    -------
    labels : ndarray of shape (n_samples,), int
        Class labels ``0..k'-1`` (ordered by value), ``k' <= k``.
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    k = int(k)
    if k < 1:
        raise ValueError("k must be >= 1")
    uniq = np.unique(x)
    if uniq.size <= k:
        return np.searchsorted(uniq, x).astype(np.int64)
    sd = float(np.std(x, ddof=1)) if x.size > 1 else 0.0
    eps = sd * np.sqrt(_EPS)
    nq = k
    q = np.zeros(0)
    while q.size < k + 1:
        nq += 1
        q = np.unique(np.quantile(x, np.linspace(0.0, 1.0, nq)))
    if q.size > k + 1:
        dq = np.diff(q)
        nr = q.size - k - 1
        drop = np.argsort(dq, kind="stable")[:nr]
        q = np.delete(q, drop)
    q[0] = x.min() - eps
    q[-1] = x.max() + eps
    cl = np.full(x.size, -1, dtype=np.int64)
    for i in range(k):
        cl[(x >= q[i]) & (x < q[i + 1])] = i
    if np.any(cl < 0):  # numerical safety: assign stragglers to the nearest bin
        bad = cl < 0
        cl[bad] = np.clip(np.searchsorted(q, x[bad], side="right") - 1, 0, k - 1)
    return _first_appearance_sorted(cl)


def _first_appearance_sorted(cl):
    """Relabel to consecutive integers keeping the order of the values."""
    _, inv = np.unique(cl, return_inverse=True)
    return inv.ravel().astype(np.int64)
