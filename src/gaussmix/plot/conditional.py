"""The conditional mean of one column given another, with its interval, over the data:
mixture regression drawn (:mod:`gaussmix.density.conditional`)."""

from __future__ import annotations

import numpy as np

from ..density import conditional_mean, conditional_quantiles, marginal
from ..density.parameters import refuse_noise
from ..density.columns import column_positions, mixture_names
from ._common import as_array, check_fitted, column_names, new_ax, padded_range, point_subset


def plot_conditional(gm, x_column, y_column, X=None, ax=None, *, level=0.9, n_points=200,
                     x_range=None, point_size=None):
    """``E[y | x]`` as a curve with a central interval of ``y | x``, over the data.

    Both come from the model's two-column marginal over ``(x_column, y_column)``
    (the other columns integrated out), conditioned on x: the curve is the
    conditional mixture's mean, the band between its ``(1 - level) / 2`` and ``(1 +
    level) / 2`` quantiles (where components overlap the conditional is skewed or
    has two peaks, and the band follows it, unlike mean +- 2 std).

    Parameters
    ----------
    gm : fitted GaussianMixture
    x_column, y_column : int or str
        The conditioning column and the predicted one: 0-based positions, or names
        for a model fitted on a DataFrame.
    X : array-like of shape (n_samples, n_features), optional
        Data drawn as points, with the model's columns; it also sets the x range.
    ax : matplotlib Axes, optional
    level : float, default=0.9
        Probability of the band, in (0, 1).
    n_points : int, default=200
        Points of the curve along x.
    x_range : (float, float), optional
        Default: the data's range, padded; without data, 3 standard deviations
        around the lowest and highest component of the x marginal.
    point_size : float, optional

    Returns
    -------
    ax : matplotlib Axes
        ``ax.lines[0]`` is the curve (label ``"E[y | x]"`` with the columns'
        names), ``ax.collections`` hold the points (given ``X``) and the band.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np, gaussmix
    >>> from gaussmix.plot import plot_conditional
    >>> X = gaussmix.load_faithful(as_frame=True)
    >>> gm = gaussmix.GaussianMixture(2, random_state=0).fit(X)
    >>> ax = plot_conditional(gm, "eruptions", "waiting", X)
    >>> x, y = ax.lines[0].get_data()
    >>> bool(np.allclose(y, gm.conditional_mean("eruptions", x)[:, 0]))
    True
    """
    if not hasattr(gm, "means_"):
        raise ValueError("the model is not fitted; call fit(X) first.")
    refuse_noise(gm, "plot_conditional")
    if not 0 < level < 1:
        raise ValueError(f"level must be a probability between 0 and 1, got {level!r}.")
    d = gm.means_.shape[1]
    i, j = column_positions([x_column, y_column], mixture_names(gm), d)
    pair = marginal(gm, [i, j])
    A, names = (None, None) if X is None else as_array(X)
    if A is not None:
        check_fitted(gm, A)
    names = column_names(gm, names, d)
    lo, hi = x_range if x_range is not None else _x_range(pair, A, i)
    grid = np.linspace(lo, hi, int(n_points))
    ax = new_ax(ax)
    if A is not None:
        idx = point_subset(A)
        ax.scatter(A[idx, i], A[idx, j], s=point_size or (12 if len(idx) < 1000 else 4),
                   color="0.45", alpha=0.6, linewidths=0, zorder=1, label="data")
    band = conditional_quantiles(pair, 0, grid, [(1 - level) / 2, (1 + level) / 2])
    ax.fill_between(grid, band[:, 0], band[:, 1], color="tab:blue", alpha=0.22, zorder=2,
                    label=f"{level:.0%} interval")
    ax.plot(grid, conditional_mean(pair, 0, grid)[:, 0], color="tab:blue", linewidth=2,
            zorder=3, label=f"E[{names[j]} | {names[i]}]")
    ax.set_xlim(lo, hi)
    ax.set_xlabel(names[i])
    ax.set_ylabel(names[j])
    ax.set_title(f"{names[j]} given {names[i]}", fontsize="medium")
    ax.legend(fontsize="small", frameon=False)
    return ax


def _x_range(pair, A, i):
    """The data's padded range of column ``i``, else the x marginal's components' +-3
    standard deviations."""
    if A is not None:
        return padded_range(A[:, i])
    sd = np.sqrt(pair.covariances[:, 0, 0])
    return float(np.min(pair.means[:, 0] - 3 * sd)), float(np.max(pair.means[:, 0] + 3 * sd))
