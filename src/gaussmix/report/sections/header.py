"""The top of the page: title, one sentence on what was fitted, links, key numbers."""

from __future__ import annotations

import html

from ..markup import facts, fmt
from ..outline import nav


def header_section(ctx):
    """Title, lead sentence, navigation and the facts boxes."""
    esc = html.escape
    gm, crit, names = ctx.gm, ctx.criterion, ctx.names
    lead = (f"<p class='lead'>A Gaussian mixture density of {ctx.n} rows and {ctx.d} column(s) "
            f"({esc(', '.join(names[:8]))}{', ...' if ctx.d > 8 else ''}), chosen by "
            f"{crit.upper()} among {len(ctx.selection.table_)} candidates.</p>")
    boxes = facts([
        ("rows", ctx.n), ("columns", ctx.d), ("components chosen", gm.n_components),
        ("covariance type", esc(gm.covariance_type)),
        (f"{crit.upper()} (lower is better)", fmt(ctx.best_value(crit), 6)),
        ("log-likelihood", fmt(ctx.loglik, 6))])
    return f"<h1>{esc(ctx.title)}</h1>" + lead + nav() + boxes
