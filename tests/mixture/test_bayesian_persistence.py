"""BayesianGaussianMixture.save and gaussmix.load: an exact round trip for every type
and prior type, tampered files refused with a message naming the field, and
GaussianMixture's files as before."""

import json

import numpy as np
import pytest

import gaussmix
from gaussmix import BayesianGaussianMixture, GaussianMixture
from gaussmix.covariance import SKLEARN_TYPES

PRIOR_TYPES = ("dirichlet_process", "dirichlet_distribution")


def blobs(n_per=60, seed=0):
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal(m, 1.0, (n_per, 3)) for m in (-4.0, 0.0, 5.0)])


def fitted(covariance_type="full", prior_type="dirichlet_process", **kw):
    return BayesianGaussianMixture(n_components=4, covariance_type=covariance_type,
                                   weight_concentration_prior_type=prior_type,
                                   max_iter=300, random_state=0, **kw).fit(blobs())


ATTRIBUTES = ("weights_", "means_", "covariances_", "precisions_", "precisions_cholesky_",
              "mean_precision_", "degrees_of_freedom_", "weight_concentration_",
              "weight_concentration_prior_", "mean_precision_prior_", "mean_prior_",
              "degrees_of_freedom_prior_", "covariance_prior_", "converged_", "n_iter_",
              "lower_bound_", "lower_bounds_", "n_features_in_")


@pytest.mark.parametrize("covariance_type", SKLEARN_TYPES)
@pytest.mark.parametrize("prior_type", PRIOR_TYPES)
def test_round_trip(tmp_path, covariance_type, prior_type):
    bgm = fitted(covariance_type, prior_type)
    path = tmp_path / "m.json"
    bgm.save(path)
    back = gaussmix.load(path)
    assert type(back) is BayesianGaussianMixture
    assert back.get_params() == bgm.get_params()
    for name in ATTRIBUTES:
        a, b = getattr(bgm, name), getattr(back, name)
        if isinstance(a, tuple):
            assert isinstance(b, tuple) and len(a) == len(b)
            for x, y in zip(a, b):
                np.testing.assert_array_equal(x, y)
        else:
            np.testing.assert_array_equal(a, b, err_msg=name)
    X = blobs(20, seed=3)
    for method in ("predict", "predict_proba", "score_samples", "predictive_score_samples"):
        np.testing.assert_array_equal(getattr(back, method)(X), getattr(bgm, method)(X))
    assert back.score(X) == bgm.score(X)


