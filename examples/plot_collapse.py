"""
A component collapsing onto a point
===================================

The likelihood of a Gaussian mixture has no maximum: put one component's mean on a
data point and let its variance shrink, and the likelihood grows without bound.
EM can walk into such a spike. gaussmix detects the collapse, re-seeds the
component at a poorly explained row with the data's covariance, warns with a
:class:`~gaussmix.DegenerateComponentWarning` and records what it did in
``n_resets_`` and ``resets_``. This page provokes a collapse on purpose, watches the
recovery, and shows what scikit-learn does from the same start.
"""

# %%
# An unbounded likelihood
# -----------------------
# In two dimensions a component N(mu, s^2 I) with its mean on a data point x gives
# that point the log-density -log(2 pi s^2), whatever the other points do. As s^2
# shrinks it has no upper limit:
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import gaussmix
from gaussmix import plot

for var in [1e-2, 1e-4, 1e-6, 1e-8]:
    print(f"s^2 = {var:.0e}:  log N(x; x, s^2 I) = {-np.log(2 * np.pi * var):6.2f}")

# %%
# Data with a lone point, and a start on it
# -----------------------------------------
# Old Faithful plus one invented eruption, far from both clusters. Three components,
# the third started exactly on the lone point: after one step it owns that point
# alone and its covariance is zero.
X = gaussmix.load_faithful(as_frame=True)
lone = pd.DataFrame({"eruptions": [5.5], "waiting": [50.0]})
Xl = pd.concat([X, lone], ignore_index=True)
start = np.array([[2.0, 55.0], [4.5, 80.0], [5.5, 50.0]])

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    gm = gaussmix.GaussianMixture(3, means_init=start, random_state=0).fit(Xl)
for w in caught:
    print(f"{w.category.__name__}: {w.message}")

# %%
# What gaussmix recorded
# ----------------------
# ``resets_`` lists ``(iteration, component)`` for each re-seeding in the kept run;
# ``n_resets_`` counts them over all initialisations. The fit ends with three
# proper components; the lone point is simply unlikely under all of them.
print("n_resets_:", gm.n_resets_)
print("resets_:  ", gm.resets_)
print(gm.summary(Xl))

# %%
# The objective per iteration, ``lower_bounds_``, never decreases except at a
# re-seeding: the new component starts broad and worse, then EM climbs again.
# :func:`gaussmix.plot.plot_objective` marks the reset.
fig, ax = plt.subplots(figsize=(7, 4))
plot.plot_objective(gm, ax)
plt.show()

steps = np.diff(gm.lower_bounds_)
print("iterations where the objective fell:", (np.flatnonzero(steps < 0) + 1).tolist())

# %%
# scikit-learn from the same start
# --------------------------------
# With its default ``reg_covar=1e-6`` scikit-learn keeps the spike: one component
# of weight 1/273 whose variances are exactly ``reg_covar``. Its log-likelihood is
# higher than gaussmix's, and all of the difference is the spike's density at one
# point, not a better description of the data. With ``reg_covar=0`` it stops with
# an error.
from sklearn.mixture import GaussianMixture as SklearnGaussianMixture

sk = SklearnGaussianMixture(3, means_init=start, random_state=0).fit(Xl.to_numpy())
spike = int(np.argmin(sk.weights_))
print("scikit-learn weights:", sk.weights_.round(4))
print("variances of the smallest component:", np.diag(sk.covariances_[spike]))
print(f"mean log-likelihood: scikit-learn {sk.score(Xl.to_numpy()):.4f}, "
      f"gaussmix {gm.score(Xl):.4f}")

try:
    SklearnGaussianMixture(3, means_init=start, reg_covar=0.0,
                           random_state=0).fit(Xl.to_numpy())
except ValueError as exc:
    print("reg_covar=0:", type(exc).__name__, "-", str(exc).split(".")[0] + ".")

# %%
# The two fits side by side. scikit-learn's third component is a point; gaussmix's
# describes the data.
fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), layout="constrained")
sk_as_gaussmix = gaussmix.GaussianMixture.from_parameters(
    sk.weights_, sk.means_, sk.covariances_, covariance_type="full")
plot.plot_density_2d(sk_as_gaussmix, Xl, axes[0])
axes[0].set_title("scikit-learn: a spike on the lone point")
plot.plot_density_2d(gm, Xl, axes[1])
axes[1].set_title(f"gaussmix: re-seeded {gm.n_resets_} time(s)")
plt.show()

# %%
# When the collapse is the data: duplicated rows
# ----------------------------------------------
# Thirty copies of one row are a cluster with zero spread, so a component that
# finds them collapses again after every re-seeding. gaussmix re-seeds at most
# twice per component in a run; after that, ``reg_covar`` (added to every
# covariance's diagonal) holds the component finite and the warning says so. No
# ``LinAlgError``, no crash.
rng = np.random.default_rng(0)
Xd = np.vstack([rng.normal(0.0, 1.0, size=(200, 2)), np.tile([5.0, 5.0], (30, 1))])

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    gd = gaussmix.GaussianMixture(2, random_state=0).fit(Xd)
for w in caught:
    print(f"{w.category.__name__}: {w.message}")
print("weights:", gd.weights_.round(3))
print("variances of each component:", np.array([np.diag(c) for c in gd.covariances_]))

# %%
# A larger ``reg_covar`` is the knob for such data: the component on the duplicates
# then has that variance.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", gaussmix.DegenerateComponentWarning)
    gd2 = gaussmix.GaussianMixture(2, reg_covar=0.05, random_state=0).fit(Xd)
print("variances with reg_covar=0.05:", np.array([np.diag(c) for c in gd2.covariances_]).round(4))
