"""More requests in flight than worker threads: every request still gets its answer (a session
held across thread hops used to leave the others waiting for a connection until the pool timed
out), and writers on SQLite take their turns first come, first served."""

from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import Engine
from sqlmodel import Session

from app.services.summaries import drift
from bench.serve import running_server

THREADS = 2
READERS = 24
WRITERS = 8


def test_more_requests_than_threads_all_get_their_answer(
    db_url: str, engine: Engine, write_headers: dict[str, str]
) -> None:
    with running_server(db_url, COUNTERCHECK_THREADS=str(THREADS)) as (base, _pid):
        with httpx.Client(base_url=base, timeout=60, headers=write_headers) as api:
            event = api.post("/events", json={"name": "Busy event"}).json()["id"]
            claimant = api.post("/sources", json={"name": "Busy wire"}).json()["id"]

        def read(i: int) -> list[int]:
            with httpx.Client(base_url=base, timeout=60) as api:
                return [api.get("/claims", params={"limit": 5, "offset": n}).status_code for n in range(5)]

        def write(i: int) -> list[int]:
            body = {"claimant_id": claimant, "figures": [{"event_id": event, "metric": "killed", "text": f"{i}"}]}
            with httpx.Client(base_url=base, timeout=60, headers=write_headers) as api:
                return [api.post("/claims", json=body).status_code for _ in range(5)]

        with ThreadPoolExecutor(READERS + WRITERS) as pool:
            reads = [pool.submit(read, i) for i in range(READERS)]
            writes = [pool.submit(write, i) for i in range(WRITERS)]
            assert [s for f in reads for s in f.result()] == [200] * READERS * 5
            assert [s for f in writes for s in f.result()] == [201] * WRITERS * 5
    with Session(engine) as session:
        assert drift(session) == []
