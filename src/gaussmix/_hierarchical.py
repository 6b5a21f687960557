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
    with batched log-determinants, only where the merged size exceeds ``p``).  From
    ``p >= 20`` the scatter matrices are kept as triangular factors (as mclust's
    ``mclrup`` does) and, when the merged cluster's scatter is nonsingular, the
    determinants come from the matrix determinant lemma at ``O(p^2 r)`` instead of
    ``O(p^3)``.  Per-row minima of the lower triangle (with a lower bound on the
    runner-up) are cached and patched, so a merge rarely rescans a row.  Typical
    cost: ~25 ms for Old Faithful (272 x 2), ~15 ms for iris (150 x 4), 0.5-0.9 s
    for n = 2000 with d <= 20 and ~2 s for d = 50 (one core).
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy.linalg import solve_triangular
from scipy.spatial.distance import pdist, squareform

__all__ = ["hierarchical_partitions", "quantile_classes", "svd_transform"]

_EPS = np.finfo(np.float64).eps
_BETA = 1.0  # mclust's hcVVV default ``beta``
_ALPHA = 1.0  # mclust's hcVVV default ``alpha`` multiplier of tr(W)/(n p)
_LEMMA_MIN_P = 20  # use factors + the determinant lemma from this dimension on
_LEMMA_RCOND = 1e-6  # ... when the merged factor is this well conditioned


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
    """log det of a stack of symmetric PSD matrices; ``-inf`` where not > 0."""
    p = A.shape[-1]
    if p == 1:
        det = A[:, 0, 0]
    elif p == 2:
        det = A[:, 0, 0] * A[:, 1, 1] - A[:, 0, 1] * A[:, 1, 0]
    elif p == 3:
        a, b, c = A[:, 0, 0], A[:, 0, 1], A[:, 0, 2]
        d, e, f = A[:, 1, 0], A[:, 1, 1], A[:, 1, 2]
        g, h, i = A[:, 2, 0], A[:, 2, 1], A[:, 2, 2]
        det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    else:
        try:
            sign, ld = np.linalg.slogdet(A)
        except np.linalg.LinAlgError:  # pragma: no cover - never expected
            try:
                ev = np.linalg.eigvalsh(A)
                sign = np.where(np.all(ev > 0, axis=-1), 1.0, 0.0)
                ld = np.sum(np.log(np.where(ev > 0, ev, 1.0)), axis=-1)
            except np.linalg.LinAlgError:
                return np.full(A.shape[0], -np.inf)
        return np.where((sign > 0) & np.isfinite(ld), ld, -np.inf)
    pos = det > 0
    return np.where(pos, np.log(np.where(pos, det, 1.0)), -np.inf)


