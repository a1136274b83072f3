"""Who counts as a voice in the bias fit: relays are not extra voices, and a reference source
anchors the scale (issue 12, "What must be true")."""

from typing import Any

from fastapi.testclient import TestClient

from tests.api.helpers import claim, event, fit_bias, source


def killed(event_id: int, text: str) -> list[dict[str, Any]]:
    return [{"event_id": event_id, "metric": "killed", "text": text}]


def test_outlets_relaying_one_official_are_one_voice(client: TestClient) -> None:
    official = source(client, "An official", kind="government")["id"]
    outlets = [source(client, f"Outlet {i}")["id"] for i in range(3)]
    monitor = source(client, "A monitor", kind="organization")["id"]
    strike = event(client, "Strike")["id"]
    for day, outlet in enumerate(outlets, start=1):
        claim(client, official, killed(strike, "100"), relay_ids=[outlet], stated_at=f"2024-01-0{day}T09:00:00Z")
    claim(client, monitor, killed(strike, "60"), stated_at="2024-01-05T09:00:00Z")
    assert fit_bias(client)["statements"] == 2  # the official once (its latest relay), the monitor once
    (group,) = client.get(f"/events/{strike}/estimate").json()["groups"]
    assert group["claimants"] == 2 and group["statements"] == 2
    rows = client.get("/bias").json()["items"]
    assert {r["claimant_id"] for r in rows} == {official, monitor}  # no outlet gets a bias of its own
    assert all(r["statements"] == 1 for r in rows)
    exported = client.get("/bias", params={"format": "csv", "claimant_id": monitor, "sort": "-groups"}).text
    assert len(exported.splitlines()) == 2 and "A monitor" in exported  # the export honours the filters


def test_a_reference_source_anchors_the_scale(client: TestClient) -> None:
    loud = source(client, "Loud ministry", kind="government", affiliation="A")["id"]
    counted = source(client, "Visually confirmed", kind="organization", reference=True)["id"]
    for i, truth in enumerate((100, 250, 40, 600, 90, 320)):
        battle = event(client, f"Battle {i}")["id"]
        claim(client, loud, killed(battle, str(truth * 3)), stated_at=f"2024-02-0{i + 1}T09:00:00Z")
        claim(client, counted, killed(battle, str(truth)), stated_at=f"2024-02-0{i + 1}T10:00:00Z")
    assert fit_bias(client)["anchored"]
    rows = {r["claimant_id"]: r for r in client.get("/bias").json()["items"]}
    assert rows[counted]["reference"] and rows[counted]["factor"] == 1
    assert rows[loud]["low"] < 3 < rows[loud]["high"] and rows[loud]["low"] > 1.5  # x3 against the reference
