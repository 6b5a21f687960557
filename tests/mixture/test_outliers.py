"""MixtureOutlierDetector: a mixture's log-density as an outlier score."""

import inspect

import numpy as np
import pandas as pd
import pytest
from scipy.stats import multivariate_normal

from gaussmix import GaussianMixture, MixtureOutlierDetector
from gaussmix.mixture.outliers import weighted_quantile



@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(3)
    return np.vstack([rng.normal(-4, 1, (150, 2)), rng.normal(4, 0.5, (150, 2))])


def test_parameters_are_the_mixtures_and_contamination():
    """Every GaussianMixture parameter is one of the detector's, with the same default
    (a parameter added to GaussianMixture must be added here too)."""
    mine = inspect.signature(MixtureOutlierDetector).parameters
    theirs = inspect.signature(GaussianMixture).parameters
    assert set(mine) == set(theirs) | {"contamination"}
    assert all(mine[name].default == p.default for name, p in theirs.items()
               if not isinstance(p.default, np.ndarray))


@pytest.mark.parametrize("contamination", [0.01, 0.05, 0.2, 0.5])
def test_contamination_is_the_share_called_outliers(blobs, contamination):
    det = MixtureOutlierDetector(contamination, n_components=2, random_state=0).fit(blobs)
    scores = det.score_samples(blobs)
    assert det.offset_ == pytest.approx(np.quantile(scores, contamination), rel=1e-12)
    assert np.sum(det.predict(blobs) == -1) == round(contamination * blobs.shape[0])
    np.testing.assert_allclose(det.decision_function(blobs), scores - det.offset_)
    np.testing.assert_array_equal(det.predict(blobs), np.where(scores >= det.offset_, 1, -1))


def test_one_component_scores_are_the_gaussian_log_density(blobs):
    """K = 1: the score is the log-density of the Gaussian with the sample mean and
    (biased) covariance, from scipy; outliers are the largest Mahalanobis distances."""
    det = MixtureOutlierDetector(0.1, random_state=0).fit(blobs)
    mean, cov = blobs.mean(axis=0), np.cov(blobs.T, bias=True) + 1e-6 * np.eye(2)
    np.testing.assert_allclose(det.score_samples(blobs),
                               multivariate_normal(mean, cov).logpdf(blobs), rtol=1e-9)
    diff = blobs - mean
    maha = np.einsum("ni,ij,nj->n", diff, np.linalg.inv(cov), diff)
    np.testing.assert_array_equal(np.sort(np.flatnonzero(det.predict(blobs) == -1)),
                                  np.sort(np.argsort(-maha)[:30]))


def test_auto_uses_the_noise_component():
    rng = np.random.default_rng(7)
    clusters = np.vstack([rng.normal(c, 1.0, (300, 2)) for c in ([0, 0], [8, 6], [16, -6])])
    noise = rng.uniform(clusters.min(axis=0) - 3, clusters.max(axis=0) + 3, (100, 2))
    X = np.vstack([clusters, noise])
    is_noise = np.arange(X.shape[0]) >= clusters.shape[0]
    det = MixtureOutlierDetector("auto", n_components=3, random_state=0).fit(X)
    gm = det.mixture_
    assert gm.noise and not det.noise  # the detector's parameter is left as given
    assert det.offset_ == pytest.approx(np.log(2 * gm.noise_weight_ / gm.noise_volume_))
    # an outlier is a row whose noise responsibility is above one half
    outlier = det.predict(X) == -1
    np.testing.assert_array_equal(outlier, gm.predict_proba(X)[:, -1] > 0.5)
    assert 2 * np.sum(outlier & is_noise) / (outlier.sum() + is_noise.sum()) >= 0.8


def test_weighted_quantile_is_that_of_repeated_rows():
    rng = np.random.default_rng(0)
    for _ in range(20):
        values = rng.normal(size=12)
        weights = rng.integers(0, 4, size=12).astype(float)
        weights[0] = 1.0
        repeated = np.repeat(values, weights.astype(int))
        for q in (0.0, 0.05, 0.3, 0.5, 1.0):
            assert weighted_quantile(values, weights, q) == pytest.approx(
                np.quantile(repeated, q), rel=1e-12, abs=1e-12)


def test_sample_weight_counts_as_copies(blobs):
    w = np.random.default_rng(1).integers(1, 3, blobs.shape[0])
    a = MixtureOutlierDetector(0.1, n_components=2, random_state=0).fit(blobs, sample_weight=w)
    b = MixtureOutlierDetector(0.1, n_components=2, random_state=0).fit(np.repeat(blobs, w, axis=0))
    assert a.offset_ == pytest.approx(b.offset_, rel=1e-6)


def test_dataframe_column_names(blobs):
    X = pd.DataFrame(blobs, columns=["x", "y"])
    det = MixtureOutlierDetector(n_components=2, random_state=0).fit(X)
    assert list(det.feature_names_in_) == ["x", "y"]
    with pytest.raises(ValueError, match="feature names"):
        det.predict(X[["y", "x"]])


def test_warm_start_refits_the_previous_mixture(blobs):
    det = MixtureOutlierDetector(n_components=2, warm_start=True, random_state=0).fit(blobs)
    first = det.mixture_
    det.set_params(contamination=0.2).fit(blobs)
    assert det.mixture_ is first and np.sum(det.predict(blobs) == -1) == 60


@pytest.mark.parametrize("bad", [0.0, 0.6, -0.1, "most", None, True, [0.1]])
def test_bad_contamination(blobs, bad):
    with pytest.raises(ValueError, match="contamination must be 'auto' or a number in"):
        MixtureOutlierDetector(bad).fit(blobs)
