"""
Fitting data that stay on disk
==============================

A mixture can be fitted to rows that are never read into memory at once: a numpy
memmap, a :class:`gaussmix.FileSource` (``.npy``, Parquet or CSV read in chunks) or
a Dask array. Each EM pass reads the rows chunk by chunk and sums the chunks'
statistics; from the same start the answer is the in-memory one.
"""

# %%
# Data on disk
# ------------
# 60,000 rows of three clusters, written to a ``.npy`` file and a Parquet file.
import os
import tempfile

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import gaussmix

rng = np.random.default_rng(0)
centres = np.array([[-4.0, 0.0], [0.0, 3.0], [4.0, -1.0]])
X = centres[rng.integers(3, size=60_000)] + rng.normal(size=(60_000, 2))
folder = tempfile.mkdtemp()
np.save(os.path.join(folder, "rows.npy"), X)
pd.DataFrame(X, columns=["u", "v"]).to_parquet(os.path.join(folder, "rows.parquet"),
                                               row_group_size=10_000)

# %%
# Three sources, one answer
# -------------------------
# The memmap and the Parquet file are read 5,000 rows at a time. The default start
# runs on a uniform sample of 8,000 rows drawn in one pass, the same sample whatever
# the source (it depends on the seed and the rows only), so the three fits agree.
memmap = np.load(os.path.join(folder, "rows.npy"), mmap_mode="r")
parquet = gaussmix.FileSource(os.path.join(folder, "rows.parquet"))
fits = {}
for name, data in (("memmap", memmap), ("Parquet", parquet)):
    fits[name] = gaussmix.GaussianMixture(3, chunk_size=5_000, random_state=0).fit(data)
    print(f"{name:8s} mean log-likelihood {fits[name].lower_bound_:.10f} after "
          f"{fits[name].n_iter_} iterations")
print("Parquet columns:", list(fits["Parquet"].feature_names_in_))

# %%
# The fitted components, and the labels computed chunk by chunk
# -------------------------------------------------------------
labels = fits["memmap"].predict(memmap)
fig, ax = plt.subplots(figsize=(5, 4))
ax.scatter(X[::20, 0], X[::20, 1], c=labels[::20], s=4, cmap="viridis")
ax.scatter(*fits["memmap"].means_.T, c="red", marker="x", s=80, label="means")
ax.set(xlabel="u", ylabel="v", title="Fitted on a memmap")
ax.legend()
plt.show()

# %%
# The files are ours to remove.
import shutil  # noqa: E402

shutil.rmtree(folder)
