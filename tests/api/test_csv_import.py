"""CSV import of figures through the API: all or nothing, every bad row named, columns mapped."""

import pytest
from fastapi.testclient import TestClient

from app.api.routes.csv_import import EXAMPLE
from tests.api.helpers import assert_problem, claim

CSV = {"content-type": "text/csv"}


def test_import_creates_sources_events_and_a_summarised_group(client: TestClient) -> None:
    response = client.post("/figures/import", content=EXAMPLE.encode(), headers=CSV)
    assert response.status_code == 201, response.text
    assert response.json()["created"]["figures"] == 2 and response.json()["created"]["sources"] == 2
    (group,) = client.get("/discrepancies", params={"include_undisputed": True}).json()["items"]
    assert group["claimant_count"] == 2 and group["tie"] is False  # 2,262 lies within "at least 1,170"


def test_every_bad_row_is_listed_and_nothing_stored(client: TestClient) -> None:
    body = (
        "source,subject,metric,value_low,value_high,hedge,date\nA,E,killed,-1,,,2024-01-01\nB,E,killed,5,,,\n"
        "C,E,killed,9,3,,2024-01-01\nD,E,,4,,,2024-01-01\n"
    )
    problem = assert_problem(client.post("/figures/import", content=body.encode(), headers=CSV), 422)
    assert [e["field"] for e in problem["errors"]] == ["line 2.value_low", "line 4.value_high", "line 5.metric"]
    assert client.get("/figures").json()["total"] == 0 and client.get("/sources").json()["total"] == 0


def test_columns_are_mapped_by_query_parameters(client: TestClient) -> None:
    body = "who,country,what,n\nMinistry of Health,Atlantis,killed,12\n"
    params = {"source": "who", "subject": "country", "metric": "what", "low": "n", "high": "n"}
    response = client.post("/figures/import", params=params, content=body.encode(), headers=CSV)
    assert response.status_code == 201, response.text
    figure = client.get("/figures").json()["items"][0]
    assert (figure["bound"], figure["low"], figure["claimant"]["name"]) == ("exact", 12, "Ministry of Health")


def test_not_csv_is_refused(client: TestClient, anonymous: TestClient) -> None:
    assert_problem(client.post("/figures/import", json={"rows": []}), 422)
    assert_problem(anonymous.post("/figures/import", content=EXAMPLE.encode(), headers=CSV), 401)


def _ids(client: TestClient) -> tuple[set[int], set[int]]:
    figures = client.get("/figures", params={"limit": 500}).json()["items"]
    return {f["id"] for f in figures}, {f["claim_id"] for f in figures}


def test_an_import_after_deleting_the_newest_claim_and_figure_reuses_no_id(client: TestClient) -> None:
    assert client.post("/figures/import", content=EXAMPLE.encode(), headers=CSV).status_code == 201
    figures, claims = _ids(client)
    top_figure, top_claim = max(figures), max(claims)
    assert client.delete(f"/figures/{top_figure}").status_code == 200
    assert client.delete(f"/claims/{top_claim}", params={"cascade": True}).status_code == 200
    later = EXAMPLE.replace("2022-09-24", "2022-10-01")  # new claims: another date
    assert client.post("/figures/import", content=later.encode(), headers=CSV).status_code == 201
    new_figures, new_claims = _ids(client)
    assert min(new_figures - figures) > top_figure and min(new_claims - claims) > top_claim
    assert client.post(f"/claims/{top_claim}/restore").status_code == 200  # then its figure deleted before it
    assert client.post(f"/figures/{top_figure}/restore").status_code == 200
    assert _ids(client) == (new_figures | {top_figure}, new_claims | {top_claim})
    who, what = client.get("/sources").json()["items"][0]["id"], client.get("/events").json()["items"][0]["id"]
    single = claim(client, who, [{"event_id": what, "metric": "tank", "text": "about 40"}])
    assert single["id"] > max(new_claims) and single["figures"][0]["id"] > max(new_figures)


def test_an_import_continues_above_ids_a_single_create_used_and_deleted(client: TestClient) -> None:
    assert client.post("/figures/import", content=EXAMPLE.encode(), headers=CSV).status_code == 201
    figures, claims = _ids(client)
    who, what = client.get("/sources").json()["items"][0]["id"], client.get("/events").json()["items"][0]["id"]
    single = claim(client, who, [{"event_id": what, "metric": "tank", "text": "about 40"}])
    assert client.delete(f"/claims/{single['id']}", params={"cascade": True}).status_code == 200
    later = EXAMPLE.replace("2022-09-24", "2022-10-01")
    assert client.post("/figures/import", content=later.encode(), headers=CSV).status_code == 201
    new_figures, new_claims = _ids(client)
    assert min(new_figures - figures) > single["figures"][0]["id"] and min(new_claims - claims) > single["id"]
    assert client.post(f"/claims/{single['id']}/restore").status_code == 200


# --- malformed files: 422 naming the line, nothing stored, never a 500 ------------------------------
HEADER = b"source,subject,metric,value_low\nA,E,killed,5\n"  # line 2 is good; the fault is on line 3
MALFORMED: list[tuple[str, bytes, str]] = [
    ("bare CR in an unquoted field", b"B\rC,E,killed,5\n", "line 3"),
    ("NUL byte", b"B,E\x00,killed,5\n", "line 3.subject"),
    ("field over the csv module's limit", b"B," + b"x" * 200_000 + b",killed,5\n", "line 3"),
    ("stray quote", b'B,"E"x,killed,5\n', "line 3"),
    ("not UTF-8", b"B\xff,E,killed,5\n", "line 3"),
]


def test_a_malformed_csv_is_422_naming_the_line(client: TestClient, subtests: pytest.Subtests) -> None:
    for name, fault, field in MALFORMED:
        with subtests.test(name):
            response = client.post("/figures/import", content=HEADER + fault + b"C,E,killed,6\n", headers=CSV)
            problem = assert_problem(response, 422, field)
            assert (
                problem["errors"][-1]["type"] == "malformed-csv" and "malformed CSV" in problem["errors"][-1]["reason"]
            )
            assert client.get("/figures").json()["total"] == 0 and client.get("/sources").json()["total"] == 0


def test_bad_rows_before_a_malformed_line_are_listed_first(client: TestClient) -> None:
    body = HEADER + b"B,E,killed,-1\nC\rD,E,killed,5\n"
    problem = assert_problem(client.post("/figures/import", content=body, headers=CSV), 422)
    assert [e["field"] for e in problem["errors"]] == ["line 3.value_low", "line 4"]


def test_crlf_quoted_newlines_and_a_bom_are_read(client: TestClient) -> None:
    body = b'\xef\xbb\xbfsource,subject,metric,value_low,hedge\r\nA,E,killed,5,"as\r\nreported"\r\nB,E,killed,6,\r\n'
    response = client.post("/figures/import", content=body, headers=CSV)
    assert response.status_code == 201, response.text
    assert response.json()["created"]["figures"] == 2
