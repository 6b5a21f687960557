"""Fitting and evaluating on memmaps and files: the same answer as in memory, bounded
memory, and the one-pass sampled start."""

import tracemalloc
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import ConvergenceWarning

import gaussmix
from gaussmix import FileSource, GaussianMixture


def _blobs(n, d=3, seed=0):
    rng = np.random.default_rng(seed)
    centres = np.array([[-4.0] * d, [0.0] * d, [4.0] * d])
    centres[1, 0] = 3.0
    scales = rng.uniform(0.5, 1.5, size=(3, d))
    labels = rng.integers(3, size=n)
    return centres[labels] + rng.normal(size=(n, d)) * scales[labels] + 100.0


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """1500 x 3 rows as an array, a .npy file, a memmap, a Parquet file of 300-row
    row groups and a CSV file."""
    folder = tmp_path_factory.mktemp("sources")
    X = _blobs(1500)
    np.save(folder / "x.npy", X)
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    frame.to_parquet(folder / "x.parquet", row_group_size=300)
    frame.to_csv(folder / "x.csv", index=False)
    return {"X": X, "folder": folder, "memmap": np.load(folder / "x.npy", mmap_mode="r")}


def _sources(data, formats=("memmap", "npy", "parquet")):
    out = {"memmap": data["memmap"]}
    for fmt in ("npy", "parquet", "csv"):
        out[fmt] = FileSource(data["folder"] / f"x.{fmt}")
    return [out[f] for f in formats]


