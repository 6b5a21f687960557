"""The density tools: marginals, their densities and the ellipse geometry, for every
covariance type (the ``structure`` fixture), against scipy and the estimator."""

import subprocess
import sys

import numpy as np
import pytest
from scipy.stats import multivariate_normal

from gaussmix import GaussianMixture
from gaussmix.density import (
    FullMixture,
    component_densities,
    density,
    ellipse,
    ellipse_points,
    full_covariances,
    full_parameters,
    marginal,
)

trapezoid = getattr(np, "trapezoid", None) or np.trapz


@pytest.fixture
def model(structure, random_params, rng):
    """A random 4-feature, 3-component mixture of each covariance structure."""
    p = random_params(structure, 3, 4, rng)
    return GaussianMixture.from_parameters(p.weights, p.means, p.covariances, structure.name)


def scipy_density(gm, structure, points, cols):
    """The marginal density from scipy, one Gaussian per component's sub-block."""
    K, d = gm.means_.shape
    full = structure.to_full(gm.covariances_, K, d)
    return sum(gm.weights_[k] * multivariate_normal(gm.means_[k, cols],
                                                    full[k][np.ix_(cols, cols)]).pdf(points)
               for k in range(K))


# ---------------------------------------------------------------------- parameters
def test_full_parameters_are_the_structures_full_matrices(model, structure):
    p = full_parameters(model)
    assert isinstance(p, FullMixture) and (p.n_components, p.n_features) == (3, 4)
    np.testing.assert_array_equal(p.covariances, structure.to_full(model.covariances_, 3, 4))
    np.testing.assert_array_equal(full_covariances(model), p.covariances)
    p.covariances[:] = 0                                  # a copy, never the model's own
    assert np.all(np.isfinite(model.score_samples(model.means_)))
    # the mixture of these full matrices has the model's density
    full = full_parameters(model)
    same = GaussianMixture.from_parameters(*full, "full")
    np.testing.assert_allclose(same.score_samples(model.means_ + 0.3),
                               model.score_samples(model.means_ + 0.3), rtol=1e-10)


def test_full_parameters_from_arrays_and_errors(model):
    p = full_parameters(model)
    q = full_parameters(tuple(a.tolist() for a in p))
    for a, b in zip(p, q):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="do not fit"):
        full_parameters((p.weights[:2], p.means, p.covariances))
    with pytest.raises(ValueError, match="not fitted"):
        full_parameters(GaussianMixture(2))


def test_float32_models_give_float64_matrices(structure, random_params, rng):
    p = random_params(structure, 2, 3, rng).astype(np.float32)
    gm = GaussianMixture.from_parameters(p.weights, p.means, p.covariances, structure.name)
    gm.covariances_ = gm.covariances_.astype(np.float32)
    assert full_covariances(gm).dtype == np.float64


# ---------------------------------------------------------------------- marginals
@pytest.mark.parametrize("cols", [[0], [2], [3, 1], [0, 2, 3], [0, 1, 2, 3]])
def test_marginal_density_equals_scipy_on_the_sub_blocks(model, structure, rng, cols):
    points = model.means_[:, cols][rng.integers(0, 3, 50)] + rng.normal(size=(50, len(cols)))
    m = marginal(model, cols)
    assert m.means.shape == (3, len(cols)) and m.covariances.shape == (3, len(cols), len(cols))
    np.testing.assert_array_equal(m.weights, model.weights_)
    expected = scipy_density(model, structure, points, cols)
    np.testing.assert_allclose(density(model, points, columns=cols), expected, rtol=1e-10)
    np.testing.assert_allclose(density(m, points), expected, rtol=1e-10)
    parts = component_densities(m, points)
    assert parts.shape == (3, 50)
    np.testing.assert_allclose(parts.sum(axis=0), expected, rtol=1e-10)


def test_marginal_over_every_column_is_the_model(model, rng):
    X = model.sample(40, random_state=1)[0]
    np.testing.assert_allclose(density(model, X), np.exp(model.score_samples(X)), rtol=1e-10)
    np.testing.assert_allclose(density(marginal(model, [0, 1, 2, 3]), X),
                               np.exp(model.score_samples(X)), rtol=1e-10)


