"""Concurrent writers through a real server with two worker processes: nothing acknowledged is
lost, no request fails on a lock, and the group summary is never left stale."""

from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import Engine, text
from sqlmodel import Session

from app.services.summaries import drift

WRITERS = 6
CLAIMS_EACH = 15


def test_concurrent_writers_into_one_group_leave_no_stale_summary(
    server: str, engine: Engine, write_headers: dict[str, str]
) -> None:
    with httpx.Client(base_url=server, timeout=60, headers=write_headers) as api:
        event = api.post("/events", json={"name": "Contested strike"}).json()["id"]
        claimants = [api.post("/sources", json={"name": f"Claimant {i}"}).json()["id"] for i in range(WRITERS)]

    def write(i: int) -> list[int]:
        ids = []
        with httpx.Client(base_url=server, timeout=60, headers=write_headers) as api:
            for n in range(CLAIMS_EACH):
                words = f"about {10 * (i + 1) + n}" if i % 2 else f"more than {100 * (i + 1)}"
                body = {
                    "claimant_id": claimants[i],
                    "stated_at": f"2024-01-{n + 1:02d}T00:00:00Z",
                    "figures": [{"event_id": event, "metric": "killed", "text": words}],
                }
                response = api.post("/claims", json=body)
                assert response.status_code == 201, response.text
                ids.append(response.json()["id"])
        return ids

    with ThreadPoolExecutor(WRITERS) as pool:
        acknowledged = [c for ids in pool.map(write, range(WRITERS)) for c in ids]

    with httpx.Client(base_url=server) as api:
        stored = api.get("/claims", params={"event_id": event, "limit": 500}).json()
        everything = api.get("/claims", params={"limit": 500}).json()
        figs = api.get("/figures", params={"limit": 500}).json()
        assert stored["total"] == WRITERS * CLAIMS_EACH, (everything["total"], figs["total"], len(set(acknowledged)))
        assert {c["id"] for c in stored["items"]} == set(acknowledged)
        group = api.get(f"/events/{event}/discrepancies").json()["groups"][0]
        assert group["claimant_count"] == WRITERS  # each claimant's latest statement is its voice
    with Session(engine) as session:
        assert drift(session) == []


def test_eight_writers_of_two_hundred_claims_lose_nothing(
    server: str, engine: Engine, write_headers: dict[str, str]
) -> None:
    writers, each = 8, 200
    with httpx.Client(base_url=server, timeout=60, headers=write_headers) as api:
        events = [api.post("/events", json={"name": f"Event {i}"}).json()["id"] for i in range(writers)]
        claimant = api.post("/sources", json={"name": "Wire"}).json()["id"]

    def write(i: int) -> list[int]:
        ids, failures = [], []
        with httpx.Client(base_url=server, timeout=60, headers=write_headers) as api:
            for n in range(each):
                figures = [
                    {"event_id": events[i], "metric": "killed", "text": f"at least {n + 1}"},
                    {"event_id": events[i], "metric": "injured", "text": f"about {10 * n + 10}"},
                ]
                response = api.post("/claims", json={"claimant_id": claimant, "figures": figures})
                if response.status_code == 201:
                    ids.append(response.json()["id"])
                else:
                    failures.append(response.text)
        assert failures == [], failures[:3]  # no database-locked error, no 5xx
        return ids

    with ThreadPoolExecutor(writers) as pool:
        acknowledged = {c for ids in pool.map(write, range(writers)) for c in ids}

    assert len(acknowledged) == writers * each
    with engine.connect() as conn:
        stored = set(conn.execute(text("SELECT id FROM claim")).scalars())
        figures = conn.execute(text("SELECT count(*) FROM figure")).scalar()
    assert acknowledged <= stored and figures == 2 * writers * each
    with Session(engine) as session:
        assert drift(session) == []
