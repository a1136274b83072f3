"""Bulk import through HTTP: the seed story as JSON and as NDJSON gives the demo's report; bad
batches list every bad row and store nothing; Idempotency-Key makes retries (of /import and of
POST /claims) apply once."""

import json
import re
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlmodel import col

from app.api.idempotency import Idempotent
from app.demo import CITIZENS, CLAIMS, EVENT, FORCE, PUBLISHED, SOURCES, TITLE, article_text
from app.main import create_app
from app.models.common import utcnow
from app.models.idempotency import Idempotency
from app.models.imports import MAX_ROWS
from tests.api.helpers import assert_problem, scope, source

LISTS = ("sources", "documents", "events", "scopes", "claims", "figures")
NDJSON = {"content-type": "application/x-ndjson"}


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def seed_batch() -> dict[str, list[dict[str, Any]]]:
    """The demo's seed article as one JSON batch: every reference by key."""
    text = article_text()
    sources = [
        {"key": slug(name), "name": name, "kind": kind.value, "affiliation": aff, "description": desc}
        | ({"parent": slug(parent)} if parent else {})
        for name, kind, aff, parent, desc in SOURCES
    ]
    document = {"key": "article", "title": TITLE, "published_at": PUBLISHED.isoformat(), "language": "en"}
    document |= {"text": text, "publisher": slug(SOURCES[2][0])}
    claims = []
    for seed in CLAIMS:
        start = text.index(seed.quote)
        figures = [
            {"key": f"{seed.key}.{i}", "event": "strike", "metric": metric, "scope": slug(scope), "text": words}
            | ({"reference": f"{seed.refers_to}.0"} if seed.refers_to else {})
            for i, (metric, scope, words) in enumerate(seed.figures)
        ]
        claims.append(
            {
                "key": seed.key,
                "claimant": slug(seed.claimant),
                "relays": [slug(r) for r in seed.relays],
                "document": "article",
                "quote_start": start,
                "quote_end": start + len(seed.quote),
                "modality": seed.modality.value,
                "figures": figures,
            }
        )
    return {
        "sources": sources,
        "documents": [document],
        "events": [{"key": "strike", "name": EVENT, "place": "Deir ez-Zor province, Syria"}],
        "scopes": [
            {"key": slug(FORCE), "name": FORCE},
            {"key": slug(CITIZENS), "name": CITIZENS, "parent": slug(FORCE)},
        ],
        "claims": claims,
    }


def as_ndjson(batch: dict[str, list[dict[str, Any]]]) -> str:
    """One object per line, children before parents (order is free); figures of every other claim
    on lines of their own."""
    lines = []
    for kind in reversed(LISTS[:-1]):
        for i, row in enumerate(batch.get(kind, [])):
            if kind == "claims" and i % 2:
                figures = [{"type": "figure", "claim": row["key"], **f} for f in row["figures"]]
                row = {**row, "figures": []}
                lines += [json.dumps(f) for f in figures]
            lines.append(json.dumps({"type": kind.removesuffix("s"), **row}))
    return "\n".join(lines) + "\n"


def totals(client: TestClient) -> dict[str, int]:
    return {name: client.get(f"/{name}", params={"limit": 1}).json()["total"] for name in LISTS}


def imported(client: TestClient, **request: Any) -> dict[str, Any]:
    response = client.post("/import", **request)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def refused(client: TestClient, **request: Any) -> list[dict[str, Any]]:
    """An import that must be refused whole: 422, and every list total unchanged."""
    before = totals(client)
    body = assert_problem(client.post("/import", **request), 422)
    assert totals(client) == before
    errors: list[dict[str, Any]] = body["errors"]
    return errors


def where(errors: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["field"], e["type"]) for e in errors]


