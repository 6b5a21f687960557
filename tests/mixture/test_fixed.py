"""GaussianMixture(fixed=...): held parameters stay at their initial values, the
others get their M-step given them, and the log-likelihood never decreases."""

import warnings

import numpy as np
import pytest
from scipy.stats import multivariate_normal

import gaussmix
from gaussmix import GaussianMixture
from gaussmix.covariance import MCLUST_MODELS, get_structure

TRUE_MEANS = np.array([[-2.0, 0.0], [2.5, 1.0]])
TRUE_COV = np.array([[[1.0, 0.3], [0.3, 0.5]], [[0.6, -0.2], [-0.2, 1.2]]])


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.multivariate_normal(TRUE_MEANS[0], TRUE_COV[0], 400),
                   rng.multivariate_normal(TRUE_MEANS[1], TRUE_COV[1], 200)])
    return X, np.repeat([0, 1], [400, 200])


def _fit(X, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tol=0 runs to max_iter, and says so
        return GaussianMixture(**kwargs).fit(X)


def _init(K=2, d=2, covariance_type="full"):
    """Starting values (weights, means, precisions) in the type's shape."""
    structure = get_structure(covariance_type)
    cov = structure.from_full(np.repeat(np.eye(d)[None] * 1.5, K, axis=0), np.full(K, 1 / K))
    prec = structure.precisions(structure.precision_cholesky(cov)[0])
    return dict(weights_init=np.full(K, 1 / K), means_init=TRUE_MEANS[:K] + 0.3,
                precisions_init=prec)


@pytest.mark.parametrize("fixed", [("weights",), ("means",), ("covariances",),
                                   ("weights", "means"), ("means", "covariances")])
def test_held_parameters_stay_and_the_objective_never_decreases(data, fixed):
    X, _ = data
    init = _init()
    gm = _fit(X, n_components=2, fixed=fixed, tol=0.0, max_iter=40, **init)
    cov0 = np.linalg.inv(init["precisions_init"])
    held = {"weights": (gm.weights_, init["weights_init"]),
            "means": (gm.means_, init["means_init"]), "covariances": (gm.covariances_, cov0)}
    for name in fixed:
        np.testing.assert_allclose(*held[name], rtol=1e-12)
    assert np.min(np.diff(gm.lower_bounds_)) > -1e-12
    free = [n for n in held if n not in fixed]
    assert any(not np.allclose(*held[n]) for n in free)  # the others were fitted


@pytest.mark.parametrize("covariance_type", MCLUST_MODELS)
def test_fixed_means_monotone_for_every_model(data, covariance_type):
    X, _ = data
    gm = _fit(X, n_components=2, covariance_type=covariance_type, fixed=("means",),
              tol=0.0, max_iter=15, **_init(covariance_type=covariance_type))
    np.testing.assert_allclose(gm.means_, TRUE_MEANS + 0.3)
    assert np.min(np.diff(gm.lower_bounds_)) > -1e-10 * abs(gm.lower_bounds_[-1])


def _expected_covariances(covariance_type, scatters, masses):
    """The ML covariances of the four kernels' types from the per-component scatters
    S_k (about the fixed means, divided by the masses n_k): S_k; sum_k n_k S_k / n;
    diag(S_k); trace(S_k) / d."""
    return {"full": scatters,
            "tied": np.einsum("k,kij->ij", masses, scatters) / masses.sum(),
            "diag": np.diagonal(scatters, axis1=1, axis2=2),
            "spherical": np.trace(scatters, axis1=1, axis2=2) / scatters.shape[1],
            }[covariance_type]


@pytest.mark.parametrize("covariance_type", ["full", "tied", "diag", "spherical"])
def test_fixed_true_means_give_the_scatter_about_them(data, covariance_type):
    """One M-step from the truth with the true means fixed: each covariance comes
    from the responsibility-weighted scatter about the true mean, not about the
    weighted sample mean (one case per E-step kernel: full, shared, diagonal,
    isotropic)."""
    X, _ = data
    structure = get_structure(covariance_type)
    start_cov = structure.from_full(TRUE_COV, np.array([2 / 3, 1 / 3]))
    prec = structure.precisions(structure.precision_cholesky(start_cov)[0])
    gm = _fit(X, n_components=2, covariance_type=covariance_type, fixed=("means",),
              reg_covar=0.0, max_iter=1, weights_init=[2 / 3, 1 / 3], means_init=TRUE_MEANS,
              precisions_init=prec)
    # responsibilities of the start, from scipy's densities
    dens = np.column_stack([w * multivariate_normal(m, c).pdf(X) for w, m, c in
                            zip([2 / 3, 1 / 3], TRUE_MEANS, structure.to_full(start_cov, 2, 2))])
    resp = dens / dens.sum(axis=1, keepdims=True)
    masses = resp.sum(axis=0)
    scatters = np.stack([(resp[:, k, None] * (X - TRUE_MEANS[k])).T @ (X - TRUE_MEANS[k])
                         / masses[k] for k in range(2)])
    expected = _expected_covariances(covariance_type, scatters, masses)
    np.testing.assert_allclose(gm.covariances_, expected, rtol=1e-10)
    sample_means = (resp.T @ X) / masses[:, None]
    assert np.abs(sample_means - TRUE_MEANS).max() > 1e-3  # so the test can tell
    np.testing.assert_allclose(gm.means_, TRUE_MEANS)


def test_fixed_covariances_and_weights_fit_the_weighted_means(data):
    """Given the covariances and weights, the M-step's means are the responsibility-
    weighted sample means (the maximiser for any covariance); checked against
    responsibilities from scipy's densities."""
    X, _ = data
    init = _init()
    gm = _fit(X, n_components=2, fixed=("weights", "covariances"), max_iter=1,
              reg_covar=0.0, **init)
    cov = np.linalg.inv(init["precisions_init"])
    dens = np.column_stack([w * multivariate_normal(m, c).pdf(X)
                            for w, m, c in zip(init["weights_init"], init["means_init"], cov)])
    resp = dens / dens.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(gm.means_, (resp.T @ X) / resp.sum(axis=0)[:, None],
                               rtol=1e-10)


def test_everything_fixed_changes_nothing(data):
    X, _ = data
    init = _init()
    gm = _fit(X, n_components=2, fixed=("weights", "means", "covariances"), **init)
    start = GaussianMixture.from_parameters(init["weights_init"], init["means_init"],
                                            np.linalg.inv(init["precisions_init"]))
    np.testing.assert_allclose(gm.weights_, start.weights_)
    np.testing.assert_allclose(gm.means_, start.means_)
    np.testing.assert_allclose(gm.covariances_, start.covariances_, rtol=1e-12)
    assert gm.converged_ and np.ptp(gm.lower_bounds_) == 0.0
    assert gm.score(X) == pytest.approx(start.score(X), rel=1e-12)


def test_fixed_weights_with_one_component_is_the_plain_fit(data):
    X, _ = data
    plain = GaussianMixture(1).fit(X)
    held = GaussianMixture(1, weights_init=[1.0], fixed=["weights"]).fit(X)
    np.testing.assert_allclose(held.means_, plain.means_, rtol=1e-12)
    np.testing.assert_allclose(held.covariances_, plain.covariances_, rtol=1e-10)


def test_no_fixed_is_unchanged(data):
    X, _ = data
    a = GaussianMixture(2, random_state=0).fit(X)
    b = GaussianMixture(2, random_state=0, fixed=None).fit(X)
    c = GaussianMixture(2, random_state=0, fixed=()).fit(X)
    for other in (b, c):
        np.testing.assert_array_equal(a.means_, other.means_)
        np.testing.assert_array_equal(a.covariances_, other.covariances_)
        assert a.lower_bounds_ == other.lower_bounds_


@pytest.mark.parametrize("kwargs, match", [
    (dict(fixed=("means",)), "means_init is None; pass means_init"),
    (dict(fixed=("weights", "covariances")), "weights_init, precisions_init is None"),
    (dict(fixed=("mean",), means_init=TRUE_MEANS), "unknown parameter.*'weights', 'means'"),
    (dict(fixed=3), "fixed must be None or a list"),
    (dict(fixed=("means",), means_init=TRUE_MEANS, prior="mclust"), "maximum likelihood"),
    (dict(fixed=("means",), means_init=TRUE_MEANS, noise=True), "noise=True"),
])
def test_bad_fixed_says_what_to_do(data, kwargs, match):
    X, _ = data
    with pytest.raises(ValueError, match=match):
        GaussianMixture(2, **kwargs).fit(X)


def test_fixed_is_saved_and_loaded(data, tmp_path):
    X, _ = data
    gm = GaussianMixture(2, means_init=TRUE_MEANS, fixed=("means",)).fit(X)
    gm.save(tmp_path / "m.json")
    back = gaussmix.load(tmp_path / "m.json")
    assert back.fixed == ("means",)
    np.testing.assert_array_equal(back.means_, gm.means_)
    refit = back.fit(X)
    np.testing.assert_allclose(refit.means_, TRUE_MEANS)
    plain = GaussianMixture(2, random_state=0).fit(X)
    plain.save(tmp_path / "p.json")
    assert "fixed" not in (tmp_path / "p.json").read_text()
