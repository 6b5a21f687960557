"""Fraley's model-based agglomeration with mclust's slot bookkeeping (the engine of
:func:`gaussmix.init.hierarchical.hierarchical_partitions`)."""

from __future__ import annotations

import numpy as np
from scipy.linalg import solve_triangular
from scipy.spatial.distance import pdist, squareform

from .criteria import Criterion
from .numerics import logdet_batch, sumsq_is_einsum, sumsq_rows

_LEMMA_MIN_P = 20  # use factors + the determinant lemma from this dimension on
_LEMMA_RCOND = 1e-6  # ... when the merged factor is this well conditioned
_COMPACT_MIN = 64  # drop the columns of freed slots from this width on ...
_COMPACT_FRAC = 0.5  # ... once at most this fraction of the columns is in use
_PYSTATS_MAX_P = 6  # merged statistics in Python floats up to this dimension


class Agglomerator:
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
        criterion = Criterion.named(criterion)
        self.criterion = criterion
        self.alpha, self.beta = float(alpha), float(beta)
        self.use_det = criterion is Criterion.ELLIPSOIDAL
        self.factored = self.use_det and p >= _LEMMA_MIN_P
        self.small = p <= 3 and not self.factored
        self.pystats = p <= _PYSTATS_MAX_P and not self.factored
        self.sumsq = p <= 3 and sumsq_is_einsum()
        self.ablog = np.log(self.beta * self.alpha) if criterion is not Criterion.WARD else 0.0
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
        if criterion is Criterion.WARD:
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
        return logdet_batch(Wn)

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
                out[sel] = base + logdet_batch(M)
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
        inc = c * np.einsum("ij,ij->i", delta, delta)
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
            inc = sumsq_rows(sq)
        else:
            E, e = self.E, self.ecols
            if vi is not None:
                for a, m in enumerate(self.mrows):
                    np.subtract(m, vi[a], out=e[a])
            else:
                np.subtract(self.mean, self.ST[:p, i], out=E)
            inc = np.einsum("ij,ij->i", E, E)  # ||m_t - m_i||^2, E in C order
        inc *= c
        if self.criterion is Criterion.WARD:
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
        inc = np.einsum("ij,ij->i", E, E)
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
            ld = logdet_batch(A.reshape(p, p, -1).transpose(2, 0, 1))
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
        self._start_run()
        merges = []
        g, width = self.n, -1  # clusters left; width of the loaded arrays (-1: none)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            while g > stop:
                if g != width and (width < 0 or (width >= _COMPACT_MIN
                                                 and g <= _COMPACT_FRAC * width)):
                    if width >= 0:
                        self._compact(g)
                    width = self.width
                i, j = self._cheapest_pair(g)
                last = g - 1
                merges.append((i, j, last))
                nij, new, new_tr, new_term, new_R = self._merged(i, j)
                # rows whose minimum may lie in the columns i or j (to be replaced)
                need = self.rowmin >= np.minimum(self.D[i], self.D[j])
                if j != last:
                    self._move_slot(last, j, need)
                self._store(i, nij, new, new_term, new_R)
                g -= 1
                if g <= 1:
                    break
                self._update_costs(i, g, nij, new_tr, new_term, new, need)
        return merges

    def _start_run(self):
        """Choose the cost function and mirror the per-slot statistics in Python
        lists (small p: whole columns; else sizes and criterion terms)."""
        p, pairs = self.p, self.pairs
        # W entries to update in Python: (row, a, b, row of the mirror entry)
        if p <= 3:
            self._upd = [(p + k, a, b, p + k) for k, (a, b) in enumerate(pairs)]
        else:
            self._upd = [(p + a * p + b, a, b, p + b * p + a) for a, b in pairs if a <= b]
        if self.factored:
            self._costs = self._costs_factored
        elif self.small or not self.use_det:
            self._costs = self._costs_small
        else:
            self._costs = self._costs_mid
        if self.pystats:
            self._S = self.ST.T.tolist()
        else:
            self._cl, self._tl = self.ST[self.kc].tolist(), self.ST[self.kterm].tolist()

    def _cheapest_pair(self, g):
        """mclust's choice: the last minimum in its packed order (see the class)."""
        j = g - 1 - int(self.rowmin[g - 1::-1].argmin())
        if j == 0:  # pragma: no cover - only with NaN costs
            j = 1
        i = j - 1 - int(self.D[j, j - 1::-1].argmin())
        return i, j

    def _merged(self, i, j):
        """Statistics of the union of slots ``i`` and ``j``: its size, its column of
        ``ST``, trace, criterion term and (factored) triangular factor."""
        new_term = float(self.D[i, j])  # mclust: tmop = dopt + terms
        if self.pystats:
            return self._merged_py(i, j, new_term)
        return self._merged_np(i, j, new_term)

    def _merged_py(self, i, j, new_term):
        """:meth:`_merged` in Python floats (small p: cheaper than numpy calls)."""
        p, kt, kc, kterm = self.p, self.kt, self.kc, self.kterm
        vi, vj = self._S[i], self._S[j]
        ni, nj = vi[kc], vj[kc]
        nij = ni + nj
        c = ni * nj / nij
        dl = [vj[a] - vi[a] for a in range(p)]
        dv = np.asarray(dl)
        dd = float(dv @ dv)
        new = [x + y for x, y in zip(vi, vj)]  # sums of W, tr, n
        f = nj / nij
        for a in range(p):
            new[a] = vi[a] + f * dl[a]  # mean (exact for duplicates)
        for k, a, b, k2 in self._upd:
            w = new[k] + c * (dl[a] * dl[b])
            new[k] = w
            new[k2] = w  # the lower triangle (p > 3), exactly equal
        new_tr = new[kt] + c * dd
        new[kt] = new_tr
        new_term = new_term + vi[kterm] + vj[kterm]
        new[kterm] = new_term
        return nij, new, new_tr, new_term, None

    def _merged_np(self, i, j, new_term):
        """:meth:`_merged` with numpy columns (larger p, or factored)."""
        p, kt, kterm, ST = self.p, self.kt, self.kterm, self.ST
        ni, nj = self._cl[i], self._cl[j]
        nij = ni + nj
        c = ni * nj / nij
        new = ST[:, i] + ST[:, j]  # sums of W, tr, n
        mi = ST[:p, i]
        delta = ST[:p, j] - mi
        new[:p] = mi + (nj / nij) * delta  # mean (exact for duplicates)
        new_tr = float(new[kt]) + c * float(delta @ delta)
        new[kt] = new_tr
        new_term = new_term + self._tl[i] + self._tl[j]
        new[kterm] = new_term
        new_R = None
        if self.pairs:
            dd = np.multiply.outer(delta, delta).ravel()
            if p <= 3:  # upper triangles only
                dd = dd[self.pairflat]
            new[p:kt] += c * dd
        elif self.factored:
            new_R = self._merged_factor(i, j, np.sqrt(c) * delta)
        return nij, new, new_tr, new_term, new_R

    def _move_slot(self, last, j, need):
        """Move the cluster in the last slot into slot ``j`` (mclust's ``wardsw``)."""
        D = self.D
        if self.pystats:
            self._S[j] = self._S[last]
        else:
            self._cl[j], self._tl[j] = self._cl[last], self._tl[last]
        self.ST[:, j] = self.ST[:, last]
        if self.factored:
            self.R[j] = self.R[last]
        D[j] = D[last]
        D[:last + 1, j] = D[:last + 1, last]
        D[j, j] = np.inf
        self.rowmin[j] = self.rowmin[last]
        need[j] = need[last]

    def _store(self, i, nij, new, new_term, new_R):
        """Put the merged cluster in slot ``i``."""
        if self.pystats:
            self._S[i] = new
        else:
            self._cl[i], self._tl[i] = nij, new_term
        self.ST[:, i] = new
        if self.factored:
            self.R[i] = new_R
        if nij > self.maxcnt:
            self.maxcnt = nij

    def _update_costs(self, i, g, nij, new_tr, new_term, new, need):
        """New merge costs of slot ``i`` and the exact row minima of ``D[:g, :g]``.

        The other rows lost the columns i and j and gained the new column i; rows
        whose minimum may have sat in a lost column are rescanned (a row whose minimum
        was in a lost column but is not above the new value in column i has that
        value as its new minimum).
        """
        D, rowmin = self.D, self.rowmin
        cg = self._costs(i, g, nij, new_tr, new_term, new if self.small else None)[:g]
        D[i, :g] = cg
        D[:g, i] = cg
        rm = rowmin[:g]
        need = need[:g]
        need &= cg > rm
        np.minimum(rm, cg, out=rm)
        need[i] = True  # row i is new: scanned with the others
        rows = need.nonzero()[0]
        if rows.size > 3:
            rowmin[rows] = D[rows, :g].min(axis=1)
        else:
            for r in rows.tolist():
                rowmin[r] = D[r, :g].min()
