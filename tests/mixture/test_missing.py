"""GaussianMixture(missing="em"): exact EM on the observed entries, scoring and
imputation of rows with NaN, checked against closed forms and scipy."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.special import logsumexp
from scipy.stats import multivariate_normal
from sklearn.exceptions import ConvergenceWarning

from gaussmix import GaussianMixture, load
from gaussmix.density import full_parameters


def with_holes(rng, X, fraction):
    """``X`` with a ``fraction`` of entries NaN at random (MCAR), every row keeping one."""
    X = np.array(X, dtype=np.float64)
    miss = rng.random(X.shape) < fraction
    full = miss.all(axis=1)
    miss[full, rng.integers(0, X.shape[1], full.sum())] = False
    X[miss] = np.nan
    return X


def quiet_fit(gm, X, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return gm.fit(X, **kw)


def by_first_mean(gm):
    """weights, means, full covariances with components ordered by their first mean."""
    w, mu, cov = full_parameters(gm)
    order = np.argsort(mu[:, 0])
    return w[order], mu[order], cov[order]


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical", "VEV",
                                             "EVE", "VVE", "EEI"])
def test_observed_data_likelihood_never_decreases(three_blobs, rng, covariance_type):
    X = with_holes(rng, three_blobs[0], 0.2)
    gm = quiet_fit(GaussianMixture(3, covariance_type=covariance_type, missing="em", tol=0,
                                   max_iter=40, random_state=0), X)
    lb = np.asarray(gm.lower_bounds_)
    assert len(lb) == 41 and not gm.resets_
    assert np.all(np.diff(lb) >= -1e-12 * np.abs(lb[:-1]))
    # the objective is the observed-data log-likelihood of the returned parameters
    assert gm.lower_bound_ == pytest.approx(gm.score(X), rel=1e-12)


def test_map_fit_with_missing_entries_climbs_the_log_posterior(three_blobs, rng):
    X = with_holes(rng, three_blobs[0], 0.2)
    gm = quiet_fit(GaussianMixture(3, prior="mclust", missing="em", tol=0, max_iter=30,
                                   random_state=0), X)
    assert np.all(np.diff(gm.lower_bounds_) >= -1e-12 * np.abs(gm.lower_bounds_[:-1]))


@pytest.mark.parametrize("covariance_type", ["full", "diag", "VEV"])
def test_without_nan_the_fit_is_the_ordinary_one_bit_for_bit(three_blobs, covariance_type):
    X = three_blobs[0]
    a = GaussianMixture(3, covariance_type=covariance_type, random_state=0).fit(X)
    b = GaussianMixture(3, covariance_type=covariance_type, random_state=0,
                        missing="em").fit(X)
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert a.lower_bounds_ == b.lower_bounds_


def test_score_samples_is_the_marginal_density_of_the_observed_entries(rng):
    gm = GaussianMixture.from_parameters(
        [0.3, 0.7], [[0.0, 1.0, -1.0], [2.0, -1.0, 0.5]],
        [[[1.0, 0.5, 0.2], [0.5, 2.0, -0.3], [0.2, -0.3, 1.5]], np.diag([0.5, 1.0, 2.0])],
        missing="em")
    X = rng.normal(size=(12, 3))
    X[1, 0] = X[2, [0, 2]] = X[3, 1] = X[4, 2] = np.nan
    X[5] = np.nan
    expected = []
    for x in X:
        o = ~np.isnan(x)
        terms = [np.log(w) + (multivariate_normal(m[o], c[np.ix_(o, o)]).logpdf(x[o])
                              if o.any() else 0.0)
                 for w, m, c in zip(gm.weights_, gm.means_, gm.covariances_)]
        expected.append(logsumexp(terms))
    np.testing.assert_allclose(gm.score_samples(X), expected, rtol=1e-12, atol=1e-12)
    proba = gm.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(proba[5], gm.weights_)      # nothing observed: the weights
    assert gm.score(X) == pytest.approx(np.mean(expected), rel=1e-12)


def test_one_component_matches_andersons_closed_form_for_monotone_missingness(rng):
    """x1 observed on all n rows, x2 on the first m: the MLE (Anderson 1957) is the
    mean and variance of x1 over all rows and the regression of x2 on x1 over the m
    complete rows."""
    n, m = 200, 120
    X = rng.multivariate_normal([1.0, -2.0], [[2.0, 1.2], [1.2, 1.5]], size=n)
    x1, x2 = X[:, 0], X[:m, 1]
    mu1, s11 = x1.mean(), x1.var()
    c = np.cov(X[:m, 0], x2, bias=True)
    beta = c[0, 1] / c[0, 0]
    mu2 = x2.mean() + beta * (mu1 - X[:m, 0].mean())
    s22 = c[1, 1] - beta**2 * c[0, 0] + beta**2 * s11
    X[m:, 1] = np.nan
    gm = GaussianMixture(1, missing="em", reg_covar=0.0, tol=1e-15, max_iter=5000).fit(X)
    np.testing.assert_allclose(gm.means_[0], [mu1, mu2], rtol=1e-7)
    np.testing.assert_allclose(gm.covariances_[0], [[s11, beta * s11], [beta * s11, s22]],
                               rtol=1e-6)


def test_parameters_stay_close_to_the_complete_data_fit(three_blobs, rng):
    """At 15 % of entries missing at random the fit moves by sampling noise only. One
    M-step from the same parameters on the rows completed by their conditional means
    ("impute, then fit") lands far further from the complete-data covariances: it
    leaves out the conditional covariances, and a row that two components could
    explain is imputed between them."""
    X = three_blobs[0]
    Xm = with_holes(rng, X, 0.15)
    full = GaussianMixture(3, random_state=0).fit(X)
    em = GaussianMixture(3, random_state=0, missing="em").fit(Xm)
    filled = quiet_fit(GaussianMixture(3, weights_init=em.weights_, means_init=em.means_,
                                       precisions_init=em.precisions_, max_iter=1),
                       em.impute(Xm))
    (w0, mu0, c0), (w1, mu1, c1), (_, _, c2) = map(by_first_mean, (full, em, filled))
    np.testing.assert_allclose(w1, w0, atol=0.02)
    np.testing.assert_allclose(mu1, mu0, atol=0.12)
    np.testing.assert_allclose(c1, c0, atol=0.15)
    err_em = np.linalg.norm(c1 - c0)
    assert err_em < 0.5 * np.linalg.norm(c2 - c0)


def test_chunked_fit_equals_one_pass(three_blobs, rng):
    X = with_holes(rng, three_blobs[0], 0.2)
    kw = dict(missing="em", random_state=0, init_params="kmeans", max_iter=50, tol=0)
    a = quiet_fit(GaussianMixture(3, **kw), X)
    b = quiet_fit(GaussianMixture(3, chunk_size=37, n_jobs=2, **kw), X)
    np.testing.assert_allclose(a.means_, b.means_, rtol=1e-10)
    np.testing.assert_allclose(a.covariances_, b.covariances_, rtol=1e-9)
    np.testing.assert_allclose(a.lower_bounds_, b.lower_bounds_, rtol=1e-12)


def test_integer_weights_fit_like_duplicated_rows(three_blobs, rng):
    X = with_holes(rng, three_blobs[0][::5], 0.25)
    w = rng.integers(1, 4, X.shape[0])
    kw = dict(missing="em", tol=0, max_iter=30, weights_init=[0.3, 0.3, 0.4],
              means_init=[[0, 0], [6, 0], [0, 7]], precisions_init=[np.eye(2)] * 3)
    a = quiet_fit(GaussianMixture(3, **kw), X, sample_weight=w)
    b = quiet_fit(GaussianMixture(3, **kw), np.repeat(X, w, axis=0))
    np.testing.assert_allclose(a.means_, b.means_, rtol=1e-10)
    np.testing.assert_allclose(a.covariances_, b.covariances_, rtol=1e-9)


def test_impute_mean_is_the_conditional_mean(rng):
    gm = GaussianMixture.from_parameters(
        [0.4, 0.6], [[0.0, 0.0, 0.0], [3.0, 1.0, -2.0]],
        [[[1.0, 0.6, 0.3], [0.6, 1.0, 0.2], [0.3, 0.2, 1.0]], np.diag([1.0, 2.0, 0.5])])
    X = rng.normal(size=(8, 3)) + [1.5, 0.5, -1.0]
    X[0, 1] = X[1, [0, 2]] = X[2, 2] = np.nan
    X[3] = np.nan
    filled = gm.impute(X)
    obs = ~np.isnan(X)
    assert np.array_equal(filled[obs], X[obs])
    for x, got in zip(X, filled):
        o, m = ~np.isnan(x), np.isnan(x)
        if not m.any():
            continue
        logr, means = [], []
        for w, mu, S in zip(gm.weights_, gm.means_, gm.covariances_):
            if o.any():
                logr.append(np.log(w) + multivariate_normal(mu[o], S[np.ix_(o, o)]).logpdf(x[o]))
                means.append(mu[m] + S[np.ix_(m, o)] @ np.linalg.solve(S[np.ix_(o, o)],
                                                                       x[o] - mu[o]))
            else:
                logr.append(np.log(w))
                means.append(mu)
        r = np.exp(np.array(logr) - logsumexp(logr))
        np.testing.assert_allclose(got[m], r @ np.array(means), rtol=1e-10, atol=1e-12)


def test_impute_sample_draws_have_the_conditional_moments(rng):
    gm = GaussianMixture.from_parameters(
        [0.5, 0.5], [[0.0, 0.0, 0.0], [2.0, 2.0, 2.0]],
        [[[1.0, 0.5, 0.5], [0.5, 1.0, 0.5], [0.5, 0.5, 1.0]], np.eye(3) * 0.5])
    x = np.array([1.0, np.nan, np.nan])
    n = 40000
    draws = gm.impute(np.tile(x, (n, 1)), method="sample", random_state=1)[:, 1:]
    assert np.all(draws[:, :0] == 1.0)
    # the conditional is a two-component mixture: its moments in closed form
    r, means, covs = [], [], []
    for w, mu, S in zip(gm.weights_, gm.means_, gm.covariances_):
        r.append(w * multivariate_normal(mu[:1], S[:1, :1]).pdf(x[:1]))
        gain = S[1:, :1] / S[0, 0]
        means.append(mu[1:] + gain[:, 0] * (x[0] - mu[0]))
        covs.append(S[1:, 1:] - gain @ S[:1, 1:])
    r = np.array(r) / np.sum(r)
    mean = r @ np.array(means)
    cov = sum(rk * (C + np.outer(m, m)) for rk, C, m in zip(r, covs, means)) - np.outer(mean, mean)
    se = np.sqrt(np.diag(cov) / n)
    assert np.all(np.abs(draws.mean(axis=0) - mean) < 5 * se)
    np.testing.assert_allclose(np.cov(draws.T), cov, atol=0.03)
    again = gm.impute(np.tile(x, (5, 1)), method="sample", random_state=1)
    assert np.array_equal(again, gm.impute(np.tile(x, (5, 1)), method="sample",
                                           random_state=1))


def test_dataframes_keep_their_names_and_index(three_blobs, rng):
    X = with_holes(rng, three_blobs[0][:200], 0.1)
    df = pd.DataFrame(X, columns=["a", "b"], index=np.arange(200) + 1000)
    gm = GaussianMixture(2, missing="em", random_state=0).fit(df)
    assert list(gm.feature_names_in_) == ["a", "b"]
    out = gm.impute(df)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == ["a", "b"]
    assert out.index.equals(df.index) and not out.isna().any().any()
    assert df.isna().any().any()  # the input is left as it was


def test_missing_option_saves_and_loads(three_blobs, rng, tmp_path):
    X = with_holes(rng, three_blobs[0][:200], 0.1)
    gm = GaussianMixture(2, missing="em", random_state=0).fit(X)
    gm.save(tmp_path / "m.json")
    back = load(tmp_path / "m.json")
    assert back.missing == "em"
    np.testing.assert_array_equal(back.score_samples(X), gm.score_samples(X))
    plain = GaussianMixture(2, random_state=0).fit(three_blobs[0])
    plain.save(tmp_path / "p.json")
    assert "missing" not in (tmp_path / "p.json").read_text()  # files as before
    assert load(tmp_path / "p.json").missing is None


def test_float32_data_with_missing_entries_fit_in_float32(three_blobs, rng):
    X = with_holes(rng, three_blobs[0], 0.1).astype(np.float32)
    gm = GaussianMixture(3, missing="em", random_state=0).fit(X)
    assert gm.means_.dtype == np.float32
    assert gm.impute(X).dtype == np.float32
    ref = GaussianMixture(3, missing="em", random_state=0).fit(X.astype(np.float64))
    np.testing.assert_allclose(by_first_mean(gm)[1], by_first_mean(ref)[1], atol=1e-3)


@pytest.mark.parametrize("X, kw, match", [
    (np.array([[1.0, np.nan], [2.0, 3.0], [0.0, 1.0]]), {}, 'NaN.*missing="em"'),
    (np.array([[np.nan, np.nan], [2.0, 3.0], [0.0, 1.0]]), {"missing": "em"},
     "no observed value.*dropna"),
    (np.array([[1.0, np.nan], [2.0, np.nan], [0.0, np.nan]]), {"missing": "em"},
     r"column\(s\) \[1\]"),
    (np.array([[1.0, np.inf], [2.0, np.nan], [0.0, 1.0]]), {"missing": "em"}, "infinity"),
    (np.array([[1.0, 2.0], [2.0, 3.0], [0.0, 1.0]]), {"missing": "drop"}, "missing='drop'"),
])
def test_bad_missing_input_says_what_to_do(X, kw, match):
    with pytest.raises(ValueError, match=match):
        GaussianMixture(1, **kw).fit(X)


def test_impute_errors(three_blobs):
    gm = GaussianMixture(2, random_state=0).fit(three_blobs[0])
    with pytest.raises(ValueError, match="method='median'.*'mean'"):
        gm.impute([[np.nan, 1.0]], method="median")
    with pytest.raises(ValueError, match="features"):
        gm.impute([[np.nan, 1.0, 2.0]])
    with pytest.raises(ValueError, match="NaN.*missing"):
        gm.score_samples([[np.nan, 1.0]])  # missing=None: scoring NaN is an error
    # imputing needs no missing="em": any fitted model has the conditionals
    assert np.isfinite(gm.impute([[np.nan, 1.0]])).all()
