"""EM on data with missing entries (NaN): a data source and its E-step.

The E-step of a row with missing entries works on its observed sub-vector: the
components' densities of the observed entries give the responsibilities (and the
observed-data log-likelihood, the objective), and the missing entries enter the
statistics through their conditional expectations, ``E[x_m | x_o, k]`` in the first
and second moments plus ``Cov[x_m | x_o, k]`` in the second (Ghahramani and Jordan
1994; Little and Rubin 2002, ch. 11). That last term is what makes this EM exact:
filling in the conditional means and fitting ("impute, then fit") underestimates every
covariance. The statistics are the ordinary :class:`~gaussmix.engine.SuffStats`, so
the ordinary M-step follows, for every covariance structure.

Complete rows go through the ordinary E-step (:func:`~gaussmix.engine.collect`)
untouched; incomplete rows are sorted by missing pattern once, and a chunk's rows of
one pattern are evaluated together (:mod:`gaussmix.engine.conditional`).
"""

from __future__ import annotations

import numpy as np

from ..utils.missing import complete_with_column_means
from ..utils.parallel import available_cores
from .collect import collect
from .conditional import conditionals, full_plan, missing_patterns, scatter_conditional
from .estep import normalise, weighted_log_prob
from .parallel import ChunkMap
from .sources import ArraySource, chunk_size_for, iter_chunks
from .stats import SuffStats, lowest_rows


def incomplete_row_values(K, d):
    """Intermediate values per incomplete row of a chunk: the (K, d) completed
    deviations, their products with the precisions and factors, the weighted copy."""
    return 4 * K * d + 3 * K + 2 * d


class MissingSource(ArraySource):
    """Rows with missing entries (NaN) and their optional weights.

    As an :class:`~gaussmix.engine.ArraySource` it presents the rows completed by
    their columns' observed means (``X``): what the starts and the data's scale are
    computed from, which need complete rows. Its E-step (:meth:`collect`, which
    :func:`~gaussmix.engine.collect` calls) reads the rows as they are, missing
    entries and all.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        NaN where an entry is missing; no row and no column may be all NaN.
    w : ndarray of shape (n_samples,) or None
        Row weights; None means unit weights.

    Examples
    --------
    >>> X = np.array([[1.0, 2.0], [np.nan, 4.0], [3.0, np.nan], [5.0, 6.0]])
    >>> src = MissingSource(X)
    >>> src.X.tolist()
    [[1.0, 2.0], [3.0, 4.0], [3.0, 4.0], [5.0, 6.0]]
    >>> src.n_incomplete, src.patterns.astype(int).tolist()
    (2, [[0, 1], [1, 0]])
    """

    def __init__(self, X, w=None):
        miss = np.isnan(X)
        incomplete = miss.any(axis=1)
        super().__init__(complete_with_column_means(X, w), w)
        self.complete = ArraySource(X[~incomplete],
                                    None if w is None else w[~incomplete])
        rows = np.flatnonzero(incomplete)
        self.patterns, row_pattern = missing_patterns(miss[rows])
        # sorted by pattern: a chunk's rows of one pattern are neighbours
        order = np.argsort(row_pattern, kind="stable")
        self.rows = X[rows[order]]
        self.row_weights = None if w is None else w[rows[order]]
        self.row_pattern = row_pattern[order]

    @property
    def n_incomplete(self):
        """Number of rows with at least one missing entry."""
        return self.rows.shape[0]

    def collect(self, params, *, chunk=None, chunk_map=None, mode=None, log_prior=None):
        """The E-step's statistics of all rows, as :func:`~gaussmix.engine.collect`.

        ``mode`` applies to the complete rows; ``log_prior`` (variational Bayes) is
        not supported with missing entries.
        """
        if log_prior is not None:
            raise ValueError("missing entries are fitted by maximum-likelihood or MAP EM "
                             "only; use GaussianMixture(missing='em').")
        total = None
        if self.complete.n_samples:
            total = collect(self.complete, params, chunk=chunk, chunk_map=chunk_map,
                            mode=mode)
        if not self.n_incomplete:
            return total
        ref = params.means.astype(np.float64) if total is None else total.ref
        part = self._incomplete_stats(params, ref, chunk, chunk_map)
        return part if total is None else total + part

    def _incomplete_stats(self, params, ref, chunk, chunk_map):
        """Statistics of the incomplete rows, chunk by chunk."""
        K, d = params.n_components, params.n_features
        if chunk is None:
            chunk = chunk_size_for(self.n_incomplete, K, d, 8, n_threads=available_cores(),
                                   row_values=incomplete_row_values(K, d),
                                   moment_values=K * d * d)
        plan = full_plan(params)
        kernel = params.structure.kernel

        def work(bounds):
            start, stop = bounds
            w = None if self.row_weights is None else self.row_weights[start:stop]
            return incomplete_stats(self.rows[start:stop], w, self.row_pattern[start:stop],
                                    self.patterns, plan, ref, kernel)

        return (chunk_map or ChunkMap(1)).sum(work, iter_chunks(self.n_incomplete, chunk))


