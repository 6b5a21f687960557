"""select(X) like mclust's Mclust(X): its 14 models (E, V in 1-D), the keywords, one
model named twice refused, failed fits as empty cells, and mclust's best reached."""

from pathlib import Path

import warnings

import numpy as np
import pandas as pd
import pytest

import gaussmix
from gaussmix import GaussianMixture, select
from gaussmix.covariance import MCLUST_MODELS, SKLEARN_TYPES, UNIVARIATE_TYPES
from gaussmix.selection.types import resolve_covariance_types

DATA = Path(__file__).resolve().parents[1] / "data" / "mclust"


def _mclust_best(name):
    for line in (DATA / "best.txt").read_text().splitlines():
        if line.startswith(name + " "):
            fields = dict(f.split("=", 1) for f in line.split()[1:])
            return fields["best"], int(fields["G"]), float(fields["BIC"])
    raise KeyError(name)


@pytest.fixture(scope="module")
def faithful_default():
    X = pd.read_csv(DATA / "faithful.csv").to_numpy()
    return X, select(X, random_state=0, progress=False)


def test_default_is_mclusts_fourteen_models_and_one_to_nine(faithful_default):
    _, res = faithful_default
    t = res.table_
    assert list(dict.fromkeys(t["covariance_type"])) == list(MCLUST_MODELS)
    assert sorted(set(t["n_components"])) == list(range(1, 10))
    assert len(t) == 14 * 9


def test_default_reaches_mclusts_best_bic_and_every_cell(faithful_default):
    X, res = faithful_default
    model, G, bic = _mclust_best("faithful")
    assert -res.table_["bic"].min() >= bic - 1e-6  # mclust's BIC: higher is better
    assert res.best_params_ == {"n_components": G, "covariance_type": model}
    ref = pd.read_csv(DATA / "faithful_loglik.csv")
    for row in res.table_.itertuples(index=False):
        want = ref.loc[ref["G"] == row.n_components, row.covariance_type].iloc[0]
        if np.isfinite(want):
            assert row.log_likelihood >= want - max(0.05, 1e-4 * abs(want)), row


def test_default_on_one_dimensional_data_is_e_and_v():
    X = gaussmix.load_faithful()[:, :1]
    res = select(X, range(1, 4), random_state=0, progress=False)
    assert list(dict.fromkeys(res.table_["covariance_type"])) == list(UNIVARIATE_TYPES)
    assert resolve_covariance_types("mclust", 1) == list(UNIVARIATE_TYPES)


def test_keywords_name_the_two_families():
    assert resolve_covariance_types("sklearn", 3) == list(SKLEARN_TYPES)
    assert resolve_covariance_types("mclust", 3) == list(MCLUST_MODELS)
    assert resolve_covariance_types(None, 3) == list(MCLUST_MODELS)


@pytest.mark.parametrize("types", [["full", "VVV"], ["tied", "diag", "EEE"], ["VII", "spherical"]])
def test_one_model_named_twice_is_refused(types):
    with pytest.raises(ValueError, match="are the same model"):
        select(gaussmix.load_faithful(), [1, 2], types, progress=False)


def test_a_keyword_inside_a_list_and_a_1d_model_on_2d_data_are_refused():
    X = gaussmix.load_faithful()
    with pytest.raises(ValueError, match="goes alone"):
        select(X, [1, 2], ["full", "mclust"], progress=False)
    with pytest.raises(ValueError):
        select(X, [1, 2], ["E"], progress=False)


def test_three_letter_models_on_1d_data_fit_as_gaussian_mixture_does():
    X = gaussmix.load_faithful()[:, :1]
    res = select(X, [2], ["EEE", "VVV"], random_state=0, progress=False)
    for row, gm in zip(res.table_.itertuples(index=False), res.models_):
        lone = GaussianMixture(2, covariance_type=row.covariance_type, random_state=0,
                               init_params=gm.init_params).fit(X)
        assert row.log_likelihood == pytest.approx(lone.score(X) * len(X), rel=1e-10)


def test_a_candidate_that_cannot_be_fitted_is_an_empty_cell(monkeypatch):
    """A fit that raises (here EVE's M-step, forced to fail) leaves its cells empty
    with the reason in ``note``; the other candidates and the choice go on."""
    from gaussmix.covariance import get_structure

    structure = type(get_structure("EVE"))

    def broken(self, *args, **kwargs):
        raise np.linalg.LinAlgError("forced failure")

    monkeypatch.setattr(structure, "raw_covariance", broken)
    X = gaussmix.load_faithful()
    res = select(X, [2, 3], ["EEE", "EVE"], random_state=0, progress=False)
    t = res.table_
    bad = t["covariance_type"] == "EVE"
    assert t.loc[bad, "bic"].isna().all() and t.loc[bad, "log_likelihood"].isna().all()
    assert all("forced failure" in note for note in t.loc[bad, "note"])
    assert (t.loc[~bad, "note"] == "").all() and np.isfinite(t.loc[~bad, "bic"]).all()
    assert [m is None for m in res.models_] == list(bad)
    assert res.best_.covariance_type == "EEE"
    assert "EVE" in res.summary()


def test_refitted_candidates_equal_a_lone_fit_and_the_others_the_hierarchical_start(
        faithful_default):
    """A row is either a lone default fit (both starts) or the fit from the shared
    agglomeration alone (at the screening pass's ``tol``, which the model keeps); the
    chosen one always gets both starts."""
    X, res = faithful_default
    assert res.best_.init_params == "auto"
    for i in (res.best_index_, 0, 40):
        gm = res.models_[i]
        lone = GaussianMixture(gm.n_components, covariance_type=gm.covariance_type,
                               random_state=gm.random_state, init_params=gm.init_params,
                               tol=gm.tol).fit(X)
        assert res.table_["bic"].iloc[i] == pytest.approx(lone.bic(X), rel=1e-10)


