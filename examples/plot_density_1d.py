"""
Density of one variable
=======================

Old Faithful's waiting times between eruptions have two modes. A mixture of two
normal densities describes them; the fitted model gives the density of any waiting
time and, for each one, the probability that it belongs to the short or the long
mode.
"""

# %%
# The data
# --------
# :func:`gaussmix.load_faithful` returns the 272 eruptions as a DataFrame with the
# columns ``eruptions`` (minutes) and ``waiting`` (minutes to the next eruption).
# One column, kept as a DataFrame, is 1-D data with a name.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import gaussmix
from gaussmix import plot

X = gaussmix.load_faithful(as_frame=True)[["waiting"]]
X.describe().T

# %%
# How many components?
# --------------------
# In one dimension the four covariance types reduce to two models: one variance per
# component (``"full"``, ``"diag"`` and ``"spherical"`` coincide) or one variance
# shared by all (``"tied"``). BIC, lower is better, picks two components.
for K in range(1, 5):
    gm = gaussmix.GaussianMixture(K, random_state=0).fit(X)
    print(f"K={K}: BIC {gm.bic(X):9.2f}  mean log-likelihood {gm.score(X):.4f}")

# %%
# The fitted density
# ------------------
# :func:`gaussmix.plot.plot_density_1d` draws the histogram (as a density), the
# mixture density and each component scaled by its weight: the weighted components
# add up to the mixture.
gm = gaussmix.GaussianMixture(2, random_state=0).fit(X)
print(gm.summary(X))

fig, ax = plt.subplots(figsize=(7, 4))
plot.plot_density_1d(gm, X, ax)
ax.set_title("Old Faithful: waiting time, two components")
plt.show()

# %%
# Density and responsibilities at new points
# ------------------------------------------
# ``score_samples`` returns log p(x); ``predict_proba`` the responsibilities, the
# posterior probability of each component given x. Pass new points with the same
# column name as the training data.
new = pd.DataFrame({"waiting": [50.0, 60.0, 65.0, 70.0, 90.0]})
table = new.assign(
    density=np.exp(gm.score_samples(new)),
    **{f"resp_{k}": gm.predict_proba(new)[:, k] for k in range(gm.n_components)},
)
table.round(4)

# %%
# The point where the two responsibilities are equal separates the modes. Read it
# off a fine grid:
grid = pd.DataFrame({"waiting": np.linspace(50, 90, 4001)})
resp = gm.predict_proba(grid)
cross = grid["waiting"].to_numpy()[np.argmin(np.abs(resp[:, 0] - resp[:, 1]))]
print(f"the two components are equally likely at a waiting time of {cross:.1f} minutes")
