"""Starts for EM: k-means++, Lloyd's k-means as hard EM, mclust's model-based
hierarchical agglomeration, and the ``"auto"`` race between them."""

from .cache import AgglomerationCache
from .kmeans import kmeans_plusplus, lloyd, one_hot, sq_distances
from .sample import MAX_INIT_ROWS, hc_rows, hc_subsamples, init_sample
from .starts import INIT_METHODS, auto_methods, params_from_resp, start_params, start_resp

__all__ = ["AgglomerationCache", "INIT_METHODS", "MAX_INIT_ROWS", "auto_methods", "hc_rows",
           "hc_subsamples",
           "init_sample", "kmeans_plusplus", "lloyd", "one_hot", "params_from_resp",
           "sq_distances", "start_params", "start_resp"]
