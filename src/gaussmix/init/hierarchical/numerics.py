"""Small numerical kernels of the agglomeration: batched log-determinants and sums of
squares that reproduce numpy's ``einsum`` bit for bit."""

from __future__ import annotations

from functools import cache

import numpy as np


def logdet_batch(A):
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
            sign, ld = np.linalg.slogdet(A)
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


def sumsq_rows(sq):
    """``||d_t||^2`` from the squares ``sq[a] = d[:, a]**2`` (``p <= 3``).

    Added up the way numpy's ``einsum("ij,ij->i", d, d)`` kernel does it (two
    SIMD lanes, zero padding: ``(d_0^2 + d_2^2) + d_1^2``); only used where
    :func:`sumsq_is_einsum` has checked that the results are bitwise equal.
    """
    if len(sq) == 1:
        return sq[0].copy()
    s = sq[0] + sq[-1]
    if len(sq) == 3:
        s += sq[1]
    return s


@cache
def sumsq_is_einsum():
    """Whether :func:`sumsq_rows` reproduces ``einsum`` bitwise here (a property of
    the platform's SIMD kernels, checked once)."""
    rng = np.random.default_rng(20240607)
    ok = True
    for p in (1, 2, 3):
        d = rng.standard_normal((4096, p))
        d *= np.exp2(rng.integers(-40, 40, (4096, p)))
        sq = [d[:, a] * d[:, a] for a in range(p)]
        ok = ok and np.array_equal(np.einsum("ij,ij->i", d, d), sumsq_rows(sq))
    return bool(ok)
