"""Source aliases and merging a duplicate source: what moves, what history keeps, what is refused."""

from typing import Any

from fastapi.testclient import TestClient

from tests.api.helpers import assert_problem, claim, created, event, source


def merge(client: TestClient, kept: int, duplicate: int) -> dict[str, Any]:
    response = client.post(f"/sources/{kept}/merge", json={"duplicate_id": duplicate})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def relays(client: TestClient, claim_id: int) -> list[str]:
    return [r["name"] for r in client.get(f"/claims/{claim_id}").json()["relays"]]


def test_merge_moves_claims_relays_documents_children_and_aliases(client: TestClient) -> None:
    kept, dup = source(client, "The Associated Press")["id"], source(client, "AP")["id"]
    other, strike = source(client, "Bloomberg")["id"], event(client)["id"]
    created(client, f"/sources/{dup}/aliases", {"alias": "A.P."})
    created(client, f"/sources/{dup}/aliases", {"alias": "associated press"})  # the kept one's name: dropped
    bureau = source(client, "Moscow bureau", parent_id=dup)["id"]
    said = claim(client, dup, [{"event_id": strike, "metric": "killed", "text": "five"}])
    twice = claim(client, other, relay_ids=[dup, other, kept])  # would list the kept source twice
    through = claim(client, other, relay_ids=[other, dup])
    doc = created(client, "/documents", {"title": "Wire copy", "publisher_id": dup})
    voices = client.get("/discrepancies", params={"claimant_id": dup, "include_undisputed": True}).json()
    assert voices["total"] == 1

    body = merge(client, kept, dup)
    assert body["moved"] == {"claims": 1, "relays": 2, "documents": 1, "sources": 1, "aliases": 1}
    assert body["merged"] == [dup] and body["source"]["name"] == "The Associated Press"
    assert sorted(a["alias"] for a in body["aliases"]) == ["A.P.", "AP"]
    assert_problem(client.get(f"/sources/{dup}"), 404)
    assert client.get(f"/claims/{said['id']}").json()["claimant"]["id"] == kept
    assert relays(client, twice["id"]) == ["The Associated Press", "Bloomberg"]  # first position kept, order kept
    assert relays(client, through["id"]) == ["Bloomberg", "The Associated Press"]
    assert client.get(f"/documents/{doc['id']}").json()["publisher_id"] == kept
    assert client.get(f"/sources/{bureau}").json()["parent_id"] == kept
    groups = client.get("/discrepancies", params={"claimant_id": kept, "include_undisputed": True}).json()
    assert groups["total"] == 1  # the summaries speak of the kept source now


def test_history_keeps_every_change_of_a_merge(client: TestClient) -> None:
    kept, dup = source(client, "Syrian Observatory for Human Rights")["id"], source(client, "SOHR")["id"]
    c = claim(client, dup, relay_ids=[dup])
    merge(client, kept, dup)
    changes = client.get(f"/claims/{c['id']}/history").json()["items"]
    assert [ch["action"] for ch in changes] == ["create", "update"]
    assert (changes[1]["before"]["claimant_id"], changes[1]["after"]["claimant_id"]) == (dup, kept)
    assert (changes[1]["before"]["relay_ids"], changes[1]["after"]["relay_ids"]) == ([dup], [kept])
    assert client.get(f"/claims/{c['id']}").json()["version"] == 2
    gone = client.get(f"/sources/{dup}/history").json()["items"]
    assert [ch["action"] for ch in gone] == ["create", "delete"] and gone[1]["before"]["name"] == "SOHR"
    assert len({ch["batch"] for ch in (changes[1], gone[1])}) == 1  # one request, one batch


def test_the_old_name_becomes_an_alias_that_extraction_matches(client: TestClient) -> None:
    kept, dup = source(client, "Syrian Observatory for Human Rights")["id"], source(client, "SOHR")["id"]
    merge(client, kept, dup)
    article = {"text": "At least 12 people were killed in the shelling, according to SOHR."}
    proposal = client.post("/extract", json=article).json()
    assert [s["match"] for s in proposal["sources"]] == [{"id": kept, "name": "Syrian Observatory for Human Rights"}]
    stored = client.post("/extract/commit", json={**article, "event_name": "Shelling"})
    assert stored.status_code == 201, stored.text
    assert stored.json()["sources_created"] == []
    [hit] = client.get("/search", params={"q": "sohr", "kind": "source"}).json()["items"]
    assert (hit["id"], hit["matched"]) == (kept, "alias")


