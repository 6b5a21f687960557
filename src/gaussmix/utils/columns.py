"""Column names: defaults where the data have none, and calling a model with its own.

pandas is imported only inside the functions that build DataFrames.
"""

from __future__ import annotations

import warnings


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


def named_frame(X, names):
    """``X`` as a pandas DataFrame with these column names; ``X`` itself without pandas.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    names : sequence of str

    Returns
    -------
    frame : pandas.DataFrame, or ``X`` unchanged if pandas is not installed

    Examples
    --------
    >>> named_frame([[1.0, 2.0]], ["a", "b"]).columns.tolist()
    ['a', 'b']
    """
    try:
        import pandas as pd
    except ImportError:
        return X
    return pd.DataFrame(X, columns=list(names))


def with_feature_names(estimator, X):
    """``X`` in the form the estimator was fitted on: with its column names if it has
    any (``feature_names_in_``), so that it does not warn about missing names.

    Parameters
    ----------
    estimator : fitted estimator
    X : array-like of shape (n_samples, n_features)

    Returns
    -------
    X : pandas.DataFrame or the input unchanged
    """
    if hasattr(estimator, "feature_names_in_"):
        return named_frame(X, estimator.feature_names_in_)
    return X


def call_with_feature_names(estimator, method, X):
    """``estimator.method(X)`` with ``X`` given the estimator's column names.

    For drawing and reporting on plain arrays: a model fitted on a DataFrame is
    called with a DataFrame of its own column names (so the result does not depend on
    how the caller holds the data), and any warning about feature names that remains
    (without pandas) is silenced.

    Parameters
    ----------
    estimator : fitted estimator
    method : str
        Name of the method, e.g. ``"predict"`` or ``"score_samples"``.
    X : array-like of shape (n_samples, n_features)

    Returns
    -------
    What the method returns.

    Examples
    --------
    >>> import gaussmix
    >>> X = gaussmix.load_faithful(as_frame=True)
    >>> gm = gaussmix.GaussianMixture(2, random_state=0).fit(X)
    >>> call_with_feature_names(gm, "predict", X.to_numpy()[:3]).shape   # no warning
    (3,)
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*feature names.*")
        return getattr(estimator, method)(with_feature_names(estimator, X))