def _start(X, covariance_type):
    """Starting parameters every fit of a comparison shares (one short EM run)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        gm = GaussianMixture(3, covariance_type=covariance_type, max_iter=1,
                             random_state=0).fit(X)
    return dict(weights_init=gm.weights_, means_init=gm.means_,
                precisions_init=gm.precisions_)


def _fit(X, covariance_type, start, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return GaussianMixture(3, covariance_type=covariance_type, tol=0.0, max_iter=8,
                               **start, **kw).fit(X)


def assert_same_fit(a, b, rtol=1e-8):
    assert b.n_iter_ == a.n_iter_
    np.testing.assert_allclose(b.lower_bounds_, a.lower_bounds_, rtol=rtol)
    for name in ("weights_", "means_", "covariances_", "precisions_cholesky_"):
        ref = getattr(a, name)
        np.testing.assert_allclose(getattr(b, name), ref, rtol=rtol,
                                   atol=rtol * np.abs(ref).max(), err_msg=name)


def test_same_start_same_answer_on_memmap_npy_and_parquet(data, covariance_type):
    start = _start(data["X"], covariance_type)
    ref = _fit(data["X"], covariance_type, start)
    for source in _sources(data):
        # 7 chunks of 220 rows (Parquet: batches within 300-row row groups)
        assert_same_fit(ref, _fit(source, covariance_type, start, chunk_size=220))


def test_csv_source_same_answer_as_read_table(data):
    start = _start(data["X"], "VEV")
    ref = _fit(data["X"], "VEV", start)
    assert_same_fit(ref, _fit(FileSource(data["folder"] / "x.csv"), "VEV", start,
                              chunk_size=256))


def test_default_fit_of_a_small_source_is_the_in_memory_fit(data):
    # at most START_SAMPLE_ROWS rows: the start's sample is every row, in order
    ref = GaussianMixture(3, random_state=1).fit(data["X"])
    for source in _sources(data, ("memmap", "parquet", "csv")):
        gm = GaussianMixture(3, random_state=1).fit(source)
        np.testing.assert_array_equal(gm.means_, ref.means_)
        assert gm.lower_bound_ == ref.lower_bound_


def test_default_start_on_a_large_source_races_on_a_sample(tmp_path):
    X = _blobs(30000, d=2, seed=3)
    np.save(tmp_path / "big.npy", X)
    source = FileSource(tmp_path / "big.npy")
    gm = GaussianMixture(3, random_state=0).fit(source)
    ref = GaussianMixture(3, random_state=0).fit(X)
    # different samples, the same optimum of these well separated clusters (EM stops
    # within tol=1e-5 of it, from either start)
    assert gm.lower_bound_ == pytest.approx(ref.lower_bound_, abs=1e-4)
    order = np.lexsort(gm.means_.T[::-1]), np.lexsort(ref.means_.T[::-1])
    np.testing.assert_allclose(gm.means_[order[0]], ref.means_[order[1]], atol=0.01)
    # reproducible: the sample depends on random_state only
    again = GaussianMixture(3, random_state=0).fit(FileSource(tmp_path / "big.npy"))
    np.testing.assert_array_equal(again.means_, gm.means_)


def test_evaluation_on_sources_equals_in_memory(data):
    gm = GaussianMixture(3, covariance_type="VVI", random_state=0).fit(data["X"])
    frame = pd.DataFrame(data["X"], columns=["a", "b", "c"])
    gm_named = GaussianMixture(3, covariance_type="VVI", random_state=0).fit(frame)
    for model, source in ((gm, data["memmap"]), (gm, FileSource(data["folder"] / "x.npy")),
                          (gm_named, FileSource(data["folder"] / "x.parquet"))):
        X = data["X"] if model is gm else frame
        np.testing.assert_allclose(model.score_samples(source), model.score_samples(X),
                                   rtol=1e-12)
        np.testing.assert_allclose(model.predict_proba(source), model.predict_proba(X),
                                   rtol=1e-12, atol=1e-300)
        np.testing.assert_array_equal(model.predict(source), model.predict(X))
        assert model.score(source) == pytest.approx(model.score(X), rel=1e-12)
        assert model.bic(source) == pytest.approx(model.bic(X), rel=1e-12)
        w = np.arange(1500) % 3
        assert model.score(source, sample_weight=w) == pytest.approx(
            model.score(X, sample_weight=w), rel=1e-12)


def test_parquet_columns_become_feature_names(data):
    gm = GaussianMixture(2, random_state=0).fit(FileSource(data["folder"] / "x.parquet",
                                                           columns=["c", "a"]))
    assert list(gm.feature_names_in_) == ["c", "a"]
    assert gm.means_[0, 0] != gm.means_[0, 1]
    with pytest.raises(ValueError, match="feature names should match"):
        gm.predict(FileSource(data["folder"] / "x.parquet", columns=["a", "c"]))
    with pytest.raises(ValueError, match="3 features, but GaussianMixture is expecting 2"):
        gm.predict(FileSource(data["folder"] / "x.parquet"))


def test_integer_weights_on_a_memmap_equal_duplicated_rows(data, tmp_path):
    X = data["X"][:300]
    w = np.random.default_rng(0).integers(0, 3, size=300)
    np.save(tmp_path / "dup.npy", np.repeat(X, w, axis=0))
    start = _start(X, "full")
    duplicated = _fit(np.load(tmp_path / "dup.npy", mmap_mode="r"), "full", start)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        by_weight = GaussianMixture(3, tol=0.0, max_iter=8, chunk_size=64, **start).fit(
            np.load(data["folder"] / "x.npy", mmap_mode="r")[:300], sample_weight=w)
    assert_same_fit(duplicated, by_weight)


def _fit_peak_memory(path):
    """Peak bytes numpy and Python allocated while fitting the memmap at ``path``."""
    mm = np.load(path, mmap_mode="r")
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            # (init_params="kmeans": the default start's agglomeration has a fixed
            # working memory of up to 8 MB, more than a quarter of these small files)
            GaussianMixture(2, covariance_type="diag", max_iter=3, chunk_size=5000,
                            init_params="kmeans", random_state=0).fit(mm)
        return tracemalloc.get_traced_memory()[1], mm.nbytes
    finally:
        tracemalloc.stop()


def test_a_memmap_fit_never_copies_the_array(tmp_path):
    for n in (100_000, 400_000):
        np.save(tmp_path / f"m{n}.npy", _blobs(n, d=4, seed=5))
    small, _ = _fit_peak_memory(tmp_path / "m100000.npy")
    peak, nbytes = _fit_peak_memory(tmp_path / "m400000.npy")  # 12.8 MB
    assert peak < nbytes / 4, (peak, nbytes)
    assert peak < 1.5 * small, (peak, small)  # chunks and the sample: flat in the rows


def test_filesource_is_public_and_describes_itself(data):
    source = gaussmix.FileSource(data["folder"] / "x.parquet", columns="a,b")
    assert source.shape == (1500, 2) and len(source) == 1500
    assert source.feature_names == ["a", "b"] and source.dtype == np.float64
    assert "x.parquet" in repr(source)


@pytest.mark.parametrize("estimator", [gaussmix.BayesianGaussianMixture(n_components=2),
                                       gaussmix.GibbsGaussianMixture(n_components=2)])
def test_estimators_without_sources_say_so(data, estimator):
    with pytest.raises(TypeError, match="FileSource, read in chunks.*GaussianMixture can"):
        estimator.fit(FileSource(data["folder"] / "x.npy"))


@pytest.mark.parametrize("option, words", [({"noise": True}, "noise=True"),
                                           ({"missing": "em"}, "missing='em'")])
def test_in_memory_only_options_refuse_files_and_read_memmaps(data, option, words):
    gm = GaussianMixture(2, random_state=0, **option)
    for source in _sources(data, formats=("npy", "parquet")):
        with pytest.raises(ValueError, match=f"{words} needs the data in memory"):
            gm.fit(source)
    from_memmap = GaussianMixture(2, random_state=0, **option).fit(data["memmap"])
    in_memory = gm.fit(data["X"])
    np.testing.assert_array_equal(from_memmap.means_, in_memory.means_)
    np.testing.assert_array_equal(from_memmap.predict(data["memmap"]), in_memory.predict(data["X"]))