def incomplete_stats(X, w, row_pattern, patterns, plan, ref, kernel):
    """:class:`~gaussmix.engine.SuffStats` of rows with missing entries.

    Parameters
    ----------
    X : ndarray of shape (n, d)
        Rows, NaN where missing.
    w : ndarray of shape (n,) or None
    row_pattern : ndarray of int, shape (n,)
    patterns : ndarray of bool, shape (P, d)
        As :func:`~gaussmix.engine.conditional.missing_patterns`.
    plan : FullPlan
    ref : ndarray of shape (K, d)
        The point each component's moments are centred on.
    kernel : EStepKernel
        Its layout of the second moment is the one returned.

    Returns
    -------
    SuffStats
        Responsibilities from the observed entries' densities; moments of the rows
        completed by their conditional means, plus the conditional covariances in
        the second moment; ``loglik`` the observed-data log-likelihood. The
        re-seeding candidates are the rows completed by the mixture's conditional
        mean.
    """
    d = X.shape[1]
    cond = conditionals(X, patterns, row_pattern, plan)
    log_density, resp = normalise(cond.log_prob)
    wr = resp if w is None else resp * w.astype(np.float64)
    D = cond.deviation
    D += (plan.means - ref)[:, None, :]                       # now x_hat - ref_k
    nk = wr.sum(axis=1)
    s1 = np.einsum("kn,knd->kd", wr, D)
    s2 = np.matmul(np.swapaxes(D * wr[:, :, None], 1, 2), D)
    s2 += scatter_conditional(cond.groups, wr, d)
    D -= (plan.means - ref)[:, None, :]
    if w is None:
        loglik, weight, cand = float(log_density.sum()), float(X.shape[0]), log_density
    else:
        loglik = float(log_density @ w.astype(np.float64))
        weight = float(w.sum(dtype=np.float64))
        cand = np.where(w > 0, log_density, np.inf)
    worst, worst_logp = lowest_rows(cand, cond.completed(plan, resp), plan.means.shape[0])
    finite = np.isfinite(worst_logp)
    return SuffStats(ref, nk, s1, kernel.second_moment_from_full(s2), loglik, weight,
                     worst[finite], worst_logp[finite])


def weighted_log_prob_missing(X, params, chunk=None):
    """``log pi_k + log N(x_o | mu_k,o, Sigma_k,oo)`` of shape (n, K): the components'
    densities of each row's observed entries (all entries for complete rows, which
    take the ordinary path; 0 + log pi_k for a row with none observed).

    Parameters
    ----------
    X : ndarray of shape (n, d)
        NaN where an entry is missing.
    params : MixtureParams
    chunk : int, optional
        Incomplete rows per chunk.

    Returns
    -------
    log_prob : ndarray of shape (n, K), float64
    """
    miss = np.isnan(X)
    incomplete = miss.any(axis=1)
    K, d = params.n_components, params.n_features
    out = np.empty((X.shape[0], K))
    if not incomplete.all():
        out[~incomplete] = weighted_log_prob(X[~incomplete], params)
    rows = np.flatnonzero(incomplete)
    if rows.size:
        plan = full_plan(params)
        patterns, row_pattern = missing_patterns(miss[rows])
        if chunk is None:
            chunk = chunk_size_for(rows.size, K, d, 8, row_values=incomplete_row_values(K, d))
        for start, stop in iter_chunks(rows.size, chunk):
            part = rows[start:stop]
            out[part] = conditionals(X[part], patterns, row_pattern[start:stop], plan).log_prob.T
    return out
