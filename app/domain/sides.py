"""Whose losses a figure counts, seen from its claimant, and which family its metric belongs to
(DESIGN.md, "Whose losses"). Pure: standard library and ``app.domain`` only.

Party relation
- A figure's **party** is the side whose losses it counts: its scope's ``party``, else the nearest
  ancestor scope's, else its event's (``party_of``). None when nothing names one.
- The **parties of an event** are every party its figures resolve to, and the event's own.
- For a claimant with ``affiliation`` a, a figure of party P is ``own`` when a == P, ``other``
  when a is another party of the same event, and ``third`` otherwise: no affiliation, an outside
  one, or a figure whose party nobody named (no side is at stake, so no side can inflate it).
  Names are compared without regard to case or surrounding spaces.

Metric family
- Biases are estimated per family of metrics, so "killed" and "fatalities" share one: a metric's
  family is found from the words of its name (split on ``_``, ``-`` and spaces; a final "s"
  dropped): deaths (killed, dead, deaths, fatalities, death_toll ...), injuries (injured,
  wounded ...), equipment (tanks, apcs, aircraft, helicopters, drones, artillery, vehicles ...),
  cases (cases, confirmed, infections ...); checked in that order, so ``confirmed_deaths`` is
  deaths. Any other metric is a family of its own name (``displaced`` -> ``displaced``).
"""

from collections.abc import Iterable, Mapping
from re import split

from app.domain.bias import Party

FAMILY_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("deaths", frozenset({"killed", "kill", "dead", "death", "deaths", "fatalities", "fatality", "toll", "died"})),
    ("injuries", frozenset({"injured", "injuries", "injury", "wounded", "wound", "hurt"})),
    (
        "equipment",
        frozenset(
            {
                "tank",
                "apc",
                "ifv",
                "afv",
                "mrap",
                "aircraft",
                "airplane",
                "plane",
                "jet",
                "helicopter",
                "drone",
                "uav",
                "artillery",
                "howitzer",
                "mlr",
                "mlrs",
                "vehicle",
                "truck",
                "ship",
                "vessel",
                "boat",
                "warship",
                "missile",
                "launcher",
                "sam",
                "radar",
                "equipment",
                "armour",
                "armor",
                "armoured",
                "armored",
                "gun",
            }
        ),  # fmt: skip
    ),
    ("cases", frozenset({"case", "confirmed", "infection", "infected", "positive"})),
)
"""The documented default mapping, in the order it is checked."""


def _words(metric: str) -> list[str]:
    found = []
    for word in split(r"[_\-\s]+", metric.strip().lower()):
        if word:
            found.append(word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word)
            found.append(word)
    return found


def family_of(metric: str) -> str:
    """The metric's family (module docstring); the metric itself when no family claims it."""
    words = _words(metric)
    for family, nouns in FAMILY_WORDS:
        if any(w in nouns for w in words):
            return family
    return metric


def _norm(name: str | None) -> str | None:
    if name is None:
        return None
    stripped = name.strip().casefold()
    return stripped or None


def party_of(scope_id: int | None, scope_parent: Mapping[int, int | None], scope_party: Mapping[int, str | None],
             event_party: str | None) -> str | None:  # fmt: skip
    """The party a figure counts: its scope's, else the nearest ancestor scope's, else its event's."""
    seen: set[int] = set()
    current = scope_id
    while current is not None and current not in seen:
        seen.add(current)
        party = scope_party.get(current)
        if _norm(party) is not None:
            return party
        current = scope_parent.get(current)
    return event_party if _norm(event_party) is not None else None


def relation(affiliation: str | None, party: str | None, event_parties: Iterable[str | None]) -> Party:
    """``own``, ``other`` or ``third``: the claimant's relation to the party a figure counts."""
    side, counted = _norm(affiliation), _norm(party)
    if side is None or counted is None:
        return Party.third
    if side == counted:
        return Party.own
    if side in {_norm(p) for p in event_parties}:
        return Party.other
    return Party.third
