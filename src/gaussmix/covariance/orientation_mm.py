"""The M-steps of mclust's common-orientation models with varying shapes (EVE, VVE):
the majorisation-minimisation (MM) algorithms of Browne and McNicholas.

With ``Sigma_k = D Lambda_k D^T`` (one orthogonal ``D``, diagonal ``Lambda_k``;
EVE: ``Lambda_k = lambda A_k``, VVE: ``Lambda_k = lambda_k A_k``), the M-step
minimises ``F = sum_k n_k log det(Lambda_k) + tr(W_k D Lambda_k^-1 D^T)``. Given
``D``, the ``Lambda_k`` are closed forms of ``diag(D^T W_k D)``. Given the
``Lambda_k``, ``f(D) = sum_k tr(W_k D Lambda_k^-1 D^T)`` over orthogonal ``D`` has no
closed form; two majorisers of it do (Browne and McNicholas 2014, section 3):

MM 1
    ``W_k - omega_k I`` is negative semi-definite (``omega_k`` the largest
    eigenvalue of ``W_k``), so ``f`` is, up to a constant, concave in ``D`` and lies
    below its tangent at the current ``D``; the tangent's minimum over orthogonal
    matrices is ``D = -R P^T`` from the SVD ``P B R^T`` of
    ``F1 = sum_k Lambda_k^-1 D^T (W_k - omega_k I)``.
MM 2
    The same with ``Lambda_k^-1 - alpha_k I`` negative semi-definite (``alpha_k``
    the largest of ``1 / Lambda_k``): ``D = -P R^T`` from the SVD ``P B R^T`` of
    ``F2 = sum_k W_k D (Lambda_k^-1 - alpha_k I)``.

Each step lowers ``f`` (an MM step never raises the function it majorises), and the
closed-form ``Lambda_k`` then lower ``F`` further: started from the current
parameters, the M-step never lowers the EM objective however few iterations run.
(mclust's ``mseve``/``msvve`` take ``+R P^T``, the maximiser of the tangent; since
``f(-D) = f(D)`` the two give the same covariances. For VVE mclust majorises with
the shapes ``A_k`` alone; here with ``Lambda_k``, the objective VVE has.)

Iterations (one MM 1, one MM 2 and the ``Lambda_k``) stop when ``F`` per unit of
mass changes by less than :data:`~gaussmix.covariance.alternating.INNER_TOL`, or
after :data:`INNER_MAX_ITER`.

Reference: R. P. Browne and P. D. McNicholas (2014), Estimating common principal
components in high dimensions, Advances in Data Analysis and Classification 8(2),
217-226; mclust's Fortran ``mseve``, ``meeve``, ``msvve`` and ``mevve``.
"""

from __future__ import annotations

import numpy as np

from .alternating import INNER_TOL
from .decomposition import axis_variances, common_orientation, shared_eigenvectors, volume_shape

#: At most this many MM iterations in an M-step without a current orientation (the
#: first M-step of a fit, a projection by ``from_full``). The MM's steps shrink near
#: the optimum: on random scatters (3 components) it had not met ``INNER_TOL`` after
#: 200 iterations even for d = 10, while each iteration costs two (d, d) SVDs (d =
#: 400: about a minute for 200). After 50 iterations 2.5% (d = 10) and 15% (d = 100)
#: of the decrease of 200 iterations is left, and EM's own iterations go on from there.
INNER_MAX_ITER = 50
#: Started from the previous M-step's orientation, an EM's M-steps continue where
#: the last one stopped: one MM iteration each, as every one raises the objective.
WARM_MAX_ITER = 1


def mm_step(W, omega, inv_lambda, D):
    """One MM 1 and one MM 2 update of the orientation ``D`` (d, d), given the
    scatters ``W`` (K, d, d), their largest eigenvalues ``omega`` (K,) and the
    current ``1 / Lambda_k`` (K, d)."""
    # F1 = sum_k Lambda_k^-1 D^T (W_k - omega_k I) = sum_k Lambda_k^-1 (W_k D)^T - omega_k ...
    W_D = np.matmul(W, D)                                           # W_k D, (K, d, d)
    F1 = (np.swapaxes(W_D, 1, 2) * inv_lambda[:, :, None]).sum(axis=0)
    F1 -= (omega[:, None] * inv_lambda).sum(axis=0)[:, None] * D.T
    P, _, Rt = np.linalg.svd(F1)
    D = -(Rt.T @ P.T)
    W_D = np.matmul(W, D)
    alpha = inv_lambda.max(axis=1)
    F2 = (W_D * (inv_lambda - alpha[:, None])[:, None, :]).sum(axis=0)
    P, _, Rt = np.linalg.svd(F2)
    return -(P @ Rt)


