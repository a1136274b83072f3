"""The soak test (bounded, loopback only): 16 writers and 16 readers against one server for a
fixed time, then checks that every acknowledged write is stored, that the group summaries are
drift-free (what ``countercheck summaries --check`` runs) and that no request answered 5xx.

    python -m bench.soak [--seconds 60]    # on the engine DATABASE_URL names (a database of its own)

Part of ``make bench`` (``bench.run``), not of the unit suite."""

import argparse
import asyncio
import json
import random
import statistics
import time
from typing import Any

import httpx
from sqlalchemy import Engine, text
from sqlmodel import Session

from app.services.summaries import drift

WRITERS = 16
READERS = 16
EVENTS = 8  # writers share events, so they meet in the same groups


async def _writer(
    api: httpx.AsyncClient, seed: int, events: list[int], claimant: int, until: float, out: dict[str, Any]
) -> None:
    rng = random.Random(seed)
    while time.perf_counter() < until:
        figures = [
            {"event_id": rng.choice(events), "metric": rng.choice(("killed", "injured")), "text": words}
            for words in (f"about {rng.randint(10, 500)}", f"more than {rng.randint(1, 50)}")
        ]
        body = {"claimant_id": claimant, "figures": figures, "stated_at": f"2024-03-{rng.randint(1, 28):02d}T00:00:00Z"}
        start = time.perf_counter()
        response = await api.post("/claims", json=body)
        out["write_ms"].append(1000 * (time.perf_counter() - start))
        out["statuses"][response.status_code] = out["statuses"].get(response.status_code, 0) + 1
        if response.status_code == 201:
            out["acknowledged"].append(int(response.json()["id"]))


async def _reader(api: httpx.AsyncClient, seed: int, events: list[int], until: float, out: dict[str, Any]) -> None:
    rng = random.Random(seed)
    paths = ["/discrepancies", "/claims?limit=20", "/figures?limit=20"]
    while time.perf_counter() < until:
        event = rng.choice(events)
        path = rng.choice([*paths, f"/events/{event}/discrepancies", f"/events/{event}/report"])
        start = time.perf_counter()
        response = await api.get(path)
        out["read_ms"].append(1000 * (time.perf_counter() - start))
        out["statuses"][response.status_code] = out["statuses"].get(response.status_code, 0) + 1


async def _run(base: str, token: str, seconds: float) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=WRITERS + READERS)
    out: dict[str, Any] = {"statuses": {}, "acknowledged": [], "write_ms": [], "read_ms": []}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120, limits=limits) as api:
        events = [(await api.post("/events", json={"name": f"Soak event {i}"})).json()["id"] for i in range(EVENTS)]
        claimants = [
            (await api.post("/sources", json={"name": f"Soak source {i}"})).json()["id"] for i in range(WRITERS)
        ]
        until = time.perf_counter() + seconds
        await asyncio.gather(
            *(_writer(api, i, events, claimants[i], until, out) for i in range(WRITERS)),
            *(_reader(api, 1000 + i, events, until, out) for i in range(READERS)),
        )
    return out


def soak(engine: Engine, base: str, token: str, seconds: float) -> dict[str, Any]:
    """Run the soak against ``base`` (a server on ``engine``'s database) and check what it left."""
    out = asyncio.run(_run(base, token, seconds))
    acknowledged = set(out["acknowledged"])
    with engine.connect() as conn:
        stored = set(conn.execute(text("SELECT id FROM claim")).scalars())
    with Session(engine) as session:
        drifted = len(drift(session))
    statuses: dict[int, int] = out["statuses"]
    writes, reads = sorted(out["write_ms"]), sorted(out["read_ms"])
    return {
        "seconds": seconds,
        "writers": WRITERS,
        "readers": READERS,
        "writes_acknowledged": len(acknowledged),
        "writes_missing": len(acknowledged - stored),
        "reads": len(reads),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors_5xx": sum(v for k, v in statuses.items() if k >= 500),
        "groups_drifted": drifted,
        "write_p50_ms": statistics.median(writes) if writes else 0.0,
        "write_p99_ms": writes[int(0.99 * (len(writes) - 1))] if writes else 0.0,
        "read_p50_ms": statistics.median(reads) if reads else 0.0,
        "read_p99_ms": reads[int(0.99 * (len(reads) - 1))] if reads else 0.0,
    }


def passed(result: dict[str, Any]) -> bool:
    return result["writes_missing"] == 0 and result["errors_5xx"] == 0 and result["groups_drifted"] == 0


def main() -> None:
    from bench.run import measure_soak

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    print(json.dumps(measure_soak(parser.parse_args().seconds), indent=2))


if __name__ == "__main__":
    main()
