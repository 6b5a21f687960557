"""
k-means as the hard-assignment limit of EM
==========================================

Give every component the same weight and the same spherical covariance eps * I.
The responsibility of component k for a point x is then a softmax of
``-||x - mu_k||^2 / (2 eps)``: the nearest mean always has the largest responsibility,
and as eps shrinks the responsibilities become one-hot. In that limit EM's E-step
is k-means' assignment step and its M-step (the mean of the assigned points) is
k-means' update step. gaussmix's own k-means start is written exactly that way: hard
EM on the same additive statistics.
"""

# %%
# Means to compare against
# ------------------------
# Any means will do; take those of a spherical mixture fitted to Old Faithful,
# standardised so that both columns count alike.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import gaussmix
from gaussmix import plot

raw = gaussmix.load_faithful()
X = (raw - raw.mean(axis=0)) / raw.std(axis=0)
means = gaussmix.GaussianMixture(3, covariance_type="spherical", random_state=0).fit(X).means_

# nearest-mean assignment: what k-means does with these centres
dist2 = ((X[:, None, :] - means[None, :, :]) ** 2).sum(axis=2)
nearest = dist2.argmin(axis=1)

# %%
# Shrinking the variances
# -----------------------
# :meth:`gaussmix.GaussianMixture.from_parameters` builds a ready mixture from
# weights, means and covariances; ``"spherical"`` takes one variance per component.
eps_values = [1.0, 0.3, 0.1, 0.03, 0.01, 0.001]
models = {}
for eps in eps_values:
    gm = gaussmix.GaussianMixture.from_parameters(
        weights=np.full(3, 1 / 3), means=means, covariances=np.full(3, eps),
        covariance_type="spherical")
    models[eps] = gm
    resp = gm.predict_proba(X)
    agree = np.mean(resp.argmax(axis=1) == nearest)
    print(f"eps={eps:<6}  mean of the largest responsibility {resp.max(axis=1).mean():.6f}"
          f"  rows with max responsibility > 0.999: {np.mean(resp.max(axis=1) > 0.999):6.1%}"
          f"  argmax = nearest mean: {agree:.0%}")

# %%
# Each point below is coloured by its responsibilities (a mix of the component
# colours): broad components blend colours between the clusters, narrow ones give
# every point the pure colour of its nearest mean.
frame = pd.DataFrame(X, columns=["eruptions (standardised)", "waiting (standardised)"])
fig, axes = plt.subplots(2, 3, figsize=(12, 7.5), layout="constrained")
for ax, eps in zip(axes.flat, eps_values):
    gm = models[eps]
    plot.plot_em_step({"model": gm, "iteration": 0, "objective": gm.score(X)}, frame, ax,
                      title=f"eps = {eps}")
plt.show()

# %%
# At eps = 0.001 the largest responsibility is 1 to machine precision for nearly
# every row, yet nothing overflows: gaussmix works with log-responsibilities and
# normalises them by log-sum-exp, so weights like exp(-1000) become exact zeros,
# not NaN.
resp = models[0.001].predict_proba(X)
print("smallest and largest responsibility:", resp.min(), resp.max())
print("NaN anywhere:", bool(np.isnan(resp).any()))

# %%
# One EM step is one k-means step
# -------------------------------
# Start EM at these means with variance eps = 1e-6 and run a single iteration. The
# M-step's new means are responsibility-weighted averages; with one-hot
# responsibilities they are the averages of the rows nearest to each mean, which is
# Lloyd's k-means update.
import warnings

from sklearn.exceptions import ConvergenceWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)   # one iteration on purpose
    one_step = gaussmix.GaussianMixture(
        3, covariance_type="spherical", weights_init=np.full(3, 1 / 3), means_init=means,
        precisions_init=np.full(3, 1e6), max_iter=1).fit(X)
lloyd = np.array([X[nearest == k].mean(axis=0) for k in range(3)])
print("EM step means:\n", one_step.means_.round(4))
print("k-means update:\n", lloyd.round(4))
print("largest difference:", float(np.abs(one_step.means_ - lloyd).max()))

# %%
# Soft and hard at one point
# --------------------------
# Three components with means 8, -2 and 4 and a point at 5. With variance 4 the
# responsibilities are soft; with variance 0.01 the weights of the far components
# are like exp(-1000): responsibilities 0, 0, 1.
for var in [4.0, 0.01]:
    gm = gaussmix.GaussianMixture.from_parameters(
        weights=[0.3, 0.4, 0.3], means=[[8.0], [-2.0], [4.0]],
        covariances=[var, var, var], covariance_type="spherical")
    print(f"variance {var}:", gm.predict_proba([[5.0]]).round(3))
