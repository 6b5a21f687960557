"""two_sample_test: the statistic and every permutation's equal the classical
Gaussian likelihood ratio for one full-covariance component; it holds its level over
repeated null data sets, finds differences of shape and not only of location, and
checks its inputs."""

import numpy as np
import pytest

import gaussmix
from gaussmix import two_sample_test
from gaussmix.compare import check_two_samples


def _gaussian_lr(X, Y):
    """2 (log L_X + log L_Y - log L_pooled) of one Gaussian each, maximum likelihood:
    n log det S_pooled - n_x log det S_X - n_y log det S_Y (the other terms cancel)."""
    def logdet(A):
        return np.linalg.slogdet(np.cov(A.T, bias=True))[1]

    Z = np.vstack([X, Y])
    return len(Z) * logdet(Z) - len(X) * logdet(X) - len(Y) * logdet(Y)


def test_one_full_component_gives_the_classical_likelihood_ratio():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(80, 3)), rng.normal(0.3, 1.2, size=(70, 3))
    res = two_sample_test(X, Y, 1, "full", n_permutations=9, random_state=0, progress=False,
                          reg_covar=0.0)
    assert res.statistic == pytest.approx(_gaussian_lr(X, Y), rel=1e-8)
    assert res.model_x.means_[0] == pytest.approx(X.mean(axis=0), abs=1e-10)
    assert res.model_pooled.means_[0] == pytest.approx(np.vstack([X, Y]).mean(axis=0), abs=1e-10)
    ll = res.log_likelihoods
    assert ll["x"] >= ll["x_pooled"] and ll["y"] >= ll["y_pooled"]


def test_permutations_are_the_classical_likelihood_ratio_of_random_splits():
    # replicate b permutes the pooled rows with the b-th child of SeedSequence(seed)
    # (gaussmix.utils.replicates): the same splits, recomputed here in closed form
    rng = np.random.default_rng(1)
    X, Y = rng.normal(size=(60, 2)), rng.standard_t(5, size=(50, 2))
    res = two_sample_test(X, Y, 1, "full", n_permutations=30, random_state=1, progress=False,
                          reg_covar=0.0)
    Z = np.vstack([X, Y])
    splits = [np.random.default_rng(s).permutation(len(Z))
              for s in np.random.SeedSequence(1).spawn(30)]
    expected = [_gaussian_lr(Z[o[:60]], Z[o[60:]]) for o in splits]
    np.testing.assert_allclose(res.null_statistics, expected, rtol=1e-7)
    assert res.pvalue == (1 + np.sum(np.array(expected) >= _gaussian_lr(X, Y))) / 31
    assert np.all(res.null_statistics >= -1e-9)    # EM from the pooled fit only climbs


def test_holds_its_level_over_repeated_null_data_sets():
    # the permutation p-value is uniform on {1/20, ..., 1} under the null hypothesis
    pvalues = []
    for seed in range(60):
        rng = np.random.default_rng(100 + seed)
        X, Y = rng.normal(size=(20, 2)), rng.normal(size=(25, 2))
        pvalues.append(two_sample_test(X, Y, 1, "spherical", n_permutations=19,
                                       random_state=seed, progress=False).pvalue)
    pvalues = np.array(pvalues)
    assert np.sum(pvalues <= 0.05) <= 8       # binomial(60, 0.05): 3 expected, P(> 8) < 0.01
    assert 0.40 < pvalues.mean() < 0.65       # 0.525 expected, standard error 0.037


@pytest.mark.parametrize("change", [
    lambda Y: Y @ np.array([[1.0, 0.9], [0.0, 0.45]]),        # shape and orientation
    lambda Y: Y * 1.8,                                         # scale
    lambda Y: Y + [0.8, 0.0],                                  # location
])
def test_finds_differences_of_shape_scale_and_location(change):
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(80, 2)), change(rng.normal(size=(80, 2)))
    res = two_sample_test(X, Y, [1, 2], "sklearn", n_permutations=39, random_state=0,
                          progress=False)
    assert res.pvalue == pytest.approx(1 / 40)
    assert res.statistic > res.null_statistics.max()


def test_orientation_of_two_modes_is_found_with_the_default_models():
    # X: two modes along the x axis, Y: the same two modes along the y axis
    rng = np.random.default_rng(3)
    modes = rng.normal(scale=0.5, size=(2, 60, 2)) + np.array([[[-2.0, 0.0]], [[2.0, 0.0]]])
    X, Y = modes.reshape(-1, 2), rng.normal(scale=0.5, size=(120, 2)) + \
        np.repeat([[0.0, -2.0], [0.0, 2.0]], 60, axis=0)
    res = two_sample_test(X, Y, n_permutations=19, random_state=0, progress=False)
    assert res.pvalue == pytest.approx(1 / 20)
    assert res.n_components >= 2


