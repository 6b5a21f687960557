from pathlib import Path

import numpy as np
import pytest

from gaussmix.covariance import COVARIANCE_TYPES, get_structure
from gaussmix.engine import MixtureParams

# R mclust 6.0.0 results (copied from ../shared/reference/mclust so the suite is self-contained)
MCLUST = Path(__file__).resolve().parent / "data" / "mclust"


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture(params=COVARIANCE_TYPES)
def covariance_type(request):
    """Every covariance type gaussmix knows: a test taking this runs for each, so a
    new covariance structure is tested by the existing tests the day it is added."""
    return request.param


@pytest.fixture
def structure(covariance_type):
    """The :class:`~gaussmix.covariance.CovarianceStructure` of each covariance type."""
    return get_structure(covariance_type)


def _random_full_covariances(rng, K, d, scale=1.0):
    """K random well-conditioned full covariance matrices (K, d, d)."""
    A = rng.normal(size=(K, d, d)) * 0.3 + np.eye(d)
    return np.einsum("kij,klj->kil", A, A) * scale**2


def _random_params(structure, K, d, rng, scale=1.0, spread=3.0):
    """Random mixture parameters of any covariance structure: random means and full
    covariances, projected onto the structure (``from_full``)."""
    means = rng.normal(scale=spread, size=(K, d))
    cov = structure.from_full(_random_full_covariances(rng, K, d, scale))
    return MixtureParams.from_covariances(structure.name, rng.dirichlet(np.ones(K)), means,
                                          cov)


@pytest.fixture
def random_full_covariances():
    """``f(rng, K, d, scale=1.0)``: K random well-conditioned (K, d, d) covariances."""
    return _random_full_covariances


@pytest.fixture
def random_params():
    """``f(structure, K, d, rng, scale=1.0, spread=3.0)``: random MixtureParams."""
    return _random_params


def blobs(rng, means, covs, sizes):
    """Rows from known Gaussians, with their true labels."""
    X = np.vstack([rng.multivariate_normal(m, c, size=s) for m, c, s in zip(means, covs, sizes)])
    y = np.repeat(np.arange(len(sizes)), sizes)
    return X, y


@pytest.fixture
def three_blobs(rng):
    means = [[0.0, 0.0], [6.0, 0.0], [0.0, 7.0]]
    covs = [[[1.0, 0.3], [0.3, 0.5]], [[0.6, -0.2], [-0.2, 1.2]], [[2.0, 0.0], [0.0, 0.4]]]
    sizes = [300, 200, 250]
    X, y = blobs(rng, means, covs, sizes)
    return X, y, np.array(means), np.array(covs), np.array(sizes) / sum(sizes)
