"""
Conditioning and mixture regression
===================================

A fitted mixture is a density over all its columns at once, so it also answers
questions about some columns given others, in closed form: the distribution of
Old Faithful's waiting time after an eruption of a given length, its mean and its
spread. Used as a regressor (:class:`gaussmix.MixtureRegressor`), the same
conditional mean predicts y from x, with a spread that changes with x.
"""

# %%
# Waiting time given the eruption's length
# -----------------------------------------
# :func:`gaussmix.plot.plot_conditional` draws ``E[waiting | eruptions]`` with the
# central 90% interval of the conditional distribution. Between the two clusters
# (eruptions near 3 minutes) the conditional is a mix of both components: the
# mean moves from one cluster's line to the other's and the interval widens.
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import gaussmix
from gaussmix import plot

X = gaussmix.load_faithful(as_frame=True)
gm = gaussmix.GaussianMixture(n_components=2, random_state=0).fit(X)

fig, ax = plt.subplots(figsize=(7, 4.5))
plot.plot_conditional(gm, "eruptions", "waiting", X, ax, level=0.9)
plt.show()

# %%
# The conditional mixture at one value
# ------------------------------------
# ``gm.condition(columns, values)`` returns the conditional distribution as a new
# ``GaussianMixture`` over the other columns: each component's conditional mean and
# covariance, re-weighted by how well it explains the given value. At 2.9 minutes
# both components keep weight, and the conditional density has two peaks.
grid = np.linspace(35, 105, 400)
fig, ax = plt.subplots(figsize=(7, 4))
for minutes in (2.0, 2.9, 4.5):
    c = gm.condition("eruptions", [minutes])
    density = np.exp(c.score_samples(pd.DataFrame({"waiting": grid})))
    ax.plot(grid, density, label=f"eruptions = {minutes} min, weights "
            + ", ".join(f"{w:.2f}" for w in c.weights_))
ax.set_xlabel("waiting (min)")
ax.set_ylabel("p(waiting | eruptions)")
ax.legend(fontsize="small", frameon=False)
plt.show()

# %%
# Many rows at once: ``conditional_mean`` and ``conditional_covariance`` take one row
# of given values per case (a DataFrame keeps its index and gives named columns);
# ``sample_conditional`` draws for each row.
new = X[["eruptions"]].iloc[:4]
mean = gm.conditional_mean("eruptions", new)
sd = np.sqrt(gm.conditional_covariance("eruptions", new)[:, 0, 0])
mean.assign(sd=sd, drawn=gm.sample_conditional("eruptions", new, 1, random_state=0)[:, 0, 0])

# %%
# The marginal over some columns is a ``GaussianMixture`` too; it keeps the model's
# covariance type where the sub-blocks keep its structure (see the user guide).
waiting = gm.marginal("waiting")
print(waiting.covariance_type, list(waiting.feature_names_in_))
print("means", waiting.means_.ravel().round(2),
      "std", np.sqrt(waiting.covariances_.ravel()).round(2))

# %%
# Mixture regression
# ------------------
# :class:`gaussmix.MixtureRegressor` fits a mixture to the rows ``[x, y]`` and
# predicts ``E[y | x]``: each component's linear regression, weighted by how well
# the component explains x. With one component it is least squares; with more it
# follows a curve, and ``return_std=True`` gives the conditional spread, here larger
# where the noise is.
rng = np.random.default_rng(0)
x = rng.uniform(-3, 3, (800, 1))
y = np.sin(2 * x[:, 0]) + (0.05 + 0.1 * (x[:, 0] > 0)) * rng.standard_normal(800)
reg = gaussmix.MixtureRegressor(n_components=8, random_state=0).fit(x, y)
line = gaussmix.MixtureRegressor(n_components=1).fit(x, y)

xs = np.linspace(-3, 3, 300)[:, None]
mean, std = reg.predict(xs, return_std=True)
fig, ax = plt.subplots(figsize=(7, 4))
ax.scatter(x[:, 0], y, s=6, color="0.6", label="data")
ax.fill_between(xs[:, 0], mean - 2 * std, mean + 2 * std, alpha=0.25,
                label="E[y | x] +- 2 std")
ax.plot(xs[:, 0], mean, linewidth=2, label=f"8 components (R² {reg.score(x, y):.3f})")
ax.plot(xs[:, 0], line.predict(xs), linestyle="--",
        label=f"1 component: least squares (R² {line.score(x, y):.3f})")
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.legend(fontsize="small", frameon=False)
plt.show()
