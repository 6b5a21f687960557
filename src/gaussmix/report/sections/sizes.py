"""The component-sizes section: each component's weight beside the rows it explains
best."""

from __future__ import annotations

import numpy as np

from ..markup import figure, png_uri, table
from ..outline import heading


def sizes_section(ctx):
    """Weights, rows assigned and their share, as a table and as bars."""
    from matplotlib.figure import Figure

    from ...plot import plot_component_sizes

    gm, n = ctx.gm, ctx.n
    counts = np.bincount(ctx.labels[ctx.labels >= 0], minlength=gm.n_components)  # -1: noise
    fig = Figure(figsize=(6.4, 3.4), layout="constrained")
    plot_component_sizes(gm, ctx.X, fig.add_subplot())
    return (heading("sizes")
            + "<p>A component's weight is its share of the density; the rows assigned are "
              "those for which it is the most likely component.</p>"
            + table(["component", "weight", "rows assigned", "share of rows"],
                    [[f"{k}", gm.weights_[k], int(counts[k]), counts[k] / n] for k in ctx.order])
            + figure(png_uri(fig), "component sizes",
                     "Weights (solid) beside the share of rows assigned (hatched)."))
