"""An integer sample weight w fits exactly like w copies of the row (sklearn #15647)."""

import numpy as np
import pytest

from gaussmix import GaussianMixture


@pytest.mark.parametrize("init", ["auto", "kmeans", "random", "hierarchical", "k-means++"])
def test_integer_weights_equal_duplicated_rows(three_blobs, covariance_type, init, rng):
    X = three_blobs[0][::3]
    w = rng.integers(0, 4, size=X.shape[0])
    repeated = np.repeat(X, w, axis=0)
    repeated = repeated[rng.permutation(repeated.shape[0])]
    kw = dict(n_components=3, covariance_type=covariance_type, init_params=init, random_state=0,
              tol=1e-8, max_iter=500)
    a = GaussianMixture(**kw).fit(X, sample_weight=w)
    b = GaussianMixture(**kw).fit(repeated)
    np.testing.assert_allclose(a.weights_, b.weights_, rtol=1e-6)
    np.testing.assert_allclose(a.means_, b.means_, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(a.covariances_, b.covariances_, rtol=1e-6, atol=1e-8)
    assert a.lower_bound_ == pytest.approx(b.lower_bound_, rel=1e-9)
    np.testing.assert_allclose(a.predict_proba(X), b.predict_proba(X), atol=1e-6)


def test_fractional_weights_scale_invariant(three_blobs):
    X = three_blobs[0]
    w = np.random.default_rng(1).uniform(0.1, 2.0, size=X.shape[0])
    a = GaussianMixture(3, random_state=0).fit(X, sample_weight=w)
    b = GaussianMixture(3, random_state=0).fit(X, sample_weight=10 * w)
    np.testing.assert_allclose(a.means_, b.means_, rtol=1e-8)
    assert a.lower_bound_ == pytest.approx(b.lower_bound_, rel=1e-10)


def test_weights_shift_the_fit(three_blobs):
    """Weighting one cluster up raises its mixing weight accordingly."""
    X, y, means, *_ = three_blobs
    w = np.where(y == 0, 5.0, 1.0)
    gm = GaussianMixture(3, random_state=0).fit(X, sample_weight=w)
    k0 = np.argmin(((gm.means_ - means[0]) ** 2).sum(axis=1))
    expected = 5 * (y == 0).sum() / w.sum()
    assert gm.weights_[k0] == pytest.approx(expected, abs=0.01)
