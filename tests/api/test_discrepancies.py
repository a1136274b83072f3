"""The discrepancy endpoints on the seed story and on small worlds built through the API."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from app.demo import load_demo
from app.domain.discrepancy import severity_of
from app.services.summaries import drift
from tests.api.helpers import assert_problem, claim, event, scope, source


@pytest.fixture
def seed(client: TestClient, engine: Engine) -> dict[str, Any]:
    return load_demo(engine)


def killed_groups(client: TestClient, event_id: int) -> dict[str, dict[str, Any]]:
    response = client.get(f"/events/{event_id}/discrepancies", params={"metric": "killed"})
    assert response.status_code == 200, response.text
    return {g["scope"]["name"]: g for g in response.json()["groups"]}


def test_seed_killed_agreement_outlier_and_scope_comparison(client: TestClient, seed: dict[str, Any]) -> None:
    groups = killed_groups(client, seed["event_id"])
    force = groups["attacking force"]
    assert {v["text"] for v in force["in_agreement"]} == {
        "more than 200 contract soldiers",
        "more than double that number",
        "scores",
    }
    assert (force["agreement"]["low"], force["agreement"]["high"], force["support"]) == (201, None, 3)
    (outlier,) = force["outliers"]
    assert outlier["figure"]["text"] == "around 100" and outlier["direction"] == "under"
    assert outlier["factor"] == pytest.approx(201 / 120)
    (five,) = force["comparisons"]
    assert five["figure"]["claimant"]["name"] == "Maria Zakharova"
    assert five["scope"]["name"] == "Russian citizens in the attacking force"
    assert five["factor"] == pytest.approx(40.2) and five["conflict"] is False
    assert "scope" in five["explanation"]
    assert {c["lower"]["text"] for c in force["conflicts"]} == {"around 100"}
    assert "Standing apart" in force["headline"] and "1.7x" in force["headline"]


def test_seed_injured_stands_alone(client: TestClient, seed: dict[str, Any]) -> None:
    body = client.get(f"/events/{seed['event_id']}/discrepancies", params={"metric": "injured"}).json()
    (injured,) = body["groups"]
    assert injured["claimant_count"] == 1 and injured["conflicts"] == [] and injured["severity"] == 0
    assert injured["outliers"] == [] and "nothing contradicts" in injured["headline"]


def test_relays_are_shown_with_each_voice(client: TestClient, seed: dict[str, Any]) -> None:
    force = killed_groups(client, seed["event_id"])["attacking force"]
    assert force["comparisons"][0]["figure"]["relays"] == [
        {"id": force["comparisons"][0]["figure"]["relays"][0]["id"], "name": "The Associated Press"}
    ]


def test_policies_name_themselves_and_differ(client: TestClient, seed: dict[str, Any]) -> None:
    def estimate(policy: str) -> dict[str, Any]:
        params = {"metric": "killed", "policy": policy}
        groups = client.get(f"/events/{seed['event_id']}/discrepancies", params=params).json()["groups"]
        return next(g for g in groups if g["scope"]["name"] == "attacking force")["estimate"]

    assert estimate("majority")["interval"] == {"low": 201, "high": None}
    assert estimate("range")["interval"] == {"low": 40, "high": None}
    conservative = estimate("conservative")
    assert conservative["policy"] == "conservative" and conservative["interval"]["low"] == 40
    assert_problem(client.get(f"/events/{seed['event_id']}/discrepancies", params={"policy": "loudest"}), 422)


def test_as_of_only_counts_claims_stated_by_then(client: TestClient, seed: dict[str, Any]) -> None:
    body = client.get(f"/events/{seed['event_id']}/discrepancies", params={"as_of": "2018-01-01T00:00:00Z"}).json()
    assert body["groups"] == []


def test_global_list_puts_the_seed_dispute_first(client: TestClient, seed: dict[str, Any]) -> None:
    body = client.get("/discrepancies").json()
    assert body["total"] == 1
    top = body["items"][0]
    assert (top["event"]["id"], top["metric"], top["scope"]["name"]) == (seed["event_id"], "killed", "attacking force")
    assert top["factor"] == pytest.approx(201 / 120) and top["gap"] == 81 and top["minority"] == 1
    assert top["severity"] == pytest.approx(severity_of(201, 120))
    assert top["lowest"]["name"] == "U.S. official (anonymous)" and top["highest"] is not None
    assert client.get(top["report"]).status_code == 200
    everything = client.get("/discrepancies", params={"include_undisputed": True}).json()
    assert everything["total"] == 3  # killed: force and citizens; injured


def test_global_list_filters(client: TestClient, seed: dict[str, Any]) -> None:
    official = next(s for s in client.get("/sources", params={"q": "U.S. official"}).json()["items"])
    assert client.get("/discrepancies", params={"claimant_id": official["id"]}).json()["total"] == 1
    assert client.get("/discrepancies", params={"affiliation": "United States"}).json()["total"] == 1
    assert client.get("/discrepancies", params={"affiliation": "France"}).json()["total"] == 0
    assert client.get("/discrepancies", params={"min_factor": 2}).json()["total"] == 0
    assert client.get("/discrepancies", params={"metric": "injured"}).json()["total"] == 0
    assert client.get("/discrepancies", params={"stated_at__lt": "2018-01-01T00:00:00Z"}).json()["total"] == 0
    assert_problem(client.get("/discrepancies", params={"severity": 2}), 422, "severity")


def test_sub_events_are_included_under_their_parent(client: TestClient, seed: dict[str, Any]) -> None:
    war = event(client, "Syrian civil war")
    client.patch(f"/events/{seed['event_id']}", json={"parent_id": war["id"]})
    assert client.get("/discrepancies", params={"event_id": war["id"]}).json()["total"] == 1


def test_timeline_orders_statements_and_marks_revisions(client: TestClient) -> None:
    official = source(client, "Ministry", kind="government")
    e, s = event(client), scope(client)
    fig = {"event_id": e["id"], "metric": "killed", "scope_id": s["id"]}
    claim(client, official["id"], [{**fig, "text": "12"}], stated_at="2024-01-02T00:00:00Z")
    claim(client, official["id"], [{**fig, "text": "at least 30"}], stated_at="2024-01-05T00:00:00Z")
    body = client.get(f"/events/{e['id']}/timeline", params={"metric": "killed"}).json()
    assert [(x["figure"]["text"], x["status"]) for x in body["entries"]] == [
        ("12", "revised"),
        ("at least 30", "counted"),
    ]
    report = client.get(f"/events/{e['id']}/discrepancies").json()["groups"][0]
    assert report["claimant_count"] == 1 and report["conflicts"] == []  # a revision is not a dispute


def test_relayed_claims_count_once(client: TestClient) -> None:
    official, other = source(client, "Official", kind="anonymous"), source(client, "Monitor")
    outlets = [source(client, f"Outlet {i}") for i in range(3)]
    e = event(client)
    fig = {"event_id": e["id"], "metric": "killed"}
    for outlet in outlets:
        claim(client, official["id"], [{**fig, "text": "about 10"}], relay_ids=[outlet["id"]])
    claim(client, other["id"], [{**fig, "text": "more than 100"}])
    group = client.get(f"/events/{e['id']}/discrepancies").json()["groups"][0]
    assert group["claimant_count"] == 2 and group["tie"] is True and len(group["conflicts"]) == 1


def test_denied_figures_are_shown_not_counted(client: TestClient) -> None:
    a, b = source(client, "A"), source(client, "B")
    e = event(client)
    claim(client, a["id"], [{"event_id": e["id"], "metric": "killed", "text": "50"}])
    claim(client, b["id"], [{"event_id": e["id"], "metric": "killed", "text": "500"}], modality="denied")
    group = client.get(f"/events/{e['id']}/discrepancies").json()["groups"][0]
    assert group["claimant_count"] == 1 and [x["text"] for x in group["excluded"]] == ["500"]


def test_track_record_and_compare(client: TestClient, seed: dict[str, Any]) -> None:
    sources = {s["name"]: s["id"] for s in client.get("/sources", params={"limit": 100}).json()["items"]}
    official = sources["U.S. official (anonymous)"]
    record = client.get(f"/sources/{official}/track-record").json()
    assert (record["groups"], record["outlier_count"], record["under_count"]) == (2, 1, 1)
    assert record["items"][0]["standing"] == "outlier" and record["items"][0]["factor"] == pytest.approx(1.675)
    russians = sources["Three Russian sources (anonymous)"]
    pair = client.get("/sources/compare", params={"a": official, "b": russians}).json()
    assert (pair["shared_groups"], pair["disagreements"]) == (1, 1)
    assert pair["items"][0]["higher"] == "b" and pair["items"][0]["factor"] == pytest.approx(161 / 120)
    assert_problem(client.get("/sources/compare", params={"a": official, "b": 999}), 404)


def test_summaries_follow_updates_and_deletes(client: TestClient, seed: dict[str, Any], engine: Engine) -> None:
    figures = {f["text"]: f for f in client.get(f"/events/{seed['event_id']}/figures").json()["items"]}
    client.patch(f"/figures/{figures['around 100']['id']}", json={"text": "around 250"})
    (top,) = client.get("/discrepancies").json()["items"]  # the Russians' "double" moved to [401, inf)
    assert top["tie"] is True and top["factor"] == pytest.approx(401 / 300)
    claim_id = figures["scores"]["claim_id"]
    client.patch(f"/claims/{claim_id}", json={"modality": "retracted"})
    client.delete(f"/figures/{figures['more than 200 contract soldiers']['id']}")
    with Session(engine) as session:
        assert drift(session) == []


def test_unknown_event_is_404(client: TestClient) -> None:
    assert_problem(client.get("/events/999/discrepancies"), 404)
    assert_problem(client.get("/events/999/timeline", params={"metric": "killed"}), 404)


def test_report_follows_every_change_that_shows_in_it(client: TestClient, seed: dict[str, Any]) -> None:
    def report() -> dict[str, Any]:
        return killed_groups(client, seed["event_id"])["attacking force"]

    first = report()
    assert report() == first  # served again unchanged
    relay = first["outliers"][0]["figure"]["relays"][0]
    client.patch(f"/sources/{relay['id']}", json={"name": "Bloomberg News"})
    assert report()["outliers"][0]["figure"]["relays"][0]["name"] == "Bloomberg News"
    official = first["outliers"][0]["figure"]["claimant"]["id"]
    client.patch(f"/sources/{official}", json={"name": "A U.S. official"})
    assert report()["outliers"][0]["figure"]["claimant"]["name"] == "A U.S. official"
    client.patch(f"/scopes/{first['scope']['id']}", json={"name": "attacking force (renamed)"})
    assert "attacking force (renamed)" in killed_groups(client, seed["event_id"])
    client.patch(f"/events/{seed['event_id']}", json={"name": "Khasham"})
    assert client.get(f"/events/{seed['event_id']}/discrepancies").json()["event"]["name"] == "Khasham"
