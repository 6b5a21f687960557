"""What mclust's models beyond scikit-learn's four share: one (d, d) covariance per
component, ``Sigma_k = lambda_k D_k A_k D_k^T``, constrained by three letters.

The letters are mclust's (Celeux and Govaert 1995; Fraley and Raftery's mclust):
volume, shape and orientation, each E (equal for all components), V (varying) or I
(the identity: spherical shape, or axes along the coordinates). ``covariances_``,
``precisions_`` and ``precisions_cholesky_`` are (K, d, d) for all of them; each
family evaluates its densities with the cheapest E-step kernel that holds it
(:meth:`Stacked.kernel_precision_cholesky`) and reads that kernel's statistics.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg

from .base import CovarianceStructure
from .decomposition import (
    axis_variances,
    compose,
    geometric_mean,
    volume_shape,
)
from .full import MatrixConversions, matrices_collapsed
from .kernels import FullKernel
from .linalg import is_positive_definite, is_symmetric

#: Relative tolerance of a model's constraints (equal volumes, equal shapes, shared
#: axes) in :meth:`Stacked.is_valid`, beyond the rounding of the values' precision
#: (``SLACK * d * eps * condition number``, as a model file's checks allow).
CONSTRAINT_RTOL = 1e-6
SLACK = 10.0

_WORDS = {"E": "equal", "V": "varying"}


class Stacked(MatrixConversions, CovarianceStructure):
    """Covariances (K, d, d) constrained by mclust's three letters ``letters``
    (volume, shape, orientation); precision factors (K, d, d) upper triangular."""

    #: volume, shape and orientation letters, e.g. "EVE"
    letters = ""
    kernel = FullKernel()
    #: mclust's words for the model (``mclustModelNames``)
    words = ""

    @property
    def name(self):
        return self.letters

    @property
    def mclust_name(self):
        return self.letters

    @property
    def description(self):
        return f"{self.letters}: {self.words}."

    @property
    def requirement(self):
        return f"symmetric, positive-definite matrices {self._constraints()}"

    def _constraints(self):
        volume, shape, orientation = self.letters
        parts = {"I": "diagonal", "E": "sharing their eigenvectors"}.get(orientation)
        parts = [parts] if parts else []
        if shape == "I":
            parts = ["multiples of the identity"]
        elif shape == "E":
            parts.append("of equal shape (eigenvalues over the volume)")
        if volume == "E":
            parts.append("of equal volume (determinant)")
        return ", ".join(parts) + f" ({self.letters}: {self.words})"

    def __repr__(self):
        return f"{type(self).__name__}()"

    def marginal_type(self, covariance_type):
        """Sub-blocks of multiples of one matrix (equal or spherical shape, equal or
        coordinate orientation: EII, EEI, VEI, EEE, VEE) are multiples of its
        sub-block: the model's type. Other diagonal models (EVI) stay diagonal but
        their sub-blocks' volumes differ: VVI. Other sub-blocks share neither
        eigenvectors nor eigenvalues: VVV."""
        volume, shape, orientation = self.letters
        if shape in "EI" and orientation in "EI":
            return self.letters
        return "VVI" if orientation == "I" else "VVV"

    # -- shapes and counts ---------------------------------------------------------
    def cov_shape(self, n_components, n_features):
        return (n_components, n_features, n_features)

    def n_cov_parameters(self, n_components, n_features):
        """mclust's ``nMclustParams``: one volume or K; d - 1 shape values once or K
        times (none for a spherical shape); d (d - 1) / 2 rotation angles once or K
        times (none for the coordinate axes)."""
        K, d = n_components, n_features
        count = {"E": 1, "V": K}
        volume, shape, orientation = self.letters
        return (count[volume] + count.get(shape, 0) * (d - 1)
                + count.get(orientation, 0) * (d * (d - 1) // 2))

    def to_full(self, cov, n_components, n_features):
        return np.array(cov)

    # -- conversions (the others from MatrixConversions) ------------------------------
    def is_valid(self, mats, eps=None):
        """Symmetric positive-definite (K, d, d) matrices that the model's three
        letters describe, to :data:`CONSTRAINT_RTOL` plus the rounding of ``eps``."""
        mats = np.asarray(mats)
        if eps is None:
            dtype = mats.dtype if np.issubdtype(mats.dtype, np.floating) else np.float64
            eps = np.finfo(dtype).eps
        mats = mats.astype(np.float64)
        if mats.ndim != 3 or mats.shape[1] != mats.shape[2] or mats.shape[0] == 0:
            return False
        if not (is_symmetric(mats) and is_positive_definite(mats)):
            return False
        eig = np.linalg.eigvalsh(mats)
        tol = CONSTRAINT_RTOL + SLACK * mats.shape[1] * float(eps) * eig[:, -1] / eig[:, 0]
        volumes, shapes, orientations = self._parts(mats)
        rebuilt = compose(volumes, shapes, orientations)
        error = np.linalg.norm(rebuilt - mats, axis=(1, 2)) / np.linalg.norm(mats, axis=(1, 2))
        ok = bool((error <= tol).all())
        volume, shape, _ = self.letters
        if volume == "E":
            ok &= bool((np.abs(volumes / geometric_mean(volumes) - 1.0) <= tol).all())
        if shape == "E":
            common = geometric_mean(shapes)
            ok &= bool((np.abs(shapes / common - 1.0) <= tol[:, None]).all())
        return ok

    # -- decomposition ---------------------------------------------------------------
    def _parts(self, cov):
        """Volumes (K,), shapes (K, d) and orientations ((d, d) or (K, d, d)) of each
        matrix, shapes aligned with the orientation's columns; not averaged over
        components (a family outside the model shows as unequal parts)."""
        raise NotImplementedError

    def _axes(self, cov):
        """Variances (K, d) along orientations ((d, d) or (K, d, d)) of matrices of
        the model, the axes in no particular order or sign (cheaper than
        :meth:`_parts` where that does not matter)."""
        volumes, shapes, orientations = self._parts(cov)
        return volumes[:, None] * shapes, orientations

    def decompose(self, cov, n_components, n_features):
        cov = np.asarray(cov)
        volumes, shapes, orientations = self._parts(cov.astype(np.float64))
        volume, shape, _ = self.letters
        if volume == "E":
            volumes = np.full_like(volumes, geometric_mean(volumes))
        if shape == "E":
            shapes = np.broadcast_to(volume_shape(geometric_mean(shapes))[1], shapes.shape)
        orientations = np.broadcast_to(orientations, cov.shape)
        return tuple(np.array(a, dtype=cov.dtype) for a in (volumes, shapes, orientations))

    # -- M-step ------------------------------------------------------------------------
    def raw_covariance(self, nk, s1, s2, start=None):
        return self.fit_scatter(self.scatter(nk, s1, s2), nk, start)

    def scatter(self, nk, s1, s2):
        """Each component's scatter about its mean, ``sum_n r_nk (x_n - mu_k)(x_n -
        mu_k)^T``, from the kernel's statistics (here the full kernel's: (K, d, d))."""
        m = s1 / nk[:, None]
        return s2 - nk[:, None, None] * m[:, :, None] * m[:, None, :]

    def fit_scatter(self, W, nk, start=None):
        """The model's maximum-likelihood covariances (K, d, d) given the scatters
        ``W`` (the kernel's layout) and masses ``nk``."""
        raise NotImplementedError

    def regularise(self, cov, reg_covar):
        """``reg_covar`` added to every eigenvalue (``Sigma_k + reg_covar I``), then
        what the model shares restored: where the volume is equal and the shapes
        vary, every matrix scaled to the geometric mean of their volumes; where the
        shape is equal and the volumes vary, each matrix given the normalised
        geometric mean of their shapes. For the other models ``Sigma_k + reg_covar
        I`` is already of the model."""
        volume, shape, _ = self.letters
        cov = np.asarray(cov, dtype=np.float64)
        d = cov.shape[-1]
        if (volume, shape) == ("E", "V"):
            out = cov + reg_covar * np.eye(d)
            vols = volume_shape(np.linalg.eigvalsh(out).clip(0.0, None))[0]
            safe = np.where(vols > 0, vols, 1.0)
            return out * np.where(vols > 0, geometric_mean(vols) / safe, 1.0)[:, None, None]
        if (volume, shape) == ("V", "E"):
            variances, orientations = self._axes(cov)
            vols, shapes = volume_shape(variances + reg_covar)
            common = volume_shape(geometric_mean(shapes))[1]
            return compose(vols, np.broadcast_to(common, shapes.shape), orientations)
        return cov + reg_covar * np.eye(d)

    # -- collapse and re-seeding -------------------------------------------------------
    def collapsed(self, cov_raw, n_components, scale, tol):
        if self.shared:
            # one covariance for all components cannot collapse onto one's points
            return self.no_collapse(n_components)
        return matrices_collapsed(cov_raw, n_components, scale, tol)

    def rows_needed(self, scale):
        _, shape, orientation = self.letters
        if self.shared:
            return 1  # the pooled covariance takes every component's rows
        if shape == "V" and orientation == "V":
            return scale.rank + 1  # a general matrix of its own
        return 2  # variances along given axes need two distinct values

    def set_component(self, cov, k, matrix):
        """Component ``k`` becomes the model's fit to the scatter ``matrix`` given
        what it shares with the others: its own volume, shape and orientation (the
        letters V) from ``matrix``, the shared ones (E) kept."""
        if self.shared:
            return
        volume, shape, orientation = self.letters
        vols, shapes, orientations = self._parts(np.asarray(cov, dtype=np.float64))
        if orientation == "V":
            values, vectors = np.linalg.eigh(np.asarray(matrix, dtype=np.float64))
            D, e = vectors[:, ::-1], values[::-1]
        else:
            D = np.broadcast_to(orientations, cov.shape)[k]
            e = axis_variances(np.asarray(matrix, dtype=np.float64)[None], D)[0]
        e = np.clip(e, 0.0, None)
        if shape == "V":
            vol, own = volume_shape(e)
            e = e if volume == "V" else vols[k] * own
        elif volume == "V":
            e = shapes[k] * float(np.mean(e / shapes[k]))  # the volume's ML given the shape
        else:
            e = vols[k] * shapes[k]
        cov[k] = compose(np.ones(1), e[None], D[None])[0]

    # -- sampling ----------------------------------------------------------------------
    def sample_component(self, rng, prec_chol, k, n, d):
        z = rng.standard_normal((n, d))
        return linalg.solve_triangular(prec_chol[k].T, z.T, lower=True, check_finite=False).T

    def m_step_start(self, cov):
        return None
