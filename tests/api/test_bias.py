"""Reporting bias through the API: two sides reporting their own and each other's losses, a neutral
monitor marked as the reference; the fit run explicitly (the background fit is off in tests)."""

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.demo import load_demo
from app.services import bias
from app.services.fitter import MAX_WAITS, BackgroundFitter
from tests.api.helpers import assert_problem, claim, event, fit_bias, scope, source

# per battle: the true losses of A and of B
TRUTH = [(120, 100), (80, 140), (200, 70), (150, 250), (60, 180), (300, 90), (90, 130), (110, 160)]
NOISE = [1.05, 0.95, 1.1, 0.9, 1.0, 1.08, 0.93, 1.02]
INFLATE_OTHER, SHRINK_OWN = 3.0, 0.5  # how the ministry of A reports B's losses, and its own


def _said(value: float) -> str:
    return str(round(value))


@pytest.fixture
def war(client: TestClient) -> dict[str, Any]:
    """Eight battles; the ministry of A triples B's losses and halves its own, the ministry of B
    reports both within noise, the monitor (a reference source) reports the truth."""
    mod_a = source(client, "Ministry of Defence of A", kind="government", affiliation="A")["id"]
    mod_b = source(client, "Ministry of Defence of B", kind="government", affiliation="B")["id"]
    monitor = source(client, "Monitor (visually confirmed)", kind="organization", reference=True)["id"]
    of_a = scope(client, "soldiers of A", party="A")["id"]
    of_b = scope(client, "soldiers of B", party="B")["id"]
    battles = []
    for i, ((a, b), noise) in enumerate(zip(TRUTH, NOISE, strict=True)):
        battle = event(client, f"Battle {i + 1}")["id"]
        battles.append(battle)
        said = {
            mod_a: (a * SHRINK_OWN * noise, b * INFLATE_OTHER / noise),
            mod_b: (a / noise, b * noise),
            monitor: (a, b),
        }
        for who, (losses_a, losses_b) in said.items():
            claim(
                client,
                who,
                [
                    {"event_id": battle, "metric": "killed", "scope_id": of_a, "text": _said(losses_a)},
                    {"event_id": battle, "metric": "killed", "scope_id": of_b, "text": _said(losses_b)},
                ],
                stated_at=f"2024-03-{i + 1:02d}T12:00:00Z",
            )
    return {"mod_a": mod_a, "mod_b": mod_b, "monitor": monitor, "battles": battles, "of_a": of_a, "of_b": of_b}


def test_the_inflating_source_ranks_first_with_an_interval_above_1(client: TestClient, war: dict[str, Any]) -> None:
    info = fit_bias(client)
    assert info["statements"] == 8 * 2 * 3 and info["anchored"] and not info["stale"]
    page = client.get("/bias").json()
    top = page["items"][0]
    assert (top["claimant_id"], top["party"], top["family"]) == (war["mod_a"], "other", "deaths")
    assert top["low"] > 1 and 2 < top["factor"] < 4.5
    own = next(r for r in page["items"] if r["claimant_id"] == war["mod_a"] and r["party"] == "own")
    assert own["high"] < 1 and 0.3 < own["factor"] < 0.75
    honest = [r for r in page["items"] if r["claimant_id"] == war["mod_b"]]
    assert honest and all(r["low"] < 1 < r["high"] for r in honest)
    monitor = [r for r in page["items"] if r["claimant_id"] == war["monitor"]]
    assert monitor and all(r["reference"] and r["factor"] == 1 for r in monitor)
    assert page["total"] == len(page["items"]) and page["fit"]["fitted"]


def test_filters_and_sort_narrow_and_order_the_biases(client: TestClient, war: dict[str, Any]) -> None:
    fit_bias(client)
    mine = client.get("/bias", params={"claimant_id": war["mod_a"], "sort": "factor"}).json()["items"]
    assert [r["party"] for r in mine] == ["own", "other"]  # the smallest factor first
    assert all(r["party"] == "own" for r in client.get("/bias", params={"party": "own"}).json()["items"])
    assert client.get("/bias", params={"family": "injuries"}).json()["total"] == 0
    assert client.get("/bias", params={"min_groups": 17}).json()["total"] == 0
    sides = client.get("/bias", params={"by": "affiliation", "affiliation": "a"}).json()["items"]
    assert {(r["affiliation"], r["party"]) for r in sides} == {("A", "own"), ("A", "other")}
    assert all(r["claimant_id"] is None for r in sides)
    first = client.get("/bias", params={"limit": 2}).json()
    assert len(first["items"]) == 2 and first["next"] is not None


