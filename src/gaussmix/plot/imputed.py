"""The picture of imputation: the data over two columns with the entries a fitted
mixture filled in marked, and the components' ellipses they were drawn from."""

from __future__ import annotations

import warnings

import numpy as np

from ..density import marginal
from ..utils.columns import with_feature_names
from ._artists import draw_ellipses
from ._common import (
    SIGMAS,
    as_array,
    check_fitted,
    column_names,
    component_colors,
    new_ax,
    padded_range,
    point_subset,
)
from .columns import resolve_columns

#: How rows are drawn, by which of the two drawn entries was filled in.
_STYLES = {
    "observed": dict(marker="o", color="0.55", label="observed"),
    "x": dict(marker=">", color="tab:red", label="{x} imputed"),
    "y": dict(marker="^", color="tab:purple", label="{y} imputed"),
    "both": dict(marker="*", color="black", label="both imputed"),
}


def plot_imputed(gm, X, ax=None, *, features=(0, 1), method="mean", random_state=None,
                 sigmas=SIGMAS, legend=True):
    """Rows of ``X`` over two columns, their missing entries filled in by ``gm.impute``
    and marked by which of the two was missing.

    Rows observed in both columns are grey dots; a row missing its x entry sits at
    its imputed x (a red triangle pointing along x), one missing y at its imputed y
    (a purple triangle pointing up), one missing both at its imputed point (a black
    star). The components' 1 and 2 sigma ellipses over the two columns show what
    the values were imputed from. Entries missing in other columns do not change
    where a row is drawn, but they change the responsibilities behind its imputed
    values.

    Parameters
    ----------
    gm : fitted GaussianMixture
    X : array-like of shape (n_samples, n_features)
        NaN where an entry is missing (numpy array or DataFrame).
    ax : matplotlib Axes, optional
    features : (int or str, int or str), default=(0, 1)
        The two columns to draw (x, y), by 0-based position or by name.
    method : {"mean", "sample"}, default="mean"
        As :meth:`~gaussmix.GaussianMixture.impute`.
    random_state : int, numpy Generator or None, default=None
        Randomness of ``method="sample"``.
    sigmas : sequence of float, default=(1, 2)
        Mahalanobis radii of the ellipses.
    legend : bool, default=True

    Returns
    -------
    ax : matplotlib Axes
        One :class:`~matplotlib.collections.PathCollection` per kind of row present
        (its ``get_label()`` says which), ``len(sigmas) * n_components`` ellipses.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np, gaussmix
    >>> from gaussmix.plot import plot_imputed
    >>> X = gaussmix.load_faithful()
    >>> X[::10, 1] = np.nan                              # every tenth waiting time
    >>> gm = gaussmix.GaussianMixture(2, missing="em", random_state=0).fit(X)
    >>> ax = plot_imputed(gm, X)
    >>> [c.get_label() for c in ax.collections]
    ['observed', 'x1 imputed']
    """
    A, names = as_array(X)
    check_fitted(gm, A)
    if A.shape[1] < 2:
        raise ValueError("plot_imputed draws two columns, but the model has one feature; "
                         "a histogram of gm.impute(X) shows one column.")
    names = column_names(gm, names, A.shape[1])
    i, j = resolve_columns(list(features), names)
    with warnings.catch_warnings():  # an array for a model fitted on a DataFrame
        warnings.filterwarnings("ignore", message=".*feature names.*")
        filled = gm.impute(with_feature_names(gm, A), method=method,
                           random_state=random_state)
    filled = np.asarray(filled, dtype=np.float64)
    ax = new_ax(ax)
    pair = marginal(gm, [i, j])
    draw_ellipses(ax, pair.means, pair.covariances, component_colors(pair.n_components),
                  sigmas)
    kinds = _kinds(np.isnan(A[:, i]), np.isnan(A[:, j]))
    idx = point_subset(A)
    for kind, style in _STYLES.items():
        rows = idx[kinds[idx] == kind]
        if rows.size:
            ax.scatter(filled[rows, i], filled[rows, j], marker=style["marker"],
                       c=[style["color"]], s=12 if kind == "observed" else 40,
                       alpha=0.6 if kind == "observed" else 0.9, linewidths=0,
                       label=style["label"].format(x=names[i], y=names[j]),
                       zorder=2 if kind == "observed" else 4)
    ax.set_xlim(*padded_range(filled[:, i]))
    ax.set_ylim(*padded_range(filled[:, j]))
    ax.set_xlabel(names[i])
    ax.set_ylabel(names[j])
    if legend:
        ax.legend(fontsize="small", frameon=True, framealpha=0.8, loc="best")
    return ax


def _kinds(miss_x, miss_y):
    """Each row's kind: "observed", "x", "y" or "both" (which drawn entry was missing)."""
    return np.select([miss_x & miss_y, miss_x, miss_y], ["both", "x", "y"], "observed")

