"""Pictures of Bayesian mixtures: the posterior weights (how many components the data
support) and ellipses of components' covariances drawn from the posterior."""

from __future__ import annotations

import numpy as np

from ..mixture import BayesianGaussianMixture, GibbsGaussianMixture
from ..mixture.bayesian import EFFECTIVE_WEIGHT
from ..utils.random import as_generator
from ._common import as_array, check_fitted, column_names, component_colors, new_ax, \
    padded_range, point_subset
from .columns import resolve_columns


def plot_posterior_weights(model, ax=None):
    """The posterior of the mixture weights: how many components the data support.

    Parameters
    ----------
    model : fitted BayesianGaussianMixture or GibbsGaussianMixture
        A :class:`~gaussmix.BayesianGaussianMixture` is drawn as one bar per component
        (its expected weight), a :class:`~gaussmix.GibbsGaussianMixture` as one box per
        component over its posterior draws of the weights (all chains). Both with a
        dotted line at 0.01: components whose weight stays below it are not needed.
    ax : matplotlib Axes, optional

    Returns
    -------
    ax : matplotlib Axes
        ``len(ax.patches) == n_components`` (bars, or the boxes' patches).

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import gaussmix
    >>> from gaussmix.plot import plot_posterior_weights
    >>> X = gaussmix.load_faithful()
    >>> bgm = gaussmix.BayesianGaussianMixture(n_components=6, random_state=0).fit(X)
    >>> ax = plot_posterior_weights(bgm)
    >>> len(ax.patches)
    6
    """
    if isinstance(model, GibbsGaussianMixture):
        if not hasattr(model, "draws_"):
            raise ValueError("the model is not fitted; call fit(X) first.")
        return _weight_boxes(model, new_ax(ax))
    if isinstance(model, BayesianGaussianMixture):
        if not hasattr(model, "weights_"):
            raise ValueError("the model is not fitted; call fit(X) first.")
        return _weight_bars(model, new_ax(ax))
    raise TypeError("plot_posterior_weights draws a BayesianGaussianMixture or a "
                    f"GibbsGaussianMixture, not a {type(model).__name__}; for a "
                    "GaussianMixture use plot_component_sizes.")


def _weight_bars(model, ax):
    w = model.weights_
    K = w.size
    n_eff = int((w > EFFECTIVE_WEIGHT).sum())
    colors = [c if wk > EFFECTIVE_WEIGHT else "lightgrey"
              for c, wk in zip(component_colors(K), w)]
    ax.bar(np.arange(K), w, color=colors, edgecolor="black", linewidth=0.6)
    _weight_axes(ax, K)
    ax.set_title(f"expected weights: {n_eff} of {K} components above {EFFECTIVE_WEIGHT:g}")
    return ax


def _weight_boxes(model, ax):
    K = model.n_components
    w = model.draws_["weights"].reshape(-1, K)
    boxes = ax.boxplot(w, positions=np.arange(K), patch_artist=True, widths=0.6,
                       showfliers=False)
    for patch, c in zip(boxes["boxes"], component_colors(K)):
        patch.set_facecolor(c)
        patch.set_alpha(0.7)
    _weight_axes(ax, K)
    ax.set_title(f"posterior weights: {w.shape[0]} draws")
    return ax


def _weight_axes(ax, K):
    ax.axhline(EFFECTIVE_WEIGHT, color="black", linestyle=":", linewidth=1.0,
               label=f"weight {EFFECTIVE_WEIGHT:g}")
    ax.set_xticks(np.arange(K))
    ax.set_xlabel("component")
    ax.set_ylabel("weight")
    ax.set_ylim(0, None)
    ax.legend(loc="upper right")


