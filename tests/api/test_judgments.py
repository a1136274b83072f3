"""Judgments an analyst can trust, through the API: every voice shown (report, headline, page,
chart, track record), a direction in every dispute, floors measured, a ranking that finds the real
disputes in real published data, and time-aware comparisons."""

import csv
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import assert_problem, claim, event, source

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "cross_source_sample.csv"
CSV = {"content-type": "text/csv"}


def say(client: TestClient, who: str, what: int, text: str, metric: str = "killed", **figure: Any) -> dict[str, Any]:
    ident = client.get("/sources", params={"q": who}).json()["items"]
    claimant = ident[0]["id"] if ident else source(client, who, kind="organization")["id"]
    return claim(client, claimant, [{"event_id": what, "metric": metric, "text": text, **figure}])


def _source_id(client: TestClient, name: str) -> int:
    ident: int = client.get("/sources", params={"q": name}).json()["items"][0]["id"]
    return ident


def killed(client: TestClient, event_id: int) -> dict[str, Any]:
    (group,) = client.get(f"/events/{event_id}/discrepancies", params={"metric": "killed"}).json()["groups"]
    return group


def test_a_dissenter_in_a_split_is_shown_everywhere(client: TestClient) -> None:
    storm = event(client, "Hurricane toll")["id"]
    for who, words in (("A", "between 100 and 300"), ("B", "100"), ("C", "300"), ("Dissenter", "5")):
        say(client, who, storm, words)
    group = killed(client, storm)
    shown = {v["claimant"]["name"] for c in group["clusters"] for v in c["members"]}
    shown |= {o["figure"]["claimant"]["name"] for o in group["outliers"]}
    assert shown == {"A", "B", "C", "Dissenter"}
    (apart,) = group["outliers"]
    assert apart["direction"] == "under" and apart["factor"] == 20
    assert 'Dissenter ("5") is 20.0x below' in group["headline"]
    assert "Dissenter" in client.get(f"/events/{storm}/report").text
    assert "Dissenter" in client.get(f"/events/{storm}/chart.svg").text
    dissenter = client.get("/sources", params={"q": "Dissenter"}).json()["items"][0]["id"]
    record = client.get(f"/sources/{dissenter}/track-record").json()
    assert (record["outlier_count"], record["below_count"], record["items"][0]["direction"]) == (1, 1, "under")


def test_a_two_source_dispute_names_who_is_higher(client: TestClient) -> None:
    strike = event(client, "Strike")["id"]
    say(client, "Ministry", strike, "5")
    say(client, "Monitor", strike, "17")
    group = killed(client, strike)
    assert group["headline"] == 'Monitor ("17") is 3.4x above Ministry ("5").'
    spread = group["spread"]
    assert spread["highest"]["claimant"]["name"] == "Monitor" and spread["factor"] == pytest.approx(3.4)
    ministry, monitor = (_source_id(client, n) for n in ("Ministry", "Monitor"))
    assert client.get(f"/sources/{monitor}/track-record").json()["above_count"] == 1
    assert client.get(f"/sources/{ministry}/track-record").json()["below_count"] == 1
    (top,) = client.get("/discrepancies").json()["items"]
    assert (top["highest"]["name"], top["lowest"]["name"]) == ("Monitor", "Ministry")


def test_a_claim_above_a_floor_is_consistent_and_its_ratio_is_given(client: TestClient) -> None:
    losses = event(client, "Russian equipment losses")["id"]
    say(client, "Oryx", losses, "at least 660", metric="killed")
    say(client, "General Staff", losses, "2,262", metric="killed")
    group = killed(client, losses)
    assert group["conflicts"] == [] and group["severity"] == 0
    assert "consistent with 2,262" in group["headline"] and "3.4x Oryx's floor of at least 660" in group["headline"]
    (floor,) = group["floors"]
    assert floor["ratio"] == pytest.approx(2262 / 660)
    oryx, staff = (_source_id(client, n) for n in ("Oryx", "General Staff"))
    pair = client.get("/sources/compare", params={"a": oryx, "b": staff}).json()
    assert (pair["disagreements"], pair["b_higher"]) == (0, 1)
    assert pair["items"][0]["higher"] == "b" and pair["median_ratio"] == pytest.approx(2262 / 660)


