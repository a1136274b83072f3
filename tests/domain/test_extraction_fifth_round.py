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
        ("Two nurses died today. Three more are on ventilators.", [("Two", "killed"), ("Three", "hospitalized")]),
        ("Nine miners were trapped underground after the blast.", [("Nine", "trapped")]),
        ("About 40 people are buried under the rubble.", [("About 40", "trapped")]),
        ("Some 3,000 people remain stranded in the hospital grounds.", [("Some 3,000", "trapped")]),
        # the metric word of each figure, also in a list
        ("Four died and 11 were hospitalized.", [("Four", "killed"), ("11", "hospitalized")]),
    ],
)
def test_being_in_hospital_and_being_trapped_are_metrics_of_their_own(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # places, documents, records, attempts, customers, shelters and body parts are not people
        ("Floods hit 14 total districts affected by the storm.", []),
        ("Police released 12 letters seized from the compound where the gunman was killed.", []),
        ("The minister, who survived at least three attempts on his life, was shot dead.", []),
        ("Nearly 1.5 million customers lost power after the storm killed four people.", [("four", "killed")]),
        ("Eight shelters are full as 3,000 people fled the floods.", [("3,000", "displaced")]),
        ("Both attackers struck two subway stations, killing 40.", [("40", "killed")]),
    ],
)
def test_things_and_places_counted_are_not_figures(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The blast tore through two and one-half miles of tunnels, killing 12 miners.", [("12", "killed")]),
        ("A four- or five-story building collapsed, killing three.", [("three", "killed")]),
        ("The children, aged from four to 10, were killed in the strike.", []),
    ],
)
def test_measures_and_ages_written_as_ranges_are_not_figures(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("An estimated 1 in every 90 people were displaced.", []),
        ("Seven out of 10 cases needed treatment, health officials said.", []),
        ("The list covers disasters which resulted in 5 or more deaths.", []),
        # "out of" a group the text names is a share, not a ratio
        ("Two out of the five injured are in critical condition.", [("Two", "injured"), ("five", "injured")]),
    ],
)
def test_ratios_and_thresholds_are_not_figures(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the agent of a passive is who did it
        ("Eight students were arrested by 12 soldiers.", [("Eight", "arrested")]),
        ("Storm Leaves 5 Dead, Millions Without Power", [("5", "killed")]),
        ("At least 300 people were displaced and 2 million are in dire need of aid.", [("At least 300", "displaced")]),
        # warned to go is not gone; ordered to go is annotated as gone
        ("Some 200,000 people were warned to evacuate before the storm.", []),
        ("Some 20,000 people were ordered to evacuate.", [("Some 20,000", "displaced")]),
        ("A protester lost two fingers in the clashes.", []),
        ("One protester lost an eye in the clashes.", []),
    ],
)
def test_people_counted_under_another_predicate_are_not_casualties(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the count named at the clause start is its own, not the toll of the clause before
        (
            "While it is unclear how many pupils were kidnapped, the headmaster said the number of girls living in"
            " the dormitory was about 120.",
            [],
        ),
        # a comparison with another time states no count of its own
        ("About 5,000 people fled, three times as many as a year ago.", [("About 5,000", "displaced")]),
    ],
)
def test_a_count_that_is_not_the_toll_takes_no_metric(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "affected" are infected in an epidemic, not in a disaster or a war
        ("Some 20,000 people were affected by the floods.", []),
        ("The earthquake affected 300,000 people and killed 12.", [("12", "killed")]),
        ("In Gujarat, 3527 people have been affected by swine flu.", [("3527", "infected")]),
        ("The number of affected persons stood at 2,456.", [("2,456", "infected")]),
    ],
)
def test_people_affected_are_infected_only_where_no_disaster_stands_without_a_disease(
    text: str, expected: list[Row]
) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a metric verb before a count is that count's, not the figure's before it
        ("Three soldiers killed 12 militants.", [("12", "killed")]),
        ("Two suicide bombers struck the station, killing dozens.", [("dozens", "killed")]),
        ("Gunmen killed 12 and wounded 30.", [("12", "killed"), ("30", "injured")]),
        # a measure after the verb is not its object
        ("Thirteen miners remained trapped 260 feet below ground.", [("Thirteen", "trapped")]),
    ],
)
def test_a_metric_verb_before_a_count_belongs_to_that_count(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # people sent to help, people living in a place, votes and contacts are not casualties
        ("Authorities deployed 500 police officers to the scene, where 12 people died.", [("12", "killed")]),
        ("About 800 soldiers were deployed to the town, where 14 people were killed.", [("14", "killed")]),
        ("About 1,200 people live in the village, where 30 were killed.", [("30", "killed")]),
        ("Five people living in the house were killed.", [("Five", "killed")]),
        ("Parliament voted 278 to 0 to pass the bill after 23 protesters were killed.", [("23", "killed")]),
        ("Lawmakers voted 151-0 for the bill after 39 people were killed.", [("39", "killed")]),
        ("More than 700 contacts are being monitored, and 26 have tested positive.", [("26", "infected")]),
    ],
)
def test_people_deployed_or_living_somewhere_votes_and_contacts_are_not_figures(text: str, expected: list[Row]) -> None:
    assert _read(text) == expected
