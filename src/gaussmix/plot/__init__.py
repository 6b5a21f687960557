"""Pictures of fitted mixtures (matplotlib; ``pip install 'gaussmix[plot]'``).

Every function draws on a matplotlib ``ax`` you pass (or a new one) and returns it:

- :func:`plot_density_1d`: histogram, fitted density and each weighted component;
- :func:`plot_density_2d`: points coloured by most likely component, density contours,
  1 and 2 sigma ellipses of each component;
- :func:`plot_pairs`: a grid of the above for more dimensions (returns the axes grid);
- :func:`plot_model`: whichever of the three suits the data's dimension (a figure);
- :func:`plot_selection`: BIC or AIC against K, one line per covariance type;
- :func:`plot_objective`: the EM objective per iteration;
- :func:`plot_samples`: the data beside synthetic rows drawn from the model;
- :func:`plot_component_sizes`: mixture weights against the share of rows assigned;
- :func:`em_steps`, :func:`plot_em_step`, :func:`animate_em`: EM in 2-D from its
  initialisation to convergence, as frames or a GIF.

matplotlib is imported inside these functions, never by ``import gaussmix``.
"""

from __future__ import annotations

import os
import warnings

import numpy as np

__all__ = [
    "plot_density_1d", "plot_density_2d", "plot_pairs", "plot_model", "plot_selection",
    "plot_objective", "plot_samples", "plot_component_sizes", "em_steps", "plot_em_step",
    "animate_em", "full_covariances",
]

#: Mahalanobis radii of the component ellipses drawn by default.
SIGMAS = (1.0, 2.0)
#: Scatter plots draw at most this many points (a fixed random subset beyond).
MAX_POINTS = 5000


# ---------------------------------------------------------------------- helpers
def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("gaussmix.plot needs matplotlib; install it with "
                          "pip install 'gaussmix[plot]'.") from None
    return plt


def _new_ax(ax):
    if ax is not None:
        return ax
    return _pyplot().subplots()[1]


def _colors(K):
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


def _as_array(X):
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


def _names(gm, names, d):
    if names is not None:
        return names
    if hasattr(gm, "feature_names_in_"):
        return [str(c) for c in gm.feature_names_in_]
    return [f"x{j}" for j in range(d)]


def _model_input(gm, A):
    """``A`` in the form the model was fitted on (a DataFrame if it knows column names)."""
    if hasattr(gm, "feature_names_in_"):
        try:
            import pandas as pd

            return pd.DataFrame(A, columns=list(gm.feature_names_in_))
        except ImportError:
            pass
    return A


def _call(gm, method, A):
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*feature names.*")
        return getattr(gm, method)(_model_input(gm, A))


def _check_fitted_dims(gm, X):
    if not hasattr(gm, "means_"):
        raise ValueError("the model is not fitted; call fit(X) first.")
    d = gm.means_.shape[1]
    if X.shape[1] != d:
        raise ValueError(f"X has {X.shape[1]} column(s) but the model has {d} feature(s); "
                         "pass the columns the model was fitted on.")


def _subset(X, rng_seed=0, max_points=MAX_POINTS):
    if X.shape[0] <= max_points:
        return np.arange(X.shape[0])
    rng = np.random.default_rng(rng_seed)
    return np.sort(rng.choice(X.shape[0], size=max_points, replace=False))


def full_covariances(gm):
    """Every component's covariance as a full matrix, whatever the covariance type.

    Parameters
    ----------
    gm : fitted GaussianMixture

    Returns
    -------
    cov : ndarray of shape (n_components, n_features, n_features)

    Examples
    --------
    >>> import gaussmix
    >>> from gaussmix.plot import full_covariances
    >>> gm = gaussmix.GaussianMixture.from_parameters([.5, .5], [[0., 0.], [3., 3.]],
    ...                                                [1., 2.], "spherical")
    >>> full_covariances(gm)[1]
    array([[2., 0.],
           [0., 2.]])
    """
    K, d = gm.means_.shape
    cov = np.asarray(gm.covariances_, dtype=np.float64)
    t = gm.covariance_type
    if t == "full":
        return cov.copy()
    if t == "tied":
        return np.broadcast_to(cov, (K, d, d)).copy()
    if t == "diag":
        return np.stack([np.diag(c) for c in cov])
    if t == "spherical":
        return cov[:, None, None] * np.eye(d)[None]
    raise ValueError(f"unknown covariance_type {t!r}.")


