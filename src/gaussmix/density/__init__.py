"""Closed-form operations on a fitted mixture's parameters.

A Gaussian mixture's marginals and the shapes of its components follow from its
weights, means and covariances without sampling or integration. The plots and the
report use these; conditioning and two-sample tests will build on them.

- :func:`full_parameters`, :func:`full_covariances`: the parameters with every
  covariance as a full matrix, whatever the covariance type (:mod:`.parameters`);
- :func:`marginal`, :func:`component_densities`, :func:`density`: the mixture over
  chosen columns and its density at points (:mod:`.marginal`);
- :func:`marginal_parameters`: the marginal in the model's own covariance structure
  (:mod:`.marginal_model`);
- :func:`condition`, :func:`conditional_mean`, :func:`conditional_covariance`: the
  mixture of the other columns given some columns' values, its mean and covariance
  (:mod:`.conditional`); :func:`sample_conditional`, draws from it
  (:mod:`.conditional_sampling`); :func:`conditional_quantiles`, quantiles of one
  column left over (:mod:`.quantiles`);
- :func:`ellipse`, :func:`ellipse_points`: a 2-D Gaussian's ellipse at a given
  Mahalanobis distance (:mod:`.geometry`);
- :func:`kl_divergence`, :func:`js_divergence`, :func:`entropy`: how far apart two
  mixtures are and how spread one is, by Monte Carlo from the mixtures' own draws or
  (KL) Hershey & Olsen's variational approximation; :func:`gaussian_kl` between
  components (:mod:`.divergences`).

Every function takes a fitted mixture (read duck-typed: ``weights_``, ``means_``,
``covariances_``, ``covariance_type``; the Monte Carlo estimates also ``sample`` and
``score_samples``) or arrays. Nothing here imports matplotlib,
pandas, or the plot, report and cli packages.
"""

from .conditional import condition, conditional_covariance, conditional_mean
from .quantiles import conditional_quantiles
from .conditional_sampling import sample_conditional
from .divergences import entropy, gaussian_kl, js_divergence, kl_divergence
from .geometry import EllipseShape, ellipse, ellipse_points
from .marginal import component_densities, density, marginal
from .marginal_model import MarginalParameters, marginal_parameters
from .parameters import FullMixture, full_covariances, full_parameters

__all__ = ["FullMixture", "full_parameters", "full_covariances", "marginal",
           "component_densities", "density", "EllipseShape", "ellipse", "ellipse_points",
           "MarginalParameters", "marginal_parameters", "condition", "conditional_mean",
           "conditional_covariance", "sample_conditional", "conditional_quantiles",
           "kl_divergence", "js_divergence", "entropy", "gaussian_kl"]
