"""Real data in without cleanup: one reading of words on every path, partial imports on request,
every import recorded and undoable, the formats people have."""

import csv
import hashlib
import io
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.db import get_engine
from app.services import summaries
from tests.api.helpers import assert_problem, claim, event, source

CSV = {"content-type": "text/csv"}
NDJSON = {"content-type": "application/x-ndjson"}
HEADER = "source,subject,metric,value_low,value_high,hedge,date\n"
LISTS = ("sources", "documents", "events", "scopes", "claims", "figures", "metrics")


def csv_import(client: TestClient, body: str, **params: Any) -> dict[str, Any]:
    response = client.post("/figures/import", content=body.encode(), headers=CSV, params=params)
    assert response.status_code == 201, response.text
    found: dict[str, Any] = response.json()
    return found


def figures_by_source(client: TestClient) -> dict[str, dict[str, Any]]:
    items = client.get("/figures", params={"limit": 500}).json()["items"]
    return {f["claimant"]["name"]: f for f in items}


def interval(figure: dict[str, Any]) -> tuple[Any, ...]:
    return figure["bound"], figure["low"], figure["high"]


# --- 1. one reading of words ------------------------------------------------------------------------
def test_hedge_words_are_read_with_the_number(client: TestClient) -> None:
    body = HEADER + (
        "A,E,killed,25,25,about,2023-10-07\n"
        "B,E,killed,1170,,more than,2023-10-07\n"
        "C,E,killed,1170,,at least (visually confirmed),2023-10-07\n"
        "D,E,killed,,50,up to,2023-10-07\n"
        "F,E,killed,200,,more than 200,2023-10-07\n"
        "G,E,killed,40,,,2023-10-07\n"
        "H,E,killed,,30,,2023-10-07\n"
    )
    result = csv_import(client, body)
    assert result["created"]["figures"] == 7 and result["unread"] == 0
    found = figures_by_source(client)
    assert (interval(found["A"]), found["A"]["text"]) == (("approx", 20, 30), "about 25")
    assert (interval(found["B"]), found["B"]["text"]) == (("gt", 1171, None), "more than 1170")
    assert interval(found["C"]) == ("ge", 1170, None)
    assert found["C"]["text"] == "at least 1170 (visually confirmed)"
    assert (interval(found["D"]), found["D"]["text"]) == (("le", 0, 50), "up to 50")
    assert interval(found["F"]) == ("gt", 201, None)
    assert (interval(found["G"]), found["G"]["text"]) == (("ge", 40, None), None)
    assert interval(found["H"]) == ("le", 0, 30)
    assert {f["interval_source"] for k, f in found.items() if k not in "GH"} == {"read"}
    assert found["G"]["interval_source"] == found["H"]["interval_source"] == "given"


def test_every_path_reads_the_same_words_the_same_way(client: TestClient) -> None:
    csv_import(client, HEADER + "CSV,E,killed,1170,,more than,2023-10-07\nCSV,E,injured,25,25,about,2023-10-07\n")
    who, what = source(client, "API")["id"], client.get("/events").json()["items"][0]["id"]
    claim(client, who, [{"event_id": what, "metric": "killed", "text": "more than 1170"}])
    lines = [
        {"type": "source", "key": "s", "name": "NDJSON"},
        {"type": "claim", "key": "c", "claimant": "s"},
        {"type": "figure", "claim": "c", "event_id": what, "metric": "killed", "text": "more than 1170"},
        {"type": "figure", "claim": "c", "event_id": what, "metric": "injured", "text": "about 25"},
    ]
    assert client.post("/import", content="\n".join(map(json.dumps, lines)), headers=NDJSON).status_code == 201
    items = client.get("/figures", params={"limit": 50}).json()["items"]
    by_metric: dict[str, set[tuple[Any, ...]]] = {}
    for f in items:
        by_metric.setdefault(f["metric"], set()).add(interval(f))
    assert by_metric == {"killed": {("gt", 1171, None)}, "injured": {("approx", 20, 30)}}


def test_numbers_on_the_wrong_side_of_their_words_are_refused_with_what_the_words_mean(client: TestClient) -> None:
    body = HEADER + (
        "A,E,killed,50,,up to,2023-10-07\n"
        "B,E,killed,,50,more than,2023-10-07\n"
        "C,E,killed,300,,more than 200,2023-10-07\n"
    )
    problem = assert_problem(client.post("/figures/import", content=body.encode(), headers=CSV), 422)
    errors = {e["field"]: e["reason"] for e in problem["errors"]}
    assert list(errors) == ["line 2.value_low", "line 3.value_high", "line 4.value_low"]
    assert "'up to 50' mean le [0, 50]" in errors["line 2.value_low"] and "value_high" in errors["line 2.value_low"]
    assert "'more than 50' mean gt [51, inf)" in errors["line 3.value_high"]
    assert "state 200, not the 300 given" in errors["line 4.value_low"]
    assert client.get("/figures").json()["total"] == 0


