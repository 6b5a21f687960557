"""Checks of a fit: the EM objective per iteration, synthetic rows beside the data,
and component weights beside the rows each component explains best."""

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
    pyplot,
)


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
    ax = new_ax(ax)
    lb = np.asarray(getattr(gm, "lower_bounds_", []), dtype=np.float64)
    if lb.size == 0:
        ax.text(0.5, 0.5, "no EM history (model built from parameters)", ha="center",
                va="center", transform=ax.transAxes)
        return ax
    it = np.arange(lb.size)
    ax.plot(it, lb, marker="o" if lb.size <= 60 else None, markersize=3, linewidth=1.6,
            color="tab:blue", label="mean log-likelihood")
    for r, (iteration, _) in enumerate(getattr(gm, "resets_", [])):
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
    A, names = as_array(X)
    check_fitted(gm, A)
    names = column_names(gm, names, A.shape[1])
    if axes is None:
        _, axes = pyplot().subplots(1, 2, figsize=(10, 4.2), sharex=True, sharey=True)
    axes = list(np.ravel(axes))
    n = A.shape[0] if n_samples is None else int(n_samples)
    S, comp = gm.sample(n, random_state=random_state)
    if A.shape[1] == 1:
        _histograms_side_by_side(axes, A[:, 0], S[:, 0], names[0])
    else:
        colors = np.asarray(component_colors(gm.means_.shape[0]))
        _scatters_side_by_side(axes, A, S, colors, comp, features, names)
    axes[0].set_title(f"data ({A.shape[0]} rows)", fontsize="medium")
    axes[1].set_title(f"synthetic ({n} rows drawn from the model)", fontsize="medium")
    return axes


def _histograms_side_by_side(axes, x, s, name):
    """Data (left) and synthetic values (right) on shared bins and limits."""
    both = np.concatenate([x, s])
    edges = np.histogram_bin_edges(both, bins="auto")
    axes[0].hist(x, bins=edges, color="0.5", edgecolor="white")
    axes[1].hist(s, bins=edges, color="tab:orange", edgecolor="white")
    lo, hi = padded_range(both)
    for ax in axes:
        ax.set_xlim(lo, hi)
        ax.set_xlabel(name)
    axes[0].set_ylabel("rows")


def _scatters_side_by_side(axes, A, S, colors, comp, features, names):
    """Data rows (left, grey) and synthetic rows coloured by the component that drew
    them (right), on shared limits."""
    i, j = features
    idx = point_subset(A)
    sidx = point_subset(S)
    axes[0].scatter(A[idx, i], A[idx, j], s=8, color="0.35", alpha=0.7, linewidths=0)
    axes[1].scatter(S[sidx, i], S[sidx, j], s=8, c=label_colors(colors, comp[sidx]), alpha=0.7, linewidths=0)
    xlo, xhi = padded_range(np.concatenate([A[:, i], S[:, i]]))
    ylo, yhi = padded_range(np.concatenate([A[:, j], S[:, j]]))
    for ax in axes:
        ax.set_xlim(xlo, xhi)
        ax.set_ylim(ylo, yhi)
        ax.set_xlabel(names[i])
    axes[0].set_ylabel(names[j])


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
    A, _ = as_array(X)
    check_fitted(gm, A)
    ax = new_ax(ax)
    K = gm.means_.shape[0]
    labels = np.asarray(call_with_feature_names(gm, "predict", A))
    share = np.bincount(labels[labels >= 0], minlength=K) / max(len(labels), 1)
    colors = component_colors(K)
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
