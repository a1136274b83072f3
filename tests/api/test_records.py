"""Sources, documents, events and scopes through HTTP: success paths, 404, 409, 422, filters, pages."""

from fastapi.testclient import TestClient

from tests.api.helpers import assert_problem, claim, created, event, scope, source


def test_create_source_returns_it_with_location(client: TestClient) -> None:
    response = client.post("/sources", json={"name": "Bloomberg", "kind": "outlet"})
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Bloomberg" and body["kind"] == "outlet" and body["version"] == 1
    assert response.headers["location"] == f"/sources/{body['id']}"
    assert client.get(f"/sources/{body['id']}").json()["name"] == "Bloomberg"


def test_read_unknown_source_is_404_problem(client: TestClient) -> None:
    assert_problem(client.get("/sources/999"), 404)


def test_duplicate_top_level_source_name_is_409(client: TestClient) -> None:
    source(client, "Bloomberg")
    assert_problem(client.post("/sources", json={"name": "Bloomberg"}), 409, "name")


def test_same_name_under_different_parents_is_allowed(client: TestClient) -> None:
    a = source(client, "Ministry A", kind="government")
    b = source(client, "Ministry B", kind="government")
    source(client, "Spokesperson", kind="person", parent_id=a["id"])
    source(client, "Spokesperson", kind="person", parent_id=b["id"])
    assert_problem(client.post("/sources", json={"name": "Spokesperson", "parent_id": a["id"]}), 409, "name")


def test_source_with_missing_parent_is_404_naming_field(client: TestClient) -> None:
    assert_problem(client.post("/sources", json={"name": "X", "parent_id": 42}), 404, "parent_id")


def test_unknown_field_is_refused(client: TestClient) -> None:
    assert_problem(client.post("/sources", json={"name": "X", "colour": "red"}), 422, "colour")


def test_wrong_kind_names_the_field(client: TestClient) -> None:
    body = assert_problem(client.post("/sources", json={"name": "X", "kind": "alien"}), 422, "kind")
    assert "kind" in body["detail"]


def test_malformed_json_is_422_not_500(client: TestClient) -> None:
    response = client.post("/sources", content=b'{"name": ', headers={"content-type": "application/json"})
    assert_problem(response, 422)


def test_patch_changes_only_given_fields_and_bumps_version(client: TestClient) -> None:
    s = source(client, "AP", description="wire")
    response = client.patch(f"/sources/{s['id']}", json={"name": "The Associated Press"})
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "The Associated Press" and body["description"] == "wire" and body["version"] == 2


def test_parent_cycle_is_409(client: TestClient) -> None:
    gov = source(client, "Government of Russia", kind="government")
    ministry = source(client, "Russian Foreign Ministry", kind="government", parent_id=gov["id"])
    assert_problem(client.patch(f"/sources/{gov['id']}", json={"parent_id": ministry["id"]}), 409)
    assert_problem(client.patch(f"/sources/{gov['id']}", json={"parent_id": gov["id"]}), 409)


def test_list_sources_filters_by_kind_and_affiliation(client: TestClient) -> None:
    source(client, "Bloomberg")
    source(client, "Maria Zakharova", kind="person", affiliation="Russia")
    source(client, "Vladimir Frolov", kind="person", affiliation="Russia")
    body = client.get("/sources", params={"kind": "person", "affiliation": "Russia"}).json()
    assert body["total"] == 2
    assert {s["name"] for s in body["items"]} == {"Maria Zakharova", "Vladimir Frolov"}
    assert client.get("/sources", params={"q": "zakh"}).json()["total"] == 1


def test_list_paginates_with_total_and_next(client: TestClient) -> None:
    for i in range(5):
        source(client, f"Outlet {i}")
    first = client.get("/sources", params={"limit": 2, "sort": "name"}).json()
    assert first["total"] == 5 and [s["name"] for s in first["items"]] == ["Outlet 0", "Outlet 1"]
    second = client.get(first["next"]).json()
    assert [s["name"] for s in second["items"]] == ["Outlet 2", "Outlet 3"]
    last = client.get("/sources", params={"limit": 2, "offset": 4}).json()
    assert last["next"] is None and len(last["items"]) == 1


def test_sort_descending_and_unknown_sort_field(client: TestClient) -> None:
    for name in ("b", "a", "c"):
        source(client, name)
    names = [s["name"] for s in client.get("/sources", params={"sort": "-name"}).json()["items"]]
    assert names == ["c", "b", "a"]
    assert_problem(client.get("/sources", params={"sort": "password"}), 422, "sort")


