"""Fuzzing ``gaussmix.load`` with mutated model files (hypothesis, deterministic).

Whatever is changed, deleted, added, nested, reshaped, retyped or flipped, loading
gives either a clean ValueError or a model that works (finite parameters, weights
summing to 1, finite log-densities, finite samples), the very model saved when the
mutation changed nothing, never another exception, and always in bounded memory.
"""

import json
import math
import tracemalloc
import warnings

import numpy as np
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import gaussmix  # noqa: E402
from gaussmix import GaussianMixture  # noqa: E402
from gaussmix.covariance import COVARIANCE_TYPES  # noqa: E402

#: tracemalloc peak allowed while loading a file of a few KB
MAX_PEAK_BYTES = 8 * 2**20
ARRAYS = ("weights_", "means_", "covariances_", "precisions_cholesky_")


def _bases():
    """Valid documents: every covariance type, float32, feature names, an init array,
    re-seedings, a never-fitted lower bound."""
    X = gaussmix.load_faithful(as_frame=True)
    models = [GaussianMixture(2, covariance_type=t, random_state=0).fit(X)
              for t in COVARIANCE_TYPES]
    models.append(GaussianMixture(2, random_state=0).fit(X.to_numpy(np.float32)))
    models.append(GaussianMixture(2, means_init=[[2.0, 50.0], [4.0, 80.0]],
                                  random_state=0).fit(X.to_numpy()))
    gm = GaussianMixture.from_parameters([0.25, 0.75], [[0.0], [3.0]], [1.0, 2.0],
                                         covariance_type="spherical")
    gm.resets_, gm.n_resets_ = [(3, 1)], 1
    models.append(gm)
    return [(json.loads(json.dumps(_document(m))), m) for m in models]


def _document(model):
    from gaussmix.mixture.persistence import to_document
    return to_document(model)


BASES = _bases()

LEAVES = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-2**70, max_value=2**70),
    st.sampled_from([0, 1, 2, -1, 3, 10**9, 2**63, 2**64]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["float64", "float32", "int64", "bool", "complex128", "object",
                     "V2000000000", "U500000000", "<f8", "full", "tied", "diag",
                     "spherical", "auto", "gaussmix.GaussianMixture", "", "array"]),
    st.text(max_size=6),
)
JSON = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=6), inner, max_size=4),
                    max_leaves=8)


def _pick(data, doc):
    """A (parent, key) 1 to 6 levels down in ``doc`` (less where a leaf comes first)."""
    parent, key, node = None, None, doc
    for _ in range(data.draw(st.integers(1, 6))):
        if not isinstance(node, (dict, list)) or not node:
            break
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        parent, key = node, data.draw(st.sampled_from(keys))
        node = parent[key]
    return parent, key


def _tweak(data, value):
    """A nearby value for a number, or a new JSON value."""
    if type(value) in (int, float):
        op = data.draw(st.sampled_from(["neg", "zero", "double", "tiny", "huge", "plus1",
                                        "same", "float", "nan"]))
        return {"neg": -value, "zero": 0 * value, "double": 2 * value,
                "tiny": value * (1 + 1e-12), "huge": value * 1e300, "plus1": value + 1,
                "same": value, "float": float(value), "nan": math.nan}[op]
    return data.draw(JSON)


def _mutate_document(data, doc):
    """One structural mutation of ``doc`` in place; returns the document (a new object
    when the root itself is wrapped or replaced)."""
    parent, key = _pick(data, doc)
    op = data.draw(st.sampled_from(["replace", "tweak", "delete", "add", "wrap", "dup"]))
    if parent is None:
        return [doc] if op == "wrap" else data.draw(JSON) if op == "replace" else doc
    value = parent[key]
    if op == "replace":
        parent[key] = data.draw(JSON)
    elif op == "tweak":
        parent[key] = _tweak(data, value)
    elif op == "delete":
        del parent[key]
    elif op == "add" and isinstance(value, dict):
        value[data.draw(st.sampled_from(["dtype", "shape", "data", "x", "array", "version"])
                        | st.text(max_size=4))] = data.draw(JSON)
    elif op == "add" and isinstance(value, list):
        value.append(data.draw(JSON))
    elif op == "wrap":
        parent[key] = [value] if data.draw(st.booleans()) else {"array": value}
    elif op == "dup" and isinstance(parent, list):
        parent.append(value)
    return doc


