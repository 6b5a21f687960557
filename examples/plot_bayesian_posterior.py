"""
How many components? The Bayesian view
======================================

A :class:`~gaussmix.BayesianGaussianMixture` with a Dirichlet process prior on the
weights is given more components than needed; those the data do not support get
weights near 0. :func:`gaussmix.plot.plot_posterior_weights` shows the expected
weights with a line at 0.01. A :class:`~gaussmix.GibbsGaussianMixture` draws from the
posterior; :func:`gaussmix.plot.plot_posterior_ellipses` draws thin ellipses of
sampled components over the data: their spread is the uncertainty of the fit.
"""

# %%
# Variational: expected weights
# -----------------------------
import matplotlib.pyplot as plt

import gaussmix
from gaussmix import plot

X = gaussmix.load_faithful(as_frame=True)
bgm = gaussmix.BayesianGaussianMixture(
    n_components=8, weight_concentration_prior_type="dirichlet_process",
    random_state=0).fit(X)
plot.plot_posterior_weights(bgm)
plt.show()

# %%
# Gibbs: posterior draws
# ----------------------
gibbs = gaussmix.GibbsGaussianMixture(2, n_draws=200, n_warmup=200,
                                      random_state=0).fit(X)
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
plot.plot_posterior_weights(gibbs, ax=left)
plot.plot_posterior_ellipses(gibbs, X, ax=right, n_draws=30, random_state=0)
plt.show()
