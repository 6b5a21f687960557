"""
Missing values
==============

A fifth of Old Faithful's cells are removed at random. ``GaussianMixture(
missing="em")`` fits what is left, by EM on each row's observed entries (see
:doc:`/user_guide/missing`); filling the cells with column means first and fitting
the filled table, the common shortcut, is shown beside it. Then the empty cells are
imputed from the fitted mixture and the picture marks where they went.
"""

# %%
# Remove cells, fit both ways
# ---------------------------
import matplotlib.pyplot as plt
import numpy as np

import gaussmix
from gaussmix import plot

X = gaussmix.load_faithful(as_frame=True)
rng = np.random.default_rng(0)
holey = X.mask(rng.random(X.shape) < 0.2).dropna(how="all")
print(f"{int(holey.isna().sum().sum())} of {holey.size} cells missing")

complete = gaussmix.GaussianMixture(2, random_state=0).fit(X)
em = gaussmix.GaussianMixture(2, missing="em", random_state=0).fit(holey)
shortcut = gaussmix.GaussianMixture(2, random_state=0).fit(holey.fillna(holey.mean()))
for name, gm in [("complete data", complete), ("EM on observed", em),
                 ("mean-filled", shortcut)]:
    order = np.argsort(gm.means_[:, 0])
    print(f"{name:15s} means {np.round(gm.means_[order], 2).tolist()}  "
          f"variances {np.round(np.diagonal(gm.covariances_[order], axis1=1, axis2=2), 2).tolist()}")

# %%
# The fit on the observed entries stays close to the fit on the complete data. The
# mean-filled table puts every filled row on a line through the column mean, between
# the two clusters: the components' means are pulled towards the middle and their
# variances blown up.
#
# Score and impute
# ----------------
# ``score_samples`` of a row with an empty cell is the density of its observed cells;
# ``impute`` fills each empty cell with its conditional mean under the mixture
# (``method="sample"`` draws from the conditional distribution instead).
print(em.score_samples(holey[holey.isna().any(axis=1)].head(3)))
filled = em.impute(holey)
print(filled[holey.isna().any(axis=1)].head(3))

# %%
# Where the imputed values went
# -----------------------------
# A row missing its waiting time is placed at its conditional mean given its eruption
# length: on the regression line of the component that explains it. A row missing its
# eruption length likewise.
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5), layout="constrained")
plot.plot_imputed(em, holey, ax=left)
left.set_title("conditional means")
plot.plot_imputed(em, holey, ax=right, method="sample", random_state=1, legend=False)
right.set_title("one draw from the conditional distribution")
plt.show()
