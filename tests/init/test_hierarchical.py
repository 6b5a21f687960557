"""Tests for mclust-style model-based hierarchical agglomeration."""

from importlib import resources

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.special import logsumexp
from sklearn.metrics import adjusted_rand_score

import gaussmix.init.hierarchical.agglomerator as _agglomerator
from gaussmix.init.hierarchical import hierarchical_partitions, quantile_classes, svd_transform
from gaussmix.init.hierarchical.agglomerator import Agglomerator
from gaussmix.init.hierarchical.numerics import sumsq_is_einsum, sumsq_rows
from gaussmix.init.hierarchical.partitions import partitions_from_merges


def _faithful():
    with resources.files("gaussmix").joinpath("data/faithful.csv").open("r") as fh:
        fh.readline()
        return np.loadtxt(fh, delimiter=",")


def _assert_valid(labels, index, max_clusters, n_distinct):
    assert labels.shape == (max_clusters, index.size)
    assert np.issubdtype(labels.dtype, np.integer)
    for k in range(1, max_clusters + 1):
        lab = labels[k - 1]
        kk = min(k, n_distinct)
        assert np.array_equal(np.unique(lab), np.arange(kk)), (k, np.unique(lab))
    _assert_nested(labels)


def _assert_nested(labels):
    """Each partition refines the previous one."""
    for k in range(1, labels.shape[0]):
        coarse, fine = labels[k - 1], labels[k]
        for g in np.unique(fine):
            assert np.unique(coarse[fine == g]).size == 1


# ---------------------------------------------------------------------------
# brute-force reference for the criterion and mclust's tie-breaking
# ---------------------------------------------------------------------------

def _term(Zs, alpha, p, crit):
    n = len(Zs)
    C = Zs - Zs.mean(0)
    W = C.T @ C
    tr = np.trace(W)
    if crit == "EII":
        return tr
    if n == 1:
        return np.log(alpha)
    if n <= p or n == 2 or crit == "V":
        return n * np.log((tr + alpha) / n)
    det = max(np.linalg.det(W / n), 0.0)
    return n * np.log(det + (tr + alpha) / n)


def _brute_merges(Z, crit, alpha):
    n, p = Z.shape
    slots = [[i] for i in range(n)]
    T = [_term(Z[s], alpha, p, crit) for s in slots]
    merges = []
    while len(slots) > 1:
        g = len(slots)
        best, bi, bj = np.inf, None, None
        for j in range(1, g):  # mclust's packed order; the last minimum wins
            for i in range(j):
                cost = _term(Z[slots[i] + slots[j]], alpha, p, crit) - T[i] - T[j]
                if cost <= best:
                    best, bi, bj = cost, i, j
        merges.append((bi, bj, g - 1))
        new = slots[bi] + slots[bj]
        if bj != g - 1:
            slots[bj], T[bj] = slots[g - 1], T[g - 1]
        slots[bi], T[bi] = new, _term(Z[new], alpha, p, crit)
        slots.pop()
        T.pop()
    return merges


@pytest.mark.parametrize("factored", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_engine_matches_brute_force(seed, factored, monkeypatch):
    # factored=True forces the triangular-factor / determinant-lemma code path
    # that is otherwise only used from p = _LEMMA_MIN_P on
    monkeypatch.setattr(_agglomerator, "_LEMMA_MIN_P", 1 if factored else 10**6)
    rng = np.random.default_rng(seed)
    p = [1, 2, 3, 4, 5, 6][seed]
    n = 28
    Z = rng.normal(size=(n, p)) * rng.uniform(0.3, 3.0, size=p)
    Z[: n // 3] += 2.0
    Z[n // 3: n // 2] -= 1.5
    crits = ["VVV", "EII", "V"] if p == 1 else ["VVV", "EII"]
    for crit in crits:
        alpha = float(rng.uniform(0.05, 1.0))
        got = Agglomerator(Z, crit, alpha, 1.0).run()
        assert got == _brute_merges(Z, crit, alpha), crit


def test_engine_tie_breaking_matches_brute_force():
    # two rows of unit-spaced points: all neighbouring singleton pairs tie exactly,
    # so the first merges are decided by mclust's packed order and slot moves alone
    Z = np.array([(i, 50.0 * r) for r in range(2) for i in range(10)], dtype=float)
    Z = Z[np.random.default_rng(0).permutation(len(Z))]
    for crit in ["VVV", "EII"]:
        got = Agglomerator(Z, crit, 0.3, 1.0).run()
        assert got[:8] == _brute_merges(Z, crit, 0.3)[:8], crit


# ---------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("transform", ["none", "svd"])
def test_eii_equals_scipy_ward(transform):
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(size=(30, 3)), rng.normal(size=(30, 3)) * 0.5 + 3.0])
    K = 12
    _, labels = hierarchical_partitions(X, K, model="EII", transform=transform)
    Z = X if transform == "none" else svd_transform(X)
    link = linkage(Z, method="ward")
    for k in range(1, K + 1):
        ref = fcluster(link, k, criterion="maxclust")
        assert np.unique(ref).size == k
        assert adjusted_rand_score(ref, labels[k - 1]) == 1.0, k


@pytest.mark.parametrize("model", ["VVV", "EII"])
def test_nested_and_exact_counts(model):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(80, 3)) @ rng.normal(size=(3, 3))
    index, labels = hierarchical_partitions(X, 15, model=model)
    assert np.array_equal(index, np.arange(80))
    _assert_valid(labels, index, 15, 80)