def _mutate_number(data, doc):
    """Tweak one number of a fitted array (the values the checks are about)."""
    arrays = [doc["fitted"][name] for name in ARRAYS if doc["fitted"][name]["data"]]
    values = data.draw(st.sampled_from(arrays))["data"]
    i = data.draw(st.integers(0, len(values) - 1))
    values[i] = _tweak(data, values[i])
    return doc


def _mutate_bytes(data, raw):
    """One byte-level mutation: flip, delete, insert, truncate or deep nesting."""
    pos = data.draw(st.integers(1, len(raw) - 1))
    op = data.draw(st.sampled_from(["flip", "delete", "insert", "truncate", "nest"]))
    if op == "flip" and pos < len(raw):
        bit = 1 << data.draw(st.integers(0, 7))
        return raw[:pos] + bytes([raw[pos] ^ bit]) + raw[pos + 1:]
    if op == "delete":
        return raw[:pos] + raw[pos + data.draw(st.integers(1, 8)):]
    if op == "insert":
        return raw[:pos] + data.draw(st.binary(min_size=1, max_size=8)) + raw[pos:]
    if op == "truncate":
        return raw[:pos]
    if op == "nest":
        depth = data.draw(st.sampled_from([40, 1000, 100_000]))
        return raw[:pos] + b"[" * depth + raw[pos:]
    return raw


def _assert_usable(model, doc, original):
    """A loaded model works; it is the saved model when the document is unchanged."""
    for name in ARRAYS:
        assert np.isfinite(getattr(model, name)).all()
    assert abs(float(model.weights_.sum()) - 1.0) < 1e-5 and (model.weights_ >= 0).all()
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # an array for a model with names
        logp = model.score_samples(model.means_ + 0.5)
    assert not np.isnan(logp).any() and (logp < np.inf).all()
    X, _ = model.sample(5, random_state=0)
    assert np.isfinite(X).all() and np.isrealobj(X)
    if doc == original[0]:
        for name in ARRAYS:
            np.testing.assert_array_equal(getattr(model, name), getattr(original[1], name))
            assert getattr(model, name).dtype == getattr(original[1], name).dtype


def _load(path):
    tracemalloc.start()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                model = gaussmix.load(path)
            except ValueError as exc:
                assert "\n" not in str(exc) and str(exc)
                model = None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MAX_PEAK_BYTES, f"loading took {peak} bytes"
    return model


@settings(max_examples=250, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_model_files_load_cleanly_or_fail_cleanly(tmp_path, data):
    original = BASES[data.draw(st.integers(0, len(BASES) - 1))]
    doc = json.loads(json.dumps(original[0]))
    if data.draw(st.booleans()):
        doc = _mutate_number(data, doc)
    for _ in range(data.draw(st.integers(0, 2))):
        doc = _mutate_document(data, doc)
    raw = json.dumps(doc).encode()
    if data.draw(st.integers(0, 3)) == 0:
        raw = _mutate_bytes(data, raw)
    path = tmp_path / "fuzzed.json"
    path.write_bytes(raw)
    model = _load(path)
    if model is not None:
        _assert_usable(model, json.loads(raw), original)


def test_every_base_document_round_trips(tmp_path):
    for doc, model in BASES:
        path = tmp_path / "base.json"
        path.write_text(json.dumps(doc))
        loaded = _load(path)
        assert loaded is not None
        _assert_usable(loaded, doc, (doc, model))