def _padded_range(values, pad=0.08):
    lo, hi = float(np.min(values)), float(np.max(values))
    span = hi - lo
    if span <= 0:
        span = max(abs(lo), 1.0)
    return lo - pad * span, hi + pad * span


def _ellipses(ax, means, covs, colors, sigmas, **kw):
    """Draw the ``sigmas`` Mahalanobis-radius ellipses of 2-D Gaussians."""
    from matplotlib.patches import Ellipse

    out = []
    for k in range(means.shape[0]):
        vals, vecs = np.linalg.eigh(covs[k])
        vals = np.clip(vals, 0, None)
        angle = float(np.degrees(np.arctan2(vecs[1, -1], vecs[0, -1])))
        for s, alpha in zip(sigmas, np.linspace(0.95, 0.55, len(sigmas))):
            e = Ellipse(means[k], width=2 * s * np.sqrt(vals[-1]), height=2 * s * np.sqrt(vals[0]),
                        angle=angle, fill=False, edgecolor=colors[k], alpha=float(alpha),
                        linewidth=kw.get("linewidth", 1.8), linestyle="-" if s <= 1 else "--",
                        zorder=4)
            e.set_gid(f"gaussmix-ellipse-{k}-{s:g}sigma")
            ax.add_patch(e)
            out.append(e)
    return out


# ---------------------------------------------------------------------- densities
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
    A, names = _as_array(X)
    _check_fitted_dims(gm, A)
    names = _names(gm, names, A.shape[1])
    ax = _new_ax(ax)
    x = A[:, feature]
    edges = np.histogram_bin_edges(x, bins=bins)
    if isinstance(bins, str) and len(edges) < 21 and x.size >= 100:
        edges = np.histogram_bin_edges(x, bins=20)  # "auto" is coarse for multimodal data
    ax.hist(x, bins=edges, density=True, color="0.75", edgecolor="white", label="data")
    lo, hi = _padded_range(x)
    grid = np.linspace(lo, hi, 400)
    means = gm.means_[:, feature]
    var = full_covariances(gm)[:, feature, feature]
    comp = gm.weights_[:, None] * np.exp(-0.5 * (grid[None] - means[:, None]) ** 2 / var[:, None]) \
        / np.sqrt(2 * np.pi * var[:, None])
    colors = _colors(len(means))
    ax.plot(grid, comp.sum(axis=0), color="black", linewidth=3.0, alpha=0.8,
            label="mixture density", zorder=5)
    if components:
        for k in range(len(means)):
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
    A, names = _as_array(X)
    _check_fitted_dims(gm, A)
    if A.shape[1] < 2:
        raise ValueError("plot_density_2d needs at least 2 features; use plot_density_1d.")
    names = _names(gm, names, A.shape[1])
    i, j = features
    ax = _new_ax(ax)
    K = gm.means_.shape[0]
    colors = np.asarray(_colors(K))
    labels = np.asarray(_call(gm, "predict", A))
    idx = _subset(A)
    s = point_size if point_size is not None else (14 if len(idx) < 1000 else 5)
    ax.scatter(A[idx, i], A[idx, j], c=colors[labels[idx]], s=s, alpha=0.75, linewidths=0,
               zorder=2)
    xlo, xhi = _padded_range(A[:, i])
    ylo, yhi = _padded_range(A[:, j])
    means = gm.means_[:, [i, j]]
    covs = full_covariances(gm)[:, [i, j]][:, :, [i, j]]
    if contours:
        gx, gy = np.meshgrid(np.linspace(xlo, xhi, 160), np.linspace(ylo, yhi, 160))
        pts = np.column_stack([gx.ravel(), gy.ravel()])
        dens = _marginal_density(gm.weights_, means, covs, pts).reshape(gx.shape)
        at_data = _marginal_density(gm.weights_, means, covs, A[idx][:, [i, j]])
        lv = np.unique(np.quantile(at_data, sorted(levels)))
        lv = lv[lv > 0]
        if len(lv):
            cs = ax.contour(gx, gy, dens, levels=lv, colors="0.35", linewidths=0.8,
                            alpha=0.8, zorder=1)
            cs.set_gid("gaussmix-density-contours")
    _ellipses(ax, means, covs, colors, sigmas)
    ax.scatter(means[:, 0], means[:, 1], marker="X", s=90, c=colors, edgecolors="black",
               linewidths=1.0, zorder=6)
    ax.set_xlim(xlo, xhi)
    ax.set_ylim(ylo, yhi)
    ax.set_xlabel(names[i])
    ax.set_ylabel(names[j])
    if legend:
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], marker="o", linestyle="", color=colors[k],
                          label=f"component {k} ({gm.weights_[k]:.0%})") for k in range(K)]
        handles += [Line2D([], [], color="0.2", linestyle="-", label="1 sigma"),
                    Line2D([], [], color="0.2", linestyle="--", label="2 sigma")]
        if contours:
            handles.append(Line2D([], [], color="0.35", linewidth=0.8, label="density"))
        ax.legend(handles=handles, fontsize="small", frameon=True, framealpha=0.8,
                  loc="best")
    return ax


