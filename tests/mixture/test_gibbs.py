"""GibbsGaussianMixture: calibration (simulation-based), agreement with the MAP fit,
relabelling, reproducibility, the predictive and the errors."""

import numpy as np
import pytest
from scipy import stats

from gaussmix import BayesianGaussianMixture, ConjugatePrior, GaussianMixture, \
    GibbsGaussianMixture
from gaussmix.mixture import gibbs_sampler
from gaussmix.mixture.gibbs_sampler import NonFiniteDrawError, relabel


def _three_blobs(n, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[-6.0, 0.0], [0.0, 6.0], [6.0, 0.0]])
    z = rng.choice(3, size=n, p=[0.5, 0.3, 0.2])
    return centres[z] + rng.normal(size=(n, 2)) * [1.0, 0.6], z


# ---------------------------------------------------------- simulation-based calibration
SBC_PRIOR = ConjugatePrior(shrinkage=0.2, mean=[0.0], dof=3.0, scale=1.0)
SBC_RANKS = 19  # thinned draws per replication: ranks 0..19, five bins of four


def _invariant(w, m, s, x0=0.3):
    """Label-invariant functions of parameters (S, K, ...): the smaller and the larger
    mean, the weight and log variance of the component with the smaller mean, and the
    log density at ``x0``."""
    rows = np.arange(w.shape[0])[:, None]
    order = np.argsort(m[..., 0], axis=1)
    m0 = m[rows, order][..., 0]
    dens = sum(w[:, k] * stats.norm.pdf(x0, m[:, k, 0], np.sqrt(s[:, k, 0, 0]))
               for k in range(w.shape[1]))
    return np.column_stack([m0[:, 0], m0[:, 1], w[rows, order][:, 0],
                            np.log(s[rows, order][:, 0, 0, 0]), np.log(dens)])


def _sbc_pvalues(n_reps=100, n=20, K=2, seed=12345):
    """Talts et al. (2018): parameters from the prior (scipy's inverse Wishart, not the
    sampler's), data from them, the rank of each true value among the thinned draws;
    chi-square p-value of the binned ranks per function."""
    rng = np.random.default_rng(seed)
    ranks = []
    for r in range(n_reps):
        w = rng.dirichlet(np.ones(K))
        cov = stats.invwishart(df=SBC_PRIOR.dof, scale=1.0).rvs(size=K, random_state=rng)
        cov = np.reshape(cov, (K, 1, 1))
        mu = rng.normal(0.0, np.sqrt(cov[:, 0, 0] / SBC_PRIOR.shrinkage))[:, None]
        z = rng.choice(K, size=n, p=w)
        X = rng.normal(mu[z, 0], np.sqrt(cov[z, 0, 0]))[:, None]
        g = GibbsGaussianMixture(K, prior=SBC_PRIOR, n_chains=1, n_draws=SBC_RANKS, thin=5,
                                 n_warmup=100, random_state=r, n_jobs=1).fit(X)
        f = _invariant(g.draws_["weights"][0], g.draws_["means"][0],
                       g.draws_["covariances"][0])
        ranks.append((f < _invariant(w[None], mu[None], cov[None])[0]).sum(axis=0))
    binned = np.array(ranks) // ((SBC_RANKS + 1) // 5)
    return np.array([stats.chisquare(np.bincount(b, minlength=5)).pvalue
                     for b in binned.T])


def test_simulation_based_calibration_ranks_are_uniform():
    # 100 replications, 5 bins: chi-square p-values were 0.64, 0.34, 0.57, 0.37, 0.26;
    # the level 0.001 per function is lenient, yet a posterior scale 1.5 times too
    # wide fails it (next test)
    p = _sbc_pvalues()
    assert p.min() > 1e-3, p


def test_simulation_based_calibration_detects_a_wrong_posterior(monkeypatch):
    right = gibbs_sampler.niw_posterior

    def wrong(stats_, prior):
        m, kappa, lam, nu = right(stats_, prior)
        return m, kappa, 1.5 * lam, nu

    monkeypatch.setattr(gibbs_sampler, "niw_posterior", wrong)
    assert _sbc_pvalues().min() < 1e-6