def test_passing_init_params_fits_every_candidate_with_it():
    X = gaussmix.load_faithful()
    res = select(X, [1, 2, 3], "sklearn", random_state=0, progress=False,
                 init_params="kmeans")
    assert {gm.init_params for gm in res.models_} == {"kmeans"}


def test_iris_reaches_mclusts_best_bic():
    """mclust's best on iris (VEV, G = 2) lies within K = 1..3, which keeps this quick."""
    X = pd.read_csv(DATA / "iris.csv").to_numpy()
    model, G, bic = _mclust_best("iris")
    res = select(X, range(1, 4), random_state=0, progress=False)
    assert -res.table_["bic"].min() >= bic - 1e-6
    assert res.best_params_ == {"n_components": G, "covariance_type": model}


def test_singular_candidates_are_empty_cells_where_mclust_has_none():
    """iris, VEE: mclust's table is empty at G = 7 and 9, where a component has no
    variance of its own in some direction (rows share a rounded value); gaussmix's
    cells there are empty too, with the reason, and the others are filled."""
    X = pd.read_csv(DATA / "iris.csv").to_numpy()
    res = select(X, range(6, 10), "VEE", random_state=0, progress=False)
    empty = res.table_["bic"].isna().to_numpy()
    np.testing.assert_array_equal(res.table_["n_components"][empty], [7, 9])
    assert res.table_["note"][empty].str.startswith("singular").all()
    assert [m is None for m in res.models_] == list(empty)
    mclust = pd.read_csv(DATA / "iris_bic.csv").set_index("G")["VEE"]
    assert mclust.loc[[7, 9]].isna().all() and mclust.loc[[6, 8]].notna().all()


def test_degenerate_data_with_only_singular_candidates_still_get_a_fit():
    """A constant column makes every candidate singular: nothing is emptied."""
    rng = np.random.default_rng(0)
    X = np.c_[rng.normal(size=60), np.full(60, 2.0)]
    res = select(X, range(1, 3), ["VVI", "EII"], random_state=0, progress=False)
    assert res.table_["bic"].notna().all() and res.best_ is not None


def test_missing_values_select_on_the_observed_entries():
    """missing="em" passes through select: every cell is the observed-data fit (its
    log-likelihood is the model's on the rows with NaN), with no warning from the
    screening tolerance or the singularity check, which see mean-completed rows."""
    X = pd.read_csv(DATA / "iris.csv").to_numpy()
    X[np.random.default_rng(0).random(X.shape) < 0.1] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = select(X, range(1, 4), ["VVV", "EEE", "VEE"], missing="em", random_state=0,
                     progress=False)
    assert res.table_["bic"].notna().all()
    for gm, loglik in zip(res.models_, res.table_["log_likelihood"]):
        assert gm.missing == "em"
        np.testing.assert_allclose(gm.score(X) * len(X), loglik, rtol=1e-10)
    assert res.best_.bic(X) == pytest.approx(res.table_["bic"].min(), rel=1e-12)


def test_no_more_rows_than_columns_tries_mclusts_six_spherical_and_diagonal_models():
    """mclust's mclustBIC keeps EII, VII, EEI, VEI, EVI, VVI of its default models when
    n <= d: every full-matrix model is singular there (and EM spent minutes on each
    before its cell was emptied: 20 rows of 200 columns)."""
    X = np.random.default_rng(0).normal(size=(12, 12))
    res = select(X, range(1, 3), random_state=0, progress=False)
    assert list(dict.fromkeys(res.table_["covariance_type"])) == [
        "EII", "VII", "EEI", "VEI", "EVI", "VVI"]
    wider = select(X[:, :11], range(1, 2), random_state=0, progress=False)
    assert len(set(wider.table_["covariance_type"])) == 14
    named = select(X, range(1, 2), "mclust", random_state=0, progress=False)
    assert len(set(named.table_["covariance_type"])) == 14


@pytest.mark.parametrize("value, message", [(np.nan, "missing=\"em\""), (np.inf, "infinity")])
def test_nan_or_infinity_is_the_fits_own_error_before_any_fit(value, message):
    """It was "no candidate has a finite BIC (the fits failed: ...)" after every
    candidate had failed, with RuntimeWarnings from the screening tolerance."""
    X = pd.read_csv(DATA / "faithful.csv").to_numpy()
    X[3, 0] = value
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=message) as info:
            select(X, range(1, 3), progress=False)
    assert "no candidate" not in str(info.value)


def test_missing_values_with_an_empty_row_or_column_is_the_fits_own_error():
    X = pd.read_csv(DATA / "iris.csv").to_numpy()
    X[5] = np.nan
    with pytest.raises(ValueError, match="row\\(s\\) with no observed value") as info:
        select(X, range(1, 3), ["VVV"], missing="em", progress=False)
    assert "no candidate" not in str(info.value)
    X = pd.read_csv(DATA / "iris.csv").to_numpy()
    X[:, 0] = np.nan
    with pytest.raises(ValueError, match="column\\(s\\) \\[0\\] have no observed value"):
        select(X, range(1, 3), ["VVV"], missing="em", progress=False)


def test_a_one_row_component_does_not_warn_about_its_volume():
    """iris, VEE, G = 7: a component on one row had volume -5e-16, whose log warned
    "invalid value encountered in log"."""
    X = pd.read_csv(DATA / "iris.csv").to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        select(X, [7], "VEE", random_state=0, progress=False)