def test_unreadable_words_keep_the_interval_given_and_a_later_unit_change_works(client: TestClient) -> None:
    body = HEADER + "A,E,killed,7,7,killed,2023-10-07\nB,E,killed,11000,,more,2023-10-07\n"
    result = csv_import(client, body)
    assert result["unread"] == 2
    found = figures_by_source(client)
    assert (interval(found["A"]), found["A"]["text"], found["A"]["interval_source"]) == (
        ("exact", 7, 7),
        "killed",
        "given",
    )
    assert (interval(found["B"]), found["B"]["text"]) == (("ge", 11000, None), "more")
    patched = client.patch(f"/figures/{found['A']['id']}", json={"unit": "soldiers"})
    assert patched.status_code == 200, patched.text
    assert (patched.json()["unit"], interval(patched.json()), patched.json()["text"]) == (
        "soldiers",
        ("exact", 7, 7),
        "killed",
    )


def test_a_read_figure_of_a_csv_row_takes_a_unit_change(client: TestClient) -> None:
    csv_import(client, HEADER + "A,E,killed,25,25,about,2023-10-07\n")
    figure = figures_by_source(client)["A"]
    patched = client.patch(f"/figures/{figure['id']}", json={"unit": "soldiers"})
    assert patched.status_code == 200, patched.text
    assert interval(patched.json()) == ("approx", 20, 30)


def test_json_and_claims_keep_unreadable_words_given_with_explicit_ends(client: TestClient) -> None:
    who, what = source(client)["id"], event(client)["id"]
    given = {
        "event_id": what,
        "metric": "killed",
        "text": "somewhere between 6 and 18",
        "bound": "range",
        "low": 6,
        "high": 18,
    }
    made = claim(client, who, [given])["figures"][0]
    assert (interval(made), made["text"], made["interval_source"]) == (("range", 6, 18), given["text"], "given")
    alone = {**given, "text": "killed seven"}
    del alone["bound"]
    problem = assert_problem(client.post("/claims", json={"claimant_id": who, "figures": [alone]}), 422)
    assert "killed" in problem["detail"]
    lines = [
        {"type": "claim", "key": "c", "claimant_id": who},
        {"type": "figure", "claim": "c", "event_id": what, "metric": "killed", "text": "killed seven"},
        {**given, "type": "figure", "claim": "c", "text": "killed seven", "bound": "exact", "low": 7, "high": 7},
    ]
    result = client.post(
        "/import", content="\n".join(map(json.dumps, lines)), headers=NDJSON, params={"on_error": "skip"}
    )
    assert result.status_code == 201, result.text
    assert result.json()["created"]["figures"] == 1 and result.json()["rejected"] == 1
    assert result.json()["rejects"][0]["line"] == 2 and result.json()["rejects"][0]["type"] == "unreadable"


# --- 4. formats people have -------------------------------------------------------------------------
def test_unit_and_period_columns_and_the_unit_parameter(client: TestClient) -> None:
    body = "source,subject,metric,value_low,unit,period\nA,E,killed,5,,day\nB,E,killed,7,tonnes,\n"
    result = csv_import(client, body, unit="soldiers")
    assert result["unit"] == "soldiers"
    found = figures_by_source(client)
    assert (found["A"]["unit"], found["A"]["period"]) == ("soldiers", "day")
    assert (found["B"]["unit"], found["B"]["period"]) == ("tonnes", "event")  # the metric's period
    problem = assert_problem(
        client.post(
            "/figures/import", content=b"source,subject,metric,value_low,period\nA,E,killed,5,month\n", headers=CSV
        ),
        422,
        "line 2.period",
    )
    assert "cumulative" in problem["errors"][0]["reason"]


