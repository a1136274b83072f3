"""Claims with relays and inline figures, figures from words or explicit bounds, quote spans."""

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.event import listen as event_listen
from sqlalchemy.event import remove as event_remove

from tests.api.helpers import assert_problem, claim, created, event, scope, source

TEXT = "The official said the death toll was around 100, with another 200 to 300 injured."


@pytest.fixture
def world(client: TestClient) -> dict[str, Any]:
    bloomberg = source(client, "Bloomberg")
    official = source(client, "U.S. official", kind="anonymous", affiliation="United States")
    doc = created(client, "/documents", {"title": "Article", "text": TEXT, "published_at": "2018-02-15T00:00:00Z"})
    return {
        "bloomberg": bloomberg["id"],
        "official": official["id"],
        "doc": doc["id"],
        "event": event(client)["id"],
        "force": scope(client)["id"],
    }


def fig(w: dict[str, Any], words: str, metric: str = "killed", **extra: Any) -> dict[str, Any]:
    return {"event_id": w["event"], "metric": metric, "scope_id": w["force"], "text": words, **extra}


def test_claim_with_relays_and_figures_in_one_request(client: TestClient, world: dict[str, Any]) -> None:
    start = TEXT.index("The official")
    body = claim(
        client,
        world["official"],
        [fig(world, "around 100"), fig(world, "another 200 to 300", "injured")],
        relay_ids=[world["bloomberg"]],
        document_id=world["doc"],
        quote_start=start,
        quote_end=start + 47,
        modality="reported",
    )
    assert body["quote"] == TEXT[start : start + 47]
    assert body["claimant"]["name"] == "U.S. official"
    assert [r["name"] for r in body["relays"]] == ["Bloomberg"]
    assert body["stated_at"].startswith("2018-02-15")  # taken from the document
    killed, injured = body["figures"]
    assert (killed["bound"], killed["low"], killed["high"]) == ("approx", 80, 120)
    assert (injured["bound"], injured["low"], injured["high"]) == ("range", 200, 300)
    assert killed["claimant"]["id"] == world["official"]


def test_quote_span_outside_the_text_is_422(client: TestClient, world: dict[str, Any]) -> None:
    response = client.post(
        "/claims",
        json={
            "claimant_id": world["official"],
            "document_id": world["doc"],
            "quote_start": 10,
            "quote_end": 10_000,
        },
    )
    assert_problem(response, 422, "quote_end")


def test_quote_that_does_not_match_its_span_is_422(client: TestClient, world: dict[str, Any]) -> None:
    response = client.post(
        "/claims",
        json={
            "claimant_id": world["official"],
            "document_id": world["doc"],
            "quote_start": 0,
            "quote_end": 12,
            "quote": "Something else",
        },
    )
    assert_problem(response, 422, "quote")


def test_claim_with_missing_claimant_is_404_and_stores_nothing(client: TestClient, world: dict[str, Any]) -> None:
    assert_problem(client.post("/claims", json={"claimant_id": 999, "figures": [fig(world, "5")]}), 404, "claimant_id")
    assert client.get("/claims").json()["total"] == 0
    assert client.get("/figures").json()["total"] == 0


def test_bad_second_figure_stores_nothing_of_the_claim(client: TestClient, world: dict[str, Any]) -> None:
    response = client.post(
        "/claims",
        json={
            "claimant_id": world["official"],
            "figures": [fig(world, "around 100"), fig(world, "heavy losses")],
        },
    )
    assert_problem(response, 422)
    assert client.get("/claims").json()["total"] == 0


def test_figure_with_unknown_metric_is_404_naming_it(client: TestClient, world: dict[str, Any]) -> None:
    response = client.post("/claims", json={"claimant_id": world["official"], "figures": [fig(world, "5", "eaten")]})
    assert_problem(response, 404, "figures.0.metric")


def test_explicit_bounds_without_words(client: TestClient, world: dict[str, Any]) -> None:
    c = claim(
        client,
        world["official"],
        [
            {"event_id": world["event"], "metric": "killed", "bound": "ge", "low": 1170},
        ],
    )
    figure = c["figures"][0]
    assert (figure["bound"], figure["low"], figure["high"], figure["text"]) == ("ge", 1170, None, None)


