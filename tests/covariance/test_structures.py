"""Every covariance structure keeps its promises: shapes, counts, conversions, the
M-step from its kernel's statistics, collapse detection, re-seeding and sampling.

Each test takes the ``structure`` fixture, so it runs for every covariance type."""

import csv
from pathlib import Path

import numpy as np
import pytest
from scipy.stats import multivariate_normal

from gaussmix.covariance import DataScale
from gaussmix.covariance.linalg import collapse_tol
from gaussmix.engine import make_plan, stats_from_resp

NPAR = Path(__file__).resolve().parents[1] / "data" / "mclust" / "npar.csv"
#: Models whose M-step averages the components' scatters (pooled, per component, or
#: each along its own axes) and so keeps their variances' total; the others trade
#: volume against shape (e.g. VEI: one shape for all, volumes fitted to it).
KEEP_TRACE = {"EII", "VII", "EEI", "VVI", "EEE", "EEV", "VVE", "VVV"}


def test_parameter_count_equals_mclust(structure):
    """``n_parameters`` equals mclust's ``nMclustParams`` for d = 1..8, G = 1..20
    (in one dimension mclust names the model by its volume letter: E or V)."""
    with open(NPAR) as fh:
        table = {(int(r["d"]), int(r["G"]), r["model"]): int(r["npar"]) for r in csv.DictReader(fh)}
    for d in range(1, 9):
        name = structure.mclust_name if d > 1 else structure.mclust_name[0]
        for G in range(1, 21):
            assert structure.n_parameters(G, d) == table[(d, G, name)], (d, G, name)


@pytest.mark.parametrize("K, d", [(1, 1), (3, 2), (4, 5)])
def test_from_full_and_to_full(structure, random_full_covariances, rng, K, d):
    full = random_full_covariances(rng, K, d)
    cov = structure.from_full(full)
    assert cov.shape == structure.cov_shape(K, d)
    as_full = structure.to_full(cov, K, d)
    assert as_full.shape == (K, d, d)
    # a projection: applying it twice changes nothing
    np.testing.assert_allclose(structure.from_full(as_full), cov, rtol=1e-12)
    # the maximum-likelihood projection onto a cone of matrices (every model is one:
    # closed under a common scale factor) gives sum_k tr(Sigma_k^-1 S_k) = K d
    np.testing.assert_allclose(np.trace(np.linalg.solve(as_full, full), axis1=1,
                                        axis2=2).sum(), K * d, rtol=1e-9)
    if structure.mclust_name in KEEP_TRACE:
        # where the M-step averages scatters it keeps the variances' total
        np.testing.assert_allclose(np.trace(as_full, axis1=1, axis2=2).sum(),
                                   np.trace(full, axis1=1, axis2=2).sum(), rtol=1e-12)


def test_precision_conversions_round_trip(structure, random_full_covariances, rng):
    K, d = 3, 4
    cov = structure.from_full(random_full_covariances(rng, K, d))
    assert structure.is_valid(cov)
    prec_chol, n_fixed = structure.precision_cholesky(cov)
    assert n_fixed == 0 and prec_chol.shape == cov.shape
    np.testing.assert_allclose(structure.covariance_from_precision_cholesky(prec_chol), cov,
                               rtol=1e-10)
    prec = structure.precisions(prec_chol)
    np.testing.assert_allclose(structure.to_full(prec, K, d),
                               np.linalg.inv(structure.to_full(cov, K, d)), rtol=1e-9,
                               atol=1e-12)
    np.testing.assert_allclose(structure.covariance_from_precisions(prec), cov, rtol=1e-10)


def test_invalid_covariances_are_recognised(structure, random_full_covariances, rng):
    cov = structure.from_full(random_full_covariances(rng, 2, 3))
    assert structure.is_valid(cov)
    assert not structure.is_valid(-cov)


def test_singular_covariance_gets_a_factor_anyway(structure):
    K, d = 2, 3
    cov = structure.from_full(np.zeros((K, d, d)))
    prec_chol, n_fixed = structure.precision_cholesky(cov)
    assert n_fixed >= 1 and np.all(np.isfinite(prec_chol))


def test_m_step_equals_projection_of_weighted_scatter(structure, rng):
    """The structure's M-step from its kernel's statistics is the projection
    (``from_full``) of each component's weighted scatter matrix."""
    K, d, n = 3, 3, 400
    X = rng.normal(size=(n, d)) @ rng.normal(size=(d, d)) + 5.0
    resp = rng.dirichlet(np.ones(K), size=n)
    ref = rng.normal(size=(K, d))
    stats = stats_from_resp(X, None, resp, ref, structure)
    nk = resp.sum(axis=0)
    means = resp.T @ X / nk[:, None]
    scatter = np.stack([(resp[:, k, None] * (X - means[k])).T @ (X - means[k]) / nk[k]
                        for k in range(K)])
    got = structure.raw_covariance(stats.nk, stats.s1, stats.s2)
    np.testing.assert_allclose(got, structure.from_full(scatter, nk), rtol=1e-9)
    np.testing.assert_allclose(stats.ref + stats.s1 / stats.nk[:, None], means, rtol=1e-10)


