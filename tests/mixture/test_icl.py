"""GaussianMixture.icl: BIC minus twice the summed log of each row's largest
responsibility, scikit-learn's sign; equal to R mclust's ICL (sign flipped) wherever
the fit reaches mclust's optimum.

mclust's ICL of a cell belongs to mclust's own local optimum: where gaussmix ends
elsewhere (higher or lower log-likelihood) the two ICLs describe different fits, so
only the cells whose log-likelihood agrees within 1e-6 relative are compared. The
covariance types tested are every mclust model name gaussmix accepts, found through
``get_structure(name).mclust_name``: new structures are tested the day they exist.
"""

import csv
import functools
import warnings
from pathlib import Path

import numpy as np
import pytest

from gaussmix import GaussianMixture
from gaussmix.covariance import COVARIANCE_TYPES, get_structure
from gaussmix.mixture import criteria

# R mclust 6.0.0 results (tests/data/mclust/README.md)
MCLUST = Path(__file__).resolve().parents[1] / "data" / "mclust"
SKLEARN_TYPES = ("full", "diag", "spherical", "tied")
DATASETS = ("faithful", "iris")
#: The default start and mclust's own (the agglomeration alone): fits from both are
#: compared where they reach mclust's optimum (the second reaches it in more cells).
STARTS = ("auto", "hierarchical")
SAME_FIT = 1e-6
#: At log-likelihoods equal within 1e-6 relative, parameters (and responsibilities)
#: agree only to about the square root of that, since the optimum is flat to first
#: order; the classification term of ICL follows the responsibilities.
ICL_RTOL = 1e-4


def _table(path, key):
    with open(path) as fh:
        return {int(r[key]): r for r in csv.DictReader(fh)}


@functools.lru_cache(maxsize=None)
def reference(name):
    X = np.loadtxt(MCLUST / f"{name}.csv", delimiter=",", skiprows=1)
    return (X, _table(MCLUST / f"{name}_loglik.csv", "G"),
            _table(MCLUST / f"{name}_icl.csv", ""))


def _accepted_mclust_types():
    """``{gaussmix name: mclust name}`` for every covariance type gaussmix accepts whose
    mclust model is in the tables: its own names and mclust's names it takes."""
    with open(MCLUST / "faithful_icl.csv") as fh:
        models = next(csv.reader(fh))[1:]
    names = list(COVARIANCE_TYPES)
    for model in models:
        try:
            get_structure(model)
        except (ValueError, KeyError):
            continue
        names.append(model)
    out = {n: get_structure(n).mclust_name for n in dict.fromkeys(names)}
    return {n: m for n, m in out.items() if m in models}


TYPES = _accepted_mclust_types()
CELLS = [(name, ct, G) for name in DATASETS for ct in TYPES for G in range(1, 10)]


@functools.lru_cache(maxsize=None)
def fit(name, ct, G, start):
    X = reference(name)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return GaussianMixture(G, covariance_type=ct, init_params=start, random_state=0).fit(X)


def matching_fits(name, ct, G):
    """The fits (one per start) whose log-likelihood is mclust's, with mclust's ICL
    (its sign), or None where mclust could not fit the cell."""
    X, logliks, icls = reference(name)
    value = logliks[G][TYPES[ct]]
    if value in ("NA", ""):
        return None, []
    target = float(value)
    fits = [fit(name, ct, G, s) for s in STARTS]
    same = [gm for gm in fits
            if abs(gm.score(X) * len(X) - target) <= SAME_FIT * abs(target)]
    return float(icls[G][TYPES[ct]]), same


def test_the_four_sklearn_types_are_covered():
    assert {get_structure(t).mclust_name for t in SKLEARN_TYPES} <= set(TYPES.values())


@pytest.mark.parametrize("name, ct, G", CELLS)
def test_icl_equals_mclust_where_the_fit_does(name, ct, G):
    mclust_icl, same = matching_fits(name, ct, G)
    if not same:
        pytest.skip("gaussmix's optimum is not mclust's here")
    X = reference(name)[0]
    for gm in same:
        assert gm.icl(X) == pytest.approx(-mclust_icl, rel=ICL_RTOL)


def test_most_cells_of_the_four_types_are_compared():
    """Guards against every cell skipping: with the agglomeration start gaussmix
    reaches mclust's optimum in 23 of the 72 cells of the four scikit-learn types."""
    four = [c for c in CELLS if c[1] in SKLEARN_TYPES]
    compared = sum(bool(matching_fits(*c)[1]) for c in four)
    assert compared >= 20, compared


def test_icl_is_bic_minus_twice_the_log_largest_responsibility(three_blobs):
    X = three_blobs[0]
    gm = GaussianMixture(3, random_state=0).fit(X)
    resp = gm.predict_proba(X)
    expected = gm.bic(X) - 2 * np.log(resp.max(axis=1)).sum()
    assert gm.icl(X) == pytest.approx(expected, rel=1e-12)
    assert gm.icl(X) >= gm.bic(X)
    one = GaussianMixture(1, random_state=0).fit(X)
    assert one.icl(X) == pytest.approx(one.bic(X), rel=1e-12)  # one component: no overlap


def test_icl_prefers_separated_clusters_to_a_split_one(rng):
    """ICL punishes two components that share one cluster more than BIC does."""
    X = rng.normal(size=(400, 2))
    one = GaussianMixture(1, random_state=0).fit(X)
    two = GaussianMixture(2, random_state=0).fit(X)
    assert two.icl(X) - one.icl(X) > two.bic(X) - one.bic(X)


def test_criteria_formula():
    assert criteria.icl(-100.0, 5, 100, 0.0) == criteria.bic(-100.0, 5, 100)
    w = np.array([1.0, 3.0])
    log_resp = np.log([[0.9, 0.1], [0.3, 0.7]])
    assert criteria.sum_log_max_resp(log_resp, w) == pytest.approx(np.log(0.9) + 3 * np.log(0.7))


def test_mclust_best_model_icl_on_faithful():
    """best.txt: mclust's chosen model for faithful (EEE, G=3) has ICL -2357.8242."""
    X = reference("faithful")[0]
    gm = GaussianMixture(3, covariance_type="tied", random_state=0).fit(X)
    assert gm.icl(X) == pytest.approx(2357.8242, abs=0.5)
