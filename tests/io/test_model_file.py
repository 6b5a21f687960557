"""A model file is untrusted input: every way a tester broke ``gaussmix.load`` (and the
CLI commands that read a MODEL) is refused with a ValueError naming the field, before
anything is computed, in bounded memory."""

import json
import os
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

import gaussmix
from gaussmix import GaussianMixture
from gaussmix.io import model_file
from gaussmix.io.json_limits import MAX_DEPTH

NOT_A_MODEL = "not a readable gaussmix model file"


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """A valid model file (full covariances, 2 components, 2 features), its document
    and the model."""
    folder = tmp_path_factory.mktemp("model")
    gm = GaussianMixture(2, random_state=0).fit(gaussmix.load_faithful())
    path = folder / "good.json"
    gm.save(path)
    return path, json.loads(path.read_text()), gm


def changed(doc, *edits):
    """A deep copy of ``doc`` with ``(path, value)`` edits; value ``DELETE`` removes."""
    doc = json.loads(json.dumps(doc))
    for path, value in edits:
        node = doc
        for key in path[:-1]:
            node = node[key]
        if value is DELETE:
            del node[path[-1]]
        else:
            node[path[-1]] = value
    return doc


DELETE = object()


def write(tmp_path, content, name="bad.json"):
    path = tmp_path / name
    if isinstance(content, dict):
        content = json.dumps(content)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def refused(path, *fragments, **kwargs):
    """``gaussmix.load(path)`` raises a ValueError whose message holds every fragment."""
    with pytest.raises(ValueError) as info:
        gaussmix.load(path, **kwargs)
    for fragment in fragments:
        assert fragment in str(info.value), str(info.value)
    return str(info.value)


def data(doc, name):
    return doc["fitted"][name]["data"]


# ------------------------------------------------------------------ 1. values
VALUE_CASES = {
    "negative weight": ([(("fitted", "weights_", "data"), [-0.3, 1.3])],
                        "fitted.weights_", "non-negative"),
    "weights sum to 1.8": ([(("fitted", "weights_", "data"), [0.9, 0.9])],
                           "fitted.weights_", "sum to 1.8"),
    "NaN in a mean": ([(("fitted", "means_", "data", 0), float("nan"))],
                      "fitted.means_", "NaN or infinite"),
    "inf in a mean": ([(("fitted", "means_", "data", 3), float("-inf"))],
                      "fitted.means_", "NaN or infinite"),
    "covariance not positive definite": (
        [(("fitted", "covariances_", "data"), [1.0, 2.0, 2.0, 1.0] * 2)],
        "fitted.covariances_", "positive-definite"),
    "zero precision factor": ([(("fitted", "precisions_cholesky_", "data"), [0.0] * 8)],
                              "fitted.precisions_cholesky_", "zero, singular"),
    "n_components 10**9 with 2 stored": ([(("params", "n_components"), 10**9)],
                                         "fitted.weights_", "expected (1000000000,)"),
    "n_features_in_ wrong": ([(("n_features_in_",), 3)], "fitted.means_", "expected (2, 3)"),
    "shape of the covariances": ([(("fitted", "covariances_", "shape"), [2, 4])],
                                 "fitted.covariances_", "expected (2, 2, 2)"),
    "unknown covariance type": ([(("params", "covariance_type"), "evil")],
                                "params", "covariance_type='evil'"),
    "negative tol": ([(("params", "tol"), -1.0)], "params", "tol must be >= 0"),
    "NaN reg_covar": ([(("params", "reg_covar"), float("nan"))], "params", "reg_covar"),
    "string max_iter": ([(("params", "max_iter"), "many")], "params", "max_iter"),
    "zero n_jobs": ([(("params", "n_jobs"), 0)], "params", "n_jobs"),
    "bad init_params": ([(("params", "init_params"), "magic")], "params", "init_params"),
    "negative random_state": ([(("params", "random_state"), -3)], "params", "random_state"),
    "means_init of the wrong shape": (
        [(("params", "means_init"), {"array": {"dtype": "float64", "shape": [1, 2],
                                               "data": [0.0, 1.0]}})],
        "params.means_init", "shape"),
    "converged_ a string": ([(("fitted", "converged_"), "yes")], "fitted.converged_", "true"),
    "negative n_iter_": ([(("fitted", "n_iter_"), -1)], "fitted.n_iter_", ">= 0"),
    "lower_bound_ NaN": ([(("fitted", "lower_bound_"), float("nan"))],
                         "fitted.lower_bound_", "finite"),
    "reset of a missing component": ([(("resets_",), [[1, 7]])], "resets_", "component"),
    "feature names of the wrong length": ([(("feature_names_in_",), ["a"])],
                                          "feature_names_in_", "2 strings"),
    "missing field": ([(("fitted", "means_"), DELETE)], "fitted.means_", "missing"),
    "missing parameter": ([(("params", "tol"), DELETE)], "params.tol", "missing"),
    "unknown field": ([(("extra",), 1)], "field extra", "not part of"),
}


