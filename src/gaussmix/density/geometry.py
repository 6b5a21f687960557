"""The geometry of a 2-D Gaussian: its ellipses of constant Mahalanobis distance.

The points at Mahalanobis distance s from the mean of N(mu, Sigma) form an ellipse
whose axes are Sigma's eigenvectors, with half-lengths s * sqrt(eigenvalue).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class EllipseShape(NamedTuple):
    """An ellipse centred anywhere: full axis lengths and the orientation.

    Attributes
    ----------
    width : float
        Length of the major axis (a diameter, as matplotlib's ``Ellipse``).
    height : float
        Length of the minor axis.
    angle : float
        Counter-clockwise angle of the major axis from the x-axis, in degrees.
    """

    width: float
    height: float
    angle: float


def ellipse(covariance, radius=1.0):
    """The ellipse of a 2-D Gaussian at Mahalanobis distance ``radius`` from its mean.

    Parameters
    ----------
    covariance : array-like of shape (2, 2)
        A symmetric positive semi-definite matrix; eigenvalues below zero (rounding)
        count as zero.
    radius : float, default=1.0
        Mahalanobis radius s: the ellipse holds the points x with
        ``(x - mu)^T covariance^-1 (x - mu) = s^2``.

    Returns
    -------
    shape : EllipseShape
        ``width = 2 s sqrt(largest eigenvalue)``, ``height = 2 s sqrt(smallest)``,
        ``angle`` of the largest eigenvalue's eigenvector.

    Examples
    --------
    >>> from gaussmix.density import ellipse
    >>> e = ellipse([[4., 0.], [0., 1.]], radius=2.0)
    >>> float(e.width), float(e.height), float(e.angle) % 180
    (8.0, 4.0, 0.0)
    """
    cov = np.asarray(covariance, dtype=np.float64)
    if cov.shape != (2, 2):
        raise ValueError(f"covariance must have shape (2, 2), got shape {cov.shape}.")
    vals, vecs = np.linalg.eigh(cov)
    vals = np.clip(vals, 0, None)
    angle = float(np.degrees(np.arctan2(vecs[1, -1], vecs[0, -1])))
    return EllipseShape(2 * radius * np.sqrt(vals[-1]), 2 * radius * np.sqrt(vals[0]), angle)


def ellipse_points(mean, covariance, radius=1.0, n_points=100):
    """Points on the ellipse of a 2-D Gaussian at Mahalanobis distance ``radius``.

    Parameters
    ----------
    mean : array-like of shape (2,)
    covariance : array-like of shape (2, 2)
    radius : float, default=1.0
    n_points : int, default=100
        Points at equal steps of the ellipse's parameter angle, starting at the end
        of the major axis.

    Returns
    -------
    points : ndarray of shape (n_points, 2)

    Examples
    --------
    >>> import numpy as np
    >>> from gaussmix.density import ellipse_points
    >>> cov = np.array([[4., 1.], [1., 1.]])
    >>> P = ellipse_points([1., 1.], cov, radius=2.0, n_points=8)
    >>> P.shape
    (8, 2)
    >>> z = P - [1., 1.]                                 # squared Mahalanobis distances
    >>> np.sum(z @ np.linalg.inv(cov) * z, axis=1).round(12)
    array([4., 4., 4., 4., 4., 4., 4., 4.])
    """
    shape = ellipse(covariance, radius)
    t = np.linspace(0.0, 2 * np.pi, int(n_points), endpoint=False)
    local = np.column_stack([0.5 * shape.width * np.cos(t), 0.5 * shape.height * np.sin(t)])
    a = np.radians(shape.angle)
    rotation = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return np.asarray(mean, dtype=np.float64) + local @ rotation.T