def _marginal_density(weights, means, covs, pts):
    """Mixture density of 2-D (or any-D) Gaussians at ``pts`` of shape (m, d')."""
    out = np.zeros(pts.shape[0])
    for k in range(means.shape[0]):
        L = np.linalg.cholesky(covs[k] + 1e-300 * np.eye(covs.shape[-1]))
        z = np.linalg.solve(L, (pts - means[k]).T)
        logdet = 2 * np.sum(np.log(np.diag(L)))
        out += weights[k] * np.exp(-0.5 * np.sum(z * z, axis=0) - 0.5 * logdet
                                   - 0.5 * pts.shape[1] * np.log(2 * np.pi))
    return out


def plot_pairs(gm, X, axes=None, *, features=None, sigmas=SIGMAS, contours=False):
    """A grid of pairwise pictures for data with more than two features.

    Diagonal: histogram of each feature with the marginal mixture density. Below and
    above: the points of each pair of features coloured by most likely component,
    with the 1 and 2 sigma ellipses of each component's 2-D marginal.

    Parameters
    ----------
    gm : fitted GaussianMixture
    X : array-like of shape (n_samples, n_features)
    axes : ndarray of matplotlib Axes of shape (m, m), optional
        Default: a new figure with an m x m grid (m = number of features drawn).
    features : sequence of int, optional
        Columns to draw; default all.
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
    A, names = _as_array(X)
    _check_fitted_dims(gm, A)
    names = _names(gm, names, A.shape[1])
    feats = list(range(A.shape[1])) if features is None else [int(f) for f in features]
    m = len(feats)
    if axes is None:
        plt = _pyplot()
        _, axes = plt.subplots(m, m, figsize=(2.4 * m + 1, 2.4 * m + 0.5), squeeze=False)
    axes = np.asarray(axes).reshape(m, m)
    K = gm.means_.shape[0]
    colors = np.asarray(_colors(K))
    labels = np.asarray(_call(gm, "predict", A))
    idx = _subset(A)
    covs_all = full_covariances(gm)
    for r, fi in enumerate(feats):
        for c, fj in enumerate(feats):
            ax = axes[r, c]
            if r == c:
                x = A[:, fi]
                edges = np.histogram_bin_edges(x, bins="auto")
                if len(edges) < 21 and x.size >= 100:
                    edges = np.histogram_bin_edges(x, bins=20)
                ax.hist(x, bins=edges, density=True, color="0.78", edgecolor="white")
                lo, hi = _padded_range(x)
                grid = np.linspace(lo, hi, 300)
                mu, var = gm.means_[:, fi], covs_all[:, fi, fi]
                dens = (gm.weights_[:, None] * np.exp(-0.5 * (grid - mu[:, None]) ** 2
                                                      / var[:, None])
                        / np.sqrt(2 * np.pi * var[:, None])).sum(axis=0)
                ax.plot(grid, dens, color="black", linewidth=1.6)
                ax.set_xlim(lo, hi)
                ax.set_yticks([])
            else:
                ax.scatter(A[idx, fj], A[idx, fi], c=colors[labels[idx]], s=5, alpha=0.6,
                           linewidths=0)
                pair = [fj, fi]
                means = gm.means_[:, pair]
                covs = covs_all[:, pair][:, :, pair]
                xlo, xhi = _padded_range(A[:, fj])
                ylo, yhi = _padded_range(A[:, fi])
                if contours:
                    gx, gy = np.meshgrid(np.linspace(xlo, xhi, 80), np.linspace(ylo, yhi, 80))
                    dens = _marginal_density(gm.weights_, means, covs,
                                             np.column_stack([gx.ravel(), gy.ravel()]))
                    ax.contour(gx, gy, dens.reshape(gx.shape), levels=5, colors="0.4",
                               linewidths=0.6)
                _ellipses(ax, means, covs, colors, sigmas, linewidth=1.2)
                ax.set_xlim(xlo, xhi)
                ax.set_ylim(ylo, yhi)
            if r == m - 1:
                ax.set_xlabel(names[fj])
            else:
                ax.set_xticklabels([])
            if c == 0 and r != 0:
                ax.set_ylabel(names[fi])
            elif r == 0 and c == m - 1 and m > 1:
                # the first row's scale, on the right (its left panel is a histogram)
                ax.yaxis.tick_right()
                ax.yaxis.set_label_position("right")
                ax.set_ylabel(names[fi])
            elif c != 0:
                ax.set_yticklabels([])
    axes[0, 0].set_ylabel(names[feats[0]])
    return axes


def plot_model(gm, X, fig=None, *, title=None):
    """The picture that suits the data's dimension, on a figure.

    1 feature: :func:`plot_density_1d`; 2 features: :func:`plot_density_2d`; more:
    :func:`plot_pairs`.

    Parameters
    ----------
    gm : fitted GaussianMixture
    X : array-like of shape (n_samples, n_features)
    fig : matplotlib Figure, optional
        Drawn on (cleared first); default a new :class:`matplotlib.figure.Figure`
        (no pyplot state, safe on any backend).
    title : str, optional

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

    A, _ = _as_array(X)
    _check_fitted_dims(gm, A)
    d = A.shape[1]
    if fig is None:
        size = (7, 4.5) if d == 1 else (7, 6) if d == 2 else (2.4 * d + 1, 2.4 * d + 0.5)
        fig = Figure(figsize=size, layout="constrained")
    else:
        fig.clf()
    if d == 1:
        plot_density_1d(gm, X, fig.add_subplot())
    elif d == 2:
        plot_density_2d(gm, X, fig.add_subplot())
    else:
        plot_pairs(gm, X, fig.subplots(d, d, squeeze=False))
    K = gm.means_.shape[0]
    fig.suptitle(title or f"{K} component(s), covariance_type={gm.covariance_type!r}")
    return fig