def plot_posterior_ellipses(gibbs, X, ax=None, n_draws=30, random_state=None, *,
                            features=(0, 1), sigma=2.0):
    """The data with thin ellipses of components drawn from the posterior.

    Parameters
    ----------
    gibbs : fitted GibbsGaussianMixture
    X : array-like of shape (n_samples, n_features)
        The data (at least two columns, those the model was fitted on).
    ax : matplotlib Axes, optional
    n_draws : int, default=30
        Posterior draws to show (at random among the kept draws of all chains, each
        at most once; all of them if there are fewer).
    random_state : int, numpy Generator or None, default=None
        Picks the draws.
    features : (int or str, int or str), default=(0, 1)
        The two columns to draw (x, y), by name or 0-based position; the ellipses
        are those of each drawn component's 2-D marginal.
    sigma : float, default=2.0
        Mahalanobis radius of the ellipses.

    Returns
    -------
    ax : matplotlib Axes
        ``len(ax.patches) == min(n_draws, draws kept) * n_components`` ellipses.

    Examples
    --------
    >>> import matplotlib; matplotlib.use("Agg")
    >>> import gaussmix
    >>> from gaussmix.plot import plot_posterior_ellipses
    >>> X = gaussmix.load_faithful()
    >>> gibbs = gaussmix.GibbsGaussianMixture(2, n_draws=50, n_warmup=50,
    ...                                       random_state=0).fit(X)
    >>> ax = plot_posterior_ellipses(gibbs, X, n_draws=10, random_state=0)
    >>> len(ax.patches)
    20
    """
    if not isinstance(gibbs, GibbsGaussianMixture):
        raise TypeError("plot_posterior_ellipses draws a fitted GibbsGaussianMixture, "
                        f"not a {type(gibbs).__name__}.")
    if not hasattr(gibbs, "draws_"):
        raise ValueError("the model is not fitted; call fit(X) first.")
    if isinstance(n_draws, bool) or not isinstance(n_draws, (int, np.integer)) \
            or n_draws < 1:
        raise ValueError(f"n_draws must be a whole number >= 1, got {n_draws!r}.")
    A, names = as_array(X)
    check_fitted(gibbs, A)
    if A.shape[1] < 2:
        raise ValueError("plot_posterior_ellipses needs at least 2 features.")
    names = column_names(gibbs, names, A.shape[1])
    cols = resolve_columns(features, names)
    if len(cols) != 2:
        raise ValueError(f"features must name two columns, got {features!r}.")
    ax = new_ax(ax)
    idx = point_subset(A)
    ax.scatter(A[idx, cols[0]], A[idx, cols[1]], s=8, c="0.45", alpha=0.6, linewidths=0,
               zorder=2)
    _draw_posterior_ellipses(ax, gibbs, cols, n_draws, random_state, sigma)
    ax.set_xlim(*padded_range(A[:, cols[0]]))
    ax.set_ylim(*padded_range(A[:, cols[1]]))
    ax.set_xlabel(names[cols[0]])
    ax.set_ylabel(names[cols[1]])
    ax.set_title(f"{sigma:g} sigma ellipses of posterior draws")
    return ax


def _draw_posterior_ellipses(ax, gibbs, cols, n_draws, random_state, sigma):
    from ..density import ellipse
    from matplotlib.patches import Ellipse

    K, d = gibbs.means_.shape
    means = gibbs.draws_["means"].reshape(-1, K, d)[:, :, cols]
    covs = gibbs.draws_["covariances"].reshape(-1, K, d, d)[:, :, cols][:, :, :, cols]
    rng = as_generator(random_state)
    picked = rng.choice(means.shape[0], size=min(n_draws, means.shape[0]), replace=False)
    colors = component_colors(K)
    for s in picked:
        for k in range(K):
            shape = ellipse(covs[s, k], sigma)
            e = Ellipse(means[s, k], width=shape.width, height=shape.height,
                        angle=shape.angle, fill=False, edgecolor=colors[k], alpha=0.35,
                        linewidth=0.7, zorder=4)
            e.set_gid(f"gaussmix-posterior-ellipse-{k}")
            ax.add_patch(e)