def test_explicit_low_above_high_is_422(client: TestClient, world: dict[str, Any]) -> None:
    response = client.post(
        "/claims",
        json={
            "claimant_id": world["official"],
            "figures": [
                {"event_id": world["event"], "metric": "killed", "bound": "range", "low": 300, "high": 200},
            ],
        },
    )
    assert_problem(response, 422)


def test_words_and_bounds_that_disagree_are_422(client: TestClient, world: dict[str, Any]) -> None:
    response = client.post(
        "/claims",
        json={
            "claimant_id": world["official"],
            "figures": [
                fig(world, "more than 200", low=150),
            ],
        },
    )
    body = assert_problem(response, 422, "figures.0.low")
    assert "201" in body["detail"]


def test_negative_nan_and_huge_values_are_refused(client: TestClient, world: dict[str, Any]) -> None:
    for low in (-1, 1e300):
        response = client.post(
            "/claims",
            json={
                "claimant_id": world["official"],
                "figures": [
                    {"event_id": world["event"], "metric": "killed", "bound": "exact", "low": low, "high": low},
                ],
            },
        )
        assert_problem(response, 422, "figures.0.low")
    raw = b'{"claimant_id": 1, "figures": [{"event_id": 1, "metric": "killed", "bound": "exact", "low": NaN}]}'
    assert_problem(client.post("/claims", content=raw, headers={"content-type": "application/json"}), 422)


def test_relative_figure_follows_its_reference(client: TestClient, world: dict[str, Any]) -> None:
    base = claim(client, world["official"], [fig(world, "around 100")])["figures"][0]
    russians = source(client, "Three Russians", kind="anonymous")
    rel = claim(client, russians["id"], [fig(world, "more than double that number", reference_id=base["id"])])
    relative = rel["figures"][0]
    assert (relative["bound"], relative["factor"], relative["factor_bound"]) == ("relative", 2, "gt")
    assert (relative["low"], relative["high"]) == (161, None)
    client.patch(f"/figures/{base['id']}", json={"text": "around 150"})
    assert client.get(f"/figures/{relative['id']}").json()["low"] == 241  # 2 x 120 + 1


def test_relative_words_without_reference_are_422(client: TestClient, world: dict[str, Any]) -> None:
    response = client.post(
        "/claims",
        json={
            "claimant_id": world["official"],
            "figures": [
                fig(world, "more than double that number"),
            ],
        },
    )
    assert_problem(response, 422, "figures.0.reference_id")


def test_deleting_a_referenced_figure_is_409(client: TestClient, world: dict[str, Any]) -> None:
    base = claim(client, world["official"], [fig(world, "around 100")])["figures"][0]
    claim(client, world["official"], [fig(world, "double that", reference_id=base["id"])])
    assert assert_problem(client.delete(f"/figures/{base['id']}"), 409)["dependents"] == {"figures": 1}


def test_add_update_and_delete_a_figure(client: TestClient, world: dict[str, Any]) -> None:
    c = claim(client, world["official"])
    created_fig = created(client, "/figures", {**fig(world, "up to 50"), "claim_id": c["id"]})
    assert (created_fig["bound"], created_fig["low"], created_fig["high"]) == ("le", 0, 50)
    patched = client.patch(f"/figures/{created_fig['id']}", json={"bound": "exact", "low": 7, "high": 7}).json()
    assert (patched["bound"], patched["low"], patched["text"], patched["version"]) == ("exact", 7, None, 2)
    assert client.delete(f"/figures/{created_fig['id']}").status_code == 200
    assert_problem(client.get(f"/figures/{created_fig['id']}"), 404)


def test_claim_with_figures_needs_cascade_to_delete(client: TestClient, world: dict[str, Any]) -> None:
    c = claim(client, world["official"], [fig(world, "5")])
    assert assert_problem(client.delete(f"/claims/{c['id']}"), 409)["dependents"] == {"figures": 1}
    assert client.delete(f"/claims/{c['id']}", params={"cascade": True}).json()["deleted"] == {"figure": 1, "claim": 1}


