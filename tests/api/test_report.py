"""The chart (SVG) and the report (HTML) of an event, on the seed article."""

import html
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.demo import load_demo
from app.report import build, cache
from tests.api.helpers import assert_problem, claim, event, source

KILLED_CLAIMANTS = {
    "Bloomberg's sources: one U.S. official and three Russians",
    "Three Russian sources (anonymous)",
    "Publisher of the article (not named in the text)",
    "U.S. official (anonymous)",
    "Maria Zakharova",
}
OFFICIAL = "U.S. official (anonymous)"


def svg(client: TestClient, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    return ET.fromstring(response.text)


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def row_names(root: ET.Element) -> list[str]:
    """Each row's claimant, its wrapped lines joined."""
    return [" ".join("".join(t.itertext()) for t in with_class(r, "claimant")) for r in with_class(root, "row")]


def notes(root: ET.Element, claimant: str) -> list[str]:
    rows = [r for r in with_class(root, "row") if " ".join(t.text or "" for t in with_class(r, "claimant")) == claimant]
    assert len(rows) == 1, claimant
    return ["".join(n.itertext()) for n in with_class(rows[0], "note")]


def demo(engine: Engine) -> dict[str, Any]:
    ids = load_demo(engine)
    assert ids["event_id"] == 1
    return ids


def test_the_killed_chart_has_one_row_per_claimant_and_marks_who_stands_apart(
    client: TestClient, engine: Engine
) -> None:
    ids = demo(engine)
    root = svg(client, f"/events/{ids['event_id']}/chart.svg?metric=killed")
    names = row_names(root)
    assert sorted(names) == sorted(KILLED_CLAIMANTS)  # Zakharova once: her group only repeats the comparison
    assert notes(root, OFFICIAL) == ["1.7x under"]
    assert notes(root, "Maria Zakharova") == ["40.2x below", "narrower scope: Russian citizens in the attacking force"]
    assert ["".join(b.itertext()) for b in with_class(root, "band-label")] == ["agreement: at least 201"]
    assert len(with_class(root, "arrow")) == 3  # more than 200, more than double, scores
    assert len(with_class(root, "dot")) == 1  # five


def test_the_scale_is_log_when_the_spread_exceeds_ten(client: TestClient, engine: Engine) -> None:
    event_id = demo(engine)["event_id"]
    killed = svg(client, f"/events/{event_id}/chart.svg?metric=killed")  # 201 / 5 > 10
    assert "scale-log" in (killed.get("class") or "").split()
    majors = ["".join(t.itertext()) for t in with_class(killed, "tick") if "minor" not in (t.get("class") or "")]
    assert majors == ["1", "10", "100", "1k"]
    injured = svg(client, f"/events/{event_id}/chart.svg?metric=injured")  # 200 to 300
    assert "scale-linear" in (injured.get("class") or "").split()


def test_without_a_metric_every_metric_is_stacked_most_disputed_first(client: TestClient, engine: Engine) -> None:
    root = svg(client, f"/events/{demo(engine)['event_id']}/chart.svg")
    titles = ["".join(t.itertext()) for t in with_class(root, "group-title")]
    assert titles == ["killed · attacking force", "injured · attacking force"]


def test_an_unknown_event_is_a_404_problem_and_an_unknown_parameter_a_422(client: TestClient) -> None:
    assert_problem(client.get("/events/999/chart.svg"), 404)
    assert_problem(client.get("/events/999/report"), 404)
    assert_problem(client.get("/events/1/chart.svg?metrc=killed"), 422, "metrc")


def test_reads_need_no_key(anonymous: TestClient, engine: Engine) -> None:
    demo(engine)
    assert anonymous.get("/events/1/chart.svg").status_code == 200
    assert anonymous.get("/events/1/report").status_code == 200


def test_the_report_tells_the_story_with_its_sources(client: TestClient, engine: Engine) -> None:
    ids = demo(engine)
    response = client.get(f"/events/{ids['event_id']}/report")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = html.unescape(response.text)
    report = client.get(f"/events/{ids['event_id']}/discrepancies").json()
    for group in report["groups"]:
        assert group["headline"] in page
    assert "<svg" in page and "<script" not in page.lower()
    assert "1.7x under" in page and "40.2x below" in page
    assert "counts a narrower population" in page  # the comparison's explanation
    assert "five people, presumably Russian citizens, may have been killed in combat" in page  # a quote
    assert "via The Associated Press" in page  # a relay
    assert f'<a href="/documents/{ids["document_id"]}">US Strikes Allegedly Killed ‘Scores’' in page
    assert "5 Feb 2018 – 11 Feb 2018" in page and "Deir ez-Zor province, Syria" in page


def test_the_report_escapes_what_users_wrote(client: TestClient) -> None:
    nasty = '<script>alert("x")</script>'
    who = source(client, nasty)
    happened = event(client, f"{nasty} & more")
    document = client.post("/documents", json={"title": nasty, "url": "javascript:alert(1)"}).json()
    figure = {"event_id": happened["id"], "metric": "killed", "text": "around 100"}
    claim(client, who["id"], [figure], quote=nasty, document_id=document["id"])
    response = client.get(f"/events/{happened['id']}/report")
    assert response.status_code == 200
    assert "<script" not in response.text and "javascript:" not in response.text
    assert "&lt;script&gt;" in response.text
    chart = client.get(f"/events/{happened['id']}/chart.svg")
    assert "<script" not in chart.text
    ET.fromstring(chart.text)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The event of every report built from here on (an empty cache to start with)."""
    calls: list[int] = []
    real = build.build_report

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[1])
        return real(*args, **kwargs)

    cache.reports.clear()
    monkeypatch.setattr(build, "build_report", counted)
    return calls


def test_the_page_the_chart_and_the_json_share_one_cached_report(
    client: TestClient, engine: Engine, builds: list[int]
) -> None:
    event_id = demo(engine)["event_id"]
    page = client.get(f"/events/{event_id}/report")
    assert page.status_code == 200 and builds == [event_id]
    assert client.get(f"/events/{event_id}/report").text == page.text
    assert client.get(f"/events/{event_id}/chart.svg").status_code == 200
    assert client.get(f"/events/{event_id}/discrepancies").status_code == 200  # majority: the same report
    assert builds == [event_id]  # four reads, no write: built once


def test_after_a_write_the_page_and_the_chart_show_the_change(
    client: TestClient, engine: Engine, builds: list[int]
) -> None:
    event_id = demo(engine)["event_id"]
    assert OFFICIAL in html.unescape(client.get(f"/events/{event_id}/report").text)
    assert OFFICIAL in row_names(svg(client, f"/events/{event_id}/chart.svg"))
    sources = {s["name"]: s["id"] for s in client.get("/sources", params={"limit": 100}).json()["items"]}
    client.patch(f"/sources/{sources[OFFICIAL]}", json={"name": "A U.S. official"})
    page = html.unescape(client.get(f"/events/{event_id}/report").text)
    assert "A U.S. official" in page and OFFICIAL not in page
    names = row_names(svg(client, f"/events/{event_id}/chart.svg"))
    assert "A U.S. official" in names and OFFICIAL not in names
    assert builds == [event_id, event_id]  # once before the write, once after
