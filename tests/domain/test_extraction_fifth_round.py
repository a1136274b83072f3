"""Precision rules of the fifth round of issue 14, each on made-up sentences shaped like the false
proposals and metric errors of the spent parts: what a user sees, (words, metric) per proposal."""

from __future__ import annotations

import pytest

from app.domain.extraction import extract

PUB = "Daily Test"
Row = tuple[str, str]


def _read(text: str) -> list[Row]:
    return [(f.words, f.metric) for f in extract(text, publisher=PUB).figures]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Twelve people were hospitalised after eating the mushrooms.", [("Twelve", "hospitalized")]),
        ("Three people remain in hospital after the gas leak.", [("Three", "hospitalized")]),
        ("Two people have been admitted to a local hospital with cholera.", [("Two", "hospitalized")]),
        ("Nine miners were trapped underground after the blast.", [("Nine", "trapped")]),
        ("About 40 people are buried under the rubble.", [("About 40", "trapped")]),
        ("Some 3,000 people remain stranded in the hospital grounds.", [("Some 3,000", "trapped")]),
        # the metric word of each figure, also in a list
        ("Four died and 11 were hospitalized.", [("Four", "killed"), ("11", "hospitalized")]),
    ],
)
def test_being_in_hospital_and_being_trapped_are_metrics_of_their_own(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected
