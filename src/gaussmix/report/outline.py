"""The report's sections in page order: their anchors and headings, for the
navigation bar and the section headings alike."""

from __future__ import annotations

#: (anchor, heading) of every section after the header, in page order.
SECTIONS = (
    ("data", "Data"),
    ("selection", "Model selection"),
    ("model", "Chosen model"),
    ("density", "Density"),
    ("sizes", "Component sizes"),
    ("outliers", "Least likely rows"),
    ("synthetic", "Synthetic data"),
)


def heading(anchor):
    """The ``<h2>`` that opens the section ``anchor`` (the target of its nav link)."""
    return f"<h2 id='{anchor}'>{dict(SECTIONS)[anchor]}</h2>"


def nav():
    """Links to every section."""
    return "<nav>" + "".join(f"<a href='#{a}'>{t}</a>" for a, t in SECTIONS) + "</nav>"
