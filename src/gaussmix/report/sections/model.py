"""The chosen-model section: fit facts, weights and means, covariances, and the EM
objective of the kept run."""

from __future__ import annotations

import html

from ...mixture.bayesian import EFFECTIVE_WEIGHT
from ..limits import MAX_TABLE_COLUMNS, first_columns, shown_note
from ..markup import figure, png_uri, table
from ..outline import heading
from .covariances import covariances_html


def model_section(ctx):
    """Components, parameters, convergence, criteria; the parameter tables (components
    by decreasing weight; the first :data:`~gaussmix.report.limits.MAX_TABLE_COLUMNS`
    columns of wider data) and the objective curve."""
    from matplotlib.figure import Figure

    from ...plot import plot_objective

    gm, n, loglik = ctx.gm, ctx.n, ctx.loglik
    cols = first_columns(ctx.d, MAX_TABLE_COLUMNS)
    status = "converged" if gm.converged_ else "did NOT converge"
    parts = [heading("model"),
             f"<p>{gm.n_components} component(s), covariance type "
             f"<b>{html.escape(gm.covariance_type)}</b>, "
             f"{gm.n_parameters()} free parameters; EM {status} "
             f"after {gm.n_iter_} iteration(s); re-seeded components: {gm.n_resets_}. "
             f"Log-likelihood {loglik:.4f} (mean {loglik / n:.4f} per row), "
             f"BIC {ctx.best_value('bic'):.4f}, AIC {ctx.best_value('aic'):.4f}, "
             f"ICL {ctx.best_value('icl'):.4f}.</p>",
             variational_html(ctx),
             "<h3>Weights and means</h3>",
             table(["component", "weight"] + [ctx.names[j] for j in cols],
                   [[f"{k}", gm.weights_[k]] + list(gm.means_[k, cols]) for k in ctx.order]),
             shown_note(len(cols), ctx.names),
             covariances_html(gm, ctx.names, ctx.order)]
    fig = Figure(figsize=(6.4, 3.6), layout="constrained")
    plot_objective(gm, fig.add_subplot())
    parts.append(figure(png_uri(fig), "EM objective per iteration",
                        "The EM objective (mean log-likelihood per row) after each iteration of "
                        "the kept run: it never decreases."))
    return "".join(parts)



def effective_components(ctx):
    """``(weights above 0.01, K)`` of one variational fit on the data:
    ``BayesianGaussianMixture(n_components=K, dirichlet_process)`` with K the largest
    number of components the selection tried (at most the rows); None if it cannot be
    fitted (too few rows)."""
    import warnings

    import numpy as np

    from ...mixture import BayesianGaussianMixture

    K = int(min(np.max(ctx.selection.table_["n_components"]), ctx.n))
    bgm = BayesianGaussianMixture(n_components=K,
                                  weight_concentration_prior_type="dirichlet_process",
                                  random_state=ctx.random_state)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a cross-check: its convergence is not the point
            bgm.fit(ctx.A)
    except ValueError:
        return None
    return int((bgm.weights_ > EFFECTIVE_WEIGHT).sum()), K


def variational_html(ctx):
    """One line: the variational fit's effective number of components beside the
    number the criterion chose."""
    found = effective_components(ctx)
    if found is None:
        return ""
    n_eff, K = found
    crit = html.escape(str(ctx.criterion).upper())
    return (f"<p class=\"variational\">Variational check: a Bayesian mixture "
            f"(BayesianGaussianMixture, Dirichlet process prior, up to {K} components) "
            f"gives <b>{n_eff}</b> component(s) a weight above {EFFECTIVE_WEIGHT:g}; "
            f"{crit} chose <b>{ctx.gm.n_components}</b>.</p>")
