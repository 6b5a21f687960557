"""The agglomeration started from groups (micro-clusters) of rows."""

import numpy as np
import pytest

from gaussmix.init.hierarchical import agglomerator as _agglomerator
from gaussmix.init.hierarchical import hierarchical_partitions, svd_transform
from gaussmix.init.hierarchical.agglomerator import Agglomerator
from gaussmix.init.hierarchical.groups import (
    group_agglomerator,
    group_statistics,
    micro_clusters,
)
from gaussmix.init.hierarchical.partitions import _alpha, _criterion, partitions_from_merges


def _blobs(n, p, seed):
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n, p)) * rng.uniform(0.3, 3.0, size=p)
    Z[: n // 3] += 3.0
    Z[n // 3: n // 2] -= 2.0
    return Z


def _same_partition(a, b):
    """Equal up to the names of the clusters."""
    pairs = set(zip(a.tolist(), b.tolist()))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


@pytest.mark.parametrize("factored", [False, True])
@pytest.mark.parametrize("p", [2, 3, 5, 8])
@pytest.mark.parametrize("model", ["VVV", "EII"])
def test_groups_continue_the_rows_agglomeration(p, model, factored, monkeypatch):
    """Started from the rows' own partition into m clusters, the groups agglomerate
    exactly as the rows do from there on: the merge cost depends on the clusters'
    sufficient statistics alone."""
    monkeypatch.setattr(_agglomerator, "_LEMMA_MIN_P", 1 if factored else 10**6)
    Z = svd_transform(_blobs(240, p, seed=p))
    crit = _criterion(model, *Z.shape)
    alpha = _alpha(Z, crit)
    rows = partitions_from_merges(240, Agglomerator(Z, crit, alpha, 1.0).run(), 30)
    groups = rows[30]
    agg = group_agglomerator(Z, groups, crit, alpha, 1.0)
    assert agg.factored == (factored and model == "VVV")
    from_groups = partitions_from_merges(30, agg.run(), 30)
    for k in range(1, 31):
        assert _same_partition(from_groups[k][groups], rows[k]), k


def test_group_statistics():
    Z = _blobs(50, 3, seed=0)
    labels = np.arange(50) % 4
    counts, means, W = group_statistics(Z, labels)
    for k in range(4):
        D = Z[labels == k] - Z[labels == k].mean(axis=0)
        assert counts[k] == np.sum(labels == k)
        np.testing.assert_allclose(means[k], Z[labels == k].mean(axis=0))
        np.testing.assert_allclose(W[k], D.T @ D, atol=1e-12)


def test_micro_clusters():
    rng = np.random.default_rng(0)
    Z = _blobs(500, 3, seed=1)
    Z[100:120] = Z[100]  # identical rows
    labels = micro_clusters(Z, 40, rng)
    assert labels.shape == (500,)
    assert set(labels.tolist()) == set(range(labels.max() + 1))
    assert labels.max() + 1 <= 40
    assert len(set(labels[100:120].tolist())) == 1
    np.testing.assert_array_equal(micro_clusters(Z[:30], 40, rng), np.arange(30))


def test_max_groups_partitions_are_nested_and_reproducible():
    X = _blobs(1500, 4, seed=2)
    index, labels = hierarchical_partitions(X, 12, max_samples=1500, max_groups=80,
                                            random_state=0)
    np.testing.assert_array_equal(index, np.arange(1500))
    for k in range(1, 13):
        assert labels[k - 1].max() + 1 == k
        if k > 1:  # every cluster of level k lies within one of level k - 1
            assert _same_partition(labels[k - 1], labels[k - 1] * 100 + labels[k - 2])
    _, again = hierarchical_partitions(X, 12, max_samples=1500, max_groups=80,
                                       random_state=0)
    np.testing.assert_array_equal(labels, again)
    # with at least as many groups as rows, the agglomeration is the rows' own
    _, exact = hierarchical_partitions(X[:200], 6)
    _, same = hierarchical_partitions(X[:200], 6, max_groups=200, random_state=0)
    np.testing.assert_array_equal(exact, same)


def test_max_groups_separates_blobs():
    rng = np.random.default_rng(3)
    centers = np.array([[0.0, 0.0], [8.0, 0.0], [0.0, 8.0]])
    truth = rng.integers(0, 3, size=3000)
    X = centers[truth] + rng.normal(size=(3000, 2))
    _, labels = hierarchical_partitions(X, 3, max_samples=3000, max_groups=64,
                                        random_state=0)
    assert _same_partition(labels[2], truth)


def test_invalid_max_groups():
    with pytest.raises(ValueError, match="max_groups"):
        hierarchical_partitions(np.zeros((5, 2)) + np.arange(5)[:, None], 2, max_groups=0)
