"""EM at work in 2-D: the parameters after each iteration, one frame per state, and
the animation from the initialisation to convergence."""

from __future__ import annotations

import warnings

import numpy as np

from ..covariance import get_structure
from ..density import full_covariances
from ..utils.columns import named_frame
from ._artists import draw_ellipses
from ._common import SIGMAS, as_array, column_names, component_colors, new_ax, padded_range
from ._gif import save_gif


def em_steps(X, n_components=2, covariance_type="full", *, max_iter=300, tol=1e-5,
             init="broad", random_state=0, reg_covar=1e-6):
    """Parameters of EM after each iteration, from the initialisation to convergence.

    Runs EM one iteration at a time (a ``GaussianMixture`` started from the
    initial parameters with ``max_iter=1, warm_start=True``, refitted repeatedly)
    until the mean log-likelihood rises by less than ``tol``, or ``max_iter``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    n_components : int, default=2
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
    max_iter : int, default=300
    tol : float, default=1e-5
    init : str, default="broad"
        ``"broad"``: the lecture's start, means at distinct random rows, every
        covariance the data's covariance, equal weights: a poor start that shows
        EM at work. Any ``GaussianMixture`` ``init_params`` (``"kmeans"``,
        ``"random"``, ``"auto"``, ...) starts where that fit would start.
    random_state : int or None, default=0
    reg_covar : float, default=1e-6

    Returns
    -------
    steps : list of dict
        ``steps[i]`` after ``i`` iterations (``steps[0]``: the start), with keys
        ``iteration``, ``model`` (a fitted ``GaussianMixture`` holding those
        parameters) and ``objective`` (mean log-likelihood per row). The objective
        never decreases (except where a collapsed component was re-seeded).

    Examples
    --------
    >>> import gaussmix
    >>> from gaussmix.plot import em_steps
    >>> steps = em_steps(gaussmix.load_faithful(), 2, random_state=0)
    >>> steps[0]["objective"] < steps[-1]["objective"]
    True
    """
    import copy

    from sklearn.exceptions import ConvergenceWarning

    from ..mixture import DegenerateComponentWarning, GaussianMixture

    A, _ = as_array(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", DegenerateComponentWarning)
        if init == "broad":
            start = _broad_start(A, n_components, covariance_type, random_state, reg_covar)
        else:
            start = GaussianMixture(n_components, covariance_type=covariance_type, max_iter=0,
                                    init_params=init, random_state=random_state,
                                    reg_covar=reg_covar).fit(A)
        steps = [{"iteration": 0, "model": start, "objective": start.score(A)}]
        gm = GaussianMixture(n_components, covariance_type=covariance_type, max_iter=1, tol=0.0,
                             warm_start=True, reg_covar=reg_covar,
                             weights_init=start.weights_, means_init=start.means_,
                             precisions_init=start.precisions_)
        for it in range(1, max_iter + 1):
            gm.fit(A)
            steps.append({"iteration": it, "model": copy.deepcopy(gm), "objective": gm.score(A)})
            if abs(steps[-1]["objective"] - steps[-2]["objective"]) < tol:
                break
    return steps


def _broad_start(A, K, covariance_type, random_state, reg_covar):
    """Means at K distinct random rows, the data's covariance for each (projected onto
    the covariance structure), equal weights. The covariance of one row is zero (then
    only ``reg_covar``), not NaN."""
    from ..mixture import GaussianMixture

    rng = np.random.default_rng(random_state)
    rows = np.unique(A, axis=0)
    if rows.shape[0] < K:
        raise ValueError(f"X has {rows.shape[0]} distinct row(s), fewer than n_components={K}.")
    means = rows[rng.choice(rows.shape[0], size=K, replace=False)]
    d = A.shape[1]
    C = np.atleast_2d(np.cov(A, rowvar=False, ddof=1 if A.shape[0] > 1 else 0))
    C = C + reg_covar * np.eye(d)
    cov = get_structure(covariance_type).from_full(np.broadcast_to(C, (K, d, d)))
    return GaussianMixture.from_parameters(np.full(K, 1.0 / K), means, cov, covariance_type,
                                           reg_covar=reg_covar)


def plot_em_step(step, X, ax=None, *, sigmas=SIGMAS, title=None):
    """One EM state in 2-D: points coloured by responsibilities, component ellipses.

    Each point's colour mixes the component colours in proportion to its
    responsibilities (as in Bishop's figures of EM on Old Faithful).

    Parameters
    ----------
    step : dict
        An element of :func:`em_steps` (or ``{"model": gm, "iteration": i,
        "objective": value}``).
    X : array-like of shape (n_samples, 2)
    ax : matplotlib Axes, optional
    sigmas : sequence of float, default=(1, 2)
    title : str, optional
        Default: "Initialisation" for iteration 0, else "After i iteration(s)".

    Returns
    -------
    ax : matplotlib Axes
    """
    A, names = as_array(X)
    if A.shape[1] != 2:
        raise ValueError(f"plot_em_step draws 2-D data; X has {A.shape[1]} columns.")
    gm = step["model"]
    names = column_names(gm, names, 2)
    ax = new_ax(ax)
    colors = np.asarray(component_colors(gm.means_.shape[0]))[:, :3]
    resp = gm.predict_proba(A)
    ax.scatter(A[:, 0], A[:, 1], c=np.clip(resp @ colors, 0, 1), s=14, alpha=0.85,
               linewidths=0, zorder=2)
    draw_ellipses(ax, gm.means_, full_covariances(gm), colors, sigmas)
    ax.scatter(gm.means_[:, 0], gm.means_[:, 1], marker="X", s=90, c=colors,
               edgecolors="black", zorder=6)
    xlo, xhi = padded_range(A[:, 0])
    ylo, yhi = padded_range(A[:, 1])
    ax.set_xlim(xlo, xhi)
    ax.set_ylim(ylo, yhi)
    ax.set_xlabel(names[0])
    ax.set_ylabel(names[1])
    it = int(step.get("iteration", 0))
    if title is None:
        title = "Initialisation" if it == 0 else f"After {it} iteration{'s' if it != 1 else ''}"
    ax.set_title(f"{title}   (mean log-likelihood {step['objective']:.4f})", fontsize="medium")
    return ax


def _frame_indices(n_steps, max_frames):
    """All early iterations, then ever sparser ones; always the first and the last."""
    if n_steps <= max_frames:
        return list(range(n_steps))
    geo = np.unique(np.round(np.geomspace(1, n_steps - 1, max_frames * 2)).astype(int))
    idx = sorted(set([0, n_steps - 1]) | set(geo.tolist()))
    while len(idx) > max_frames:
        # drop the middle-most of the densest part, keep the ends
        idx.pop(len(idx) // 2)
    return idx


def animate_em(X, n_components=2, covariance_type="full", *, path=None, fps=4,
               max_frames=40, hold_last=6, dpi=80, figsize=(6.0, 4.8), **em_kwargs):
    """An animation of EM in 2-D from initialisation to convergence; optionally a GIF.

    Parameters
    ----------
    X : array-like of shape (n_samples, 2)
    n_components : int, default=2
    covariance_type : {"full", "tied", "diag", "spherical"}, default="full"
    path : str or os.PathLike, optional
        Write a GIF there (atomically: a temporary file, then renamed).
    fps : int, default=4
        Frames per second.
    max_frames : int, default=40
        Frames drawn: every early iteration, then ever sparser ones, always the
        initialisation and the converged state.
    hold_last : int, default=6
        Extra repeats of the last frame (a pause before the GIF loops).
    dpi : int, default=80
    figsize : (float, float), default=(6.0, 4.8)
    **em_kwargs
        Passed to :func:`em_steps` (``random_state``, ``init``, ``tol``, ...).

    Returns
    -------
    anim : matplotlib.animation.FuncAnimation
        With ``anim.steps`` (the :func:`em_steps` list) and ``anim.frame_steps``
        (which step each frame shows).

    Examples
    --------
    >>> import gaussmix
    >>> from gaussmix.plot import animate_em
    >>> anim = animate_em(gaussmix.load_faithful(), 2, path="em.gif")  # doctest: +SKIP
    """
    from matplotlib.animation import FuncAnimation
    from matplotlib.figure import Figure

    A, names = as_array(X)
    if A.shape[1] != 2:
        raise ValueError(f"animate_em draws 2-D data; X has {A.shape[1]} columns "
                         "(pick two with X[:, [i, j]]).")
    steps = em_steps(A, n_components, covariance_type, **em_kwargs)
    frames = _frame_indices(len(steps), max_frames)
    frames = frames + [frames[-1]] * int(hold_last)
    fig = Figure(figsize=figsize, layout="constrained", dpi=dpi)
    ax = fig.add_subplot()
    # the frames show the data's column names where it has them
    data = A if names is None else named_frame(A, names)

    def draw(f):
        ax.clear()
        step = steps[frames[f]]
        last = frames[f] == len(steps) - 1
        plot_em_step(step, data, ax,
                     title=_converged_title(step["iteration"]) if last else None)
        return []

    anim = FuncAnimation(fig, draw, frames=len(frames), interval=1000 / fps, blit=False,
                         repeat=True)
    anim.steps = steps
    anim.frame_steps = frames
    if path is not None:
        save_gif(fig, draw, frames, path, fps)
    return anim


def _converged_title(iterations):
    """"Converged after 1 iteration", "... after 12 iterations"."""
    return f"Converged after {iterations} iteration{'s' if iterations != 1 else ''}"
