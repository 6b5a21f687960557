"""The sufficient-statistics value of one E-step, and how two of them add.

An E-step over a chunk of rows returns a :class:`SuffStats`; statistics of disjoint
chunks add with ``+`` (associative and commutative), so in-memory arrays, chunked
files, streams, threads and a cluster all reduce the same way. The M-step reads only
a :class:`SuffStats`.

Moments are accumulated *centred* on a reference point per component (the current
means, which every worker already has): ``s1 = sum_n w_n r_nk (x_n - ref_k)`` and
``s2 = sum_n w_n r_nk (x_n - ref_k)(x_n - ref_k)^T``. This keeps the covariance
precise when the data sit far from the origin.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np


@dataclass
class SuffStats:
    """Additive sufficient statistics of a Gaussian mixture E-step.

    Attributes
    ----------
    ref : ndarray of shape (n_components, n_features)
        Reference point each component's moments are centred on.
    nk : ndarray of shape (n_components,)
        Responsibility mass per component, ``sum_n w_n r_nk``.
    s1 : ndarray of shape (n_components, n_features)
        Centred first moment, ``sum_n w_n r_nk (x_n - ref_k)``.
    s2 : ndarray
        Centred second moment, in the layout of the covariance structure's E-step
        kernel (:mod:`gaussmix.covariance.kernels`): (n_components, n_features,
        n_features) for the full kernel; (n_features, n_features) summed over
        components for the shared one; (n_components, n_features) for the diagonal
        one; (n_components,) summed over features for the isotropic one.
    loglik : float
        ``sum_n w_n log p(x_n)`` under the parameters of the E-step.
    weight : float
        ``sum_n w_n``, the total weight (number of rows when unweighted).
    worst : ndarray of shape (m, n_features)
        The ``m <= n_components`` rows with the lowest log-density seen, candidates
        for re-seeding a collapsed component.
    worst_logp : ndarray of shape (m,)
        Their log-densities.
    """

    ref: np.ndarray
    nk: np.ndarray
    s1: np.ndarray
    s2: np.ndarray
    loglik: float
    weight: float
    worst: np.ndarray
    worst_logp: np.ndarray

    def __add__(self, other):
        if not isinstance(other, SuffStats):
            return NotImplemented
        if self.ref is not other.ref and not np.array_equal(self.ref, other.ref):
            raise ValueError("cannot add statistics centred on different reference points")
        rows, logp = merge_worst(self.worst, self.worst_logp, other.worst, other.worst_logp,
                                 self.nk.shape[0])
        return SuffStats(
            ref=self.ref,
            nk=self.nk + other.nk,
            s1=self.s1 + other.s1,
            s2=self.s2 + other.s2,
            loglik=self.loglik + other.loglik,
            weight=self.weight + other.weight,
            worst=rows,
            worst_logp=logp,
        )

    def __radd__(self, other):
        # lets ``sum(stats_iterable)`` start from 0
        if isinstance(other, int) and other == 0:
            return self
        return NotImplemented

    @property
    def mean_loglik(self):
        """Log-likelihood per unit weight: the objective EM monitors."""
        return self.loglik / self.weight


def recentred(stats, ref, kernel):
    """The same statistics with their moments about ``ref`` instead of ``stats.ref``.

    Exact (no approximation, only rounding): with ``delta = ref - stats.ref``,
    ``s1' = s1 - nk delta`` and ``s2' = s2 - s1 delta^T - delta s1^T + nk delta
    delta^T``, in the layout of ``kernel``. Statistics centred on different points
    (say, E-steps under different parameters, as online EM averages them) must be
    brought to one reference before they are added or averaged.

    Parameters
    ----------
    stats : SuffStats
    ref : ndarray of shape (n_components, n_features)
        The new reference points.
    kernel : EStepKernel
        The kernel whose layout ``stats.s2`` has (the structure's ``kernel``).

    Returns
    -------
    SuffStats
        A new value; ``stats`` is not changed.

    Examples
    --------
    >>> import numpy as np
    >>> from gaussmix.covariance import get_structure
    >>> from gaussmix.engine import stats_from_resp
    >>> X = np.array([[0.0], [2.0], [4.0]])
    >>> full = get_structure("full")
    >>> about_0 = stats_from_resp(X, None, np.ones((3, 1)), np.zeros((1, 1)), full)
    >>> about_2 = recentred(about_0, np.array([[2.0]]), full.kernel)
    >>> about_2.s1.tolist(), about_2.s2.tolist()
    ([[0.0]], [[[8.0]]])
    """
    ref = np.asarray(ref, dtype=np.float64)
    shift = ref - stats.ref
    s2 = kernel.shift_second_moment(stats.nk, stats.s1, stats.s2, shift)
    return replace(stats, ref=ref, s1=stats.s1 - stats.nk[:, None] * shift, s2=s2)


def scaled(stats, factor):
    """The statistics of ``factor`` times as much data: masses, moments,
    log-likelihood and weight multiplied by ``factor`` (the reference points and the
    re-seeding candidates unchanged). ``scaled(s, 1 / s.weight)`` gives statistics
    per unit weight; the M-step of a scaled value is the same (the prior's
    pseudo-statistics aside, which count against the weight)."""
    return replace(stats, nk=stats.nk * factor, s1=stats.s1 * factor, s2=stats.s2 * factor,
                   loglik=stats.loglik * factor, weight=stats.weight * factor)


def _lowest(values, m):
    """Indices of the ``m`` smallest entries of ``values`` (all if fewer), sorted."""
    if values.shape[0] <= m:
        return np.argsort(values, kind="stable")
    idx = np.argpartition(values, m - 1)[:m]
    return idx[np.argsort(values[idx], kind="stable")]


def lowest_rows(logp, X, m):
    """The ``m`` rows of ``X`` with the lowest ``logp`` and their values."""
    keep = _lowest(logp, m)
    return X[keep], logp[keep]


def merge_worst(rows_a, logp_a, rows_b, logp_b, m):
    """The ``m`` lowest-density rows of two candidate sets, and their log-densities."""
    logp = np.concatenate([logp_a, logp_b])
    keep = _lowest(logp, m)
    return np.concatenate([rows_a, rows_b])[keep], logp[keep]


@dataclass
class ChunkStats:
    """Statistics of chunks in the E-step's own basis, before :func:`finish`.

    ``raw`` is the E-step kernel's tuple of float64 arrays (for example the
    moments of quadratic features about the plan's centre); it adds element-wise, so
    chunks are summed in this cheap form and turned into a :class:`SuffStats` once
    per pass. The other attributes are those of :class:`SuffStats`.
    """

    raw: tuple
    loglik: float
    weight: float
    worst: np.ndarray
    worst_logp: np.ndarray

    def __add__(self, other):
        rows, logp = merge_worst(self.worst, self.worst_logp, other.worst, other.worst_logp,
                                 self.raw[0].shape[0])
        return ChunkStats(tuple(a + b for a, b in zip(self.raw, other.raw)),
                          self.loglik + other.loglik, self.weight + other.weight, rows, logp)
