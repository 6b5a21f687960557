"""Missing entries (NaN) in a Gaussian mixture's data: the ``missing`` parameter, the
checks of data to be fitted with them, and imputation from a fitted mixture.

``GaussianMixture(missing="em")`` fits data with NaN by exact EM on the observed
entries (:mod:`gaussmix.engine.missing`); its ``score_samples`` on a row with NaN is
the marginal density of the row's observed entries, and :func:`impute` fills the
missing entries from the conditional distribution given the observed ones.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ..density.parameters import refuse_noise
from ..engine import ArraySource
from ..engine.conditional import conditionals, full_plan, missing_patterns
from ..engine.estep import normalise
from ..engine.missing import MissingSource, incomplete_row_values
from ..engine.sources import chunk_size_for, iter_chunks
from ..utils.random import as_generator
from ..utils.validation import check_X

#: The values of ``GaussianMixture(missing=...)``.
MISSING_OPTIONS = (None, "error", "em")
#: The values of ``impute(method=...)``.
IMPUTE_METHODS = ("mean", "sample")


def check_missing_option(missing):
    """``missing`` if it is one of :data:`MISSING_OPTIONS`, else a ValueError.

    Examples
    --------
    >>> check_missing_option("em")
    'em'
    """
    if not (missing is None or isinstance(missing, str)) or missing not in MISSING_OPTIONS:
        raise ValueError(f"missing={missing!r} is not supported; use None or 'error' (NaN is "
                         "an error) or 'em' (fit and score data with NaN by EM on the "
                         "observed entries).")
    return missing


def allows_missing(missing):
    """Whether the ``missing`` option lets NaN through."""
    return check_missing_option(missing) == "em"


def fit_source(X, w):
    """The source a fit with ``missing="em"`` reads: an ordinary
    :class:`~gaussmix.engine.ArraySource` when ``X`` has no NaN (the fit is then the
    ordinary one, bit for bit), else a :class:`~gaussmix.engine.missing.MissingSource`
    after checking that every row and every column has an observed entry.
    """
    if not np.isnan(X).any():
        return ArraySource(X, w)
    check_observed(X, w)
    return MissingSource(X, w)


def check_observed(X, w=None):
    """A clear ValueError unless every row (of positive weight) and every column of
    ``X`` has an observed (non-NaN) entry."""
    miss = np.isnan(X)
    empty_rows = miss.all(axis=1) if w is None else miss.all(axis=1) & (w > 0)
    if empty_rows.any():
        first = int(np.flatnonzero(empty_rows)[0])
        raise ValueError(f"X has {int(empty_rows.sum())} row(s) with no observed value (all "
                         f"NaN; the first is row {first}); they carry no information about "
                         "the mixture: drop them first (e.g. DataFrame.dropna(how='all')).")
    observed = ~miss if w is None else ~miss & (w[:, None] > 0)
    empty_columns = ~observed.any(axis=0)
    if empty_columns.any():
        raise ValueError(f"X's column(s) {np.flatnonzero(empty_columns).tolist()} have no "
                         "observed value (all NaN); a mixture cannot be fitted to them: drop "
                         "those columns.")


def impute_like(model, X, method="mean", random_state=None):
    """:func:`impute` for a fitted mixture and any array-like ``X``: the result has
    ``X``'s form (a DataFrame keeps its index and columns; ``X``'s float dtype)."""
    check_is_fitted(model, "means_")
    refuse_noise(model, "impute()")
    Xc = check_X(model, X, reset=False, allow_nan=True)
    filled = impute(model._get_params(), Xc, method, random_state, model.chunk_size)
    filled = filled.astype(Xc.dtype, copy=False)
    if hasattr(X, "iloc") and hasattr(X, "columns"):
        return type(X)(filled, index=X.index, columns=X.columns)
    return filled


def impute(params, X, method="mean", random_state=None, chunk=None):
    """Fill the missing entries (NaN) of ``X`` from a mixture's conditional distribution.

    Parameters
    ----------
    params : MixtureParams
    X : ndarray of shape (n_samples, n_features)
        NaN where an entry is missing; a row may miss any entries, all included.
    method : {"mean", "sample"}, default="mean"
        ``"mean"``: the conditional mean ``E[x_m | x_o] = sum_k p(k | x_o) E[x_m | x_o,
        k]`` (the best guess in squared error). ``"sample"``: one draw from the
        conditional distribution, a mixture of Gaussians with weights ``p(k | x_o)``
        (for multiple imputation).
    random_state : int, numpy Generator or None, default=None
        Randomness of ``"sample"``.
    chunk : int, optional
        Incomplete rows per chunk.

    Returns
    -------
    X_filled : ndarray of shape (n_samples, n_features), float64
        A new array; observed entries as in ``X``.
    """
    if method not in IMPUTE_METHODS:
        raise ValueError(f"method={method!r} is not supported; use 'mean' (conditional mean) "
                         "or 'sample' (a draw from the conditional distribution).")
    out = np.array(X, dtype=np.float64)
    miss = np.isnan(out)
    rows = np.flatnonzero(miss.any(axis=1))
    if not rows.size:
        return out
    rng = as_generator(random_state) if method == "sample" else None
    plan = full_plan(params)
    patterns, row_pattern = missing_patterns(miss[rows])
    K, d = plan.means.shape
    if chunk is None:
        chunk = chunk_size_for(rows.size, K, d, 8, row_values=incomplete_row_values(K, d))
    for start, stop in iter_chunks(rows.size, chunk):
        part = rows[start:stop]
        cond = conditionals(out[part], patterns, row_pattern[start:stop], plan)
        _, resp = normalise(cond.log_prob)
        if rng is None:
            filled = cond.completed(plan, resp)
        else:
            filled = _draw(cond, plan, resp, rng)
        out[part] = np.where(miss[part], filled, out[part])
    return out


def _draw(cond, plan, resp, rng):
    """Rows (n, d) whose missing entries are one draw from their conditional
    distribution: a component by its responsibility, then its conditional Gaussian."""
    K, n = resp.shape
    u = rng.random(n)
    # the first component whose cumulative responsibility passes u (clipped: rounding
    # may leave the total a hair below 1)
    k = np.minimum((np.cumsum(resp, axis=0) < u).sum(axis=0), K - 1)
    rows = np.arange(n)
    out = cond.deviation[k, rows] + plan.means[k]
    for g in cond.groups:
        c = g.columns.shape[1]
        if c == 0:
            continue
        z = rng.standard_normal((g.rows.size, c))
        factor = g.cond_factor[k[g.rows], g.local]                  # (r, c, c)
        noise = np.einsum("rij,rj->ri", factor, z)
        cols = g.columns[g.local]
        sub = out[g.rows]
        np.put_along_axis(sub, cols, np.take_along_axis(sub, cols, axis=1) + noise, axis=1)
        out[g.rows] = sub
    return out
