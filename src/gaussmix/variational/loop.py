"""The variational loop: E-step pass, variational M-step, bound, until it settles."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import collect
from .bound import entropy, lower_bound
from .expectations import estep_scores
from .posterior import update_posterior


@dataclass
class VBResult:
    """Outcome of one variational run.

    Attributes
    ----------
    posterior : VariationalPosterior
        After the last M-step.
    lower_bounds : list of float
        The bound after each M-step (scikit-learn's ``lower_bounds_``).
    converged : bool
    n_iter : int
    """

    posterior: object
    lower_bounds: list
    converged: bool
    n_iter: int

    @property
    def lower_bound(self):
        return self.lower_bounds[-1] if self.lower_bounds else float("-inf")


def run_vb(source, posterior, prior, structure, *, tol, max_iter, reg_covar, chunk=None,
           chunk_map=None, verbose=0, start_bound=float("-inf")):
    """Variational EM from ``posterior`` until the bound changes by less than ``tol``.

    Each iteration, as scikit-learn's: an E-step under the current posterior (the
    engine's chunked, threaded pass, scoring each row with the expected log-weights
    and log-densities), the posterior from its statistics, then the bound of the new
    posterior with the entropy of that E-step's responsibilities. ``start_bound``:
    the bound the first change is measured from (a warm start's).

    Returns
    -------
    VBResult
    """
    bounds = []
    prev = start_bound
    converged = False
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        params, log_prior = estep_scores(posterior, prior, structure)
        stats = collect(source, params, chunk=chunk, chunk_map=chunk_map, log_prior=log_prior)
        resp_entropy = entropy(stats, params, log_prior)
        posterior = update_posterior(stats, structure, prior, reg_covar)
        bound = lower_bound(posterior, prior, structure, resp_entropy)
        bounds.append(bound)
        if verbose >= 2:
            print(f"  iteration {n_iter:4d}  lower bound {bound: .8f}  change "
                  f"{bound - prev: .3e}")
        if abs(bound - prev) < tol:
            converged = True
            break
        prev = bound
    return VBResult(posterior, bounds, converged, n_iter)
