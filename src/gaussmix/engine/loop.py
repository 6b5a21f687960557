"""The EM loop: E-step pass, convergence test, M-step, until the objective settles."""

from __future__ import annotations

from dataclasses import dataclass

from .collect import collect
from .fixed import fixed_m_step
from .mstep import Recovery, m_step_recover, map_step_params


@dataclass
class EMResult:
    """Outcome of one EM run.

    Attributes
    ----------
    params : MixtureParams
        The parameters after the last M-step.
    lower_bounds : list of float
        ``lower_bounds[i]``: the objective (mean log-likelihood, or log posterior
        per unit weight with a prior) after ``i`` M-steps; the last entry is that of
        ``params``.
    converged : bool
    n_iter : int
        Iterations as scikit-learn counts them: each E-step that measured the
        objective with the M-step after it, the last one included even though its
        M-step is skipped once the objective has settled; at most ``max_iter``.
    recovery : Recovery
    """

    params: object
    lower_bounds: list
    converged: bool
    n_iter: int
    recovery: Recovery

    @property
    def lower_bound(self):
        return self.lower_bounds[-1]


def run_em(source, params, *, tol, max_iter, reg_covar, scale, chunk=None, chunk_map=None,
           max_resets=None, verbose=0, recovery=None, prior=None, noise=None,
           fixed=None):
    """Run EM from ``params`` until the objective changes by less than ``tol``.

    The objective is the mean (per unit weight) log-likelihood, or with a ``prior``
    the log posterior per unit weight (log-likelihood plus :meth:`~gaussmix.covariance.
    CovarianceStructure.log_prior`, normalising constants dropped) and the M-step
    its mode (MAP estimation, Fraley and Raftery 2007). ``lower_bounds[i]`` is the
    objective of the parameters after ``i`` M-steps, so the last entry is exactly
    that of the returned parameters. It never decreases, except at an iteration where
    a collapsed component was re-seeded (listed in ``recovery.resets``; never with a
    prior).

    Parameters
    ----------
    source : ArraySource or ndarray of shape (n_samples, n_features)
    params : MixtureParams
        Starting parameters.
    tol : float
    max_iter : int
        Maximum number of M-steps.
    reg_covar : float
    scale : DataScale
        The data's spread: the yardstick for collapse detection and re-seeding.
    chunk : int, optional
        Rows per E-step chunk; default sized per iteration (see :func:`collect`).
    chunk_map : ChunkMap, optional
        Where the chunks run (threads); default the calling thread.
    max_resets : int, optional
        Re-seeding budget for this run; default ``2 * n_components``.
    verbose : int, default=0
        2 prints one line per iteration.
    prior : ConjugatePrior, optional
        MAP estimation under this prior (checked against the data's width).
    noise : NoiseTerm, optional
        A uniform noise component, weight ``1 - sum(weights)`` (:mod:`.noise`).
    fixed : FixedParams, optional
        Parameters held at these values (maximum likelihood only); the M-step
        fits the others given them (:mod:`gaussmix.engine.fixed`).

    Returns
    -------
    EMResult
    """
    recovery = recovery or Recovery()
    if max_resets is None:
        max_resets = 2 * params.n_components
    structure = params.structure
    lower_bounds = []
    prev = None
    converged = False
    for it in range(max_iter + 1):
        stats = None  # the last pass's statistics are spent: on wide data they are large
        stats = collect(source, params, chunk=chunk, chunk_map=chunk_map, noise=noise)
        ll = stats.mean_loglik
        if prior is not None:
            ll += structure.log_prior(params.weights, params.means, params.covariances,
                                      prior) / stats.weight
        lower_bounds.append(ll)
        if verbose >= 2:
            change = float("nan") if prev is None else ll - prev
            what = "mean log-likelihood" if prior is None else "log posterior per row"
            print(f"  iteration {it:4d}  {what} {ll: .8f}  change {change: .3e}")
        if prev is not None and abs(ll - prev) < tol:
            converged = True
            break
        if it == max_iter:
            break
        # an iterative M-step starts from the current covariances (None for closed
        # forms); the old parameters are not needed otherwise: on wide data they are large
        start = structure.m_step_start(params.covariances)
        params = None
        params, did_reset = _m_step(stats, structure, reg_covar, scale, recovery, it + 1,
                                    max_resets, start, prior, fixed)
        if noise is not None:
            params = noise.reweight(params, stats, prior)
        start, prev = None, (None if did_reset else ll)
    n_iter = min(len(lower_bounds), max_iter)
    return EMResult(params, lower_bounds, converged, n_iter, recovery)


def _m_step(stats, structure, reg_covar, scale, recovery, iteration, max_resets, start, prior,
            fixed):
    """The M-step of the run: with held parameters, MAP, or maximum likelihood with
    collapse recovery. Returns the parameters and whether a component was re-seeded."""
    if fixed is not None:
        return fixed_m_step(stats, structure, reg_covar, scale, recovery, iteration,
                            max_resets, start, fixed)
    if prior is not None:
        return map_step_params(stats, structure, prior, recovery, start)
    return m_step_recover(stats, structure, reg_covar, scale, recovery, iteration, max_resets,
                          start)
