"""Rows with missing entries (NaN) completed by their columns' observed means: what
the missing-value EM's starts and the data's scale are computed from (the EM itself
reads the rows as they are, :mod:`gaussmix.engine.missing`)."""

from __future__ import annotations

import numpy as np


def column_means(X, w=None):
    """Mean of each column over its observed (non-NaN) entries, weighted by ``w``.

    Examples
    --------
    >>> column_means(np.array([[1.0, np.nan], [3.0, 4.0]])).tolist()
    [2.0, 4.0]
    """
    observed = ~np.isnan(X)
    weights = observed.astype(np.float64)
    if w is not None:
        weights *= w[:, None]
    filled = np.where(observed, X, 0.0).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):  # an all-NaN column: NaN
        return (filled * weights).sum(axis=0) / weights.sum(axis=0)


def complete_with_column_means(X, w=None):
    """``X`` with each NaN replaced by its column's observed mean (weights ``w``), in
    ``X``'s dtype; ``X`` itself when nothing is missing.

    Examples
    --------
    >>> complete_with_column_means(np.array([[1.0, np.nan], [3.0, 4.0]])).tolist()
    [[1.0, 4.0], [3.0, 4.0]]
    """
    miss = np.isnan(X)
    if not miss.any():
        return X
    return np.where(miss, column_means(X, w).astype(X.dtype), X)
