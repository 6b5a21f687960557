"""
EM step by step
===============

EM alternates two steps. The E-step computes, for every point, the responsibility
of each component (its posterior probability given the point); the M-step refits
each component's weight, mean and covariance to the points, weighted by those
responsibilities. This page runs EM on Old Faithful from a deliberately poor start
and shows the state after selected iterations, the objective per iteration, and an
animation of the whole run.
"""

# %%
# Every iteration's parameters
# ----------------------------
# :func:`gaussmix.plot.em_steps` runs EM one iteration at a time and returns the
# parameters after each (entry 0 is the start). Its default start is broad: means
# at random rows, every covariance the data's covariance, equal weights.
import matplotlib.pyplot as plt
import numpy as np

import gaussmix
from gaussmix import plot

X = gaussmix.load_faithful(as_frame=True)
steps = plot.em_steps(X, n_components=2, covariance_type="full", random_state=0)
print(f"{len(steps) - 1} iterations to convergence")
print("mean log-likelihood per iteration:",
      np.round([s["objective"] for s in steps], 4))

# %%
# Selected iterations
# -------------------
# :func:`gaussmix.plot.plot_em_step` colours every point by its responsibilities
# (a mix of the component colours) and draws each component's 1- and 2-sigma
# ellipses. Early on, both components claim most points; within a few iterations
# each settles on one cluster.
show = [0, 1, 5, 10, 14, len(steps) - 1]
fig, axes = plt.subplots(2, 3, figsize=(13, 8), layout="constrained")
for ax, i in zip(axes.flat, show):
    plot.plot_em_step(steps[i], X, ax)
plt.show()

# %%
# The objective never decreases
# -----------------------------
# Each EM iteration is coordinate ascent on a lower bound of the log-likelihood, and
# the bound touches the log-likelihood after every E-step, so the log-likelihood
# never falls from one iteration to the next. A fitted model keeps the whole
# sequence in ``lower_bounds_``; :func:`gaussmix.plot.plot_objective` draws it.
objective = np.array([s["objective"] for s in steps])
print("smallest change between iterations:", np.diff(objective).min())

fit = gaussmix.GaussianMixture(2, random_state=0).fit(X)
fig, ax = plt.subplots(figsize=(7, 4))
plot.plot_objective(fit, ax)
ax.set_title("GaussianMixture(2).fit(X): lower_bounds_ per iteration")
plt.show()

# %%
# The animation
# -------------
# :func:`gaussmix.plot.animate_em` draws every early iteration and ever sparser
# later ones, from the start to convergence, and returns a matplotlib
# ``FuncAnimation`` with the iterations it shows in ``frame_steps``.
# ``path="em.gif"`` also writes it as a GIF, as ``gaussmix plot MODEL DATA -o
# em.gif`` does; in a notebook, ``plt.rcParams["animation.html"] = "jshtml"`` and
# ``anim`` as a cell's last line play it inline. Below, the documentation build
# saves it as a GIF.
anim = plot.animate_em(X, n_components=2, covariance_type="full", random_state=0,
                       max_frames=20, dpi=60)
print("iterations shown:", anim.frame_steps)