@pytest.mark.parametrize(
    ("written", "stated_at"),
    [
        ("2023-10-07", "2023-10-07T00:00:00Z"),
        ("7 October 2023", "2023-10-07T00:00:00Z"),
        ("October 7, 2023", "2023-10-07T00:00:00Z"),
        ("2023-10-07 14:00", "2023-10-07T14:00:00Z"),
        ("2023-10-07T14:00:00+02:00", "2023-10-07T12:00:00Z"),
        ("25/12/2023", "2023-12-25T00:00:00Z"),
    ],
)
def test_common_date_forms_are_read(client: TestClient, written: str, stated_at: str) -> None:
    csv_import(client, f'source,subject,metric,value_low,date\nA,E,killed,5,"{written}"\n')
    claims = client.get("/claims").json()["items"]
    assert claims[0]["stated_at"] == stated_at


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("03/04/2023", "ambiguous"),
        ("7 Oct 23", "ambiguous"),
        ("October 2023", "not a whole date"),
        ("soon", "not a date"),
    ],
)
def test_ambiguous_or_partial_dates_are_refused(client: TestClient, written: str, reason: str) -> None:
    body = f"source,subject,metric,value_low,date\nA,E,killed,5,{written}\n"
    problem = assert_problem(client.post("/figures/import", content=body.encode(), headers=CSV), 422, "line 2.date")
    assert reason in problem["errors"][0]["reason"]


# --- 2. partial imports on request ------------------------------------------------------------------
def test_skip_stores_the_valid_rows_and_lists_the_refused_ones_as_a_file(client: TestClient) -> None:
    body = (
        HEADER + "A,E,killed,5,,,2024-01-01\nB,E,killed,-1,,,2024-01-01\nC,E,killed,9,3,,2024-01-01\nD,E,killed,4,,,\n"
    )
    assert_problem(client.post("/figures/import", content=body.encode(), headers=CSV), 422)  # the default
    result = csv_import(client, body, on_error="skip", filename="monitor.csv")
    assert (result["created"]["figures"], result["rejected"], result["rows"]) == (2, 2, 4)
    assert [(r["line"], r["field"]) for r in result["rejects"]] == [(3, "value_low"), (4, "value_high")]
    assert result["rejects_url"] == f"/imports/{result['id']}/rejects.csv"
    rejects = client.get(result["rejects_url"])
    assert rejects.status_code == 200 and rejects.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(rejects.text)))
    assert [(r["reject_line"], r["source"], r["value_low"]) for r in rows] == [("3", "B", "'-1"), ("4", "C", "9")]
    fixed = rejects.text.replace("'-1", "1").replace(",9,3,", ",3,9,")
    again = csv_import(client, fixed)  # the rejects file, fixed, imports as it is
    assert again["created"]["figures"] == 2 and client.get("/figures").json()["total"] == 4


def test_a_malformed_line_refuses_the_file_even_when_skipping(client: TestClient) -> None:
    body = HEADER.encode() + b"A,E,killed,5,,,\nB\rC,E,killed,5,,,\n"
    problem = assert_problem(
        client.post("/figures/import", content=body, headers=CSV, params={"on_error": "skip"}), 422
    )
    assert problem["errors"][-1]["type"] == "malformed-csv"
    assert client.get("/figures").json()["total"] == 0 and client.get("/imports").json()["total"] == 0


def test_json_skip_lists_rows_that_name_a_refused_row(client: TestClient) -> None:
    batch = {
        "sources": [{"key": "a", "name": "A"}, {"key": "bad", "name": ""}],
        "events": [{"key": "e", "name": "E"}],
        "claims": [
            {"key": "ok", "claimant": "a", "figures": [{"event": "e", "metric": "killed", "text": "about 40"}]},
            {"key": "orphan", "claimant": "bad", "figures": [{"event": "e", "metric": "killed", "text": "5"}]},
        ],
    }
    result = client.post("/import", json=batch, params={"on_error": "skip"})
    assert result.status_code == 201, result.text
    body = result.json()
    assert body["created"] | {} == {**dict.fromkeys(LISTS, 0), "sources": 1, "events": 1, "claims": 1, "figures": 1}
    assert {(r["field"], r["type"]) for r in body["rejects"]} >= {("sources.1.name", "string_too_short")}
    assert any(r["type"] == "unknown-key" for r in body["rejects"])


# --- 3. traceable and undoable ------------------------------------------------------------------------
def test_an_import_is_recorded_with_who_when_file_and_checksum(client: TestClient) -> None:
    body = HEADER + "A,E,killed,5,,,2024-01-01\n"
    result = csv_import(client, body, filename="casualties.csv")
    record = client.get(f"/imports/{result['id']}").json()
    assert (record["actor"], record["filename"], record["kind"]) == ("test-admin", "casualties.csv", "csv")
    assert record["sha256"] == hashlib.sha256(body.encode()).hexdigest()
    assert record["created"]["sources"] == 1 and record["created"]["metrics"] == 0
    listed = client.get("/imports").json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == result["id"]
    assert_problem(client.get("/imports/999"), 404)


