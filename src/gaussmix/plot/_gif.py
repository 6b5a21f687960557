"""Writing an animation's frames as a small GIF, atomically."""

from __future__ import annotations

import os

import numpy as np

from ..io.atomic import atomic_path


def save_gif(fig, draw, frames, path, fps):
    """Write the frames as a compact GIF (atomically).

    Each frame is rendered by Agg and reduced to an adaptive 32-colour palette
    without dithering (plots have few colours; dithering would only add noise and
    bytes); repeats of a frame become one longer frame.

    Parameters
    ----------
    fig : matplotlib Figure
    draw : callable
        ``draw(f)`` draws frame ``f`` on ``fig``.
    frames : list
        What each frame shows; equal neighbours are repeats.
    path : str or os.PathLike
    fps : float
        Frames per second.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = FigureCanvasAgg(fig)
    images, durations = [], []
    frame_ms = int(round(1000 / fps))
    for f in range(len(frames)):
        if f and frames[f] == frames[f - 1]:
            durations[-1] += frame_ms
            continue
        draw(f)
        canvas.draw()
        rgb = Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3])
        images.append(rgb.quantize(colors=32, method=Image.Quantize.FASTOCTREE,
                                   dither=Image.Dither.NONE))
        durations.append(frame_ms)
    with atomic_path(os.fspath(path)) as tmp:
        images[0].save(tmp, format="GIF", save_all=True, append_images=images[1:],
                       duration=durations, loop=0, optimize=True, disposal=1)
