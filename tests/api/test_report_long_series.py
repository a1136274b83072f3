"""An event with a long series (a daily running total over years): its report, page and chart
summarise the series, say how much they summarised and link to the full list; small events do not."""

import html
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.demo import load_demo
from app.report import page, plot, series, views
from app.services.bulk import import_long
from bench.data import BIG_EVENT, long_series_rows

MEGABYTE = 1_000_000
FIGURES = 10_000  # 4 metrics of 2,499 days each, and a floor per metric: a page of megabytes unsummarised
METRICS = 4


@pytest.fixture
def big_event(client: TestClient, engine: Engine) -> int:
    import_long(engine, long_series_rows(FIGURES, METRICS))
    found = client.get("/events", params={"q": BIG_EVENT}).json()["items"]
    return int(found[0]["id"])


def test_a_long_series_report_summarises_each_group_and_says_how_much(client: TestClient, big_event: int) -> None:
    response = client.get(f"/events/{big_event}/discrepancies")
    assert response.status_code == 200
    assert len(response.content) < MEGABYTE
    groups = response.json()["groups"]
    assert len(groups) == METRICS
    for group in groups:
        summary = group["series"]
        listed = len(group["in_agreement"]) + len(group["revisions"]) + len(group["excluded"])
        listed += sum(len(c["members"]) for c in group["clusters"]) + len(group["outliers"])
        assert summary["figures"] == group["figure_count"] == FIGURES // METRICS
        assert summary["summarised"] == summary["figures"] - listed > 2000
        assert {c["claimant"]["name"] for c in summary["claimants"]} == {"Ministry of Defence", "Open-source monitor"}
        assert len(group["revisions"]) <= 2  # each claimant's latest set-aside statement at most
        ministry = next(c for c in summary["claimants"] if c["claimant"]["name"] == "Ministry of Defence")
        assert sum(p["figures"] for p in ministry["points"]) == ministry["figures"]
        assert 1 < len(ministry["points"]) <= series.MAX_POINTS
        assert ministry["latest"]["low"] == ministry["points"][-1]["last"]["low"]


def test_the_summary_links_to_the_full_paged_list_of_figures(client: TestClient, big_event: int) -> None:
    group = client.get(f"/events/{big_event}/discrepancies").json()["groups"][0]
    listing = client.get(f"{group['series']['figures_url']}&limit=100")
    assert listing.status_code == 200
    body = listing.json()
    assert body["total"] == group["series"]["figures"]
    assert {f["metric"] for f in body["items"]} == {group["metric"]}
    assert body["next"] is not None  # the rest of the series, a page at a time
    ministry = group["series"]["claimants"][0]
    mine = client.get(f"{ministry['figures_url']}&limit=1").json()
    assert mine["total"] == ministry["figures"]


def test_a_long_series_page_stays_small_and_points_to_the_full_list(client: TestClient, big_event: int) -> None:
    response = client.get(f"/events/{big_event}/report")
    assert response.status_code == 200
    assert len(response.content) < MEGABYTE
    text = html.unescape(response.text)
    summarised = client.get(f"/events/{big_event}/discrepancies").json()["groups"][0]["series"]["summarised"]
    assert f"{summarised:,} earlier statements are summarised" in text
    assert f'href="/figures?event_id={big_event}&metric=equipment_0"' in text
    assert "Ministry of Defence" in text and "Open-source monitor" in text


def test_a_long_series_chart_stays_small_and_says_what_it_summarised(client: TestClient, big_event: int) -> None:
    response = client.get(f"/events/{big_event}/chart.svg")
    assert response.status_code == 200
    assert len(response.content) < MEGABYTE
    assert response.text.count("earlier statements summarised") == METRICS


def test_a_small_event_is_not_summarised(client: TestClient, engine: Engine) -> None:
    event_id = load_demo(engine)["event_id"]
    groups = client.get(f"/events/{event_id}/discrepancies").json()["groups"]
    assert groups and all(g["series"] is None for g in groups)
    assert "summarised" not in client.get(f"/events/{event_id}/report").text
    assert "summarised" not in client.get(f"/events/{event_id}/chart.svg").text


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each page and chart rendered from here on (empty caches to start with)."""
    calls: list[str] = []
    real_page, real_chart = page.render, plot.chart_svg

    def counted_page(*args: Any, **kwargs: Any) -> str:
        calls.append("page")
        return real_page(*args, **kwargs)

    def counted_chart(*args: Any, **kwargs: Any) -> str:
        calls.append("chart")
        return real_chart(*args, **kwargs)

    views.clear()
    monkeypatch.setattr(views, "render", counted_page)
    monkeypatch.setattr(views, "chart_svg", counted_chart)
    return calls


def test_the_page_and_the_chart_are_rendered_once_until_the_event_changes(
    client: TestClient, engine: Engine, renders: list[str]
) -> None:
    event_id = load_demo(engine)["event_id"]
    first = client.get(f"/events/{event_id}/report").text
    assert client.get(f"/events/{event_id}/report").text == first
    chart = client.get(f"/events/{event_id}/chart.svg").text
    assert client.get(f"/events/{event_id}/chart.svg").text == chart
    assert renders == ["page", "chart"]
    client.patch(f"/events/{event_id}", json={"name": "Strike near Deir ez-Zor (renamed)"})
    assert "(renamed)" in client.get(f"/events/{event_id}/report").text
    assert "(renamed)" in client.get(f"/events/{event_id}/chart.svg").text
    assert renders == ["page", "chart", "page", "chart"]


def test_a_document_retitled_shows_on_the_cached_page(client: TestClient, engine: Engine, renders: list[str]) -> None:
    event_id = load_demo(engine)["event_id"]
    documents = client.get("/documents", params={"limit": 1}).json()["items"]
    assert documents[0]["title"] in html.unescape(client.get(f"/events/{event_id}/report").text)
    client.patch(f"/documents/{documents[0]['id']}", json={"title": "A new title"})
    assert "A new title" in client.get(f"/events/{event_id}/report").text
    assert renders == ["page", "page"]
