"""The EM loop: monotone objective, agreement with scikit-learn, convergence."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import GaussianMixture as SkGM

from gaussmix import DegenerateComponentWarning, GaussianMixture
from gaussmix.covariance import SKLEARN_TYPES

#: Comparisons with scikit-learn run for the covariance types it has.
SKLEARN_ONLY = pytest.mark.parametrize("covariance_type", SKLEARN_TYPES)


def reset_iterations(gm):
    return {it for it, _ in gm.resets_}


@pytest.mark.parametrize("init", ["kmeans", "random", "random_from_data", "k-means++"])
def test_objective_never_decreases(three_blobs, covariance_type, init):
    X = three_blobs[0]
    for seed in range(3):
        gm = GaussianMixture(4, covariance_type=covariance_type, init_params=init, tol=0,
                             max_iter=60, random_state=seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            gm.fit(X)
        lb = np.asarray(gm.lower_bounds_)
        assert len(lb) == gm.n_iter_ + 1
        resets = reset_iterations(gm)
        for i in range(1, len(lb)):
            if i not in resets:
                assert lb[i] >= lb[i - 1] - 1e-12 * abs(lb[i - 1]), (i, lb[i - 1], lb[i])


def test_lower_bound_is_loglik_of_final_parameters(three_blobs):
    X = three_blobs[0]
    gm = GaussianMixture(3, random_state=0).fit(X)
    assert gm.lower_bound_ == pytest.approx(gm.score(X), rel=1e-12)
    assert gm.lower_bounds_[-1] == gm.lower_bound_


def sk_start(X, ct, K, seed):
    """Starting parameters that both libraries take as given."""
    sk = SkGM(K, covariance_type=ct, max_iter=1, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk.fit(X)
    return sk.weights_, sk.means_, sk.precisions_


@SKLEARN_ONLY
@pytest.mark.parametrize("n_iter", [1, 5, 40])
def test_same_loglik_as_sklearn_from_same_start(three_blobs, covariance_type, n_iter):
    X = three_blobs[0] + np.array([3.0, -2.0])
    weights, means, precisions = sk_start(X, covariance_type, 4, seed=1)
    kw = dict(n_components=4, covariance_type=covariance_type, tol=0.0, max_iter=n_iter,
              reg_covar=1e-4, weights_init=weights, means_init=means, precisions_init=precisions)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = SkGM(**kw).fit(X)
        gm = GaussianMixture(**kw).fit(X)
    assert gm.n_iter_ == sk.n_iter_ == n_iter
    assert gm.score(X) == pytest.approx(sk.score(X), rel=1e-9)
    np.testing.assert_allclose(gm.means_, sk.means_, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(gm.weights_, sk.weights_, rtol=1e-7)
    np.testing.assert_allclose(gm.covariances_, sk.covariances_, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(gm.predict_proba(X), sk.predict_proba(X), atol=1e-7)


@SKLEARN_ONLY
@pytest.mark.parametrize("tol", [1e-3, 1e-6])
def test_n_iter_and_lower_bounds_as_sklearn(three_blobs, covariance_type, tol):
    """Started from the same parameters with the same tol, both libraries count the
    same iterations, converged or stopped by max_iter.

    scikit-learn's iteration n is an E-step (measuring the objective of the
    parameters after n - 1 M-steps) and an M-step; it stops at the first n whose
    measurement changed by less than tol, after that M-step too. gaussmix skips that
    last M-step, so its parameters are the ones measured last, and counts the
    iteration all the same: converged, the two ``lower_bounds_`` lists are the same
    measurements. Stopped by max_iter, gaussmix also measures the parameters it
    returns (``lower_bounds_[i]`` is the objective after i M-steps), one entry more
    than scikit-learn's list; where that entry has settled it reports convergence.
    """
    X = three_blobs[0] + np.array([3.0, -2.0])
    weights, means, precisions = sk_start(X, covariance_type, 4, seed=0)
    kw = dict(n_components=4, covariance_type=covariance_type, tol=tol,
              weights_init=weights, means_init=means, precisions_init=precisions)

    sk = SkGM(max_iter=1000, **kw).fit(X)
    gm = GaussianMixture(max_iter=1000, **kw).fit(X)
    assert sk.converged_ and gm.converged_ and gm.n_resets_ == 0
    n = sk.n_iter_
    assert n >= 2
    assert gm.n_iter_ == n
    assert len(gm.lower_bounds_) == len(sk.lower_bounds_) == n
    np.testing.assert_allclose(gm.lower_bounds_, sk.lower_bounds_, rtol=1e-9, atol=0)
    assert gm.lower_bound_ == gm.lower_bounds_[-1] == pytest.approx(gm.score(X), rel=1e-12)

    for max_iter in sorted({1, 2, n - 1, n}):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            sk = SkGM(max_iter=max_iter, **kw).fit(X)
            gm = GaussianMixture(max_iter=max_iter, **kw).fit(X)
        assert sk.n_iter_ == gm.n_iter_ == max_iter, max_iter
        assert sk.converged_ == (max_iter == n)
        assert gm.converged_ == (max_iter >= n - 1)
        if max_iter == n:
            np.testing.assert_allclose(gm.lower_bounds_, sk.lower_bounds_, rtol=1e-9, atol=0)
        else:
            assert len(gm.lower_bounds_) == max_iter + 1
            np.testing.assert_allclose(gm.lower_bounds_[:-1], sk.lower_bounds_, rtol=1e-9,
                                       atol=0)
        assert gm.lower_bound_ == gm.lower_bounds_[-1] == pytest.approx(gm.score(X),
                                                                        rel=1e-12)


def test_converges_and_warns_when_not(three_blobs):
    X = three_blobs[0]
    gm = GaussianMixture(3, random_state=0).fit(X)
    assert gm.converged_
    assert abs(gm.lower_bounds_[-1] - gm.lower_bounds_[-2]) < gm.tol
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        gm = GaussianMixture(3, init_params="random", tol=0, max_iter=2, random_state=0).fit(X)
    assert not gm.converged_ and gm.n_iter_ == 2


def test_fit_predict_equals_fit_then_predict(three_blobs, covariance_type):
    X = three_blobs[0]
    gm = GaussianMixture(3, covariance_type=covariance_type, random_state=3)
    labels = gm.fit_predict(X)
    np.testing.assert_array_equal(labels, gm.predict(X))


def test_n_init_keeps_the_best_of_its_runs(three_blobs, monkeypatch):
    """Every EM run of a fit with n_init=4 is recorded: the fit keeps the one that
    ended highest, its parameters and its objective history."""
    X = three_blobs[0]
    runs = []
    run = GaussianMixture._run

    def recording(self, *args, **kwargs):
        runs.append(run(self, *args, **kwargs))
        return runs[-1]

    monkeypatch.setattr(GaussianMixture, "_run", recording)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DegenerateComponentWarning)
        gm = GaussianMixture(6, init_params="random", n_init=4, random_state=0,
                             max_iter=200).fit(X)
    finals = [r.lower_bound for r in runs]
    assert len(runs) == 4
    assert max(finals) - min(finals) > 1e-6  # the runs end apart, so the choice matters
    best = runs[int(np.argmax(finals))]
    assert gm.lower_bound_ == max(finals)
    assert gm.lower_bounds_ == best.lower_bounds
    np.testing.assert_array_equal(gm.means_, best.params.means)


def test_warm_start_continues(three_blobs):
    X = three_blobs[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gm = GaussianMixture(3, init_params="random", max_iter=3, tol=0, warm_start=True,
                             random_state=0).fit(X)
        first = gm.lower_bound_
        gm.fit(X)
    assert gm.lower_bounds_[0] == pytest.approx(first, rel=1e-12)
    assert gm.lower_bound_ >= first


def test_threads_and_chunks_do_not_change_the_fit(three_blobs, covariance_type):
    X = np.vstack([three_blobs[0]] * 4)
    kw = dict(n_components=3, covariance_type=covariance_type, random_state=0)
    one = GaussianMixture(n_jobs=1, chunk_size=100, **kw).fit(X)
    two = GaussianMixture(n_jobs=2, chunk_size=100, **kw).fit(X)
    big = GaussianMixture(n_jobs=2, **kw).fit(X)
    assert one.lower_bounds_ == two.lower_bounds_  # identical, not just close
    np.testing.assert_array_equal(one.means_, two.means_)
    np.testing.assert_allclose(big.means_, one.means_, rtol=1e-9)
    assert big.lower_bound_ == pytest.approx(one.lower_bound_, rel=1e-12)


def test_fit_does_not_copy_or_modify_the_data(three_blobs):
    X = np.ascontiguousarray(three_blobs[0])
    X.setflags(write=False)  # a copy-free fit never needs to write into X
    before = X.copy()
    GaussianMixture(3, random_state=0).fit(X)
    np.testing.assert_array_equal(X, before)
