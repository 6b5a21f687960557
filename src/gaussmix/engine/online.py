"""Stepwise online EM: running averages of the E-step's statistics, one batch at a time.

Cappe and Moulines (2009) replace EM's sum of statistics over all rows by a running
average of each batch's statistics per unit weight,

    s <- (1 - gamma_t) s + gamma_t stats(batch_t; theta) / weight(batch_t),

and take the ordinary M-step on ``s`` after every batch. With the step sizes
``gamma_t = (t + 2)^-alpha``, ``alpha`` in (0.5, 1] (Liang and Klein 2009's
schedule), the average forgets its start while keeping every batch's say: for
``alpha = 1`` and batches of equal weight it is exactly the cumulative average, the
statistics batch EM would sum (each batch's under the parameters it met).

The running average is held per unit weight; the M-step reads it scaled to the
weight seen so far, so a prior's pseudo-statistics weigh against the data as they
do in a batch fit on that many rows (for ``alpha = 1`` and equal batches the step is
exactly batch MAP's M-step on the cumulative statistics).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..covariance import DataScale
from .collect import collect
from .mstep import Recovery, m_step_recover, map_step_params
from .stats import SuffStats, recentred, scaled

#: The step-size exponent alpha of :func:`step_size` unless one is given: Cappe and
#: Moulines (2009) and Liang and Klein (2009) found values near 0.6 to 0.7 best;
#: smaller exponents forget faster (larger steps), 1 averages all batches equally.
DEFAULT_STEP_EXPONENT = 0.6


def step_size(n_steps, exponent):
    """The weight ``gamma`` of the batch that comes after ``n_steps`` batches.

    The first batch (``n_steps = 0``) sets the running statistics (``gamma = 1``);
    the later ones move them by ``gamma_t = (t + 2)^-alpha`` with ``t = n_steps - 1
    = 0, 1, ...``, which is ``(n_steps + 1)^-alpha`` for every ``n_steps``.

    Parameters
    ----------
    n_steps : int
        Batches already averaged.
    exponent : float
        alpha in (0.5, 1].

    Returns
    -------
    gamma : float

    Examples
    --------
    >>> step_size(0, 0.6), step_size(1, 1.0), step_size(2, 1.0)
    (1.0, 0.5, 0.3333333333333333)
    """
    return float((n_steps + 1) ** -exponent)


def blend(running, batch, gamma, kernel):
    """``(1 - gamma) running + gamma batch / batch.weight``, per unit weight, with its
    moments about ``batch.ref`` (the means the batch's E-step used: the newest).

    Parameters
    ----------
    running : SuffStats or None
        The running average (weight 1); None before the first batch.
    batch : SuffStats
        One batch's summed statistics.
    gamma : float
        The batch's step size; 1 replaces ``running``.
    kernel : EStepKernel
        The layout of ``s2``.

    Returns
    -------
    SuffStats
        Weight 1. Its re-seeding candidates are the batch's rows.
    """
    per_unit = scaled(batch, 1.0 / batch.weight)
    if running is None or gamma == 1.0:
        return per_unit
    old = scaled(recentred(running, batch.ref, kernel), 1.0 - gamma)
    # re-seeding candidates from this batch only: the older ones were judged under
    # older parameters
    old = replace(old, worst=batch.worst[:0], worst_logp=batch.worst_logp[:0])
    return scaled(per_unit, gamma) + old


def statistics_of(params):
    """Statistics per unit weight whose M-step gives ``params`` back (before
    ``reg_covar``): masses the weights, first moments zero about the means, second
    moments the weighted covariances. How a fitted model's parameters enter the
    running average when ``partial_fit`` continues it: as one batch that had exactly
    these moments.

    The log-likelihood is NaN, which :func:`online_step` replaces by the first
    batch's (the parameters have none of their own).

    Examples
    --------
    >>> from gaussmix.engine import MixtureParams, m_step
    >>> p = MixtureParams.from_covariances("diag", np.array([0.25, 0.75]),
    ...                                    np.array([[0.0], [4.0]]), np.array([[1.0], [2.0]]))
    >>> s = statistics_of(p)
    >>> weights, means, cov_raw, _ = m_step(s, p.structure, 0.0)
    >>> [np.round(a, 12).tolist() for a in (weights, means, cov_raw)]
    [[0.25, 0.75], [[0.0], [4.0]], [[1.0], [2.0]]]
    """
    structure = params.structure
    weights = np.asarray(params.weights, dtype=np.float64)
    means = np.asarray(params.means, dtype=np.float64)
    K, d = means.shape
    cov = np.asarray(structure.to_full(params.covariances, K, d), dtype=np.float64)
    s2 = structure.kernel.second_moment_from_full(weights[:, None, None] * cov)
    return SuffStats(ref=means, nk=weights / weights.sum(), s1=np.zeros((K, d)), s2=s2,
                     loglik=float("nan"), weight=1.0, worst=means[:0],
                     worst_logp=np.empty(0))


def mixture_scale(params):
    """The :class:`~gaussmix.covariance.DataScale` of the mixture itself: its
    overall covariance ``sum_k w_k (Sigma_k + (mu_k - mu)(mu_k - mu)^T)``, the spread
    of the data it was fitted to, without a row count (re-seeding is never judged
    futile for want of rows).

    Examples
    --------
    >>> from gaussmix.engine import MixtureParams
    >>> p = MixtureParams.from_covariances("spherical", np.array([0.5, 0.5]),
    ...                                    np.array([[-1.0], [1.0]]), np.array([1.0, 1.0]))
    >>> mixture_scale(p).cov.tolist()
    [[2.0]]
    """
    weights = np.asarray(params.weights, dtype=np.float64)
    means = np.asarray(params.means, dtype=np.float64)
    K, d = means.shape
    cov = np.asarray(params.structure.to_full(params.covariances, K, d), dtype=np.float64)
    dev = means - weights @ means / weights.sum()
    total = np.einsum("k,kij->ij", weights, cov + dev[:, :, None] * dev[:, None, :])
    return DataScale(total / weights.sum(), None)


@dataclass
class OnlineState:
    """What stepwise EM keeps between batches.

    Attributes
    ----------
    scale : DataScale
        The first batch's spread: the yardstick for collapse detection.
    stats : SuffStats or None
        The running average of the statistics per unit weight.
    n_steps : int
        Batches averaged.
    weight_seen : float
        Their total weight.
    recovery : Recovery
        Re-seedings of collapsed components over the whole stream.
    """

    scale: object
    stats: object = None
    n_steps: int = 0
    weight_seen: float = 0.0
    recovery: Recovery = field(default_factory=Recovery)


def online_step(state, source, params, *, exponent, reg_covar, prior=None, chunk=None,
                chunk_map=None):
    """One step of stepwise EM: the batch's E-step under ``params``, the running
    average moved towards it (:func:`blend`), and the M-step on the average scaled to
    the weight seen. ``state`` is updated in place once the step has succeeded (the
    re-seedings it records excepted), so a step that raises leaves it as it was.

    Parameters
    ----------
    state : OnlineState
    source : ArraySource
        The batch.
    params : MixtureParams
        The parameters after the previous step (or the start).
    exponent : float
        alpha of :func:`step_size`.
    reg_covar : float
    prior : ConjugatePrior or None
        MAP's M-step when given.
    chunk, chunk_map
        As :func:`~gaussmix.engine.collect.collect`.

    Returns
    -------
    params : MixtureParams
        The M-step's parameters (float64).
    batch_mean_loglik : float
        The batch's mean log-likelihood under ``params`` (before this step).
    """
    batch = collect(source, params, chunk=chunk, chunk_map=chunk_map)
    structure = params.structure
    running = state.stats
    if running is not None and np.isnan(running.loglik):  # from statistics_of
        running = replace(running, loglik=batch.mean_loglik)
    stats = blend(running, batch, step_size(state.n_steps, exponent), structure.kernel)
    n_steps, weight_seen = state.n_steps + 1, state.weight_seen + batch.weight
    seen = scaled(stats, weight_seen)
    start = structure.m_step_start(params.covariances)
    if prior is None:
        new, _ = m_step_recover(seen, structure, reg_covar, state.scale, state.recovery,
                                n_steps, 2 * params.n_components, start)
    else:
        new, _ = map_step_params(seen, structure, prior, state.recovery, start)
    state.stats, state.n_steps, state.weight_seen = stats, n_steps, weight_seen
    return new, batch.mean_loglik