# ---------------------------------------------------------- agreement with the MAP fit
def test_posterior_mean_agrees_with_the_map_fit():
    X, _ = _three_blobs(3000)
    g = GibbsGaussianMixture(3, n_draws=200, n_warmup=100, random_state=0).fit(X)
    gm = GaussianMixture(3, prior="mclust", random_state=0).fit(X)
    order = [int(np.argmin(((gm.means_ - m) ** 2).sum(axis=1))) for m in g.means_]
    assert sorted(order) == [0, 1, 2]
    sd_means = g.draws_["means"].std(axis=(0, 1))
    sd_w = g.draws_["weights"].std(axis=(0, 1))
    sd_cov = g.draws_["covariances"].std(axis=(0, 1))
    # within three posterior standard deviations (they differ by O(1/n) at most)
    assert np.all(np.abs(g.means_ - gm.means_[order]) < 3 * sd_means)
    assert np.all(np.abs(g.weights_ - gm.weights_[order]) < 3 * sd_w)
    assert np.all(np.abs(g.covariances_ - gm.covariances_[order]) < 3 * sd_cov)
    # and the posterior sd of a mean is about sigma / sqrt(n_k)
    n_k = 3000 * g.weights_
    np.testing.assert_allclose(sd_means[:, 0], 1.0 / np.sqrt(n_k), rtol=0.25)


def test_posterior_mean_agrees_with_the_variational_posterior():
    # well-separated, many rows: the factorised variational posterior is close to the
    # exact one, so both posterior means agree within a few posterior sds
    X, _ = _three_blobs(3000, seed=2)
    g = GibbsGaussianMixture(3, n_draws=200, n_warmup=100, random_state=0).fit(X)
    vb = BayesianGaussianMixture(
        n_components=3, weight_concentration_prior_type="dirichlet_distribution",
        random_state=0).fit(X)
    order = [int(np.argmin(((vb.means_ - m) ** 2).sum(axis=1))) for m in g.means_]
    assert sorted(order) == [0, 1, 2]
    sd_means = g.draws_["means"].std(axis=(0, 1))
    sd_w = g.draws_["weights"].std(axis=(0, 1))
    assert np.all(np.abs(g.means_ - vb.means_[order]) < 3 * sd_means)
    assert np.all(np.abs(g.weights_ - vb.weights_[order]) < 3 * sd_w)
    # the variational sds: Dirichlet(alpha_k) weights; Student-t means, covariance
    # W^-1 / (beta_k (nu_k - d - 1)) with W^-1 = nu_k covariances_
    alpha = vb.weight_concentration_[order]
    a0 = alpha.sum()
    vb_sd_w = np.sqrt(alpha * (a0 - alpha) / (a0**2 * (a0 + 1)))
    nu, beta = vb.degrees_of_freedom_[order], vb.mean_precision_[order]
    cov_mean = vb.covariances_[order] * (nu / (beta * (nu - 2 - 1)))[:, None, None]
    vb_sd_means = np.sqrt(np.diagonal(cov_mean, axis1=1, axis2=2))
    np.testing.assert_allclose(sd_w, vb_sd_w, rtol=0.3)
    np.testing.assert_allclose(sd_means, vb_sd_means, rtol=0.3)


# ---------------------------------------------------------- draws, relabelling
@pytest.fixture(scope="module")
def fitted():
    X, _ = _three_blobs(300, seed=1)
    return X, GibbsGaussianMixture(3, n_chains=2, n_draws=60, n_warmup=40, thin=2,
                                   random_state=3).fit(X)


