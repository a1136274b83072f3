"""Full-text search: the seed article's voices, ranking, highlighting, every write path, pages,
and queries that are not valid search syntax."""

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app.demo import load_demo
from app.models.search import INDEXED
from tests.api.helpers import assert_problem, claim, created, event, source


def hits(client: TestClient, q: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["items"]
    return found


def keys(found: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(h["kind"], h["id"]) for h in found]


def test_finds_the_seed_articles_sources_and_quotes(client: TestClient, engine: Engine) -> None:
    load_demo(engine)
    zakharova = hits(client, "Zakharova")
    assert (zakharova[0]["kind"], zakharova[0]["title"]) == ("source", "Maria Zakharova")
    assert zakharova[0]["snippet"] == "Maria <mark>Zakharova</mark>" and zakharova[0]["matched"] == "name"
    quote = next(h for h in zakharova if h["kind"] == "claim")
    assert quote["title"] == "Maria Zakharova" and "<mark>Zakharova</mark> said" in quote["snippet"]
    assert client.get(quote["link"]).json()["claimant"]["name"] == "Maria Zakharova"
    assert "document" in {h["kind"] for h in zakharova}

    toll = hits(client, "death toll", kind="claim")
    assert [h["title"] for h in toll] == ["U.S. official (anonymous)"]
    assert "<mark>death</mark> <mark>toll</mark> was around 100" in toll[0]["snippet"]
    assert toll[0]["link"] == f"/claims/{toll[0]['id']}" and toll[0]["matched"] == "quote"
    assert hits(client, "Deir", kind="event")[0]["title"].startswith("U.S. strike on Russian contract fighters")
    assert {h["kind"] for h in hits(client, "strike", kind=["event", "document"])} == {"event", "document"}


def test_an_exact_name_ranks_above_a_passing_mention(client: TestClient) -> None:
    monitor = source(client, "Airwars", kind="organization")
    other = source(client, "Local council")
    created(client, "/documents", {"title": "Raqqa, 2017", "text": "The dead were counted by Airwars and others."})
    claim(client, other["id"], quote="Airwars counted 1,400 dead; Airwars says the toll rises")
    found = hits(client, "airwars")
    assert keys(found)[0] == ("source", monitor["id"])
    assert [h["kind"] for h in found] == ["source", "claim", "document"]
    assert found[0]["score"] > 1 > found[1]["score"] > found[2]["score"]  # the whole name typed: +1


def test_snippets_escape_the_text_and_mark_only_the_matches(client: TestClient) -> None:
    s = source(client, "Tom & Jerry <script> monitor")
    [hit] = hits(client, "jerry")
    assert hit["id"] == s["id"]
    assert hit["snippet"] == "Tom &amp; <mark>Jerry</mark> &lt;script&gt; monitor"


def test_search_syntax_never_fails(client: TestClient) -> None:
    source(client, "NEAR x unbalanced")
    for q in ['"unbalanced', "AND OR", "NOT", "*", "(", ")", "a:b", "^x", "NEAR(a b)", "-", "--x", '"', "x OR", "\\"]:
        response = client.get("/search", params={"q": q})
        assert response.status_code == 200, (q, response.text)
    assert keys(hits(client, '"unbalanced')) == keys(hits(client, "near(x")) == [("source", 1)]


def test_phrases_alternatives_and_exclusions(client: TestClient) -> None:
    a = source(client, "Death toll monitor")["id"]
    b = source(client, "Toll of the dead registry")["id"]
    assert {h["id"] for h in hits(client, '"death toll"')} == {a}
    assert {h["id"] for h in hits(client, "tolls")} == {a, b}  # words are stemmed
    assert {h["id"] for h in hits(client, "toll dead")} == {b}  # every word must match
    assert {h["id"] for h in hits(client, "toll -registry")} == {a}
    assert {h["id"] for h in hits(client, "registry or monitor")} == {a, b}
    assert hits(client, "-registry") == []  # nothing but exclusions: nothing to look for


def test_search_follows_every_write(client: TestClient, engine: Engine) -> None:
    who = source(client, "Harbour master")["id"]
    c = claim(client, who, quote="the fishermen counted 37 missing boats")
    assert keys(hits(client, "fishermen")) == [("claim", c["id"])]  # found at once
    assert client.patch(f"/claims/{c['id']}", json={"quote": "the sailors counted 37 missing boats"}).status_code == 200
    assert hits(client, "fishermen") == [] and keys(hits(client, "sailors")) == [("claim", c["id"])]
    assert client.delete(f"/claims/{c['id']}").status_code == 200
    assert hits(client, "sailors") == []
    assert client.post(f"/claims/{c['id']}/restore").status_code == 200
    assert keys(hits(client, "sailors")) == [("claim", c["id"])]
    client.patch(f"/sources/{who}", json={"name": "Port authority"})
    assert hits(client, "harbour") == [] and keys(hits(client, "port")) == [("source", who)]
    e = event(client, "Storm Ciarán")["id"]  # accents ignored on SQLite; PostgreSQL matches them as written
    assert keys(hits(client, "Ciarán")) == [("event", e)]
    with engine.begin() as conn:  # a write that bypasses the service (a bulk import, a script)
        conn.execute(text("UPDATE event SET name = 'Storm Babet' WHERE id = :id"), {"id": e})
    assert hits(client, "Ciarán") == [] and keys(hits(client, "babet")) == [("event", e)]


def test_documents_are_found_by_title_and_text(client: TestClient) -> None:
    d = created(client, "/documents", {"title": "Flood report", "text": "Water rose in the night. " * 50})
    by_title, by_text = hits(client, "flood"), hits(client, "night")
    assert by_title[0]["matched"] == "title" and by_title[0]["snippet"] == "<mark>Flood</mark> report"
    assert by_text[0]["matched"] == "text" and by_text[0]["title"] == "Flood report"
    assert by_text[0]["snippet"].count("<mark>night</mark>") >= 1 and len(by_text[0]["snippet"]) < 400
    client.patch(f"/documents/{d['id']}", json={"text": "Nothing happened."})
    assert hits(client, "night") == []


def test_an_alias_finds_its_source_once(client: TestClient) -> None:
    ap = source(client, "The Associated Press")["id"]
    alias = created(client, f"/sources/{ap}/aliases", {"alias": "Associated Press wire"})
    found = hits(client, "associated press")
    assert keys(found) == [("source", ap)] and found[0]["matched"] == "name"
    [by_alias] = hits(client, "wire")
    assert (by_alias["id"], by_alias["title"], by_alias["matched"]) == (ap, "The Associated Press", "alias")
    assert by_alias["snippet"] == "Associated Press <mark>wire</mark>"
    client.delete(f"/sources/{ap}/aliases/{alias['id']}")
    assert hits(client, "wire") == []


def test_pages_are_stable_and_complete(client: TestClient) -> None:
    ids = {source(client, f"Monitor {n}")["id"] for n in range(7)}
    first = client.get("/search", params={"q": "monitor", "limit": 3}).json()
    assert first["total"] == 7 and len(first["items"]) == 3
    second = client.get(first["next"]).json()
    last = client.get(second["next"]).json()
    assert len(last["items"]) == 1 and last["next"] is None
    assert {h["id"] for page in (first, second, last) for h in page["items"]} == ids


def test_bad_parameters_answer_422(client: TestClient) -> None:
    assert_problem(client.get("/search"), 422, "query.q")
    assert_problem(client.get("/search", params={"q": ""}), 422, "query.q")
    assert_problem(client.get("/search", params={"q": "x", "sort": "name"}), 422, "sort")
    assert_problem(client.get("/search", params={"q": "x", "kind": "figure"}), 422)
    assert_problem(client.get("/search", params={"q": "x", "limit": 100_000}), 422, "limit")
    assert client.get("/search", params={"q": "   "}).json()["items"] == []


def test_every_indexed_table_keeps_its_index_objects(engine: Engine) -> None:
    """A later migration that rebuilds one of these tables (SQLite batch mode: copy and rename)
    drops its triggers; this fails until the migration creates them again."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            found = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
            wanted = {f"{t}_fts_{a}" for t in INDEXED for a in ("insert", "delete", "update")}
        else:
            found = set(conn.execute(text("SELECT indexname FROM pg_indexes")).scalars())
            wanted = {f"ix_{t}_search_vector" for t in INDEXED}
    assert wanted <= found
