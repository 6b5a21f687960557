"""Candidates whose covariance is singular before ``reg_covar``: empty cells, as
mclust leaves them.

On data with repeated values (measurements rounded to 0.1 cm, as iris) a component
can settle on rows that share a value, with no variance in that column; ``reg_covar``
alone keeps it finite, the likelihood is then huge, and BIC would choose it. mclust
gives such a candidate no BIC: on iris its table is empty for VEE with 7 and 9
components, exactly the two cells this test finds there.
"""

from __future__ import annotations

import numpy as np

from ..covariance import DataScale, get_structure
from ..covariance.linalg import collapse_tol
from ..utils.missing import complete_with_column_means
from .fitting import Fitted

#: The note of an empty cell this module makes.
SINGULAR_NOTE = ("singular: a covariance has no variance of its own in some direction "
                 "(reg_covar alone keeps it finite); mclust leaves this cell empty")


def singular(gm, scale, dtype):
    """Whether a fitted candidate has a covariance that is singular before
    ``reg_covar``, relative to the spread ``scale`` (a
    :class:`~gaussmix.covariance.DataScale`) of the rows it was fitted on, in the
    precision of ``dtype`` (or could not be fitted: None). MAP fits (``prior``)
    cannot be singular."""
    if gm is None:
        return True
    if gm.prior_ is not None:
        return False
    K, d = gm.means_.shape
    full = get_structure("full")
    cov = get_structure(gm.covariance_type).to_full(gm.covariances_, K, d)
    cov_raw = cov - gm.reg_covar * np.eye(d)
    return bool(full.collapsed(cov_raw, K, scale, collapse_tol(dtype)).any())


def empty_singular_cells(results, X, w):
    """``results`` (:class:`~gaussmix.selection.fitting.Fitted`) with every singular
    maximum-likelihood candidate made an empty cell with :data:`SINGULAR_NOTE`;
    unchanged when no regular candidate would be left (degenerate data, e.g. a
    constant column, still get a working fit, held finite by ``reg_covar``)."""
    fitted = [r.gm for r in results if r.gm is not None and r.gm.prior_ is None]
    if not fitted:
        return results
    rows = np.asarray(X, dtype=fitted[0].means_.dtype)
    rows = rows[:, None] if rows.ndim == 1 else rows
    # missing="em": the scale of the mean-completed rows, as each fit's own
    scale = DataScale.from_rows(complete_with_column_means(rows, w), w)
    flags = [r.gm is not None and singular(r.gm, scale, rows.dtype) for r in results]
    if all(flag or r.gm is None for flag, r in zip(flags, results)):
        return results
    return [Fitted(None, np.nan, np.nan, None, SINGULAR_NOTE) if flag else r
            for flag, r in zip(flags, results)]
