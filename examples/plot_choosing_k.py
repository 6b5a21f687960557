"""
Choosing the number of components
=================================

:func:`gaussmix.select` fits one mixture per number of components K and covariance
type and chooses by BIC (or AIC). Both criteria here are **lower is better**, as in
scikit-learn. mclust reports BIC with the opposite sign (higher is better there): a
gaussmix BIC of b is an mclust BIC of -b.
"""

# %%
# Every candidate
# ---------------
# Nine values of K and four covariance types: 36 fits. Every candidate gets the same
# seed, so a row of the table equals
# ``GaussianMixture(K, covariance_type=T, random_state=0).fit(X)``.
import matplotlib.pyplot as plt

import gaussmix
from gaussmix import plot

X = gaussmix.load_faithful(as_frame=True)
res = gaussmix.select(X, n_components=range(1, 10),
                      covariance_types=("full", "diag", "spherical", "tied"),
                      criterion="bic", random_state=0, progress=False)
res

# %%
# The table
# ---------
# ``table_`` is a DataFrame with one row per candidate: the total log-likelihood,
# the number of free parameters, BIC, AIC and whether EM converged.
res.table_.round(2).head(12)

# %%
# ``summary()`` prints the whole table and marks the best row.
print(res.summary())

# %%
# The chosen model
# ----------------
# ``best_`` is the fitted model with the lowest criterion; ``best_params_`` its K
# and covariance type.
print(res.best_params_)
print(res.best_.summary(X))

# %%
# BIC against K
# -------------
# :func:`gaussmix.plot.plot_selection` draws the criterion against K, one line per
# covariance type, the best marked. The log-likelihood keeps rising with K; BIC adds
# ``n_parameters * log(n)`` and so turns up once extra components stop paying for
# their parameters.
fig, ax = plt.subplots(figsize=(7, 4.5))
plot.plot_selection(res, ax)
plt.show()

# %%
# BIC or AIC
# ----------
# AIC charges 2 per parameter instead of log(n) (5.6 for 272 rows), so it prefers
# larger models. The same fits, read with AIC:
fig, ax = plt.subplots(figsize=(7, 4.5))
plot.plot_selection(res, ax, criterion="aic")
plt.show()

aic_best = res.table_.loc[res.table_["aic"].idxmin(), ["n_components", "covariance_type"]]
print("lowest AIC:", dict(aic_best))

# %%
# Reading BIC by hand
# -------------------
# ``bic(X)`` and ``aic(X)`` of any fitted model use the same formulas:
# BIC = -2 log L + p log n and AIC = -2 log L + 2 p, with p free parameters.
import numpy as np

gm = res.best_
loglik = gm.score(X) * len(X)
p = gm.n_parameters()
print(f"-2 log L + p log n = {-2 * loglik + p * np.log(len(X)):.4f}")
print(f"gm.bic(X)          = {gm.bic(X):.4f}")
print(f"mclust would report BIC = {-gm.bic(X):.4f} (higher is better there)")
