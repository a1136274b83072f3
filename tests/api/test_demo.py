"""The seed article as demo data: every figure from its words, with DESIGN.md's intervals."""

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.demo import article_text, load_demo


def figures_by_words(client: TestClient, event_id: int) -> dict[str, dict[str, Any]]:
    items = client.get(f"/events/{event_id}/figures", params={"limit": 100}).json()["items"]
    return {f["text"]: f for f in items}


def test_demo_stores_every_figure_with_design_intervals(client: TestClient, engine: Engine) -> None:
    ids = load_demo(engine)
    figs = figures_by_words(client, ids["event_id"])
    expected = {
        "more than 200 contract soldiers": ("killed", "gt", 201, None),
        "around 100": ("killed", "approx", 80, 120),
        "another 200 to 300": ("injured", "range", 200, 300),
        "more than double that number": ("killed", "relative", 161, None),
        "five people, presumably Russian citizens": ("killed", "exact", 5, 5),
        "scores": ("killed", "vague", 40, None),
    }
    assert {w: (f["metric"], f["bound"], f["low"], f["high"]) for w, f in figs.items()} == expected
    assert figs["more than double that number"]["reference_id"] == figs["around 100"]["id"]


def test_demo_claimants_and_relays(client: TestClient, engine: Engine) -> None:
    ids = load_demo(engine)
    figs = figures_by_words(client, ids["event_id"])
    five = figs["five people, presumably Russian citizens"]
    assert five["claimant"]["name"] == "Maria Zakharova"
    zakharova = client.get(f"/sources/{five['claimant']['id']}").json()
    ministry = client.get(f"/sources/{zakharova['parent_id']}").json()
    assert ministry["name"] == "Russian Foreign Ministry"
    claim = client.get(f"/claims/{five['claim_id']}").json()
    assert [r["name"] for r in claim["relays"]] == ["The Associated Press"]
    assert claim["modality"] == "hedged"
    scores = client.get(f"/claims/{figs['scores']['claim_id']}").json()
    assert scores["modality"] == "alleged" and scores["relays"] == []
    document = client.get(f"/documents/{ids['document_id']}").json()
    assert scores["claimant"]["id"] == document["publisher_id"]


def test_demo_quote_spans_match_the_text(client: TestClient, engine: Engine) -> None:
    ids = load_demo(engine)
    text = article_text()
    claims = client.get("/claims", params={"document_id": ids["document_id"], "limit": 100}).json()["items"]
    assert len(claims) >= 5
    for claim in claims:
        assert text[claim["quote_start"] : claim["quote_end"]] == claim["quote"]


def test_loading_the_demo_twice_adds_nothing(client: TestClient, engine: Engine) -> None:
    load_demo(engine)
    counts = {p: client.get(p).json()["total"] for p in ("/sources", "/claims", "/figures", "/events", "/scopes")}
    assert load_demo(engine)["created"] is False
    assert {p: client.get(p).json()["total"] for p in counts} == counts
