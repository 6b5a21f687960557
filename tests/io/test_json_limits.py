"""The JSON limits a model file is parsed within: nesting depth and container count
checked on the raw bytes (strings and escapes understood), number length and integer
range while parsing, duplicate keys refused, each a JsonLimitError (a ValueError)."""

import json
import tracemalloc

import pytest

from gaussmix.io.json_limits import (
    MAX_CONTAINERS,
    MAX_DEPTH,
    MAX_NUMBER_CHARS,
    JsonLimitError,
    check_structure,
    loads_limited,
)


def test_limits():
    assert (MAX_DEPTH, MAX_CONTAINERS, MAX_NUMBER_CHARS) == (32, 1_000_000, 40)


@pytest.mark.parametrize("depth", [1, 5, MAX_DEPTH])
def test_nesting_up_to_the_limit_parses(depth):
    assert loads_limited(b"[" * depth + b"]" * depth) is not None
    assert loads_limited(b'{"a": ' * depth + b"1" + b"}" * depth) is not None


@pytest.mark.parametrize("raw", [b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1),
                                 b"[" * 1_000_000,
                                 b'{"a": ' * 200_000,
                                 b'[{"a": [' * 11])
def test_deeper_nesting_is_refused_before_parsing(raw):
    with pytest.raises(JsonLimitError, match=f"nested more than {MAX_DEPTH} deep"):
        loads_limited(raw)


@pytest.mark.parametrize("text", [
    '["' + "[" * 100 + '"]',                     # brackets in a string
    '["\\"' + "[" * 100 + '"]',                  # after an escaped quote, still inside
    '["\\\\", ' + "[" * 5 + "]" * 5 + "]",       # an escaped backslash ends the string
    '["\\\\\\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["]',
    '{"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[": "]]]]"}',
])
def test_strings_and_escapes_are_understood(text):
    assert loads_limited(text.encode()) == json.loads(text)


def test_the_depth_count_agrees_with_json_on_escapes():
    # the string holds \" then a quote closes it: the brackets after it count
    raw = b'["\\\\"' + b", [" * 40 + b"]" * 41
    with pytest.raises(JsonLimitError, match="nested"):
        loads_limited(raw)


def test_container_count():
    check_structure(b"[" + b"[]," * 10 + b"[]]", max_containers=12)
    with pytest.raises(JsonLimitError, match="12 lists and objects, more than the limit of 11"):
        check_structure(b"[" + b"[]," * 10 + b"[]]", max_containers=11)
    with pytest.raises(JsonLimitError, match="more than the limit of 1000000"):
        loads_limited(b"[" + b"{}," * 1_000_000 + b"{}]")


def test_numbers():
    assert loads_limited(b"[1.5, -0.0, 1e-300, 2e308, 9223372036854775807]") \
        == [1.5, -0.0, 1e-300, float("inf"), 2**63 - 1]
    nan, inf, ninf = loads_limited(b"[NaN, Infinity, -Infinity]")
    assert nan != nan and inf == float("inf") and ninf == -float("inf")
    for raw, what in ((b"[" + b"9" * 5000 + b"]", "5000 characters"),
                      (b"[9223372036854775808]", "does not fit in 64 bits"),
                      (b"[-9223372036854775809]", "does not fit in 64 bits"),
                      (b"[0." + b"1" * 60 + b"]", "62 characters")):
        with pytest.raises(JsonLimitError, match=what):
            loads_limited(raw)


def test_duplicate_keys_and_bad_text():
    with pytest.raises(JsonLimitError, match="the key 'a' appears twice"):
        loads_limited(b'{"b": {"a": 1, "a": 2}}')
    with pytest.raises(JsonLimitError, match="not UTF-8"):
        loads_limited(b'["\xff"]')
    with pytest.raises(JsonLimitError, match="not JSON"):
        loads_limited(b"[1, 2")
    with pytest.raises(JsonLimitError, match="not JSON"):
        loads_limited(b"")
    assert issubclass(JsonLimitError, ValueError)


def test_the_structure_check_is_fast_and_small_on_big_input():
    raw = b"[" + b"0.123456789012345, " * 2_000_000 + b"1]"  # 38 MB of numbers
    tracemalloc.start()
    try:
        check_structure(raw)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * len(raw) + 20 * 2**20
