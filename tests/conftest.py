from pathlib import Path

import numpy as np
import pytest

# R mclust 6.0.0 results (copied from ../shared/reference/mclust so the suite is self-contained)
MCLUST = Path(__file__).resolve().parent / "data" / "mclust"


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


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
