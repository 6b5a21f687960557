"""MixtureClassifier: Bayes' rule on class densities, checked against independent
answers (scipy's normal densities, scikit-learn's LDA, mclust's EDDA on iris)."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import multivariate_normal
from sklearn.datasets import load_iris
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis

from gaussmix import GaussianMixture, MixtureClassifier
from gaussmix.classify.classwise import _best_usable, singular
from gaussmix.covariance import DataScale


@pytest.fixture(scope="module")
def blobs():
    """Three classes in 3-D with their own covariances; class 2 is two clusters."""
    rng = np.random.default_rng(0)
    parts = [rng.multivariate_normal([0, 0, 0], np.diag([1, 2, 0.5]), 120),
             rng.multivariate_normal([3, 1, 0], [[1, .6, 0], [.6, 1, 0], [0, 0, 1]], 80),
             rng.normal([-4, 4, 2], 0.4, (60, 3)), rng.normal([4, -4, -2], 0.4, (60, 3))]
    y = np.repeat(["a", "b", "c", "c"], [120, 80, 60, 60])
    return np.vstack(parts), y


def _bayes(X, means, covs, priors):
    """P(c | x) from scipy's normal densities: the independent answer."""
    dens = np.column_stack([multivariate_normal(m, c).pdf(X) for m, c in zip(means, covs)])
    joint = dens * priors
    return joint / joint.sum(axis=1, keepdims=True)


def test_one_gaussian_per_class_is_bayes_rule_with_ml_estimates(blobs):
    X, y = blobs
    clf = MixtureClassifier(1, covariance_type="full", reg_covar=0.0).fit(X, y)
    classes = np.unique(y)
    means = [X[y == c].mean(axis=0) for c in classes]
    covs = [np.cov(X[y == c].T, bias=True) for c in classes]
    priors = np.array([np.mean(y == c) for c in classes])
    np.testing.assert_array_equal(clf.classes_, classes)
    np.testing.assert_allclose(clf.class_prior_, priors)
    np.testing.assert_allclose(clf.predict_proba(X), _bayes(X, means, covs, priors),
                               atol=1e-10)
    logdens = np.column_stack([multivariate_normal(m, c).logpdf(X)
                               for m, c in zip(means, covs)])
    np.testing.assert_allclose(clf.class_log_density(X), logdens, rtol=1e-10)


def test_edda_with_a_shared_covariance_is_lda(blobs):
    X, y = blobs
    clf = MixtureClassifier(model_type="EDDA", covariance_type="EEE", reg_covar=0.0).fit(X, y)
    lda = LinearDiscriminantAnalysis(solver="lsqr").fit(X, y)
    np.testing.assert_allclose(clf.predict_proba(X), lda.predict_proba(X), atol=1e-9)
    np.testing.assert_array_equal(clf.predict(X), lda.predict(X))


def test_edda_on_iris_matches_mclust():
    # MclustDA(iris[, 1:4], iris$Species, modelType = "EDDA") in mclust 6.0.0: model
    # VEV, log-likelihood -187.7097 (of the mixture of the classes, weights the class
    # frequencies), df 36, training error 0.02
    X, y = load_iris(return_X_y=True)
    clf = MixtureClassifier(model_type="EDDA").fit(X, y)
    assert clf.covariance_types_ == ["VEV"] * 3
    joint = clf.class_log_density(X) + np.log(clf.class_prior_)
    mixture_loglik = np.logaddexp.reduce(joint, axis=1).sum()
    assert mixture_loglik == pytest.approx(-187.7097, abs=1e-3)
    chosen = [f for f in clf.selection_ if f.covariance_type == "VEV"][0]
    assert chosen.n_parameters == 36
    assert np.mean(clf.predict(X) != y) == pytest.approx(0.02)


def test_edda_iterative_m_step_never_lowers_the_fit(blobs):
    """Repeating an iterative M-step (VEV) ends no lower than its first step, and
    every model's BIC is its log-likelihood and parameter count."""
    X, y = blobs
    clf = MixtureClassifier(model_type="EDDA").fit(X, y)
    n = X.shape[0]
    for fit in clf.selection_:
        if np.isfinite(fit.bic):
            assert fit.bic == pytest.approx(-2 * fit.log_likelihood
                                            + fit.n_parameters * np.log(n))
    chosen = [f for f in clf.selection_ if f.covariance_type == clf.covariance_types_[0]][0]
    assert chosen.bic == min(f.bic for f in clf.selection_ if np.isfinite(f.bic))


