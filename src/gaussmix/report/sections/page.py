"""The page around the sections: the footer and the self-contained HTML document."""

from __future__ import annotations

import html

from ..style import CSS


def footer(ctx):
    """Which gaussmix made the page, with which seed; that nothing is loaded."""
    from ... import __version__

    return (f"<footer>Made by gaussmix {html.escape(__version__)}; "
            f"random_state={ctx.random_state!r}. "
            "This page is self-contained: pictures are embedded, nothing is loaded from "
            "the network.</footer>")


def page(title, body):
    """The whole HTML document: the style sheet inlined, ``body`` in ``<main>``."""
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head>"
            f"<body><main>{body}</main></body></html>\n")
