"""Outliers and noise: the rows a :class:`~gaussmix.MixtureOutlierDetector` or a
mixture's noise component (``GaussianMixture(noise=True)``) sets apart, marked on a
scatter of the others coloured by their component."""

from __future__ import annotations

import numpy as np

from ..utils.columns import call_with_feature_names
from ._common import (
    as_array,
    check_fitted,
    column_names,
    component_colors,
    label_colors,
    new_ax,
    padded_range,
    point_subset,
)


def _mixture_and_outliers(model, A):
    """The model's mixture, each row's component and the outlier mask."""
    mixture = getattr(model, "mixture_", model)
    if not hasattr(model, "mixture_") and getattr(mixture, "noise_box_", None) is None:
        raise ValueError("plot_outliers needs a MixtureOutlierDetector or a "
                         "GaussianMixture fitted with noise=True; this model has no way "
                         "to call a row an outlier.")
    check_fitted(mixture, A)
    outlier = np.asarray(call_with_feature_names(model, "predict", A)) == -1
    labels = np.asarray(call_with_feature_names(mixture, "predict", A))
    return mixture, labels, outlier


def _boundary(ax, model, xlim, ylim):
    """The border of the region ``model.predict`` calls outliers (2-D data only), on
    a 160 x 160 grid."""
    gx, gy = np.meshgrid(np.linspace(*xlim, 160), np.linspace(*ylim, 160))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    inside = np.asarray(call_with_feature_names(model, "predict", grid)) == -1
    if inside.any() and not inside.all():
        cs = ax.contour(gx, gy, inside.reshape(gx.shape).astype(float), levels=[0.5],
                        colors="black", linewidths=1.0, linestyles="--", zorder=1)
        cs.set_gid("gaussmix-outlier-boundary")


def plot_outliers(model, X, ax=None, *, features=(0, 1), boundary=True):
    """Rows coloured by their most likely component, outliers (or noise) as black
    crosses, and in 2-D the border of the outlier region.

    Parameters
    ----------
    model : fitted MixtureOutlierDetector, or GaussianMixture fitted with noise=True
        Outliers are the rows its ``predict`` labels -1.
    X : array-like of shape (n_samples, n_features)
    ax : matplotlib Axes, optional
    features : (int, int), default=(0, 1)
        The two columns drawn.
    boundary : bool, default=True
        On two-column data, draw (dashed) where ``predict`` changes to -1.

    Returns
    -------
    ax : matplotlib Axes
        Two point collections: the inliers (gid ``"gaussmix-inliers"``) and the
        outliers (``"gaussmix-outliers"``).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import numpy as np, gaussmix
    >>> from gaussmix.plot import plot_outliers
    >>> X = gaussmix.load_faithful()
    >>> det = gaussmix.MixtureOutlierDetector(0.05, n_components=2, random_state=0).fit(X)
    >>> ax = plot_outliers(det, X)
    >>> len(ax.collections[1].get_offsets()) == int((det.predict(X) == -1).sum())
    True
    """
    A, names = as_array(X)
    mixture, labels, outlier = _mixture_and_outliers(model, A)
    if A.shape[1] < 2:
        raise ValueError("plot_outliers needs at least 2 features.")
    names = column_names(mixture, names, A.shape[1])
    i, j = features
    ax = new_ax(ax)
    colors = np.asarray(component_colors(mixture.means_.shape[0]))
    idx = point_subset(A)
    inl, out = idx[~outlier[idx]], idx[outlier[idx]]
    ax.scatter(A[inl, i], A[inl, j], c=label_colors(colors, labels[inl]), s=12, alpha=0.7,
               linewidths=0, zorder=2, gid="gaussmix-inliers")
    ax.scatter(A[out, i], A[out, j], marker="x", color="black", s=22, linewidths=1.0,
               zorder=3, gid="gaussmix-outliers", label=f"outlier ({outlier.sum()} rows)")
    xlim, ylim = padded_range(A[:, i]), padded_range(A[:, j])
    if boundary and A.shape[1] == 2:
        _boundary(ax, model, xlim, ylim)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel(names[i])
    ax.set_ylabel(names[j])
    ax.set_title(f"{outlier.sum()} of {A.shape[0]} rows called outliers "
                 f"({outlier.mean():.1%})", fontsize="medium")
    ax.legend(fontsize="small", frameon=True, framealpha=0.8, loc="best")
    return ax
