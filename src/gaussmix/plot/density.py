"""Pictures of the fitted density over the data: 1-D, 2-D, a grid of pairs, and the
one that suits the data's dimension."""

from __future__ import annotations

import numpy as np

from ..density import component_densities, density, marginal
from ..utils.columns import call_with_feature_names
from ._artists import draw_ellipses, histogram_edges
from ._common import (
    SIGMAS,
    as_array,
    check_fitted,
    column_names,
    component_colors,
    label_colors,
    new_ax,
    padded_range,
    point_subset,
    pyplot,
)
from .columns import ColumnChoice, pair_columns


def plot_density_1d(gm, X, ax=None, *, feature=0, bins="auto", components=True):
    """Histogram of one feature with the fitted density and each weighted component.

    For a model with more than one feature the curves are the marginal densities of
    ``feature``.

    Parameters
    ----------
    gm : fitted GaussianMixture
    X : array-like of shape (n_samples, n_features)
    ax : matplotlib Axes, optional
        Where to draw; default a new figure's axes.
    feature : int, default=0
        Column to draw.
    bins : int or str, default="auto"
        Histogram bins (as :func:`numpy.histogram_bin_edges`).
    components : bool, default=True
        Also draw ``weights_[k] * N(x; mean_k, var_k)`` for every component.

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import gaussmix
    >>> from gaussmix.plot import plot_density_1d
    >>> X = gaussmix.load_faithful()[:, :1]
    >>> gm = gaussmix.GaussianMixture(2, random_state=0).fit(X)
    >>> ax = plot_density_1d(gm, X)
    >>> len(ax.lines)            # the mixture and its 2 components
    3
    """
    A, names = as_array(X)
    check_fitted(gm, A)
    names = column_names(gm, names, A.shape[1])
    ax = new_ax(ax)
    x = A[:, feature]
    ax.hist(x, bins=histogram_edges(x, bins), density=True, color="0.75", edgecolor="white",
            label="data")
    lo, hi = padded_range(x)
    grid = np.linspace(lo, hi, 400)
    comp = component_densities(gm, grid[:, None], columns=[feature])
    colors = component_colors(len(comp))
    ax.plot(grid, comp.sum(axis=0), color="black", linewidth=3.0, alpha=0.8,
            label="mixture density", zorder=5)
    if components:
        for k in range(len(comp)):
            ax.fill_between(grid, comp[k], color=colors[k], alpha=0.18, linewidth=0, zorder=3)
            ax.plot(grid, comp[k], color=colors[k], linewidth=1.6, linestyle="--", zorder=6,
                    label=f"component {k} (weight {gm.weights_[k]:.2f})")
    ax.set_xlim(lo, hi)
    ax.set_ylim(bottom=0)
    ax.set_xlabel(names[feature])
    ax.set_ylabel("density")
    ax.legend(fontsize="small", frameon=False)
    return ax


def plot_density_2d(gm, X, ax=None, *, features=(0, 1), sigmas=SIGMAS, contours=True,
                    levels=(0.05, 0.25, 0.5, 0.75, 0.95), legend=True, point_size=None):
    """Points coloured by most likely component, density contours and component ellipses.

    Parameters
    ----------
    gm : fitted GaussianMixture
    X : array-like of shape (n_samples, n_features)
    ax : matplotlib Axes, optional
    features : (int, int), default=(0, 1)
        The two columns to draw (x, y). With more than two features the contours and
        ellipses are those of the 2-D marginal mixture, and points are coloured by
        the most likely component given all features.
    sigmas : sequence of float, default=(1, 2)
        Mahalanobis radii of the ellipses drawn per component (1 and 2 standard
        deviations along each principal axis).
    contours : bool, default=True
        Draw density contours.
    levels : sequence of float, default=(0.05, 0.25, 0.5, 0.75, 0.95)
        Contours at these quantiles of the density over the data points (the 0.05
        contour encloses about 95% of the rows).
    legend : bool, default=True
    point_size : float, optional
        Marker size; default chosen from the number of rows.

    Returns
    -------
    ax : matplotlib Axes
        ``len(ax.patches) == len(sigmas) * n_components`` ellipses; one
        :class:`~matplotlib.collections.PathCollection` of points and one of means.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import gaussmix
    >>> from gaussmix.plot import plot_density_2d
    >>> X = gaussmix.load_faithful()
    >>> gm = gaussmix.GaussianMixture(2, random_state=0).fit(X)
    >>> ax = plot_density_2d(gm, X)
    >>> len(ax.patches)          # 1 and 2 sigma ellipses of 2 components
    4
    """
    A, names = as_array(X)
    check_fitted(gm, A)
    if A.shape[1] < 2:
        raise ValueError("plot_density_2d needs at least 2 features; use plot_density_1d.")
    names = column_names(gm, names, A.shape[1])
    i, j = features
    ax = new_ax(ax)
    colors = np.asarray(component_colors(gm.means_.shape[0]))
    labels = np.asarray(call_with_feature_names(gm, "predict", A))
    idx = point_subset(A)
    s = point_size if point_size is not None else (14 if len(idx) < 1000 else 5)
    ax.scatter(A[idx, i], A[idx, j], c=label_colors(colors, labels[idx]), s=s, alpha=0.75, linewidths=0,
               zorder=2)
    xlim, ylim = padded_range(A[:, i]), padded_range(A[:, j])
    pair = marginal(gm, [i, j])
    if contours:
        _density_contours(ax, pair, A[idx][:, [i, j]], xlim, ylim, levels)
    draw_ellipses(ax, pair.means, pair.covariances, colors, sigmas)
    ax.scatter(pair.means[:, 0], pair.means[:, 1], marker="X", s=90, c=colors,
               edgecolors="black", linewidths=1.0, zorder=6)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel(names[i])
    ax.set_ylabel(names[j])
    if legend:
        _legend_2d(ax, gm.weights_, colors, contours)
    return ax


