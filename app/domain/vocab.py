"""Controlled vocabularies shared by the domain, the database and the API."""

from enum import StrEnum


class SourceKind(StrEnum):
    """What kind of speaker a source is."""

    person = "person"
    organization = "organization"
    outlet = "outlet"
    government = "government"
    anonymous = "anonymous"
    other = "other"


class Modality(StrEnum):
    """How firmly a claim was made. ``denied`` and ``retracted`` are shown but never counted."""

    asserted = "asserted"
    reported = "reported"
    hedged = "hedged"
    alleged = "alleged"
    denied = "denied"
    retracted = "retracted"


NOT_COUNTED = frozenset({Modality.denied, Modality.retracted})

# The metrics every database starts with; more are added through the API (table ``metric``).
BASE_METRICS: dict[str, str] = {
    "killed": "People killed (deaths, fatalities, death toll).",
    "injured": "People injured or wounded.",
    "missing": "People missing or unaccounted for.",
    "displaced": "People displaced or forced to flee.",
    "arrested": "People arrested or detained.",
    "participants": "People taking part (crowd size, fighters engaged).",
}

# Units whose values are real numbers, not counts: their intervals are not rounded to integers.
CONTINUOUS_UNITS = frozenset(
    {"usd", "eur", "gbp", "money", "percent", "%", "tonnes", "tons", "kg", "km", "km2", "hectares", "litres"}
)


def is_count_unit(unit: str) -> bool:
    """Counts (people, vehicles, tanks ...) have integer bounds; money, percent, mass do not."""
    return unit.strip().lower() not in CONTINUOUS_UNITS
