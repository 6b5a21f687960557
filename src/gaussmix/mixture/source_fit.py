"""Fitting a mixture to data that are not an array in memory: memmaps, files, Dask.

The estimator's ``fit`` hands such data here (:func:`fit_source`); the rows are only
ever read chunk by chunk (or block by block on a cluster). What a fit costs in
passes over the data:

- one pass for the data's covariance (the yardstick of collapse detection, and the
  check that every row is numeric and finite), as in memory;
- one pass that draws a uniform sample of :data:`START_SAMPLE_ROWS` rows (skipped
  when the start is given: a warm start, or ``weights_init``, ``means_init`` and
  ``precisions_init`` together); the default start (mclust's hierarchical
  agglomeration raced against k-means) runs on the sample, in memory, and needs no
  other pass;
- one pass per EM iteration, plus the final E-step.

With at most :data:`START_SAMPLE_ROWS` rows the sample is all rows in their order,
so the fit is the in-memory fit.
"""

from __future__ import annotations

import numpy as np

from ..covariance import get_structure
from ..engine.source_ops import one_pass_sample
from ..init import MAX_INIT_ROWS
from ..utils.validation import check_sample_weight

#: Rows of the one-pass sample the starts of a source are computed on: more than
#: :data:`~gaussmix.init.MAX_INIT_ROWS`, so the candidate starts race on a
#: ``MAX_INIT_ROWS``-row subsample of it and only the winner runs on all rows, as for
#: large in-memory data.
START_SAMPLE_ROWS = 2 * MAX_INIT_ROWS


def check_source(estimator, source, *, reset):
    """Record (``reset``, at fit time) or check the source's width and column names,
    as scikit-learn's ``validate_data`` does for in-memory data.

    Returns
    -------
    source
    """
    d = source.n_features
    if d == 0:
        raise ValueError("X has no columns; pass at least one numeric feature.")
    names = source.feature_names
    if reset:
        estimator.n_features_in_ = d
        if names is not None:
            estimator.feature_names_in_ = np.asarray(names, dtype=object)
        elif hasattr(estimator, "feature_names_in_"):
            del estimator.feature_names_in_
        return source
    if d != estimator.n_features_in_:
        raise ValueError(f"X has {d} features, but {type(estimator).__name__} is expecting "
                         f"{estimator.n_features_in_} features as input.")
    fitted = getattr(estimator, "feature_names_in_", None)
    if fitted is not None and names is not None and list(fitted) != list(names):
        raise ValueError("The feature names should match those that were passed during fit "
                         f"(fitted: {list(fitted)}; got: {list(names)}); select the same "
                         "columns, in the same order.")
    return source


def weighted_source(source, sample_weight, dtype):
    """``source`` with ``sample_weight`` checked as for in-memory data (None, or all
    ones: unit weights; a Dask array of weights is used as it is)."""
    if sample_weight is None:
        return source.with_weights(None)
    if type(sample_weight).__module__.split(".")[0] == "dask":
        return source.with_weights(sample_weight)
    w = check_sample_weight(sample_weight, source.n_samples, dtype)
    if w.max() < np.sqrt(np.finfo(w.dtype).tiny):  # subnormal weights: see base._rescaled
        w = w / w.max()
    return source.with_weights(None if np.all(w == 1) else w)


def positive_rows(source):
    """Rows of positive weight."""
    if source.w is None:
        return source.n_samples
    return int(np.count_nonzero(source.w))


def needs_start_sample(estimator):
    """Whether the fit's start is computed from the data (not a warm start, not all of
    ``weights_init``, ``means_init`` and ``precisions_init``)."""
    if estimator._continues_previous_fit():
        return False
    given = [getattr(estimator, name, None) for name in
             ("weights_init", "means_init", "precisions_init")]
    return any(g is None for g in given)


def start_rows(estimator, source, rng, chunk, chunk_map):
    """The rows the starts are computed on: a one-pass uniform sample of the source
    (:data:`START_SAMPLE_ROWS` rows; with weights, with their weights when the sample
    is all rows), or no rows when the start does not use the data."""
    if not needs_start_sample(estimator):
        return np.empty((0, source.n_features), dtype=source.dtype), None
    seed = _sample_seed(rng)
    rows, w = one_pass_sample(source, START_SAMPLE_ROWS, seed, chunk, chunk_map)
    return rows.astype(source.dtype, copy=False), w


def _sample_seed(rng):
    """The sample's seed from a child of ``rng`` (spawned: the draws of the starts
    that follow are those of an in-memory fit, so a source of at most
    :data:`START_SAMPLE_ROWS` rows is fitted exactly as in memory)."""
    try:
        child = rng.spawn(1)[0]
    except (AttributeError, TypeError, ValueError):  # a generator without a SeedSequence
        child = rng
    return int(child.integers(2**63))


def fit_source(estimator, source, sample_weight, cache=None):
    """Validate a source, then fit ``estimator`` on it (see the module's notes).

    Returns
    -------
    source, best : EMResult, n_resets : int
    """
    source = check_source(estimator, source, reset=True)
    if source.n_samples == 0:
        raise ValueError("X is empty (0 rows); pass at least one row of data.")
    get_structure(estimator.covariance_type).check_n_features(source.n_features)
    source = weighted_source(source, sample_weight, source.dtype)
    estimator._check_enough_rows_count(positive_rows(source), source.w is not None)
    if isinstance(estimator.prior, str):
        raise ValueError(f"prior={estimator.prior!r} computes its hyper-parameters from "
                         "rows in memory; for a memmap, a file or Dask data pass a "
                         "gaussmix.ConjugatePrior (e.g. mclust_default of a sample).")
    estimator.prior_ = None if estimator.prior is None else estimator.prior.check(
        source.n_features)

    def rows_for_starts(rng, chunk, chunk_map):
        return start_rows(estimator, source, rng, chunk, chunk_map)

    best, n_resets = estimator._fit_rows(source, cache, rows_for_starts)
    return source, best, n_resets