def test_merge_folds_children_of_the_same_name(client: TestClient) -> None:
    kept, dup = source(client, "Reuters")["id"], source(client, "Reuters news agency")["id"]
    mine, theirs = source(client, "Moscow bureau", parent_id=kept)["id"], source(client, "Moscow bureau", parent_id=dup)
    c = claim(client, theirs["id"])
    body = merge(client, kept, dup)
    assert sorted(body["merged"]) == sorted([dup, theirs["id"]])
    assert client.get(f"/claims/{c['id']}").json()["claimant"]["id"] == mine
    assert client.get("/sources", params={"q": "Moscow"}).json()["total"] == 1


def test_merge_refuses_cycles_and_unknown_ids(client: TestClient) -> None:
    ministry = source(client, "Russian Foreign Ministry")["id"]
    spokeswoman = source(client, "Maria Zakharova", parent_id=ministry)["id"]
    assert_problem(client.post(f"/sources/{ministry}/merge", json={"duplicate_id": ministry}), 409, "duplicate_id")
    assert_problem(client.post(f"/sources/{spokeswoman}/merge", json={"duplicate_id": ministry}), 409, "duplicate_id")
    assert_problem(client.post("/sources/999/merge", json={"duplicate_id": ministry}), 404)
    assert_problem(client.post(f"/sources/{ministry}/merge", json={"duplicate_id": 999}), 404, "duplicate_id")
    assert_problem(client.post(f"/sources/{ministry}/merge", json={"duplicate_id": 0}), 422)
    assert client.get(f"/sources/{spokeswoman}").json()["parent_id"] == ministry  # nothing changed
    assert merge(client, ministry, spokeswoman)["merged"] == [spokeswoman]  # a child into its parent is fine


def test_aliases_can_be_added_listed_and_removed(client: TestClient, anonymous: TestClient) -> None:
    ap, other = source(client, "The Associated Press")["id"], source(client, "Reuters")["id"]
    alias = created(client, f"/sources/{ap}/aliases", {"alias": "AP"})
    assert (alias["source_id"], alias["alias"], alias["normalised"]) == (ap, "AP", "ap")
    assert_problem(client.post(f"/sources/{other}/aliases", json={"alias": "the  ap"}), 409, "alias")  # taken
    assert_problem(client.post(f"/sources/{ap}/aliases", json={"alias": "associated press"}), 409, "alias")  # its name
    assert_problem(client.post(f"/sources/{ap}/aliases", json={"alias": "The"}), 422, "alias")
    assert_problem(client.post(f"/sources/{ap}/aliases", json={"alias": "x", "extra": 1}), 422)
    assert_problem(client.post("/sources/999/aliases", json={"alias": "x"}), 404)
    assert_problem(anonymous.post(f"/sources/{ap}/aliases", json={"alias": "x"}), 401)
    listed = client.get(f"/sources/{ap}/aliases").json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == alias["id"]
    assert anonymous.get(f"/sources/{ap}/aliases").status_code == 200  # reads are open
    assert_problem(client.delete(f"/sources/{other}/aliases/{alias['id']}"), 404)  # not that source's
    assert client.delete(f"/sources/{ap}/aliases/{alias['id']}").json() == {"deleted": {"source_alias": 1}}
    assert_problem(client.delete(f"/sources/{ap}/aliases/{alias['id']}"), 404)
    assert client.get(f"/sources/{ap}/aliases").json()["total"] == 0


def test_deleting_a_source_deletes_its_aliases(client: TestClient) -> None:
    ap = source(client, "The Associated Press")["id"]
    created(client, f"/sources/{ap}/aliases", {"alias": "AP"})
    assert client.delete(f"/sources/{ap}").status_code == 200
    assert client.get("/search", params={"q": "ap"}).json()["total"] == 0
    again = source(client, "Associated Press Television")["id"]
    assert created(client, f"/sources/{again}/aliases", {"alias": "AP"})["source_id"] == again
