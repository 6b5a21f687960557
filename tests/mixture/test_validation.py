"""Every bad input gets a ValueError or TypeError that says what was wrong."""

import warnings

import numpy as np
import pandas as pd
import pytest

from gaussmix import DegenerateComponentWarning, GaussianMixture

X_OK = np.random.default_rng(0).normal(size=(50, 3))


@pytest.mark.parametrize("X, exc, match", [
    (np.array([[1.0, np.nan], [2.0, 3.0]]), ValueError, "NaN.*missing"),
    (np.array([[1.0, np.inf], [2.0, 3.0]]), ValueError, "inf"),
    ([["a", "b"], ["c", "d"]], ValueError, "non-numeric"),
    (pd.DataFrame({"x": [1.0, 2.0], "s": ["u", "v"]}), ValueError, "non-numeric"),
    (np.empty((0, 3)), ValueError, "empty"),
    (np.empty((5, 0)), ValueError, "no columns"),
    (np.arange(5.0), ValueError, "2D array"),
    (np.ones((2, 2, 2)), ValueError, "dim"),
    (None, ValueError, "None"),
])
def test_bad_data(X, exc, match):
    with pytest.raises(exc, match=match):
        GaussianMixture().fit(X)


def test_object_dtype_with_non_numbers_is_type_error():
    X = X_OK.astype(object)
    X[0, 0] = {"a": 1}
    with pytest.raises(TypeError, match="non-numeric"):
        GaussianMixture().fit(X)


def test_sparse_is_rejected_with_advice():
    sparse = pytest.importorskip("scipy.sparse")
    with pytest.raises(TypeError, match="toarray"):
        GaussianMixture().fit(sparse.csr_matrix(X_OK))


@pytest.mark.parametrize("params, exc, match", [
    ({"n_components": 0}, ValueError, "n_components must be >= 1"),
    ({"n_components": -2}, ValueError, "n_components"),
    ({"n_components": 2.5}, TypeError, "n_components must be an integer"),
    ({"n_components": 51}, ValueError, "larger than the number of samples"),
    ({"covariance_type": "VVX"}, ValueError, "covariance_type='VVX' is not supported"),
    ({"covariance_type": "vvv"}, ValueError,
     r"use one of mclust's models 'EII', 'VII', .*'VVV' \(one-dimensional data also 'E' "
     r"or 'V'\), or scikit-learn's 'full', 'diag', 'spherical', 'tied'"),
    ({"covariance_type": None}, ValueError, "covariance_type"),
    ({"tol": -1.0}, ValueError, "tol"),
    ({"reg_covar": -1e-6}, ValueError, "reg_covar"),
    ({"reg_covar": "big"}, TypeError, "reg_covar"),
    ({"max_iter": -1}, ValueError, "max_iter"),
    ({"n_init": 0}, ValueError, "n_init"),
    ({"init_params": "magic"}, ValueError, "init_params='magic'"),
    ({"random_state": "seed"}, TypeError, "random_state"),
    ({"n_components": 2, "means_init": np.zeros((3, 3))}, ValueError,
     r"The parameter 'means' should have the shape of \(2, 3\)"),
    ({"n_components": 2, "weights_init": [0.2, 0.2]}, ValueError, "sum to 1"),
    ({"n_components": 2, "precisions_init": np.ones((2, 3, 3))}, ValueError,
     "'full precision' should be symmetric, positive-definite"),
    ({"n_components": 2, "precisions_init": np.ones((2, 3))}, ValueError, "shape"),
])
def test_bad_parameters(params, exc, match):
    with pytest.raises(exc, match=match):
        GaussianMixture(**params).fit(X_OK)


@pytest.mark.parametrize("w, exc, match", [
    (-np.ones(50), ValueError, "negative"),
    (np.zeros(50), ValueError, "all zero"),
    (np.ones(49), ValueError, "one weight per row"),
    (np.r_[np.ones(49), np.nan], ValueError, "NaN"),
    (["a"] * 50, TypeError, "numeric"),
])
def test_bad_sample_weight(w, exc, match):
    with pytest.raises(exc, match=match):
        GaussianMixture().fit(X_OK, sample_weight=w)


