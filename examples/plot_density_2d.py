"""
Density in two dimensions
=========================

Old Faithful's two columns together: eruption length and waiting time. A mixture
of three components with one shared (``"tied"``) covariance is the model BIC
prefers among all four covariance types (see :ref:`sphx_glr_auto_examples_plot_choosing_k.py`).
This page fits it, draws the density and the component ellipses, and evaluates the
model at new points.
"""

# %%
# Fit
# ---
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import gaussmix
from gaussmix import plot

X = gaussmix.load_faithful(as_frame=True)
gm = gaussmix.GaussianMixture(n_components=3, covariance_type="tied", random_state=0)
gm.fit(X)
print(gm.summary(X))

# %%
# A ``"tied"`` model has one covariance matrix for all components: ``covariances_``
# has shape (n_features, n_features). The means have one row per component.
print("covariances_ shape:", gm.covariances_.shape)
pd.DataFrame(gm.means_, columns=X.columns).assign(weight=gm.weights_).round(3)

# %%
# The picture
# -----------
# :func:`gaussmix.plot.plot_density_2d` colours each point by its most likely
# component and draws the density's contours with each component's 1- and 2-sigma
# ellipses. With a tied covariance the ellipses have the same shape and orientation;
# only their centres differ.
fig, ax = plt.subplots(figsize=(7, 5))
plot.plot_density_2d(gm, X, ax)
ax.set_title("Old Faithful, 3 components, tied covariance")
plt.show()

# %%
# The four covariance types side by side
# ---------------------------------------
# The same data and K with each covariance type. ``"full"``: each component its own
# ellipse; ``"tied"``: one ellipse shape for all; ``"diag"``: ellipses aligned with
# the axes; ``"spherical"``: circles (in the data's units, so very flat here because
# the two columns have different scales).
fig, axes = plt.subplots(2, 2, figsize=(10, 8), layout="constrained")
for ax, kind in zip(axes.flat, ["full", "tied", "diag", "spherical"]):
    model = gaussmix.GaussianMixture(3, covariance_type=kind, random_state=0).fit(X)
    plot.plot_density_2d(model, X, ax)
    ax.set_title(f"{kind}: BIC {model.bic(X):.1f}")
plt.show()

# %%
# Density, responsibilities and labels at new points
# --------------------------------------------------
# ``score_samples`` gives log p(x), ``predict_proba`` the responsibilities and
# ``predict`` the most likely component. A point between the clusters has a low
# density and split responsibilities.
new = pd.DataFrame({"eruptions": [2.0, 3.2, 4.5, 6.5], "waiting": [55.0, 68.0, 80.0, 60.0]})
resp = gm.predict_proba(new)
new.assign(
    log_density=gm.score_samples(new),
    component=gm.predict(new),
    **{f"resp_{k}": resp[:, k] for k in range(gm.n_components)},
).round(3)

# %%
# The least likely rows of the data are outlier candidates: sort by ``score_samples``.
X.assign(log_density=gm.score_samples(X)).nsmallest(5, "log_density").round(3)
