"""The picture of a two-sample test: each data set with its own fitted density, side
by side on the same scale, the test's statistic and p-value in the title."""

from __future__ import annotations

import numpy as np

from ._common import as_array, padded_range, pyplot
from .density import plot_density_1d, plot_density_2d


def plot_two_sample(result, X, Y, axes=None, *, features=(0, 1)):
    """Two densities side by side: ``X`` with ``result.model_x``, ``Y`` with ``result.model_y``.

    Parameters
    ----------
    result : TwoSampleResult
        What :func:`gaussmix.two_sample_test` returned for ``X`` and ``Y`` (read
        duck-typed: ``model_x``, ``model_y``, ``statistic``, ``pvalue``).
    X, Y : array-like of shape (n_x, n_features) and (n_y, n_features)
        The data the test was run on (DataFrames: matched to the models' columns by
        name).
    axes : sequence of two matplotlib Axes, optional
        Where to draw; default a new figure with two panels.
    features : (int, int), default=(0, 1)
        The two columns drawn for data of two or more columns (the marginal
        densities); one column is drawn as a histogram with the density curve.

    Returns
    -------
    axes : ndarray of two matplotlib Axes
        Sharing their axis ranges; the figure's title holds the statistic and the
        p-value.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np, gaussmix
    >>> from gaussmix.plot import plot_two_sample
    >>> rng = np.random.default_rng(0)
    >>> X, Y = rng.normal(size=(50, 2)), rng.normal(size=(50, 2)) * [1.0, 2.0]
    >>> res = gaussmix.two_sample_test(X, Y, 1, "diag", n_permutations=19, random_state=0,
    ...                                progress=False)
    >>> axes = plot_two_sample(res, X, Y)
    >>> [ax.get_title() for ax in axes]
    ['X (50 rows)', 'Y (50 rows)']
    >>> axes[0].figure.get_suptitle().startswith("two-sample test: statistic")
    True
    """
    A, B = _matched(result.model_x, X, "X"), _matched(result.model_y, Y, "Y")
    axes = _two_axes(axes)
    one_column = A.shape[1] == 1
    for ax, gm, data, name in ((axes[0], result.model_x, A, "X"),
                               (axes[1], result.model_y, B, "Y")):
        if one_column:
            plot_density_1d(gm, data, ax, components=False)
        else:
            plot_density_2d(gm, data, ax, features=features, legend=False)
        ax.set_title(f"{name} ({len(data)} rows)")
    _same_ranges(axes, A, B, None if one_column else features)
    axes[0].figure.suptitle(f"two-sample test: statistic {result.statistic:.4g}, "
                            f"p-value {result.pvalue:.3g}")
    return axes


def _matched(gm, data, what):
    """The data as an array in the model's column order; a clear error otherwise."""
    if hasattr(data, "columns") and hasattr(gm, "feature_names_in_"):
        names = [str(c) for c in gm.feature_names_in_]
        missing = [c for c in names if c not in [str(c) for c in data.columns]]
        if missing:
            raise ValueError(f"{what} lacks column(s) {', '.join(map(repr, missing))} of the "
                             "test's models; pass the data the test was run on.")
        data = data[list(names)]
    A, _ = as_array(data)
    d = gm.means_.shape[1]
    if A.shape[1] != d:
        raise ValueError(f"{what} has {A.shape[1]} column(s) but the test's models have {d}; "
                         "pass the data the test was run on.")
    return A


def _two_axes(axes):
    if axes is None:
        return np.asarray(pyplot().subplots(1, 2, figsize=(10, 4.5))[1])
    axes = np.asarray(axes, dtype=object).ravel()
    if axes.size != 2:
        raise ValueError(f"axes must be two matplotlib Axes, got {axes.size}.")
    return axes


def _same_ranges(axes, A, B, features):
    """One scale for both panels, so that spreads can be compared by eye."""
    if features is None:
        lo, hi = padded_range(np.concatenate([A[:, 0], B[:, 0]]))
        top = max(ax.get_ylim()[1] for ax in axes)
        for ax in axes:
            ax.set_xlim(lo, hi)
            ax.set_ylim(0, top)
        return
    i, j = features
    xlim = padded_range(np.concatenate([A[:, i], B[:, i]]))
    ylim = padded_range(np.concatenate([A[:, j], B[:, j]]))
    for ax in axes:
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
