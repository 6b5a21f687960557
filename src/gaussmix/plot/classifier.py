"""Decision regions of a classifier on two columns: each class's region, shaded by
how sure the classifier is, the boundaries between them, and the labelled rows with
the misclassified ones marked."""

from __future__ import annotations

import numpy as np

from ..utils.columns import call_with_feature_names
from ._common import as_array, component_colors, new_ax, padded_range, point_subset

#: Grid points per axis of the shaded regions.
RESOLUTION = 200


def plot_decision_regions(clf, X, y=None, ax=None, *, resolution=RESOLUTION):
    """Where a fitted classifier puts each class, on two-column data.

    The background is coloured by the most probable class, paler where its
    probability is lower (``predict_proba``); black lines are the decision
    boundaries. Given ``y``, the rows are drawn in their true class's colour and the
    misclassified ones circled in red.

    Parameters
    ----------
    clf : fitted classifier with ``classes_`` and ``predict_proba``
        E.g. :class:`~gaussmix.MixtureClassifier`, fitted on two columns.
    X : array-like of shape (n_samples, 2)
    y : array-like of shape (n_samples,), optional
        True labels of the rows of ``X``.
    ax : matplotlib Axes, optional
    resolution : int, default=200
        Grid points per axis.

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> from sklearn.datasets import load_iris
    >>> from gaussmix import MixtureClassifier
    >>> from gaussmix.plot import plot_decision_regions
    >>> X, y = load_iris(return_X_y=True, as_frame=True)
    >>> X = X[["petal length (cm)", "petal width (cm)"]]
    >>> clf = MixtureClassifier(model_type="EDDA").fit(X, y)
    >>> plot_decision_regions(clf, X, y).get_xlabel()
    'petal length (cm)'
    """
    if not hasattr(clf, "classes_"):
        raise ValueError("the classifier is not fitted; call fit(X, y) first.")
    X, names = as_array(X)
    if X.shape[1] != 2:
        raise ValueError(f"X has {X.shape[1]} column(s); decision regions are drawn on two: "
                         "fit the classifier on two columns (e.g. X[['a', 'b']]).")
    ax = new_ax(ax)
    colors = np.array(component_colors(len(clf.classes_)))
    _draw_regions(ax, clf, X, colors, resolution)
    if y is not None:
        _draw_rows(ax, clf, X, np.asarray(y), colors)
    names = names or [str(n) for n in getattr(clf, "feature_names_in_", ["x0", "x1"])]
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    return ax


def _grid(X, resolution):
    xs = np.linspace(*padded_range(X[:, 0]), resolution)
    ys = np.linspace(*padded_range(X[:, 1]), resolution)
    return np.meshgrid(xs, ys)


def _draw_regions(ax, clf, X, colors, resolution):
    """The most probable class of every grid point, paler where less sure, and the
    boundaries where it changes."""
    gx, gy = _grid(X, resolution)
    proba = call_with_feature_names(clf, "predict_proba", np.c_[gx.ravel(), gy.ravel()])
    best = proba.argmax(axis=1)
    rgba = colors[best].copy()
    # alpha from 0.1 (no better than a guess among the classes) to 0.45 (sure)
    floor = 1.0 / len(clf.classes_)
    sure = (proba.max(axis=1) - floor) / max(1.0 - floor, 1e-12)
    rgba[:, 3] = 0.1 + 0.35 * sure
    extent = (gx[0, 0], gx[0, -1], gy[0, 0], gy[-1, 0])
    ax.imshow(rgba.reshape(gx.shape + (4,)), origin="lower", extent=extent, aspect="auto",
              interpolation="nearest")
    if len(clf.classes_) > 1:
        ax.contour(gx, gy, best.reshape(gx.shape),
                   levels=np.arange(len(clf.classes_) - 1) + 0.5, colors="black",
                   linewidths=1.0)


def _draw_rows(ax, clf, X, y, colors):
    """The rows in their true class's colour, misclassified ones circled."""
    keep = point_subset(X)
    X, y = X[keep], y[keep]
    predicted = call_with_feature_names(clf, "predict", X)
    for c, label in enumerate(clf.classes_):
        rows = y == label
        ax.scatter(X[rows, 0], X[rows, 1], s=14, color=colors[c], edgecolors="white",
                   linewidths=0.4, label=str(label))
    wrong = predicted != y
    if wrong.any():
        ax.scatter(X[wrong, 0], X[wrong, 1], s=70, facecolors="none", edgecolors="red",
                   linewidths=1.2, label=f"misclassified ({int(wrong.sum())})")
    ax.legend(fontsize="small", frameon=False)
