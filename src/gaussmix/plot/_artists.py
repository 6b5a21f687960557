"""Pieces drawn by several pictures: component ellipses and histogram bins."""

from __future__ import annotations

import numpy as np

from ..density import ellipse


def draw_ellipses(ax, means, covs, colors, sigmas, linewidth=1.8):
    """Draw the ``sigmas`` Mahalanobis-radius ellipses of 2-D Gaussians.

    Parameters
    ----------
    ax : matplotlib Axes
    means : ndarray of shape (K, 2)
    covs : ndarray of shape (K, 2, 2)
    colors : sequence of K colours
    sigmas : sequence of float
        Radii; 1 and below solid, larger dashed, ever fainter.
    linewidth : float, default=1.8

    Returns
    -------
    patches : list of matplotlib.patches.Ellipse
        Each with gid ``gaussmix-ellipse-{k}-{s}sigma``.
    """
    from matplotlib.patches import Ellipse

    out = []
    for k in range(means.shape[0]):
        for s, alpha in zip(sigmas, np.linspace(0.95, 0.55, len(sigmas))):
            shape = ellipse(covs[k], s)
            e = Ellipse(means[k], width=shape.width, height=shape.height, angle=shape.angle,
                        fill=False, edgecolor=colors[k], alpha=float(alpha),
                        linewidth=linewidth, linestyle="-" if s <= 1 else "--", zorder=4)
            e.set_gid(f"gaussmix-ellipse-{k}-{s:g}sigma")
            ax.add_patch(e)
            out.append(e)
    return out


def histogram_edges(x, bins="auto"):
    """Bin edges as :func:`numpy.histogram_bin_edges`, but at least 20 bins for a named
    rule on 100 or more values: "auto" is coarse for multimodal data."""
    edges = np.histogram_bin_edges(x, bins=bins)
    if isinstance(bins, str) and len(edges) < 21 and x.size >= 100:
        edges = np.histogram_bin_edges(x, bins=20)
    return edges