# ---------------------------------------------------------------------- selection / EM
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
    ax = _new_ax(ax)
    styles = {"full": "o", "tied": "s", "diag": "^", "spherical": "D"}
    for t in dict.fromkeys(table["covariance_type"]):
        sub = table[table["covariance_type"] == t].sort_values("n_components")
        ax.plot(sub["n_components"], sub[criterion], marker=styles.get(t, "o"), linewidth=1.6,
                markersize=5, label=t)
    values = table[criterion].to_numpy(dtype=np.float64)
    best = int(np.nanargmin(np.where(np.isfinite(values), values, np.nan)))
    row = table.iloc[best]
    ax.plot([row["n_components"]], [row[criterion]], marker="*", markersize=18, color="gold",
            markeredgecolor="black", linestyle="", zorder=5,
            label=f"best: K={row['n_components']}, {row['covariance_type']}")
    finite = np.sort(values[np.isfinite(values)])
    if zoom and finite.size >= 5:
        lo = finite[0]
        type_best = [np.nanmin(np.where(np.isfinite(v), v, np.nan)) for _, v in
                     table.groupby("covariance_type", sort=False)[criterion]]
        hi = max(np.quantile(finite, 0.5), np.nanmax(type_best))
        hi += 0.08 * (hi - lo)
        if lo < hi < finite[-1]:
            ax.set_ylim(lo - 0.06 * (hi - lo), hi)
    ax.set_xlabel("number of components K")
    ax.set_ylabel(f"{criterion.upper()} (lower is better)")
    ks = sorted(set(int(k) for k in table["n_components"]))
    ax.set_xticks(ks)
    ax.legend(fontsize="small", frameon=False)
    ax.grid(alpha=0.3)
    return ax


