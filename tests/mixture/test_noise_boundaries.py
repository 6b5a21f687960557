"""A mixture with a noise component where other tools meet it: refits from its
parameters (bootstrap LRT, goodness of fit, two-sample test) work, and the closed
forms over the Gaussians alone (marginal, conditioning, imputation, variational KL,
the conditional plot) refuse it clearly instead of leaving the background out."""

import numpy as np
import pytest

import gaussmix
from gaussmix import GaussianMixture

pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def noisy():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (120, 2)), rng.normal(6, 1, (120, 2)),
                   rng.uniform(-5, 11, (30, 2))])
    return X, GaussianMixture(2, noise=True, random_state=0).fit(X)


def test_refits_from_a_noise_models_parameters_run(noisy):
    X, gm = noisy
    assert gm.weights_.sum() < 0.99  # the Gaussians' share: what the refits tripped on
    gof = gm.goodness_of_fit(X, n_boot=9, random_state=0)
    assert 0 < gof.pvalue <= 1
    test = gaussmix.two_sample_test(X[::2], X[1::2], n_components=2, covariance_type="VVV",
                                    n_permutations=9, random_state=0, noise=True)
    assert 0 < test.pvalue <= 1


@pytest.mark.parametrize("call", [
    lambda gm: gm.marginal([0]),
    lambda gm: gm.condition([0], [1.0]),
    lambda gm: gm.conditional_mean([0], [[1.0]]),
    lambda gm: gm.conditional_covariance([0], [[1.0]]),
    lambda gm: gm.sample_conditional([0], [1.0], 3, random_state=0),
    lambda gm: gm.impute(np.array([[1.0, np.nan]])),
    lambda gm: gaussmix.kl_divergence(gm, gm, method="variational"),
], ids=["marginal", "condition", "conditional_mean", "conditional_covariance",
        "sample_conditional", "impute", "variational_kl"])
def test_closed_forms_over_the_gaussians_refuse_a_noise_component(noisy, call):
    with pytest.raises(ValueError, match="noise component"):
        call(noisy[1])


def test_the_conditional_plot_refuses_it_and_the_density_plots_draw_it(noisy):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from gaussmix.plot import plot_conditional, plot_density_2d

    X, gm = noisy
    with pytest.raises(ValueError, match="noise component"):
        plot_conditional(gm, 0, 1, X)
    plot_density_2d(gm, X)


def test_monte_carlo_divergences_use_the_whole_density(noisy):
    X, gm = noisy
    clean = GaussianMixture(2, random_state=0).fit(X)
    assert gaussmix.kl_divergence(gm, gm, random_state=0) == 0.0
    assert gaussmix.kl_divergence(gm, clean, random_state=0) > 0.0