def test_vvv_recovers_separated_blobs():
    rng = np.random.default_rng(2)
    covs = [np.array([[1.0, 0.9], [0.9, 1.0]]), np.array([[0.2, 0.0], [0.0, 2.0]]),
            np.array([[1.5, -0.7], [-0.7, 0.6]])]
    centers = [(0, 0), (12, 0), (0, 14)]
    parts, truth = [], []
    for g, (c, S) in enumerate(zip(centers, covs)):
        parts.append(rng.multivariate_normal(c, S, size=60 + 20 * g))
        truth += [g] * (60 + 20 * g)
    X = np.vstack(parts)
    _, labels = hierarchical_partitions(X, 6)
    assert adjusted_rand_score(truth, labels[2]) == 1.0


def test_vvv_recovers_blobs_higher_dimension():
    rng = np.random.default_rng(3)
    d = 6
    X = np.vstack([rng.normal(size=(70, d)) * rng.uniform(0.3, 1.5, size=d) + 10.0 * g
                   for g in range(4)])
    truth = np.repeat(np.arange(4), 70)
    _, labels = hierarchical_partitions(X, 5)
    assert adjusted_rand_score(truth, labels[3]) == 1.0
    _assert_nested(labels)


def test_subset_path():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(300, 2))
    index, labels = hierarchical_partitions(X, 4, max_samples=100, random_state=0)
    assert index.shape == (100,)
    assert np.unique(index).size == 100 and np.all(np.diff(index) > 0)
    assert index.min() >= 0 and index.max() < 300
    _assert_valid(labels, index, 4, 100)
    index2, labels2 = hierarchical_partitions(X, 4, max_samples=100, random_state=0)
    assert np.array_equal(index, index2) and np.array_equal(labels, labels2)
    index3, _ = hierarchical_partitions(X, 4, max_samples=100,
                                        random_state=np.random.default_rng(0))
    assert index3.shape == (100,)
    index4, labels4 = hierarchical_partitions(X, 4, max_samples=300)
    assert np.array_equal(index4, np.arange(300))


# ---------------------------------------------------------------------------
# awkward data: never crash, never LinAlgError
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("model", ["VVV", "EII"])
def test_duplicates(model):
    rng = np.random.default_rng(5)
    base = rng.normal(size=(6, 2))
    X = base[rng.integers(0, 6, size=50)]
    index, labels = hierarchical_partitions(X, 9, model=model)
    _assert_valid(labels, index, 9, 6)
    # all duplicates end in one cluster at the level of the distinct points
    lab = labels[5]
    for row in base:
        members = np.all(X == row, axis=1)
        assert np.unique(lab[members]).size <= 1


@pytest.mark.parametrize("model", ["VVV", "EII"])
def test_constant_column(model):
    rng = np.random.default_rng(6)
    X = np.column_stack([rng.normal(size=40), np.full(40, 0.1), rng.normal(size=40)])
    index, labels = hierarchical_partitions(X, 5, model=model)
    _assert_valid(labels, index, 5, 40)
    assert svd_transform(X).shape == (40, 2)
    # only one non-constant column
    X1 = np.column_stack([rng.normal(size=40), np.full(40, -3.0)])
    index, labels = hierarchical_partitions(X1, 5, model=model)
    _assert_valid(labels, index, 5, 40)


