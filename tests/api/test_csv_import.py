"""CSV import of figures through the API: all or nothing, every bad row named, columns mapped."""

from fastapi.testclient import TestClient

from app.api.routes.csv_import import EXAMPLE
from tests.api.helpers import assert_problem

CSV = {"content-type": "text/csv"}


def test_import_creates_sources_events_and_a_summarised_group(client: TestClient) -> None:
    response = client.post("/figures/import", content=EXAMPLE.encode(), headers=CSV)
    assert response.status_code == 201, response.text
    assert response.json()["figures"] == 2 and response.json()["sources_created"] == 2
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
