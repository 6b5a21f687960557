"""The E-step kernels' variants agree: the full kernel's stacked and one-by-one exact
products, and precision factors by batched inverse or triangular inverses."""

import numpy as np
import pytest

import gaussmix.covariance.kernels.full as full_kernel
import gaussmix.covariance.linalg as linalg_module
from gaussmix.covariance import get_structure
from gaussmix.engine import collect, make_plan


@pytest.mark.parametrize("K, d", [(1, 3), (4, 5)])
def test_full_exact_one_by_one_equals_stacked(random_params, rng, monkeypatch, K, d):
    params = random_params(get_structure("full"), K, d, rng)
    X = rng.normal(scale=3.0, size=(300, d))
    stacked = make_plan(params, X.dtype, mode="exact")
    monkeypatch.setattr(full_kernel, "STACK_MAX_VALUES", 0)
    one_by_one = make_plan(params, X.dtype, mode="exact")
    assert stacked.A is not None and one_by_one.A is None
    kernel = params.structure.kernel
    np.testing.assert_allclose(kernel.log_prob(X, one_by_one)[0],
                               kernel.log_prob(X, stacked)[0], rtol=1e-12)
    a = collect(X, params, mode="exact")
    monkeypatch.setattr(full_kernel, "STACK_MAX_VALUES", 2**22)
    b = collect(X, params, mode="exact")
    assert a.loglik == pytest.approx(b.loglik, rel=1e-12)
    np.testing.assert_allclose(a.s2, b.s2, rtol=1e-12)


@pytest.mark.parametrize("d", [3, 70])
def test_precision_factors_by_either_inverse(random_full_covariances, rng, monkeypatch, d):
    """Batched general inverse (small d) and in-place triangular inverses (large d)
    give the same upper-triangular factors, and the caller's factor survives unless
    it is given to overwrite."""
    cov = random_full_covariances(rng, 3, d)
    chol = np.linalg.cholesky(cov)
    keep = chol.copy()
    monkeypatch.setattr(linalg_module, "TRIANGULAR_MIN_D", 10**6)
    batched = linalg_module.prec_chol_from_cov_chol(chol)
    monkeypatch.setattr(linalg_module, "TRIANGULAR_MIN_D", 1)
    triangular = linalg_module.prec_chol_from_cov_chol(chol)
    np.testing.assert_array_equal(chol, keep)
    np.testing.assert_allclose(triangular, batched, rtol=1e-10, atol=1e-14)
    assert np.all(np.tril(triangular, -1) == 0)
    prec = np.matmul(triangular, np.swapaxes(triangular, -1, -2))
    np.testing.assert_allclose(prec, np.linalg.inv(cov), rtol=1e-8)


def test_scale_from_rows_equals_scale_from_the_covariance(rng):
    """Wide data: the rows give the same covariance, variances and whitened subspace as
    the (d, d) covariance's eigenvectors (weights included)."""
    from gaussmix.covariance import DataScale

    X = rng.normal(size=(6, 20)) @ rng.normal(size=(20, 20))
    w = rng.uniform(0.5, 2.0, size=6)
    mean = w @ X / w.sum()
    cov = ((X - mean).T * w) @ (X - mean) / w.sum()
    rows, matrix = DataScale.from_rows(X, w), DataScale(cov)
    np.testing.assert_allclose(rows.cov, cov, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(rows.variances, matrix.variances, rtol=1e-10)
    assert rows.mean_variance == pytest.approx(matrix.mean_variance, rel=1e-12)
    assert rows.whitening.shape == matrix.whitening.shape == (20, 5)
    for W in (rows.whitening, matrix.whitening):
        np.testing.assert_allclose(W.T @ cov @ W, np.eye(5), atol=1e-8)
    np.testing.assert_allclose(rows.whitening @ rows.whitening.T,
                               matrix.whitening @ matrix.whitening.T, rtol=1e-6, atol=1e-10)
