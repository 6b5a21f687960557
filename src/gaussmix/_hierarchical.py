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

Starting partition
    mclust's ``mclustBIC`` calls ``hc(data, modelName, use)`` without a
    ``partition`` argument, so agglomeration starts from singletons even when rows
    are duplicated (the regularisation keeps the criterion finite); this is what is
    done here.  Partitions with more clusters than distinct rows are capped (see
    :func:`hierarchical_partitions`).

The implementation keeps all pairwise merge costs in an ``n x n`` array and,
after each merge, recomputes only the costs between the merged cluster and the
others (vectorised over the other clusters: scatter matrices are combined as
``W_i + W_j + n_i n_j / (n_i + n_j) d d'`` and batched log-determinants are taken
only where the merged size exceeds ``p``).  The per-row minima of the lower
triangle are cached and patched, so each merge costs ``O(g p^2)`` plus the
determinants instead of a scan of all pairs.
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
_LEMMA_MIN_P = 4  # use the determinant lemma from this dimension on
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
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
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
            ld = np.where((sign > 0) & np.isfinite(ld), ld, -np.inf)
            return ld
        return np.where(det > 0, np.log(np.where(det > 0, det, 1.0)), -np.inf)


class _Agglomerator:
    """State of Fraley's agglomeration with mclust's slot bookkeeping.

    Slots ``0..g-1`` hold the current clusters.  Merging the pair ``(i, j)``,
    ``i < j``, puts the merged cluster in slot ``i`` and moves the cluster in the
    last slot ``g - 1`` into slot ``j`` (mclust's ``wardsw``).  ``D`` holds the
    symmetric merge costs; ``rowmin[t]`` / ``rowarg[t]`` cache the minimum over
    ``D[t, :t]`` and the largest column attaining it, so that the global choice
    (the last minimum in mclust's packed order ``(j, i)``, ``i < j``) is the
    largest ``t`` with minimal ``rowmin`` and its ``rowarg``.
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
        # upper-triangular factors R_k (zero-padded to p x p) with W_k = R_k' R_k,
        # rows beyond min(n_k - 1, p) are zero (as mclust's Givens-updated factors)
        self.R = np.zeros((n, p, p)) if self.use_det else None
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

        # row minima of the strict lower triangle, last argmin
        self.rowmin = np.full(n, np.inf)
        self.rowarg = np.full(n, -1, dtype=np.intp)
        if n > 1:
            self._recompute_rows(np.arange(1, n), n)

    def _recompute_rows(self, rows, g):
        """Recompute ``rowmin``/``rowarg`` of ``rows`` over columns ``< row``."""
        rows = rows[rows > 0]
        if rows.size == 0:
            return
        # process in chunks to bound memory
        chunk = max(1, int(2_000_000 // max(g, 1)))
        cols = np.arange(g)
        for s in range(0, rows.size, chunk):
            r = rows[s:s + chunk]
            sub = np.where(cols[None, :] < r[:, None], self.D[r, :g], np.inf)
            rev = np.argmin(sub[:, ::-1], axis=1)
            arg = g - 1 - rev
            self.rowmin[r] = sub[np.arange(r.size), arg]
            self.rowarg[r] = arg

    def _rank(self, t):
        """Number of (possibly) non-zero rows of the factor of slot(s) ``t``."""
        return np.minimum(self.cnt[t] - 1, self.p).astype(np.intp)

    def _merged_factor(self, i, j, v):
        """Triangular factor of ``W_i + W_j + v v'`` (mclust: ``mclrup`` updates)."""
        p = self.p
        ri, rj = int(self._rank(i)), int(self._rank(j))
        rows = np.vstack([self.R[i, :ri], self.R[j, :rj], v[None, :]])
        out = np.zeros((p, p))
        if rows.shape[0] == 1:
            # a pair of singletons: the factor is the single row v
            out[0] = v
            return out
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
        if p >= _LEMMA_MIN_P and self.cnt[i] > p:
            dg = np.abs(np.diagonal(self.R[i]))
            if dg.min() > _LEMMA_RCOND * dg.max():
                return self._lemma_logdet(i, idx, d, c, dg)
        # direct: form the p x p matrices (only the non-zero factor rows are used)
        Ri = self.R[i, :int(self._rank(i))]
        rmax = int(self._rank(idx).max())
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
        width = self._rank(idx) + 1
        single = width == 1
        if np.any(single):
            Y = solve_triangular(Ri, sc[single].T, trans="T", lower=False,
                                 check_finite=False)
            out[single] = base + np.log1p(np.einsum("ij,ij->j", Y, Y))
        if not np.all(single):
            bucket = np.minimum(1 << np.ceil(np.log2(np.maximum(width, 1))).astype(np.intp),
                                p + 1)
            bucket[single] = 0
            for b in np.unique(bucket[~single]):
                sel = np.flatnonzero(bucket == b)
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
                idx = np.flatnonzero(nn > self.p)
                idx = idx[idx != i]
                if idx.size:
                    ld = self._merged_logdet(i, idx, delta[idx], c[idx])
                    ld -= self.p * np.log(nn[idx])  # log det(W / n)
                    termn[idx] = nn[idx] * np.logaddexp(ld, base[idx])
            cost = termn - self.term[i] - self.term[:g]
        cost[i] = np.inf
        return cost

    def run(self, stop=1):
        """Agglomerate down to ``stop`` clusters; return the merges ``(i, j, last)``."""
        n = self.n
        D, rowmin, rowarg = self.D, self.rowmin, self.rowarg
        cnt, mean, tr, term, R = self.cnt, self.mean, self.tr, self.term, self.R
        merges = []
        g = n
        while g > stop:
            rm = rowmin[:g]
            j = g - 1 - int(np.argmin(rm[::-1]))
            i = int(rowarg[j])
            last = g - 1
            merges.append((i, j, last))
            # statistics of the merged cluster
            ni, nj = cnt[i], cnt[j]
            nij = ni + nj
            delta = mean[j] - mean[i]
            c = ni * nj / nij
            new_mean = (ni * mean[i] + nj * mean[j]) / nij
            new_tr = tr[i] + tr[j] + c * float(delta @ delta)
            new_term = D[i, j] + term[i] + term[j]  # as mclust: tmop = dopt + terms
            if self.use_det:
                new_R = self._merged_factor(i, j, np.sqrt(c) * delta)
            # move the last slot into slot j
            if j != last:
                cnt[j], tr[j], term[j] = cnt[last], tr[last], term[last]
                mean[j] = mean[last]
                if self.use_det:
                    R[j] = R[last]
                D[j, :g] = D[last, :g]
                D[:g, j] = D[:g, last]
                D[j, j] = np.inf
            cnt[i], tr[i], term[i] = nij, new_tr, new_term
            mean[i] = new_mean
            if self.use_det:
                R[i] = new_R
            g -= 1
            if g <= 1:
                break
            cost = self._costs(i, g)
            D[i, :g] = cost
            D[:g, i] = cost
            # --- patch the cached row minima ---------------------------------
            ra = rowarg[:g]
            need = (ra == i)
            if j < g:
                need |= (ra == j)
                need[j] = True
            need[i] = True
            for col in ((i, j) if j < g else (i,)):
                rows = np.arange(col + 1, g)
                if rows.size == 0:
                    continue
                rows = rows[~need[rows]]
                vals = D[rows, col]
                rmin = rowmin[rows]
                upd = (vals < rmin) | ((vals == rmin) & (col > rowarg[rows]))
                if np.any(upd):
                    r = rows[upd]
                    rowmin[r] = vals[upd]
                    rowarg[r] = col
            self._recompute_rows(np.flatnonzero(need), g)
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
    Xs = X[index]
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