def test_list_claims_by_relay_event_and_date(client: TestClient, world: dict[str, Any]) -> None:
    claim(
        client, world["official"], [fig(world, "5")], relay_ids=[world["bloomberg"]], stated_at="2018-02-13T00:00:00Z"
    )
    claim(client, world["official"], stated_at="2018-03-01T00:00:00Z")
    assert client.get("/claims", params={"relay_id": world["bloomberg"]}).json()["total"] == 1
    assert client.get("/claims", params={"event_id": world["event"]}).json()["total"] == 1
    assert client.get("/claims", params={"stated_at__lt": "2018-02-20T00:00:00Z"}).json()["total"] == 1
    assert client.get(f"/sources/{world['official']}/claims").json()["total"] == 2


def test_patch_claim_replaces_relays(client: TestClient, world: dict[str, Any]) -> None:
    c = claim(client, world["official"], relay_ids=[world["bloomberg"]])
    ap = source(client, "The Associated Press")
    body = client.patch(f"/claims/{c['id']}", json={"relay_ids": [ap["id"], world["bloomberg"]]}).json()
    assert [r["name"] for r in body["relays"]] == ["The Associated Press", "Bloomberg"]
    assert_problem(client.patch(f"/claims/{c['id']}", json={"modality": "rumoured"}), 422, "modality")


def test_list_figures_by_claimant_bound_and_value(client: TestClient, world: dict[str, Any]) -> None:
    claim(client, world["official"], [fig(world, "around 100"), fig(world, "200 to 300", "injured")])
    other = source(client, "Other")
    claim(client, other["id"], [fig(world, "more than 200")])
    assert client.get("/figures", params={"claimant_id": world["official"]}).json()["total"] == 2
    assert client.get("/figures", params={"bound": "gt"}).json()["items"][0]["low"] == 201
    assert client.get("/figures", params={"low__gte": 150}).json()["total"] == 2
    listed = client.get(f"/events/{world['event']}/figures", params={"metric": "killed"}).json()
    assert {f["claimant"]["name"] for f in listed["items"]} == {"U.S. official", "Other"}


def test_metrics_vocabulary_is_seeded_and_extendable(client: TestClient) -> None:
    names = {m["name"] for m in client.get("/metrics").json()["items"]}
    assert names == {"killed", "injured", "missing", "displaced", "arrested", "participants"}
    created(client, "/metrics", {"name": "evacuated"})
    assert_problem(client.post("/metrics", json={"name": "evacuated"}), 409)
    assert_problem(client.post("/metrics", json={"name": "Not A Name"}), 422, "name")


def test_filter_operators_in_one_syntax(client: TestClient, world: dict[str, Any]) -> None:
    claim(
        client,
        world["official"],
        [fig(world, "around 100"), fig(world, "200 to 300", "injured"), fig(world, "3", "missing")],
    )
    assert client.get("/figures", params={"metric__in": "killed,injured"}).json()["total"] == 2
    assert client.get("/figures", params={"bound__in": "range,exact", "low__gte": 3}).json()["total"] == 2
    assert client.get("/sources", params={"kind__in": "anonymous,person"}).json()["total"] == 1


def test_a_claim_reads_the_event_and_metric_its_figures_share_once(
    client: TestClient, world: dict[str, Any], engine: Engine
) -> None:
    """Three figures about one event and metric: each is read once, not once per figure (the
    session keeps a row only while something holds it; the service holds them)."""
    reads: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        found = (t for t in ("event", "metric") if re.search(rf"^SELECT .*\sFROM {t}\b", statement, re.S))
        reads.extend(found)

    body = {"claimant_id": world["official"], "figures": [fig(world, w) for w in ("5", "about 40", "more than 12")]}
    event_listen(engine, "before_cursor_execute", count)
    try:
        created(client, "/claims", body)
    finally:
        event_remove(engine, "before_cursor_execute", count)
    assert reads.count("metric") == 1 and reads.count("event") == 1, reads