def test_sample_weight_not_modified():
    w = np.arange(1.0, 51.0)
    before = w.copy()
    GaussianMixture(2, random_state=0).fit(X_OK, sample_weight=w)
    np.testing.assert_array_equal(w, before)


def test_wrong_feature_count_at_predict_and_unfitted():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        GaussianMixture().predict(X_OK)
    gm = GaussianMixture(2, random_state=0).fit(X_OK)
    for method in ("predict", "predict_proba", "score_samples", "score", "bic", "aic"):
        with pytest.raises(ValueError,
                           match="X has 2 features, but GaussianMixture is expecting 3"):
            getattr(gm, method)(X_OK[:, :2])
    with pytest.raises(ValueError, match="NaN"):
        gm.score_samples(np.full((2, 3), np.nan))
    with pytest.raises(ValueError, match="n_samples must be >= 1"):
        gm.sample(0)


@pytest.mark.parametrize("X", [np.array([[0.0]]), np.array([[1e70, -1e70], [1e70, 1e70]]),
                               np.array([[1e-300], [2e-300], [3e-300]]), np.zeros((4, 2))],
                         ids=["one-row", "huge", "tiny", "all-zero"])
def test_odd_but_valid_input_fits(X, covariance_type):
    """Tiny, huge or all-equal data fit with every number of components up to the
    number of rows, and give a usable density: no error of any kind."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateComponentWarning)
        for k in range(1, X.shape[0] + 1):
            gm = GaussianMixture(k, covariance_type=covariance_type, random_state=0).fit(X)
            assert np.isfinite(gm.weights_).all() and gm.weights_.sum() == pytest.approx(1.0)
            assert np.isfinite(gm.score_samples(X)).all()


@pytest.mark.parametrize("X", [np.array([[1e300, -1e300], [-1e300, 1e300]]),
                               np.array([[1e150, -1e150], [1e150, 1e150]]),
                               np.array([[1e12], [-1e12]], dtype=np.float32)])
def test_overflowing_scale_says_rescale(X):
    with pytest.raises(ValueError, match="rescale"):
        GaussianMixture().fit(X)


@pytest.mark.parametrize("kind", ["csr_matrix", "csc_array", "coo_matrix"])
def test_every_sparse_kind_gets_the_sparse_message(kind):
    sparse = pytest.importorskip("scipy.sparse")
    with pytest.raises(TypeError, match="sparse matrix.*toarray") as info:
        GaussianMixture().fit(getattr(sparse, kind)(X_OK))
    assert "non-numeric" not in str(info.value)


def test_tiny_sample_weights_fit_like_unit_weights():
    """Weights of 1e-320 (subnormal) are as good as any equal weights."""
    tiny = GaussianMixture(2, random_state=0).fit(X_OK, sample_weight=np.full(50, 1e-320))
    unit = GaussianMixture(2, random_state=0).fit(X_OK)
    np.testing.assert_allclose(tiny.means_, unit.means_)
    assert tiny.lower_bound_ == pytest.approx(unit.lower_bound_)


@pytest.mark.parametrize("means", [np.zeros((1, 0)), np.zeros((0, 2))])
def test_from_parameters_needs_a_component_and_a_feature(means):
    K, d = means.shape
    with pytest.raises(ValueError, match="at least one component and one feature"):
        GaussianMixture.from_parameters(np.full(K, 1.0 / max(K, 1)), means, np.zeros((K, d, d)))


def test_warm_start_on_data_of_another_width_says_so_and_keeps_the_model():
    gm = GaussianMixture(2, warm_start=True, random_state=0).fit(X_OK)
    means = gm.means_.copy()
    with pytest.raises(ValueError, match="warm_start=True continues the previous fit, which "
                                         "has 3 feature"):
        gm.fit(X_OK[:, :2])
    assert gm.n_features_in_ == 3
    np.testing.assert_array_equal(gm.means_, means)
    assert gm.predict(X_OK).shape == (50,)
    gm.set_params(warm_start=False).fit(X_OK[:, :2])  # a new fit of the new width works
    assert gm.means_.shape == (2, 2)


def test_sample_beyond_memory_is_refused_up_front():
    gm = GaussianMixture(2, random_state=0).fit(X_OK)
    with pytest.raises(ValueError, match=r"sample\(1000000000000\) would need .* TB"):
        gm.sample(10**12)