# --- the seed story -------------------------------------------------------------------------------
@pytest.mark.parametrize("form", ["json", "ndjson"])
def test_the_seed_story_imported_gives_the_demo_report(client: TestClient, form: str) -> None:
    batch = seed_batch()
    request = {"json": batch} if form == "json" else {"content": as_ndjson(batch), "headers": NDJSON}
    result = imported(client, **request)
    made = {"sources": 10, "documents": 1, "events": 1, "scopes": 2, "claims": 8, "figures": 6, "metrics": 0}
    assert result["created"] == made
    event_id = result["ids"]["events"]["strike"]
    report = client.get(f"/events/{event_id}/discrepancies", params={"metric": "killed"}).json()
    groups = {g["scope"]["name"]: g for g in report["groups"]}
    main = groups[FORCE]
    assert (main["agreement"], main["support"]) == ({"low": 201, "high": None}, 3)
    assert [o["figure"]["text"] for o in main["outliers"]] == ["around 100"]
    assert main["outliers"][0]["factor"] == pytest.approx(201 / 120)
    assert main["comparisons"][0]["factor"] == pytest.approx(40.2)
    figures = result["ids"]["figures"]
    relative = client.get(f"/figures/{figures['russians.0']}").json()
    assert (relative["reference_id"], relative["low"]) == (figures["official.0"], 161)


def test_history_and_summaries_come_with_the_import(client: TestClient) -> None:
    result = imported(client, json=seed_batch())
    zakharova = result["ids"]["sources"]["maria-zakharova"]
    changes = client.get(f"/sources/{zakharova}/history").json()["items"]
    assert [(c["action"], c["actor"]) for c in changes] == [("create", "test-admin")]
    disputes = client.get("/discrepancies").json()["items"]
    assert disputes[0]["event"]["id"] == result["ids"]["events"]["strike"]


# --- refusals: every bad row, nothing stored ------------------------------------------------------
def test_three_bad_rows_are_all_listed_and_nothing_is_stored(client: TestClient) -> None:
    batch = seed_batch()
    batch["sources"].append({"key": "nameless", "name": ""})  # a bad field
    batch["claims"][1]["figures"][0]["text"] = "heavy losses"  # words the reader cannot read
    batch["claims"][3]["quote_end"] = 10**6  # a quote span outside the document's text
    errors = refused(client, json=batch)
    assert where(errors) == [
        ("sources.10.name", "string_too_short"),
        ("claims.1.figures.0.text", "unreadable"),
        ("claims.3.quote_end", "rule"),
    ]
    assert [e["key"] for e in errors] == ["nameless", "official.0", "zakharova"]  # a figure's own key
    assert "heavy losses" in errors[1]["reason"] and "outside the document" in errors[2]["reason"]


def test_ndjson_problems_name_their_line(client: TestClient) -> None:
    lines = [
        {"type": "source", "key": "ap", "name": "The Associated Press", "kind": "outlet"},
        {"type": "source", "key": "ap", "name": "AP again"},
        {"type": "claim", "key": "c", "claimant": "ap", "figures": [{"event_id": 99, "metric": "killed"}]},
        {"type": "rumour", "key": "r"},
    ]
    content = "\n".join(json.dumps(line) for line in lines) + "\n{not json\n"
    errors = refused(client, content=content, headers=NDJSON)
    found = [(e["line"], e["field"], e["type"], e["key"]) for e in errors]
    assert found == [
        (2, "key", "duplicate-key", "ap"),
        (3, "figures.0.event_id", "not-found", "c"),  # a figure without a key: its claim's
        (4, "type", "shape", "r"),
        (5, "", "malformed-json", None),
    ]


def test_a_reference_to_an_unknown_key(client: TestClient) -> None:
    batch = {
        "sources": [{"key": "ap", "name": "AP"}],
        "claims": [{"key": "c", "claimant": "nobody", "relays": ["ap", "reuters"]}],
    }
    errors = refused(client, json=batch)
    assert where(errors) == [("claims.0.claimant", "unknown-key"), ("claims.0.relays.1", "unknown-key")]
    assert "'nobody'" in errors[0]["reason"]


