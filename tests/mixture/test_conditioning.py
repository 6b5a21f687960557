"""GaussianMixture's marginal and conditioning methods as a user meets them: the
marginal's covariance type and numbers, column names in and out, and the errors."""

import numpy as np
import pytest

import gaussmix
from gaussmix import GaussianMixture
from gaussmix.covariance import get_structure
from gaussmix.density import density

pd = pytest.importorskip("pandas")

#: The marginal's covariance type when it is not the model's own.
CHANGES = {"EVI": "VVI", "EVE": "VVV", "VVE": "VVV", "EEV": "VVV", "VEV": "VVV", "EVV": "VVV"}


@pytest.fixture
def model(structure, random_params, rng):
    p = random_params(structure, 3, 4, rng)
    return GaussianMixture.from_parameters(p.weights, p.means, p.covariances, structure.name)


@pytest.fixture(scope="module")
def faithful():
    return gaussmix.load_faithful(as_frame=True)


@pytest.fixture(scope="module")
def named(faithful):
    """A 3-column model fitted on a DataFrame."""
    X = faithful.assign(ratio=faithful["waiting"] / faithful["eruptions"])
    return GaussianMixture(2, random_state=0).fit(X), X


# ---------------------------------------------------------------------- marginal
def test_marginal_keeps_the_structure_where_it_can(model, rng):
    cols = [3, 1]
    m = model.marginal(cols)
    assert m.covariance_type == CHANGES.get(model.covariance_type, model.covariance_type)
    assert m.means_.shape == (3, 2) and m.n_features_in_ == 2
    np.testing.assert_array_equal(m.weights_, model.weights_)
    np.testing.assert_array_equal(m.means_, model.means_[:, cols])
    # the density of the model's marginal over these columns (gaussmix.density.marginal,
    # full matrices), whatever structure the marginal model has
    pts = rng.normal(size=(20, 2)) * 3
    np.testing.assert_allclose(np.exp(m.score_samples(pts)), density(model, pts, cols),
                               rtol=1e-10)


def test_marginal_covariances_are_the_models_sub_blocks_bit_for_bit(model, structure):
    """Kept structures are cut from the stored covariances; others converted from the
    full sub-blocks with unit weights, which copies entries: no rounding either way."""
    m = model.marginal([0, 2])
    sub_blocks = structure.to_full(model.covariances_, 3, 4)[:, [0, 2]][:, :, [0, 2]]
    marginal_structure = get_structure(m.covariance_type)
    np.testing.assert_array_equal(marginal_structure.to_full(m.covariances_, 3, 2), sub_blocks)


def test_marginal_over_all_columns_is_the_model(model, rng):
    X = rng.normal(size=(10, 4))
    np.testing.assert_allclose(model.marginal([0, 1, 2, 3]).score_samples(X),
                               model.score_samples(X), rtol=1e-12)


def test_marginal_of_a_fitted_diagonal_model_by_name(faithful):
    gm = GaussianMixture(2, covariance_type="diag", random_state=0).fit(faithful)
    m = gm.marginal("waiting")
    assert m.covariance_type == "diag"
    assert list(m.feature_names_in_) == ["waiting"]
    np.testing.assert_allclose(m.covariances_[:, 0], gm.covariances_[:, 1])


# ---------------------------------------------------------------------- names
def test_columns_by_name_give_named_results(named):
    gm, X = named
    m = gm.marginal(["ratio", "eruptions"])
    assert list(m.feature_names_in_) == ["ratio", "eruptions"]
    np.testing.assert_allclose(m.score_samples(X[["ratio", "eruptions"]]),
                               gm.marginal([2, 0]).score_samples(X[["ratio", "eruptions"]]))
    c = gm.condition("waiting", [70.0])
    assert list(c.feature_names_in_) == ["eruptions", "ratio"]
    np.testing.assert_allclose(c.means_, gm.condition(1, [70.0]).means_)


