"""GaussianMixture(noise=True): mclust's uniform noise component."""

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linear_sum_assignment
from scipy.special import logsumexp
from scipy.stats import multivariate_normal
from sklearn.exceptions import ConvergenceWarning

from gaussmix import DegenerateComponentWarning, GaussianMixture, load, select
from gaussmix.engine import MixtureParams, NoiseTerm, collect


def noisy_clusters(seed, d, n_per=300, share=0.1, K=3):
    """K well separated unit-variance clusters in ``d`` dimensions, plus a ``share``
    of rows uniform on a box around them; also the clean rows and the noise mask."""
    rng = np.random.default_rng(seed)
    centres = np.zeros((K, d))
    centres[:, 0] = np.arange(K) * 8.0
    centres[:, 1] = np.array([0.0, 6.0, -6.0, 3.0][:K])
    scales = np.linspace(0.7, 1.3, K)
    clean = np.vstack([c + s * rng.normal(size=(n_per, d)) for c, s in zip(centres, scales)])
    n_noise = int(round(share * clean.shape[0] / (1 - share)))
    lo, hi = clean.min(axis=0) - 3, clean.max(axis=0) + 3
    noise = rng.uniform(lo, hi, size=(n_noise, d))
    X = np.vstack([clean, noise])
    is_noise = np.r_[np.zeros(clean.shape[0], bool), np.ones(n_noise, bool)]
    return X, clean, is_noise


def f1(found, truth):
    return 2 * np.sum(found & truth) / (np.sum(found) + np.sum(truth))


def monotone(lb, rel=1e-12):
    lb = np.asarray(lb)
    return np.all(np.diff(lb) >= -rel * np.abs(lb[:-1]))


@pytest.fixture(scope="module")
def two_d():
    return noisy_clusters(0, 2)


@pytest.fixture(scope="module")
def fitted(two_d):
    return GaussianMixture(3, noise=True, random_state=0).fit(two_d[0])


# ---------------------------------------------------------------- finding the noise
@pytest.mark.parametrize("d", [2, 5])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_finds_ten_percent_uniform_noise(d, seed):
    X, _, is_noise = noisy_clusters(seed, d)
    gm = GaussianMixture(3, noise=True, random_state=seed).fit(X)
    assert f1(gm.predict(X) == -1, is_noise) >= 0.8
    assert gm.noise_weight_ == pytest.approx(is_noise.mean(), abs=0.04)


@pytest.mark.parametrize("d", [2, 5])
def test_clusters_close_to_the_clean_fit(d):
    """The Gaussians fitted with noise on noisy data are those fitted without noise on
    the clean rows alone (matched by their means)."""
    X, clean, _ = noisy_clusters(4, d)
    gm = GaussianMixture(3, noise=True, random_state=0).fit(X)
    ref = GaussianMixture(3, random_state=0).fit(clean)
    cost = ((gm.means_[:, None] - ref.means_[None]) ** 2).sum(axis=2)
    rows, cols = linear_sum_assignment(cost)
    np.testing.assert_allclose(gm.means_[rows], ref.means_[cols], atol=0.15)
    np.testing.assert_allclose(gm.weights_[rows] / (1 - gm.noise_weight_),
                               ref.weights_[cols], atol=0.02)
    for a, b in zip(gm.covariances_[rows], ref.covariances_[cols]):
        assert np.linalg.norm(a - b) / np.linalg.norm(b) < 0.15
    # the fit without noise on the noisy data is much further off
    plain = GaussianMixture(3, random_state=0).fit(X)
    assert plain.covariances_.trace(axis1=1, axis2=2).max() \
        > 2 * ref.covariances_.trace(axis1=1, axis2=2).max()