@pytest.mark.parametrize("case", sorted(VALUE_CASES))
def test_invalid_values_are_refused_naming_the_field(good, tmp_path, case):
    edits, field, what = VALUE_CASES[case]
    message = refused(write(tmp_path, changed(good[1], *edits)), NOT_A_MODEL, field, what)
    assert "\n" not in message


def test_covariances_that_disagree_with_the_precision_factors(good, tmp_path):
    doc = good[1]
    doubled = [2 * v for v in data(doc, "covariances_")]
    refused(write(tmp_path, changed(doc, (("fitted", "covariances_", "data"), doubled))),
            "fitted.covariances_", "disagrees with fitted.precisions_cholesky_")
    # a factor that is not triangular changes the covariance it stands for
    P = list(data(doc, "precisions_cholesky_"))
    P[2] = 0.5
    refused(write(tmp_path, changed(doc, (("fitted", "precisions_cholesky_", "data"), P))),
            "disagrees")


def test_precision_factor_with_a_negative_diagonal(good, tmp_path):
    """(P with a column's sign flipped gives the same precision, but the log of its
    diagonal, which every log-density uses, is NaN.)"""
    P = np.array(data(good[1], "precisions_cholesky_")).reshape(2, 2, 2)
    P[0, :, 1] *= -1
    path = write(tmp_path, changed(good[1], (("fitted", "precisions_cholesky_", "data"),
                                             P.ravel().tolist())))
    refused(path, "fitted.precisions_cholesky_", "triangular, positive diagonal")


def test_zero_factor_of_a_diagonal_model(tmp_path):
    gm = GaussianMixture(2, covariance_type="diag", random_state=0).fit(gaussmix.load_faithful())
    gm.save(tmp_path / "diag.json")
    doc = json.loads((tmp_path / "diag.json").read_text())
    P = data(doc, "precisions_cholesky_")
    refused(write(tmp_path, changed(doc, (("fitted", "precisions_cholesky_", "data"),
                                          [0.0] + P[1:]))), "fitted.precisions_cholesky_")
    refused(write(tmp_path, changed(doc, (("fitted", "precisions_cholesky_", "data"),
                                          [-P[0]] + P[1:]))), "fitted.precisions_cholesky_")


@pytest.mark.parametrize("version, what", [(-7, "from 1 to 1"), (0, "from 1 to 1"),
                                           (True, "from 1 to 1"), ("1", "from 1 to 1"),
                                           (1.0, "from 1 to 1"), (None, "from 1 to 1"),
                                           (2, "upgrade gaussmix")])
def test_unknown_format_versions(good, tmp_path, version, what):
    refused(write(tmp_path, changed(good[1], (("version",), version))), "field version", what)


def test_legal_edge_values_still_load(good, tmp_path):
    """-Infinity as lower bound (a mixture made with from_parameters), a zero weight,
    integer values where floats are stored, and the format's own fields in any order."""
    doc = changed(good[1], (("fitted", "lower_bound_"), float("-inf")))
    assert gaussmix.load(write(tmp_path, doc)).lower_bound_ == -np.inf
    gm = GaussianMixture.from_parameters([0.0, 1.0], [[0.0], [1.0]], [1.0, 4.0],
                                         covariance_type="spherical")
    gm.save(tmp_path / "zero.json")
    back = gaussmix.load(tmp_path / "zero.json")
    np.testing.assert_array_equal(back.weights_, [0.0, 1.0])
    doc = json.loads((tmp_path / "zero.json").read_text())
    doc["fitted"]["covariances_"]["data"] = [1, 4]  # integers for float values
    reordered = dict(reversed(list(doc.items())))
    np.testing.assert_array_equal(gaussmix.load(write(tmp_path, reordered)).covariances_,
                                  [1.0, 4.0])


def test_integer_init_arrays_written_before_still_load(good, tmp_path):
    """Array parameters keep the dtype they were given, so older files may hold
    integer ones."""
    gm = GaussianMixture(2, means_init=np.array([[2, 50], [4, 80]]), random_state=0)
    gm.fit(gaussmix.load_faithful())
    gm.save(tmp_path / "init.json")
    back = gaussmix.load(tmp_path / "init.json")
    assert back.means_init.dtype == np.int64
    np.testing.assert_array_equal(back.means_init, [[2, 50], [4, 80]])
    doc = json.loads((tmp_path / "init.json").read_text())
    doc["params"]["means_init"]["array"]["data"][0] = 2.5
    refused(write(tmp_path, doc), "params.means_init", "not int64 integers")


