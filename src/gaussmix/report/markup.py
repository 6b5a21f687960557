"""HTML pieces of the report: numbers as text, tables, fact boxes, embedded figures.

Everything returned is a string of HTML; text from the data (column names, titles)
is escaped here, so section code never writes raw user text.
"""

from __future__ import annotations

import base64
import html
import io

import numpy as np


class Raw(str):
    """Already-escaped HTML for a table cell."""


def fmt(v, digits=6):
    """A value as table text: yes/no, integers as they are, floats to ``digits``
    significant digits (two more from 1e5 on), anything else escaped."""
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (int, np.integer)):
        return f"{int(v)}"
    if isinstance(v, (float, np.floating)):
        if not np.isfinite(v):
            return str(v)
        return f"{v:.{digits}g}" if abs(v) < 1e5 else f"{v:.{digits + 2}g}"
    return html.escape(str(v))


def table(header, rows, *, left=1, row_class=None):
    """An HTML table in a horizontally scrolling box; the first ``left`` columns
    left-aligned, cells through :func:`fmt` unless :class:`Raw`."""
    out = ["<div class='scroll'><table><thead><tr>"]
    out += [f"<th class='{'l' if j < left else ''}'>{html.escape(str(h))}</th>"
            for j, h in enumerate(header)]
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(rows):
        cls = row_class(i) if row_class else ""
        out.append(f"<tr class='{cls}'>" + "".join(
            f"<td class='{'l' if j < left else ''}'>{v if isinstance(v, Raw) else fmt(v)}</td>"
            for j, v in enumerate(row)) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def facts(items):
    """A grid of boxes, one big value over its escaped label each; values are HTML."""
    return "<div class='facts'>" + "".join(
        f"<div class='fact'><b>{v}</b><span>{html.escape(k)}</span></div>" for k, v in items
    ) + "</div>"


def figure(uri, alt, caption):
    """An embedded picture with a caption (the caption is HTML)."""
    return (f'<figure><img src="{uri}" alt="{html.escape(alt)}">'
            f"<figcaption>{caption}</figcaption></figure>")


def png_uri(fig, dpi=100):
    """A matplotlib figure as a ``data:`` URI of a PNG: the page loads nothing."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return data_uri(buf.getvalue(), "image/png")


def data_uri(content, mime):
    """Bytes as a base64 ``data:`` URI."""
    return f"data:{mime};base64," + base64.b64encode(content).decode("ascii")
