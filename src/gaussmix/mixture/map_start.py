"""Starting parameters of a MAP fit: the posterior mode given a start's partition.

mclust starts EM with a prior from the hierarchical agglomeration's classification
and takes the MAP M-step first (``me*`` with ``prior``: M-step, then E-step). A
maximum-likelihood start (:func:`gaussmix.init.start_params`) would begin one
M-step earlier from different parameters and can climb to another optimum; so a
MAP fit takes the same partitions (hierarchical, k-means, random) and makes its
start with the MAP M-step on them, as mclust does.
"""

from __future__ import annotations

import numpy as np

from ..engine import Recovery, map_step_params, stats_from_resp
from ..init import one_hot
from ..init.starts import agglomeration_rows, hierarchical_labels, labels_for


def map_start(method, X, w, Xi, wi, K, structure, prior, rng, cache=None):
    """Starting parameters for a MAP fit by one named method (not ``"auto"``): the
    method's partition (as :func:`gaussmix.init.start_params` makes it) and the MAP
    M-step (:func:`gaussmix.engine.map_step`) on it.

    Returns
    -------
    MixtureParams
    """
    if method == "hierarchical":
        rows, labels = hierarchical_labels(agglomeration_rows(X, w, Xi, wi, rng), K, rng,
                                           cache)
        rows_w, resp = np.ones(rows.shape[0], dtype=X.dtype), one_hot(labels, K, X.dtype)
    else:
        rows, rows_w = Xi, wi
        resp = labels_for(method, Xi, wi, K, rng)
    w1 = np.ones(rows.shape[0], dtype=rows.dtype) if rows_w is None else rows_w
    wr = resp * w1[:, None]
    nk = wr.sum(axis=0)
    ref = np.where(nk[:, None] > 0, (wr.T @ rows) / np.maximum(nk, 1e-300)[:, None],
                   np.average(rows, axis=0, weights=w1))
    stats = stats_from_resp(rows, rows_w, resp, ref, structure)
    params, _ = map_step_params(stats, structure, prior, Recovery())
    return params
