"""The one-pass sample: uniform, weighted in proportion, and the same whatever the
chunks or the source."""

import numpy as np
import pandas as pd
import pytest

from gaussmix import FileSource
from gaussmix.engine import ArraySource
from gaussmix.engine.row_sample import row_uniforms
from gaussmix.engine.source_ops import one_pass_sample
from gaussmix.io.row_source import ArrayRows


def test_row_uniforms_depend_on_the_row_not_the_chunk():
    whole = row_uniforms(3, 0, 1000)
    parts = np.concatenate([row_uniforms(3, a, min(a + 97, 1000)) for a in range(0, 1000, 97)])
    np.testing.assert_array_equal(whole, parts)
    assert np.all((whole > 0) & (whole < 1))
    # uniform: Kolmogorov-Smirnov distance of 100,000 draws
    u = np.sort(row_uniforms(11, 0, 100_000))
    assert np.max(np.abs(u - np.arange(1, u.size + 1) / u.size)) < 0.01


def test_the_sample_is_the_same_on_every_source_and_chunking(tmp_path):
    X = np.random.default_rng(0).normal(size=(5000, 3))
    np.save(tmp_path / "x.npy", X)
    pd.DataFrame(X, columns=list("abc")).to_parquet(tmp_path / "x.parquet",
                                                    row_group_size=700)
    ref, w = one_pass_sample(ArraySource(X), 300, 42, 5000)
    assert w is None and ref.shape == (300, 3)
    for source, chunk in ((ArrayRows(np.load(tmp_path / "x.npy", mmap_mode="r")), 123),
                          (FileSource(tmp_path / "x.parquet"), 512), (ArraySource(X), 77)):
        np.testing.assert_array_equal(one_pass_sample(source, 300, 42, chunk)[0], ref)
    # rows in their data order, distinct rows of X
    index = np.flatnonzero(np.isin(X[:, 0], ref[:, 0]))
    np.testing.assert_array_equal(X[index], ref)


def test_every_row_is_equally_likely():
    n, m, seeds = 200, 20, 2000
    X = np.arange(n, dtype=float)[:, None]
    counts = np.zeros(n)
    for seed in range(seeds):
        rows, _ = one_pass_sample(ArraySource(X), m, seed, 64)
        counts[rows[:, 0].astype(int)] += 1
    expected = seeds * m / n  # 200 per row; binomial sd about 13.4
    assert np.abs(counts - expected).max() < 6 * np.sqrt(expected * (1 - m / n))


def test_weighted_draws_follow_the_weights_and_skip_zero_weights():
    n = 300
    X = np.arange(n, dtype=float)[:, None]
    w = np.where(np.arange(n) < 100, 3.0, 1.0)
    w[200:] = 0.0
    counts = np.zeros(n)
    for seed in range(1000):
        rows, wts = one_pass_sample(ArraySource(X, w), 10, seed, 64)
        assert wts is None  # drawn in proportion to the weights: unit weights
        counts[rows[:, 0].astype(int)] += 1
    assert counts[200:].sum() == 0
    ratio = counts[:100].mean() / counts[100:200].mean()
    assert 2.6 < ratio < 3.4  # about 3 (a little less: drawn without replacement)


def test_all_rows_come_back_with_their_weights_when_few():
    X = np.arange(10.0)[:, None]
    w = np.arange(10.0)
    rows, wts = one_pass_sample(ArraySource(X, w), 50, 0, 4)
    np.testing.assert_array_equal(rows[:, 0], np.arange(1.0, 10.0))
    np.testing.assert_array_equal(wts, np.arange(1.0, 10.0))
