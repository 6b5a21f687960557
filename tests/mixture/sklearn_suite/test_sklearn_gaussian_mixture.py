"""scikit-learn's own ``GaussianMixture`` tests, run against gaussmix.

At collection time this module reads ``sklearn/mixture/tests/test_gaussian_mixture.py``
from the installed scikit-learn, replaces its one line
``from sklearn.mixture import GaussianMixture`` by gaussmix's estimator, and executes
the result here, so pytest collects scikit-learn's tests as this module's. The
fixtures they take (``global_dtype``, ``global_random_seed``) come from this folder's
``conftest.py``; the float32 variants always run.

A few of scikit-learn's tests exercise only its private helpers
(``test_suffstat_sk_*``, ``test_compute_log_det_cholesky``,
``test_gaussian_mixture_log_probabilities``): they run and pass, but test scikit-learn.
The array-API tests skip unless ``SCIPY_ARRAY_API`` is set and their array libraries
are installed, as in scikit-learn.

Tests that cannot pass by design are marked ``xfail(strict=True)`` by name in
``EXPECTED_FAILURES`` below, each with its reason: a test that starts passing, a new
failure, or a listed test that scikit-learn renamed or removed is reported.
"""

import ast
import types
from pathlib import Path

import pytest
import sklearn

import gaussmix

SKLEARN_TESTS = (Path(sklearn.__file__).resolve().parent / "mixture" / "tests"
                 / "test_gaussian_mixture.py")
SKLEARN_IMPORT = "from sklearn.mixture import GaussianMixture"
GAUSSMIX_IMPORT = "from gaussmix import GaussianMixture"


def _gaussmix_source():
    """scikit-learn's test source with gaussmix's ``GaussianMixture`` imported instead."""
    if not SKLEARN_TESTS.is_file():
        raise RuntimeError(f"scikit-learn {sklearn.__version__} ships no {SKLEARN_TESTS}; "
                           "the scikit-learn test suite cannot run against gaussmix.")
    lines = SKLEARN_TESTS.read_text(encoding="utf-8").splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if line.rstrip() == SKLEARN_IMPORT]
    if len(found) != 1:
        raise RuntimeError(
            f"{SKLEARN_TESTS} (scikit-learn {sklearn.__version__}) has {len(found)} lines "
            f"'{SKLEARN_IMPORT}', expected exactly 1: scikit-learn changed how its tests "
            "import GaussianMixture; update this module so they test gaussmix's."
        )
    # same line count, so tracebacks point at the right lines of scikit-learn's file
    lines[found[0]] = GAUSSMIX_IMPORT + "\n"
    return "".join(lines)


def _compile(source):
    """Compile with pytest's assertion rewriting where available, so failures show
    the compared values as in any other test module."""
    tree = ast.parse(source, filename=str(SKLEARN_TESTS))
    try:
        from _pytest.assertion.rewrite import rewrite_asserts
    except ImportError:  # pragma: no cover - pytest internals moved; plain asserts then
        pass
    else:
        rewrite_asserts(tree, source.encode("utf-8"), str(SKLEARN_TESTS))
    return compile(tree, str(SKLEARN_TESTS), "exec", dont_inherit=True)


exec(_compile(_gaussmix_source()), globals())

if GaussianMixture is not gaussmix.GaussianMixture:  # noqa: F821 (defined by the exec)
    raise RuntimeError("scikit-learn's tests would not run against gaussmix.GaussianMixture.")


def _materialise_parametrize(func):
    """Turn generator ``argvalues`` of ``func``'s parametrize marks into tuples (the
    same values): scikit-learn passes ``yield_namespace_device_dtype_combinations()``,
    which pytest 9 deprecates and pytest 10 will refuse."""
    marks = getattr(func, "pytestmark", [])
    func.pytestmark = [
        pytest.mark.parametrize(mark.args[0], tuple(mark.args[1]), *mark.args[2:],
                                **mark.kwargs).mark
        if mark.name == "parametrize" and len(mark.args) >= 2
        and isinstance(mark.args[1], types.GeneratorType) else mark
        for mark in marks
    ]


for _name, _obj in list(globals().items()):
    if _name.startswith("test_") and callable(_obj):
        _materialise_parametrize(_obj)


#: scikit-learn tests that gaussmix fails by design, each with its reason and the
#: exception it fails with (any other exception is a failure).
EXPECTED_FAILURES = {
    "test_check_weights": (
        AssertionError,
        "asserts scikit-learn's out-of-range message, which prints the minimum as "
        "'max value' and the maximum as 'min value' (a bug in scikit-learn's "
        "sklearn/mixture/_gaussian_mixture.py::_check_weights); gaussmix prints them "
        "the right way round (with the two labels swapped back the test passes)",
    ),
    "test_regularisation": (
        pytest.fail.Exception,
        "expects a ValueError when components collapse with reg_covar=0; gaussmix "
        "re-seeds a collapsing component instead (DegenerateComponentWarning), by design",
    ),
    "test_gaussian_mixture_precisions_init_diag": (
        AssertionError,
        "builds precisions_init from scikit-learn's own start (sklearn.cluster.KMeans "
        "labels through the private _estimate_gaussian_parameters) and expects that "
        "start to be gaussmix's too; gaussmix's start (init_params='auto', its own "
        "k-means) lists the two components the other way round, so the given "
        "precisions meet the other component's mean (start mean log-likelihood -6.41, "
        "not -4.11) and EM takes 3 iterations, not 2",
    ),
    "test_gaussian_mixture_precisions_init": (
        AttributeError,
        "calls scikit-learn's private GaussianMixture._set_parameters and _initialize "
        "(and the private _estimate_gaussian_parameters and _compute_precision_cholesky)",
    ),
    "test_gaussian_mixture_all_init_does_not_estimate_gaussian_parameters": (
        AssertionError,
        "monkeypatches the private sklearn.mixture._gaussian_mixture."
        "_estimate_gaussian_parameters and counts its calls; gaussmix never calls it",
    ),
}

for _name, (_raises, _reason) in EXPECTED_FAILURES.items():
    if not callable(globals().get(_name)):
        raise RuntimeError(
            f"{_name}, expected to fail, is no longer in {SKLEARN_TESTS} (scikit-learn "
            f"{sklearn.__version__}): update EXPECTED_FAILURES."
        )
    globals()[_name] = pytest.mark.xfail(strict=True, raises=_raises, reason=_reason)(
        globals()[_name])
