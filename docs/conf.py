"""Sphinx configuration of the gaussmix documentation.

Build with ``make docs`` (warnings are errors). Nothing here reaches the network:
no intersphinx inventories, no remote images or fonts, and no math renderer (the
formulas are plain text), so the pages also read offline.
"""

from __future__ import annotations

import os
import sys

import matplotlib

matplotlib.use("Agg")

import gaussmix  # noqa: E402  (imported after choosing the backend)
import gaussmix.plot  # noqa: E402

# -- Project -------------------------------------------------------------------------
project = "gaussmix"
author = "the gaussmix developers"
copyright = "gaussmix developers, BSD-3-Clause"
release = gaussmix.__version__
version = release

# -- Extensions: Sphinx's own plus the field's usual three ----------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store", "**.ipynb_checkpoints"]
root_doc = "index"
default_role = "code"       # `x` in prose is code, not a dangling reference
highlight_language = "python3"
pygments_style = "sphinx"

# -- API reference ---------------------------------------------------------------------
autosummary_generate = True            # stubs are written to api/generated/ at build time
autosummary_imported_members = False
autodoc_typehints = "none"             # the numpydoc sections carry the types
numpydoc_show_class_members = False    # member tables come from our class template
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False       # no links for "array-like", "int", ...
numpydoc_validation_checks = set()

# -- Gallery ---------------------------------------------------------------------------
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)  # for _gallery (sort key, animation scraper)

sphinx_gallery_conf = {
    "examples_dirs": os.path.join(here, "..", "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "within_subsection_order": "_gallery.ExampleOrder",
    "doc_module": ("gaussmix",),
    "backreferences_dir": os.path.join("generated", "backreferences"),
    "download_all_examples": False,
    "remove_config_comments": True,
    "show_memory": False,
    # animations are shown as GIFs by _gallery.animation_scraper (see its docstring)
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib", "_gallery.animation_scraper"),
    "reset_modules": ("matplotlib",),
    "min_reported_time": 1,
    # the timing page loads its table scripts from CDNs: leave it out
    "write_computation_times": False,
}

# Examples must not reach a display.
os.environ.setdefault("MPLBACKEND", "Agg")

# -- HTML --------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"gaussmix {release}"
html_static_path = ["_static"]
html_css_files = ["gaussmix.css"]
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "show_prev_next": True,
    "navigation_with_keys": False,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_sidebars = {"index": [], "api": []}
html_context = {"default_mode": "light"}


# -- Checks ------------------------------------------------------------------------
def _check_plot_api(app):
    """Every name in ``gaussmix.plot.__all__`` must have a line in api.rst."""
    from sphinx.util import logging

    logger = logging.getLogger("gaussmix-docs")
    with open(os.path.join(app.srcdir, "api.rst"), encoding="utf-8") as fh:
        listed = {line.strip() for line in fh if line.startswith("   ")}
    for name in gaussmix.plot.__all__:
        if name not in listed:
            logger.warning(f"gaussmix.plot.{name} is in gaussmix.plot.__all__ but not in "
                           "docs/api.rst; add it to the plot section.")
    for name in gaussmix.__all__:
        if name not in listed:
            logger.warning(f"gaussmix.{name} is in gaussmix.__all__ but not in docs/api.rst.")


def setup(app):
    app.connect("builder-inited", _check_plot_api)