def test_collinear_and_wide_data():
    rng = np.random.default_rng(8)
    x = rng.normal(size=30)
    X = np.column_stack([x, 2 * x + 1, -x, rng.normal(size=30)])  # rank 2 after centring
    index, labels = hierarchical_partitions(X, 6)
    _assert_valid(labels, index, 6, 30)
    Xw = rng.normal(size=(5, 12))  # n <= d: mclust uses EII
    index, labels = hierarchical_partitions(Xw, 8)
    _assert_valid(labels, index, 8, 5)
    Xs = np.column_stack([rng.normal(size=50) * 1e-9, rng.normal(size=50) * 1e9])
    index, labels = hierarchical_partitions(Xs, 4, transform="none")
    _assert_valid(labels, index, 4, 50)


@pytest.mark.parametrize("model", ["VVV", "EII"])
def test_fewer_points_than_clusters(model):
    X = np.array([[0.0, 1.0], [2.0, 3.0], [5.0, -1.0]])
    index, labels = hierarchical_partitions(X, 6, model=model)
    _assert_valid(labels, index, 6, 3)
    assert np.unique(labels[5]).size == 3


def test_single_point_and_identical_points():
    index, labels = hierarchical_partitions(np.array([[1.0, 2.0]]), 3)
    assert index.tolist() == [0] and labels.shape == (3, 1) and np.all(labels == 0)
    index, labels = hierarchical_partitions(np.ones((7, 3)), 3)
    assert labels.shape == (3, 7) and np.all(labels == 0)
    index, labels = hierarchical_partitions(np.array([[0.0, 0.0], [1.0, 1.0]]), 3)
    assert labels.tolist() == [[0, 0], [0, 1], [0, 1]]


@pytest.mark.parametrize("model", ["VVV", "EII"])
def test_one_dimensional(model):
    rng = np.random.default_rng(9)
    x = np.concatenate([rng.normal(0, 1, 50), rng.normal(8, 0.5, 40), [3.0, 3.0, 3.0]])
    for X in (x, x[:, None]):
        index, labels = hierarchical_partitions(X, 6, model=model)
        _assert_valid(labels, index, 6, np.unique(x).size)
        assert adjusted_rand_score(x > 5, labels[1]) == 1.0
    # explicit mclust hcV runs too
    index, labels = hierarchical_partitions(x[:, None], 4, model="V")
    _assert_valid(labels, index, 4, np.unique(x).size)


def test_quantile_classes():
    x = np.arange(12, dtype=float)
    assert quantile_classes(x, 3).tolist() == [0] * 4 + [1] * 4 + [2] * 4
    lab = quantile_classes(np.array([1.0, 1.0, 1.0, 2.0, 5.0]), 4)
    assert np.unique(lab).size == 3  # only 3 distinct values
    rng = np.random.default_rng(10)
    y = np.round(rng.normal(size=200), 1)  # many ties
    for k in range(1, 8):
        lab = quantile_classes(y, k)
        assert np.unique(lab).size == k
        # classes are intervals ordered by value
        assert np.all(np.diff(lab[np.argsort(y, kind="stable")]) >= 0)


def test_invalid_arguments():
    X = np.zeros((4, 2))
    with pytest.raises(ValueError):
        hierarchical_partitions(X, 0)
    with pytest.raises(ValueError):
        hierarchical_partitions(X, 2, model="XYZ")
    with pytest.raises(ValueError):
        hierarchical_partitions(X, 2, transform="pca")
    with pytest.raises(ValueError):
        hierarchical_partitions(np.array([[np.nan, 1.0]]), 2)
    with pytest.raises(ValueError):
        hierarchical_partitions(X, 2, model="V")  # V is for 1-D data


# ---------------------------------------------------------------------------
# faithfulness: EM as mclust runs it, started from our partitions, reproduces
# the log-likelihoods in mclust 6.0.0's mclustBIC(faithful) table
# ---------------------------------------------------------------------------

# mclust 6.0.0, faithful, model VVV, G = 1..9 (from faithful_loglik.csv)
_MCLUST_FAITHFUL_VVV = [-1289.79674505262, -1130.26406828685, -1127.1988102262,
                        -1111.27989090704, -1108.40994431284, -1095.40634081788,
                        -1091.30121085395, -1089.27245848127, -1081.64510264208]


def _mclust_me_vvv(X, lab, G, tol=1e-5):
    """mclust's ``meVVV``: M-step from the hard partition, then EM, stop on
    ``|l_old - l| / (1 + |l|) <= tol``; returns the last E-step log-likelihood."""
    n, p = X.shape
    z = np.zeros((n, G))
    z[np.arange(n), lab] = 1.0
    hold = np.finfo(float).max / 2
    for _ in range(100000):
        nk = z.sum(0)
        mu = (z.T @ X) / nk[:, None]
        logp = np.empty((n, G))
        for k in range(G):
            D = X - mu[k]
            L = np.linalg.cholesky((D.T * z[:, k]) @ D / nk[k])
            y = np.linalg.solve(L, D.T)
            logp[:, k] = (np.log(nk[k] / n) - 0.5 * p * np.log(2 * np.pi)
                          - np.log(np.diag(L)).sum() - 0.5 * (y * y).sum(0))
        lse = logsumexp(logp, axis=1)
        hood = lse.sum()
        z = np.exp(logp - lse[:, None])
        err = abs(hold - hood) / (1 + abs(hood))
        hold = hood
        if err <= tol:
            return hood
    return hood


