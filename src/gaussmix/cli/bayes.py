"""``gaussmix fit --bayes``: the Bayesian estimators of ``gaussmix fit`` (variational
and Gibbs), the checks of their option combinations and their printed summaries."""

from __future__ import annotations

import click
from click.core import ParameterSource

#: Options of ``gaussmix fit`` that belong to one kind of fit only: (name, flag, kinds).
_ONLY_FOR = (
    ("weight_prior", "--weight-prior", ("variational",)),
    ("draws", "--draws", ("gibbs",)),
    ("warmup", "--warmup", ("gibbs",)),
    ("chains", "--chains", ("gibbs",)),
    ("max_iter", "--max-iter", (None, "variational")),
    ("tol", "--tol", (None, "variational")),
    ("n_init", "--n-init", (None, "variational")),
)


def given(ctx, name):
    """Whether option ``name`` was given on the command line (not its default)."""
    return ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT)


def check_combination(ctx, bayes, output):
    """Usage errors (exit 2) for options that do not apply to the kind of fit asked."""
    for name, flag, kinds in _ONLY_FOR:
        if given(ctx, name) and bayes not in kinds:
            asked = f"--bayes {bayes}" if bayes else "a fit without --bayes"
            wanted = " or ".join("EM" if k is None else f"--bayes {k}" for k in kinds)
            raise click.UsageError(f"{flag} applies to {wanted} fits, not to {asked}.", ctx)
    if bayes == "gibbs" and output:
        raise click.UsageError("-o/--output: a --bayes gibbs fit cannot be saved yet "
                               "(GibbsGaussianMixture has no save); drop -o.", ctx)


def make_model(ctx, bayes, n_components, covariance_type, seed, options):
    """The unfitted estimator of ``--bayes``, its parameters checked: a covariance type
    it does not support is a usage error of ``-t``."""
    from ..mixture import BayesianGaussianMixture, GibbsGaussianMixture

    if bayes == "variational":
        kw = {k: options[k] for k in ("max_iter", "tol", "n_init") if given(ctx, k)}
        if given(ctx, "weight_prior"):
            kw["weight_concentration_prior_type"] = options["weight_prior"]
        model = BayesianGaussianMixture(n_components=n_components,
                                        covariance_type=covariance_type,
                                        random_state=seed, **kw)
    else:
        model = GibbsGaussianMixture(n_components, covariance_type=covariance_type,
                                     n_draws=options["draws"], n_warmup=options["warmup"],
                                     n_chains=options["chains"], random_state=seed)
    try:
        model._check_parameters()
    except ValueError as exc:
        raise click.BadParameter(" ".join(str(exc).split()),
                                 param_hint="'-t' / '--covariance-type'") from None
    return model


def variational_summary(model, X):
    """The summary of a fitted BayesianGaussianMixture: weights and means, the
    effective number of components and the lower bound."""
    from ..mixture.bayesian import EFFECTIVE_WEIGHT  # lazily: the CLI starts light

    n_eff = int((model.weights_ > EFFECTIVE_WEIGHT).sum())
    return "\n".join([
        model.summary(),
        "",
        f"effective components {n_eff} of {model.n_components} "
        f"(weights above {EFFECTIVE_WEIGHT:g}); "
        f"weight prior {model.weight_concentration_prior_type}",
        f"lower bound {model.lower_bound_:.4f}   converged={model.converged_} after "
        f"{model.n_iter_} iteration(s)",
        f"mean log predictive density {model.predictive_score_samples(X).mean():.4f} "
        f"on {X.shape[0]} rows"])


def gibbs_summary(model, rows=12):
    """The head of a fitted GibbsGaussianMixture's ArviZ summary and its posterior
    weights (mean, sd, and the 3% and 97% quantiles of the draws)."""
    import numpy as np
    import pandas as pd

    table = model.summary()
    K = model.n_components
    w = model.draws_["weights"].reshape(-1, K)
    lo, hi = np.quantile(w, [0.03, 0.97], axis=0)
    weights = pd.DataFrame({"mean": w.mean(axis=0), "sd": w.std(axis=0),
                            "q3%": lo, "q97%": hi},
                           index=pd.Index(range(K), name="component"))
    C, D = model.draws_["weights"].shape[:2]
    with pd.option_context("display.width", 120, "display.max_columns", 20):
        return "\n".join([
            f"GibbsGaussianMixture: {K} component(s), {C} chain(s) x {D} draws "
            f"(after {model.n_warmup} warm-up sweeps)",
            "",
            f"posterior summary (ArviZ; first {min(rows, len(table))} of {len(table)} rows)",
            table.head(rows).to_string(),
            "",
            "posterior weights",
            weights.round(4).to_string()])