def test_dataframe_values_give_a_dataframe_with_their_index(named):
    gm, X = named
    values = X[["ratio", "waiting"]].iloc[5:9]
    mean = gm.conditional_mean(["waiting", "ratio"], values)      # columns in another order
    assert isinstance(mean, pd.DataFrame)
    assert list(mean.columns) == ["eruptions"] and list(mean.index) == [5, 6, 7, 8]
    arr = X[["waiting", "ratio"]].to_numpy()[5:9]
    np.testing.assert_allclose(mean.to_numpy(), gm.conditional_mean([1, 2], arr), rtol=1e-12)
    cov = gm.conditional_covariance(["waiting", "ratio"], values)
    assert cov.shape == (4, 1, 1)
    np.testing.assert_allclose(cov, gm.conditional_covariance([1, 2], arr), rtol=1e-12)


def test_a_series_is_one_row_for_condition(named):
    gm, X = named
    row = X.iloc[3][["ratio", "eruptions"]]
    c = gm.condition(["eruptions", "ratio"], row)
    np.testing.assert_allclose(c.means_,
                               gm.condition([0, 2], X.iloc[3][["eruptions", "ratio"]]
                                            .to_numpy()).means_)


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize("columns, message", [
    ("nope", "'nope' is not one of the model's columns"),
    (3, "out of range"),
    (-1, "out of range"),
    ([0, "eruptions"], "given twice"),
    ([], "columns is empty"),
    (1.5, "integer position or a name"),
    (["eruptions", "waiting", "ratio"], "leaves nothing to condition"),
])
def test_bad_columns_say_what_is_wrong(named, columns, message):
    gm, _ = named
    error = TypeError if isinstance(columns, float) else ValueError
    with pytest.raises(error, match=message):
        gm.conditional_mean(columns, [[1.0]])


def test_names_need_a_named_model():
    gm = GaussianMixture.from_parameters([1.0], [[0.0, 0.0]], [np.eye(2)])
    with pytest.raises(ValueError, match="fitted without column names"):
        gm.marginal("x0")


@pytest.mark.parametrize("values, message", [
    ([[1.0, 2.0, 3.0]], r"shape \(n_rows, 2\)"),
    ([[np.nan, 1.0]], "NaN or infinity"),
    ([[np.inf, 1.0]], "NaN or infinity"),
    ([["a", "b"]], "numeric"),
])
def test_bad_values_say_what_is_wrong(named, values, message):
    gm, _ = named
    with pytest.raises((ValueError, TypeError), match=message):
        gm.conditional_mean(["eruptions", "waiting"], values)


def test_values_with_other_columns_are_refused(named):
    gm, X = named
    with pytest.raises(ValueError, match=r"values has columns \['eruptions'\] but the "
                                         r"observed columns are \['waiting'\]"):
        gm.conditional_mean("waiting", X[["eruptions"]])


def test_condition_takes_one_row(named):
    gm, _ = named
    with pytest.raises(ValueError, match="one row"):
        gm.condition(["eruptions", "waiting"], [[1.0, 50.0], [2.0, 60.0]])


def test_unfitted_model_is_refused():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        GaussianMixture(2).condition(0, [1.0])


@pytest.mark.parametrize("covariance_type, variances", [("E", [1.0, 1.0]), ("V", [1.0, 2.0])])
def test_marginal_of_a_one_column_model_is_itself(covariance_type, variances):
    gm = GaussianMixture.from_parameters([0.4, 0.6], [[0.0], [3.0]], variances, covariance_type)
    m = gm.marginal(0)
    assert m.covariance_type == covariance_type
    np.testing.assert_array_equal(m.covariances_, gm.covariances_)
    with pytest.raises(ValueError, match="leaves nothing to condition"):
        gm.condition(0, [1.0])


def test_a_float32_model_conditions_like_its_float64_twin(faithful):
    X32 = faithful.to_numpy(dtype=np.float32)
    gm32 = GaussianMixture(2, random_state=0).fit(X32)
    gm64 = GaussianMixture.from_parameters(gm32.weights_.astype(np.float64),
                                           gm32.means_.astype(np.float64),
                                           gm32.covariances_.astype(np.float64))
    values = X32[:5, :1]
    np.testing.assert_allclose(gm32.conditional_mean(0, values),
                               gm64.conditional_mean(0, values.astype(np.float64)), rtol=1e-12)
