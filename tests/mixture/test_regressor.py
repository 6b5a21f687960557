"""MixtureRegressor: scikit-learn's estimator checks, gmr's predictions from the same
mixture, least squares for one component, and names and errors."""

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.utils.estimator_checks import parametrize_with_checks

import gaussmix
from gaussmix import MixtureRegressor
from gaussmix.density import full_parameters

gmr = pytest.importorskip("gmr")
pd = pytest.importorskip("pandas")


@parametrize_with_checks([MixtureRegressor(), MixtureRegressor(2, covariance_type="tied",
                                                               random_state=0)])
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.fixture(scope="module")
def wave():
    """y = sin(x0) + x1 / 2 + noise, two targets (the second, cos(x0))."""
    rng = np.random.default_rng(0)
    X = rng.uniform(-3, 3, (500, 2))
    Y = np.column_stack([np.sin(X[:, 0]) + X[:, 1] / 2, np.cos(X[:, 0])])
    return X, Y + 0.1 * rng.standard_normal(Y.shape)


@pytest.fixture(scope="module")
def wave_model(wave):
    X, Y = wave
    return MixtureRegressor(5, random_state=0).fit(X, Y)


def test_predictions_equal_gmrs_from_the_same_mixture(wave, wave_model):
    X, _ = wave
    p = full_parameters(wave_model.mixture_)
    theirs = gmr.GMM(5, priors=p.weights, means=p.means, covariances=p.covariances)
    np.testing.assert_allclose(wave_model.predict(X), theirs.predict([0, 1], X),
                               rtol=1e-10, atol=1e-12)


def test_predictions_fit_the_curve(wave, wave_model):
    X, Y = wave
    assert wave_model.score(X, Y) > 0.9
    assert wave_model.predict(X).shape == (500, 2)


def test_return_std_is_the_conditional_covariances_diagonal(wave, wave_model):
    X, _ = wave
    mean, std = wave_model.predict(X[:20], return_std=True)
    cov = wave_model.mixture_.conditional_covariance([0, 1], X[:20])
    np.testing.assert_allclose(std ** 2, np.diagonal(cov, axis1=1, axis2=2), rtol=1e-12)
    np.testing.assert_allclose(mean, wave_model.mixture_.conditional_mean([0, 1], X[:20]))


def test_one_component_is_least_squares(wave):
    """E[y | x] of one Gaussian fitted by maximum likelihood is the least-squares line;
    its conditional std is the residuals' (divided by n, as maximum likelihood)."""
    X, Y = wave
    reg = MixtureRegressor(1, reg_covar=0.0).fit(X, Y[:, 0])
    ols = LinearRegression().fit(X, Y[:, 0])
    mean, std = reg.predict(X, return_std=True)
    assert mean.shape == (500,)
    np.testing.assert_allclose(mean, ols.predict(X), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(std, np.std(Y[:, 0] - ols.predict(X)), rtol=1e-9)


def test_sample_weight_as_repeated_rows(wave):
    X, Y = wave
    w = np.tile([1, 2], 250)
    a = MixtureRegressor(1).fit(X, Y, sample_weight=w)
    b = MixtureRegressor(1).fit(np.repeat(X, w, axis=0), np.repeat(Y, w, axis=0))
    np.testing.assert_allclose(a.predict(X), b.predict(X), rtol=1e-9, atol=1e-9)


def test_names_in_give_names_out():
    X = gaussmix.load_faithful(as_frame=True)
    reg = MixtureRegressor(2, random_state=0).fit(X[["eruptions"]], X["waiting"])
    assert list(reg.feature_names_in_) == ["eruptions"]
    pred, std = reg.predict(X[["eruptions"]].iloc[10:13], return_std=True)
    assert isinstance(pred, pd.Series) and pred.name == "waiting"
    assert list(pred.index) == [10, 11, 12] and list(std.index) == [10, 11, 12]
    np.testing.assert_allclose(pred.to_numpy(),
                               reg.mixture_.conditional_mean(0, X["eruptions"][10:13]).ravel())
    both = MixtureRegressor(1).fit(X[["eruptions"]], X[["waiting", "eruptions"]] * [1, 2])
    out = both.predict(X[["eruptions"]].head(2))
    assert isinstance(out, pd.DataFrame) and list(out.columns) == ["waiting", "eruptions"]
    with pytest.warns(UserWarning, match="feature names"):       # as scikit-learn warns
        assert isinstance(both.predict(X[["eruptions"]].to_numpy()[:2]), np.ndarray)


def test_missing_values_say_what_to_do(wave):
    X, Y = wave
    X = X.copy()
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="drop or impute"):
        MixtureRegressor().fit(X, Y)


def test_wrong_width_at_predict(wave, wave_model):
    with pytest.raises(ValueError, match="features"):
        wave_model.predict(np.zeros((3, 3)))
