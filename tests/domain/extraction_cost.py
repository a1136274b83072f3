"""Count the work ``extract`` does, deterministically: lines run plus characters scanned by regexes.

Timing is noisy on a shared machine; counting is not. ``work(text)`` runs ``extract`` under a
trace function that counts every line event in ``app.domain`` code (a loop iteration is one,
inside a comprehension too), with each compiled pattern of the extraction and wording modules
replaced by a proxy that adds the characters a match, search or scan covers: a rescan of a
sentence per token shows up even when it is one C call.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import pytest

from app.domain import extraction, wording

SEED = resources.files("app.demo_data").joinpath("seed_article.txt").read_text(encoding="utf-8")


class _Counted:
    """A compiled pattern that counts the characters each use of it covers."""

    def __init__(self, pattern: re.Pattern[str], tally: list[int]) -> None:
        self.pattern, self.tally = pattern, tally

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pattern, name)

    def _end(self, string: str, endpos: int) -> int:
        return min(endpos, len(string))

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        m = self.pattern.match(string, pos, endpos)
        self.tally[0] += 1 + (m.end() - pos if m else 0)
        return m

    def fullmatch(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        self.tally[0] += 1 + max(self._end(string, endpos) - pos, 0)
        return self.pattern.fullmatch(string, pos, endpos)

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        m = self.pattern.search(string, pos, endpos)
        self.tally[0] += 1 + max((m.end() if m else self._end(string, endpos)) - pos, 0)
        return m

    def finditer(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        at = pos
        for m in self.pattern.finditer(string, pos, endpos):
            self.tally[0] += 1 + m.end() - at
            at = m.end()
            yield m
        self.tally[0] += 1 + max(self._end(string, endpos) - at, 0)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        self.tally[0] += 1 + max(self._end(string, endpos) - pos, 0)
        return self.pattern.findall(string, pos, endpos)

    def sub(self, repl: Any, string: str, count: int = 0) -> str:
        self.tally[0] += 1 + len(string)
        return self.pattern.sub(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str]:
        self.tally[0] += 1 + len(string)
        return self.pattern.split(string, maxsplit)


def _patch_patterns(monkeypatch: pytest.MonkeyPatch, module: ModuleType, tally: list[int]) -> None:
    for name, value in vars(module).items():
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(module, name, _Counted(value, tally))


def counter(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], int]:
    """A function that extracts a text and returns the work it took (calls + characters scanned)."""
    tally = [0]
    _patch_patterns(monkeypatch, extraction, tally)
    _patch_patterns(monkeypatch, wording, tally)
    lex = extraction._lexicon()
    counted = dataclasses.replace(
        lex,
        verb_re=_Counted(lex.verb_re, tally),  # type: ignore[arg-type]
        metric_re=_Counted(lex.metric_re, tally),  # type: ignore[arg-type]
        metric_start_re=_Counted(lex.metric_start_re, tally),  # type: ignore[arg-type]
        modality_re=_Counted(lex.modality_re, tally),  # type: ignore[arg-type]
    )
    monkeypatch.setattr(extraction, "_lexicon", lambda: counted)

    domain = str(Path(extraction.__file__).parent)

    def lines(frame: FrameType, event: str, arg: Any) -> Any:
        if event == "line":
            tally[0] += 1
        return lines

    def calls(frame: FrameType, event: str, arg: Any) -> Any:
        return lines if frame.f_code.co_filename.startswith(domain) else None

    def work(text: str) -> int:
        tally[0] = 0
        sys.settrace(calls)
        try:
            extraction.extract(text)
        finally:
            sys.settrace(None)
        return tally[0]

    return work


def _names(n: int) -> list[str]:
    """n distinct capitalised names: Aab, Aac, ..."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return [f"{letters[i // 676 % 26].upper()}{letters[i // 26 % 26]}{letters[i % 26]}" for i in range(n)]


# Texts built to be hard for each rule; n is about the number of words (the article: of copies).
SHAPES: dict[str, Callable[[int], str]] = {
    "said": lambda n: "said " * n,
    "ones": lambda n: "1 " * n,
    "numbers beside metric words": lambda n: "killed 1 2 3 4 5 6 7 8 9 10 11 12 13 " * (n // 14),
    "percentages beside metric words": lambda n: "killed 1% 2% 3% 4% 5% 6% 7% 8% " * (n // 9),
    "capitalised names in one sentence": lambda n: (
        " ".join(f"{a} Smith" for a in _names(n // 2)) + " said 12 people were killed."
    ),
    "quotes": lambda n: "“we saw many bodies,” said the official. " * (n // 8),
    "quotes in one sentence": lambda n: "“we saw 12 bodies,” said the official, " * (n // 8),
    "unclosed quotes": lambda n: "“a " * (n // 2),
    "article": lambda n: (SEED + "\n") * max(1, n // 500),
    "cues in one sentence": lambda n: "police said 12 were killed, officials said " * (n // 8),
    "numbers in one sentence": lambda n: "12 people were reportedly killed and " * (n // 6),
    "sources": lambda n: " ".join(
        f"{a} Jones said {i % 90 + 2} people were killed." for i, a in enumerate(_names(n // 8))
    ),
    "according to outlets": lambda n: "12 people were killed, " + "according to Reuters, " * (n // 3),
    "figures relayed by outlets": lambda n: "12 people were killed, according to Reuters, " * (n // 7),
    "nested cues": lambda n: "X said that " * (n // 3) + "12 people were killed.",
    "pronouns": lambda n: "He said 12 people were killed and she said " * (n // 8),
    "restatements": lambda n: "12 people were killed, police said. " * (n // 6),
    "restatements, quoted": lambda n: (
        "12 people were killed, police said. “12 people were killed,” police said. " * (n // 12)
    ),
    "same figure, many scopes": lambda n: " ".join(f"Police said 12 {a} were killed." for a in _names(n // 6)),
    "same figure in one sentence": lambda n: "police said 12 people were killed, " * (n // 6),
    "same name, many spellings": lambda n: " ".join(
        f"{'A' + '.' * (i % 7)}B{'-' * (i % 5)}C said 12 were killed." for i in range(n // 6)
    ),
    "dots": lambda n: "a" + "." * n + "b",
    "adjuncts": lambda n: "Police said" + " on Monday" * (n // 3) + " 12 people were killed.",
}
