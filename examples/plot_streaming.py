"""
Fitting a stream: partial_fit and stepwise online EM
====================================================

When rows arrive in batches, or are too many to pass over again and again,
:meth:`gaussmix.GaussianMixture.partial_fit` updates the mixture one batch at a time
(stepwise online EM, Cappe and Moulines 2009): each batch's E-step statistics move a
running average by the step size ``(t + 2)^-alpha``, and the ordinary M-step reads
the average. Here one pass over 100,000 shuffled rows, in batches of 1,000, is
compared with the batch fit that reads all rows at every iteration.
"""

# %%
# A stream of rows
# ----------------
# Four overlapping Gaussians in two dimensions; the batch fit is the reference.
import matplotlib.pyplot as plt
import numpy as np

from gaussmix import GaussianMixture, plot

rng = np.random.default_rng(0)
means = np.array([[0.0, 0.0], [3.0, 1.0], [0.5, 3.5], [4.0, 4.0]])
covs = [np.array([[1.0, 0.6], [0.6, 1.0]]), np.diag([0.5, 1.5]),
        np.array([[1.2, -0.5], [-0.5, 0.8]]), np.eye(2) * 0.7]
labels = rng.choice(4, size=100_000, p=[0.4, 0.25, 0.2, 0.15])
X = np.empty((labels.size, 2))
for k in range(4):
    rows = labels == k
    X[rows] = rng.multivariate_normal(means[k], covs[k], size=rows.sum())
held_out = X[-10_000:]
stream = np.array_split(X[:-10_000], 90)  # 90 batches of 1,000 rows, in random order

batch = GaussianMixture(4, random_state=0).fit(X[:-10_000])
print(f"batch fit: {batch.n_iter_} iterations over all rows, held-out mean "
      f"log-likelihood {batch.score(held_out):.4f}")

# %%
# One pass of partial_fit
# -----------------------
# The first call starts the mixture on its batch (as ``fit`` does); every later call
# is one step. ``online_step_exponent`` is alpha: 0.6 (the default) forgets the
# early batches faster than 1, which averages all batches equally.
curves = {}
for alpha in (0.6, 1.0):
    gm = GaussianMixture(4, random_state=0, online_step_exponent=alpha)
    curves[alpha] = []
    for rows in stream:
        gm.partial_fit(rows)
        curves[alpha].append(gm.score(held_out))
    gap = (batch.score(held_out) - curves[alpha][-1]) / abs(batch.score(held_out))
    print(f"alpha = {alpha}: after {gm.n_steps_} batches, held-out mean log-likelihood "
          f"{curves[alpha][-1]:.4f} ({100 * gap:.3f}% below the batch fit)")
online = gm

# %%
# The curves climb to the batch fit's level within a few dozen batches; every
# batch was read once.
fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
for alpha, curve in curves.items():
    ax.plot(np.arange(1, len(curve) + 1), curve, label=f"partial_fit, alpha = {alpha}")
ax.axhline(batch.score(held_out), color="k", ls="--", lw=1, label="batch fit")
ax.set(xlabel="batches seen (1,000 rows each)", ylabel="held-out mean log-likelihood",
       ylim=(batch.score(held_out) - 0.15, batch.score(held_out) + 0.03))
ax.legend()
plot.plot_density_2d(online, held_out[:3000], ax=ax2)
ax2.set_title("after one pass (alpha = 1)")
plt.show()