def plot_objective(gm, ax=None):
    """The EM objective (mean log-likelihood per row) after each iteration.

    Parameters
    ----------
    gm : fitted GaussianMixture
        Uses ``lower_bounds_`` (entry 0: the start) and marks ``resets_``.
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import gaussmix
    >>> from gaussmix.plot import plot_objective
    >>> gm = gaussmix.GaussianMixture(2, random_state=0).fit(gaussmix.load_faithful())
    >>> len(plot_objective(gm).lines[0].get_xdata()) == len(gm.lower_bounds_)
    True
    """
    ax = _new_ax(ax)
    lb = np.asarray(getattr(gm, "lower_bounds_", []), dtype=np.float64)
    if lb.size == 0:
        ax.text(0.5, 0.5, "no EM history (model built from parameters)", ha="center",
                va="center", transform=ax.transAxes)
        return ax
    it = np.arange(lb.size)
    ax.plot(it, lb, marker="o" if lb.size <= 60 else None, markersize=3, linewidth=1.6,
            color="tab:blue", label="mean log-likelihood")
    for r, (iteration, comp) in enumerate(getattr(gm, "resets_", [])):
        ax.axvline(iteration, color="tab:red", linestyle=":", linewidth=1,
                   label="component re-seeded" if r == 0 else None)
    ax.set_xlabel("EM iteration")
    ax.set_ylabel("mean log-likelihood per row")
    ax.ticklabel_format(axis="y", useOffset=False)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(f"{'converged' if getattr(gm, 'converged_', True) else 'not converged'} after "
                 f"{lb.size - 1} iteration(s)", fontsize="medium")
    if lb.size > 1:
        lo, hi = np.nanmin(lb[np.isfinite(lb)]), np.nanmax(lb[np.isfinite(lb)])
        pad = 0.05 * (hi - lo) if hi > lo else 0.01 * max(abs(hi), 1.0)
        ax.set_ylim(lo - pad, hi + pad)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", frameon=False, loc="lower right")
    return ax


def plot_samples(gm, X, axes=None, *, n_samples=None, random_state=0, features=(0, 1)):
    """The data beside synthetic rows drawn from the model, on the same scales.

    Parameters
    ----------
    gm : fitted GaussianMixture
    X : array-like of shape (n_samples, n_features)
    axes : sequence of two matplotlib Axes, optional
        Left: data; right: synthetic. Default: a new figure with two panels.
    n_samples : int, optional
        Synthetic rows; default as many as the data.
    random_state : int or Generator, default=0
    features : (int, int), default=(0, 1)
        Columns drawn for data with 2 or more features (1-D data: histograms).

    Returns
    -------
    axes : list of two matplotlib Axes
    """
    A, names = _as_array(X)
    _check_fitted_dims(gm, A)
    names = _names(gm, names, A.shape[1])
    if axes is None:
        plt = _pyplot()
        _, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharex=True, sharey=True)
    axes = list(np.ravel(axes))
    n = A.shape[0] if n_samples is None else int(n_samples)
    S, comp = gm.sample(n, random_state=random_state)
    K = gm.means_.shape[0]
    colors = np.asarray(_colors(K))
    if A.shape[1] == 1:
        edges = np.histogram_bin_edges(np.concatenate([A[:, 0], S[:, 0]]), bins="auto")
        axes[0].hist(A[:, 0], bins=edges, color="0.5", edgecolor="white")
        axes[1].hist(S[:, 0], bins=edges, color="tab:orange", edgecolor="white")
        lo, hi = _padded_range(np.concatenate([A[:, 0], S[:, 0]]))
        for ax in axes:
            ax.set_xlim(lo, hi)
            ax.set_xlabel(names[0])
        axes[0].set_ylabel("rows")
    else:
        i, j = features
        idx = _subset(A)
        sidx = _subset(S)
        axes[0].scatter(A[idx, i], A[idx, j], s=8, color="0.35", alpha=0.7, linewidths=0)
        axes[1].scatter(S[sidx, i], S[sidx, j], s=8, c=colors[comp[sidx]], alpha=0.7,
                        linewidths=0)
        xlo, xhi = _padded_range(np.concatenate([A[:, i], S[:, i]]))
        ylo, yhi = _padded_range(np.concatenate([A[:, j], S[:, j]]))
        for ax in axes:
            ax.set_xlim(xlo, xhi)
            ax.set_ylim(ylo, yhi)
            ax.set_xlabel(names[i])
        axes[0].set_ylabel(names[j])
    axes[0].set_title(f"data ({A.shape[0]} rows)", fontsize="medium")
    axes[1].set_title(f"synthetic ({n} rows drawn from the model)", fontsize="medium")
    return axes


