"""Bad input through HTTP: every refusal is a 4xx problem+json that names the field at fault where
the API names one, never a 500, and a refused write stores nothing.

Runs on the demo article (ids 1..10 exist): the document has a text, figure 4 ("more than double
that number") refers to figure 2, source 6 (Zakharova) sits under 5 (the ministry) under 4 (the
government), scope 2 lies within scope 1.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.demo import load_demo
from tests.api.helpers import assert_problem

LISTS = ("sources", "documents", "events", "scopes", "claims", "figures", "metrics")
JSON = {"content-type": "application/json"}
BEYOND_64_BITS = 2**64
BEYOND_32_BITS = 2**31  # ids are 32-bit columns on PostgreSQL: refused on every engine alike
INLINE = {"event_id": 1, "metric": "killed"}  # a figure inside a claim
FIGURE = {"claim_id": 1, **INLINE}  # a figure added to claim 1


@pytest.fixture
def api(client: TestClient, engine: Engine) -> TestClient:
    load_demo(engine)
    return client


def totals(client: TestClient) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in LISTS:
        response = client.get(f"/{name}", params={"limit": 1})
        assert response.status_code == 200, response.text
        counts[name] = response.json()["total"]
    return counts


@contextmanager
def nothing_stored(client: TestClient, *records: str) -> Iterator[None]:
    """Every list total, and each given record (``/sources/1``), is the same after as before."""
    before = totals(client), [client.get(path).json() for path in records]
    yield
    assert (totals(client), [client.get(path).json() for path in records]) == before


def refused(
    client: TestClient, method: str, path: str, status: int, field: str | None, **request: Any
) -> dict[str, Any]:
    """Send a write that must be refused; check the problem and that nothing changed."""
    record = [path] if method in {"PATCH", "DELETE"} else []
    with nothing_stored(client, *record):
        body = assert_problem(client.request(method, path, **request), status, field)
    return body


# --- unknown fields ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/sources", {"name": "X", "colour": "red"}, "colour"),
        ("PATCH", "/sources/1", {"colour": "red"}, "colour"),
        ("POST", "/events", {"name": "X", "starts": "2018-02-07"}, "starts"),
        ("POST", "/metrics", {"name": "evacuated", "unit": "people"}, "unit"),
        ("POST", "/claims", {"claimant_id": 1, "figures": [{**INLINE, "text": "5", "colour": 1}]}, "figures.0.colour"),
        ("PATCH", "/claims/1", {"figures": []}, "figures"),
        ("POST", "/figures", {**FIGURE, "text": "5", "value": 5}, "value"),
        ("POST", "/figures/parse", {"text": "5", "units": "people"}, "units"),
    ],
)
def test_unknown_fields_are_refused_by_name(
    api: TestClient, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    problem = refused(api, method, path, 422, field, json=body)
    assert [error["field"] for error in problem["errors"]] == [field]  # that field alone is at fault
    assert field in problem["detail"]


# --- wrong types ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/events", {"name": 5}, "name"),
        ("POST", "/sources", {"name": "A", "parent_id": "one"}, "parent_id"),
        ("POST", "/sources", {"name": "A", "kind": ["outlet"]}, "kind"),
        ("POST", "/claims", {"claimant_id": [1]}, "claimant_id"),
        ("POST", "/claims", {"claimant_id": 1, "relay_ids": "1"}, "relay_ids"),
        ("POST", "/figures", {**FIGURE, "bound": "exact", "low": "many", "high": 5}, "low"),
        ("PATCH", "/documents/1", {"published_at": True}, "published_at"),
        ("PATCH", "/figures/1", {"scope_id": 1.5}, "scope_id"),
    ],
)
def test_wrong_types_are_refused_by_name(
    api: TestClient, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    refused(api, method, path, 422, field, json=body)


@pytest.mark.parametrize("raw", [b"[]", b"null", b'"a source"', b"5"])
def test_a_body_that_is_not_an_object_is_422(api: TestClient, raw: bytes) -> None:
    refused(api, "POST", "/sources", 422, None, content=raw, headers=JSON)


# --- NaN and Infinity (Python's JSON reader accepts them: the models must not) -------------------
@pytest.mark.parametrize(
    ("path", "raw", "field"),
    [
        ("/figures", b'{"claim_id": 1, "event_id": 1, "metric": "killed", "bound": "exact", "low": NaN}', "low"),
        ("/figures", b'{"claim_id": 1, "event_id": 1, "metric": "killed", "bound": "ge", "low": Infinity}', "low"),
        ("/figures", b'{"claim_id": 1, "event_id": 1, "metric": "killed", "text": "5", "tolerance": NaN}', "tolerance"),
        (
            "/claims",
            b'{"claimant_id": 1, "figures": [{"event_id": 1, "metric": "killed", "bound": "le", "low": 0, '
            b'"high": -Infinity}]}',
            "figures.0.high",
        ),
        ("/figures/rederive", b'{"tolerance": NaN}', "tolerance"),
        ("/figures/parse", b'{"text": "twice that", "reference": {"low": 1, "high": Infinity}}', "reference.high"),
        ("/sources", b'{"name": NaN}', "name"),
    ],
)
def test_nan_and_infinity_in_bodies_are_422(api: TestClient, path: str, raw: bytes, field: str) -> None:
    refused(api, "POST", path, 422, field, content=raw, headers=JSON)


def test_rederive_with_nan_changes_no_figure(api: TestClient) -> None:
    before = api.get("/figures").json()["items"]
    refused(api, "POST", "/figures/rederive", 422, "tolerance", content=b'{"tolerance": Infinity}', headers=JSON)
    assert api.get("/figures").json()["items"] == before


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/figures", {"low__gte": "NaN"}, "query.low__gte"),
        ("/figures", {"high__lte": "-inf"}, "query.high__lte"),
        ("/discrepancies", {"min_factor": "Infinity"}, "query.min_factor"),
    ],
)
def test_nan_and_infinity_in_filters_are_422(api: TestClient, path: str, params: dict[str, str], field: str) -> None:
    assert_problem(api.get(path, params=params), 422, field)


# --- numbers beyond 64 bits (and ids beyond the 32-bit columns) ----------------------------------
@pytest.mark.parametrize("ident", [BEYOND_64_BITS, BEYOND_32_BITS, 10**40])
@pytest.mark.parametrize("path", ["/sources/{}", "/claims/{}", "/figures/{}", "/sources/{}/track-record"])
def test_huge_ids_in_paths_are_422(api: TestClient, path: str, ident: int) -> None:
    assert_problem(api.get(path.format(ident)), 422, "path.ident")


@pytest.mark.parametrize("ident", [BEYOND_64_BITS, BEYOND_32_BITS])
def test_huge_ids_in_patch_and_delete_paths_are_422(api: TestClient, ident: int) -> None:
    with nothing_stored(api):
        assert_problem(api.patch(f"/sources/{ident}", json={"name": "X"}), 422, "path.ident")
        assert_problem(api.delete(f"/events/{ident}", params={"cascade": "true"}), 422, "path.ident")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/sources", {"name": "A", "parent_id": BEYOND_64_BITS}, "parent_id"),
        ("/sources", {"name": "A", "parent_id": BEYOND_32_BITS}, "parent_id"),
        ("/claims", {"claimant_id": BEYOND_64_BITS}, "claimant_id"),
        ("/claims", {"claimant_id": 1, "relay_ids": [1, BEYOND_64_BITS]}, "relay_ids.1"),
        ("/claims", {"claimant_id": 1, "relay_ids": [BEYOND_32_BITS]}, "relay_ids.0"),
        ("/figures", {**FIGURE, "claim_id": BEYOND_64_BITS, "text": "5"}, "claim_id"),
        ("/figures", {**FIGURE, "bound": "exact", "low": 2**70, "high": 2**70}, "low"),
        ("/figures", {**FIGURE, "bound": "ge", "low": 10**400}, "low"),
    ],
)
def test_huge_numbers_in_bodies_are_422(api: TestClient, path: str, body: dict[str, Any], field: str) -> None:
    refused(api, "POST", path, 422, field, json=body)


def test_an_exponent_beyond_a_double_is_422_not_stored_as_infinity(api: TestClient) -> None:
    raw = b'{"claim_id": 1, "event_id": 1, "metric": "killed", "bound": "ge", "low": 1e400}'
    refused(api, "POST", "/figures", 422, "low", content=raw, headers=JSON)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/figures", {"claim_id": BEYOND_64_BITS}, "query.claim_id"),
        ("/claims", {"relay_id": BEYOND_32_BITS}, "query.relay_id"),
        ("/discrepancies", {"event_id": BEYOND_64_BITS}, "query.event_id"),
        ("/sources/compare", {"a": BEYOND_64_BITS, "b": 1}, "query.a"),
        ("/sources", {"offset": BEYOND_64_BITS}, "query.offset"),
        ("/sources", {"limit": BEYOND_64_BITS}, "limit"),
    ],
)
def test_huge_numbers_in_queries_are_422(api: TestClient, path: str, params: dict[str, Any], field: str) -> None:
    assert_problem(api.get(path, params=params), 422, field)


# --- negative counts -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/figures", {**FIGURE, "bound": "exact", "low": -5, "high": -5}, "low"),
        ("POST", "/claims", {"claimant_id": 1, "figures": [{**INLINE, "bound": "ge", "low": -1}]}, "figures.0.low"),
        ("PATCH", "/figures/1", {"bound": "ge", "low": -1}, "low"),
        ("POST", "/claims", {"claimant_id": 1, "document_id": 1, "quote_start": -1, "quote_end": 10}, "quote_start"),
        ("POST", "/figures/parse", {"text": "twice that", "reference": {"low": -10}}, "reference.low"),
    ],
)
def test_negative_numbers_are_422(api: TestClient, method: str, path: str, body: dict[str, Any], field: str) -> None:
    refused(api, method, path, 422, field, json=body)


@pytest.mark.parametrize("text", ["-5", "minus five"])
def test_negative_words_are_not_read_as_a_figure(api: TestClient, text: str) -> None:
    body = refused(api, "POST", "/figures", 422, None, json={**FIGURE, "text": text})
    assert body["words"]  # the words not understood


@pytest.mark.parametrize(("name", "value"), [("limit", -1), ("limit", 0), ("offset", -1)])
def test_negative_paging_is_422(api: TestClient, name: str, value: int) -> None:
    assert_problem(api.get("/sources", params={name: value}), 422, f"query.{name}")


# --- low above high ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/figures", {**FIGURE, "bound": "range", "low": 300, "high": 200}, "high"),
        (
            "POST",
            "/claims",
            {"claimant_id": 1, "figures": [{**INLINE, "text": "5"}, {**INLINE, "bound": "range", "low": 9, "high": 2}]},
            "figures.1.high",
        ),
        ("PATCH", "/figures/1", {"bound": "range", "low": 500, "high": 100}, "high"),
    ],
)
def test_low_above_high_is_422(api: TestClient, method: str, path: str, body: dict[str, Any], field: str) -> None:
    problem = refused(api, method, path, 422, field, json=body)
    assert "above" in problem["detail"]


def test_a_reference_interval_upside_down_is_422(api: TestClient) -> None:
    body = {"text": "more than double that number", "reference": {"low": 10, "high": 5}}
    assert_problem(api.post("/figures/parse", json=body), 422)


def test_an_event_ending_before_it_starts_is_422(api: TestClient) -> None:
    body = {"name": "Backwards", "started_at": "2018-02-08T00:00:00Z", "ended_at": "2018-02-07T00:00:00Z"}
    refused(api, "POST", "/events", 422, None, json=body)
    refused(api, "PATCH", "/events/1", 422, None, json={"ended_at": "2000-01-01T00:00:00Z"})


# --- empty and huge strings ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/sources", {"name": ""}, "name"),
        ("PATCH", "/sources/1", {"name": ""}, "name"),
        ("POST", "/events", {"name": ""}, "name"),
        ("POST", "/scopes", {"name": ""}, "name"),
        ("POST", "/documents", {"title": ""}, "title"),
        ("POST", "/metrics", {"name": ""}, "name"),
        ("POST", "/figures", {**FIGURE, "text": "5", "unit": ""}, "unit"),
        ("POST", "/figures", {**FIGURE, "text": ""}, "text"),
    ],
)
def test_empty_strings_are_422(api: TestClient, method: str, path: str, body: dict[str, Any], field: str) -> None:
    refused(api, method, path, 422, field, json=body)


def test_an_empty_phrase_is_not_a_figure(api: TestClient) -> None:
    assert_problem(api.post("/figures/parse", json={"text": ""}), 422)


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/documents", {"title": "Long", "text": "x" * 3_000_000}, "text"),
        ("PATCH", "/documents/1", {"text": "x" * 3_000_000}, "text"),
        ("POST", "/sources", {"name": "x" * 100_000}, "name"),
        ("POST", "/claims", {"claimant_id": 1, "quote": "x" * 100_000}, "quote"),
        ("POST", "/figures", {**FIGURE, "text": "5 " + "x" * 100_000}, "text"),
        ("POST", "/figures/parse", {"text": ["5"] * 1001}, "text"),
    ],
)
def test_huge_strings_are_422_not_500(
    api: TestClient, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    refused(api, method, path, 422, field, json=body)


def test_a_huge_filter_is_422(api: TestClient) -> None:
    assert_problem(api.get("/sources", params={"q": "x" * 201}), 422, "query.q")


# --- bytes that are not UTF-8, NUL characters ----------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "raw"),
    [
        ("POST", "/sources", b'{"name": "\xff"}'),
        ("POST", "/claims", b'{"claimant_id": 1, "quote": "caf\xe9"}'),
        ("PATCH", "/sources/1", b'{"name": "\xc3\x28"}'),
        ("POST", "/figures/parse", b'{"text": "\xfe\xff"}'),
    ],
)
def test_invalid_utf8_is_a_400_problem_not_500(api: TestClient, method: str, path: str, raw: bytes) -> None:
    body = refused(api, method, path, 400, None, content=raw, headers=JSON)  # documented: the body cannot be decoded
    assert body["type"].endswith("/http-400")


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/sources", {"name": "a\u0000b"}, "name"),
        ("PATCH", "/events/1", {"place": "\u0000"}, "place"),
        ("POST", "/claims", {"claimant_id": 1, "figures": [{**INLINE, "text": "5\u0000"}]}, "figures.0.text"),
    ],
)
def test_nul_characters_are_422_on_every_engine(
    api: TestClient, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    refused(api, method, path, 422, field, json=body)


@pytest.mark.parametrize(("path", "params", "field"), [("/sources", {"q": "\x00"}, "q"), ("/metrics/%00", {}, "name")])
def test_nul_characters_in_urls_are_422(api: TestClient, path: str, params: dict[str, str], field: str) -> None:
    assert_problem(api.get(path, params=params), 422, field)


def test_an_escaped_backslash_before_u0000_is_ordinary_text(api: TestClient) -> None:
    response = api.post("/sources", json={"name": "C:\\u0000"})  # a backslash, then "u0000": no NUL
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "C:\\u0000"


# --- quote spans ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("span", "field"),
    [
        ({"quote_start": 0, "quote_end": 10**6}, "quote_end"),
        ({"quote_start": 50, "quote_end": 10}, "quote_end"),
        ({"quote_start": 10, "quote_end": 10}, "quote_end"),
        ({"quote_start": 0}, "quote_end"),
        ({"quote_start": 0, "quote_end": 2_000_001}, "quote_end"),
        ({"quote_start": 0, "quote_end": 5, "quote": "not what the text says"}, "quote"),
    ],
)
def test_quote_spans_outside_the_text_are_422(api: TestClient, span: dict[str, Any], field: str) -> None:
    refused(api, "POST", "/claims", 422, field, json={"claimant_id": 1, "document_id": 1, **span})


def test_a_span_without_a_document_is_422(api: TestClient) -> None:
    refused(api, "POST", "/claims", 422, "document_id", json={"claimant_id": 1, "quote_start": 0, "quote_end": 5})


def test_moving_a_claims_span_outside_the_text_is_422(api: TestClient) -> None:
    refused(api, "PATCH", "/claims/1", 422, "quote_end", json={"quote_end": 10**6})


# --- parent cycles -------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["sources", "events", "scopes"])
def test_a_record_cannot_be_its_own_parent(api: TestClient, kind: str) -> None:
    body = refused(api, "PATCH", f"/{kind}/1", 409, "parent_id", json={"parent_id": 1})
    assert "ancestor" in body["detail"]


def test_a_source_cannot_sit_under_its_own_descendant(api: TestClient) -> None:
    zakharova, government = api.get("/sources/6").json(), api.get("/sources/4").json()
    assert zakharova["name"] == "Maria Zakharova" and government["name"] == "Government of Russia"
    refused(api, "PATCH", "/sources/4", 409, "parent_id", json={"parent_id": 6})


def test_an_event_cannot_sit_under_its_own_descendant(api: TestClient) -> None:
    child = api.post("/events", json={"name": "First strike", "parent_id": 1}).json()
    grandchild = api.post("/events", json={"name": "Second wave", "parent_id": child["id"]}).json()
    refused(api, "PATCH", "/events/1", 409, "parent_id", json={"parent_id": grandchild["id"]})


def test_a_scope_cannot_lie_within_its_own_part(api: TestClient) -> None:
    assert api.get("/scopes/2").json()["parent_id"] == 1
    refused(api, "PATCH", "/scopes/1", 409, "parent_id", json={"parent_id": 2})


def test_a_figure_cannot_refer_to_a_figure_that_refers_to_it(api: TestClient) -> None:
    assert api.get("/figures/4").json()["reference_id"] == 2
    refused(api, "PATCH", "/figures/2", 409, "reference_id", json={"reference_id": 4})


# --- required values sent as null on PATCH (a 422, not a NOT NULL failure answered 409) -----------
@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/sources/1", "name"),
        ("/sources/1", "kind"),
        ("/documents/1", "title"),
        ("/claims/1", "claimant_id"),
        ("/claims/1", "modality"),
        ("/figures/1", "metric"),
        ("/figures/1", "event_id"),
        ("/figures/1", "unit"),
        ("/figures/1", "claim_id"),
    ],
)
def test_null_for_a_required_field_is_422(api: TestClient, path: str, field: str) -> None:
    refused(api, "PATCH", path, 422, field, json={field: None})


# --- unknown query parameters --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/sources", {"nme": "Bloomberg"}, "nme"),
        ("/documents", {"publisher": 3}, "publisher"),
        ("/events", {"started_at__ge": "2018-01-01"}, "started_at__ge"),
        ("/scopes", {"parent": 1}, "parent"),
        ("/claims", {"claimant": 1}, "claimant"),
        ("/figures", {"metrics": "killed"}, "metrics"),
        ("/metrics", {"q": "kill"}, "q"),
        ("/discrepancies", {"severity": 2}, "severity"),
        ("/events/1/figures", {"scope_id": 1}, "scope_id"),
        ("/sources/1/claims", {"modality": "denied"}, "modality"),
        ("/events/1/discrepancies", {"metrics": "killed"}, "metrics"),
        ("/events/1/timeline", {"metric": "killed", "scope": 1}, "scope"),
        ("/sources/compare", {"a": 1, "b": 2, "c": 3}, "c"),
        ("/sources/7/track-record", {"metric": "killed"}, "metric"),
    ],
)
def test_unknown_query_parameters_are_422(api: TestClient, path: str, params: dict[str, Any], field: str) -> None:
    body = assert_problem(api.get(path, params=params), 422, field)
    assert "unknown query parameter" in body["detail"]


# --- malformed dates -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/events", {"name": "X", "started_at": "2018-13-45"}, "started_at"),
        ("POST", "/events", {"name": "X", "ended_at": "yesterday"}, "ended_at"),
        ("PATCH", "/documents/1", {"published_at": "2018-02-30T00:00:00Z"}, "published_at"),
        ("POST", "/claims", {"claimant_id": 1, "stated_at": "15/02/2018"}, "stated_at"),
        ("PATCH", "/claims/1", {"stated_at": "2018-02-15T25:00:00Z"}, "stated_at"),
    ],
)
def test_malformed_dates_in_bodies_are_422(
    api: TestClient, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    refused(api, method, path, 422, field, json=body)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/events", {"started_at__gte": "yesterday"}, "query.started_at__gte"),
        ("/documents", {"published_at__lt": "2018-02-30"}, "query.published_at__lt"),
        ("/claims", {"stated_at__gte": "02/15/2018"}, "query.stated_at__gte"),
        ("/discrepancies", {"stated_at__lt": "soon"}, "query.stated_at__lt"),
        ("/events/1/discrepancies", {"as_of": "2018-02-15T24:61:00Z"}, "query.as_of"),
    ],
)
def test_malformed_dates_in_queries_are_422(api: TestClient, path: str, params: dict[str, str], field: str) -> None:
    assert_problem(api.get(path, params=params), 422, field)


# --- metric names --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["people killed", "Killed", "killed!", "1killed", "k" * 61])
def test_a_metric_name_must_be_a_lowercase_word(api: TestClient, name: str) -> None:
    refused(api, "POST", "/metrics", 422, "name", json={"name": name})


def test_a_figure_about_a_metric_with_spaces_names_the_unknown_metric(api: TestClient) -> None:
    refused(api, "POST", "/figures", 404, "metric", json={**FIGURE, "metric": "people killed", "text": "5"})
    body = {"claimant_id": 1, "figures": [{**INLINE, "metric": "people killed", "text": "5"}]}
    refused(api, "POST", "/claims", 404, "figures.0.metric", json=body)


def test_reading_or_deleting_a_metric_with_spaces_is_404(api: TestClient) -> None:
    assert_problem(api.get("/metrics/people killed"), 404)
    with nothing_stored(api):
        assert_problem(api.delete("/metrics/people killed"), 404)


def test_filtering_by_a_metric_with_spaces_finds_nothing(api: TestClient) -> None:
    response = api.get("/figures", params={"metric": "people killed"})
    assert response.status_code == 200 and response.json()["total"] == 0