def _iterate(W, nk, D, lam, update, max_iter):
    """MM on ``D`` from ``(D, Lambda)``, with ``update(variances) -> (Lambda, F)``
    the model's closed form given ``D``; stops as the module says."""
    omega = np.linalg.eigvalsh(W)[:, -1]
    n = float(nk.sum())
    previous = np.inf
    for _ in range(max_iter):
        D = mm_step(W, omega, np.where(lam > 0, 1.0 / np.where(lam > 0, lam, 1.0), 0.0), D)
        lam, f = update(axis_variances(W, D))
        if not np.isfinite(f) or abs(f - previous) <= INNER_TOL * n:
            break
        previous = f
    return D, lam


def _max_iter(start, W):
    if W.shape[0] == 1:  # one component: its own eigenvectors, exact (see _start)
        return 0
    return INNER_MAX_ITER if start is None else WARM_MAX_ITER


def _start(W, nk, start, update):
    """The orientation and ``Lambda_k`` to start from: the current covariances'
    (``start``, (K, d, d)), or the common orientation of the scatters themselves
    (exact where they share one) with its closed-form ``Lambda_k``. One component's
    own eigenvectors are exact, whatever the start: MM steps from there only chased
    rounding when its scatter was singular (20 rows of 200 columns: 400 EM
    iterations, 30 s, to below VVV's optimum)."""
    if start is None or W.shape[0] == 1:
        D = common_orientation(W)
        return D, update(axis_variances(W, D))[0]
    # the start's own axes, in any order and sign: the MM steps are equivariant
    # under both (the columns of D and of Lambda move together)
    D = shared_eigenvectors(start)
    return D, axis_variances(start, D)


def equal_volume(W, nk, start=None):
    """EVE: ``Sigma_k = lambda D A_k D^T``.

    Parameters
    ----------
    W : ndarray of shape (K, d, d)
        Scatter of each component about its mean.
    nk : ndarray of shape (K,)
    start : ndarray of shape (K, d, d), optional
        The current covariances (an EVE family) to start from.

    Returns
    -------
    volume : float
    shapes : ndarray of shape (K, d)
    orientation : ndarray of shape (d, d)
    """
    n, d = float(nk.sum()), W.shape[1]

    def update(variances):
        # A_k = diag(D^T W_k D) / det^(1/d); sum_k tr(A_k^-1 D^T W_k D) = d sum_k det^(1/d)
        vols, shapes = volume_shape(np.clip(variances, 0.0, None))
        target = d * vols.sum()
        if target > 0:  # no log(0): no error-state context (3 us)
            return shapes, n * d * np.log(target / (n * d))
        with np.errstate(divide="ignore"):
            return shapes, n * d * np.log(target / (n * d))

    D, shapes = _start(W, nk, start, update)
    if start is not None:
        shapes = volume_shape(shapes)[1]  # the current covariances' own shapes
    D, shapes = _iterate(W, nk, D, shapes, update, _max_iter(start, W))
    vols = volume_shape(np.clip(axis_variances(W, D), 0.0, None))[0]
    return vols.sum() / n, shapes, D


def varying_volume(W, nk, start=None):
    """VVE: ``Sigma_k = lambda_k D A_k D^T = D Lambda_k D^T``.

    Parameters
    ----------
    W : ndarray of shape (K, d, d)
    nk : ndarray of shape (K,)
    start : ndarray of shape (K, d, d), optional
        The current covariances (a VVE family) to start from.

    Returns
    -------
    variances : ndarray of shape (K, d)
        ``Lambda_k``: each component's variances along the orientation's axes.
    orientation : ndarray of shape (d, d)
    """

    def update(variances):
        vols, shapes = volume_shape(np.clip(variances, 0.0, None) / nk[:, None])
        lam = vols[:, None] * shapes
        if (vols > 0).all():  # no log(0): no error-state context (3 us)
            return lam, float((nk * np.log(vols)).sum() * W.shape[1])
        with np.errstate(divide="ignore"):
            return lam, float((nk * np.log(vols)).sum() * W.shape[1])

    D, lam = _start(W, nk, start, update)
    D, lam = _iterate(W, nk, D, lam, update, _max_iter(start, W))
    return lam, D