def plot_component_sizes(gm, X, ax=None):
    """Mixture weights beside the share of rows whose most likely component is each.

    Parameters
    ----------
    gm : fitted GaussianMixture
    X : array-like of shape (n_samples, n_features)
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : matplotlib Axes
        Two bars per component (weight; share of rows).
    """
    A, _ = _as_array(X)
    _check_fitted_dims(gm, A)
    ax = _new_ax(ax)
    K = gm.means_.shape[0]
    labels = np.asarray(_call(gm, "predict", A))
    share = np.bincount(labels, minlength=K) / max(len(labels), 1)
    colors = _colors(K)
    x = np.arange(K)
    ax.bar(x - 0.2, gm.weights_, width=0.4, color=colors, label="weight (model)")
    ax.bar(x + 0.2, share, width=0.4, color=colors, alpha=0.45, hatch="//",
           label="share of rows assigned")
    ax.set_xticks(x)
    ax.set_xticklabels([f"component {k}" for k in range(K)], rotation=0 if K <= 6 else 45)
    ax.set_ylabel("fraction")
    ax.set_ylim(0, max(1e-9, float(max(gm.weights_.max(), share.max()))) * 1.15)
    ax.legend(fontsize="small", frameon=False)
    return ax


def em_steps(X, n_components=2, covariance_type="full", *, max_iter=300, tol=1e-5,
             init="broad", random_state=0, reg_covar=1e-6):
    """Parameters of EM after each iteration, from the initialisation to convergence.

    Runs EM one iteration at a time (a ``GaussianMixture`` started from the
    initial parameters with ``max_iter=1, warm_start=True``, refitted repeatedly)
    until the mean log-likelihood rises by less than ``tol``, or ``max_iter``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    n_components : int, default=2
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
    max_iter : int, default=300
    tol : float, default=1e-5
    init : str, default="broad"
        ``"broad"``: the lecture's start, means at distinct random rows, every
        covariance the data's covariance, equal weights: a poor start that shows
        EM at work. Any ``GaussianMixture`` ``init_params`` (``"kmeans"``,
        ``"random"``, ``"auto"``, ...) starts where that fit would start.
    random_state : int or None, default=0
    reg_covar : float, default=1e-6

    Returns
    -------
    steps : list of dict
        ``steps[i]`` after ``i`` iterations (``steps[0]``: the start), with keys
        ``iteration``, ``model`` (a fitted ``GaussianMixture`` holding those
        parameters) and ``objective`` (mean log-likelihood per row). The objective
        never decreases (except where a collapsed component was re-seeded).

    Examples
    --------
    >>> import gaussmix
    >>> from gaussmix.plot import em_steps
    >>> steps = em_steps(gaussmix.load_faithful(), 2, random_state=0)
    >>> steps[0]["objective"] < steps[-1]["objective"]
    True
    """
    import copy

    from sklearn.exceptions import ConvergenceWarning

    from ..mixture import DegenerateComponentWarning, GaussianMixture

    A, _ = _as_array(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", DegenerateComponentWarning)
        if init == "broad":
            start = _broad_start(A, n_components, covariance_type, random_state, reg_covar)
        else:
            start = GaussianMixture(n_components, covariance_type=covariance_type, max_iter=0,
                                    init_params=init, random_state=random_state,
                                    reg_covar=reg_covar).fit(A)
        steps = [{"iteration": 0, "model": start, "objective": start.score(A)}]
        gm = GaussianMixture(n_components, covariance_type=covariance_type, max_iter=1, tol=0.0,
                             warm_start=True, reg_covar=reg_covar,
                             weights_init=start.weights_, means_init=start.means_,
                             precisions_init=start.precisions_)
        for it in range(1, max_iter + 1):
            gm.fit(A)
            steps.append({"iteration": it, "model": copy.deepcopy(gm), "objective": gm.score(A)})
            if abs(steps[-1]["objective"] - steps[-2]["objective"]) < tol:
                break
    return steps


def _broad_start(A, K, covariance_type, random_state, reg_covar):
    """Means at K distinct random rows, the data's covariance for each, equal weights."""
    from ..mixture import GaussianMixture

    rng = np.random.default_rng(random_state)
    rows = np.unique(A, axis=0)
    if rows.shape[0] < K:
        raise ValueError(f"X has {rows.shape[0]} distinct row(s), fewer than n_components={K}.")
    means = rows[rng.choice(rows.shape[0], size=K, replace=False)]
    d = A.shape[1]
    C = np.atleast_2d(np.cov(A, rowvar=False)) + reg_covar * np.eye(d)
    cov = {"full": np.broadcast_to(C, (K, d, d)).copy(), "tied": C,
           "diag": np.broadcast_to(np.diag(C), (K, d)).copy(),
           "spherical": np.full(K, np.trace(C) / d)}[covariance_type]
    return GaussianMixture.from_parameters(np.full(K, 1.0 / K), means, cov, covariance_type,
                                           reg_covar=reg_covar)


def plot_em_step(step, X, ax=None, *, sigmas=SIGMAS, title=None):
    """One EM state in 2-D: points coloured by responsibilities, component ellipses.

    Each point's colour mixes the component colours in proportion to its
    responsibilities (as in Bishop's figures of EM on Old Faithful).

    Parameters
    ----------
    step : dict
        An element of :func:`em_steps` (or ``{"model": gm, "iteration": i,
        "objective": value}``).
    X : array-like of shape (n_samples, 2)
    ax : matplotlib Axes, optional
    sigmas : sequence of float, default=(1, 2)
    title : str, optional
        Default: "Initialisation" for iteration 0, else "After i iteration(s)".

    Returns
    -------
    ax : matplotlib Axes
    """
    A, names = _as_array(X)
    if A.shape[1] != 2:
        raise ValueError(f"plot_em_step draws 2-D data; X has {A.shape[1]} columns.")
    gm = step["model"]
    names = _names(gm, names, 2)
    ax = _new_ax(ax)
    K = gm.means_.shape[0]
    colors = np.asarray(_colors(K))[:, :3]
    resp = gm.predict_proba(A)
    ax.scatter(A[:, 0], A[:, 1], c=np.clip(resp @ colors, 0, 1), s=14, alpha=0.85,
               linewidths=0, zorder=2)
    _ellipses(ax, gm.means_, full_covariances(gm), colors, sigmas)
    ax.scatter(gm.means_[:, 0], gm.means_[:, 1], marker="X", s=90, c=colors,
               edgecolors="black", zorder=6)
    xlo, xhi = _padded_range(A[:, 0])
    ylo, yhi = _padded_range(A[:, 1])
    ax.set_xlim(xlo, xhi)
    ax.set_ylim(ylo, yhi)
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    it = int(step.get("iteration", 0))
    if title is None:
        title = "Initialisation" if it == 0 else f"After {it} iteration{'s' if it != 1 else ''}"
    ax.set_title(f"{title}   (mean log-likelihood {step['objective']:.4f})", fontsize="medium")
    return ax


def _frame_indices(n_steps, max_frames):
    """All early iterations, then ever sparser ones; always the first and the last."""
    if n_steps <= max_frames:
        return list(range(n_steps))
    geo = np.unique(np.round(np.geomspace(1, n_steps - 1, max_frames * 2)).astype(int))
    idx = sorted(set([0, n_steps - 1]) | set(geo.tolist()))
    while len(idx) > max_frames:
        # drop the middle-most of the densest part, keep the ends
        idx.pop(len(idx) // 2)
    return idx


def animate_em(X, n_components=2, covariance_type="full", *, path=None, fps=4,
               max_frames=40, hold_last=6, dpi=80, figsize=(6.0, 4.8), **em_kwargs):
    """An animation of EM in 2-D from initialisation to convergence; optionally a GIF.

    Parameters
    ----------
    X : array-like of shape (n_samples, 2)
    n_components : int, default=2
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
    path : str or os.PathLike, optional
        Write a GIF there (atomically: a temporary file, then renamed).
    fps : int, default=4
        Frames per second.
    max_frames : int, default=40
        Frames drawn: every early iteration, then ever sparser ones, always the
        initialisation and the converged state.
    hold_last : int, default=6
        Extra repeats of the last frame (a pause before the GIF loops).
    dpi : int, default=80
    figsize : (float, float), default=(6.0, 4.8)
    **em_kwargs
        Passed to :func:`em_steps` (``random_state``, ``init``, ``tol``, ...).

    Returns
    -------
    anim : matplotlib.animation.FuncAnimation
        With ``anim.steps`` (the :func:`em_steps` list) and ``anim.frame_steps``
        (which step each frame shows).

    Examples
    --------
    >>> import gaussmix
    >>> from gaussmix.plot import animate_em
    >>> anim = animate_em(gaussmix.load_faithful(), 2, path="em.gif")  # doctest: +SKIP
    """
    from matplotlib.animation import FuncAnimation
    from matplotlib.figure import Figure

    A, names = _as_array(X)
    if A.shape[1] != 2:
        raise ValueError(f"animate_em draws 2-D data; X has {A.shape[1]} columns "
                         "(pick two with X[:, [i, j]]).")
    steps = em_steps(A, n_components, covariance_type, **em_kwargs)
    frames = _frame_indices(len(steps), max_frames)
    frames = frames + [frames[-1]] * int(hold_last)
    fig = Figure(figsize=figsize, layout="constrained", dpi=dpi)
    ax = fig.add_subplot()
    data = A if names is None else _frame_data(A, names)

    def draw(f):
        ax.clear()
        step = steps[frames[f]]
        last = frames[f] == len(steps) - 1
        title = ("Converged after " if last else None)
        if last:
            title = f"{title}{step['iteration']} iterations"
        plot_em_step(step, data, ax, title=title)
        return []

    anim = FuncAnimation(fig, draw, frames=len(frames), interval=1000 / fps, blit=False,
                         repeat=True)
    anim.steps = steps
    anim.frame_steps = frames
    if path is not None:
        _save_gif(fig, draw, frames, path, fps)
    return anim


def _save_gif(fig, draw, frames, path, fps):
    """Write the frames as a compact GIF (atomically): each frame rendered by Agg and
    reduced to an adaptive 32-colour palette without dithering (plots have few colours;
    dithering would only add noise and bytes); repeats become one longer frame."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    from ..io.atomic import atomic_path

    canvas = FigureCanvasAgg(fig)
    images, durations = [], []
    frame_ms = int(round(1000 / fps))
    for f in range(len(frames)):
        if f and frames[f] == frames[f - 1]:
            durations[-1] += frame_ms
            continue
        draw(f)
        canvas.draw()
        rgb = Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3])
        images.append(rgb.quantize(colors=32, method=Image.Quantize.FASTOCTREE,
                                   dither=Image.Dither.NONE))
        durations.append(frame_ms)
    with atomic_path(os.fspath(path)) as tmp:
        images[0].save(tmp, format="GIF", save_all=True, append_images=images[1:],
                       duration=durations, loop=0, optimize=True, disposal=1)


def _frame_data(A, names):
    try:
        import pandas as pd
    except ImportError:
        return A
    return pd.DataFrame(A, columns=names)