def test_numpy_scalar_parameters_are_written_as_numbers(tmp_path):
    gm = GaussianMixture(np.int64(2), tol=np.float32(1e-4), random_state=np.int64(3))
    gm.fit(gaussmix.load_faithful())
    gm.save(tmp_path / "np.json")
    back = gaussmix.load(tmp_path / "np.json")
    assert (back.n_components, back.random_state) == (2, 3)


# ------------------------------------------------------------------ 2. dtypes
@pytest.mark.parametrize("dtype", ["V2000000000", "U500000000", "complex128", "object",
                                   "int64", "bool", "float16", "<f8", "S100", "datetime64"])
def test_only_allowed_dtypes_and_nothing_allocated(good, tmp_path, dtype):
    path = write(tmp_path, changed(good[1], (("fitted", "means_", "dtype"), dtype)))
    tracemalloc.start()
    try:
        refused(path, "fitted.means_", f"dtype '{dtype}' is not allowed", "float64, float32")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5e6


def test_float32_models_keep_their_dtype_and_cannot_hold_float64_only_values(tmp_path):
    gm = GaussianMixture(2, random_state=0).fit(gaussmix.load_faithful().astype(np.float32))
    gm.save(tmp_path / "f32.json")
    doc = json.loads((tmp_path / "f32.json").read_text())
    assert gaussmix.load(tmp_path / "f32.json").means_.dtype == np.float32
    doc["fitted"]["means_"]["data"][0] = 1e300  # finite in float64, inf in float32
    refused(write(tmp_path, doc), "fitted.means_", "NaN or infinite values (as float32)")
    doc["fitted"]["means_"]["dtype"] = "float64"
    doc["fitted"]["means_"]["data"][0] = 2.0
    refused(write(tmp_path, doc), "fitted", "mix dtypes")


def test_array_fields_must_be_encoded_arrays(good, tmp_path):
    cases = [
        ((("fitted", "means_", "data"), [1.0, 2.0, 3.0]), "list of 4 numbers"),
        ((("fitted", "means_", "data"), [1.0, 2.0, True, 3.0]), "numbers only"),
        ((("fitted", "means_", "data"), [1.0, 2.0, "3", 3.0]), "numbers only"),
        ((("fitted", "means_", "data"), [[1.0], [2.0], [3.0], [4.0]]), "numbers only"),
        ((("fitted", "means_", "shape"), [2, -2]), "non-negative integers"),
        ((("fitted", "means_", "shape"), [1, 1, 1, 2, 2]), "at most 3"),
        ((("fitted", "means_", "shape"), "2x2"), "non-negative integers"),
        ((("fitted", "means_"), [1.0, 2.0, 3.0, 4.0]), "must be an object"),
        ((("fitted", "means_", "extra"), 1), "not part of"),
        ((("params", "tol"), [1e-3]), "params.tol"),
    ]
    for edit, what in cases:
        refused(write(tmp_path, changed(good[1], edit)), what)


# ------------------------------------------------------------------ 3. files
def test_size_cap_refuses_before_reading(good, tmp_path):
    path, doc, _ = good
    size = path.stat().st_size
    message = refused(path, f"is {size} bytes, more than the limit of {size - 1} bytes",
                      "max_bytes", max_bytes=size - 1)
    assert "\n" not in message
    assert gaussmix.load(path, max_bytes=size).n_components == 2
    with pytest.raises(ValueError, match="max_bytes must be >= 0"):
        gaussmix.load(path, max_bytes=-1)
    with pytest.raises(TypeError, match="max_bytes must be an integer"):
        gaussmix.load(path, max_bytes="64M")
    assert model_file.MAX_MODEL_BYTES == 64 * 2**20


def test_a_2_gb_file_is_refused_at_once_in_constant_memory(tmp_path):
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:  # sparse: takes no disk space
        fh.truncate(2 * 2**30)
    tracemalloc.start()
    try:
        refused(big, "2147483648 bytes", "limit of 67108864 bytes")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1e6  # refused from its size: nothing of it was read


def test_a_folder_is_refused(tmp_path):
    refused(tmp_path, "is a folder, not a regular model file")


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        gaussmix.load(tmp_path / "missing.json")


# ------------------------------------------------------------------ 5. parser limits
def test_deep_nesting_is_refused_without_recursion_error(good, tmp_path):
    text = good[0].read_text()
    deep = text.replace('"resets_": []', '"resets_": ' + "[" * 100_000 + "]" * 100_000)
    refused(write(tmp_path, deep), f"nested more than {MAX_DEPTH} deep")
    refused(write(tmp_path, "[" * 100_000), f"nested more than {MAX_DEPTH} deep")
    refused(write(tmp_path, '{"a": ' * 50_000), f"nested more than {MAX_DEPTH} deep")


