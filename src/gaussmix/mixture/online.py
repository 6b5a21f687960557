"""``GaussianMixture.partial_fit``: stepwise online EM for data that arrive in batches.

The first call starts the mixture on its batch (the ordinary ``fit``: the same
starts and EM to convergence there), unless the model is already fitted, in which
case the batches continue from its parameters, counted as the first batch. Every call then takes one step of
stepwise EM (:mod:`gaussmix.engine.online`): the batch's E-step under the current
parameters, the running average of the statistics moved towards it by ``(t +
2)^-alpha``, and the M-step on the average. What the steps keep (the running
statistics) lives on the model until ``fit`` starts over.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..engine import ArraySource, ChunkMap
from ..engine.online import OnlineState, mixture_scale, online_step, statistics_of
from ..utils.parallel import resolve_n_jobs
from ..utils.validation import check_real, check_sample_weight, check_X, refuse_chunked
from .exceptions import DegenerateComponentWarning

#: Where a model keeps its :class:`~gaussmix.engine.online.OnlineState`.
STATE = "_online_state"


def check_step_exponent(value):
    """``online_step_exponent`` as a float in (0.5, 1], or a clear error: stepwise
    EM converges for step sizes ``(t + 2)^-alpha`` with 0.5 < alpha <= 1 (their sum
    diverges, the sum of their squares does not)."""
    alpha = check_real(value, "online_step_exponent")
    if not 0.5 < alpha <= 1.0:
        raise ValueError(f"online_step_exponent must be in (0.5, 1], got {alpha}: stepwise "
                         "EM needs step sizes (t + 2)^-alpha whose sum diverges and whose "
                         "squares' sum does not; 0.6 is the usual choice.")
    return alpha


def forget_online_state(model):
    """Drop what ``partial_fit`` kept (``fit`` starts over)."""
    model.__dict__.pop(STATE, None)
    model.__dict__.pop("n_steps_", None)


def partial_fit(model, X, sample_weight):
    """One batch of stepwise EM on ``model`` (see :meth:`GaussianMixture.partial_fit`,
    which exists only where :func:`online_step_supported` holds)."""
    model._check_parameters()
    state = getattr(model, STATE, None)
    started_here = state is None and not hasattr(model, "means_")
    if started_here:
        X, w = _start_on_first_batch(model, X, sample_weight)
    else:
        X, w = _checked_batch(model, X, sample_weight)
    source = ArraySource(X, w)
    n_threads = resolve_n_jobs(model.n_jobs)
    if state is None:
        state = _new_state(model, source, n_threads, started_here)
    n_resets = len(state.recovery.resets)
    with ChunkMap(n_threads) as chunk_map:
        params, _ = online_step(state, source, model._get_params(),
                                exponent=model.online_step_exponent,
                                reg_covar=model.reg_covar,
                                prior=getattr(model, "prior_", None),
                                chunk=model.chunk_size, chunk_map=chunk_map)
    setattr(model, STATE, state)
    _record(model, state, params.astype(X.dtype))
    if len(state.recovery.resets) > n_resets:
        warnings.warn(model._degenerate_message(state.recovery, len(state.recovery.resets)),
                      DegenerateComponentWarning, stacklevel=3)
    return model


def online_step_supported(model):
    """True where the online step has the model's E-step and M-step; otherwise an
    AttributeError saying why, so that ``partial_fit`` is absent (scikit-learn's
    ``available_if``: its estimator checks then do not call it) and a call says what
    to do instead. Options whose terms the online step lacks are never fitted
    without them."""
    if getattr(model, "noise", False):
        raise AttributeError("partial_fit cannot fit noise=True yet (the online step has "
                             "no noise term); use fit, or set noise=False.")
    if model._allows_missing():
        raise AttributeError("partial_fit cannot fit missing='em' yet (the online step has "
                             "no E-step for incomplete rows); use fit, or set missing=None.")
    if getattr(model, "fixed", None):
        raise AttributeError("partial_fit cannot hold fixed parameters yet (the online "
                             "M-step fits all of them); use fit, or set fixed=None.")
    return True


def _new_state(model, source, n_threads, started_here):
    """The running average's start: empty when the model was just fitted on this
    batch (the batch's own statistics set it), else the fitted parameters' own
    moments, counted as one batch, so that a first small batch cannot sweep them
    away (one row with gamma 1 would leave every other component empty)."""
    if started_here:  # the yardstick of collapse detection: the fit's own
        return OnlineState(scale=model._data_scale(source, n_threads))
    params = model._get_params()
    # the mixture's spread, not the batch's: a batch may be a single row
    state = OnlineState(scale=mixture_scale(params), stats=statistics_of(params), n_steps=1)
    if model.prior is not None and getattr(model, "prior_", None) is None:
        model.prior_ = model._resolve_prior(source.X, source.w)
    return state


def _start_on_first_batch(model, X, sample_weight):
    """Fit ``model`` on the first batch (the ordinary start and EM), after checking
    that it has rows enough to start ``n_components`` components; the checked batch."""
    refuse_chunked(X, "partial_fit() (one batch of rows; fit() streams a file or Dask data)")
    Xc = check_X(model, X, reset=True)
    w = check_sample_weight(sample_weight, Xc.shape[0], Xc.dtype)
    n_rows = Xc.shape[0] if w is None else int(np.count_nonzero(w))
    if n_rows < model.n_components:
        raise ValueError(
            f"partial_fit's first batch has {n_rows} row(s)"
            f"{' with positive weight' if w is not None else ''}, fewer than "
            f"n_components={model.n_components}: the first batch starts the mixture (EM on "
            "it, as fit does), so it needs at least as many rows as components; pass a "
            "larger first batch, or fit() a sample first and partial_fit the batches after.")
    model._fit(X, sample_weight)  # the original X: a DataFrame's names are recorded
    return Xc, _unit_weights_as_none(w)


def _checked_batch(model, X, sample_weight):
    """A later batch, checked against the fitted width and column names, in the
    model's dtype, and its weights."""
    refuse_chunked(X, "partial_fit() (one batch of rows; fit() streams a file or Dask data)")
    _check_width(model, X)
    X = check_X(model, X, reset=False).astype(model.means_.dtype, copy=False)
    w = check_sample_weight(sample_weight, X.shape[0], X.dtype)
    return X, _unit_weights_as_none(w)


def _check_width(model, X):
    """A batch of another width is refused before anything else is read (scikit-
    learn's wording first, which its estimator checks look for)."""
    try:
        shape = X.shape if hasattr(X, "shape") else np.shape(X)
    except ValueError:  # ragged input: check_X says what is wrong with it
        return
    width = model.n_features_in_
    if len(shape) == 2 and shape[1] != width:
        raise ValueError(
            f"X has {shape[1]} features, but {type(model).__name__} is expecting {width} "
            "features as input: every partial_fit batch must have the columns the model "
            "was started on; use a new model (or fit) for data of another width.")


def _unit_weights_as_none(w):
    return None if w is None or np.all(w == 1) else w


def _record(model, state, params):
    """The step's parameters and what describes the online run, on ``model``."""
    model._set_params(params)
    model.n_steps_ = state.n_steps
    model.n_iter_ = state.n_steps
    model.converged_ = False
    objective = state.stats.loglik
    prior = getattr(model, "prior_", None)
    if prior is not None:
        objective += params.structure.log_prior(params.weights, params.means,
                                                params.covariances,
                                                prior) / state.weight_seen
    model.lower_bound_ = float(objective)
    model.lower_bounds_ = []
    model.n_resets_ = len(state.recovery.resets)
    model.resets_ = list(state.recovery.resets)
