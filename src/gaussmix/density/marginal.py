"""Marginal mixtures: a Gaussian mixture over some of its columns, and its density.

The marginal of a Gaussian mixture over a subset of its columns is again a Gaussian
mixture, with the same weights, the means' columns and the covariances' sub-blocks;
no integration is needed.
"""

from __future__ import annotations

import numpy as np

from .parameters import full_block, full_parameters

_LOG_2PI = np.log(2 * np.pi)


def marginal(mixture, columns):
    """The mixture of the chosen columns: same weights, sub-vectors and sub-blocks.

    Parameters
    ----------
    mixture : fitted mixture, FullMixture or (weights, means, covariances)
        As :func:`~gaussmix.density.full_parameters`.
    columns : int or sequence of int
        The columns to keep, in the order given.

    Returns
    -------
    marginal : FullMixture
        Weights (K,), means (K, m) and covariances (K, m, m), m = number of columns.

    Examples
    --------
    >>> import gaussmix
    >>> from gaussmix.density import marginal
    >>> gm = gaussmix.GaussianMixture.from_parameters(
    ...     [.4, .6], [[0., 1., 2.], [3., 4., 5.]],
    ...     [[[2., .5, 0.], [.5, 1., 0.], [0., 0., 3.]], [[1., 0., 0.], [0., 1., 0.], [0., 0., 1.]]])
    >>> m = marginal(gm, [2, 0])
    >>> m.means
    array([[2., 0.],
           [5., 3.]])
    >>> m.covariances[0]
    array([[3., 0.],
           [0., 2.]])
    """
    cols = np.atleast_1d(np.asarray(columns, dtype=np.intp))
    if cols.ndim != 1 or cols.size == 0:
        raise ValueError(f"columns must be an int or a non-empty sequence of ints, got "
                         f"{columns!r}.")
    return full_block(mixture, cols)


def component_densities(mixture, points, columns=None):
    """Each component's weighted density ``weights[k] * N(x; mean_k, cov_k)`` at points.

    Parameters
    ----------
    mixture : fitted mixture, FullMixture or (weights, means, covariances)
        As :func:`~gaussmix.density.full_parameters`.
    points : array-like of shape (n_points, m)
        m = number of columns of the (marginal) mixture. For a one-column mixture a
        1-D array is taken as n_points values.
    columns : int or sequence of int, optional
        Evaluate the marginal over these columns (:func:`marginal`); default all.

    Returns
    -------
    dens : ndarray of shape (n_components, n_points)
        Summed over components it is the mixture density, :func:`density`.

    Examples
    --------
    >>> import gaussmix
    >>> from gaussmix.density import component_densities
    >>> gm = gaussmix.GaussianMixture.from_parameters([.25, .75], [[0.], [2.]], [1., 1.],
    ...                                               "spherical")
    >>> component_densities(gm, [0., 2.]).round(4)
    array([[0.0997, 0.0135],
           [0.0405, 0.2992]])
    """
    params = full_parameters(mixture) if columns is None else marginal(mixture, columns)
    pts = _as_points(points, params.n_features)
    d = params.n_features
    out = np.empty((params.n_components, pts.shape[0]))
    for k in range(params.n_components):
        # the 1e-300 ridge lets an exactly singular (zero-variance) covariance factor
        # without changing any variance a float64 can tell from zero
        L = np.linalg.cholesky(params.covariances[k] + 1e-300 * np.eye(d))
        z = np.linalg.solve(L, (pts - params.means[k]).T)
        logdet = 2 * np.sum(np.log(np.diag(L)))
        out[k] = params.weights[k] * np.exp(-0.5 * np.sum(z * z, axis=0) - 0.5 * logdet
                                            - 0.5 * d * _LOG_2PI)
    return out


def density(mixture, points, columns=None):
    """The mixture density at points, or its marginal density over some columns.

    Parameters
    ----------
    mixture : fitted mixture, FullMixture or (weights, means, covariances)
        As :func:`~gaussmix.density.full_parameters`.
    points : array-like of shape (n_points, m)
        As :func:`component_densities`.
    columns : int or sequence of int, optional
        Evaluate the marginal density over these columns; default all.

    Returns
    -------
    dens : ndarray of shape (n_points,)

    Examples
    --------
    >>> import numpy as np, gaussmix
    >>> from gaussmix.density import density
    >>> X = gaussmix.load_faithful()
    >>> gm = gaussmix.GaussianMixture(2, random_state=0).fit(X)
    >>> bool(np.allclose(density(gm, X[:3]), np.exp(gm.score_samples(X[:3]))))
    True
    >>> grid = np.linspace(-5, 15, 2001)                 # eruptions, in minutes
    >>> round(float(np.sum(density(gm, grid, columns=0)) * (grid[1] - grid[0])), 6)
    1.0
    """
    return component_densities(mixture, points, columns).sum(axis=0)


def _as_points(points, n_features):
    pts = np.asarray(points, dtype=np.float64)
    if pts.ndim == 1:
        pts = pts[:, None] if n_features == 1 else pts[None, :]
    if pts.ndim != 2 or pts.shape[1] != n_features:
        raise ValueError(f"points must have shape (n_points, {n_features}), got shape "
                         f"{np.shape(points)}.")
    return pts