def test_result_does_not_depend_on_n_jobs():
    rng = np.random.default_rng(4)
    X, Y = rng.normal(size=(100, 2)), rng.normal(size=(100, 2))
    kw = dict(n_components=1, covariance_type="diag", n_permutations=50, random_state=5,
              progress=False)
    serial, parallel = two_sample_test(X, Y, n_jobs=1, **kw), two_sample_test(X, Y, n_jobs=2, **kw)
    np.testing.assert_array_equal(serial.null_statistics, parallel.null_statistics)
    assert serial.pvalue == parallel.pvalue


def test_dataframes_are_matched_by_column_name_and_names_kept():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(5)
    X = pd.DataFrame(rng.normal(size=(40, 2)), columns=["a", "b"])
    Y = pd.DataFrame(rng.normal(size=(50, 2)), columns=["a", "b"])
    res = two_sample_test(X, Y, 1, "full", n_permutations=9, random_state=0, progress=False)
    shuffled = two_sample_test(X, Y[["b", "a"]], 1, "full", n_permutations=9, random_state=0,
                               progress=False)
    assert shuffled.statistic == res.statistic
    np.testing.assert_array_equal(shuffled.null_statistics, res.null_statistics)
    for model in (res.model_pooled, res.model_x, res.model_y):
        assert list(model.feature_names_in_) == ["a", "b"]
    arrays = two_sample_test(X.to_numpy(), Y.to_numpy(), 1, "full", n_permutations=9,
                             random_state=0, progress=False)
    assert arrays.statistic == pytest.approx(res.statistic, rel=1e-12)
    assert "p-value" in res.summary() and "TwoSampleResult(statistic=" in repr(res)


def test_one_dimensional_samples_are_one_column():
    rng = np.random.default_rng(6)
    res = two_sample_test(rng.normal(size=30), rng.normal(2.0, size=30), 1, "spherical",
                          n_permutations=19, random_state=0, progress=False)
    assert res.model_x.n_features_in_ == 1
    assert res.pvalue == pytest.approx(1 / 20)


def _frames():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [1.0, 0.0, 3.0]})
    return pd, X


@pytest.mark.parametrize("make_y, match", [
    (lambda pd, X: X.rename(columns={"b": "c"}), r"lacks 'b' and has 'c' that X does not"),
    (lambda pd, X: X.assign(c=1.0), r"has 'c' that X does not"),
    (lambda pd, X: X.assign(b=[1.0, np.nan, 2.0]), r"NaN in column 'b', row 1"),
    (lambda pd, X: X.assign(b=["x", "y", "z"]), r"'b' of Y are not real numbers"),
    (lambda pd, X: X.to_numpy()[:, :1], r"X has 2 column\(s\) but Y has 1"),
    (lambda pd, X: np.zeros((3, 2, 2)), r"must be 2-D"),
    (lambda pd, X: X.iloc[:1], r"at least 2 rows"),
    (lambda pd, X: None, r"Y is None"),
])
def test_clear_errors_for_bad_data(make_y, match):
    pd, X = _frames()
    with pytest.raises(ValueError, match=match):
        check_two_samples(X, make_y(pd, X))


@pytest.mark.parametrize("kwargs, error, match", [
    ({"n_components": 4}, ValueError, "more than the 3 rows"),
    ({"n_permutations": 0}, ValueError, "n_permutations"),
    ({"random_state": 0, "means_init": [[0.0]]}, TypeError, "sets means_init itself"),
])
def test_bad_arguments(kwargs, error, match):
    X = np.arange(6.0).reshape(3, 2)
    with pytest.raises(error, match=match):
        two_sample_test(X, X + 1, progress=False, **kwargs)


def test_inf_is_refused_and_named():
    X = np.ones((4, 2))
    X[2, 1] = np.inf
    with pytest.raises(ValueError, match="infinity in column 1, row 2"):
        gaussmix.two_sample_test(X, np.ones((4, 2)))


def test_selects_name_for_the_types_gets_a_clear_error():
    X = np.random.default_rng(0).normal(size=(30, 2))
    with pytest.raises(TypeError, match="takes covariance_type="):
        two_sample_test(X, X + 1, 1, covariance_types="VVV", n_permutations=9)