def test_priors_shift_the_log_odds_by_their_log_ratio(blobs):
    X, y = blobs
    flat = MixtureClassifier(1, covariance_type="diag").fit(X, y)
    skew = MixtureClassifier(1, covariance_type="diag", priors=[2, 1, 1]).fit(X, y)
    np.testing.assert_allclose(skew.class_prior_, [0.5, 0.25, 0.25])
    lp, lq = flat.predict_log_proba(X[:50]), skew.predict_log_proba(X[:50])
    expected = (lp[:, 0] - lp[:, 1]) - np.log(flat.class_prior_[0] / flat.class_prior_[1]) \
        + np.log(2.0)
    np.testing.assert_allclose(lq[:, 0] - lq[:, 1], expected, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(np.exp(lq).sum(axis=1), 1.0)


def test_bic_chooses_two_components_for_the_two_cluster_class(blobs):
    X, y = blobs
    clf = MixtureClassifier((1, 2, 3), covariance_type=("VVV", "VVI"), random_state=0)
    clf.fit(X, y)
    assert clf.n_components_ == [1, 1, 2]
    for c, (table, gm) in enumerate(zip(clf.selection_, clf.models_)):
        rows = X[y == clf.classes_[c]]
        usable = table[~table["singular"] & (table["n_parameters"] < rows.shape[0])]
        assert gm.bic(rows) == pytest.approx(usable["bic"].min())


def test_candidates_need_fewer_parameters_than_rows():
    table = pd.DataFrame({"bic": [10.0, 5.0, 1.0, 0.5], "n_parameters": [9, 20, 33, 12],
                          "singular": [False, False, False, True]})
    assert _best_usable(table, 33) == 1      # 33 parameters for 33 rows: not usable
    assert _best_usable(table, 34) == 2
    assert _best_usable(table, 5) == 3       # none usable: the lowest BIC of all


def test_singular_candidates_are_not_chosen():
    """Rows sharing a value in one column give a component no variance there:
    singular, however large its likelihood (mclust gives it no BIC)."""
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(0, 1, (40, 2)), np.c_[rng.normal(5, 1, 10), np.full(10, 3.0)]])
    spike = GaussianMixture.from_parameters([0.8, 0.2], [[0, 0], [5, 3]],
                                            [[1.0, 1.0], [1.0, 1e-14]], "diag", reg_covar=0.0)
    scale = DataScale(np.cov(X.T, bias=True), n_rows=X.shape[0])
    assert singular(spike, scale, X.dtype)
    assert not singular(GaussianMixture(1, covariance_type="diag").fit(X), scale, X.dtype)
    other = rng.normal(-5, 1, (50, 2))
    clf = MixtureClassifier((1, 2), covariance_type=("VVI",), random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(np.vstack([X, other]), np.repeat([0, 1], 50))
    table = clf.selection_[0]
    chosen = table.loc[table["n_components"] == clf.n_components_[0]].iloc[0]
    assert not chosen["singular"]
    # select itself leaves the singular candidate's cell empty, with its reason
    empty = table["singular"] & table["bic"].isna()
    assert empty.any() and table.loc[empty, "note"].str.startswith("singular").all()


def test_dataframes_keep_feature_names(blobs):
    X, y = blobs
    frame = pd.DataFrame(X, columns=["u", "v", "w"])
    clf = MixtureClassifier(1, covariance_type="VVV").fit(frame, y)
    assert list(clf.feature_names_in_) == ["u", "v", "w"]
    assert all(list(gm.feature_names_in_) == ["u", "v", "w"] for gm in clf.models_)
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        plain = clf.predict_proba(frame.to_numpy())  # scikit-learn's warning, as usual
    np.testing.assert_allclose(clf.predict_proba(frame), plain)
    with pytest.raises(ValueError, match="feature names"):
        clf.predict(frame.rename(columns={"w": "z"}))
    with pytest.raises(ValueError, match="features"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the feature-name warning comes first
        clf.predict(X[:, :2])


def test_integer_weights_equal_repeated_rows(blobs):
    X, y = blobs
    w = np.random.default_rng(2).integers(1, 4, X.shape[0])
    for make in (lambda: MixtureClassifier(model_type="EDDA"),
                 lambda: MixtureClassifier(1, covariance_type="VVV")):
        weighted = make().fit(X, y, sample_weight=w)
        repeated = make().fit(np.repeat(X, w, axis=0), np.repeat(y, w))
        np.testing.assert_allclose(weighted.class_prior_, repeated.class_prior_)
        np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X),
                                   atol=1e-8)


def test_tiny_classes_still_get_a_density():
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(0, 1, (30, 2)), [[6.0, 6.0]], [[-6.0, 6.0], [-6.5, 6.2]]])
    y = np.r_[np.zeros(30), 1, 2, 2]
    for clf in (MixtureClassifier(random_state=0, covariance_type="sklearn"),
                MixtureClassifier(model_type="EDDA")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # degenerate one-row components are warned about
            clf.fit(X, y)
        assert clf.n_components_[1] == 1
        np.testing.assert_array_equal(clf.predict(X[30:]), y[30:])


@pytest.mark.parametrize("kwargs, y, match", [
    (dict(model_type="QDA"), None, "model_type='QDA' is not supported"),
    (dict(n_components="aic"), None, "n_components='aic'"),
    (dict(n_components=0), None, "positive"),
    (dict(n_components=3, model_type="EDDA"), None, "EDDA"),
    (dict(priors=[0.5, 0.5]), None, "one prior per class"),
    (dict(priors=[1, 0, 1]), None, "positive"),
    (dict(covariance_type="XYZ"), None, "XYZ"),
    (dict(tol=-1.0), None, "tol"),
    ({}, np.zeros(5), "one label per row"),
])
def test_bad_arguments_say_what_to_do(blobs, kwargs, y, match):
    X, labels = blobs
    with pytest.raises(ValueError, match=match):
        MixtureClassifier(**{"n_components": 1, "covariance_type": "VVV", **kwargs}).fit(
            X, labels if y is None else y)


def test_bad_data_say_what_to_do(blobs):
    X, y = blobs
    clf = MixtureClassifier(1, covariance_type="VVV")
    with pytest.raises(ValueError, match="requires y"):
        clf.fit(X, None)
    Xn = X.copy()
    Xn[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        clf.fit(Xn, y)
    with pytest.raises(ValueError, match="Unknown label type"):
        clf.fit(X, X[:, 0])
    w = np.ones(X.shape[0])
    w[y == "b"] = 0
    with pytest.raises(ValueError, match=r"\['b'\] have no row with positive"):
        clf.fit(X, y, sample_weight=w)
