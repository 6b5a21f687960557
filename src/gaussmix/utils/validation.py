"""Input checks that turn every user mistake into one clear sentence.

Everything a user passes in goes through here once, at the public boundary;
the numerical core then assumes finite, 2-D, floating-point arrays.
"""

from __future__ import annotations

import numbers

import numpy as np
from scipy import sparse
from sklearn.utils.validation import validate_data


def check_int(value, name, *, low=None, high=None):
    """Return ``value`` as int if it is an integer in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} of type {type(value).__name__}.")
    if low is not None and value < low:
        raise ValueError(f"{name} must be >= {low}, got {value}.")
    if high is not None and value > high:
        raise ValueError(f"{name} must be <= {high}, got {value}.")
    return int(value)


def check_real(value, name, *, low=None, strict=False):
    """Return ``value`` as float if it is a real number ``>= low`` (``> low`` if strict)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} of type {type(value).__name__}.")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}.")
    if low is not None and (value <= low if strict else value < low):
        raise ValueError(f"{name} must be {'>' if strict else '>='} {low}, got {value}.")
    return value


def _with_missing_option(estimator):
    """The estimator to pass ``missing="em"`` to: this one if it takes the option, else
    GaussianMixture."""
    has_option = estimator is not None and "missing" in getattr(estimator, "get_params",
                                                                   dict)()
    return type(estimator).__name__ if has_option else "GaussianMixture"


def _finite_or_raise(X, what, allow_nan=False, estimator=None):
    if X.dtype.kind != "f" or np.isfinite(X).all():
        return
    if np.isinf(X).any():
        raise ValueError(f"{what} contains infinity; gaussmix fits finite values only: drop "
                         "those rows or replace the values first.")
    if not allow_nan:
        raise ValueError(
            f"{what} contains NaN (missing values): pass missing=\"em\" to "
            f"{_with_missing_option(estimator)} to fit and score them exactly, or drop or "
            "impute those rows first (e.g. DataFrame.dropna())."
        )


def check_X(estimator, X, *, reset, what="X", allow_nan=False):
    """Validate the data matrix for ``fit`` (``reset=True``) or for later calls.

    Parameters
    ----------
    estimator : BaseEstimator
        Records ``n_features_in_`` / ``feature_names_in_`` when ``reset`` is True and
        checks them otherwise.
    X : array-like of shape (n_samples, n_features)
        Numeric data: numpy array, pandas DataFrame or nested lists.
    reset : bool
        True at fit time.
    allow_nan : bool, default=False
        Let NaN (missing entries) through; infinity is refused either way.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float64 or float32
        float32 input stays float32; anything else becomes float64. Not copied when the
        input already has one of these dtypes.
    """
    if X is None:
        raise ValueError(f"{what} is None: pass a 2-D array-like of shape (n_samples, n_features).")
    if _is_chunked_source(X):
        raise TypeError(f"{what} is a {type(X).__name__}, read in chunks, which this estimator "
                        "cannot fit; GaussianMixture can, or read the rows into memory first "
                        "(numpy.asarray, or .compute() for Dask data).")
    if sparse.issparse(X):
        raise TypeError(f"{what} is a sparse matrix; gaussmix needs dense data: call "
                        f"{what}.toarray() first.")
    try:
        X = validate_data(
            estimator,
            X,
            reset=reset,
            dtype=[np.float64, np.float32],
            ensure_all_finite=False,
            ensure_min_samples=1,
            accept_sparse=False,
        )
    except TypeError as exc:
        msg = str(exc)
        raise TypeError(
            f"{what} contains non-numeric values ({msg}); select the numeric columns "
            "(e.g. DataFrame.select_dtypes('number'))."
        ) from exc
    except ValueError as exc:
        msg = str(exc)
        if "could not convert" in msg or "Unable to convert" in msg or "dtype" in msg and "object" in msg:
            raise ValueError(
                f"{what} contains non-numeric values ({msg}); select the numeric columns "
                "(e.g. DataFrame.select_dtypes('number'))."
            ) from exc
        if "0 sample" in msg:
            raise ValueError(
                f"{what} is empty ({msg}); pass at least one row of data."
            ) from exc
        if "0 feature" in msg:
            raise ValueError(
                f"{what} has no columns ({msg}); pass at least one numeric feature."
            ) from exc
        raise
    _finite_or_raise(X, what, allow_nan, estimator)
    return X


def _is_chunked_source(X):
    """Whether ``X`` is data read in chunks (a FileSource, a Dask collection), which
    only estimators that read sources take (memmaps are arrays: read whole here)."""
    return (hasattr(X, "n_samples") and hasattr(X, "chunks")) or \
        type(X).__module__.split(".")[0] == "dask"


def refuse_chunked(X, what):
    """A TypeError when ``X`` is read in chunks (a FileSource, Dask data), which
    ``what`` needs in memory."""
    if _is_chunked_source(X):
        raise TypeError(f"{what} needs the rows in memory, and X is a {type(X).__name__}, read "
                        "in chunks; read it first (pandas.read_parquet, pandas.read_csv or "
                        "numpy.load for a file, .compute() for Dask data; a random sample of "
                        "the rows for a file too large for memory).")


def check_sample_weight(sample_weight, n_samples, dtype):
    """Validate ``sample_weight``; return an array of shape (n_samples,) or None.

    Weights must be finite, non-negative and not all zero. ``None`` means unit weights.
    The caller's array is never modified.
    """
    if sample_weight is None:
        return None
    try:
        w = np.asarray(sample_weight, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"sample_weight must be numeric ({exc}).") from exc
    if w.ndim == 0:
        w = np.full(n_samples, float(w))
    if w.ndim != 1 or w.shape[0] != n_samples:
        raise ValueError(
            f"sample_weight has shape {w.shape} but X has {n_samples} rows; "
            "pass one weight per row, shape (n_samples,)."
        )
    if not np.isfinite(w).all():
        raise ValueError("sample_weight contains NaN or infinity; pass finite non-negative weights.")
    if (w < 0).any():
        raise ValueError("sample_weight contains negative values; weights must be >= 0.")
    if not (w > 0).any():
        raise ValueError("sample_weight is all zero; at least one row needs a positive weight.")
    return w.astype(dtype, copy=False)
