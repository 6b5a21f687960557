"""What every picture needs: pyplot on demand, axes, component colours, the data as
an array with column names, checks, point subsets and padded axis ranges."""

from __future__ import annotations

import numpy as np

from ..utils.columns import feature_names

#: Mahalanobis radii of the component ellipses drawn by default.
SIGMAS = (1.0, 2.0)
#: Scatter plots draw at most this many points (a fixed random subset beyond).
MAX_POINTS = 5000


def pyplot():
    """``matplotlib.pyplot``, or an ImportError that says what to install."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("gaussmix.plot needs matplotlib; install it with "
                          "pip install 'gaussmix[plot]'.") from None
    return plt


def new_ax(ax):
    """``ax``, or the axes of a new pyplot figure."""
    if ax is not None:
        return ax
    return pyplot().subplots()[1]


def component_colors(K):
    """One colour per component: tab10, tab20 beyond 10 components, hsv beyond 20."""
    import matplotlib

    if K <= 10:
        cmap = matplotlib.colormaps["tab10"]
        return [cmap(k) for k in range(K)]
    if K <= 20:
        cmap = matplotlib.colormaps["tab20"]
        return [cmap(k) for k in range(K)]
    cmap = matplotlib.colormaps["hsv"]
    return [cmap(k / K) for k in range(K)]


#: Colour of rows a noise component takes (label -1).
NOISE_COLOR = (0.55, 0.55, 0.55, 1.0)


def label_colors(colors, labels):
    """The colour of each row's component label (n, 4); rows labelled -1 (a noise
    component's, ``GaussianMixture(noise=True)``) get :data:`NOISE_COLOR`."""
    labels = np.asarray(labels)
    out = np.asarray(colors)[np.maximum(labels, 0)]
    out[labels < 0] = NOISE_COLOR
    return out


def as_array(X):
    """(array of shape (n, d), column names or None) from an array-like or DataFrame."""
    names = None
    if hasattr(X, "columns"):
        names = [str(c) for c in X.columns]
        X = X.to_numpy(dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError(f"X must have shape (n_samples, n_features), got shape {X.shape}.")
    return X, names


def column_names(gm, names, d):
    """The data's column names if it has them, else the model's, else x0, x1, ..."""
    if names is not None:
        return names
    return feature_names(gm, d)


def check_fitted(gm, X):
    """A clear error for an unfitted model or data with other columns than the model."""
    if not hasattr(gm, "means_"):
        raise ValueError("the model is not fitted; call fit(X) first.")
    d = gm.means_.shape[1]
    if X.shape[1] != d:
        raise ValueError(f"X has {X.shape[1]} column(s) but the model has {d} feature(s); "
                         "pass the columns the model was fitted on.")


def point_subset(X, rng_seed=0, max_points=MAX_POINTS):
    """Indices of the rows to scatter: all, or a fixed random subset of ``max_points``
    (sorted, so the drawing order follows the data)."""
    if X.shape[0] <= max_points:
        return np.arange(X.shape[0])
    rng = np.random.default_rng(rng_seed)
    return np.sort(rng.choice(X.shape[0], size=max_points, replace=False))


def padded_range(values, pad=0.08):
    """Axis limits around ``values`` with ``pad`` of their span on each side."""
    lo, hi = float(np.min(values)), float(np.max(values))
    span = hi - lo
    if span <= 0:
        span = max(abs(lo), 1.0)
    return lo - pad * span, hi + pad * span
