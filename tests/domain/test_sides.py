"""Whose losses a figure counts, from its claimant's side, and the families of metrics."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.bias import Party
from app.domain.sides import family_of, party_of, relation


@pytest.mark.parametrize(
    ("metric", "family"),
    [
        ("killed", "deaths"),
        ("deaths", "deaths"),
        ("fatalities", "deaths"),
        ("civilians_killed", "deaths"),
        ("confirmed_deaths", "deaths"),
        ("injured", "injuries"),
        ("wounded", "injuries"),
        ("tanks", "equipment"),
        ("apc", "equipment"),
        ("aircraft", "equipment"),
        ("armoured_vehicles", "equipment"),
        ("confirmed", "cases"),
        ("cases", "cases"),
        ("displaced", "displaced"),
        ("participants", "participants"),
    ],
)
def test_family_of_a_metric_follows_the_documented_mapping(metric: str, family: str) -> None:
    assert family_of(metric) == family


def test_relation_is_own_other_or_third() -> None:
    parties = {"Russia", "Ukraine"}
    assert relation("Russia", "Russia", parties) is Party.own
    assert relation(" russia ", "Russia", parties) is Party.own  # case and spaces do not matter
    assert relation("Ukraine", "Russia", parties) is Party.other
    assert relation("United Nations", "Russia", parties) is Party.third  # an outside side
    assert relation(None, "Russia", parties) is Party.third  # no affiliation
    assert relation("Russia", None, parties) is Party.third  # nobody named whose losses


def test_party_comes_from_the_scope_its_ancestors_or_the_event() -> None:
    parents = {1: None, 2: 1, 3: None}
    parties = {1: "Russia", 2: None, 3: None}
    assert party_of(2, parents, parties, "Ukraine") == "Russia"  # the parent scope's
    assert party_of(3, parents, parties, "Ukraine") == "Ukraine"  # the event's
    assert party_of(None, parents, parties, None) is None


def test_a_cycle_in_the_scope_tree_does_not_hang() -> None:
    assert party_of(1, {1: 2, 2: 1}, {}, "A") == "A"


@given(st.text(max_size=30), st.text(max_size=30) | st.none(), st.sets(st.text(max_size=10), max_size=4))
def test_relation_of_a_side_to_its_own_party_is_own(side: str, other: str | None, parties: set[str]) -> None:
    if side.strip():
        assert relation(side, side, parties | {side}) is Party.own
    found = relation(side, other, parties)
    assert found in set(Party)
    if found is Party.other:
        assert side.strip().casefold() in {p.strip().casefold() for p in parties}
