"""GaussianMixture.goodness_of_fit: holds its level on data drawn from the model,
rejects data from clearly other densities, and the mean log-likelihood's blind spot
(one refitted Gaussian) is what the closed form says."""

import numpy as np
import pytest

import gaussmix
from gaussmix import GaussianMixture
from gaussmix.mixture.goodness import _ks_distance

TRUE = GaussianMixture.from_parameters([0.4, 0.6], [[-2.0, 0.0], [2.0, 1.0]],
                                       [[[1.0, 0.5], [0.5, 1.0]], [[0.6, -0.2], [-0.2, 0.8]]])


def test_data_from_the_model_are_not_rejected():
    pvalues = []
    for seed in range(6):
        X, _ = TRUE.sample(150, random_state=seed)
        gm = GaussianMixture(2, tol=1e-3, random_state=seed).fit(X)   # tol: fast refits
        pvalues.append(gm.goodness_of_fit(X, n_boot=19, random_state=seed,
                                          progress=False).pvalue)
    # uniform on {1/20, ..., 1} under the null: mean 0.525
    assert np.mean(pvalues) > 0.25
    assert sum(p <= 0.05 for p in pvalues) <= 2


@pytest.mark.parametrize("draw", [
    lambda rng: rng.standard_t(2, size=(300, 2)),          # heavy tails
    lambda rng: rng.uniform(-1, 1, size=(300, 2)),         # a flat top and edges
    lambda rng: rng.lognormal(0, 1, size=(300, 2)),        # skewed
])
def test_data_from_a_clearly_different_density_are_rejected(draw):
    X = draw(np.random.default_rng(1))
    gm = GaussianMixture(1, random_state=0).fit(X)
    res = gm.goodness_of_fit(X, n_boot=19, random_state=0, progress=False)
    assert res.pvalue == pytest.approx(1 / 20)
    assert res.statistic > res.null_statistics.max()


def test_mean_log_likelihood_of_one_refitted_gaussian_depends_on_the_covariance_only():
    # the blind spot the "ks" default avoids: -(log det(2 pi S) + d) / 2, S the MLE
    X = np.random.default_rng(2).standard_t(1, size=(200, 2))
    gm = GaussianMixture(1, reg_covar=0.0, random_state=0).fit(X)
    S = np.cov(X.T, bias=True)
    res = gm.goodness_of_fit(X, n_boot=19, statistic="mean", random_state=0, progress=False)
    assert res.statistic == pytest.approx(-0.5 * (np.linalg.slogdet(2 * np.pi * S)[1] + 2),
                                          rel=1e-6)
    assert res.pvalue > 0.05      # Cauchy rows, yet not rejected: why "ks" is the default


def test_mean_statistic_rejects_a_fixed_model_that_is_too_narrow():
    fixed = GaussianMixture.from_parameters([1.0], [[0.0, 0.0]], [1.0], "spherical")
    wide = np.random.default_rng(3).normal(scale=2.0, size=(100, 2))
    narrow = np.random.default_rng(4).normal(scale=1.0, size=(100, 2))
    bad = fixed.goodness_of_fit(wide, n_boot=39, statistic="mean", refit=False,
                                random_state=0, progress=False)
    good = fixed.goodness_of_fit(narrow, n_boot=39, statistic="mean", refit=False,
                                 random_state=0, progress=False)
    assert bad.pvalue == pytest.approx(1 / 40)
    assert bad.statistic < bad.null_statistics.min()
    assert good.pvalue > 0.05
    # the replicates of an unrefitted fixed model are means of its own log-densities
    assert np.mean(good.null_statistics) == pytest.approx(-(np.log(2 * np.pi) + 1), abs=0.1)


def test_ks_distance_is_scipys():
    from scipy.stats import ks_2samp

    rng = np.random.default_rng(5)
    a, b = rng.normal(size=57), rng.normal(0.3, size=301)
    assert _ks_distance(a, b) == pytest.approx(ks_2samp(a, b).statistic, abs=1e-15)


def test_result_does_not_depend_on_n_jobs_and_reads_well():
    X, _ = TRUE.sample(500, random_state=0)     # enough work for worker processes
    gm = GaussianMixture(2, random_state=0).fit(X)
    kw = dict(n_boot=20, refit=False, random_state=3, progress=False)
    serial = gm.goodness_of_fit(X, n_jobs=1, **kw)
    parallel = gm.goodness_of_fit(X, n_jobs=2, **kw)
    np.testing.assert_array_equal(serial.null_statistics, parallel.null_statistics)
    assert serial.pvalue == parallel.pvalue
    assert "p-value" in serial.summary() and "KS distance" in serial.summary()
    assert repr(serial).startswith("GoodnessOfFitResult(statistic=")


def test_dataframes_need_the_models_columns():
    pd = pytest.importorskip("pandas")
    X = gaussmix.load_faithful(as_frame=True)
    gm = GaussianMixture(2, random_state=0).fit(X)
    res = gm.goodness_of_fit(X, n_boot=5, random_state=0, progress=False)
    assert res.n_samples == len(X)
    with pytest.raises(ValueError, match="feature names"):
        gm.goodness_of_fit(X.rename(columns={"waiting": "w"}), n_boot=5, progress=False)
    holed = X.copy()
    holed.iloc[3, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        gm.goodness_of_fit(holed, n_boot=5, progress=False)
    with pytest.raises(ValueError, match="waiting"):
        gm.goodness_of_fit(pd.DataFrame({"eruptions": [1.0, 2.0]}), n_boot=5, progress=False)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"n_boot": 0}, ValueError, "n_boot"),
    ({"statistic": "ad"}, ValueError, "'ks' or 'mean'"),
    ({"refit": "yes"}, TypeError, "refit"),
])
def test_bad_arguments(kwargs, error, match):
    X, _ = TRUE.sample(30, random_state=0)
    with pytest.raises(error, match=match):
        TRUE.goodness_of_fit(X, **kwargs)
