"""How much of wide data the report shows: the first columns in its tables, with a
note of how many there are, so its size and work stay bounded however many columns
the data has."""

from __future__ import annotations

import html

#: Tables with one column per data column (means, standard deviations, covariance
#: matrices, least likely rows, synthetic rows) show the first this many.
MAX_TABLE_COLUMNS = 20
#: Tables with one row per data column (the data summary, the synthetic columns'
#: means and standard deviations) show the first this many.
MAX_TABLE_ROWS = 50


def first_columns(d, limit):
    """Positions of the columns a table shows: the first ``limit`` of ``d``."""
    return list(range(min(d, limit)))


def shown_note(shown, names):
    """A note under a table that shows only the first ``shown`` of the columns
    ``names``; empty where it shows them all."""
    d = len(names)
    if shown >= d:
        return ""
    return (f"<p class='note'>The first {shown} of {d} columns ({html.escape(names[0])} to "
            f"{html.escape(names[shown - 1])}).</p>")
