"""Which candidates of a selection get a second, k-means start.

mclust's ``Mclust(X)`` fits every (model, G) once, by EM from one shared
hierarchical agglomeration. :func:`~gaussmix.select` does the same first (the
agglomeration is computed once and every candidate starts from its partition), then
refits with ``init_params="auto"`` (the hierarchical and a k-means start, the better
kept, exactly as a lone :class:`~gaussmix.GaussianMixture` fit) only the candidates
where a second start can matter:

- a *poor optimum*: the log-likelihood is below that of fewer components of the
  same model. A mixture with more components contains the one with fewer (give a
  component zero weight), so its maximum likelihood is never lower: the
  hierarchical start led EM astray there;
- a fit that re-seeded collapsed components or did not converge;
- a *contender*: a candidate whose criterion is within :data:`CONTENDER_MARGIN` of
  the best, so that the chosen model is as good as a lone fit's would be.

Measured on Old Faithful and iris (mclust's 14 models, K = 1..9): the hierarchical
start alone reached mclust's log-likelihood in every cell but one (iris VVE, K = 4:
0.056 short, a slow EM; it is refitted as a poor optimum). With the refits (17 and 12
candidates) a selection ran 9756 EM iterations instead of 17167 on Old Faithful
(CPU 3.9 s instead of 7.0 s) and 6205 instead of 8160 on iris (3.6 s instead of
4.1 s), with the same best BIC.
"""

from __future__ import annotations

import numpy as np

from ..utils.missing import complete_with_column_means

#: Relative change of the total log-likelihood at which the screening pass stops:
#: half mclust's ``1e-5``. At mclust's own value, Old Faithful's VEE (G = 5) ended
#: 4.7 and iris's VEV (G = 9) 3.0 below mclust's log-likelihood (slow EM phases
#: stopped early); at half, every cell of both tables reaches it.
MCLUST_RTOL = 0.5e-5


def screening_tol(X, w=None):
    """``tol`` (on the mean log-likelihood) for the screening pass, like mclust's
    rule at :data:`MCLUST_RTOL`: EM stops when ``|change| / (1 + |loglik|)`` of the
    total log-likelihood is below it, that is when the mean changes by less than
    ``MCLUST_RTOL (1 / n + |mean loglik|)``.

    The mean log-likelihood is taken as that of one Gaussian (closed form), and the
    tolerance is never below :class:`~gaussmix.GaussianMixture`'s default ``1e-5``.
    Contenders are refitted at the default ``tol`` anyway, so this only makes the
    far-from-best cells cheaper. Measured: Old Faithful ``2.4e-5`` (a selection's EM
    iterations 9756 -> 7665, the same best BIC, every cell at least mclust's
    log-likelihood minus max(0.05, 1e-4 |ref|)); iris ``1e-5`` (the floor: unchanged).
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim == 1:
        X = X[:, None]
    X = complete_with_column_means(X, w)  # missing="em": the mean-completed rows
    n, d = X.shape
    if n < 2:
        return 1e-5
    weights = np.ones(n) if w is None else np.asarray(w, dtype=np.float64)
    total = weights.sum()
    if not total > 0:
        return 1e-5
    mean = weights @ X / total
    Xc = X - mean
    cov = (Xc * weights[:, None]).T @ Xc / total
    sign, logdet = np.linalg.slogdet(cov)
    if sign <= 0 or not np.isfinite(logdet):
        return 1e-5
    mean_loglik = -0.5 * (d * (1.0 + np.log(2 * np.pi)) + logdet)
    return max(1e-5, MCLUST_RTOL * (1.0 / total + abs(mean_loglik)))


#: Candidates whose criterion is within this of the best get the second start too.
#: 10 is where Kass and Raftery (1995) call a BIC difference "very strong" evidence:
#: a candidate further away would need a far better optimum to win.
CONTENDER_MARGIN = 10.0
#: Log-likelihood shortfall (total, not per row) below a smaller K of the same model
#: that counts as a poor optimum; smaller differences are EM's tolerance.
SHORTFALL = 1e-3


def needs_second_start(candidates, results, values):
    """Indices of the candidates to refit from both starts.

    Parameters
    ----------
    candidates : list of (covariance_type, n_components)
    results : list of Fitted
        The first fits (a failed fit, ``gm`` None, is not retried).
    values : ndarray of shape (n_candidates,)
        Their criterion (lower is better; NaN for failed fits).

    Returns
    -------
    indices : list of int
    """
    finite = np.isfinite(values)
    best = values[finite].min() if finite.any() else np.inf
    out = []
    for i, (fitted, value) in enumerate(zip(results, values)):
        if fitted.gm is None:
            continue
        gm = fitted.gm
        if (value <= best + CONTENDER_MARGIN or gm.n_resets_ or not gm.converged_
                or _below_fewer_components(i, candidates, results)):
            out.append(i)
    return out


def _below_fewer_components(i, candidates, results):
    """Whether candidate ``i`` has a lower log-likelihood than a candidate of the same
    model with fewer components."""
    name, k = candidates[i]
    loglik = results[i].loglik
    for j, (other, kj) in enumerate(candidates):
        if other == name and kj < k and results[j].gm is not None:
            if results[j].loglik > loglik + SHORTFALL:
                return True
    return False