def test_marginal_of_a_marginal(model):
    inner = marginal(model, [2, 0, 3])
    twice = marginal(inner, [1])
    once = marginal(model, 0)
    for a, b in zip(twice, once):
        np.testing.assert_array_equal(a, b)


def test_one_dimensional_marginals_integrate_to_one(model):
    p = full_parameters(model)
    for j in range(p.n_features):
        sd = np.sqrt(p.covariances[:, j, j])
        lo = np.min(p.means[:, j] - 12 * sd)
        hi = np.max(p.means[:, j] + 12 * sd)
        grid = np.linspace(lo, hi, 20001)
        dens = density(model, grid, columns=j)             # 1-D points for one column
        assert trapezoid(dens, grid) == pytest.approx(1.0, abs=1e-8)
        # and the component curves integrate to the weights
        parts = component_densities(model, grid[:, None], columns=[j])
        np.testing.assert_allclose(trapezoid(parts, grid, axis=1), model.weights_, atol=1e-8)


def test_points_of_the_wrong_width_are_a_clear_error(model):
    with pytest.raises(ValueError, match=r"shape \(n_points, 2\)"):
        density(model, np.zeros((5, 3)), columns=[0, 1])


# ---------------------------------------------------------------------- ellipses
@pytest.mark.parametrize("radius", [0.5, 1.0, 2.0, 3.0])
def test_ellipse_points_are_at_mahalanobis_distance_radius(model, radius):
    m = marginal(model, [1, 3])
    for k in range(m.n_components):
        cov, mean = m.covariances[k], m.means[k]
        pts = ellipse_points(mean, cov, radius, n_points=37)
        z = pts - mean
        dist = np.sqrt(np.einsum("ni,ij,nj->n", z, np.linalg.inv(cov), z))
        np.testing.assert_allclose(dist, radius, rtol=1e-9)
        e = ellipse(cov, radius)
        assert e.width >= e.height > 0
        # the area pi (w/2)(h/2) = pi s^2 sqrt(det)
        assert np.pi * e.width * e.height / 4 == pytest.approx(
            np.pi * radius**2 * np.sqrt(np.linalg.det(cov)), rel=1e-9)


def test_ellipse_axes_follow_the_eigenvectors():
    rot = np.radians(30.0)
    R = np.array([[np.cos(rot), -np.sin(rot)], [np.sin(rot), np.cos(rot)]])
    cov = R @ np.diag([9.0, 1.0]) @ R.T
    e = ellipse(cov, 2.0)
    assert (e.width, e.height) == (pytest.approx(12.0), pytest.approx(4.0))
    assert e.angle % 180 == pytest.approx(30.0)
    flat = ellipse([[1.0, 0.0], [0.0, -1e-18]])           # rounding below zero: flat
    assert flat.height == 0 and flat.width == pytest.approx(2.0)
    with pytest.raises(ValueError, match=r"\(2, 2\)"):
        ellipse(np.eye(3))


# ---------------------------------------------------------------------- layering
def test_density_imports_no_plotting_or_user_facing_layer():
    code = ("import sys, gaussmix.density\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'PIL')"
            " or m.startswith(('gaussmix.plot', 'gaussmix.report', 'gaussmix.cli'))]\n"
            "print(bad)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_marginal_of_a_wide_model_cuts_before_it_expands(structure, rng):
    """A 2-column marginal of a 400-column model is the sub-block of the full matrices,
    and is taken without expanding all 400 columns (which would allocate 3.8 MB)."""
    import tracemalloc

    K, d = 3, 400
    u = rng.normal(size=(K, d, 1)) * 0.3
    full = u @ u.transpose(0, 2, 1) + rng.uniform(0.5, 2.0, (K, d))[:, :, None] * np.eye(d)
    cov = structure.from_full(full, np.full(K, 1 / K))
    gm = GaussianMixture.from_parameters(np.full(K, 1 / K), rng.normal(size=(K, d)), cov,
                                         structure.name)
    cols = [350, 3]
    tracemalloc.start()
    try:
        m = marginal(gm, cols)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 500_000
    expanded = structure.to_full(gm.covariances_, K, d)
    np.testing.assert_array_equal(m.covariances, expanded[:, cols][:, :, cols])
    np.testing.assert_array_equal(m.means, gm.means_[:, cols])
