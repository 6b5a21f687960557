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

from dataclasses import dataclass

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
