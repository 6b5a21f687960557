"""Pictures of fitted mixtures (matplotlib; ``pip install 'gaussmix[plot]'``).

Every function draws on a matplotlib ``ax`` you pass (or a new one) and returns it:

- :func:`plot_density_1d`: histogram, fitted density and each weighted component;
- :func:`plot_density_2d`: points coloured by most likely component, density contours,
  1 and 2 sigma ellipses of each component;
- :func:`plot_pairs`: a grid of the above for more dimensions (returns the axes grid),
  of at most :data:`MAX_PAIR_COLUMNS` (8) columns: the first ones, unless chosen with
  ``features=`` by name or 0-based position;
- :func:`plot_model`: whichever of the three suits the columns drawn (a figure);
- :func:`plot_selection`: BIC or AIC against K, one line per covariance type;
- :func:`plot_objective`: the EM objective per iteration;
- :func:`plot_samples`: the data beside synthetic rows drawn from the model;
- :func:`plot_component_sizes`: mixture weights against the share of rows assigned;
- :func:`plot_posterior_weights`: the posterior weights of a Bayesian mixture (how
  many components the data support);
- :func:`plot_posterior_ellipses`: ellipses of components drawn from a Gibbs
  posterior over the data;
- :func:`plot_conditional`: the conditional mean of one column given another, with
  a central interval, over the data (mixture regression);
- :func:`plot_outliers`: the rows a :class:`~gaussmix.MixtureOutlierDetector` or a
  noise component sets apart, marked among the others;
- :func:`plot_imputed`: the data over two columns with the entries a mixture
  imputed marked, by which of the two was missing;
- :func:`plot_decision_regions`: a classifier's regions and boundaries on two
  columns, the misclassified rows marked;
- :func:`em_steps`, :func:`plot_em_step`, :func:`animate_em`: EM in 2-D from its
  initialisation to convergence, as frames or a GIF;
- :func:`plot_two_sample`: a two-sample test's two data sets, each with its own
  fitted density, side by side, the test's result in the title.

matplotlib is imported inside these functions, never by ``import gaussmix``.

One job per module: :mod:`.density` (density pictures), :mod:`.columns` (which
columns a grid of pairs draws), :mod:`.selection`,
:mod:`.diagnostics` (objective, synthetic rows, component sizes), :mod:`.em` (EM
steps, frames, animation), :mod:`.bayesian` (posterior pictures),
:mod:`.conditional` (conditional mean and interval), :mod:`.outliers`, :mod:`.imputed`
(imputed values), :mod:`.two_sample`, :mod:`.classifier`
(decision regions); the shared helpers live in ``_common``,
``_artists`` and ``_gif``. The closed-form densities and ellipses they draw come from
:mod:`gaussmix.density`.
"""

from ..density import full_covariances
from ._common import MAX_POINTS, SIGMAS
from .bayesian import plot_posterior_ellipses, plot_posterior_weights
from .classifier import plot_decision_regions
from .columns import MAX_PAIR_COLUMNS
from .conditional import plot_conditional
from .density import plot_density_1d, plot_density_2d, plot_model, plot_pairs
from .diagnostics import plot_component_sizes, plot_objective, plot_samples
from .em import animate_em, em_steps, plot_em_step
from .imputed import plot_imputed
from .outliers import plot_outliers
from .selection import plot_selection
from .two_sample import plot_two_sample

__all__ = [
    "plot_density_1d", "plot_density_2d", "plot_pairs", "plot_model", "plot_selection",
    "plot_objective", "plot_samples", "plot_component_sizes", "em_steps", "plot_em_step",
    "animate_em", "plot_posterior_weights", "plot_posterior_ellipses", "plot_conditional",
    "plot_outliers", "plot_imputed", "plot_two_sample", "plot_decision_regions",
    "full_covariances",
]
