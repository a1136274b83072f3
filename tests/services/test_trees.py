"""The one tree walker (recursive CTEs) and every walk built on it, on the engine DATABASE_URL
selects: parent cycles refused, nested events in /discrepancies, a merge into a descendant
refused, relative figures re-derived down a chain, chains deeper than MAX_DEPTH answered 409."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert
from sqlmodel import Session

from app.errors import Conflict
from app.models.entities import Event, Figure
from app.services import trees
from app.services.summaries import drift
from app.services.trees import MAX_DEPTH
from tests.api.helpers import assert_problem, claim, event, scope, source


def chain(engine: Engine, length: int) -> list[int]:
    """``length`` events, each under the one before: ids root first."""
    ids: list[int] = []
    with Session(engine) as session:
        for i in range(length):
            values = {"name": f"level {i}", "parent_id": ids[-1] if ids else None}
            ids.append(int(session.execute(insert(Event).values(**values).returning(Event.id)).scalar_one()))  # type: ignore[arg-type]
        session.commit()
    return ids


# --- the walker itself --------------------------------------------------------------------------
def test_ancestors_and_descendants_walk_the_tree(engine: Engine) -> None:
    root, child, grandchild = chain(engine, 3)
    with Session(engine) as session:
        sibling = Event(name="sibling", parent_id=root)
        session.add(sibling)
        session.flush()
        assert trees.ancestors(session, Event, grandchild) == [child, root]
        assert trees.ancestors(session, Event, root) == []
        assert trees.descendants(session, Event, root) == sorted([child, sibling.id or 0]) + [grandchild]
        assert trees.descendants(session, Event, grandchild) == []
        assert trees.subtrees(session, Event, [child]) == {child, grandchild}


def test_would_cycle_on_self_descendant_and_a_chain_of_three(engine: Engine) -> None:
    a, b, c = chain(engine, 3)
    with Session(engine) as session:
        assert trees.would_cycle(session, Event, a, a)  # parent = self
        assert trees.would_cycle(session, Event, a, b)  # parent = child
        assert trees.would_cycle(session, Event, a, c)  # a > b > c > a
        assert not trees.would_cycle(session, Event, c, a)
        assert not trees.would_cycle(session, Event, None, c)


def test_a_chain_deeper_than_max_depth_is_a_conflict(engine: Engine) -> None:
    ids = chain(engine, MAX_DEPTH + 2)
    with Session(engine) as session:
        with pytest.raises(Conflict, match="deeper than"):
            trees.ancestors(session, Event, ids[-1])
        with pytest.raises(Conflict, match="deeper than"):
            trees.descendants(session, Event, ids[0])
        assert len(trees.ancestors(session, Event, ids[MAX_DEPTH])) == MAX_DEPTH  # exactly at the bound


def test_the_walker_follows_another_parent_column(client: TestClient, engine: Engine) -> None:
    e, s = event(client)["id"], source(client)["id"]
    body = claim(client, s, [{"event_id": e, "metric": "killed", "text": "100"}])
    first = body["figures"][0]["id"]
    second = client.post(
        "/figures",
        json={"claim_id": body["id"], "event_id": e, "metric": "killed", "text": "double that", "reference_id": first},
    ).json()["id"]
    third = client.post(
        "/figures",
        json={"claim_id": body["id"], "event_id": e, "metric": "killed", "text": "double that", "reference_id": second},
    ).json()["id"]
    with Session(engine) as session:
        assert trees.descendants(session, Figure, first, parent="reference_id") == [second, third]
        assert trees.ancestors(session, Figure, third, parent="reference_id") == [second, first]
    assert_problem(client.patch(f"/figures/{first}", json={"reference_id": third}), 409, "reference_id")
    client.patch(f"/figures/{first}", json={"text": "10"})
    assert [client.get(f"/figures/{i}").json()["low"] for i in (first, second, third)] == [10, 20, 40]


# --- through the API, on every tree -------------------------------------------------------------
@pytest.mark.parametrize("path", ["/sources", "/events", "/scopes"])
def test_parent_cycles_are_409(client: TestClient, path: str) -> None:
    ids: list[int] = []
    for i in range(3):
        body: dict[str, Any] = {"name": f"node {i}", "parent_id": ids[-1] if ids else None}
        ids.append(client.post(path, json=body).json()["id"])
    a, b, c = ids
    for parent in (a, b, c):  # itself, its child, the end of a chain of three
        assert_problem(client.patch(f"{path}/{a}", json={"parent_id": parent}), 409, "parent_id")
    assert client.patch(f"{path}/{c}", json={"parent_id": a}).status_code == 200  # a move that loops nothing


def test_deep_chains_are_409(client: TestClient, engine: Engine) -> None:
    ids = chain(engine, MAX_DEPTH + 1)  # the last one has MAX_DEPTH ancestors
    assert client.post("/events", json={"name": "ok", "parent_id": ids[-2]}).status_code == 201
    assert_problem(client.post("/events", json={"name": "too deep", "parent_id": ids[-1]}), 409, "parent_id")
    other = chain(engine, 2)  # moving a subtree of two levels under a deep chain
    assert_problem(client.patch(f"/events/{other[0]}", json={"parent_id": ids[-2]}), 409, "parent_id")
    assert client.patch(f"/events/{other[0]}", json={"parent_id": ids[-3]}).status_code == 200


def test_nested_events_are_in_discrepancies_of_the_root(client: TestClient) -> None:
    war = event(client, "Syrian civil war")["id"]
    battle = event(client, "Battle of Khasham", parent_id=war)["id"]
    strike = event(client, "Air strike", parent_id=battle)["id"]
    elsewhere = event(client, "Elsewhere")["id"]
    a, b = source(client, "A")["id"], source(client, "B")["id"]
    for e in (strike, elsewhere):
        claim(client, a, [{"event_id": e, "metric": "killed", "text": "10"}])
        claim(client, b, [{"event_id": e, "metric": "killed", "text": "500"}])
    totals = [client.get("/discrepancies", params={"event_id": e}).json()["total"] for e in (war, battle, strike)]
    assert totals == [1, 1, 1]
    items = client.get("/discrepancies", params={"event_id": war}).json()["items"]
    assert [i["event"]["id"] for i in items] == [strike]


def test_merge_into_a_descendant_is_409(client: TestClient) -> None:
    top = source(client, "Government")["id"]
    middle = source(client, "Ministry", parent_id=top)["id"]
    bottom = source(client, "Spokeswoman", parent_id=middle)["id"]
    assert_problem(client.post(f"/sources/{bottom}/merge", json={"duplicate_id": top}), 409, "duplicate_id")
    assert client.get(f"/sources/{bottom}").json()["parent_id"] == middle


def test_moving_a_scope_refreshes_the_groups_under_it(client: TestClient, engine: Engine) -> None:
    whole, part = scope(client, "attacking force")["id"], scope(client, "Russians")["id"]
    inner = scope(client, "Wagner", parent_id=part)["id"]
    e = event(client)["id"]
    a, b = source(client, "A")["id"], source(client, "B")["id"]
    claim(client, a, [{"event_id": e, "metric": "killed", "scope_id": whole, "text": "10"}])
    claim(client, b, [{"event_id": e, "metric": "killed", "scope_id": inner, "text": "500"}])
    assert client.patch(f"/scopes/{part}", json={"parent_id": whole}).status_code == 200
    with Session(engine) as session:
        assert drift(session) == []
