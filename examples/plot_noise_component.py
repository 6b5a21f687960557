"""
Outliers and a noise component
==============================

Three clusters, and 10 % of rows scattered uniformly over the whole region. A
mixture without noise must explain every row with a Gaussian, so its components
widen to cover the scatter. ``GaussianMixture(noise=True)`` adds mclust's uniform
background component: the Gaussians fit the clusters, and the scattered rows go to
the noise (label -1). :class:`~gaussmix.MixtureOutlierDetector` turns either density
into an outlier detector with scikit-learn's conventions.
"""

# %%
# Data with uniform noise
# -----------------------
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import gaussmix
from gaussmix import plot

rng = np.random.default_rng(1)
centres = np.array([[0.0, 0.0], [8.0, 6.0], [16.0, -6.0]])
clusters = np.vstack([c + s * rng.normal(size=(300, 2)) for c, s in zip(centres, (0.7, 1.0, 1.3))])
scatter = rng.uniform(clusters.min(axis=0) - 3, clusters.max(axis=0) + 3, size=(100, 2))
X = pd.DataFrame(np.vstack([clusters, scatter]), columns=["u", "v"])
is_noise = np.arange(len(X)) >= len(clusters)

# %%
# Without and with the noise component
# ------------------------------------
# Left: the plain fit's components stretch towards the scattered rows. Right: with
# noise, each Gaussian keeps to its cluster; the crosses are the rows whose largest
# responsibility is the noise's.
plain = gaussmix.GaussianMixture(3, random_state=0).fit(X)
noisy = gaussmix.GaussianMixture(3, noise=True, random_state=0).fit(X)

fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), sharex=True, sharey=True)
plot.plot_density_2d(plain, X, axes[0], contours=False)
axes[0].set_title("noise=False", fontsize="medium")
plot.plot_outliers(noisy, X, axes[1])
fig.tight_layout()

print(f"noise weight {noisy.noise_weight_:.3f} (true 0.100); the box's volume "
      f"{noisy.noise_volume_:.1f}")
print("largest variance per component, without noise:",
      np.round(plain.covariances_.diagonal(axis1=1, axis2=2).max(axis=1), 2))
print("largest variance per component, with noise:   ",
      np.round(noisy.covariances_.diagonal(axis1=1, axis2=2).max(axis=1), 2))

# %%
# How well the noise rows are found
# ---------------------------------
# ``predict`` gives -1 for noise; ``predict_proba`` has a last column for it.
found = noisy.predict(X) == -1
tp = np.sum(found & is_noise)
print(f"precision {tp / found.sum():.2f}, recall {tp / is_noise.sum():.2f}, "
      f"F1 {2 * tp / (found.sum() + is_noise.sum()):.2f}")
print(noisy.predict_proba(X.iloc[[0, -1]]).round(3))

# %%
# An outlier detector
# -------------------
# ``contamination=0.1`` calls the 10 % of training rows of lowest density outliers
# (``offset_`` is that quantile of ``score_samples``); ``"auto"`` uses the noise
# component and calls a row an outlier where the background explains more than
# half of its density, so the share is found from the data.
for contamination in (0.1, "auto"):
    det = gaussmix.MixtureOutlierDetector(contamination, n_components=3,
                                          random_state=0).fit(X)
    out = det.predict(X) == -1
    print(f"contamination={contamination!r}: {out.sum()} outliers, "
          f"F1 {2 * np.sum(out & is_noise) / (out.sum() + is_noise.sum()):.2f}, "
          f"offset_ {det.offset_:.2f}")

plot.plot_outliers(det, X)
plt.show()