def test_log_densities_match_scipy_in_both_modes(structure, random_params, rng):
    K, d = 3, 4
    params = random_params(structure, K, d, rng)
    X = rng.normal(scale=3.0, size=(50, d))
    full = structure.to_full(params.covariances, K, d)
    expected = np.stack([np.log(params.weights[k])
                         + multivariate_normal(params.means[k], full[k]).logpdf(X)
                         for k in range(K)])
    for mode in ("expand", "exact"):
        plan = make_plan(params, X.dtype, mode=mode)
        logp, _ = structure.kernel.log_prob(X, plan)
        np.testing.assert_allclose(logp, expected, rtol=1e-9, err_msg=mode)


def test_collapse_is_detected_relative_to_the_data(structure, random_full_covariances, rng):
    K, d = 3, 2
    scale = DataScale(np.diag([4.0, 1.0]))
    full = random_full_covariances(rng, K, d)
    healthy = structure.from_full(full)
    tol = collapse_tol(np.float64)
    flags = structure.collapsed(healthy, K, scale, tol)
    assert flags.shape == (K,) and not flags.any()
    full[1] = 1e-12 * np.eye(d)  # component 1 sits on a point
    flags = structure.collapsed(structure.from_full(full), K, scale, tol)
    assert flags.shape == (K,)
    if structure.shared or structure.mclust_name[0] == "E":
        # a pooled covariance cannot collapse onto one component's points, nor can a
        # component whose volume is pooled (its projection keeps the common volume)
        assert not flags.any()
    else:
        assert flags.tolist() == [False, True, False]


def test_set_component_reseeds_one_component(structure, random_full_covariances, rng):
    K, d = 3, 3
    cov = structure.from_full(random_full_covariances(rng, K, d))
    before = structure.to_full(cov, K, d)
    matrix = 5.0 * np.eye(d) + 0.5
    structure.set_component(cov, 1, matrix)
    after = structure.to_full(cov, K, d)
    if structure.shared:  # nothing to re-seed: the covariance belongs to all components
        np.testing.assert_array_equal(after, before)
    elif "E" not in structure.mclust_name:  # nothing shared: the matrix's own projection
        np.testing.assert_allclose(after[1], structure.to_full(
            structure.from_full(matrix[None]), 1, d)[0])
        np.testing.assert_array_equal(after[[0, 2]], before[[0, 2]])
    else:
        _check_partly_shared_reseed(structure, cov, before, after, matrix)


def _fit_to(sigma, matrix):
    """Minus twice the log-likelihood per row of a component ``N(0, sigma)`` whose
    rows have second moment ``matrix`` (up to a constant): lower fits better."""
    return np.linalg.slogdet(sigma)[1] + np.trace(np.linalg.solve(sigma, matrix))


def _check_partly_shared_reseed(structure, cov, before, after, matrix):
    """Models that share some of volume, shape and orientation (an E letter): the
    re-seeded component takes from ``matrix`` only what it does not share. The
    others are unchanged and the family is still of the model (so what is shared
    kept its value), and the component fits ``matrix`` better than before, at its
    best volume where the volume is its own."""
    np.testing.assert_array_equal(after[[0, 2]], before[[0, 2]])
    assert structure.is_valid(cov)
    assert _fit_to(after[1], matrix) < _fit_to(before[1], matrix)
    if structure.mclust_name[0] == "V":
        for factor in (0.99, 1.01):
            assert _fit_to(after[1], matrix) < _fit_to(factor * after[1], matrix)


def test_samples_have_the_component_covariance(structure, random_params, rng):
    K, d, n = 2, 3, 40_000
    params = random_params(structure, K, d, rng)
    full = structure.to_full(params.covariances, K, d)
    for k in range(K):
        Z = structure.sample_component(rng, params.precisions_cholesky, k, n, d)
        assert Z.shape == (n, d)
        np.testing.assert_allclose(np.cov(Z.T), full[k], atol=0.05 * np.abs(full[k]).max())
        np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=0.05)


def test_declared_form_holds_for_any_parameters(structure, random_params, rng):
    """What the structure declares (``diagonal``, ``isotropic``, ``shared``) is true of
    its matrices, and what it denies is false of them: for random parameters nothing
    holds by accident."""
    K, d = 3, 3
    full = structure.to_full(random_params(structure, K, d, rng).covariances, K, d)
    variances = np.diagonal(full, axis1=1, axis2=2)
    assert structure.diagonal == bool(np.all(full == variances[:, :, None] * np.eye(d)))
    assert structure.isotropic == bool(np.all(variances == variances[:, :1]))
    assert structure.shared == bool(np.all(full == full[:1]))
    assert not (structure.isotropic and not structure.diagonal)


@pytest.mark.parametrize("name", ["VEE", "VEV", "EVE", "VVE"])
def test_one_component_on_fewer_rows_than_columns_is_vvvs_fit(name):
    """With one component the four iterative models are VVV. On 20 rows of 50 columns
    (a singular scatter) their M-steps chased rounding in the null directions: VEE's
    log-likelihood wandered 0.15 below VVV's for 1000 iterations, EVE and VVE crept
    for 400 (seconds each on 200 columns)."""
    from gaussmix import GaussianMixture

    X = np.random.default_rng(0).normal(size=(20, 50))
    vvv = GaussianMixture(1, covariance_type="VVV").fit(X).score(X)
    gm = GaussianMixture(1, covariance_type=name, random_state=0).fit(X)
    assert gm.score(X) == pytest.approx(vvv, rel=1e-6)
    assert gm.n_iter_ <= (200 if name == "VEE" else 3)