def test_draws_are_finite_with_the_documented_shapes(fitted):
    X, g = fitted
    D = g.draws_
    assert D["weights"].shape == (2, 60, 3)
    assert D["means"].shape == (2, 60, 3, 2)
    assert D["covariances"].shape == (2, 60, 3, 2, 2)
    assert all(np.isfinite(v).all() for v in D.values())
    np.testing.assert_allclose(D["weights"].sum(axis=-1), 1.0)
    np.linalg.cholesky(D["covariances"])  # positive definite
    np.testing.assert_allclose(D["covariances"], np.swapaxes(D["covariances"], -1, -2))
    np.testing.assert_allclose(g.means_, D["means"].mean(axis=(0, 1)))
    assert g.weights_.shape == (3,) and g.covariances_.shape == (3, 2, 2)


def test_relabelling_makes_each_components_means_stable(fitted):
    _, g = fitted
    m = g.draws_["means"]
    sd = m.std(axis=(0, 1))
    assert np.all(np.abs(m - g.means_) < 6 * sd)


def test_relabel_undoes_random_permutations(fitted):
    _, g = fitted
    K, d = g.means_.shape
    w = g.draws_["weights"].reshape(-1, K)
    m = g.draws_["means"].reshape(-1, K, d)
    s = g.draws_["covariances"].reshape(-1, K, d, d)
    rng = np.random.default_rng(0)
    perm = np.array([rng.permutation(K) for _ in range(w.shape[0])])
    rows = np.arange(w.shape[0])[:, None]
    back = relabel(w[rows, perm], m[rows, perm], s[rows, perm], g.means_, g.covariances_)
    for a, b in zip(back, (w, m, s)):
        np.testing.assert_array_equal(a, b)


def test_relabelling_separates_switching_labels():
    # overlapping components: raw Gibbs chains switch labels; relabelled draws keep
    # component order
    rng = np.random.default_rng(4)
    X = np.concatenate([rng.normal(0.0, 1.0, 60), rng.normal(3.0, 1.0, 60)])[:, None]
    g = GibbsGaussianMixture(2, n_chains=2, n_draws=150, n_warmup=50,
                             random_state=0).fit(X)
    m = g.draws_["means"][..., 0]
    lo = int(np.argmin(g.means_[:, 0]))
    assert np.mean(m[..., lo] < m[..., 1 - lo]) > 0.95


def test_random_state_reproduces_the_draws_whatever_the_threads():
    X, _ = _three_blobs(200, seed=2)
    kw = dict(n_draws=20, n_warmup=10, random_state=7)
    a = GibbsGaussianMixture(3, n_jobs=1, **kw).fit(X).draws_
    b = GibbsGaussianMixture(3, n_jobs=2, **kw).fit(X).draws_
    c = GibbsGaussianMixture(3, n_jobs=1, **{**kw, "random_state": 8}).fit(X).draws_
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    assert not np.array_equal(a["means"], c["means"])
    assert not np.array_equal(a["means"][0], a["means"][1])  # chains differ


def test_a_non_finite_draw_raises_with_chain_and_draw(monkeypatch):
    X, _ = _three_blobs(100)
    calls = []

    def nan_weights(rng, nk, alpha):
        calls.append(1)
        return np.full(nk.shape, np.nan) if len(calls) == 8 else nk / nk.sum()

    monkeypatch.setattr(gibbs_sampler, "draw_weights", nan_weights)
    g = GibbsGaussianMixture(3, n_chains=1, n_draws=10, n_warmup=5, random_state=0)
    with pytest.raises(NonFiniteDrawError, match="chain 0, draw 2"):
        g.fit(X)
    assert not hasattr(g, "draws_")


# ---------------------------------------------------------- predictive, summary
def test_predictive_and_plug_in_densities_and_responsibilities(fitted):
    X, g = fitted
    pred = g.predictive_score_samples(X[:50])
    plug = g.score_samples(X[:50])
    assert np.all(np.isfinite(pred))
    np.testing.assert_allclose(pred, plug, atol=0.1)
    resp = g.predict_proba(X[:50])
    np.testing.assert_allclose(resp.sum(axis=1), 1.0)
    assert np.array_equal(g.predict(X[:50]), resp.argmax(axis=1))


