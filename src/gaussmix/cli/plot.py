"""``gaussmix plot``: a picture of a saved model over DATA, or an animation of EM."""

from __future__ import annotations

import click

from ..io.atomic import atomic_path
from ..io.errors import DataError
from .console import note, notes, use_agg
from .files import FIGURE_EXTS, check_output, data_for_model, load_model
from .options import SEED, common_options, examples, force_option, header_option


@click.command(epilog=examples(
    "gaussmix plot faithful.gmm.json faithful.csv -o faithful.png",
    "gaussmix plot faithful.gmm.json faithful.csv -o em.gif     # EM animation (2-D)"))
@click.argument("model")
@click.argument("data")
@click.option("-o", "--output", metavar="FIG", required=True,
              help="Picture to write: .png, .pdf, .svg, .jpg; .gif animates EM (2-D data).")
@click.option("--columns", metavar="A,B,...",
              help="Columns of DATA to use; default the model's column names.")
@click.option("--plot-columns", metavar="A,B,...",
              help="Columns to draw (at most 8; names or 0-based positions); default all, "
                   "or the first 8 of wider data.")
@click.option("--dpi", type=click.IntRange(min=20, max=600), default=110, show_default=True,
              help="Resolution of raster pictures.")
@click.option("--title", help="Title of the picture.")
@click.option("--seed", type=SEED, default=0, show_default=True,
              help="Seed of the EM animation's start (.gif only).")
@header_option
@force_option
@common_options
@click.pass_context
def plot(ctx, model, data, output, columns, plot_columns, dpi, title, seed, header, quiet, debug):
    """Draw MODEL over DATA: the picture that suits the dimension.

    1 column: histogram with the fitted density and each weighted component.
    2 columns: points coloured by most likely component, density contours, 1 and 2
    sigma ellipses. More: a grid of every pair. A .gif output instead shows EM
    from a poor start to convergence, with the model's K and covariance type.
    """
    check_output(output, FIGURE_EXTS)
    if plot_columns and output.lower().endswith(".gif"):
        raise click.BadParameter("it chooses the columns of a picture; the .gif animation of EM "
                                 "draws the model's two columns.", param_hint="'--plot-columns'")
    use_agg("plotting needs matplotlib; install it with: pip install 'gaussmix[plot]'.")
    from .. import plot as gplot

    gm = load_model(model)
    Xin, X = data_for_model(gm, data, columns, header, notes(ctx, quiet))
    if output.lower().endswith(".gif"):
        if X.shape[1] != 2:
            raise DataError(f"the EM animation (.gif) draws 2-D data but the model has "
                            f"{X.shape[1]} feature(s); write a .png instead.")
        gplot.animate_em(Xin, gm.n_components, gm.covariance_type, path=output,
                         random_state=seed, dpi=min(dpi, 100))
    else:
        fig = gplot.plot_model(gm, Xin, title=title,
                               features=plot_columns.split(",") if plot_columns else None)
        with atomic_path(output) as tmp:
            fig.savefig(tmp, dpi=dpi)
    note(ctx, quiet, f"wrote {output}")

