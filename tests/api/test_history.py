"""History of every record, restore after delete (with its cascade), purge, the changes feed."""

from typing import Any

from fastapi.testclient import TestClient

from tests.api.helpers import assert_problem, claim, event, source


def test_every_change_is_kept_with_who_and_before_after(client: TestClient) -> None:
    s = source(client, "AP")
    client.patch(f"/sources/{s['id']}", json={"name": "The Associated Press"})
    changes = client.get(f"/sources/{s['id']}/history").json()["items"]
    assert [c["action"] for c in changes] == ["create", "update"]
    assert changes[1]["before"]["name"] == "AP" and changes[1]["after"]["name"] == "The Associated Press"
    assert {c["actor"] for c in changes} == {"test-admin"}


def test_restore_brings_back_a_claim_with_its_figures_and_relays(client: TestClient) -> None:
    who, outlet, e = source(client, "Official")["id"], source(client, "Bloomberg")["id"], event(client)["id"]
    c = claim(client, who, [{"event_id": e, "metric": "killed", "text": "around 100"}], relay_ids=[outlet])
    assert client.delete(f"/claims/{c['id']}", params={"cascade": True}).status_code == 200
    assert client.get(f"/claims/{c['id']}").status_code == 404
    assert client.get("/discrepancies", params={"include_undisputed": True}).json()["total"] == 0
    restored = client.post(f"/claims/{c['id']}/restore")
    assert restored.status_code == 200, restored.text
    back = client.get(f"/claims/{c['id']}").json()
    assert [r["name"] for r in back["relays"]] == ["Bloomberg"]
    assert (back["figures"][0]["low"], back["figures"][0]["high"]) == (80, 120)
    assert client.get("/discrepancies", params={"include_undisputed": True}).json()["total"] == 1
    assert_problem(client.post(f"/claims/{c['id']}/restore"), 409)  # it exists again


def test_purged_records_cannot_be_restored_and_purge_needs_admin(client: TestClient, anonymous: TestClient) -> None:
    s = source(client, "Gone")
    writer = client.post("/keys", json={"name": "w", "role": "write"}).json()["token"]
    client.delete(f"/sources/{s['id']}")
    assert_problem(anonymous.post(f"/sources/{s['id']}/purge", headers={"X-API-Key": writer}), 403)
    assert client.post(f"/sources/{s['id']}/purge").json() == {"purged": 1}
    assert_problem(client.post(f"/sources/{s['id']}/restore"), 409)
    actions = [c["action"] for c in client.get(f"/sources/{s['id']}/history").json()["items"]]
    assert actions == ["create", "delete", "purge"]


def test_restore_of_a_never_deleted_record_is_404(client: TestClient) -> None:
    assert_problem(client.post("/figures/99/restore"), 404)


def test_changes_feed_lists_everything_in_order_from_a_cursor(client: TestClient) -> None:
    first: dict[str, Any] = client.get("/changes").json()
    assert first["items"] == [] and first["since"] == 0
    a = source(client, "A")
    event(client, "E")
    page = client.get("/changes", params={"since": 0, "limit": 1}).json()
    assert [(c["resource"], c["record_id"]) for c in page["items"]] == [("source", a["id"])]
    rest = client.get(page["next"]).json()
    assert [c["resource"] for c in rest["items"]] == ["event"]
    assert client.get(rest["next"]).json()["items"] == []