def test_a_duplicate_key(client: TestClient) -> None:
    events = [{"key": "e", "name": "One"}, {"key": "e", "name": "Two"}]
    batch = {"events": events, "sources": [{"key": "e", "name": "S"}]}  # keys are unique per kind
    errors = refused(client, json=batch)
    assert where(errors) == [("events.1.key", "duplicate-key")]
    assert "events.0" in errors[0]["reason"]


def test_a_key_and_an_id_for_one_reference_and_parent_cycles(client: TestClient) -> None:
    batch = {
        "scopes": [
            {"key": "a", "name": "A", "parent": "b"},
            {"key": "b", "name": "B", "parent": "a"},
            {"key": "c", "name": "C", "parent": "a", "parent_id": 1},
        ]
    }
    errors = refused(client, json=batch)
    assert where(errors) == [("scopes.0.parent", "cycle"), ("scopes.1.parent", "cycle"), ("scopes.2.parent", "rule")]
    assert errors[0]["reason"] == "parent cycle: a > b > a"


# --- references by key ----------------------------------------------------------------------------
def test_a_relative_figure_refers_by_key_whatever_the_order(client: TestClient) -> None:
    lines = [
        {"type": "figure", "claim": "russians", "event": "e", "metric": "killed"}
        | {"text": "more than double that number", "reference": "toll"},
        {"type": "claim", "key": "russians", "claimant": "s"},
        {"type": "figure", "key": "toll", "claim": "official", "event": "e", "metric": "killed", "text": "around 100"},
        {"type": "claim", "key": "official", "claimant": "s"},
        {"type": "event", "key": "e", "name": "Strike"},
        {"type": "source", "key": "s", "name": "Someone"},
    ]
    result = imported(client, content="\n".join(json.dumps(line) for line in lines), headers=NDJSON)
    toll = result["ids"]["figures"]["toll"]
    figures = client.get("/figures", params={"claim_id": result["ids"]["claims"]["russians"]}).json()["items"]
    assert [(f["bound"], f["low"], f["high"], f["reference_id"]) for f in figures] == [("relative", 161, None, toll)]


def test_a_reference_loop_between_figures_is_refused(client: TestClient) -> None:
    figure = {"event": "e", "metric": "killed", "text": "twice as many"}
    batch = {
        "sources": [{"key": "s", "name": "S"}],
        "events": [{"key": "e", "name": "E"}],
        "claims": [
            {"key": "c", "claimant": "s", "figures": [{**figure, "key": "x", "reference": "y"}]},
            {"key": "d", "claimant": "s", "figures": [{**figure, "key": "y", "reference": "x"}]},
        ],
    }
    errors = refused(client, json=batch)
    assert where(errors) == [("claims.0.figures.0.reference", "cycle"), ("claims.1.figures.0.reference", "cycle")]


def test_existing_records_by_id_and_sources_and_scopes_matched_by_name(client: TestClient) -> None:
    bloomberg, force = source(client, "Bloomberg"), scope(client, FORCE)
    event = client.post("/events", json={"name": "Strike"}).json()
    figure = {"event_id": event["id"], "metric": "killed", "scope": "sub", "text": "five"}
    batch = {
        "sources": [{"key": "b", "name": "Bloomberg", "kind": "outlet"}, {"key": "new", "name": "New voice"}],
        "scopes": [{"key": "f", "name": FORCE}, {"key": "sub", "name": "subset", "parent": "f"}],
        "claims": [{"key": "c", "claimant": "new", "relays": ["b"], "figures": [figure]}],
    }
    result = imported(client, json=batch)
    assert result["matched"] == {"sources": {"b": bloomberg["id"]}, "scopes": {"f": force["id"]}}
    made = {"sources": 1, "documents": 0, "events": 0, "scopes": 1, "claims": 1, "figures": 1, "metrics": 0}
    assert result["created"] == made
    assert client.get(f"/scopes/{result['ids']['scopes']['sub']}").json()["parent_id"] == force["id"]
    assert totals(client) | {"documents": 0} == {**dict.fromkeys(LISTS, 1), "sources": 2, "scopes": 2, "documents": 0}


