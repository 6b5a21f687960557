"""The density section: the picture that suits the dimension, and for 2-D data an
animation of EM from a poor start to convergence."""

from __future__ import annotations

import html
import os
import tempfile
import warnings

import numpy as np

from ...utils.columns import named_frame
from ..markup import data_uri, figure, png_uri
from ..outline import heading

#: What the density picture shows, by the number of columns drawn (3 stands for "more").
_CAPTIONS = {
    1: "Histogram of the data with the fitted density (black) and each weighted "
       "component (coloured).",
    2: "Rows coloured by their most likely component, density contours (at 5, 25, 50, "
       "75 and 95% quantiles of the density over the rows), and the 1 sigma (solid) and "
       "2 sigma (dashed) ellipse of each component; crosses mark the means.",
    3: "Every pair of columns: rows coloured by most likely component with the 1 and 2 "
       "sigma ellipses of each component's marginal; on the diagonal each column's histogram "
       "and the mixture's marginal density.",
}


def density_section(ctx):
    """The fitted density over the chosen columns (``ctx.plot_columns``); the EM
    animation where ``ctx.animation``."""
    from ...plot import plot_model

    cols, note = ctx.plot_columns
    gm = ctx.gm
    title = f"{gm.n_components} component(s), covariance_type={gm.covariance_type!r}"
    fig = plot_model(gm, ctx.X, features=cols, title=title if note is None else f"{title}\n{note}")
    parts = [heading("density"),
             figure(png_uri(fig, dpi=90 if len(cols) > 3 else 100), "fitted density",
                    _CAPTIONS[min(len(cols), 3)] + _columns_caption(cols, note, ctx.names))]
    if ctx.animation:
        parts.append(_animation(ctx))
    return "".join(parts)


def _columns_caption(cols, note, names):
    """Which columns the picture draws, where it does not draw them all."""
    if len(cols) == len(names):
        return ""
    if note is not None:
        return f" The picture draws the {html.escape(note)}."
    return (f" The picture draws {len(cols)} of {len(names)} columns: "
            f"{html.escape(', '.join(names[c] for c in cols))}.")


def _animation(ctx):
    """EM for the chosen K and covariance type as an embedded GIF (written to a
    temporary file, read back); a note instead where the data has fewer distinct rows
    than components (EM's start puts each mean at a distinct row)."""
    from ...plot import animate_em

    gm = ctx.gm
    distinct = np.unique(ctx.A, axis=0).shape[0]
    if distinct < gm.n_components:
        reason = (f"the report has no EM animation: the data has {distinct} distinct row(s), "
                  f"fewer than the {gm.n_components} components of the chosen model.")
        warnings.warn(reason, UserWarning, stacklevel=2)
        return f"<h3>EM at work</h3><p class='note'>{reason[0].upper() + reason[1:]}</p>"
    seed = 0 if ctx.random_state is None else ctx.random_state
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "em.gif")
        anim = animate_em(named_frame(ctx.A, ctx.names), gm.n_components, gm.covariance_type,
                          path=path, random_state=seed, dpi=72, max_frames=30)
        with open(path, "rb") as fh:
            uri = data_uri(fh.read(), "image/gif")
    n_it = anim.steps[-1]["iteration"]
    return "<h3>EM at work</h3>" + figure(
        uri, "animation of EM from initialisation to convergence",
        f"EM for the chosen K and covariance type from a deliberately poor start (means at random "
        f"rows, every covariance the data's) to convergence after {n_it} iterations: each row's "
        "colour mixes the component colours by its responsibilities.")
