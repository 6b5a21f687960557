"""
Classification with a mixture per class
=======================================

:class:`gaussmix.MixtureClassifier` fits one density per class and classifies by
Bayes' rule, ``P(c | x) = pi_c p(x | c) / sum_j pi_j p(x | j)``. With one Gaussian per
class it is quadratic (``"VVV"``) or linear (``"EEE"``, one shared covariance)
discriminant analysis; with a mixture per class (mclust's ``MclustDA``) a class may
have any shape: here two interleaved half moons, which no single Gaussian fits.
"""

# %%
# Data: two half moons
# --------------------
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split

from gaussmix import MixtureClassifier
from gaussmix.plot import plot_decision_regions

X, y = make_moons(600, noise=0.15, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5, random_state=0)

# %%
# Three classifiers
# -----------------
# ``"EDDA"`` is one Gaussian per class, the covariance model chosen by BIC among
# mclust's fourteen; ``"MclustDA"`` lets each class have up to five components, the
# number and the covariance model chosen per class by BIC (here among scikit-learn's
# four types, to keep the page quick; the default tries all fourteen).
models = {
    "one Gaussian per class (QDA)": MixtureClassifier(1, covariance_type="VVV"),
    "EDDA (model by BIC)": MixtureClassifier(model_type="EDDA"),
    "MclustDA (mixture per class)": MixtureClassifier(covariance_type="sklearn",
                                                      random_state=0),
}
fig, axes = plt.subplots(1, 3, figsize=(15, 4.6), sharey=True)
for ax, (name, clf) in zip(axes, models.items()):
    clf.fit(X_train, y_train)
    error = np.mean(clf.predict(X_test) != y_test)
    plot_decision_regions(clf, X_test, y_test, ax, resolution=150)
    ax.set_title(f"{name}\ntest error {error:.3f}", fontsize="medium")
plt.tight_layout()
plt.show()

# %%
# What each class got
# -------------------
# The mixture per class chose its number of components and covariance model by
# BIC; ``selection_`` holds each class's table of candidates.
clf = models["MclustDA (mixture per class)"]
for label, k, model in zip(clf.classes_, clf.n_components_, clf.covariance_types_):
    print(f"class {label}: {k} component(s), covariance type {model!r}")
clf.selection_[0].sort_values("bic").head()
