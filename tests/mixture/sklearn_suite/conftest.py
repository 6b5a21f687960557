"""Fixtures that scikit-learn's test modules take from ``sklearn/conftest.py``,
defined here as scikit-learn defines them, for this folder only.

``sklearn.conftest`` itself is not loaded as a plugin: it installs session-wide
hooks (collection changes, thread limits, matplotlib backend, dataset fetchers)
that have no business in gaussmix's suite.
"""

from os import environ

import numpy as np
import pytest


@pytest.fixture(params=[np.float32, np.float64])
def global_dtype(request):
    """scikit-learn's ``global_dtype``, except that float32 always runs (scikit-learn
    skips it unless ``SKLEARN_RUN_FLOAT32_TESTS=1``): gaussmix fits float32 data in
    float32, and that is tested here too."""
    yield request.param


def _global_random_seeds():
    """The seeds ``SKLEARN_TESTS_GLOBAL_RANDOM_SEED`` asks for, as scikit-learn reads
    it: unset 42, ``all`` 0-99, ``N`` or ``N-M``."""
    value = environ.get("SKLEARN_TESTS_GLOBAL_RANDOM_SEED")
    if value is None:
        return [42]
    if value == "all":
        return list(range(100))
    if "-" in value:
        start, stop = value.split("-")
        seeds = list(range(int(start), int(stop) + 1))
    else:
        seeds = [int(value)]
    if min(seeds) < 0 or max(seeds) > 99:
        raise ValueError(
            "The value(s) of the environment variable SKLEARN_TESTS_GLOBAL_RANDOM_SEED "
            f"must be in the range [0, 99] (or 'all'), got: {value}"
        )
    return seeds


def pytest_generate_tests(metafunc):
    """``global_random_seed`` parametrised as scikit-learn does (a conftest hook
    applies to the tests below its folder only)."""
    if "global_random_seed" in metafunc.fixturenames:
        metafunc.parametrize("global_random_seed", _global_random_seeds())