# ---------------------------------------------------------------- the objective
def test_objective_never_decreases(covariance_type):
    rng = np.random.default_rng(5)
    d = 1 if covariance_type in ("E", "V") else 2
    X = np.vstack([rng.normal(0, 1, (80, d)), rng.normal(5, 0.5, (60, d)),
                   rng.uniform(-6, 10, (20, d))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", DegenerateComponentWarning)
        gm = GaussianMixture(2, covariance_type=covariance_type, noise=True, tol=0,
                             max_iter=40, init_params="kmeans", random_state=0).fit(X)
    resets = {it for it, _ in gm.resets_}
    lb = np.asarray(gm.lower_bounds_)
    for i in range(1, len(lb)):
        if i not in resets:
            assert lb[i] >= lb[i - 1] - 1e-12 * abs(lb[i - 1]), (i, lb[i - 1], lb[i])
    assert gm.lower_bound_ == pytest.approx(gm.score(X), rel=1e-12)
    assert 0 < gm.noise_weight_ < 1


def test_objective_never_decreases_with_a_prior(two_d):
    X = two_d[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm = GaussianMixture(3, noise=True, prior="mclust", tol=0, max_iter=50,
                             random_state=0).fit(X)
    assert monotone(gm.lower_bounds_)
    assert gm.noise_weight_ == pytest.approx(0.1, abs=0.04)


def test_e_step_statistics_against_a_direct_computation():
    """The engine's E-step with noise: responsibilities over K + 1 columns, the noise
    column log(pi_0 / V), log-likelihood with the noise term (scipy's densities)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 2)) * 3
    cov = np.array([[[1.0, 0.3], [0.3, 2.0]], [[0.5, 0.0], [0.0, 0.5]]])
    means = np.array([[0.0, 0.0], [2.0, -1.0]])
    weights = np.array([0.5, 0.3])  # noise weight 0.2
    params = MixtureParams.from_covariances("full", weights, means, cov)
    V = 40.0
    stats = collect(X, params, noise=NoiseTerm(np.log(V)))
    logp = np.column_stack([np.log(w) + multivariate_normal(m, c).logpdf(X)
                            for w, m, c in zip(weights, means, cov)] + [np.full(50, np.log(0.2 / V))])
    resp = np.exp(logp - logsumexp(logp, axis=1, keepdims=True))
    assert stats.loglik == pytest.approx(logsumexp(logp, axis=1).sum(), rel=1e-12)
    np.testing.assert_allclose(stats.nk, resp[:, :2].sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(stats.ref + stats.s1 / stats.nk[:, None],
                               resp[:, :2].T @ X / resp[:, :2].sum(axis=0)[:, None], rtol=1e-10)
    assert stats.weight - stats.nk.sum() == pytest.approx(resp[:, 2].sum(), rel=1e-10)
    # with uniforms (a Gibbs sweep), the statistics of components drawn by inverse CDF
    u = rng.uniform(size=50)
    drawn = collect(X, params, noise=NoiseTerm(np.log(V)), uniforms=u)
    comp = (np.cumsum(resp, axis=1) <= u[:, None]).sum(axis=1)
    np.testing.assert_allclose(drawn.nk, np.bincount(comp, minlength=3)[:2], atol=1e-9)
    assert drawn.loglik == pytest.approx(stats.loglik, rel=1e-12)


# ---------------------------------------------------------------- evaluation
def test_predict_proba_score_samples_and_predict(fitted, two_d):
    X = two_d[0]
    gm = fitted
    proba = gm.predict_proba(X)
    assert proba.shape == (X.shape[0], 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-12)
    labels = gm.predict(X)
    np.testing.assert_array_equal(labels == -1, proba.argmax(axis=1) == 3)
    np.testing.assert_array_equal(labels[labels >= 0], proba.argmax(axis=1)[labels >= 0])
    # the density, from scipy: Gaussians plus pi_0 / V, V the bounding box's volume
    box = np.stack([X.min(axis=0), X.max(axis=0)])
    V = np.prod(box[1] - box[0])
    np.testing.assert_allclose(gm.noise_box_, box)
    assert gm.noise_volume_ == pytest.approx(V, rel=1e-12)
    dens = sum(w * multivariate_normal(m, c).pdf(X)
               for w, m, c in zip(gm.weights_, gm.means_, gm.covariances_))
    np.testing.assert_allclose(gm.score_samples(X), np.log(dens + gm.noise_weight_ / V),
                               rtol=1e-10)
    assert gm.weights_.sum() + gm.noise_weight_ == pytest.approx(1.0, abs=1e-12)
    # far from every cluster, outside the box too, a row is noise (constant 1 / V)
    assert gm.predict([[1e3, 1e3]]).tolist() == [-1]
    assert gm.fit_predict(X).tolist() == gm.predict(X).tolist()


def test_summary_names_the_noise(fitted, two_d):
    text = fitted.summary(two_d[0])
    assert f"noise component: weight {fitted.noise_weight_:.4f}" in text
    assert "noise component" not in GaussianMixture(2, random_state=0).fit(two_d[0]).summary()


def test_parameter_count_and_bic(fitted, two_d):
    X = two_d[0]
    plain = GaussianMixture.from_parameters(fitted.weights_ / fitted.weights_.sum(),
                                            fitted.means_, fitted.covariances_)
    assert fitted.n_parameters() == plain.n_parameters() + 1
    n = X.shape[0]
    assert fitted.bic(X) == pytest.approx(-2 * fitted.score(X) * n
                                          + fitted.n_parameters() * np.log(n), rel=1e-12)


def test_sample_draws_noise_rows_from_the_box(fitted):
    X, y = fitted.sample(20000, random_state=0)
    share = np.mean(y == -1)
    sd = np.sqrt(fitted.noise_weight_ * (1 - fitted.noise_weight_) / 20000)
    assert abs(share - fitted.noise_weight_) < 4 * sd
    lo, hi = fitted.noise_box_
    noise = X[y == -1]
    assert ((noise >= lo) & (noise <= hi)).all()
    np.testing.assert_allclose(noise.mean(axis=0), (lo + hi) / 2, atol=0.05 * (hi - lo).max())
    for k in range(3):
        np.testing.assert_allclose(X[y == k].mean(axis=0), fitted.means_[k], atol=0.15)


def test_user_noise_volume(two_d):
    X = two_d[0]
    gm = GaussianMixture(3, noise=True, noise_volume=1e4, random_state=0).fit(X)
    assert gm.noise_volume_ == 1e4
    dens = sum(w * multivariate_normal(m, c).pdf(X[:5])
               for w, m, c in zip(gm.weights_, gm.means_, gm.covariances_))
    np.testing.assert_allclose(gm.score_samples(X[:5]), np.log(dens + gm.noise_weight_ / 1e4))


# ---------------------------------------------------------------- persistence, frames, select
def test_save_load_roundtrip(fitted, two_d, tmp_path):
    X = two_d[0]
    path = tmp_path / "noise.gmm.json"
    fitted.save(path)
    back = load(path)
    assert back.noise and back.noise_weight_ == fitted.noise_weight_
    np.testing.assert_array_equal(back.noise_box_, fitted.noise_box_)
    np.testing.assert_array_equal(back.predict_proba(X), fitted.predict_proba(X))
    np.testing.assert_array_equal(back.predict(X), fitted.predict(X))
    doc = json.loads(path.read_text())
    doc["noise_"]["weight"] = 0.5
    path.write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="weights_"):
        load(path)
    doc["noise_"]["weight"] = fitted.noise_weight_
    doc["noise_"]["box"]["data"][0] = doc["noise_"]["box"]["data"][2] + 1.0
    path.write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="noise_.box"):
        load(path)
    del doc["noise_"]
    path.write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="weights_"):  # they sum to 1 - pi_0, not 1
        load(path)


def test_wide_data_box_beyond_a_float_fits_and_saves_as_strict_json(tmp_path):
    """200 columns of spread 100: the box's volume overflows a float. The fit gave an
    overflow warning and its file held "Infinity", which load (and strict JSON
    parsers) refused; now the volume is null there, the box's own."""
    X = np.random.default_rng(0).normal(size=(40, 200)) * 100
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        gm = GaussianMixture(2, covariance_type="diag", noise=True, random_state=0).fit(X)
    assert gm.noise_volume_ == np.inf
    expected = np.log(gm.noise_box_[1] - gm.noise_box_[0]).sum()
    assert np.isfinite(gm.score_samples(X)).all()
    path = tmp_path / "wide.json"
    gm.save(path)

    def refuse(constant):
        raise ValueError(f"non-standard JSON constant {constant}")

    doc = json.loads(path.read_text(), parse_constant=refuse)
    assert doc["noise_"]["volume"] is None
    back = load(path)
    np.testing.assert_array_equal(back.score_samples(X), gm.score_samples(X))
    far = np.full((1, 200), 1e6)  # only the noise explains it: log(pi_0) - log V
    assert back.score_samples(far)[0] == pytest.approx(np.log(gm.noise_weight_) - expected)
    doc["noise_"]["box"]["data"][0] = doc["noise_"]["box"]["data"][200]  # zero width
    path.write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="noise_.volume"):
        load(path)


def test_files_of_fits_without_noise_are_unchanged(two_d, tmp_path):
    gm = GaussianMixture(2, random_state=0).fit(two_d[0][:200])
    gm.save(tmp_path / "m.json")
    doc = json.loads((tmp_path / "m.json").read_text())
    assert "noise_" not in doc and "noise" not in doc["params"]
    assert not hasattr(load(tmp_path / "m.json"), "noise_weight_")


def test_dataframe_keeps_column_names(two_d):
    X = pd.DataFrame(two_d[0], columns=["a", "b"])
    gm = GaussianMixture(3, noise=True, random_state=0).fit(X)
    assert list(gm.feature_names_in_) == ["a", "b"]
    assert gm.predict(X).tolist() == gm.predict(X.to_numpy()).tolist()
    with pytest.raises(ValueError, match="feature names"):
        gm.predict(X.rename(columns={"a": "z"}))


def test_refit_without_noise_drops_its_attributes(two_d):
    gm = GaussianMixture(3, noise=True, random_state=0).fit(two_d[0])
    gm.set_params(noise=False).fit(two_d[0])
    assert not hasattr(gm, "noise_weight_") and gm.predict_proba(two_d[0]).shape[1] == 3
    np.testing.assert_allclose(gm.weights_.sum(), 1.0)


def test_select_counts_the_noise_weight(two_d):
    X = two_d[0][::3]
    res = select(X, n_components=[2, 3], covariance_types=["VVV", "EII"], noise=True,
                 random_state=0)
    row = res.table_.dropna(subset=["bic"]).iloc[0]
    gm = GaussianMixture(int(row.n_components), covariance_type=row.covariance_type,
                         noise=True, random_state=0).fit(X)
    assert row.n_parameters == gm.n_parameters()
    assert res.best_.noise and res.best_.n_components == 3


# ---------------------------------------------------------------- errors
@pytest.mark.parametrize("kwargs, match", [
    (dict(noise="yes"), "noise must be True or False"),
    (dict(noise=False, noise_volume=3.0), "set noise=True"),
    (dict(noise=True, noise_volume=0.0), "noise_volume must be > 0"),
])
def test_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        GaussianMixture(**kwargs).fit(np.random.default_rng(0).normal(size=(20, 2)))


def test_from_parameters_has_no_noise():
    with pytest.raises(ValueError, match="fit with noise=True"):
        GaussianMixture.from_parameters([1.0], [[0.0]], [1.0], "spherical", noise=True)


def test_constant_column_needs_a_volume():
    X = np.column_stack([np.random.default_rng(0).normal(size=30), np.ones(30)])
    with pytest.raises(ValueError, match="column 1 is constant.*noise_volume"):
        GaussianMixture(noise=True).fit(X)
    gm = GaussianMixture(noise=True, noise_volume=10.0, random_state=0).fit(X)
    assert np.isfinite(gm.score(X))


# ---------------------------------------------------------------- engine properties
def test_chunks_threads_and_float32_agree(two_d):
    X = two_d[0]
    ref = GaussianMixture(3, noise=True, random_state=0).fit(X)
    chunked = GaussianMixture(3, noise=True, chunk_size=97, n_jobs=2, random_state=0).fit(X)
    assert chunked.lower_bound_ == pytest.approx(ref.lower_bound_, rel=1e-12)
    np.testing.assert_allclose(chunked.means_, ref.means_, atol=1e-10)
    single = GaussianMixture(3, noise=True, random_state=0).fit(X.astype(np.float32))
    assert single.means_.dtype == np.float32
    assert single.noise_weight_ == pytest.approx(ref.noise_weight_, abs=1e-4)
    np.testing.assert_allclose(single.means_, ref.means_, atol=1e-3)


def test_integer_weights_fit_as_copies(two_d):
    X = two_d[0][::2]
    w = np.random.default_rng(0).integers(1, 4, X.shape[0])
    a = GaussianMixture(3, noise=True, random_state=0).fit(X, sample_weight=w)
    b = GaussianMixture(3, noise=True, random_state=0).fit(np.repeat(X, w, axis=0))
    assert a.noise_weight_ == pytest.approx(b.noise_weight_, rel=1e-6)
    order_a, order_b = np.argsort(a.means_[:, 0]), np.argsort(b.means_[:, 0])
    np.testing.assert_allclose(a.means_[order_a], b.means_[order_b], atol=1e-6)


def test_warm_start_continues_with_its_noise_weight(two_d):
    gm = GaussianMixture(3, noise=True, warm_start=True, random_state=0).fit(two_d[0])
    first = gm.lower_bound_
    gm.fit(two_d[0])
    assert gm.n_iter_ <= 2 and gm.lower_bound_ >= first - 1e-9
