"""The data section: one row of summary statistics per column (the first
:data:`~gaussmix.report.limits.MAX_TABLE_ROWS` of wider data)."""

from __future__ import annotations

import numpy as np

from ..limits import MAX_TABLE_ROWS, first_columns, shown_note
from ..markup import table
from ..outline import heading


def data_section(ctx):
    """Mean, standard deviation, quartiles and distinct values of every column."""
    n = ctx.n
    cols = first_columns(ctx.d, MAX_TABLE_ROWS)
    A = ctx.A[:, cols]
    q = np.quantile(A, [0.0, 0.25, 0.5, 0.75, 1.0], axis=0)
    rows = [[ctx.names[j], A[:, j].mean(), A[:, j].std(ddof=1) if n > 1 else 0.0, q[0, j],
             q[1, j], q[2, j], q[3, j], q[4, j], int(np.unique(A[:, j]).size)]
            for j in cols]
    return (heading("data")
            + f"<p>{n} rows, {ctx.d} numeric column(s), no missing values.</p>"
            + table(["column", "mean", "std", "min", "25%", "median", "75%", "max", "distinct"],
                    rows)
            + shown_note(len(cols), ctx.names))
