"""The least-likely-rows section: outlier candidates by their log-density."""

from __future__ import annotations

import numpy as np

from ..limits import MAX_TABLE_COLUMNS, first_columns, shown_note
from ..markup import Raw, table
from ..outline import heading


def outliers_section(ctx):
    """The ``ctx.n_outliers`` rows of lowest log-density, with their percentile and
    most likely component (the first :data:`~gaussmix.report.limits.MAX_TABLE_COLUMNS`
    columns of wider data)."""
    logdens, m = ctx.logdens, ctx.n_outliers
    worst = np.argsort(logdens, kind="stable")[:m]
    # the share of rows at most as likely, from the sorted values (n log n, not n * m)
    pct = np.searchsorted(np.sort(logdens), logdens[worst], side="right") / ctx.n * 100
    cols = first_columns(ctx.d, MAX_TABLE_COLUMNS)
    rows = [[int(i) + 1, logdens[i], Raw(f"{pct[r]:.1f}%"), int(ctx.labels[i])]
            + list(ctx.A[i, cols]) for r, i in enumerate(worst)]
    return (heading("outliers")
            + f"<p>The {m} rows with the lowest log-density under the model: outlier "
              "candidates worth a look (a typo, another population, a rare event). Row "
              "numbers count data rows from 1; percentile: the share of rows at most as "
              "likely.</p>"
            + table(["row", "log-density", "percentile", "component"]
                    + [ctx.names[j] for j in cols], rows)
            + shown_note(len(cols), ctx.names))
