"""JSON text read strictly: no object holding the same key twice, no nesting deeper than
``MAX_DEPTH`` levels.

Python's ``json.loads`` keeps the last of two equal keys (``{"name": "a", "name": "b"}`` reads as
``{"name": "b"}``: what one reader of a body sees is not what another sees) and recurses once per
level of arrays and objects, so text nested ~1,000 deep raises ``RecursionError``. ``loads_strict``
measures the depth first, without recursion and in time linear in the text (one regular expression
cuts out the strings, the brackets left are summed in C), and only then parses, with an
``object_pairs_hook`` that notes each object holding a key twice; every such object is named by
its path (``figures.0``). Domain-free: callers turn ``JsonRefused`` into their own answers.

The bodies of this service nest 5 levels at most (an import's claim, its figures, a figure, its
fields), so ``MAX_DEPTH`` = 64 refuses nothing real.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

MAX_DEPTH = 64
DUPLICATE_KEY = "json-duplicate-key"
TOO_DEEP = "json-too-deep"
TOO_DEEP_REASON = f"arrays and objects nest more than {MAX_DEPTH} levels deep (the limit)"

# A JSON string, escapes included; an unterminated one runs to the end. It cannot fail once it has
# begun (each branch stops only at an unescaped quote or the end), so no input makes it backtrack.
_STRING = re.compile(rb'"[^"\\]*(?:\\.?[^"\\]*)*(?:"|\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


@dataclass(frozen=True)
class JsonFault:
    path: str  # where: ``figures.0.name``; empty for the whole text
    reason: str
    kind: str  # DUPLICATE_KEY or TOO_DEEP


class JsonRefused(ValueError):
    """Well-formed or not, the text breaks a rule of ``loads_strict``: ``faults`` says where."""

    def __init__(self, faults: list[JsonFault]) -> None:
        super().__init__("; ".join(f.reason for f in faults))
        self.faults = faults


def too_deep(text: str | bytes) -> bool:
    """Whether arrays and objects nest more than ``MAX_DEPTH`` levels deep in ``text`` (brackets
    inside strings do not count). Linear, and every loop runs in C; stops at the first level too deep."""
    raw = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:  # no deeper than it has brackets: no scan
        return False
    brackets = _STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)  # UTF-8: no bracket byte in a letter
    levels = accumulate(map(_STEP.__getitem__, brackets))
    return next(filter(MAX_DEPTH.__lt__, levels), None) is not None


def loads_strict(text: str | bytes) -> Any:
    """``json.loads``, refusing nesting deeper than ``MAX_DEPTH`` (checked before parsing) and
    objects holding a key twice (all of them named): raises ``JsonRefused``; malformed JSON raises
    ``json.JSONDecodeError`` (a ``ValueError``), as ``json.loads`` does."""
    if too_deep(text):
        raise JsonRefused([JsonFault("", TOO_DEEP_REASON, TOO_DEEP)])
    twice: list[_Twice] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) == len(items):
            return obj
        found = _Twice(obj)
        found.keys_twice = [key for key, n in Counter(key for key, _ in items).items() if n > 1]
        twice.append(found)
        return found

    data = json.loads(text, object_pairs_hook=pairs)
    if twice:
        raise JsonRefused(_duplicates(data))
    return data


class _Twice(dict[str, Any]):
    """An object that held some key twice (the last value kept, as ``json.loads`` does)."""

    keys_twice: list[str]


def _duplicates(data: Any) -> list[JsonFault]:
    """Each key held twice, in document order, with the path of its object; walked without recursion."""
    faults: list[JsonFault] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _Twice):
            where = path or "the top level"
            faults += [
                JsonFault(_at(path, key), f"duplicate key {key!r} at {where}", DUPLICATE_KEY)
                for key in value.keys_twice
            ]
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        stack += reversed([(_at(path, key), item) for key, item in items])
    return faults


def _at(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)
