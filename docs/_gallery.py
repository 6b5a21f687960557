"""Helpers for the example gallery, named in conf.py's ``sphinx_gallery_conf``.

They are referred to by name (``"_gallery.ExampleOrder"``) rather than as objects, so
that Sphinx can cache the configuration.
"""

from __future__ import annotations

from pathlib import PurePosixPath

#: Reading order of the examples; files not listed come last, by name.
ORDER = [
    "plot_density_1d.py",
    "plot_density_2d.py",
    "plot_choosing_k.py",
    "plot_synthetic_data.py",
    "plot_em_animation.py",
    "plot_collapse.py",
    "plot_kmeans_limit.py",
    "plot_noise_component.py",
]


class ExampleOrder:
    """Sort key for ``within_subsection_order``: the position in ORDER."""

    def __init__(self, src_dir):
        self.src_dir = src_dir

    def __call__(self, filename):
        if filename in ORDER:
            return (ORDER.index(filename), filename)
        return (len(ORDER), filename)

    def __repr__(self):
        return "ExampleOrder"


def animation_scraper(block, block_vars, gallery_conf):
    """Show each new matplotlib animation of an example as a GIF.

    sphinx-gallery's own ``matplotlib_animations`` option only finds animations on
    pyplot figures, and its HTML players link a remote icon font. The animations of
    :func:`gaussmix.plot.animate_em` live on a plain ``Figure``; this scraper writes
    them with matplotlib's Pillow writer (no ffmpeg), so the page needs neither
    JavaScript nor the network.
    """
    from matplotlib.animation import Animation, PillowWriter
    from sphinx_gallery.scrapers import figure_rst

    paths = []
    for value in list(block_vars["example_globals"].values()):
        if not isinstance(value, Animation) or getattr(value, "_gaussmix_docs_shown", False):
            continue
        path = PurePosixPath(next(block_vars["image_path_iterator"])).with_suffix(".gif")
        fps = 1000.0 / float(getattr(value, "_interval", 250))
        value.save(str(path), writer=PillowWriter(fps=fps))
        value._gaussmix_docs_shown = True
        paths.append(str(path))
    if not paths:
        return ""
    return figure_rst(paths, gallery_conf["src_dir"])
