"""Degenerate data gets a working fit: collapse, empty components, singular covariances."""

import warnings

import numpy as np
import pytest
from sklearn.mixture import GaussianMixture as SkGM

from gaussmix import DegenerateComponentWarning, GaussianMixture
from gaussmix.covariance.linalg import safe_cholesky


def fit_quietly(X, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return GaussianMixture(**kw).fit(X)


def assert_usable(gm, X):
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_", "precisions_"):
        assert np.all(np.isfinite(getattr(gm, name))), name
    assert np.isclose(gm.weights_.sum(), 1.0)
    assert np.all(np.isfinite(gm.score_samples(X)))
    resp = gm.predict_proba(X)
    assert np.all(np.isfinite(resp)) and np.allclose(resp.sum(axis=1), 1.0)
    Xs, _ = gm.sample(20, random_state=0)
    assert np.all(np.isfinite(Xs))


@pytest.mark.parametrize("reg_covar", [1e-6, 0.0])
def test_constant_column(rng, covariance_type, reg_covar):
    X = np.column_stack([rng.normal(size=200), np.full(200, 3.0), rng.normal(size=200)])
    gm = fit_quietly(X, n_components=3, covariance_type=covariance_type, reg_covar=reg_covar,
                     random_state=0)
    assert_usable(gm, X)
    np.testing.assert_allclose(gm.means_[:, 1], 3.0)


def test_more_components_than_distinct_points(covariance_type):
    X = np.repeat(np.array([[0.0, 0.0], [1.0, 2.0], [5.0, 1.0]]), 10, axis=0)
    gm = fit_quietly(X, n_components=5, covariance_type=covariance_type, random_state=0)
    assert_usable(gm, X)


def test_duplicated_points_and_lone_outlier(rng, covariance_type):
    X = np.vstack([rng.normal(size=(100, 2)), np.repeat([[2.0, 2.0]], 30, axis=0),
                   [[40.0, -40.0]]])
    gm = fit_quietly(X, n_components=4, covariance_type=covariance_type, random_state=0)
    assert_usable(gm, X)


def test_all_rows_identical_one_row_and_one_feature(covariance_type):
    for X in (np.ones((10, 3)), np.array([[1.0, 2.0]]), np.arange(20.0)[:, None]):
        gm = fit_quietly(X, n_components=1, covariance_type=covariance_type)
        assert_usable(gm, X)


def test_sklearn_fails_where_gaussmix_fits():
    X = np.repeat(np.array([[0.0, 0.0], [1.0, 1.0]]), 5, axis=0)
    with pytest.raises(ValueError, match="ill-defined empirical covariance"):
        SkGM(2, reg_covar=0.0, random_state=0).fit(X)
    gm = fit_quietly(X, n_components=2, reg_covar=0.0, random_state=0)
    assert_usable(gm, X)


def test_collapse_is_detected_reseeded_and_recorded(rng):
    """Start one component on a single point with a tiny covariance: the likelihood
    grows without bound there, so EM must re-seed it and say so."""
    X = np.vstack([rng.normal(0, 1, (200, 2)), rng.normal(6, 1, (200, 2))])
    means = np.array([X[0], [0.0, 0.0], [6.0, 6.0]])
    precisions = np.stack([np.eye(2) * 1e8, np.eye(2), np.eye(2)])
    gm = GaussianMixture(3, means_init=means, precisions_init=precisions,
                         weights_init=[0.01, 0.49, 0.5], reg_covar=0.0, max_iter=200)
    with pytest.warns(DegenerateComponentWarning, match="re-seeded"):
        gm.fit(X)
    assert gm.n_resets_ >= 1 and gm.resets_[0][1] == 0
    assert_usable(gm, X)
    # after the re-seed, no component sits on a single point
    assert np.linalg.eigvalsh(gm.covariances_).min() > 1e-3


def test_safe_cholesky_never_raises():
    bad = np.array([[[1.0, 1.0], [1.0, 1.0]], [[0.0, 0.0], [0.0, 0.0]], [[2.0, 0.0], [0.0, 1.0]]])
    chol, n_fixed = safe_cholesky(bad)
    assert n_fixed == 2
    assert np.all(np.isfinite(chol)) and np.all(np.diagonal(chol, axis1=1, axis2=2) > 0)
    np.testing.assert_allclose(chol[2], np.linalg.cholesky(bad[2]))


def test_empty_component_is_reseeded(rng):
    X = rng.normal(size=(300, 2))
    gm = GaussianMixture(2, means_init=[[0.0, 0.0], [1e3, 1e3]], precisions_init=np.stack(
        [np.eye(2), np.eye(2)]), weights_init=[0.5, 0.5], max_iter=50)
    with pytest.warns(DegenerateComponentWarning):
        gm.fit(X)
    assert gm.n_resets_ >= 1
    assert np.all(np.abs(gm.means_) < 5)
    assert_usable(gm, X)


def test_no_futile_reseeding_on_wide_data():
    """Fewer rows than each component's full covariance needs (50 rows, 40 columns, 3
    components): re-seeding cannot cure the collapse, so none is tried; reg_covar
    keeps the components finite and the warning says why."""
    X = np.random.default_rng(0).normal(size=(50, 40))
    with pytest.warns(DegenerateComponentWarning, match="re-seeding cannot help"):
        gm = GaussianMixture(3, covariance_type="full", random_state=0).fit(X)
    assert gm.n_resets_ == 0
    assert_usable(gm, X)


def test_reseeding_still_cures_low_dimensional_collapse(rng):
    """The rule only stops re-seeding where it cannot work: with rows enough, a
    component started on a lone point is re-seeded as before."""
    X = np.vstack([rng.normal(size=(200, 2)), [[30.0, 30.0]]])
    start = np.array([[0.0, 0.0], [30.0, 30.0]])
    with pytest.warns(DegenerateComponentWarning, match="re-seeded"):
        gm = GaussianMixture(2, means_init=start, reg_covar=0.0, random_state=0).fit(X)
    assert gm.n_resets_ >= 1