def test_sample_from_the_posterior_predictive(fitted):
    X, g = fitted
    a, ya = g.sample(2000, random_state=0)
    b, _ = g.sample(2000, random_state=0)
    assert a.shape == (2000, 2) and ya.shape == (2000,)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(a.mean(axis=0), X.mean(axis=0), atol=0.5)
    np.testing.assert_allclose(np.bincount(ya, minlength=3) / 2000, g.weights_, atol=0.05)


def test_summary_and_to_arviz(fitted):
    pytest.importorskip("arviz")
    _, g = fitted
    idata = g.to_arviz()
    assert idata.posterior["means"].shape == (2, 60, 3, 2)
    table = g.summary()
    assert table.shape[0] == 3 + 3 * 2 + 3 * 2 * 2
    import arviz
    interval = ({"hdi94_lb", "hdi94_ub"} if int(arviz.__version__.split(".")[0]) >= 1
                else {"hdi_3%", "hdi_97%"})
    assert {"mean", "sd", "ess_bulk", "r_hat"} | interval <= set(table.columns)
    assert "means[1, 0]" in table.index
    np.testing.assert_allclose(table.loc["means[1, 0]", "mean"], g.means_[1, 0], atol=1e-3)
    assert (table["r_hat"] < 1.1).all()


class _ArviZ1Calls:
    """Records the calls made to ArviZ 1.x (not on the package registry yet)."""

    __version__ = "1.2.0"

    def __init__(self):
        self.calls = []

    def from_dict(self, *args, **kwargs):
        self.calls.append(("from_dict", args, kwargs))
        return "tree"

    def summary(self, *args, **kwargs):
        self.calls.append(("summary", args, kwargs))


def test_arviz_1_calls_use_its_api(fitted, monkeypatch):
    from gaussmix.mixture import gibbs
    _, g = fitted
    fake = _ArviZ1Calls()
    monkeypatch.setattr(gibbs, "_arviz", lambda: fake)
    assert g.to_arviz() == "tree"
    g.summary()
    (_, args, kwargs), _, (_, sargs, skwargs) = fake.calls
    # 1.x: the groups as the first argument, the 0.x 94% HDI asked for by name
    assert set(args[0]) == {"posterior"}
    np.testing.assert_array_equal(args[0]["posterior"]["means"], g.draws_["means"])
    assert kwargs["dims"]["means"] == ["component", "feature"]
    assert sargs == ("tree",) and skwargs == {"ci_kind": "hdi", "ci_prob": 0.94}


# ---------------------------------------------------------- errors
@pytest.mark.parametrize("kwargs, match", [
    ({"covariance_type": "diag"}, "only 'full' is supported"),
    ({"covariance_type": "EEE"}, "only 'full' is supported"),
    ({"n_chains": 0}, "n_chains"),
    ({"n_draws": 0}, "n_draws"),
    ({"thin": 0}, "thin"),
    ({"n_warmup": -1}, "n_warmup"),
    ({"weight_concentration": 0.0}, "weight_concentration"),
    ({"prior": "flat"}, "prior='flat' is not supported"),
    ({"prior": None}, "prior=None is not supported"),
    ({"prior": ConjugatePrior(shrinkage=0.0, mean=[0.0, 0.0], dof=4, scale=1.0)},
     "shrinkage"),
])
def test_bad_parameters_raise(kwargs, match):
    X, _ = _three_blobs(50)
    with pytest.raises(ValueError, match=match):
        GibbsGaussianMixture(2, **kwargs).fit(X)


def test_a_prior_of_another_width_raises():
    X, _ = _three_blobs(50)
    prior = ConjugatePrior(shrinkage=0.1, mean=[0.0], dof=3, scale=1.0)
    with pytest.raises(ValueError, match="column"):
        GibbsGaussianMixture(2, prior=prior).fit(X)


def test_save_is_not_available(fitted, tmp_path):
    with pytest.raises(NotImplementedError):
        fitted[1].save(tmp_path / "m.json")
