"""The synthetic-data section: rows drawn from the chosen model beside the data."""

from __future__ import annotations

import numpy as np

from ..limits import MAX_TABLE_COLUMNS, MAX_TABLE_ROWS, first_columns, shown_note
from ..markup import figure, png_uri, table
from ..outline import heading


def synthetic_section(ctx):
    """Synthetic rows (seeded by ``ctx.random_state``) beside the data: a picture, the
    columns' means and standard deviations, and a few of the rows (of wide data, the
    first :data:`~gaussmix.report.limits.MAX_TABLE_ROWS` columns' moments and the first
    :data:`~gaussmix.report.limits.MAX_TABLE_COLUMNS` columns of the rows)."""
    from matplotlib.figure import Figure

    from ...plot import plot_samples

    A, n, d, names, seed = ctx.A, ctx.n, ctx.d, ctx.names, ctx.random_state
    n_syn = ctx.n_synthetic
    S, comp = ctx.gm.sample(n_syn, random_state=seed)
    fig = Figure(figsize=(11, 4.3), layout="constrained")
    axes = fig.subplots(1, 2, sharex=True, sharey=True)
    plot_samples(ctx.gm, ctx.X, axes, n_samples=n_syn, random_state=seed)
    moments = [[names[j], A[:, j].mean(), S[:, j].mean(), A[:, j].std(ddof=1) if n > 1 else 0.0,
                S[:, j].std(ddof=1) if n_syn > 1 else 0.0]
               for j in first_columns(d, MAX_TABLE_ROWS)]
    cols = first_columns(d, MAX_TABLE_COLUMNS)
    show = np.sort(np.random.default_rng(seed).permutation(n_syn)[:min(8, n_syn)])
    return (heading("synthetic")
            + f"<p>{n_syn} rows drawn from the chosen model (seed {seed}) beside the "
              "data, on the same scales. If the model describes the data well, the two look "
              "alike.</p>"
            + figure(png_uri(fig), "data beside synthetic rows",
                     "Data (left) and synthetic rows coloured by the component that drew "
                     "them (right)" + ("; first two columns." if d > 2 else "."))
            + table(["column", "mean (data)", "mean (synthetic)", "std (data)",
                     "std (synthetic)"], moments)
            + shown_note(len(moments), names)
            + "<h3>A few synthetic rows</h3>"
            + table(["component"] + [names[j] for j in cols],
                    [[int(comp[i])] + list(S[i, cols]) for i in show])
            + shown_note(len(cols), names))
