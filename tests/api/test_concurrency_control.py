"""Optimistic concurrency: ETags carry the version; If-Match on PATCH and DELETE answers 412 on a
stale version, so two editors cannot overwrite each other silently."""

from fastapi.testclient import TestClient

from tests.api.helpers import assert_problem, claim, event, source


def test_every_read_and_write_sends_the_version_as_etag(client: TestClient) -> None:
    created = client.post("/sources", json={"name": "Airwars"})
    assert created.headers["etag"] == '"1"'
    ident = created.json()["id"]
    assert client.get(f"/sources/{ident}").headers["etag"] == '"1"'
    assert client.patch(f"/sources/{ident}", json={"kind": "organization"}).headers["etag"] == '"2"'


def test_second_of_two_editors_gets_412_and_nothing_is_overwritten(client: TestClient) -> None:
    ident = source(client, "Syrian Observatory")["id"]
    seen_by_a = client.get(f"/sources/{ident}").headers["etag"]
    seen_by_b = client.get(f"/sources/{ident}").headers["etag"]
    first = client.patch(f"/sources/{ident}", json={"affiliation": "UK"}, headers={"If-Match": seen_by_a})
    assert first.status_code == 200
    second = client.patch(f"/sources/{ident}", json={"affiliation": "Syria"}, headers={"If-Match": seen_by_b})
    body = assert_problem(second, 412)
    assert body["current_version"] == 2
    assert client.get(f"/sources/{ident}").json()["affiliation"] == "UK"


def test_stale_delete_is_refused_and_current_one_goes_through(client: TestClient) -> None:
    ident = source(client, "Reuters")["id"]
    client.patch(f"/sources/{ident}", json={"description": "wire"})
    assert_problem(client.delete(f"/sources/{ident}", headers={"If-Match": '"1"'}), 412)
    assert client.delete(f"/sources/{ident}", headers={"If-Match": '"2"'}).status_code == 200


def test_claims_and_figures_honour_if_match(client: TestClient) -> None:
    who = source(client, "Ministry")["id"]
    e = event(client)["id"]
    c = claim(client, who, [{"event_id": e, "metric": "killed", "text": "12"}])
    figure = c["figures"][0]
    assert client.get(f"/claims/{c['id']}").headers["etag"] == '"1"'
    ok = client.patch(f"/figures/{figure['id']}", json={"text": "14"}, headers={"If-Match": '"1"'})
    assert ok.status_code == 200 and ok.headers["etag"] == '"2"'
    assert_problem(client.patch(f"/figures/{figure['id']}", json={"text": "15"}, headers={"If-Match": '"1"'}), 412)
    assert client.get(f"/figures/{figure['id']}").headers["etag"] == '"2"'
    assert_problem(client.patch(f"/claims/{c['id']}", json={"modality": "hedged"}, headers={"If-Match": '"7"'}), 412)
    assert client.patch(f"/claims/{c['id']}", json={"modality": "hedged"}, headers={"If-Match": "*"}).status_code == 200
