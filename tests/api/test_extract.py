"""Reading an article through the API: proposals, then a commit that gives the demo's story."""

from datetime import UTC, datetime
from typing import Any

import anyio
import pytest
from fastapi.testclient import TestClient

from app.demo import article_text
from app.domain.extraction import MAX_FIGURES
from app.errors import Unavailable
from app.models.extraction import MAX_ARTICLE, Article
from app.services import extraction as extraction_service
from tests.api.helpers import assert_problem, scope
from tests.domain.extraction_cost import SHAPES

SEED = {"text": article_text(), "published_at": datetime(2018, 2, 15, tzinfo=UTC).isoformat()}


def test_extract_proposes_the_seed_figures_and_stores_nothing(client: TestClient) -> None:
    response = client.post("/extract", json=SEED)
    assert response.status_code == 200, response.text
    body = response.json()
    words = [(f["words"], f["bound"], f["low"], f["high"], f["metric"]) for f in body["figures"]]
    assert words == [
        ("‘Scores’", "vague", 40, None, "killed"),
        ("more than 200", "gt", 201, None, "killed"),
        ("around 100", "approx", 80, 120, "killed"),
        ("another 200 to 300", "range", 200, 300, "injured"),
        ("more than double that number", "relative", 161, None, "killed"),
        ("five", "exact", 5, 5, "killed"),
    ]
    for f in body["figures"]:
        assert SEED["text"][f["start"] : f["end"]] == f["words"] and f["cues"]
    assert client.get("/claims").json()["total"] == 0


def test_sources_are_matched_to_existing_ones_ignoring_case_and_accents(client: TestClient) -> None:
    client.post("/sources", json={"name": "the associated press", "kind": "outlet"})
    body = client.post("/extract", json=SEED).json()
    ap = next(s for s in body["sources"] if s["key"] == "associated-press")
    assert ap["match"]["name"] == "the associated press"


def test_commit_reviewed_proposals_gives_the_demo_story(client: TestClient) -> None:
    force = scope(client, "attacking force")
    citizens = scope(client, "Russian citizens in the attacking force", parent_id=force["id"])
    mapping = {"contract soldiers": force["id"], "Russian fighters": force["id"], "Russian citizens": citizens["id"]}
    response = client.post("/extract/commit", json={**SEED, "event_name": "Deir ez-Zor strike", "scopes": mapping})
    assert response.status_code == 201, response.text
    stored = response.json()
    groups = {g["scope"]["name"]: g for g in client.get(stored["report"], params={"metric": "killed"}).json()["groups"]}
    main = groups["attacking force"]
    assert (main["agreement"], main["support"]) == ({"low": 201, "high": None}, 3)
    assert [o["figure"]["text"] for o in main["outliers"]] == ["around 100"]
    assert main["outliers"][0]["factor"] == pytest.approx(201 / 120)
    assert main["comparisons"][0]["factor"] == pytest.approx(40.2) and not main["comparisons"][0]["conflict"]
    five = main["comparisons"][0]["figure"]
    assert five["claimant"]["name"] == "Maria Zakharova" and [r["name"] for r in five["relays"]] == [
        "The Associated Press"
    ]


def test_commit_twice_never_duplicates_sources(client: TestClient) -> None:
    def commit(name: str) -> dict[str, Any]:
        response = client.post("/extract/commit", json={**SEED, "event_name": name})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    first, second = commit("first"), commit("second")
    assert first["sources_created"] and second["sources_created"] == []
    names = [s["name"] for s in client.get("/sources", params={"limit": 100}).json()["items"]]
    assert len(names) == len(set(names))


def test_commit_needs_an_event_and_a_write_key(client: TestClient, anonymous: TestClient) -> None:
    assert_problem(client.post("/extract/commit", json=SEED), 422, "event_id")
    assert_problem(anonymous.post("/extract/commit", json={**SEED, "event_name": "x"}), 401)
    assert anonymous.post("/extract", json=SEED).status_code == 200


def test_extract_refuses_an_empty_text(client: TestClient) -> None:
    assert_problem(client.post("/extract", json={"text": ""}), 422, "text")


@pytest.mark.parametrize("path", ["/extract", "/extract/commit"])
def test_a_blank_text_is_refused_naming_text(client: TestClient, path: str) -> None:
    """Found by the fuzzer: a commit of " " had no first line to title its document (a 500)."""
    found = assert_problem(client.post(path, json={"text": " \n\t ", "event_id": 1}), 422, "text")
    assert "blank" in found["detail"]
    assert client.get("/documents").json()["total"] == 0


