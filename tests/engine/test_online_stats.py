"""Stepwise EM's pieces: statistics moved to another reference point, the running
average and its step sizes (gaussmix.engine.online)."""

import numpy as np
import pytest

from gaussmix.covariance import get_structure
from gaussmix.engine import m_step, stats_from_resp
from gaussmix.engine.online import DEFAULT_STEP_EXPONENT, blend, statistics_of, step_size
from gaussmix.engine.stats import recentred, scaled


def _stats(rng, structure, n=300, K=3, d=4, offset=0.0, ref_spread=2.0, weighted=True):
    """Statistics of random rows with random responsibilities about random points."""
    X = rng.normal(size=(n, d)) * rng.uniform(0.5, 3.0, d) + offset
    resp = rng.dirichlet(np.ones(K), size=n)
    w = rng.uniform(0.2, 3.0, n) if weighted else None
    ref = offset + rng.normal(scale=ref_spread, size=(K, d))
    return X, w, resp, ref


@pytest.mark.parametrize("offset", [0.0, 50.0])
def test_recentred_equals_statistics_taken_about_the_new_point(structure, rng, offset):
    """Moving the reference point is exact: the statistics recentred from A to B are
    those computed about B from the rows, for every kernel's layout."""
    X, w, resp, ref_a = _stats(rng, structure, offset=offset)
    ref_b = ref_a + rng.normal(scale=1.5, size=ref_a.shape)
    about_a = stats_from_resp(X, w, resp, ref_a, structure)
    about_b = stats_from_resp(X, w, resp, ref_b, structure)
    moved = recentred(about_a, ref_b, structure.kernel)
    np.testing.assert_array_equal(moved.ref, ref_b)
    np.testing.assert_allclose(moved.nk, about_b.nk, rtol=1e-14)
    np.testing.assert_allclose(moved.s1, about_b.s1, rtol=1e-10,
                               atol=1e-10 * np.abs(about_b.s1).max())
    np.testing.assert_allclose(moved.s2, about_b.s2, rtol=1e-10,
                               atol=1e-10 * np.abs(about_b.s2).max())
    assert moved.s2.shape == about_a.s2.shape
    # the input is not changed, and moving back returns it
    back = recentred(moved, ref_a, structure.kernel)
    np.testing.assert_allclose(back.s2, about_a.s2, rtol=1e-10,
                               atol=1e-10 * np.abs(about_a.s2).max())


def test_diagonal_shift_agrees_with_the_generic_one(rng):
    """The diagonal kernels' own shift (no (K, d, d) matrices) equals the generic one
    of the base class."""
    from gaussmix.covariance.kernels.base import EStepKernel

    for name in ("diag", "spherical"):
        kernel = get_structure(name).kernel
        X, w, resp, ref = _stats(rng, get_structure(name))
        s = stats_from_resp(X, w, resp, ref, get_structure(name))
        shift = rng.normal(size=ref.shape)
        np.testing.assert_allclose(
            kernel.shift_second_moment(s.nk, s.s1, s.s2, shift),
            EStepKernel.shift_second_moment(kernel, s.nk, s.s1, s.s2, shift), rtol=1e-12)


def test_scaled_scales_everything_that_counts_rows(rng):
    structure = get_structure("full")
    s = stats_from_resp(*_stats(rng, structure), structure)
    s = s.__class__(**{**s.__dict__, "loglik": -12.5})
    half = scaled(s, 0.5)
    for name in ("nk", "s1", "s2"):
        np.testing.assert_allclose(getattr(half, name), 0.5 * getattr(s, name), rtol=1e-15)
    assert (half.loglik, half.weight) == (0.5 * s.loglik, 0.5 * s.weight)
    assert half.ref is s.ref


def test_step_sizes_follow_the_documented_schedule():
    """The first batch sets the average (gamma 1); the (t + 1)-th later one moves it by
    (t + 2)^-alpha."""
    for alpha in (0.51, DEFAULT_STEP_EXPONENT, 0.75, 1.0):
        assert step_size(0, alpha) == 1.0
        for t in range(50):
            assert step_size(t + 1, alpha) == pytest.approx((t + 2.0) ** -alpha, rel=1e-15)
    assert 0.5 < DEFAULT_STEP_EXPONENT <= 1.0


@pytest.mark.parametrize("name", ["full", "tied", "diag", "spherical"])
def test_alpha_one_running_average_is_the_cumulative_average(rng, name):
    """With alpha = 1 and batches of equal weight, the running average after every
    batch is exactly the cumulative statistics (each batch's about its own point,
    all moved to the newest) over the total weight."""
    structure = get_structure(name)
    batches = [stats_from_resp(*_stats(rng, structure, n=200, weighted=False), structure)
               for _ in range(12)]
    running = None
    for t, batch in enumerate(batches):
        running = blend(running, batch, step_size(t, 1.0), structure.kernel)
        total = sum(recentred(b, batch.ref, structure.kernel) for b in batches[:t + 1])
        expected = scaled(total, 1.0 / total.weight)
        assert running.weight == pytest.approx(1.0, rel=1e-15)
        np.testing.assert_array_equal(running.ref, batch.ref)
        for field in ("nk", "s1", "s2"):
            np.testing.assert_allclose(getattr(running, field), getattr(expected, field),
                                       rtol=1e-12, atol=1e-12)


def test_blend_gives_each_batch_its_step_whatever_its_size(rng):
    """Batches are averaged per unit weight: a batch of 10 rows and one of 1000 move
    the average by the same step (stepwise EM's definition)."""
    structure = get_structure("diag")
    small = stats_from_resp(*_stats(rng, structure, n=10), structure)
    large = stats_from_resp(*_stats(rng, structure, n=1000), structure)
    large.worst, large.worst_logp = rng.normal(size=(2, 4)), np.array([-40.0, -30.0])
    small.worst, small.worst_logp = rng.normal(size=(1, 4)), np.array([-90.0])
    gamma = 0.3
    mixed = blend(scaled(small, 1 / small.weight), large, gamma, structure.kernel)
    moved = recentred(small, large.ref, structure.kernel)
    np.testing.assert_allclose(
        mixed.nk, (1 - gamma) * moved.nk / small.weight + gamma * large.nk / large.weight,
        rtol=1e-13)
    np.testing.assert_allclose(
        mixed.s2, (1 - gamma) * moved.s2 / small.weight + gamma * large.s2 / large.weight,
        rtol=1e-12)
    # re-seeding candidates come from the newest batch only (the older one's lower
    # density was judged under older parameters)
    np.testing.assert_array_equal(mixed.worst, large.worst)


def test_statistics_of_parameters_give_the_parameters_back(structure, rng, random_params):
    """A fitted model's parameters enter the running average as the statistics whose
    M-step they are: for every structure, the M-step of statistics_of(params) returns
    the weights, means and covariances."""
    params = random_params(structure, 3, 4, rng)
    stats = statistics_of(params)
    assert stats.weight == 1.0 and stats.nk.sum() == pytest.approx(1.0, rel=1e-15)
    start = structure.m_step_start(params.covariances)
    weights, means, cov_raw, _ = m_step(stats, structure, 0.0, start)
    np.testing.assert_allclose(weights, params.weights, rtol=1e-12)
    np.testing.assert_allclose(means, params.means, rtol=1e-12)
    np.testing.assert_allclose(cov_raw, params.covariances, rtol=1e-10, atol=1e-12)