def test_the_same_source_twice_in_a_batch_is_refused(client: TestClient) -> None:
    errors = refused(client, json={"sources": [{"key": "a", "name": "AP"}, {"key": "b", "name": "AP"}]})
    assert where(errors) == [("sources.1.name", "conflict")]
    source(client, "Reuters")  # an existing one too: one key per record
    errors = refused(client, json={"sources": [{"key": "a", "name": "Reuters"}, {"key": "b", "name": "Reuters"}]})
    assert where(errors) == [("sources.1.name", "conflict")]


def test_a_repeated_claim_is_listed_once_with_its_figures_left_out(client: TestClient) -> None:
    figure = {"event": "e", "metric": "killed", "text": "heavy losses"}  # unreadable, but not read twice
    claims = [{"key": "c", "claimant": "s", "figures": [figure]}, {"key": "c", "claimant": "s", "figures": [figure]}]
    batch = {"sources": [{"key": "s", "name": "S"}], "events": [{"key": "e", "name": "E"}], "claims": claims}
    errors = refused(client, json=batch)
    assert where(errors) == [("claims.0.figures.0.text", "unreadable"), ("claims.1.key", "duplicate-key")]


# --- limits and bodies ----------------------------------------------------------------------------
def test_more_than_the_row_limit_is_413(client: TestClient) -> None:
    rows = [{"key": str(i), "name": str(i)} for i in range(MAX_ROWS + 1)]
    before = totals(client)
    assert_problem(client.post("/import", json={"sources": rows}), 413)
    lines = "\n".join(json.dumps({"type": "source", **row}) for row in rows)
    assert_problem(client.post("/import", content=lines, headers=NDJSON), 413)
    assert totals(client) == before


def test_bodies_that_are_not_utf8_or_not_a_batch(client: TestClient) -> None:
    assert_problem(client.post("/import", content=b'{"sources": [{"name": "\xff"}]}', headers=NDJSON), 400)
    assert where(refused(client, content=b"[1, 2]", headers={"content-type": "application/json"})) == [("", "shape")]
    assert where(refused(client, json={"sources": {}, "people": []})) == [("people", "shape"), ("sources", "shape")]
    assert imported(client, json={})["created"] == dict.fromkeys((*LISTS, "metrics"), 0)


def test_an_import_needs_a_write_key(anonymous: TestClient) -> None:
    assert_problem(anonymous.post("/import", json=seed_batch()), 401)


def test_the_documented_examples_import(client: TestClient) -> None:
    body = client.get("/openapi.json").json()["paths"]["/import"]["post"]["requestBody"]["content"]
    result = imported(client, json=body["application/json"]["example"])
    made = {"sources": 6, "documents": 1, "events": 1, "scopes": 2, "claims": 3, "figures": 4, "metrics": 0}
    assert result["created"] == made
    again = imported(client, content=body["application/x-ndjson"]["example"], headers=NDJSON)
    assert again["matched"]["sources"] == {k: result["ids"]["sources"][k] for k in ("bloomberg", "official")}


# --- Idempotency-Key ------------------------------------------------------------------------------
def test_a_retried_import_applies_once(client: TestClient) -> None:
    key = {"Idempotency-Key": "8a4b3c1e-import"}
    first = client.post("/import", json=seed_batch(), headers=key)
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    after = totals(client)
    retry = client.post("/import", json=seed_batch(), headers=key)
    assert (retry.status_code, retry.content) == (201, first.content)
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert totals(client) == after


def test_the_same_key_with_another_body_is_422(client: TestClient) -> None:
    key = {"Idempotency-Key": "k-1"}
    imported(client, json={"sources": [{"key": "a", "name": "A"}]}, headers=key)
    before = totals(client)
    response = client.post("/import", json={"sources": [{"key": "b", "name": "B"}]}, headers=key)
    assert_problem(response, 422, "Idempotency-Key")
    assert totals(client) == before
    other_path = client.post("/claims", json={"claimant_id": 1}, headers=key)  # the key names one request
    assert_problem(other_path, 422, "Idempotency-Key")


