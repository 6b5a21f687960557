"""MAP estimation with conjugate priors: hyper-parameter checks, the MAP M-step
against direct computations, the monotone log posterior, the limit of much data,
degenerate data without re-seeding, and save/load."""

import json
import warnings

import numpy as np
import pytest

import gaussmix
from gaussmix import ConjugatePrior, GaussianMixture
from gaussmix.covariance import COVARIANCE_TYPES, UNIVARIATE_TYPES, get_structure
from gaussmix.covariance.prior import mclust_default
from gaussmix.engine import m_step, map_step, stats_from_resp

ALL_TYPES = COVARIANCE_TYPES + UNIVARIATE_TYPES


def blobs(d=2, n=60, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[-4.0] * d, [0.0] * d, [4.0] * d])
    scales = np.linspace(0.5, 1.5, d)
    return np.vstack([c + scales * rng.standard_normal((n // 3, d)) for c in centres])


def data_for(covariance_type, seed=0):
    d = 1 if covariance_type in UNIVARIATE_TYPES else 2
    return blobs(d, seed=seed)


def soft_resp(X, K, seed=1):
    r = np.random.default_rng(seed).uniform(0.05, 1.0, (X.shape[0], K))
    return r / r.sum(axis=1, keepdims=True)


def stats_of(X, resp, structure, weight=1.0):
    w = np.full(X.shape[0], weight)
    nk = (resp * w[:, None]).sum(axis=0)
    ref = (resp * w[:, None]).T @ X / nk[:, None]
    return stats_from_resp(X, w, resp, ref, structure)


# ---------------------------------------------------------------------- hyper-parameters
@pytest.mark.parametrize("kwargs, words", [
    ({"shrinkage": -0.5}, "shrinkage"),
    ({"scale": 0.0}, "scale"),
    ({"scale": [[1.0, 2.0], [2.0, 1.0]]}, "positive-definite"),
    ({"weight_concentration": 0.0}, "weight_concentration"),
    ({"dof": -1.0}, "dof"),
])
def test_invalid_hyper_parameters_name_the_parameter(kwargs, words):
    args = {"shrinkage": 0.01, "mean": [0.0, 0.0], "dof": 4.0, "scale": 1.0, **kwargs}
    with pytest.raises(ValueError, match=words):
        ConjugatePrior(**args)


@pytest.mark.parametrize("kwargs, words", [
    ({"mean": [0.0, 0.0, 0.0]}, "prior mean has 3 value"),
    ({"dof": 1.0}, r"dof=1 must be > n_features - 1 = 1"),
    ({"scale": np.eye(3)}, r"must be \(2, 2\)"),
])
def test_prior_must_fit_the_data(kwargs, words):
    args = {"shrinkage": 0.01, "mean": [0.0, 0.0], "dof": 4.0, "scale": 1.0, **kwargs}
    gm = GaussianMixture(2, prior=ConjugatePrior(**args))
    with pytest.raises(ValueError, match=words):
        gm.fit(blobs())


def test_unknown_prior_is_refused():
    with pytest.raises(ValueError, match="prior='flat' is not supported"):
        GaussianMixture(2, prior="flat").fit(blobs())


def test_mclust_default_prior_is_mclusts():
    """defaultPrior: column means, dof d + 2, var(X) / G^(2/d) (ellipsoidal), the
    mean column variance / G^(2/d) (spherical, diagonal), var / G^2 in 1-D."""
    X = blobs()
    var = np.cov(X.T)
    p = mclust_default(X, 3, "matrix")
    assert p.shrinkage == 0.01 and p.dof == 4.0
    np.testing.assert_allclose(p.mean, X.mean(axis=0))
    np.testing.assert_allclose(p.scale, var / 3.0)
    assert float(mclust_default(X, 3, "diagonal").scale) == pytest.approx(np.trace(var) / 6)
    x = X[:, :1]
    p1 = mclust_default(x, 3, "spherical")
    assert p1.dof == 3.0 and float(p1.scale) == pytest.approx(x.var(ddof=1) / 9)


# ---------------------------------------------------------------------- the MAP M-step
def direct_mode(X, resp, prior, kind):
    """Posterior modes (K, d, d) computed from the rows (Fraley and Raftery 2007,
    table 2; mclust's ``me*p`` where it differs)."""
    nk = resp.sum(axis=0)
    K, d = resp.shape[1], X.shape[1]
    xbar = resp.T @ X / nk[:, None]
    kappa, nu, lam = prior.shrinkage, prior.dof, np.asarray(prior.scale)
    dev = xbar - prior.mean
    B = np.stack([(resp[:, k, None] * (X - xbar[k])).T @ (X - xbar[k])
                  + kappa * nk[k] / (kappa + nk[k]) * np.outer(dev[k], dev[k])
                  for k in range(K)])
    eye = np.broadcast_to(np.eye(d), (K, d, d))
    diag = np.diagonal(B, axis1=1, axis2=2)
    if kind == "VVV":
        return (lam + B) / (nk + nu + d + 2)[:, None, None]
    if kind == "EEE":
        return np.broadcast_to((lam + B.sum(axis=0)) / (nk.sum() + nu + d + 1 + K), B.shape)
    if kind == "VVI":
        return eye * ((lam + diag) / (nk + nu + 3)[:, None])[:, None, :]
    if kind == "VII":
        return eye * ((lam + diag.sum(axis=1)) / (nu + (nk + 1) * d + 2))[:, None, None]
    if kind == "EII":  # mclust's meeiip: no scale
        return eye * diag.sum() / (nu + (nk.sum() + K) * d + 2)
    if kind == "EEI":  # mclust's meeeip: nu + 2 once
        return eye * ((lam + diag.sum(axis=0)) / (nk.sum() + nu + 2))[None, None, :]
    if kind == "E":
        return eye * (lam + diag.sum()) / (nk.sum() + nu + K + 2)
    raise ValueError(kind)


@pytest.mark.parametrize("kind, name", [("VVV", "full"), ("EEE", "tied"), ("VVI", "diag"),
                                        ("VII", "spherical"), ("EII", "EII"),
                                        ("EEI", "EEI"), ("VII", "V"), ("E", "E")])
def test_map_step_equals_direct_computation(kind, name):
    s = get_structure(name)
    X = data_for(name)
    resp = soft_resp(X, 3)
    scale = np.cov(X.T) / 3 if s.prior_form == "matrix" else 0.7
    prior = ConjugatePrior(0.3, X.mean(axis=0) + 0.5, X.shape[1] + 2, scale)
    _, means, cov = map_step(stats_of(X, resp, s), s, prior)
    got = s.to_full(cov, 3, X.shape[1])
    np.testing.assert_allclose(got, direct_mode(X, resp, prior, kind), rtol=1e-10)
    nk = resp.sum(axis=0)
    np.testing.assert_allclose(means, (resp.T @ X + 0.3 * prior.mean) / (nk + 0.3)[:, None])


@pytest.mark.parametrize("covariance_type", ALL_TYPES)
def test_map_step_tends_to_maximum_likelihood_with_much_data(covariance_type):
    """The prior is worth a fixed number of rows: with every row counted m times the
    MAP M-step approaches the maximum-likelihood one, its distance falling as 1 / m."""
    s = get_structure(covariance_type)
    X = data_for(covariance_type)
    resp = soft_resp(X, 3)
    prior = mclust_default(X, 3, s.prior_form)
    gaps = []
    for m in (1e2, 1e4):
        stats = stats_of(X, resp, s, weight=m)
        start = s.m_step_start(m_step(stats, s, 0.0)[3])
        ml = m_step(stats, s, 0.0, start)[3]
        _, _, cov = map_step(stats, s, prior, start)
        gaps.append(np.abs(cov - ml).max() / np.abs(ml).max())
    assert gaps[1] < 2e-3 and gaps[1] < gaps[0] / 30


# ---------------------------------------------------------------------- EM
@pytest.mark.parametrize("covariance_type", ALL_TYPES)
def test_log_posterior_never_decreases(covariance_type):
    X = data_for(covariance_type, seed=3)
    gm = GaussianMixture(3, covariance_type=covariance_type, prior="mclust", tol=0.0,
                         max_iter=60, init_params="random", random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gm.fit(X)
    lb = np.asarray(gm.lower_bounds_)
    assert np.all(np.diff(lb) >= -1e-12 * np.abs(lb[1:])), np.diff(lb).min()
    assert gm.lower_bound_ == lb[-1]
    s = get_structure(covariance_type)
    log_prior = s.log_prior(gm.weights_, gm.means_, gm.covariances_, gm.prior_)
    assert gm.lower_bound_ == pytest.approx(gm.score(X) + log_prior / X.shape[0], rel=1e-10)


@pytest.mark.parametrize("covariance_type", ALL_TYPES)
def test_collapsing_data_fit_without_reseeding(covariance_type):
    """Maximum likelihood collapses here (more components than distinct rows,
    duplicated rows); the posterior mode stays finite and positive definite."""
    d = 1 if covariance_type in UNIVARIATE_TYPES else 2
    X = np.repeat(np.arange(3 * d, dtype=float).reshape(3, d) ** 1.5, 10, axis=0)
    gm = GaussianMixture(5, covariance_type=covariance_type, prior="mclust", random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", gaussmix.DegenerateComponentWarning)
        gm.fit(X)
    assert gm.n_resets_ == 0
    full = get_structure(covariance_type).to_full(gm.covariances_, 5, d)
    assert np.all(np.isfinite(full)) and np.all(np.linalg.eigvalsh(full) > 0)
    assert np.isfinite(gm.score(X))


def test_weight_concentration_is_the_dirichlet_mode():
    X = blobs()
    resp = soft_resp(X, 3)
    s = get_structure("full")
    prior = ConjugatePrior(0.0, X.mean(axis=0), 4.0, np.eye(2), weight_concentration=3.0)
    weights, _, _ = map_step(stats_of(X, resp, s), s, prior)
    nk = resp.sum(axis=0)
    np.testing.assert_allclose(weights, (nk + 2.0) / (nk.sum() + 6.0))


def test_maximum_likelihood_is_unchanged_by_prior_none():
    X = blobs()
    a = GaussianMixture(3, random_state=0).fit(X)
    b = GaussianMixture(3, random_state=0, prior=None).fit(X)
    assert a.lower_bounds_ == b.lower_bounds_ and b.prior_ is None
    np.testing.assert_array_equal(a.covariances_, b.covariances_)


# ---------------------------------------------------------------------- save and load
@pytest.mark.parametrize("prior", ["mclust", "conjugate"])
def test_save_load_round_trips_the_prior(tmp_path, prior):
    X = blobs()
    if prior == "conjugate":
        prior = ConjugatePrior(0.05, [0.1, -0.2], 5.0, np.cov(X.T) / 4, 2.0)
    gm = GaussianMixture(3, covariance_type="VEV", prior=prior, random_state=0).fit(X)
    path = tmp_path / "m.json"
    gm.save(path)
    back = gaussmix.load(path)
    assert back.prior == gm.prior and back.prior_ == gm.prior_
    assert back.lower_bounds_ == gm.lower_bounds_
    assert back.score(X) == gm.score(X)


@pytest.mark.parametrize("edit, field", [
    (lambda p: p.update(shrinkage=-1.0), "shrinkage"),
    (lambda p: p.update(dof=0.5), "dof"),
    (lambda p: p["mean"].update(shape=[3], data=[0.0, 0.0, 0.0]), "prior mean has 3"),
    (lambda p: p["scale"].update(data=[1.0, 2.0, 2.0, 1.0]), "positive-definite"),
    (lambda p: p.update(weight_concentration="1"), "weight_concentration"),
    (lambda p: p.pop("dof"), "dof"),
])
def test_load_checks_every_prior_field(tmp_path, edit, field):
    X = blobs()
    prior = ConjugatePrior(0.05, [0.1, -0.2], 5.0, np.eye(2), 1.0)
    GaussianMixture(2, prior=prior, random_state=0).fit(X).save(tmp_path / "m.json")
    doc = json.loads((tmp_path / "m.json").read_text())
    edit(doc["params"]["prior"]["conjugate_prior"])
    (tmp_path / "bad.json").write_text(json.dumps(doc))
    with pytest.raises(ValueError, match=field):
        gaussmix.load(tmp_path / "bad.json")