def _density_contours(ax, pair, points, xlim, ylim, levels):
    """Contours of a 2-D mixture at the ``levels`` quantiles of its density at
    ``points`` (the drawn rows), on a 160 x 160 grid."""
    gx, gy = np.meshgrid(np.linspace(*xlim, 160), np.linspace(*ylim, 160))
    dens = density(pair, np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    lv = np.unique(np.quantile(density(pair, points), sorted(levels)))
    lv = lv[lv > 0]
    if len(lv):
        cs = ax.contour(gx, gy, dens, levels=lv, colors="0.35", linewidths=0.8, alpha=0.8,
                        zorder=1)
        cs.set_gid("gaussmix-density-contours")


def _legend_2d(ax, weights, colors, contours):
    """One entry per component (with its weight), the ellipse styles, the contours."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", linestyle="", color=colors[k],
                      label=f"component {k} ({weights[k]:.0%})") for k in range(len(weights))]
    handles += [Line2D([], [], color="0.2", linestyle="-", label="1 sigma"),
                Line2D([], [], color="0.2", linestyle="--", label="2 sigma")]
    if contours:
        handles.append(Line2D([], [], color="0.35", linewidth=0.8, label="density"))
    ax.legend(handles=handles, fontsize="small", frameon=True, framealpha=0.8, loc="best")


def plot_pairs(gm, X, axes=None, *, features=None, sigmas=SIGMAS, contours=False):
    """A grid of pairwise pictures for data with more than two features.

    Diagonal: histogram of each feature with the marginal mixture density. Below and
    above: the points of each pair of features coloured by most likely component,
    with the 1 and 2 sigma ellipses of each component's 2-D marginal.

    The grid draws at most :data:`~gaussmix.plot.columns.MAX_PAIR_COLUMNS` (8)
    columns: of wider data the first 8, with a :class:`UserWarning` and a note in
    the figure's title (where it has none), unless ``features`` chooses them.

    Parameters
    ----------
    gm : fitted GaussianMixture
    X : array-like of shape (n_samples, n_features)
    axes : ndarray of matplotlib Axes of shape (m, m), optional
        Default: a new figure with an m x m grid (m = number of features drawn).
    features : sequence of int or str, optional
        Columns to draw (at most 8), by 0-based position or by name; default all, or
        the first 8 of wider data.
    sigmas : sequence of float, default=(1, 2)
    contours : bool, default=False
        Also draw density contours off the diagonal (slower).

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (m, m)

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np, gaussmix
    >>> from gaussmix.plot import plot_pairs
    >>> X = np.random.default_rng(0).normal(size=(200, 3))
    >>> gm = gaussmix.GaussianMixture(2, random_state=0).fit(X)
    >>> plot_pairs(gm, X).shape
    (3, 3)
    """
    A, names = as_array(X)
    check_fitted(gm, A)
    names = column_names(gm, names, A.shape[1])
    feats, note = pair_columns(features, names)
    m = len(feats)
    if axes is None:
        _, axes = pyplot().subplots(m, m, figsize=(2.4 * m + 1, 2.4 * m + 0.5), squeeze=False)
    axes = np.asarray(axes).reshape(m, m)
    colors = np.asarray(component_colors(gm.means_.shape[0]))
    labels = np.asarray(call_with_feature_names(gm, "predict", A))
    idx = point_subset(A)
    drawn = marginal(gm, feats)       # the drawn columns only, however wide the model
    for r, fi in enumerate(feats):
        for c, fj in enumerate(feats):
            if r == c:
                _pairs_diagonal(axes[r, c], A[:, fi], drawn, r)
            else:
                _pairs_panel(axes[r, c], A, idx, label_colors(colors, labels[idx]), marginal(drawn, [c, r]),
                             (fj, fi), colors, sigmas, contours)
    _label_pairs(axes, feats, names)
    if note and not axes[0, 0].figure.get_suptitle():
        axes[0, 0].figure.suptitle(note, fontsize="medium")
    return axes


def _pairs_diagonal(ax, x, full, feature):
    """Histogram of one column with the mixture's marginal density over it."""
    ax.hist(x, bins=histogram_edges(x), density=True, color="0.78", edgecolor="white")
    lo, hi = padded_range(x)
    grid = np.linspace(lo, hi, 300)
    ax.plot(grid, density(full, grid, columns=feature), color="black", linewidth=1.6)
    ax.set_xlim(lo, hi)
    ax.set_yticks([])


def _pairs_panel(ax, A, idx, point_colors, pair, columns, colors, sigmas, contours):
    """Rows of two columns (x: ``columns[0]``, y: ``columns[1]``) with the ellipses of
    the components' 2-D marginal ``pair``, and optionally its density contours."""
    fx, fy = columns
    ax.scatter(A[idx, fx], A[idx, fy], c=point_colors, s=5, alpha=0.6, linewidths=0)
    xlo, xhi = padded_range(A[:, fx])
    ylo, yhi = padded_range(A[:, fy])
    if contours:
        gx, gy = np.meshgrid(np.linspace(xlo, xhi, 80), np.linspace(ylo, yhi, 80))
        dens = density(pair, np.column_stack([gx.ravel(), gy.ravel()]))
        ax.contour(gx, gy, dens.reshape(gx.shape), levels=5, colors="0.4", linewidths=0.6)
    draw_ellipses(ax, pair.means, pair.covariances, colors, sigmas, linewidth=1.2)
    ax.set_xlim(xlo, xhi)
    ax.set_ylim(ylo, yhi)


def _label_pairs(axes, feats, names):
    """Column names on the outer axes only; tick labels only where they are read."""
    m = len(feats)
    for r, fi in enumerate(feats):
        for c, fj in enumerate(feats):
            ax = axes[r, c]
            if r == m - 1:
                ax.set_xlabel(names[fj])
            else:
                ax.tick_params(axis="x", labelbottom=False)
            if c == 0 and r != 0:
                ax.set_ylabel(names[fi])
            elif r == 0 and c == m - 1 and m > 1:
                # the first row's scale, on the right (its left panel is a histogram)
                ax.yaxis.tick_right()
                ax.yaxis.set_label_position("right")
                ax.set_ylabel(names[fi])
            elif c != 0:
                ax.tick_params(axis="y", labelleft=False)
    axes[0, 0].set_ylabel(names[feats[0]])


def plot_model(gm, X, fig=None, *, title=None, features=None):
    """The picture that suits the number of columns drawn, on a figure.

    1 column: :func:`plot_density_1d`; 2 columns: :func:`plot_density_2d`; more:
    :func:`plot_pairs`, of at most 8 columns (of wider data the first 8, with a
    :class:`UserWarning` and a note in the title, unless ``features`` chooses them).

    Parameters
    ----------
    gm : fitted GaussianMixture
    X : array-like of shape (n_samples, n_features)
    fig : matplotlib Figure, optional
        Drawn on (cleared first); default a new :class:`matplotlib.figure.Figure`
        (no pyplot state, safe on any backend).
    title : str, optional
    features : sequence of int or str, optional
        Columns to draw (at most 8), by 0-based position or by name; default all,
        or the first 8 of wider data. One or two columns give the 1-D or 2-D
        picture of those columns' marginal density.

    Returns
    -------
    fig : matplotlib Figure

    Examples
    --------
    >>> import gaussmix
    >>> from gaussmix.plot import plot_model
    >>> X = gaussmix.load_faithful()
    >>> fig = plot_model(gaussmix.GaussianMixture(2, random_state=0).fit(X), X)
    >>> fig.savefig("faithful.png")  # doctest: +SKIP
    """
    from matplotlib.figure import Figure

    A, names = as_array(X)
    check_fitted(gm, A)
    names = column_names(gm, names, A.shape[1])
    if features is None and A.shape[1] <= 2:
        feats, note = ColumnChoice(list(range(A.shape[1])), None)
    else:
        feats, note = pair_columns(features, names)
    m = len(feats)
    if fig is None:
        size = (7, 4.5) if m == 1 else (7, 6) if m == 2 else (2.4 * m + 1, 2.4 * m + 0.5)
        # a grid of pairs gets fixed margins: the layout engine would take seconds over it
        fig = Figure(figsize=size, layout="constrained" if m <= 2 else None)
    else:
        fig.clf()
    if m == 1:
        plot_density_1d(gm, X, fig.add_subplot(), feature=feats[0])
    elif m == 2:
        plot_density_2d(gm, X, fig.add_subplot(), features=tuple(feats))
    else:
        if fig.get_layout_engine() is None:
            _pair_margins(fig)
        plot_pairs(gm, X, fig.subplots(m, m, squeeze=False), features=feats)
    K = gm.means_.shape[0]
    title = title or f"{K} component(s), covariance_type={gm.covariance_type!r}"
    fig.suptitle(title if note is None else f"{title}\n{note}")
    return fig


def _pair_margins(fig):
    """Margins of a grid of pairs in inches: the column names below and left, the
    first row's scale right, two lines of title above."""
    w, h = fig.get_size_inches()
    fig.subplots_adjust(left=0.7 / w, right=1 - 0.6 / w, bottom=0.6 / h, top=1 - 1.0 / h,
                        wspace=0.08, hspace=0.08)
