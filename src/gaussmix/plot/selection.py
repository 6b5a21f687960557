"""The model-selection picture: a criterion against K, one line per covariance type."""

from __future__ import annotations

import numpy as np

from ..covariance import COVARIANCE_TYPES
from ._common import new_ax

#: Criteria the picture can draw (columns of a selection table).
CRITERIA = ("bic", "aic", "icl")
#: Marker shapes of the curves, by the type's position in COVARIANCE_TYPES (so a type
#: keeps its look whichever types a table holds): 18 different shapes, filled for the
#: first nine positions and hollow after, as mclust's BIC plot mixes filled and open
#: symbols. The star is left for the best candidate.
MARKERS = ("o", "^", "D", "s", "v", "P", "h", "X", "p", "<", ">", "d", "8", "H", "x", "+",
           "1", "2")
#: Positions from this one on get hollow markers.
FILLED = 9
#: Line styles, cycled with the position: neighbours in the legend never share one.
LINESTYLES = ("-", "--", "-.", ":")
#: Curve colours: tab10, then eight darker ones, so that 18 curves (mclust's 14
#: models and scikit-learn's four names) all differ.
COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
          "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#1a237e", "#b8860b", "#006d6f",
          "#6a1b9a", "#5d4037", "#880e4f", "#33691e")
#: More curves than this move the legend below the axes, in columns.
LEGEND_INSIDE_MAX = 6
#: Columns of a legend below the axes: four fit under one of the report's two
#: panels (5.5 inches) with the star's longer label.
LEGEND_COLUMNS = 4


def plot_selection(result, ax=None, *, criterion=None, zoom=True):
    """BIC (or AIC, or ICL) against the number of components, one line per covariance type.

    Each covariance type keeps one colour, marker (filled or hollow) and line style,
    chosen by its place in ``gaussmix.covariance.COVARIANCE_TYPES``, so 14 or more
    curves stay apart, as in mclust's BIC plot. Up to 6 curves the legend sits in the
    axes; with more it goes below them, in columns.

    Parameters
    ----------
    result : SelectionResult or pandas.DataFrame
        What :func:`gaussmix.select` returned, or its ``table_``.
    ax : matplotlib Axes, optional
    criterion : {"bic", "aic", "icl"}, optional
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
    >>> res = gaussmix.select(gaussmix.load_faithful(), range(1, 4),
    ...                       ("full", "diag", "spherical", "tied"), progress=False,
    ...                       random_state=0)
    >>> len(plot_selection(res).lines)   # 4 covariance types and the star
    5
    >>> plot_selection(res, criterion="icl").get_ylabel()
    'ICL (lower is better)'
    """
    table = getattr(result, "table_", result)
    criterion = criterion or getattr(result, "criterion", "bic")
    if criterion not in CRITERIA:
        raise ValueError(f"criterion={criterion!r} is not supported; use one of "
                         f"{', '.join(repr(c) for c in CRITERIA)}.")
    if criterion not in table:
        raise ValueError(f"the table has no {criterion!r} column; select() writes it.")
    ax = new_ax(ax)
    types = list(dict.fromkeys(table["covariance_type"]))
    for t in types:
        sub = table[table["covariance_type"] == t].sort_values("n_components")
        ax.plot(sub["n_components"], sub[criterion], linewidth=1.4, markersize=5, label=t,
                **_style(t, types))
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
    _legend(ax, len(types))
    ax.grid(alpha=0.3)
    return ax


def _position(covariance_type, types):
    """The known types by their place in COVARIANCE_TYPES, others after them."""
    order = list(COVARIANCE_TYPES) + [t for t in types if t not in COVARIANCE_TYPES]
    return order.index(covariance_type)


def _style(covariance_type, types):
    """Colour, marker, fill and line style of a type's curve, from its position."""
    i = _position(covariance_type, types)
    color = COLORS[i % len(COLORS)]
    hollow = i % len(MARKERS) >= FILLED
    return {"color": color, "marker": MARKERS[i % len(MARKERS)],
            "markerfacecolor": "white" if hollow else color, "markeredgecolor": color,
            "linestyle": LINESTYLES[i % len(LINESTYLES)]}


def _legend(ax, n_curves):
    """In the axes for a few curves; below them in columns for many (mclust's 14)."""
    if n_curves <= LEGEND_INSIDE_MAX:
        ax.legend(fontsize="small", frameon=False)
        return
    ncol = min(n_curves + 1, LEGEND_COLUMNS)  # the curves and the star
    ax.legend(fontsize="small", frameon=False, loc="upper center", ncol=ncol,
              bbox_to_anchor=(0.5, -0.16), columnspacing=1.0, handlelength=2.6)


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
