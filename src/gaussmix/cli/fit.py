"""``gaussmix fit``: fit a mixture to DATA, save it, print a summary."""

from __future__ import annotations

import click

from ..covariance import COVARIANCE_TYPES, UNIVARIATE_TYPES
from .bayes import check_combination, gibbs_summary, make_model, variational_summary
from .console import note, notes, show_progress
from .files import check_file_output, read_data
from .options import SEED, common_options, examples, force_option, header_option, missing_option
from .progress import fit_with_progress
from .stream import should_stream, streamed_source


@click.command(epilog=examples(
    "gaussmix fit faithful.csv -k 2 -o faithful.gmm.json",
    "gaussmix fit data.parquet -k 3 --covariance-type diag --columns a,b -o m.json",
    "gaussmix fit faithful.csv -k 6 --bayes variational -o faithful.vb.json",
    "gaussmix fit faithful.csv -k 2 --bayes gibbs --draws 300 --chains 4",
    "gaussmix fit survey.csv -k 3 --missing em -o survey.gmm.json"))
@click.argument("data")
@click.option("-k", "--n-components", type=click.IntRange(min=1), required=True,
              help="Number of mixture components (>= 1).")
@click.option("-t", "--covariance-type", type=click.Choice(COVARIANCE_TYPES + UNIVARIATE_TYPES),
              default="full", show_default=True,
              help="Covariance structure of the components: scikit-learn's four names or "
                   "mclust's models (E and V on one column).")
@click.option("-o", "--output", metavar="MODEL",
              help="Write the fitted model (JSON, as GaussianMixture.save) to exactly this path.")
@click.option("--columns", metavar="A,B,...", help="Columns to use (names or 0-based positions).")
@click.option("--seed", type=SEED, default=0, show_default=True,
              help="Random seed of the initialisation.")
@click.option("--max-iter", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Maximum EM iterations.")
@click.option("--tol", type=click.FloatRange(min=0), default=1e-5, show_default=True,
              help="Stop when the mean log-likelihood rises by less.")
@click.option("--n-init", type=click.IntRange(min=1), default=1, show_default=True,
              help="Initialisations; the best is kept.")
@click.option("--bayes", type=click.Choice(["variational", "gibbs"]),
              help="Fit a Bayesian mixture instead of EM's maximum likelihood: "
                   "'variational' (BayesianGaussianMixture; -k is an upper bound) or "
                   "'gibbs' (GibbsGaussianMixture, posterior draws; full covariances; "
                   "cannot be saved yet).")
@click.option("--weight-prior", type=click.Choice(["dirichlet_process",
                                                   "dirichlet_distribution"]),
              default="dirichlet_process", show_default=True,
              help="--bayes variational: the prior on the weights "
                   "(weight_concentration_prior_type).")
@click.option("--draws", type=click.IntRange(min=1), default=200, show_default=True,
              help="--bayes gibbs: draws kept per chain.")
@click.option("--warmup", type=click.IntRange(min=0), default=200, show_default=True,
              help="--bayes gibbs: sweeps discarded at the start of each chain.")
@click.option("--chains", type=click.IntRange(min=1), default=2, show_default=True,
              help="--bayes gibbs: number of chains.")
@missing_option(" (not with --bayes)")
@click.option("--stream/--no-stream", default=None,
              help="Read DATA in chunks on every EM pass instead of into memory (bounded "
                   "memory; a progress bar per pass). Default: for files over 256 MB.")
@header_option
@force_option
@common_options
@click.pass_context
def fit(ctx, data, n_components, covariance_type, output, columns, seed, max_iter, tol, n_init,
        bayes, weight_prior, draws, warmup, chains, missing, stream, header, quiet, debug):
    """Fit a mixture to DATA, save it to MODEL and print a summary.

    The summary shows the weights, means, log-likelihood, BIC (lower is better) and
    whether EM converged. With --bayes variational it shows the effective number of
    components (weights above 0.01) and the lower bound instead of BIC; with
    --bayes gibbs the head of ArviZ's posterior summary and the posterior weights.
    """
    from ..mixture import GaussianMixture

    check_combination(ctx, bayes, output)
    if bayes and missing == "em":
        raise click.UsageError("--missing em fits by EM (GaussianMixture); leave out --bayes, "
                               "or drop the rows with empty cells first.", ctx=ctx)
    if stream and missing == "em":
        raise click.UsageError("--missing em reads DATA into memory; leave out --stream.",
                               ctx=ctx)
    if bayes:
        gm = make_model(ctx, bayes, n_components, covariance_type, seed,
                        dict(max_iter=max_iter, tol=tol, n_init=n_init,
                             weight_prior=weight_prior, draws=draws, warmup=warmup,
                             chains=chains))
    else:
        gm = GaussianMixture(n_components, covariance_type=covariance_type,
                             random_state=seed, max_iter=max_iter, tol=tol, n_init=n_init,
                             missing="em" if missing == "em" else None)
    if output:
        check_file_output(output)
    streamed = not bayes and missing != "em" and should_stream(data, stream)
    if streamed:
        # too large to read whole: every pass streams the file (the model file is
        # written, atomically, only once the fit is complete)
        Xfit = streamed_source(data, columns, header, show_progress(ctx, quiet))
        note(ctx, quiet, f"gaussmix: note: streaming {data} ({Xfit.n_samples} rows) in chunks")
    else:
        Xfit, X, _ = read_data(data, columns, header, notes(ctx, quiet),
                               allow_missing=missing == "em")
    if bayes == "gibbs" or streamed:
        gm.fit(Xfit)
    else:
        fit_with_progress(gm, Xfit, show_progress(ctx, quiet))
    if output:
        gm.save(output)
    click.echo(_summary(gm, bayes, Xfit))
    if output:
        note(ctx, quiet, f"wrote model to {output}")


def _summary(model, bayes, X):
    """The printed summary of the fit of kind ``bayes`` (None: EM)."""
    if bayes == "variational":
        return variational_summary(model, X)
    if bayes == "gibbs":
        return gibbs_summary(model)
    return model.summary(X)