class _Agglomerator:
    """State of Fraley's agglomeration with mclust's slot bookkeeping.

    Slots ``0..g-1`` hold the current clusters.  Merging the pair ``(i, j)``,
    ``i < j``, puts the merged cluster in slot ``i`` and moves the cluster in the
    last slot ``g - 1`` into slot ``j`` (mclust's ``wardsw``).  ``D`` holds the
    symmetric merge costs; ``rowmin[t]`` / ``rowarg[t]`` cache the minimum over
    ``D[t, :t]`` and the largest column attaining it, so that the global choice
    (the last minimum in mclust's packed order ``(j, i)``, ``i < j``) is the
    largest ``t`` with minimal ``rowmin`` and its ``rowarg``.  ``rowsec[t]`` is a
    lower bound on the minimum over the other columns of row ``t``.

    For ``"VVV"`` the scatter matrices are kept as ``W_k`` itself when ``p`` is
    small and otherwise as upper-triangular factors ``R_k`` (``W_k = R_k' R_k``,
    zero-padded to ``p x p``, rows beyond ``min(n_k - 1, p)`` zero) as mclust
    does; the latter allow the determinant lemma.
    """

    def __init__(self, Z, criterion, alpha, beta):
        Z = np.ascontiguousarray(Z, dtype=np.float64)
        n, p = Z.shape
        self.n, self.p = n, p
        self.criterion = criterion  # "VVV", "EII" or "V"
        self.alpha, self.beta = float(alpha), float(beta)
        self.cnt = np.ones(n)
        self.mean = Z.copy()
        self.tr = np.zeros(n)
        self.use_det = criterion == "VVV"
        self.factored = self.use_det and p >= _LEMMA_MIN_P
        self.W = np.zeros((n, p, p)) if (self.use_det and not self.factored) else None
        self.R = np.zeros((n, p, p)) if self.factored else None
        self.ablog = np.log(self.beta * self.alpha) if criterion != "EII" else 0.0
        self.term = np.full(n, self.ablog)

        # initial pairwise costs between singletons (exact differences, as mclust)
        D = squareform(pdist(Z, "sqeuclidean")) if n > 1 else np.zeros((n, n))
        if criterion == "EII":
            D *= 0.5
        else:
            # 2 log(beta (||xi - xj||^2 / 2 + alpha) / 2) - 2 log(alpha beta)
            D = 2.0 * np.log(self.beta * (0.5 * D + self.alpha) / 2.0) - 2.0 * self.ablog
        np.fill_diagonal(D, np.inf)
        self.D = D

        self.rowmin = np.full(n, np.inf)
        self.rowarg = np.full(n, -1, dtype=np.intp)
        self.rowsec = np.full(n, np.inf)
        if n > 1:
            self._recompute_rows(np.arange(1, n), n)

    # -- cached row minima -------------------------------------------------
    def _recompute_rows(self, rows, g):
        """Recompute ``rowmin``/``rowarg``/``rowsec`` of ``rows`` (columns ``< row``)."""
        rows = rows[rows > 0]
        if rows.size == 0:
            return
        chunk = max(1, int(2_000_000 // max(g, 1)))  # bound the temporaries
        cols = np.arange(g)
        for s in range(0, rows.size, chunk):
            r = rows[s:s + chunk]
            sub = np.where(cols[None, :] < r[:, None], self.D[r, :g], np.inf)
            arg = g - 1 - np.argmin(sub[:, ::-1], axis=1)  # last minimum
            ar = np.arange(r.size)
            self.rowmin[r] = sub[ar, arg]
            self.rowarg[r] = arg
            sub[ar, arg] = np.inf
            self.rowsec[r] = sub.min(axis=1)

    def _insert(self, rows, vals, col):
        """Offer the values ``vals`` in column ``col`` to the cached row minima."""
        rmin = self.rowmin[rows]
        upd = (vals < rmin) | ((vals == rmin) & (col > self.rowarg[rows]))
        r = rows[upd]
        self.rowsec[r] = np.minimum(self.rowsec[r], rmin[upd])
        self.rowmin[r] = vals[upd]
        self.rowarg[r] = col
        r = rows[~upd]
        self.rowsec[r] = np.minimum(self.rowsec[r], vals[~upd])

    # -- scatter matrices ---------------------------------------------------
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
        if not self.factored:
            Wn = self.W[idx] + self.W[i]
            Wn += c[:, None, None] * (d[:, :, None] * d[:, None, :])
            return _logdet_batch(Wn)
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

    def _costs(self, i, g):
        """Merge costs between the cluster in slot ``i`` and slots ``0..g-1``."""
        ni = self.cnt[i]
        nt = self.cnt[:g]
        nn = ni + nt
        c = ni * nt / nn
        delta = self.mean[:g] - self.mean[i]
        inc = c * np.einsum("ij,ij->i", delta, delta)
        if self.criterion == "EII":
            cost = inc
        else:
            trn = self.tr[i] + self.tr[:g] + inc
            base = np.log(self.beta * (trn + self.alpha) / nn)
            termn = nn * base
            if self.use_det:
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

    # -- main loop -----------------------------------------------------------
    def run(self, stop=1):
        """Agglomerate down to ``stop`` clusters; return the merges ``(i, j, last)``."""
        n = self.n
        D, rowmin, rowarg, rowsec = self.D, self.rowmin, self.rowarg, self.rowsec
        cnt, mean, tr, term = self.cnt, self.mean, self.tr, self.term
        S = self.R if self.factored else self.W  # scatter representation (or None)
        merges = []
        g = n
        while g > stop:
            j = g - 1 - int(np.argmin(rowmin[g - 1::-1]))
            i = int(rowarg[j])
            last = g - 1
            merges.append((i, j, last))
            # statistics of the merged cluster
            ni, nj = cnt[i], cnt[j]
            nij = ni + nj
            delta = mean[j] - mean[i]
            c = ni * nj / nij
            new_mean = mean[i] + (nj / nij) * delta  # exact for duplicates
            new_tr = tr[i] + tr[j] + c * float(delta @ delta)
            new_term = D[i, j] + term[i] + term[j]  # as mclust: tmop = dopt + terms
            if self.factored:
                new_S = self._merged_factor(i, j, np.sqrt(c) * delta)
            elif S is not None:
                new_S = S[i] + S[j] + c * np.outer(delta, delta)
            # move the last slot into slot j
            if j != last:
                cnt[j], tr[j], term[j] = cnt[last], tr[last], term[last]
                mean[j] = mean[last]
                if S is not None:
                    S[j] = S[last]
                D[j, :g] = D[last, :g]
                D[:g, j] = D[:g, last]
                D[j, j] = np.inf
            cnt[i], tr[i], term[i] = nij, new_tr, new_term
            mean[i] = new_mean
            if S is not None:
                S[i] = new_S
            g -= 1
            if g <= 1:
                break
            cost = self._costs(i, g)
            D[i, :g] = cost
            D[:g, i] = cost
            # --- patch the cached row minima ---------------------------------
            # Rows t > i see a new value in column i, rows t > j (j < g) one in
            # column j; other entries are unchanged and removed entries only raise
            # the minimum over the remaining columns, so ``rowsec`` stays a lower
            # bound.  A row whose minimum sat in column i keeps it there if the new
            # value is still below that bound; otherwise, and for rows whose
            # minimum was in the removed column j, the row is recomputed.
            need = np.zeros(g, dtype=bool)
            need[i] = True
            if j < g:
                need |= rowarg[:g] == j
                need[j] = True
            if i + 1 < g:
                ra = rowarg[i + 1:g]
                vals = cost[i + 1:]
                hot = ra == i
                if hot.any():
                    h = hot.nonzero()[0] + (i + 1)
                    hv = vals[hot]
                    ok = hv < rowsec[h]
                    rowmin[h[ok]] = hv[ok]
                    need[h[~ok]] = True
                free = ~(hot | need[i + 1:])
                self._insert(free.nonzero()[0] + (i + 1), vals[free], i)
            if j + 1 < g:
                free = ~need[j + 1:]
                self._insert(free.nonzero()[0] + (j + 1), D[j + 1:g, j][free], j)
            self._recompute_rows(need.nonzero()[0], g)
        return merges


def _first_appearance(lab):
    """Relabel ``lab`` to ``0..k-1`` in order of first appearance."""
    _, first, inv = np.unique(lab, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    return rank[inv.ravel()]


def _partitions_from_merges(n, merges, kmax):
    """Replay slot merges; return ``{k: labels}`` for ``k = 1..min(kmax, n)``."""
    lab = np.arange(n)
    out = {}
    g = n
    if g <= kmax:
        out[g] = _first_appearance(lab)
    for (i, j, last) in merges:
        lab[lab == j] = i
        if j != last:
            lab[lab == last] = j
        g -= 1
        if g <= kmax:
            out[g] = _first_appearance(lab)
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
