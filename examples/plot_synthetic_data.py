"""
Synthetic data from a fitted mixture
====================================

A fitted mixture is a generative model: :meth:`~gaussmix.GaussianMixture.sample`
draws new rows from it, each from a component chosen with probability equal to its
weight. The randomness enters per call through ``random_state``, so the same seed
gives the same rows and two calls without a seed give different ones.
"""

# %%
# Fit, then draw
# --------------
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import gaussmix
from gaussmix import plot

X = gaussmix.load_faithful(as_frame=True)
gm = gaussmix.GaussianMixture(3, covariance_type="tied", random_state=0).fit(X)

Xs, component = gm.sample(1000, random_state=1)
synthetic = pd.DataFrame(Xs, columns=X.columns).assign(component=component)
synthetic.head()

# %%
# ``sample`` returns the rows and, for each, the component that drew it. The share
# of rows per component follows the weights.
shares = np.bincount(component, minlength=gm.n_components) / len(component)
pd.DataFrame({"weight": gm.weights_, "share of synthetic rows": shares}).round(3)

# %%
# Data beside synthetic rows
# --------------------------
# :func:`gaussmix.plot.plot_samples` draws the data and as many synthetic rows side
# by side, on the same scales, coloured by component.
axes = plot.plot_samples(gm, X, random_state=1)
plt.show()

# %%
# Do the synthetic rows look like the data?
# -----------------------------------------
# Their means and covariance come close to the data's; with more rows, closer to
# the model's own moments.
big, _ = gm.sample(100_000, random_state=2)
summary = pd.DataFrame({
    "data mean": X.mean().to_numpy(),
    "synthetic mean": big.mean(axis=0),
    "data std": X.std().to_numpy(),
    "synthetic std": big.std(axis=0),
}, index=X.columns)
summary.round(3)

# %%
# A two-sample check on one column: the Kolmogorov-Smirnov distance between the data
# and the synthetic rows is small when the model fits.
from scipy import stats

for j, col in enumerate(X.columns):
    ks = stats.ks_2samp(X[col].to_numpy(), big[:, j])
    print(f"{col:10s} KS distance {ks.statistic:.3f}  (p-value {ks.pvalue:.2f})")

# %%
# Randomness per call
# -------------------
# The same seed repeats the draw exactly; no seed gives fresh rows each time.
a, _ = gm.sample(3, random_state=7)
b, _ = gm.sample(3, random_state=7)
c, _ = gm.sample(3)
print("same seed, same rows:", np.array_equal(a, b))
print("no seed, new rows:   ", not np.array_equal(a, c))

# %%
# Save the model, draw later
# --------------------------
# A model saved as JSON (no pickle) and loaded again draws the same rows for the
# same seed.
import os
import tempfile

with tempfile.TemporaryDirectory() as folder:
    path = os.path.join(folder, "faithful.gmm.json")
    gm.save(path)
    again = gaussmix.load(path)
print("loaded model, same rows:", np.array_equal(again.sample(5, random_state=3)[0],
                                                 gm.sample(5, random_state=3)[0]))
