"""The model-selection picture: a criterion against K, one line per covariance type."""

from __future__ import annotations

import numpy as np

from ..covariance import COVARIANCE_TYPES
from ._common import new_ax

#: Markers of the covariance types' lines, by the type's position in COVARIANCE_TYPES
#: (so a type keeps its marker whichever types a table holds), cycled beyond.
MARKERS = ("o", "^", "D", "s", "v", "P", "h", "*")


def plot_selection(result, ax=None, *, criterion=None, zoom=True):
    """BIC (or AIC) against the number of components, one line per covariance type.

    Parameters
    ----------
    result : SelectionResult or pandas.DataFrame
        What :func:`gaussmix.select` returned, or its ``table_``.
    ax : matplotlib Axes, optional
    criterion : {"bic", "aic"}, optional
        Default: the criterion the selection used (BIC for a bare table).
    zoom : bool, default=True
        Limit the y-axis to the lower part of the values, where the choice is made
        (up to their median, and at least up to every covariance type's own lowest
        value, so each curve shows); far worse candidates run off the top. False:
        show every value.

    Returns
    -------
    ax : matplotlib Axes
        One line per covariance type, and a star on the lowest value (the best
        candidate; lower is better, scikit-learn's sign).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import gaussmix
    >>> from gaussmix.plot import plot_selection
    >>> res = gaussmix.select(gaussmix.load_faithful(), range(1, 4), progress=False,
    ...                       random_state=0)
    >>> len(plot_selection(res).lines)   # 4 covariance types and the star
    5
    """
    table = getattr(result, "table_", result)
    criterion = criterion or getattr(result, "criterion", "bic")
    if criterion not in ("bic", "aic"):
        raise ValueError(f"criterion={criterion!r} is not supported; use 'bic' or 'aic'.")
    ax = new_ax(ax)
    types = list(dict.fromkeys(table["covariance_type"]))
    for t in types:
        sub = table[table["covariance_type"] == t].sort_values("n_components")
        ax.plot(sub["n_components"], sub[criterion], marker=_marker(t, types), linewidth=1.6,
                markersize=5, label=t)
    values = table[criterion].to_numpy(dtype=np.float64)
    best = int(np.nanargmin(np.where(np.isfinite(values), values, np.nan)))
    row = table.iloc[best]
    ax.plot([row["n_components"]], [row[criterion]], marker="*", markersize=18, color="gold",
            markeredgecolor="black", linestyle="", zorder=5,
            label=f"best: K={row['n_components']}, {row['covariance_type']}")
    if zoom:
        _zoom(ax, table, criterion, values)
    ax.set_xlabel("number of components K")
    ax.set_ylabel(f"{criterion.upper()} (lower is better)")
    ax.set_xticks(sorted(set(int(k) for k in table["n_components"])))
    ax.legend(fontsize="small", frameon=False)
    ax.grid(alpha=0.3)
    return ax


def _marker(covariance_type, types):
    """The known types by their place in COVARIANCE_TYPES, others after them."""
    order = list(COVARIANCE_TYPES) + [t for t in types if t not in COVARIANCE_TYPES]
    return MARKERS[order.index(covariance_type) % len(MARKERS)]


def _zoom(ax, table, criterion, values):
    """Limit the y-axis to where the choice is made: from the lowest value up to the
    median, and at least up to every covariance type's own lowest value."""
    finite = np.sort(values[np.isfinite(values)])
    if finite.size < 5:
        return
    lo = finite[0]
    type_best = [np.nanmin(np.where(np.isfinite(v), v, np.nan)) for _, v in
                 table.groupby("covariance_type", sort=False)[criterion]]
    hi = max(np.quantile(finite, 0.5), np.nanmax(type_best))
    hi += 0.08 * (hi - lo)
    if lo < hi < finite[-1]:
        ax.set_ylim(lo - 0.06 * (hi - lo), hi)
