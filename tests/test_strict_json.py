"""JSON read strictly: duplicate keys named by path, nesting measured without recursion, in linear time."""

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.strict_json import DUPLICATE_KEY, MAX_DEPTH, TOO_DEEP, JsonFault, JsonRefused, loads_strict, too_deep


def faults(text: str) -> list[JsonFault]:
    with pytest.raises(JsonRefused) as refused:
        loads_strict(text)
    return refused.value.faults


def test_every_key_held_twice_is_named_with_its_path_in_document_order() -> None:
    text = '{"a": 1, "figures": [{"x": 1}, {"name": "a", "q": 1, "name": "b", "q": 2}], "a": 2}'
    assert [(f.path, f.reason, f.kind) for f in faults(text)] == [
        ("a", "duplicate key 'a' at the top level", DUPLICATE_KEY),
        ("figures.1.name", "duplicate key 'name' at figures.1", DUPLICATE_KEY),
        ("figures.1.q", "duplicate key 'q' at figures.1", DUPLICATE_KEY),
    ]


def test_the_limit_is_measured_before_parsing() -> None:
    assert loads_strict("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    for text in ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "[" * 100_000, '{"a":' * 100_000):
        assert [f.kind for f in faults(text)] == [TOO_DEEP]  # json.loads would raise RecursionError


def test_brackets_inside_strings_do_not_count() -> None:
    inside = '["' + "[{" * 1000 + '", "\\"[[[", "\\\\", ' + "[" * 10 + "]" * 10 + "]"
    assert not too_deep(inside) and not too_deep(inside.encode())
    assert loads_strict(inside)[1] == '"[[['
    assert too_deep('["\\\\"' + "[" * 100)  # an escaped backslash ends the string: the brackets count


@pytest.mark.parametrize(
    ("text", "deep"),
    [
        ('"' + '\\"' * 1_000_000, False),
        ('"\\' * 1_000_000, False),
        ('"' * 2_000_000, False),
        ("[" * 2_000_000, True),
        ('["' + "x[" * 1_000_000 + '"]', False),
    ],
)
def test_the_depth_scan_reads_hostile_text_right(text: str, deep: bool) -> None:
    """2 MB built to make a backtracking scanner take hours: the scan runs in C over one regular
    expression that cannot backtrack (see app.strict_json), so it answers, and answers right."""
    assert too_deep(text) is deep


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(JSON)
def test_strict_reading_agrees_with_json_loads_on_strict_text(value: Any) -> None:
    text = json.dumps(value)
    assert loads_strict(text) == json.loads(text) == value
    assert loads_strict(text.encode()) == value