def test_compare_counts_infinite_factors(client: TestClient) -> None:
    for i in range(3):
        where = event(client, f"Incident {i}")["id"]
        say(client, "Low", where, "0")
        say(client, "High", where, str(3 + i))
    low, high = (_source_id(client, n) for n in ("Low", "High"))
    pair = client.get("/sources/compare", params={"a": low, "b": high}).json()
    assert (pair["disagreements"], pair["infinite_count"], pair["worst_factor"]) == (3, 3, None)
    assert client.get(f"/sources/{low}/track-record").json()["infinite_count"] == 3


def test_the_ranking_puts_large_gaps_above_zero_against_three(client: TestClient) -> None:
    for name, low, high in (("zero", "0", "3"), ("forty", "40", "200"), ("cases", "4900000", "99000000")):
        where = event(client, f"Dispute {name}")["id"]
        say(client, "Lower", where, low)
        say(client, "Higher", where, high)
    names = [d["event"]["name"] for d in client.get("/discrepancies").json()["items"]]
    assert names == ["Dispute cases", "Dispute forty", "Dispute zero"]
    kept = client.get("/discrepancies", params={"exclude_zero": True, "min_gap": 100}).json()["items"]
    assert [d["event"]["name"] for d in kept] == ["Dispute cases", "Dispute forty"]
    assert client.get("/discrepancies", params={"min_claimants": 3}).json()["total"] == 0
    by_gap = client.get("/discrepancies", params={"sort": "gap"}).json()["items"]
    assert [d["gap"] for d in by_gap] == sorted(d["gap"] for d in by_gap)


def test_an_unknown_sort_is_422(client: TestClient) -> None:
    lone = source(client, "Lone")["id"]
    assert_problem(client.get("/discrepancies", params={"sort": "nonsense"}), 422, "sort")
    assert_problem(client.get(f"/sources/{lone}/track-record", params={"sort": "nonsense"}), 422, "sort")


def test_a_running_total_restated_is_an_update_not_a_dispute(client: TestClient) -> None:
    war = event(client, "War, cumulative")["id"]
    for day, value in (("2022-03-01", "100"), ("2022-03-02", "150"), ("2022-04-30", "900")):
        say(client, "Ministry", war, value, period="cumulative") | {}
        client.patch(f"/claims/{_last_claim(client)}", json={"stated_at": f"{day}T00:00:00Z"})
    say(client, "Monitor", war, "at least 140", period="cumulative")
    client.patch(f"/claims/{_last_claim(client)}", json={"stated_at": "2022-03-02T00:00:00Z"})
    group = killed(client, war)
    assert group["aligned_at"].startswith("2022-03-02")
    assert group["severity"] == 0 and {v["text"] for v in group["in_agreement"]} == {"150", "at least 140"}
    timeline = client.get(f"/events/{war}/timeline", params={"metric": "killed"}).json()["entries"]
    assert [e["status"] for e in timeline] == ["updated", "counted", "counted", "later"]


def _last_claim(client: TestClient) -> int:
    ident: int = client.get("/claims", params={"sort": "-id", "limit": 1}).json()["items"][0]["id"]
    return ident


def test_real_data_the_first_page_holds_the_real_disputes(client: TestClient) -> None:
    """A documented sample of the cross-source groups of the shared million-figure file
    (scripts/sample_cross_source.py): General Staff vs Oryx, and disputed Iraq Body Count ranges."""
    imported = client.post("/figures/import", content=SAMPLE.read_bytes(), headers=CSV)
    assert imported.status_code == 201, imported.text
    first = client.get("/discrepancies").json()["items"]
    assert len(first) == 50 and min(d["gap"] for d in first) >= 25  # the README quotes this bound
    gaps: dict[tuple[str, str], list[tuple[float, float]]] = {}
    with SAMPLE.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            high = float(row["value_high"]) if row["value_high"] else float("inf")
            gaps.setdefault((row["subject"], row["metric"]), []).append((float(row["value_low"]), high))

    def gap(group: tuple[str, str]) -> float:  # the highest low end above the lowest high end: a dispute
        ends = gaps[group]
        return max(low for low, _ in ends) - min(high for _, high in ends)

    widest = sorted((g for g in gaps if gap(g) > 0), key=gap, reverse=True)[:10]
    assert gap(widest[0]) > 900  # the widest reports of one incident are 941 apart in this sample
    on_page = {(d["event"]["name"], d["metric"]) for d in first}
    assert set(widest) <= on_page