def test_round_trip_with_given_priors_and_feature_names(tmp_path):
    import pandas as pd

    X = pd.DataFrame(blobs(), columns=["a", "b", "c"])
    bgm = BayesianGaussianMixture(n_components=3, covariance_type="diag",
                                  mean_prior=[0.0, 1.0, 2.0], covariance_prior=[1.0, 2.0, 3.0],
                                  degrees_of_freedom_prior=4.5, mean_precision_prior=0.3,
                                  weight_concentration_prior=2.0, random_state=0).fit(X)
    bgm.save(tmp_path / "m.json")
    back = gaussmix.load(tmp_path / "m.json")
    assert list(back.feature_names_in_) == ["a", "b", "c"]
    np.testing.assert_array_equal(back.covariance_prior_, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(back.predictive_score_samples(X),
                                  bgm.predictive_score_samples(X))
    back.set_params(warm_start=True, max_iter=2).fit(X)  # a loaded model keeps fitting


def test_unfitted_model_cannot_be_saved(tmp_path):
    with pytest.raises(Exception, match="not fitted"):
        BayesianGaussianMixture().save(tmp_path / "m.json")


def _tampered(tmp_path, edit, covariance_type="full", prior_type="dirichlet_process"):
    path = tmp_path / "m.json"
    fitted(covariance_type, prior_type).save(path)
    doc = json.loads(path.read_text())
    edit(doc)
    path.write_text(json.dumps(doc))
    return path


def _set_data(field, index, value):
    def edit(doc):
        section, name = field.split(".")
        doc[section][name]["data"][index] = value
    return edit


def _set_shape(field, shape):
    def edit(doc):
        section, name = field.split(".")
        doc[section][name]["shape"] = shape
        doc[section][name]["data"] = [1.0] * int(np.prod(shape))
    return edit


TAMPERED = [
    (_set_data("fitted.weight_concentration_", 0, -1.0), "fitted.weight_concentration_"),
    (_set_data("fitted.mean_precision_", 1, 0.0), "fitted.mean_precision_"),
    (_set_data("fitted.degrees_of_freedom_", 0, 1.5), "fitted.degrees_of_freedom_"),
    (_set_data("fitted.mean_precision_", 0, float("nan")), "fitted.mean_precision_"),
    (_set_data("fitted.weight_concentration_", 2, 1e6), "fitted.weights_"),
    (_set_data("prior_.mean", 0, float("inf")), "prior_.mean"),
    (_set_shape("fitted.weight_concentration_", [4]), "fitted.weight_concentration_"),
    (_set_shape("fitted.mean_precision_", [3]), "fitted.mean_precision_"),
    (_set_shape("prior_.covariance", [3]), "prior_.covariance"),
    (lambda d: d["prior_"].update(weight_concentration=-0.5), "prior_.weight_concentration"),
    (lambda d: d["prior_"].update(dof=1.0), "prior_.dof"),
    (lambda d: d["prior_"].update(dof=float("nan")), "prior_.dof"),
    (lambda d: d["prior_"].update(prior_type="pitman_yor"), "prior_.prior_type"),
    (lambda d: d["prior_"]["covariance"].update(data=[-1.0] * 9), "prior_.covariance"),
    (lambda d: d["params"].update(weight_concentration_prior=-1.0), "params"),
    (lambda d: d["params"].update(covariance_type="VEV"), "params"),
    (lambda d: d.pop("prior_"), "prior_"),
    (lambda d: d["fitted"].pop("degrees_of_freedom_"), "fitted.degrees_of_freedom_"),
    (lambda d: d.update(resets_=[]), "resets_"),
]


@pytest.mark.parametrize("edit, field", TAMPERED)
def test_tampered_file_is_refused_naming_the_field(tmp_path, edit, field):
    path = _tampered(tmp_path, edit)
    with pytest.raises(ValueError, match=f"not a readable gaussmix model file.*{field}"):
        gaussmix.load(path)


@pytest.mark.parametrize("covariance_type", SKLEARN_TYPES)
def test_wrong_shapes_refused_for_every_type(tmp_path, covariance_type):
    path = _tampered(tmp_path, _set_shape("fitted.degrees_of_freedom_", [7]), covariance_type)
    with pytest.raises(ValueError, match="fitted.degrees_of_freedom_.*shape"):
        gaussmix.load(path)


def test_negative_covariances_refused(tmp_path):
    def edit(doc):
        doc["fitted"]["covariances_"]["data"][0] = -2.0
    path = _tampered(tmp_path, edit, "diag", "dirichlet_distribution")
    with pytest.raises(ValueError, match="fitted.covariances_"):
        gaussmix.load(path)


def test_gaussian_mixture_files_unchanged(tmp_path):
    gm = GaussianMixture(n_components=2, random_state=0).fit(blobs())
    gm.save(tmp_path / "gm.json")
    doc = json.loads((tmp_path / "gm.json").read_text())
    assert doc["format"] == "gaussmix.GaussianMixture"
    assert set(doc) == {"format", "version", "params", "fitted", "lower_bounds_", "resets_",
                        "n_features_in_", "feature_names_in_"}
    assert set(doc["fitted"]) == {"weights_", "means_", "covariances_",
                                  "precisions_cholesky_", "converged_", "n_iter_",
                                  "lower_bound_", "n_resets_"}
    back = gaussmix.load(tmp_path / "gm.json")
    assert type(back) is GaussianMixture
    np.testing.assert_array_equal(back.score_samples(blobs()), gm.score_samples(blobs()))


def test_a_gaussian_document_marked_bayesian_is_refused(tmp_path):
    gm = GaussianMixture(n_components=2, random_state=0).fit(blobs())
    gm.save(tmp_path / "gm.json")
    doc = json.loads((tmp_path / "gm.json").read_text())
    doc["format"] = "gaussmix.BayesianGaussianMixture"
    (tmp_path / "gm.json").write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="not a readable gaussmix model file"):
        gaussmix.load(tmp_path / "gm.json")
