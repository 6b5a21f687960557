"""Parsing JSON from an untrusted file with bounded depth, containers and numbers.

Python's :func:`json.loads` recurses once per nesting level (100,000 nested lists
raise ``RecursionError``), builds a Python object per container (``[],`` is three
bytes but about 60 bytes of memory), and turns any run of digits into an integer
(a 5000-digit integer raises Python's own ``int_max_str_digits`` error). Here the
nesting depth and the number of containers are counted on the raw bytes before
parsing, in C-speed passes, and every number is checked while it is parsed. Every
violation is a :class:`JsonLimitError` (a ``ValueError``) that says which limit.
"""

from __future__ import annotations

import json

import numpy as np

#: Deepest nesting of lists and objects accepted (a model file needs 5).
MAX_DEPTH = 32
#: Most lists and objects in one document (a model file needs a few dozen, plus one
#: per recorded component re-seeding).
MAX_CONTAINERS = 1_000_000
#: Longest number, in characters (a float64 needs at most 24).
MAX_NUMBER_CHARS = 40
#: Integers must fit in a signed 64-bit integer.
MAX_INT = 2**63 - 1

_STEP = np.zeros(256, dtype=np.int8)
_STEP[list(b"[{")] = 1
_STEP[list(b"]}")] = -1
_QUOTE = ord('"')
_OTHER = bytes(b for b in range(256) if b not in b'[]{}"')
_BLOCK = 1 << 20


class JsonLimitError(ValueError):
    """A JSON document breaks one of this module's limits, or is not JSON."""


def _bracket_steps(text):
    """+1 for each opening and -1 for each closing bracket outside strings, block by
    block. ``text`` has its escaped backslashes and quotes removed, so every quote
    left opens or closes a string."""
    quotes = 0
    for start in range(0, len(text), _BLOCK):
        block = np.frombuffer(text[start:start + _BLOCK], dtype=np.uint8)
        is_quote = block == _QUOTE
        inside = (np.cumsum(is_quote, dtype=np.int64) + quotes) & 1
        yield np.where(inside == 0, _STEP[block], 0).astype(np.int8)
        quotes += int(np.count_nonzero(is_quote))


def _bracket_stats(text, max_depth):
    """``(deepest nesting, number of opening brackets)``, stopping early once
    ``max_depth`` is passed (memory: one block at a time)."""
    depth, deepest, opened = 0, 0, 0
    for steps in _bracket_steps(text):
        levels = np.cumsum(steps, dtype=np.int64) + depth
        if levels.size:
            deepest, depth = max(deepest, int(levels.max())), int(levels[-1])
        opened += int(np.count_nonzero(steps > 0))
        if deepest > max_depth:
            break
    return deepest, opened


def check_structure(raw, max_depth=MAX_DEPTH, max_containers=MAX_CONTAINERS):
    """Raise :class:`JsonLimitError` if the JSON text ``raw`` (bytes) nests lists and
    objects deeper than ``max_depth`` or holds more than ``max_containers`` of them.

    Brackets inside strings do not count. The count is exact on any prefix that is
    valid JSON, so :func:`json.loads` never recurses deeper than ``max_depth``.

    Examples
    --------
    >>> check_structure(b'{"a": [[1, 2], "[[[["]}', max_depth=3)
    >>> check_structure(b'[' * 10 + b']' * 10, max_depth=3)
    Traceback (most recent call last):
    ...
    gaussmix.io.json_limits.JsonLimitError: lists and objects are nested more than 3 deep
    """
    # inside strings every backslash starts an escape: drop escaped backslashes first,
    # then escaped quotes (outside strings a backslash is no JSON, and the parser
    # stops there before it nests any deeper); then only quotes and brackets matter
    text = raw.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _OTHER)
    deepest, opened = _bracket_stats(text, max_depth)
    if deepest > max_depth:
        raise JsonLimitError(f"lists and objects are nested more than {max_depth} deep")
    if opened > max_containers:
        raise JsonLimitError(f"it holds {opened} lists and objects, more than the limit of "
                             f"{max_containers}")


def _check_length(text):
    if len(text) > MAX_NUMBER_CHARS:
        raise JsonLimitError(f"a number has {len(text)} characters, more than the limit of "
                             f"{MAX_NUMBER_CHARS}")


def _parse_int(text):
    _check_length(text)
    value = int(text)
    if abs(value) > MAX_INT:
        raise JsonLimitError(f"the integer {text} does not fit in 64 bits")
    return value


def _parse_float(text):
    _check_length(text)
    return float(text)  # may be inf (1e999): fields that need finite numbers check


def _unique_keys(pairs):
    out = dict(pairs)
    if len(out) != len(pairs):
        seen = set()
        twice = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise JsonLimitError(f"the key {ascii(twice[:40])} appears twice in one object")
    return out


def loads_limited(raw, max_depth=MAX_DEPTH, max_containers=MAX_CONTAINERS):
    """The JSON document in ``raw`` (UTF-8 bytes), parsed within the limits.

    ``NaN``, ``Infinity`` and ``-Infinity`` are read as floats (the model format
    writes ``-Infinity`` for a mixture that was never fitted); whoever reads a field
    that must be finite checks it. Duplicate keys in an object are refused.

    Raises
    ------
    JsonLimitError
        Not UTF-8, not JSON, or beyond a limit.

    Examples
    --------
    >>> loads_limited(b'{"n": 3, "x": [1.5, -Infinity]}')
    {'n': 3, 'x': [1.5, -inf]}
    >>> loads_limited(b'{"n": ' + b'9' * 5000 + b'}')
    Traceback (most recent call last):
    ...
    gaussmix.io.json_limits.JsonLimitError: a number has 5000 characters, more than the limit of 40
    """
    check_structure(raw, max_depth, max_containers)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonLimitError(f"not UTF-8 text: {exc}") from None
    try:
        return json.loads(text, parse_int=_parse_int, parse_float=_parse_float,
                          object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise JsonLimitError(f"not JSON: {exc}") from None