def test_faithful_matches_mclust_loglik():
    X = _faithful()
    _, labels = hierarchical_partitions(X, 9)
    for G in range(1, 10):
        ll = _mclust_me_vvv(X, labels[G - 1], G)
        assert ll == pytest.approx(_MCLUST_FAITHFUL_VVV[G - 1], rel=1e-7, abs=0), G


# ---------------------------------------------------------------------------
# the engine's fast paths are exact rewrites: every variant gives the same merges
# ---------------------------------------------------------------------------

def _engine_inputs(seed, n, p, ties):
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n, p)) * rng.uniform(0.3, 3.0, size=p)
    Z[: n // 3] += 2.0
    if ties:  # many exactly equal merge costs
        Z = np.round(Z * 2.0) / 2.0
    return Z


def _all_merges(Z):
    out = {}
    crits = ["VVV", "EII", "V"] if Z.shape[1] == 1 else ["VVV", "EII"]
    for crit in crits:
        out[crit] = Agglomerator(Z, crit, 0.4, 1.0).run()
    return out


@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("p", [1, 2, 3, 4, 7])
def test_engine_variants_agree(p, ties, monkeypatch):
    Z = _engine_inputs(p, 150, p, ties)
    ref = _all_merges(Z)
    # no compaction of the freed slots / compaction at every halving from 8 on
    monkeypatch.setattr(_agglomerator, "_COMPACT_MIN", 10**9)
    assert _all_merges(Z) == ref
    monkeypatch.setattr(_agglomerator, "_COMPACT_MIN", 8)
    assert _all_merges(Z) == ref
    # merged statistics with numpy instead of Python floats
    monkeypatch.setattr(_agglomerator, "_PYSTATS_MAX_P", 0)
    assert _all_merges(Z) == ref
    # ||d||^2 by einsum instead of the written-out sum of squares
    monkeypatch.setattr(_agglomerator, "sumsq_is_einsum", lambda: False)
    assert _all_merges(Z) == ref


def test_sumsq_check_tells_the_truth():
    """The written-out sum of squares is used only where the platform check says it
    reproduces einsum bitwise: the check must say so exactly when it does, on data of
    its own (so a check that wrongly said yes, or wrongly no, fails here)."""
    rng = np.random.default_rng(1)
    agree = True
    for p in (1, 2, 3):
        d = rng.normal(size=(500, p)) * 10.0 ** rng.integers(-8, 8, size=(500, p))
        got = sumsq_rows([d[:, a] * d[:, a] for a in range(p)])
        agree = agree and np.array_equal(got, np.einsum("ij,ij->i", d, d))
    assert sumsq_is_einsum() == agree


def _naive_partitions(n, merges, kmax):
    """Slot replay, one merge at a time (the straightforward reference)."""
    def first_appearance(lab):
        _, first, inv = np.unique(lab, return_index=True, return_inverse=True)
        rank = np.empty(first.size, dtype=np.int64)
        rank[np.argsort(first, kind="stable")] = np.arange(first.size)
        return rank[inv.ravel()]

    lab = np.arange(n)
    out = {}
    g = n
    if g <= kmax:
        out[g] = first_appearance(lab)
    for (i, j, last) in merges:
        lab[lab == j] = i
        if j != last:
            lab[lab == last] = j
        g -= 1
        if g <= kmax:
            out[g] = first_appearance(lab)
    return out


@pytest.mark.parametrize("n, kmax",
                         [(1, 3), (2, 1), (5, 9), (40, 1), (40, 12), (130, 16)])
def test_partitions_from_merges_matches_replay(n, kmax):
    rng = np.random.default_rng(n + kmax)
    Z = np.round(rng.normal(size=(n, 2)), 1)
    merges = Agglomerator(Z, "VVV", 0.3, 1.0).run()
    got = partitions_from_merges(n, merges, kmax)
    ref = _naive_partitions(n, merges, kmax)
    assert got.keys() == ref.keys()
    for k in ref:
        assert np.array_equal(got[k], ref[k]), k
