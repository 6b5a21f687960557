"""Names of data columns where the data have none."""

from __future__ import annotations


def default_names(n_features):
    """``["x0", "x1", ...]``: the names gaussmix gives unnamed columns.

    Examples
    --------
    >>> default_names(3)
    ['x0', 'x1', 'x2']
    """
    return [f"x{j}" for j in range(int(n_features))]


def feature_names(estimator, n_features=None):
    """A fitted estimator's column names (``feature_names_in_``), else the defaults.

    Parameters
    ----------
    estimator : fitted estimator
    n_features : int, optional
        Default: ``estimator.n_features_in_``.

    Returns
    -------
    names : list of str
    """
    if hasattr(estimator, "feature_names_in_"):
        return [str(c) for c in estimator.feature_names_in_]
    return default_names(estimator.n_features_in_ if n_features is None else n_features)