def test_history_shows_a_figure_created_by_its_import_in_one_change(client: TestClient) -> None:
    result = csv_import(client, HEADER + "A,E,killed,5,,,2024-01-01\nA,E,injured,6,,,2024-01-01\n")
    figure = client.get("/figures").json()["items"][0]
    assert figure["import_id"] == result["id"]
    (change,) = client.get(f"/figures/{figure['id']}/history").json()["items"]
    assert (change["resource"], change["record_id"], change["action"]) == ("import", result["id"], "create")
    assert change["actor"] == "test-admin" and change["after"]["import_id"] == result["id"]
    claim_history = client.get(f"/claims/{figure['claim_id']}/history").json()["items"]
    assert [c["resource"] for c in claim_history] == ["import"]
    feed = client.get("/changes").json()["items"]
    assert [(c["resource"], c["action"]) for c in feed] == [("import", "create")]  # one row, not one per figure


def totals(client: TestClient) -> dict[str, int]:
    return {
        name: len(client.get(f"/{name}", params={"limit": 500}).json()["items"])
        if name == "metrics"
        else client.get(f"/{name}", params={"limit": 1}).json()["total"]
        for name in LISTS
    }


def test_deleting_imports_leaves_the_database_as_it_was(client: TestClient) -> None:
    who, what = source(client, "Existing")["id"], event(client, "Existing event")["id"]
    claim(client, who, [{"event_id": what, "metric": "killed", "text": "about 100"}])
    before, groups = totals(client), client.get("/discrepancies", params={"include_undisputed": True}).json()
    body = HEADER + (
        "Existing,Existing event,killed,150,,more than,2024-01-01\n"
        "New source,New event,new_metric,5,9,,2024-01-01\n"
        "New source,Existing event,killed,,80,up to,2024-01-02\n"
    )
    first = csv_import(client, body, on_error="skip")
    batch = {
        "sources": [{"key": "s", "name": "JSON source", "parent_id": who}],
        "scopes": [{"key": "sc", "name": "JSON scope"}],
        "documents": [{"key": "d", "title": "JSON doc", "publisher": "s"}],
        "events": [{"key": "e", "name": "JSON event", "parent_id": what}],
        "claims": [
            {
                "key": "c",
                "claimant": "s",
                "document": "d",
                "relays": [who],
                "figures": [{"event": "e", "metric": "killed", "scope": "sc", "text": "scores"}],
            }
        ],
    }
    second = client.post("/import", json=batch).json()
    assert totals(client) != before
    for made in (first, second):
        deleted = client.delete(f"/imports/{made['id']}")
        assert deleted.status_code == 200, deleted.text
        assert deleted.json()["deleted_at"] and deleted.json()["deleted_by"] == "test-admin"
    assert totals(client) == before
    assert client.get("/discrepancies", params={"include_undisputed": True}).json() == groups
    with Session(get_engine()) as session:
        assert summaries.drift(session) == []
    assert client.get(f"/imports/{first['id']}").json()["removed"] == {
        "sources": 1,
        "documents": 0,
        "events": 1,
        "scopes": 0,
        "claims": 3,
        "figures": 3,
        "metrics": 1,
    }
    assert_problem(client.delete(f"/imports/{first['id']}"), 409)
    actions = [(c["resource"], c["action"]) for c in client.get("/changes", params={"limit": 1000}).json()["items"]]
    assert actions.count(("import", "delete")) == 2


def test_deleting_an_import_keeps_what_others_use_now(client: TestClient) -> None:
    made = csv_import(client, HEADER + "Ministry,Flood,evacuated,500,,,2024-01-01\n")
    figure = client.get("/figures").json()["items"][0]
    ministry, flood = figure["claimant"]["id"], figure["event_id"]
    later = claim(client, ministry, [{"event_id": flood, "metric": "evacuated", "text": "about 600"}])
    added = client.post(
        "/figures", json={"claim_id": figure["claim_id"], "event_id": flood, "metric": "injured", "text": "3"}
    )
    assert added.status_code == 201, added.text
    removed = client.delete(f"/imports/{made['id']}").json()["removed"]
    assert (removed["figures"], removed["claims"], removed["sources"], removed["events"]) == (1, 0, 0, 0)
    assert client.get(f"/claims/{figure['claim_id']}").status_code == 200  # it holds a figure added since
    assert client.get(f"/claims/{later['id']}").status_code == 200
    with Session(get_engine()) as session:
        assert summaries.drift(session) == []


def test_only_a_write_key_deletes_an_import(client: TestClient, anonymous: TestClient) -> None:
    made = csv_import(client, HEADER + "A,E,killed,5,,,2024-01-01\n")
    assert_problem(anonymous.delete(f"/imports/{made['id']}"), 401)
    assert anonymous.get(f"/imports/{made['id']}").status_code == 200  # reads are open by default