def test_brackets_inside_strings_do_not_count(good, tmp_path):
    doc = changed(good[1], (("feature_names_in_",), ["[" * 1000 + '\\"' + "{" * 1000,
                                                     '\\' + "]" * 50]))
    back = gaussmix.load(write(tmp_path, doc))
    assert back.feature_names_in_[0].startswith("[[[")


def test_infinity_where_an_integer_is_needed(good, tmp_path):
    for value in ("Infinity", "-Infinity", "NaN", "1e999", "5.0"):
        doc = good[0].read_text()
        n_iter = doc[doc.index('"n_iter_": '):].split(",")[0]
        refused(write(tmp_path, doc.replace(n_iter, f'"n_iter_": {value}')),
                "fitted.n_iter_", "must be an integer")


def test_huge_integers_and_long_numbers(good, tmp_path):
    text = good[0].read_text()
    for number, what in (("9" * 5000, "5000 characters"), ("9" * 30, "does not fit in 64 bits"),
                         ("1." + "5" * 100, "102 characters")):
        message = refused(write(tmp_path, text.replace('"max_iter": 1000',
                                                       f'"max_iter": {number}')), what)
        assert "int_max_str_digits" not in message and "Exceeds the limit" not in message


def test_duplicate_keys_are_refused(good, tmp_path):
    text = good[0].read_text().replace('"tol": ', '"tol": 0.5, "tol": ')
    refused(write(tmp_path, text), "the key 'tol' appears twice")


def test_not_json_not_utf8_and_not_an_object(tmp_path):
    refused(write(tmp_path, b"\xff\xfe{}"), "not UTF-8")
    refused(write(tmp_path, "{'format': 1}"), "not JSON")
    refused(write(tmp_path, "[1, 2]"), "no gaussmix format marker")
    refused(write(tmp_path, '"gaussmix.GaussianMixture"'), "no gaussmix format marker")


# ------------------------------------------------------------------ the CLI
def gaussmix_command():
    script = Path(sys.executable).parent / "gaussmix"
    return [str(script)] if script.exists() else [sys.executable, "-m", "gaussmix"]


def cli(*args, cwd, timeout=60):
    return subprocess.run(gaussmix_command() + [str(a) for a in args], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout, stdin=subprocess.DEVNULL)


def assert_one_line_error(result, *fragments):
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "looks like a bug" not in lines[0], lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def cli_folder(tmp_path, good):
    gaussmix.load_faithful(as_frame=True).to_csv(tmp_path / "data.csv", index=False)
    shutil.copy(good[0], tmp_path / "good.json")
    return tmp_path


@pytest.mark.parametrize("case", ["weights sum to 1.8", "zero precision factor"])
def test_cli_refuses_invalid_values(cli_folder, good, case):
    edits, field, _ = VALUE_CASES[case]
    write(cli_folder, changed(good[1], *edits), "bad.json")
    assert_one_line_error(cli("score", "bad.json", "data.csv", cwd=cli_folder), field,
                          NOT_A_MODEL)
    assert sorted(p.name for p in cli_folder.iterdir()) == ["bad.json", "data.csv",
                                                            "good.json"]


def test_cli_refuses_a_complex_dtype(cli_folder, good):
    write(cli_folder, changed(good[1], (("fitted", "means_", "dtype"), "complex128")),
          "bad.json")
    assert_one_line_error(cli("sample", "bad.json", "-n", 1, cwd=cli_folder),
                          "fitted.means_", "complex128")


def test_cli_refuses_a_device_at_once(cli_folder):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    line = assert_one_line_error(cli("sample", "/dev/zero", "-n", 1, cwd=cli_folder),
                                 "/dev/zero")
    assert "character device" in line


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_cli_refuses_a_fifo_without_hanging(cli_folder):
    os.mkfifo(cli_folder / "pipe.json")
    line = assert_one_line_error(cli("sample", "pipe.json", "-n", 1, cwd=cli_folder,
                                     timeout=30), "pipe.json")
    assert "named pipe (FIFO)" in line


def test_cli_refuses_parser_attacks(cli_folder, good):
    text = good[0].read_text()
    cases = {"deep": ('"resets_": []', '"resets_": ' + "[" * 100_000 + "]" * 100_000,
                      "nested more than"),
             "infinite n_iter_": ('"n_iter_": 5', '"n_iter_": Infinity', "fitted.n_iter_"),
             "5000 digits": ('"n_iter_": 5', '"n_iter_": ' + "9" * 5000, "5000 characters")}
    for old, new, what in cases.values():
        assert old in text
        write(cli_folder, text.replace(old, new), "bad.json")
        assert_one_line_error(cli("score", "bad.json", "data.csv", cwd=cli_folder), what)
