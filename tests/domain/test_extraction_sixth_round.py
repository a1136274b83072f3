"""Rules of the sixth round of issue 14, each on made-up sentences shaped like the misses of the
spent part ``fresh3``: what a user sees, (words, metric, claimant) per proposal."""

from __future__ import annotations

import pytest

from app.domain.extraction import extract

PUB = "Daily Test"
Row = tuple[str, str, str]


def _read(text: str) -> list[Row]:
    found = extract(text, publisher=PUB)
    names = {s.key: s.name for s in found.sources}
    return [(f.words, f.metric, names.get(f.claimant or "", "?")) for f in found.figures]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a breakdown by place after the whole: each count is the whole's metric
        (
            "Of the 150 deaths confirmed as of Monday, 70 were in Alton, 50 were in Barton and six were in Carlton.",
            [("150", "killed"), ("70", "killed"), ("50", "killed"), ("six", "killed")],
        ),
        (
            "Of the 90 confirmed dead as of Friday, 40 were in Alton; 30 in Barton; 12 in Carlton; two each in Dalton.",
            [("90", "killed"), ("40", "killed"), ("30", "killed"), ("12", "killed"), ("two", "killed")],
        ),
        # an abbreviation between the whole and its parts ("2 p.m.") does not break the list
        (
            "Of the 202 deaths confirmed as of 2 p.m. Tuesday, 91 were in Alton and five were in Barton.",
            [("202", "killed"), ("91", "killed"), ("five", "killed")],
        ),
        # a semicolon between clauses does not hand the metric on
        ("Twelve people were killed; 30 were in the building at the time.", [("Twelve", "killed")]),
    ],
)
def test_a_breakdown_by_place_shares_the_metric_of_the_whole(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(w, m) for w, m, _ in _read(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gunmen slaughtered 14 villagers overnight.", [("14", "killed")]),
        (
            "As many as 50 people were admitted to hospitals after drinking the liquor.",
            [("As many as 50", "hospitalized")],
        ),
        ("Currently, 78 people are undergoing treatment in the district.", [("78", "hospitalized")]),
        (
            "The condition of 27 among 115 under treatment is critical.",
            [("27", "hospitalized"), ("115", "hospitalized")],
        ),
        ("Currently 78 people are in hospital.", [("78", "hospitalized")]),
    ],
)
def test_more_words_of_killing_and_of_being_in_hospital(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(w, m) for w, m, _ in _read(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Most new cases were reported in epidemiological week 39 and fell after week 40.",
        "A 7-magnitude earthquake struck the region on Friday night.",
        "The rallies were held on 23 and 24 October.",
        "The rise came in the week of 23 to 29 September.",
        "Rights groups counted 11 gang rapes during the attack.",
        "Surgeons performed 460 operations, mostly on eyes and faces.",
        "The two main dailies reported the story on their front pages.",
        "Crowds gathered during six nights of protests.",
        "The state will pay the children until age of 18.",
        "The minister said at least 1,000 workers were part of the rescue team.",
        "About 250 disaster response workers and 100 ambulances were involved in the rescue effort.",
    ],
)
def test_labels_dates_measures_acts_and_nights_are_not_figures(text: str) -> None:
    assert _read(text) == []


def test_a_list_number_opening_a_line_is_not_a_count() -> None:
    assert [(w, m) for w, m, _ in _read("8.According to the police, thirteen officers were beaten to death.")] == [
        ("thirteen", "killed")
    ]


def test_the_update_label_is_not_read_as_a_second_toll() -> None:
    assert [(w, m) for w, m, _ in _read("Quake Toll Reaches 126 in the Prefecture (Update 4)")] == [("126", "killed")]


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        # the speaker after a wire dateline
        ("Kabul - Ahmed Karimi said the flood has killed over 300 people.", "Ahmed Karimi"),
        (
            "KABUL (Reuters) - Ahmed Karimi, the spokesman for the ministry, said the flood killed 300 people.",
            "Ahmed Karimi",
        ),
        # who was told is not who spoke
        (
            "As many as 600 people are missing, Sami Haddad, health minister in the east, told Libya’s Al Jadeed TV.",
            "Sami Haddad",
        ),
        # more speech verbs and speakers
        ("The resistance committee alleged that the militia killed more than 43 children.", "resistance committee"),
        ("The United Nations assesses that more than 7 million people have been displaced.", "United Nations"),
        ("Local authorities gave an estimate of 100 people killed.", "Local authorities"),
        ("The junta also reported that 68 people are missing.", "junta"),
        ("Five people were shot dead, as reported by several NGOs.", "NGOs"),
        ("Currently 78 people are in hospital, as per the hospital authorities.", "hospital authorities"),
        ("The new UN investigation concluded that 134 men were killed.", "UN investigation"),
    ],
)
def test_the_speaker_is_found(text: str, claimant: str) -> None:
    found = _read(text)
    assert found and all(claimant.lower() in name.lower() for _, _, name in found), found


@pytest.mark.parametrize(
    ("text", "claimant"),
    [
        (
            "The director, Ahmad Karimi, urged action. He said that at least 92 protesters have been killed.",
            "Ahmad Karimi",
        ),
        ("The minister gave details. He said that 30 people were killed.", "minister"),
        ("The police chief arrived. She said 12 people were arrested.", "police chief"),
        ("The floods destroyed homes. He said that 30 people were killed.", PUB),
    ],
)
def test_he_or_she_is_the_person_the_sentence_before_opens_on(text: str, claimant: str) -> None:
    assert [name for _, _, name in _read(text)] == [claimant]