def test_limit_above_max_page_size_is_422(client: TestClient) -> None:
    assert_problem(client.get("/sources", params={"limit": 100_000}), 422, "limit")


def test_delete_source_with_claims_is_409_listing_dependents(client: TestClient) -> None:
    s = source(client, "U.S. official", kind="anonymous")
    claim(client, s["id"], quote="no number here")
    body = assert_problem(client.delete(f"/sources/{s['id']}"), 409)
    assert body["dependents"] == {"claims": 1}
    assert client.get(f"/sources/{s['id']}").status_code == 200


def test_delete_source_with_cascade_removes_its_claims(client: TestClient) -> None:
    s = source(client, "U.S. official", kind="anonymous")
    c = claim(client, s["id"], quote="no number here")
    response = client.delete(f"/sources/{s['id']}", params={"cascade": "true"})
    assert response.status_code == 200
    assert response.json()["deleted"] == {"claim": 1, "source": 1}
    assert client.get(f"/claims/{c['id']}").status_code == 404


def test_delete_publisher_with_cascade_keeps_document(client: TestClient) -> None:
    pub = source(client, "Some outlet")
    doc = created(client, "/documents", {"title": "Report", "publisher_id": pub["id"]})
    assert client.delete(f"/sources/{pub['id']}", params={"cascade": "true"}).status_code == 200
    assert client.get(f"/documents/{doc['id']}").json()["publisher_id"] is None


def test_document_url_is_unique(client: TestClient) -> None:
    created(client, "/documents", {"title": "A", "url": "https://example.org/a"})
    assert_problem(client.post("/documents", json={"title": "B", "url": "https://example.org/a"}), 409, "url")


def test_documents_filter_by_publication_date(client: TestClient) -> None:
    created(client, "/documents", {"title": "Old", "published_at": "2018-02-15T00:00:00Z"})
    created(client, "/documents", {"title": "New", "published_at": "2022-03-01T00:00:00Z"})
    body = client.get("/documents", params={"published_at__gte": "2020-01-01T00:00:00Z"}).json()
    assert [d["title"] for d in body["items"]] == ["New"]


def test_event_window_must_be_in_order(client: TestClient) -> None:
    response = client.post(
        "/events", json={"name": "E", "started_at": "2018-02-08T00:00:00Z", "ended_at": "2018-02-07T00:00:00Z"}
    )
    assert_problem(response, 422)
    e = event(client, started_at="2018-02-07T00:00:00Z")
    assert_problem(client.patch(f"/events/{e['id']}", json={"ended_at": "2018-02-01T00:00:00Z"}), 422)


def test_events_nest_and_filter_by_parent(client: TestClient) -> None:
    war = event(client, "Syrian civil war")
    battle = event(client, "Battle of Khasham", parent_id=war["id"])
    body = client.get("/events", params={"parent_id": war["id"]}).json()
    assert [e["id"] for e in body["items"]] == [battle["id"]]
    assert_problem(client.delete(f"/events/{war['id']}"), 409)


def test_scope_names_are_unique_and_form_a_tree(client: TestClient) -> None:
    force = scope(client, "attacking force")
    citizens = scope(client, "Russian citizens", parent_id=force["id"])
    assert citizens["parent_id"] == force["id"]
    assert_problem(client.post("/scopes", json={"name": "attacking force"}), 409, "name")
    assert_problem(client.patch(f"/scopes/{force['id']}", json={"parent_id": citizens["id"]}), 409)


def test_ids_beyond_64_bits_are_422_not_500(client: TestClient) -> None:
    assert_problem(client.get(f"/sources/{2**70}"), 422)
    assert_problem(client.post("/sources", json={"name": "X", "parent_id": 2**70}), 422, "parent_id")


def test_timestamps_are_utc(client: TestClient) -> None:
    s = source(client, "Reuters")
    assert s["created_at"].endswith(("Z", "+00:00"))


def test_keyset_pages_follow_next_without_a_total(client: TestClient) -> None:
    for i in range(5):
        source(client, f"Outlet {i}")
    first = client.get("/sources", params={"after": 0, "limit": 2, "total": False}).json()
    assert first["total"] is None and [s["name"] for s in first["items"]] == ["Outlet 0", "Outlet 1"]
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    assert [s["name"] for s in second["items"] + third["items"]] == ["Outlet 2", "Outlet 3", "Outlet 4"]
    assert third["next"] is None
    assert_problem(client.get("/sources", params={"after": 0, "sort": "name"}), 422, "after")
    assert_problem(client.get("/discrepancies", params={"after": 3}), 422, "after")
