"""Rules of the third round of issue 14, each on made-up sentences shaped like the real misses:
(words, low, high, metric, claimant) per proposal, with a named publisher standing for none."""

from __future__ import annotations

import pytest

from app.domain.extraction import extract

PUB = "Daily Test"
Row = tuple[str, float | None, float | None, str, str | None]


def _read(text: str) -> list[Row]:
    ex = extract(text, publisher=PUB)
    names = {s.key: s.name for s in ex.sources}
    return [(f.words, f.low, f.high, f.metric, names.get(f.claimant or "")) for f in ex.figures]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a dash opens the breakdown: the place before it is the whole's
            "Officials said 40 deaths were recorded in the last day -- 30 from Kano, four each from Oyo and Kogi.",
            [
                ("40", 40, 40, "killed", "officials"),
                ("30", 30, 30, "killed", "officials"),
                ("four", 4, 4, "killed", "officials"),
            ],
        ),
        (  # "X at N" places listed after "followed by"
            "Lagos has the most cases with 310 infections followed by Abuja at 120, Kano at 45 and Oyo at 12.",
            [
                ("310", 310, 310, "infected", PUB),
                ("120", 120, 120, "infected", PUB),
                ("45", 45, 45, "infected", PUB),
                ("12", 12, 12, "infected", PUB),
            ],
        ),
        (  # a ranking continued in the next sentence, one count per place in parentheses
            "Lagos leads the tally with 90 deaths. It is followed by Abuja (41), Kano (17) and Oyo (6).",
            [
                ("90", 90, 90, "killed", PUB),
                ("41", 41, 41, "killed", PUB),
                ("17", 17, 17, "killed", PUB),
                ("6", 6, 6, "killed", PUB),
            ],
        ),
    ],
)
def test_lists_of_places_share_the_metric(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


def test_a_place_before_the_figure_still_splits_unlisted_figures() -> None:
    """ "12 people died in Kano and 30 were hurt at the scene": no list, the metrics stay apart."""
    got = _read("Twelve people died in Kano after the storm, and 30 were hurt at the market.")
    assert [(w, m) for w, _, _, m, _ in got] == [("Twelve", "killed"), ("30", "injured")]