def test_a_refused_import_keeps_no_key(client: TestClient) -> None:
    key = {"Idempotency-Key": "k-2"}
    refused(client, json={"sources": [{"key": "a", "name": ""}]}, headers=key)
    assert imported(client, json={"sources": [{"key": "a", "name": "A"}]}, headers=key)["created"]["sources"] == 1


def test_a_key_older_than_a_day_applies_again_and_old_keys_are_purged(client: TestClient, engine: Engine) -> None:
    key, batch = {"Idempotency-Key": "k-3"}, {"events": [{"key": "e", "name": "E"}]}
    first = imported(client, json=batch, headers=key)
    imported(client, json={}, headers={"Idempotency-Key": "k-other"})
    with engine.begin() as conn:
        conn.execute(update(Idempotency).values(created_at=utcnow() - timedelta(hours=25)))
    second = client.post("/import", json=batch, headers=key)
    assert second.status_code == 201 and "Idempotent-Replayed" not in second.headers
    assert second.json()["ids"]["events"]["e"] != first["ids"]["events"]["e"]
    with engine.connect() as conn:  # purged after the response: only the fresh entry is left
        fresh = Idempotent("k-3", "", caller="test-admin").stored  # the key within the admin key's namespace
        assert conn.execute(select(col(Idempotency.key))).scalars().all() == [fresh]


def test_a_retried_post_claims_creates_one_claim(client: TestClient) -> None:
    speaker = source(client, "Airwars")
    body, key = {"claimant_id": speaker["id"], "quote": "at least 10"}, {"Idempotency-Key": "claim-1"}
    first = client.post("/claims", json=body, headers=key)
    assert first.status_code == 201, first.text
    retry = client.post("/claims", json=body, headers=key)
    assert (retry.status_code, retry.json()) == (201, first.json())
    assert retry.headers["Location"] == first.headers["Location"]
    assert retry.headers["Idempotent-Replayed"] == "true" and retry.headers["ETag"] == first.headers["ETag"]
    assert client.get("/claims").json()["total"] == 1
    without_key = client.post("/claims", json=body)
    assert without_key.status_code == 201 and without_key.headers["Location"] != first.headers["Location"]


def test_concurrent_retries_with_one_key_apply_once(db_url: str, admin_token: str) -> None:
    auth, batch = {"Authorization": f"Bearer {admin_token}"}, seed_batch()

    def send(api: TestClient) -> tuple[int, bytes, bool]:
        response = api.post("/import", json=batch, headers={"Idempotency-Key": "k-race"})
        return response.status_code, response.content, "Idempotent-Replayed" in response.headers

    with ExitStack() as stack:  # four apps, each warmed up alone: FastAPI builds a route on its first match
        apis = [stack.enter_context(TestClient(create_app(), headers=auth)) for _ in range(4)]
        assert {api.post("/import", content=b"[]").status_code for api in apis} == {422}
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(send, apis))
    assert {(status, body) for status, body, _ in answers} == {(201, answers[0][1])}
    assert sorted(replayed for *_, replayed in answers) == [False, True, True, True]
    with TestClient(create_app()) as api:
        assert api.get("/claims").json()["total"] == len(CLAIMS)


def test_an_idempotency_key_is_never_replayed_to_another_api_key(client: TestClient, anonymous: TestClient) -> None:
    writers = [client.post("/keys", json={"name": f"bot-{i}", "role": "write"}).json()["token"] for i in (1, 2)]
    batch = {"events": [{"key": "e", "name": "Shared key"}]}
    first = anonymous.post("/import", json=batch, headers={"Idempotency-Key": "same", "X-API-Key": writers[0]})
    again = anonymous.post("/import", json=batch, headers={"Idempotency-Key": "same", "X-API-Key": writers[0]})
    other = anonymous.post("/import", json=batch, headers={"Idempotency-Key": "same", "X-API-Key": writers[1]})
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert other.status_code == 201 and "Idempotent-Replayed" not in other.headers  # applied, as its own request
    assert other.json()["ids"]["events"]["e"] != first.json()["ids"]["events"]["e"]
