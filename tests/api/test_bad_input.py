"""Bad input through HTTP: every refusal is a 4xx problem+json that names the field at fault where
the API names one, never a 500, and a refused write stores nothing (every list total, and the
record a PATCH aimed at, are the same after as before).

Each test runs a table of cases as subtests on one database holding the demo article (ids 1..10
exist): the document has a text, figure 4 ("more than double that number") refers to figure 2,
source 6 (Zakharova) sits under 5 (the ministry) under 4 (the government), scope 2 lies within
scope 1. Refused writes change nothing, so the cases of a table cannot disturb one another.
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

Write = tuple[str, str, Any, str | None]  # method, path, JSON body, the field the problem names
Raw = tuple[str, str, bytes, str | None]  # method, path, raw body sent as application/json
Read = tuple[str, dict[str, Any], str | None]  # path, query, the field the problem names


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
    """Send a write that must be refused; check the problem, and that nothing changed."""
    with nothing_stored(client, *([path] if method in {"PATCH", "DELETE"} else [])):
        return assert_problem(client.request(method, path, **request), status, field)


def refuse_all(api: TestClient, subtests: pytest.Subtests, cases: list[Write], status: int = 422) -> None:
    for method, path, body, field in cases:
        with subtests.test(f"{method} {path} -> {status} {field}"):
            refused(api, method, path, status, field, json=body)


def refuse_all_raw(api: TestClient, subtests: pytest.Subtests, cases: list[Raw], status: int = 422) -> None:
    for method, path, raw, field in cases:
        with subtests.test(f"{method} {path} {raw[:40]!r} -> {status} {field}"):
            refused(api, method, path, status, field, content=raw, headers=JSON)


def reject_all_reads(api: TestClient, subtests: pytest.Subtests, cases: list[Read], status: int = 422) -> None:
    for path, params, field in cases:
        with subtests.test(f"GET {path} {params} -> {status} {field}"):
            assert_problem(api.get(path, params=params), status, field)


# --- unknown fields ------------------------------------------------------------------------------
UNKNOWN_FIELDS: list[Write] = [
    ("POST", "/sources", {"name": "X", "colour": "red"}, "colour"),
    ("PATCH", "/sources/1", {"colour": "red"}, "colour"),
    ("POST", "/events", {"name": "X", "starts": "2018-02-07"}, "starts"),
    ("POST", "/metrics", {"name": "evacuated", "unit": "people"}, "unit"),
    ("POST", "/claims", {"claimant_id": 1, "figures": [{**INLINE, "text": "5", "colour": 1}]}, "figures.0.colour"),
    ("PATCH", "/claims/1", {"figures": []}, "figures"),
    ("POST", "/figures", {**FIGURE, "text": "5", "value": 5}, "value"),
    ("POST", "/figures/parse", {"text": "5", "units": "people"}, "units"),
]


def test_unknown_fields_are_refused_by_name(api: TestClient, subtests: pytest.Subtests) -> None:
    for method, path, body, field in UNKNOWN_FIELDS:
        with subtests.test(f"{method} {path} {field}"):
            problem = refused(api, method, path, 422, field, json=body)
            assert [error["field"] for error in problem["errors"]] == [field]  # that field alone is at fault
            assert f"{field}: Extra inputs are not permitted" in problem["detail"]


# --- wrong types ---------------------------------------------------------------------------------
WRONG_TYPES: list[Write] = [
    ("POST", "/events", {"name": 5}, "name"),
    ("POST", "/sources", {"name": "A", "parent_id": "one"}, "parent_id"),
    ("POST", "/sources", {"name": "A", "kind": ["outlet"]}, "kind"),
    ("POST", "/claims", {"claimant_id": [1]}, "claimant_id"),
    ("POST", "/claims", {"claimant_id": 1, "relay_ids": "1"}, "relay_ids"),
    ("POST", "/figures", {**FIGURE, "bound": "exact", "low": "many", "high": 5}, "low"),
    ("PATCH", "/documents/1", {"published_at": True}, "published_at"),
    ("PATCH", "/figures/1", {"scope_id": 1.5}, "scope_id"),
]
NOT_AN_OBJECT: list[Raw] = [("POST", "/sources", raw, None) for raw in (b"[]", b"null", b'"a source"', b"5")]


def test_wrong_types_are_refused_by_name(api: TestClient, subtests: pytest.Subtests) -> None:
    refuse_all(api, subtests, WRONG_TYPES)


def test_a_body_that_is_not_an_object_is_422(api: TestClient, subtests: pytest.Subtests) -> None:
    refuse_all_raw(api, subtests, NOT_AN_OBJECT)


# --- NaN and Infinity (Python's JSON reader accepts them: the models must not) -------------------
NAN_BODIES: list[Raw] = [
    ("POST", "/figures", b'{"claim_id": 1, "event_id": 1, "metric": "killed", "bound": "exact", "low": NaN}', "low"),
    ("POST", "/figures", b'{"claim_id": 1, "event_id": 1, "metric": "killed", "bound": "ge", "low": Infinity}', "low"),
    (
        "POST",
        "/figures",
        b'{"claim_id": 1, "event_id": 1, "metric": "killed", "text": "5", "tolerance": NaN}',
        "tolerance",
    ),
    (
        "POST",
        "/claims",
        b'{"claimant_id": 1, "figures": [{"event_id": 1, "metric": "killed", "bound": "le", "low": 0, '
        b'"high": -Infinity}]}',
        "figures.0.high",
    ),
    ("PATCH", "/figures/1", b'{"bound": "ge", "low": NaN}', "low"),
    ("POST", "/figures/rederive", b'{"tolerance": NaN}', "tolerance"),
    ("POST", "/figures/parse", b'{"text": "twice that", "reference": {"low": 1, "high": Infinity}}', "reference.high"),
    ("POST", "/sources", b'{"name": NaN}', "name"),
]
NAN_FILTERS: list[Read] = [
    ("/figures", {"low__gte": "NaN"}, "query.low__gte"),
    ("/figures", {"high__lte": "-inf"}, "query.high__lte"),
    ("/discrepancies", {"min_factor": "Infinity"}, "query.min_factor"),
]


def test_nan_and_infinity_in_bodies_are_422(api: TestClient, subtests: pytest.Subtests) -> None:
    refuse_all_raw(api, subtests, NAN_BODIES)


def test_rederive_with_infinity_changes_no_figure(api: TestClient) -> None:
    before = api.get("/figures").json()["items"]
    refused(api, "POST", "/figures/rederive", 422, "tolerance", content=b'{"tolerance": Infinity}', headers=JSON)
    assert api.get("/figures").json()["items"] == before


def test_nan_and_infinity_in_filters_are_422(api: TestClient, subtests: pytest.Subtests) -> None:
    reject_all_reads(api, subtests, NAN_FILTERS)


# --- numbers beyond 64 bits (and ids beyond the 32-bit columns) ----------------------------------
HUGE_PATH_IDS: list[Read] = [
    (path.format(ident), {}, "path.ident")
    for path in ("/sources/{}", "/claims/{}", "/figures/{}", "/events/{}/discrepancies", "/sources/{}/track-record")
    for ident in (BEYOND_64_BITS, BEYOND_32_BITS, 10**40)
]
HUGE_WRITE_IDS: list[Write] = [
    ("PATCH", f"/sources/{BEYOND_64_BITS}", {"name": "X"}, "path.ident"),
    ("PATCH", f"/claims/{BEYOND_32_BITS}", {"modality": "denied"}, "path.ident"),
    ("DELETE", f"/events/{BEYOND_64_BITS}?cascade=true", None, "path.ident"),
    ("DELETE", f"/figures/{BEYOND_32_BITS}", None, "path.ident"),
]
HUGE_BODY_NUMBERS: list[Write] = [
    ("POST", "/sources", {"name": "A", "parent_id": BEYOND_64_BITS}, "parent_id"),
    ("POST", "/sources", {"name": "A", "parent_id": BEYOND_32_BITS}, "parent_id"),
    ("POST", "/claims", {"claimant_id": BEYOND_64_BITS}, "claimant_id"),
    ("POST", "/claims", {"claimant_id": 1, "relay_ids": [1, BEYOND_64_BITS]}, "relay_ids.1"),
    ("POST", "/claims", {"claimant_id": 1, "relay_ids": [BEYOND_32_BITS]}, "relay_ids.0"),
    ("PATCH", "/claims/1", {"relay_ids": [BEYOND_32_BITS]}, "relay_ids.0"),
    ("POST", "/figures", {**FIGURE, "claim_id": BEYOND_64_BITS, "text": "5"}, "claim_id"),
    ("POST", "/figures", {**FIGURE, "bound": "exact", "low": 2**70, "high": 2**70}, "low"),
    ("POST", "/figures", {**FIGURE, "bound": "ge", "low": 10**400}, "low"),
]
HUGE_QUERY_NUMBERS: list[Read] = [
    ("/figures", {"claim_id": BEYOND_64_BITS}, "query.claim_id"),
    ("/claims", {"relay_id": BEYOND_32_BITS}, "query.relay_id"),
    ("/discrepancies", {"event_id": BEYOND_64_BITS}, "query.event_id"),
    ("/sources/compare", {"a": BEYOND_64_BITS, "b": 1}, "query.a"),
    ("/sources", {"offset": BEYOND_64_BITS}, "query.offset"),
    ("/sources", {"limit": BEYOND_64_BITS}, "limit"),
]


def test_huge_ids_in_paths_are_422(api: TestClient, subtests: pytest.Subtests) -> None:
    reject_all_reads(api, subtests, HUGE_PATH_IDS)
    refuse_all(api, subtests, HUGE_WRITE_IDS)


def test_huge_numbers_in_bodies_are_422(api: TestClient, subtests: pytest.Subtests) -> None:
    refuse_all(api, subtests, HUGE_BODY_NUMBERS)
    exponent = b'{"claim_id": 1, "event_id": 1, "metric": "killed", "bound": "ge", "low": 1e400}'  # a double's inf
    refuse_all_raw(api, subtests, [("POST", "/figures", exponent, "low")])


def test_huge_numbers_in_queries_are_422(api: TestClient, subtests: pytest.Subtests) -> None:
    reject_all_reads(api, subtests, HUGE_QUERY_NUMBERS)


# --- negative counts -----------------------------------------------------------------------------
NEGATIVE: list[Write] = [
    ("POST", "/figures", {**FIGURE, "bound": "exact", "low": -5, "high": -5}, "low"),
    ("POST", "/claims", {"claimant_id": 1, "figures": [{**INLINE, "bound": "ge", "low": -1}]}, "figures.0.low"),
    ("PATCH", "/figures/1", {"bound": "ge", "low": -1}, "low"),
    ("POST", "/claims", {"claimant_id": 1, "document_id": 1, "quote_start": -1, "quote_end": 10}, "quote_start"),
    ("POST", "/figures/parse", {"text": "twice that", "reference": {"low": -10}}, "reference.low"),
    ("POST", "/figures/rederive", {"tolerance": -0.1}, "tolerance"),
]
NEGATIVE_PAGING: list[Read] = [
    ("/sources", {"limit": -1}, "query.limit"),
    ("/sources", {"limit": 0}, "query.limit"),
    ("/figures", {"offset": -1}, "query.offset"),
]


def test_negative_numbers_are_422(api: TestClient, subtests: pytest.Subtests) -> None:
    refuse_all(api, subtests, NEGATIVE)
    reject_all_reads(api, subtests, NEGATIVE_PAGING)


def test_negative_words_are_not_read_as_a_figure(api: TestClient, subtests: pytest.Subtests) -> None:
    for text in ("-5", "minus five"):
        with subtests.test(text):
            body = refused(api, "POST", "/figures", 422, None, json={**FIGURE, "text": text})
            assert body["words"]  # the words not understood


# --- low above high ------------------------------------------------------------------------------
LOW_ABOVE_HIGH: list[Write] = [
    ("POST", "/figures", {**FIGURE, "bound": "range", "low": 300, "high": 200}, "high"),
    (
        "POST",
        "/claims",
        {"claimant_id": 1, "figures": [{**INLINE, "text": "5"}, {**INLINE, "bound": "range", "low": 9, "high": 2}]},
        "figures.1.high",
    ),
    ("PATCH", "/figures/1", {"bound": "range", "low": 500, "high": 100}, "high"),
]


def test_low_above_high_is_422(api: TestClient, subtests: pytest.Subtests) -> None:
    refuse_all(api, subtests, LOW_ABOVE_HIGH)
    with subtests.test("reference interval upside down"):
        body = {"text": "more than double that number", "reference": {"low": 10, "high": 5}}
        assert "above" in assert_problem(api.post("/figures/parse", json=body), 422)["detail"]


def test_an_event_ending_before_it_starts_is_422(api: TestClient) -> None:
    body = {"name": "Backwards", "started_at": "2018-02-08T00:00:00Z", "ended_at": "2018-02-07T00:00:00Z"}
    refused(api, "POST", "/events", 422, None, json=body)
    refused(api, "PATCH", "/events/1", 422, None, json={"ended_at": "2000-01-01T00:00:00Z"})


# --- empty and huge strings ----------------------------------------------------------------------
EMPTY: list[Write] = [
    ("POST", "/sources", {"name": ""}, "name"),
    ("PATCH", "/sources/1", {"name": ""}, "name"),
    ("POST", "/events", {"name": ""}, "name"),
    ("POST", "/scopes", {"name": ""}, "name"),
    ("POST", "/documents", {"title": ""}, "title"),
    ("POST", "/metrics", {"name": ""}, "name"),
    ("POST", "/figures", {**FIGURE, "text": "5", "unit": ""}, "unit"),
    ("POST", "/figures", {**FIGURE, "text": ""}, "text"),
]
HUGE: list[Write] = [
    ("POST", "/documents", {"title": "Long", "text": "x" * 3_000_000}, "text"),
    ("PATCH", "/documents/1", {"text": "x" * 3_000_000}, "text"),
    ("POST", "/sources", {"name": "x" * 100_000}, "name"),
    ("POST", "/claims", {"claimant_id": 1, "quote": "x" * 100_000}, "quote"),
    ("POST", "/figures", {**FIGURE, "text": "5 " + "x" * 100_000}, "text"),
    ("POST", "/figures/parse", {"text": ["5"] * 1001}, "text"),
]


def test_empty_strings_are_422(api: TestClient, subtests: pytest.Subtests) -> None:
    refuse_all(api, subtests, EMPTY)
    with subtests.test("an empty phrase is not a figure"):
        assert_problem(api.post("/figures/parse", json={"text": ""}), 422)


def test_huge_strings_are_422_not_500(api: TestClient, subtests: pytest.Subtests) -> None:
    refuse_all(api, subtests, HUGE)
    reject_all_reads(api, subtests, [("/sources", {"q": "x" * 201}, "query.q")])


# --- bytes that are not UTF-8, NUL characters ----------------------------------------------------
NOT_UTF8: list[Raw] = [
    ("POST", "/sources", b'{"name": "\xff"}', None),
    ("POST", "/claims", b'{"claimant_id": 1, "quote": "caf\xe9"}', None),
    ("PATCH", "/sources/1", b'{"name": "\xc3\x28"}', None),
    ("POST", "/figures/parse", b'{"text": "\xfe\xff"}', None),
]
NUL_BODIES: list[Write] = [
    ("POST", "/sources", {"name": "a\u0000b"}, "name"),
    ("PATCH", "/events/1", {"place": "\u0000"}, "place"),
    ("POST", "/claims", {"claimant_id": 1, "figures": [{**INLINE, "text": "5\u0000"}]}, "figures.0.text"),
]
NUL_URLS: list[Read] = [("/sources", {"q": "\x00"}, "q"), ("/metrics/%00", {}, "name")]


def test_invalid_utf8_is_a_400_problem_not_500(api: TestClient, subtests: pytest.Subtests) -> None:
    refuse_all_raw(api, subtests, NOT_UTF8, status=400)  # documented on every body: cannot be decoded


def test_nul_characters_are_422_on_every_engine(api: TestClient, subtests: pytest.Subtests) -> None:
    refuse_all(api, subtests, NUL_BODIES)
    reject_all_reads(api, subtests, NUL_URLS)


def test_an_escaped_backslash_before_u0000_is_ordinary_text(api: TestClient) -> None:
    response = api.post("/sources", json={"name": "C:\\u0000"})  # a backslash, then "u0000": no NUL
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "C:\\u0000"


# --- quote spans ---------------------------------------------------------------------------------
SPANS_IN_DOCUMENT_1: list[tuple[dict[str, Any], str]] = [
    ({"quote_start": 0, "quote_end": 10**6}, "quote_end"),
    ({"quote_start": 50, "quote_end": 10}, "quote_end"),
    ({"quote_start": 10, "quote_end": 10}, "quote_end"),
    ({"quote_start": 0}, "quote_end"),
    ({"quote_start": 0, "quote_end": 2_000_001}, "quote_end"),
    ({"quote_start": 0, "quote_end": 5, "quote": "not what the text says"}, "quote"),
]
SPANS: list[Write] = [
    *(("POST", "/claims", {"claimant_id": 1, "document_id": 1, **span}, field) for span, field in SPANS_IN_DOCUMENT_1),
    ("POST", "/claims", {"claimant_id": 1, "quote_start": 0, "quote_end": 5}, "document_id"),
    ("PATCH", "/claims/1", {"quote_end": 10**6}, "quote_end"),
    ("PATCH", "/claims/1", {"quote_start": 5000}, "quote_end"),
]


def test_quote_spans_outside_the_text_are_422(api: TestClient, subtests: pytest.Subtests) -> None:
    assert len(api.get("/documents/1").json()["text"]) < 5000
    refuse_all(api, subtests, SPANS)


# --- parent cycles (and a relative figure referring back to itself) -------------------------------
def test_a_record_cannot_become_its_own_ancestor(api: TestClient, subtests: pytest.Subtests) -> None:
    assert [api.get(f"/sources/{i}").json()["parent_id"] for i in (4, 5, 6)] == [None, 4, 5]
    assert api.get("/scopes/2").json()["parent_id"] == 1
    assert api.get("/figures/4").json()["reference_id"] == 2
    child = api.post("/events", json={"name": "First strike", "parent_id": 1}).json()
    grandchild = api.post("/events", json={"name": "Second wave", "parent_id": child["id"]}).json()
    cycles: list[Write] = [
        ("PATCH", "/sources/1", {"parent_id": 1}, "parent_id"),
        ("PATCH", "/events/1", {"parent_id": 1}, "parent_id"),
        ("PATCH", "/scopes/1", {"parent_id": 1}, "parent_id"),
        ("PATCH", "/sources/4", {"parent_id": 6}, "parent_id"),  # the government under its spokeswoman
        ("PATCH", "/events/1", {"parent_id": grandchild["id"]}, "parent_id"),
        ("PATCH", "/scopes/1", {"parent_id": 2}, "parent_id"),  # the whole within its part
        ("PATCH", "/figures/2", {"reference_id": 4}, "reference_id"),
    ]
    refuse_all(api, subtests, cycles, status=409)


# --- required values sent as null on PATCH: a 422, not a NOT NULL failure answered 409 ------------
NULLS: list[Write] = [
    ("PATCH", path, {field: None}, field)
    for path, field in [
        ("/sources/1", "name"),
        ("/sources/1", "kind"),
        ("/documents/1", "title"),
        ("/claims/1", "claimant_id"),
        ("/claims/1", "modality"),
        ("/figures/1", "metric"),
        ("/figures/1", "event_id"),
        ("/figures/1", "unit"),
        ("/figures/1", "claim_id"),
    ]
]


def test_null_for_a_required_field_is_422(api: TestClient, subtests: pytest.Subtests) -> None:
    refuse_all(api, subtests, NULLS)


# --- unknown query parameters --------------------------------------------------------------------
UNKNOWN_QUERY: list[Read] = [
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
]


def test_unknown_query_parameters_are_422(api: TestClient, subtests: pytest.Subtests) -> None:
    for path, params, field in UNKNOWN_QUERY:
        with subtests.test(f"GET {path} {params}"):
            body = assert_problem(api.get(path, params=params), 422, field)
            assert "unknown query parameter" in body["detail"]


# --- malformed dates -----------------------------------------------------------------------------
BAD_DATES: list[Write] = [
    ("POST", "/events", {"name": "X", "started_at": "2018-13-45"}, "started_at"),
    ("POST", "/events", {"name": "X", "ended_at": "yesterday"}, "ended_at"),
    ("PATCH", "/documents/1", {"published_at": "2018-02-30T00:00:00Z"}, "published_at"),
    ("POST", "/claims", {"claimant_id": 1, "stated_at": "15/02/2018"}, "stated_at"),
    ("PATCH", "/claims/1", {"stated_at": "2018-02-15T25:00:00Z"}, "stated_at"),
]
BAD_QUERY_DATES: list[Read] = [
    ("/events", {"started_at__gte": "yesterday"}, "query.started_at__gte"),
    ("/documents", {"published_at__lt": "2018-02-30"}, "query.published_at__lt"),
    ("/claims", {"stated_at__gte": "02/15/2018"}, "query.stated_at__gte"),
    ("/discrepancies", {"stated_at__lt": "soon"}, "query.stated_at__lt"),
    ("/events/1/discrepancies", {"as_of": "2018-02-15T24:61:00Z"}, "query.as_of"),
]


def test_malformed_dates_are_422(api: TestClient, subtests: pytest.Subtests) -> None:
    refuse_all(api, subtests, BAD_DATES)
    reject_all_reads(api, subtests, BAD_QUERY_DATES)


# --- dates at the edge of the range, and numbers that are not dates ------------------------------
EDGE_DATES: list[Write] = [
    ("POST", "/events", {"name": "X", "started_at": "9999-12-31T23:59:59-14:00"}, "started_at"),
    ("POST", "/events", {"name": "X", "ended_at": "0001-01-01T00:00:00+14:00"}, "ended_at"),
    ("PATCH", "/documents/1", {"published_at": "9999-12-31T23:59:59-14:00"}, "published_at"),
    ("POST", "/claims", {"claimant_id": 1, "stated_at": "0001-01-01T00:00:00+14:00"}, "stated_at"),
    ("POST", "/events", {"name": "X", "started_at": 0.5}, "started_at"),
    ("POST", "/events", {"name": "X", "started_at": 1518652800}, "started_at"),
    ("PATCH", "/claims/1", {"stated_at": "1518652800"}, "stated_at"),
]
EDGE_QUERY_DATES: list[Read] = [
    ("/events", {"started_at__gte": "9999-12-31T23:59:59-14:00"}, "query.started_at__gte"),
    ("/claims", {"stated_at__lt": "0001-01-01T00:00:00+14:00"}, "query.stated_at__lt"),
    ("/discrepancies", {"stated_at__gte": "9999-12-31T23:59:59-14:00"}, "query.stated_at__gte"),
    ("/events/1/discrepancies", {"as_of": "0001-01-01T00:00:00+14:00"}, "query.as_of"),
    ("/documents", {"published_at__gte": "1518652800"}, "query.published_at__gte"),
]


def test_dates_beyond_the_range_in_utc_and_numbers_as_dates_are_422(api: TestClient, subtests: pytest.Subtests) -> None:
    refuse_all(api, subtests, EDGE_DATES)
    reject_all_reads(api, subtests, EDGE_QUERY_DATES)


def test_a_date_at_the_edge_that_stays_in_range_is_kept_in_utc(api: TestClient) -> None:
    created = api.post("/events", json={"name": "Edge", "started_at": "9999-12-31T09:00:00-14:00"})
    assert created.status_code == 201, created.text
    assert created.json()["started_at"].startswith("9999-12-31T23:00:00")


# --- versions that name no version ----------------------------------------------------------------
def test_an_if_match_beyond_64_bits_is_a_412_not_a_500(api: TestClient, subtests: pytest.Subtests) -> None:
    for tag in (f'"{BEYOND_64_BITS}"', '"9223372036854775808"', '"١"'.encode(), '"-1"', "garbage"):
        with subtests.test(repr(tag)):
            refused(api, "PATCH", "/sources/1", 412, None, json={"affiliation": "X"}, headers={"If-Match": tag})


def test_a_bad_body_is_422_even_with_a_stale_version(api: TestClient, subtests: pytest.Subtests) -> None:
    stale = {"If-Match": '"999"'}
    for method, path, body, field in [
        ("PATCH", "/sources/1", {"name": None}, "name"),
        ("PATCH", "/events/1", {"ended_at": "1900-01-01T00:00:00Z"}, None),
        ("PATCH", "/claims/1", {"claimant_id": 999}, "claimant_id"),
        ("PATCH", "/figures/1", {"text": "no number here"}, None),
    ]:
        with subtests.test(f"{path} {body}"):
            status = 404 if body.get("claimant_id") else 422
            refused(api, method, path, status, field, json=body, headers=stale)


# --- metric names --------------------------------------------------------------------------------
BAD_METRIC_NAMES: list[Write] = [
    ("POST", "/metrics", {"name": name}, "name") for name in ("people killed", "Killed", "killed!", "1killed", "k" * 61)
]


def test_a_metric_name_must_be_a_lowercase_word(api: TestClient, subtests: pytest.Subtests) -> None:
    refuse_all(api, subtests, BAD_METRIC_NAMES)


def test_a_metric_with_spaces_does_not_exist(api: TestClient, subtests: pytest.Subtests) -> None:
    unknown: list[Write] = [
        ("POST", "/figures", {**FIGURE, "metric": "people killed", "text": "5"}, "metric"),
        (
            "POST",
            "/claims",
            {"claimant_id": 1, "figures": [{**INLINE, "metric": "people killed", "text": "5"}]},
            "figures.0.metric",
        ),
        ("DELETE", "/metrics/people killed", None, None),
    ]
    refuse_all(api, subtests, unknown, status=404)
    reject_all_reads(api, subtests, [("/metrics/people killed", {}, None)], status=404)
    with subtests.test("a filter by it finds nothing"):
        response = api.get("/figures", params={"metric": "people killed"})
        assert response.status_code == 200 and response.json()["total"] == 0


# --- JSON read strictly: no key twice in an object, no nesting deeper than 64 levels ---------------
NDJSON = {"content-type": "application/x-ndjson"}
SOURCE_LINE = b'{"type": "source", "key": "a", "name": "A", "kind": "outlet"}\n'


def nested(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


DUPLICATE_KEYS: list[tuple[str, str, bytes, str, str]] = [  # ... the field and reason the problem names
    (
        "POST",
        "/sources",
        b'{"name": "A", "kind": "outlet", "name": "B"}',
        "name",
        "duplicate key 'name' at the top level",
    ),
    (
        "POST",
        "/claims",
        b'{"claimant_id": 1, "figures": [{"event_id": 1, "metric": "killed", "text": "5", "text": "500"}]}',
        "figures.0.text",
        "duplicate key 'text' at figures.0",
    ),
    ("PATCH", "/sources/1", b'{"name": "A", "name": "B"}', "name", "duplicate key 'name' at the top level"),
    (
        "POST",
        "/import",
        b'{"sources": [{"key": "a", "name": "A", "kind": "outlet", "name": "B"}]}',
        "sources.0.name",
        "duplicate key 'name' at sources.0",
    ),
]
TOO_DEEP: list[Raw] = [
    ("POST", "/sources", b'{"name": ' + nested(990) + b"}", "body"),
    ("POST", "/claims", b'{"claimant_id": 1, "figures": [' + b'{"a": ' * 990 + b"1" + b"}" * 990 + b"]}", "body"),
    ("POST", "/import", b'{"sources": ' + nested(990) + b"}", "body"),
    ("POST", "/sources", b'{"name": "A", "kind": "outlet", "aliases": ' + nested(65) + b"}", "body"),  # just past
]


def test_a_key_twice_in_a_json_object_is_422_naming_it(api: TestClient, subtests: pytest.Subtests) -> None:
    for method, path, raw, field, reason in DUPLICATE_KEYS:
        with subtests.test(f"{method} {path} {field}"):
            problem = refused(api, method, path, 422, field, content=raw, headers=JSON)
            assert [(e["reason"], e["type"]) for e in problem["errors"]] == [(reason, "json-duplicate-key")]


def test_nesting_deeper_than_the_limit_is_422_naming_it(api: TestClient, subtests: pytest.Subtests) -> None:
    for method, path, raw, field in TOO_DEEP:
        with subtests.test(f"{method} {path} {len(raw)} bytes"):
            problem = refused(api, method, path, 422, field, content=raw, headers=JSON)
            assert problem["errors"][0]["type"] == "json-too-deep" and "64 levels" in problem["detail"]


def test_import_without_a_json_content_type_reads_as_strictly(api: TestClient, subtests: pytest.Subtests) -> None:
    plain = {"content-type": "text/plain"}  # not checked on the way in: the import's own reader refuses
    cases = [
        (DUPLICATE_KEYS[3][2], "sources.0.name", "json-duplicate-key"),
        (b'{"sources": ' + nested(990) + b"}", "", "json-too-deep"),
    ]
    for raw, field, kind in cases:
        with subtests.test(kind):
            problem = refused(api, "POST", "/import", 422, field, content=raw, headers=plain)
            assert [e["type"] for e in problem["errors"]] == [kind]


def test_an_ndjson_line_with_a_key_twice_or_too_deep_is_listed_by_line(
    api: TestClient, subtests: pytest.Subtests
) -> None:
    cases = [
        (b'{"type": "source", "key": "b", "name": "B", "name": "C"}', "name", "json-duplicate-key"),
        (nested(990), "", "json-too-deep"),
        (b'{"type": "source", "key": "b", "name": "B", "aliases": ' + nested(990) + b"}", "", "json-too-deep"),
    ]
    for line, field, kind in cases:
        with subtests.test(kind):
            problem = refused(api, "POST", "/import", 422, field, content=SOURCE_LINE + line, headers=NDJSON)
            assert [(e["line"], e["type"]) for e in problem["errors"]] == [(2, kind)]


def test_a_nul_escape_in_a_deep_body_that_is_not_json_is_422_not_500(api: TestClient) -> None:
    body = nested(990) + b'"\\u0000"'  # the NUL check looks for its field in a body it cannot parse
    for headers in ({"content-type": "text/csv"}, NDJSON):
        refused(
            api, "POST", "/figures/import" if headers != NDJSON else "/import", 422, None, content=body, headers=headers
        )
