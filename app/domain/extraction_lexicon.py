"""The word lists of the extractor, read once from ``app.domain.data``: attribution verbs, metric
words, modality cues, source words, outlets, places, equipment, nouns that are not counted and
things that are not people. Each file describes its format in its header; a user may extend them.
Phrases are matched over the lower-cased text, whole words, longest first, any spacing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TypeVar

from app.domain.vocab import Modality

_DATA_PACKAGE = "app.domain.data"
_T = TypeVar("_T")


def _rows(name: str) -> list[list[str]]:
    """The lines of a data file, split on tabs, without blank lines and ``#`` comments."""
    raw = resources.files(_DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    lines = (line for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    return [[cell.strip() for cell in line.split("\t")] for line in lines]


def _norm(words: str) -> str:
    return " ".join(words.lower().split())


def _entry(table: dict[str, _T], m: re.Match[str]) -> _T:
    """The table entry of a phrase matched in the lower-cased text (any spacing)."""
    found = m.group()
    return table[found] if found in table else table[_norm(found)]


def _phrases_re(phrases: Iterable[str], whole: bool = True) -> re.Pattern[str]:
    """One alternation, longest first, of whole words with any spacing, for lower-cased text.

    Case-sensitive matching over a lower-cased copy is several times faster than IGNORECASE.
    ``whole=False`` drops the check that the last word ends there: it finds every place a
    phrase may start (a superset, used to skip numbers with no metric word near them).
    """
    alts = sorted({_norm(p) for p in phrases}, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in alts)
    return re.compile(rf"\b(?:{body})(?![\w-])" if whole else rf"\b(?:{body})")


@dataclass(frozen=True, slots=True)
class _Lexicon:
    verbs: dict[str, str]  # "said" -> "say"
    metrics: dict[str, tuple[str, str]]  # "death toll" -> ("killed", "strong")
    people_metric: dict[str, str]  # an equipment word's metric when it counts people: "lost" -> "killed"
    modalities: dict[str, Modality]
    kinds: dict[str, str]  # "ministry" -> "government", "spokeswoman" -> "title"
    outlets: dict[str, str]  # any spelling, lower case -> canonical name
    outlet_words: frozenset[str]  # the first words of those spellings
    places: dict[str, tuple[str, str]]  # "russian" -> ("Russia", "adjective")
    equipment: frozenset[str]
    not_counted: frozenset[str]
    things: frozenset[str]  # nouns of things and groups: a number counting them counts no people
    verb_re: re.Pattern[str]
    metric_re: re.Pattern[str]
    metric_start_re: re.Pattern[str]  # where a metric word may start (no check of its end)
    modality_re: re.Pattern[str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    verbs = {_norm(r[0]): r[1] for r in _rows("attribution_verbs.tsv")}
    rows = _rows("metric_words.tsv")
    metrics = {_norm(r[0]): (r[1], r[2]) for r in rows}
    modalities = {_norm(r[0]): Modality(r[1]) for r in _rows("modality_cues.tsv")}
    outlets = {_norm(name): row[0] for row in _rows("outlets.tsv") for name in row}
    return _Lexicon(
        verbs=verbs,
        metrics=metrics,
        people_metric={_norm(r[0]): r[3] for r in rows if len(r) > 3},
        modalities=modalities,
        kinds={r[0].lower(): r[1] for r in _rows("source_words.tsv")},
        outlets=outlets,
        outlet_words=frozenset(name.split()[0] for name in outlets),
        places={r[0].lower(): (r[1], r[2]) for r in _rows("places.tsv")},
        equipment=frozenset(r[0].lower() for r in _rows("equipment_nouns.txt")),
        not_counted=frozenset(r[0].lower() for r in _rows("not_counted.txt")),
        things=frozenset(r[0].lower() for r in _rows("things.txt")),
        verb_re=_phrases_re(verbs),
        metric_re=_phrases_re(metrics),
        metric_start_re=_phrases_re(metrics, whole=False),
        modality_re=_phrases_re(modalities),
    )
