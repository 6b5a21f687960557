"""GaussianMixture as a distribution: recovery, sampling, numerics, pandas, dtypes."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import multivariate_normal

from gaussmix import GaussianMixture
from gaussmix.covariance import get_structure


def match_components(est_means, true_means):
    """Order of estimated components that best matches the true ones."""
    d = ((est_means[:, None, :] - true_means[None, :, :]) ** 2).sum(-1)
    return np.argmin(d, axis=0)


def test_recovers_known_parameters(three_blobs):
    X, _, means, covs, weights = three_blobs
    gm = GaussianMixture(3, random_state=0).fit(X)
    order = match_components(gm.means_, means)
    assert sorted(order) == [0, 1, 2]
    np.testing.assert_allclose(gm.means_[order], means, atol=0.25)
    np.testing.assert_allclose(gm.covariances_[order], covs, atol=0.3)
    np.testing.assert_allclose(gm.weights_[order], weights, atol=0.03)


def test_recovers_labels_every_type(three_blobs, covariance_type):
    X, y, means, *_ = three_blobs
    gm = GaussianMixture(3, covariance_type=covariance_type, random_state=0).fit(X)
    order = match_components(gm.means_, means)
    relabel = np.empty(3, dtype=int)
    relabel[order] = np.arange(3)
    assert (relabel[gm.predict(X)] == y).mean() > 0.97


def test_score_samples_matches_scipy(three_blobs, structure):
    X = three_blobs[0]
    gm = GaussianMixture(3, covariance_type=structure.name, random_state=0).fit(X)
    cov = structure.to_full(gm.covariances_, 3, 2)
    dens = sum(gm.weights_[k] * multivariate_normal(gm.means_[k], cov[k]).pdf(X) for k in range(3))
    np.testing.assert_allclose(gm.score_samples(X), np.log(dens), rtol=1e-10)
    np.testing.assert_allclose(gm.predict_proba(X).sum(axis=1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.linalg.inv(structure.to_full(gm.precisions_, 3, 2)), cov,
                               rtol=1e-8)


def test_samples_have_the_parameters_moments(structure):
    full = np.array([[[2.0, 0.5, 0.1], [0.5, 1.0, -0.3], [0.1, -0.3, 0.7]],
                     np.diag([0.5, 2.0, 1.0])])
    gm = GaussianMixture.from_parameters(
        weights=[0.2, 0.8], means=[[0.0, 5.0, -1.0], [10.0, -3.0, 2.0]],
        covariances=structure.from_full(full), covariance_type=structure.name)
    X, y = gm.sample(200_000, random_state=7)
    assert X.shape == (200_000, 3) and y.shape == (200_000,)
    np.testing.assert_allclose(np.bincount(y) / y.size, gm.weights_, atol=0.005)
    full_covs = structure.to_full(gm.covariances_, 2, 3)
    for k in range(2):
        Xk = X[y == k]
        np.testing.assert_allclose(Xk.mean(axis=0), gm.means_[k], atol=0.03)
        np.testing.assert_allclose(np.cov(Xk.T), full_covs[k], atol=0.06)


def test_sample_randomness_is_per_call():
    gm = GaussianMixture.from_parameters([1.0], [[0.0]], [1.0], covariance_type="spherical")
    a, _ = gm.sample(5, random_state=3)
    b, _ = gm.sample(5, random_state=3)
    c, _ = gm.sample(5)
    d, _ = gm.sample(5)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(c, d)


@pytest.mark.parametrize("var, expected", [(4.0, [0.27, 0.01, 0.72]), (0.01, [0.0, 0.0, 1.0])])
def test_lecture_example(var, expected, structure):
    """x = 5, means 8, -2, 4, weights 0.3, 0.4, 0.3 (the lecture's worked example).

    The lecture prints 0.27, 0.01, 0.72 for variance 4, rounded so they sum to one;
    the exact values are 0.2683, 0.0024, 0.7293 (computed here by hand).
    """
    cov = structure.from_full(np.full((3, 1, 1), var))
    gm = GaussianMixture.from_parameters([0.3, 0.4, 0.3], [[8.0], [-2.0], [4.0]], cov,
                                         covariance_type=structure.name)
    resp = gm.predict_proba([[5.0]])
    assert np.all(np.isfinite(resp))
    np.testing.assert_allclose(resp[0], expected, atol=0.01)
    if var == 4.0:
        terms = [w * math.exp(-((5.0 - m) ** 2) / (2 * var)) for w, m in
                 zip([0.3, 0.4, 0.3], [8.0, -2.0, 4.0])]
        np.testing.assert_allclose(resp[0], np.array(terms) / sum(terms), rtol=1e-12)
    if var == 0.01:
        # the terms are ~exp(-450), exp(-2450), exp(-50): ratios like 1e-1064 underflow
        assert resp[0, 2] == 1.0 and resp[0, 1] == 0.0
        assert np.isfinite(gm.score_samples([[5.0]])).all()


def test_far_from_origin_fits_like_centred(three_blobs, covariance_type):
    X = three_blobs[0]
    near = GaussianMixture(3, covariance_type=covariance_type, random_state=0).fit(X)
    far = GaussianMixture(3, covariance_type=covariance_type, random_state=0).fit(X + 1e6)
    order = match_components(far.means_ - 1e6, near.means_)
    np.testing.assert_allclose(far.means_[order] - 1e6, near.means_, atol=1e-6)
    structure = get_structure(covariance_type)
    np.testing.assert_allclose(structure.to_full(far.covariances_, 3, 2)[order],
                               structure.to_full(near.covariances_, 3, 2), rtol=1e-6, atol=1e-9)
    assert far.score(X + 1e6) == pytest.approx(near.score(X), rel=1e-9)


def test_float32_computed_in_float32(three_blobs, covariance_type):
    X = three_blobs[0]
    g64 = GaussianMixture(3, covariance_type=covariance_type, random_state=0).fit(X)
    g32 = GaussianMixture(3, covariance_type=covariance_type, random_state=0).fit(
        X.astype(np.float32))
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_"):
        assert getattr(g32, name).dtype == np.float32, name
    assert g32.score_samples(X.astype(np.float32)).dtype == np.float32
    assert g32.score(X) == pytest.approx(g64.score(X), rel=1e-4)
    order = match_components(g32.means_.astype(float), g64.means_)
    np.testing.assert_allclose(g32.means_[order], g64.means_, rtol=1e-3, atol=1e-3)


def test_pandas_in_remembers_column_names(three_blobs):
    X = pd.DataFrame(three_blobs[0], columns=["height", "width"])
    gm = GaussianMixture(3, random_state=0).fit(X)
    assert list(gm.feature_names_in_) == ["height", "width"]
    assert "height" in gm.summary(X)
    with pytest.warns(UserWarning, match="feature names"):
        plain = gm.score_samples(X.to_numpy())
    np.testing.assert_allclose(gm.score_samples(X), plain)
    with pytest.raises(ValueError, match="feature names"):
        gm.predict(X.rename(columns={"width": "depth"}))


def test_from_parameters_is_ready_and_checked():
    gm = GaussianMixture.from_parameters([0.5, 0.5], [[0.0, 0.0], [3.0, 3.0]],
                                         [np.eye(2), 2 * np.eye(2)])
    assert gm.predict([[3.1, 2.9]])[0] == 1
    assert gm.n_parameters() == 2 * 3 + 2 * 2 + 1
    with pytest.raises(ValueError, match="sum to 1"):
        GaussianMixture.from_parameters([0.5, 0.6], [[0.0], [1.0]], [1.0, 1.0],
                                        covariance_type="spherical")
    with pytest.raises(ValueError, match="symmetric, positive-definite"):
        GaussianMixture.from_parameters([1.0], [[0.0, 0.0]], [[[1.0, 2.0], [2.0, 1.0]]])
    with pytest.raises(ValueError, match="shape"):
        GaussianMixture.from_parameters([1.0], [[0.0, 0.0]], [[1.0, 0.0]], covariance_type="full")


def test_bic_aic_follow_sklearn_sign(three_blobs):
    X = three_blobs[0]
    gm = GaussianMixture(3, random_state=0).fit(X)
    n, p = X.shape[0], gm.n_parameters()
    ll = gm.score(X) * n
    assert gm.bic(X) == pytest.approx(-2 * ll + p * np.log(n))
    assert gm.aic(X) == pytest.approx(-2 * ll + 2 * p)
    bics = [GaussianMixture(k, random_state=0).fit(X).bic(X) for k in (1, 2, 3, 4)]
    assert int(np.argmin(bics)) + 1 == 3


@pytest.mark.parametrize("n, d", [(30, 300), (80, 70)])
def test_wide_data_matches_sklearn_from_the_same_start(n, d):
    """Fewer rows than columns (and d past the triangular-inverse threshold): the same
    fit as scikit-learn from the same start."""
    from sklearn.mixture import GaussianMixture as SkGM

    X = np.random.default_rng(d).normal(size=(n, d))
    kw = dict(n_components=1, covariance_type="full", max_iter=3, tol=0.0,
              means_init=X.mean(axis=0, keepdims=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = SkGM(**kw).fit(X)
        gm = GaussianMixture(**kw).fit(X)
    assert gm.score(X) == pytest.approx(sk.score(X), rel=1e-9)
    np.testing.assert_allclose(gm.covariances_, sk.covariances_, rtol=1e-7, atol=1e-12)
    # the covariance of 30 rows in 300 columns is singular but for reg_covar: its
    # inverse's entries are known to about cond * eps of the largest
    np.testing.assert_allclose(gm.precisions_, sk.precisions_, rtol=1e-6,
                               atol=1e-8 * np.abs(sk.precisions_).max())


def test_summary_of_wide_data_stays_readable():
    X = np.random.default_rng(0).normal(size=(40, 30))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gm = GaussianMixture(2, covariance_type="diag", random_state=0).fit(X)
    text = gm.summary(X)
    assert max(len(line) for line in text.splitlines()) < 200
    assert "first 12 of 30 columns" in text and "x11" in text and "x12" not in text