def test_unknown_sort_and_parameter_are_422(client: TestClient, war: dict[str, Any]) -> None:
    assert_problem(client.get("/bias", params={"sort": "-nonsense"}), 422, "sort")
    assert_problem(client.get("/bias", params={"claimant": 1}), 422, "claimant")
    assert_problem(client.get("/bias", params={"party": "ours"}), 422)


def test_bias_exports_as_csv_and_ndjson(client: TestClient, war: dict[str, Any]) -> None:
    fit_bias(client)
    response = client.get("/bias", params={"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == client.get("/bias").json()["total"]
    assert {"claimant_name", "party", "family", "factor", "low", "high"} <= set(rows[0])
    assert float(rows[0]["factor"]) > 2  # the same order as the page: the largest first
    lines = client.get("/bias", params={"format": "ndjson"}).text.splitlines()
    assert len(lines) == len(rows)


def test_csv_cells_that_would_run_as_formulas_are_neutralised(client: TestClient) -> None:
    who = source(client, "=HYPERLINK(1)", affiliation="+A")["id"]
    other = source(client, "Other", affiliation="B")["id"]
    place = event(client, "Battle", party="B")["id"]
    for claimant, words in ((who, "300"), (other, "100")):
        claim(client, claimant, [{"event_id": place, "metric": "killed", "text": words}])
    fit_bias(client)
    text = client.get("/bias", params={"format": "csv"}).text
    assert "'=HYPERLINK(1)" in text and "'+A" in text


def test_source_bias_lists_its_most_influential_statements(client: TestClient, war: dict[str, Any]) -> None:
    fit_bias(client)
    body = client.get(f"/sources/{war['mod_a']}/bias").json()
    assert body["source"]["id"] == war["mod_a"] and body["affiliation"] == "A" and not body["reference"]
    first = body["items"][0]  # the largest deviation from 1: tripling the other side's losses
    assert (first["party"], first["family"]) == ("other", "deaths") and first["low"] > 1
    influential = first["influential"]
    assert influential and all(
        i["figure_id"] and i["words"] and i["event"]["name"].startswith("Battle") for i in influential
    )
    assert all(i["ratio"] > 1 for i in influential)
    assert_problem(client.get("/sources/424242/bias"), 404)


def test_event_estimate_gives_intervals_around_the_truth(client: TestClient, war: dict[str, Any]) -> None:
    fit_bias(client)
    battle = war["battles"][3]
    body = client.get(f"/events/{battle}/estimate").json()
    assert body["event"]["id"] == battle and body["fit"]["fitted"]
    by_scope = {g["scope"]["id"]: g for g in body["groups"]}
    truth_a, truth_b = TRUTH[3]
    for scope_id, truth in ((war["of_a"], truth_a), (war["of_b"], truth_b)):
        group = by_scope[scope_id]
        assert group["low"] < group["value"] < group["high"] and group["claimants"] == 3
        assert group["low"] <= truth <= group["high"] and group["trajectory"] == []
    assert client.get(f"/events/{battle}/estimate", params={"metric": "injured"}).json()["groups"] == []
    assert_problem(client.get("/events/424242/estimate"), 404)


def test_reads_say_the_fit_is_stale_after_a_write(client: TestClient, war: dict[str, Any]) -> None:
    assert client.get("/bias").json()["fit"]["fitted"] is False  # no fit yet: an empty page, said so
    fit_bias(client)
    assert client.get("/bias").json()["fit"]["stale"] is False
    claim(client, war["mod_b"], [{"event_id": war["battles"][0], "metric": "injured", "text": "about 40"}])
    info = client.get("/bias").json()["fit"]
    assert info["stale"] is True and info["changes_since"] >= 1 and "stale" in info["message"]
    assert client.get(f"/sources/{war['mod_a']}/bias").json()["fit"]["stale"] is True
    assert fit_bias(client)["stale"] is False


def test_policy_model_gives_the_bias_corrected_estimate(client: TestClient, war: dict[str, Any]) -> None:
    battle = war["battles"][0]
    before = client.get(f"/events/{battle}/discrepancies", params={"policy": "model"}).json()
    assert before["policy"] == "model"
    assert all(g["estimate"]["interval"] is None and "no reporting-bias fit" in g["estimate"]["explanation"]
               for g in before["groups"])  # fmt: skip
    fit_bias(client)
    after = client.get(f"/events/{battle}/discrepancies", params={"policy": "model"}).json()
    for group in after["groups"]:
        estimate = group["estimate"]
        assert estimate["policy"] == "model" and estimate["interval"]["low"] < estimate["interval"]["high"]
        assert estimate["explanation"].startswith("model: ") and group["model"]["stale"] is False
        assert len(estimate["figure_ids"]) == 3
    majority = client.get(f"/events/{battle}/discrepancies").json()
    assert all(g["model"] is None and g["estimate"]["policy"] == "majority" for g in majority["groups"])
    claim(client, war["mod_b"], [{"event_id": battle, "metric": "injured", "text": "12"}])
    stale = client.get(f"/events/{battle}/discrepancies", params={"policy": "model"}).json()
    killed = [g for g in stale["groups"] if g["metric"] == "killed"]
    assert all("the data changed since" in g["estimate"]["explanation"] for g in killed)
    injured = next(g for g in stale["groups"] if g["metric"] == "injured")
    assert "not in the latest reporting-bias fit" in injured["estimate"]["explanation"]


def test_report_page_and_chart_show_the_model_estimate(client: TestClient, war: dict[str, Any]) -> None:
    battle = war["battles"][0]
    assert "Model estimate" not in client.get(f"/events/{battle}/report").text
    fit_bias(client)
    page = client.get(f"/events/{battle}/report").text
    assert "Model estimate" in page and "corrected for each claimant" in page
    svg = client.get(f"/events/{battle}/chart.svg").text
    assert "model estimate (bias-corrected)" in svg and "best estimate" in svg


def test_running_totals_get_a_non_decreasing_trajectory(client: TestClient) -> None:
    assert client.post("/metrics", json={"name": "confirmed", "period": "cumulative"}).status_code == 201
    a = source(client, "Health ministry", affiliation="A")["id"]
    b = source(client, "Observer", affiliation="C")["id"]
    place = event(client, "Outbreak", party="A")["id"]
    for day, (low_a, low_b) in enumerate([(10, 14), (18, 25), (30, 41), (44, 60)], start=1):
        for who, value in ((a, low_a), (b, low_b)):
            claim(client, who, [{"event_id": place, "metric": "confirmed", "text": str(value)}],
                  stated_at=f"2024-05-{2 * day:02d}T09:00:00Z")  # fmt: skip
    fit_bias(client)
    (group,) = client.get(f"/events/{place}/estimate").json()["groups"]
    assert group["cumulative"] and group["family"] == "cases" and group["claimants"] == 2
    days = group["trajectory"]
    assert len(days) == 7 and days[0]["on"] == "2024-05-02" and days[-1]["on"] == "2024-05-08"
    assert all(x["value"] <= y["value"] * (1 + 1e-4) for x, y in zip(days, days[1:], strict=False))
    assert group["value"] == days[-1]["value"]
    parties = {(r["claimant_id"], r["party"]) for r in client.get("/bias").json()["items"]}
    assert parties == {(a, "own"), (b, "third")}


def test_the_seed_article_gives_wide_intervals_containing_1(client: TestClient, engine: Engine) -> None:
    load_demo(engine)
    info = fit_bias(client)
    assert info["statements"] == 6 and not info["anchored"]
    items = client.get("/bias").json()["items"]
    assert items and all(r["low"] < 1 < r["high"] for r in items)
    assert all(r["high"] / r["low"] > 3 for r in items)  # five voices, one event: the model stays cautious


def test_the_background_fitter_waits_for_a_quiet_period(
    client: TestClient, engine: Engine, war: dict[str, Any]
) -> None:
    fitter = BackgroundFitter(engine, period=60)
    assert fitter.tick() is False  # the data changed (no fit yet), but was it still changing? wait a period
    assert fitter.tick() is True  # quiet for a period: fit
    assert fitter.tick() is False and bias.is_current(engine)
    for i in range(MAX_WAITS - 1):  # writes that never pause: fitted anyway after MAX_WAITS periods
        claim(client, war["mod_b"], [{"event_id": war["battles"][0], "metric": "injured", "text": str(10 + i)}])
        assert fitter.tick() is False
    claim(client, war["mod_b"], [{"event_id": war["battles"][0], "metric": "injured", "text": "99"}])
    assert fitter.tick() is True


def test_a_fit_needs_a_write_key(anonymous: TestClient) -> None:
    assert_problem(anonymous.post("/bias/fit"), 401)
    assert anonymous.get("/bias").status_code == 200