def test_extract_refuses_a_text_over_the_cap_naming_text_and_the_limit(client: TestClient) -> None:
    body = assert_problem(client.post("/extract", json={"text": "x" * (MAX_ARTICLE + 1)}), 422, "text")
    assert f"{MAX_ARTICLE}" in body["detail"].replace(",", "")
    commit = {"text": "x" * (MAX_ARTICLE + 1), "event_name": "too long"}
    assert_problem(client.post("/extract/commit", json=commit), 422, "text")


@pytest.mark.parametrize("shape", ["said", "article", "nested cues"])
def test_extract_reads_an_adversarial_text_near_the_cap(client: TestClient, shape: str) -> None:
    make = SHAPES[shape]
    n = 1
    while len(make(2 * n)) <= MAX_ARTICLE:
        n *= 2
    text = make(n)
    assert len(text) > MAX_ARTICLE // 3
    response = client.post("/extract", json={"text": text})
    assert response.status_code == 200, response.text[:300]
    assert set(response.json()) == {"figures", "sources"}


def test_extract_with_too_many_figures_is_422_naming_text(client: TestClient) -> None:
    text = " ".join(f"Police said {n} people were killed." for n in range(2, 2 * MAX_FIGURES))
    text = text[:MAX_ARTICLE]
    body = assert_problem(client.post("/extract", json={"text": text}), 422, "text")
    assert f"{MAX_FIGURES:,}" in body["detail"]


def test_extract_past_its_time_budget_answers_503(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extraction_service, "EXTRACT_SECONDS", -1.0)  # already past
    body = assert_problem(client.post("/extract", json=SEED), 503)
    assert body["detail"] == extraction_service.TOO_SLOW
    commit = {**SEED, "event_name": "late"}
    assert_problem(client.post("/extract/commit", json=commit), 503)
    assert client.get("/claims").json()["total"] == 0


def test_extract_stops_when_the_client_goes_away(monkeypatch: pytest.MonkeyPatch) -> None:
    """The route's worker thread sees the disconnect through should_stop and stops."""
    seen: list[bool] = []

    def recording_budget(stop: Any = None) -> Any:
        def should_stop() -> bool:
            seen.append(stop is not None and stop.is_set())
            return seen[-1]

        return should_stop

    monkeypatch.setattr(extraction_service, "_budget", recording_budget)
    monkeypatch.setattr(extraction_service, "POLL_SECONDS", 0.001)

    async def gone() -> bool:
        await anyio.sleep(0.05)  # the client leaves while the text is read
        return True

    article = Article(text="Police said 12 people were killed. " * 5000)
    with pytest.raises(Unavailable, match="client went away"):
        anyio.run(extraction_service.propose_stoppable, None, article, 0.2, gone)  # type: ignore[arg-type]
    assert seen and seen[-1] is True


def _committed_claimants(client: TestClient, body: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    response = client.post("/extract/commit", json=body)
    assert response.status_code == 201, response.text
    stored: dict[str, Any] = response.json()
    names = [client.get(f"/claims/{c}").json()["claimant"]["name"] for c in stored["claim_ids"]]
    return stored, names


def test_commit_keeps_anonymous_voices_apart_per_document_and_matches_named_ones_by_alias(
    client: TestClient,
) -> None:
    ministry = client.post("/sources", json={"name": "Ministry of Health of Ruritania", "kind": "government"}).json()
    client.post(f"/sources/{ministry['id']}/aliases", json={"alias": "Ruritanian Health Ministry"})
    first = {
        "text": "Officials said 40 people were killed in the flood.",
        "url": "https://example.org/flood-1",
        "event_name": "Ruritania flood",
    }
    stored, names = _committed_claimants(client, first)
    second = {
        "text": "Officials said 12 people were killed. The Ruritanian Health Ministry said 15 people died.",
        "url": "https://example.org/flood-2",
        "event_id": stored["event_id"],
    }
    _, more = _committed_claimants(client, second)
    officials = [n for n in names + more if n.startswith("officials")]
    assert len(officials) == 2 and len(set(officials)) == 2  # one anonymous voice per document
    assert "Ministry of Health of Ruritania" in more  # a named source, found through its alias
    linked = client.post("/extract", json={"text": first["text"]}).json()["sources"]
    official_id = next(c["claimant"]["id"] for c in _claims(client) if c["claimant"]["name"] == officials[0])
    for s in linked:
        s["source_id"] = official_id if s["name"] == "officials" else None
    third = {**first, "url": "https://example.org/flood-3", "sources": linked}
    again, names = _committed_claimants(client, third)
    assert names == [officials[0]] and again["sources_created"] == []  # the reviewer linked it


def _claims(client: TestClient) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.get("/claims", params={"limit": 100}).json()["items"]
    return items
