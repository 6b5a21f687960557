"""The chosen-model section: fit facts, weights and means, covariances, and the EM
objective of the kept run."""

from __future__ import annotations

import html

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
