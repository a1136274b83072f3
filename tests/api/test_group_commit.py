"""Group commit on SQLite (app.api.writers): writers queued together share one transaction, each
request in a savepoint, the summaries of the groups they touched refreshed once before the one
COMMIT, and no request answered before that COMMIT. On PostgreSQL the same bursts run as
independent transactions: what a client sees must be the same on both engines."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, event, func, select, text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col

from app.api import deps, writers
from app.main import create_app
from app.models.entities import Claim
from app.models.history import Change
from app.models.idempotency import Idempotency
from app.models.keys import Role
from app.services import keys
from app.services.summaries import drift

Api = httpx.AsyncClient
BURST = 10


def _token(engine: Engine) -> str:
    with Session(engine) as session:
        _, token = keys.create(session, "burst", Role.write)
        session.commit()
    return token


@asynccontextmanager
async def _api(engine: Engine) -> AsyncIterator[Api]:
    """The app in this event loop (its writers' queue is this loop's), with a write key."""
    app = create_app()
    headers = {"Authorization": f"Bearer {_token(engine)}"}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=headers) as api:
            yield api


async def _burst(engine: Engine, api: Api, requests: list[Callable[[], Awaitable[httpx.Response]]]) -> list[Any]:
    """Send ``requests`` at once. On SQLite the writers' turn is held until all of them are queued,
    so they run as one batch (in arrival order) whatever the machine's speed."""
    if engine.dialect.name != "sqlite":
        return list(await asyncio.gather(*(r() for r in requests)))
    writer = deps.gates().writer
    await writer.turn()
    tasks = [asyncio.create_task(r()) for r in requests]
    for _ in range(2000):
        if sum(not f.done() for f in writer._queue) == len(requests):
            break
        await asyncio.sleep(0.005)
    assert sum(not f.done() for f in writer._queue) == len(requests)
    writer.pass_turn()  # the held turn touched nothing: the queued writers follow in its batch
    return list(await asyncio.gather(*tasks))


@pytest.fixture
def one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """No cap by time: a burst is one batch even on a slow machine."""
    monkeypatch.setattr(writers, "MAX_OPEN_S", 600.0)


async def _setup(api: Api) -> tuple[int, int]:
    event_id = (await api.post("/events", json={"name": "Burst event"})).json()["id"]
    claimant = (await api.post("/sources", json={"name": "Burst wire"})).json()["id"]
    return event_id, claimant


def _claim(api: Api, claimant: int, event_id: int, words: str, key: str | None = None) -> Any:
    body = {"claimant_id": claimant, "figures": [{"event_id": event_id, "metric": "killed", "text": words}]}
    headers = {"Idempotency-Key": key} if key else {}
    return lambda: api.post("/claims", json=body, headers=headers)


def test_a_burst_to_one_group_refreshes_it_once_and_leaves_no_drift(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, one_batch: None
) -> None:
    refreshed: list[set[tuple[int, str]]] = []
    batch_refresh = writers.refresh

    def counted(session: Session, groups: Any, **kwargs: Any) -> None:
        refreshed.append(set(groups))
        batch_refresh(session, groups, **kwargs)

    monkeypatch.setattr(writers, "refresh", counted)

    async def scenario() -> tuple[int, list[int]]:
        async with _api(engine) as api:
            event_id, claimant = await _setup(api)
            before = (await api.get(f"/events/{event_id}/discrepancies")).json()  # cached by its change token
            assert before["groups"] == []
            refreshed.clear()
            words = [f"about {10 * (i + 1)}" for i in range(BURST)]
            answers = await _burst(engine, api, [_claim(api, claimant, event_id, w) for w in words])
            assert [a.status_code for a in answers] == [201] * BURST, [a.text for a in answers]
            after = (await api.get(f"/events/{event_id}/discrepancies")).json()  # not the cached report
            return event_id, [g["figure_count"] for g in after["groups"]]

    event_id, figures = asyncio.run(scenario())
    assert figures == [BURST]
    if engine.dialect.name == "sqlite":
        assert refreshed == [{(event_id, "killed")}]  # the group of ten claims, recomputed once
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Claim)) == BURST
        assert drift(session) == []  # what `countercheck summaries --check` runs


def test_a_failed_request_in_a_burst_leaves_no_trace_and_its_neighbours_commit(engine: Engine, one_batch: None) -> None:
    async def scenario() -> tuple[list[httpx.Response], int]:
        async with _api(engine) as api:
            event_id, claimant = await _setup(api)
            # the claim row, its history and the key are written before the unknown event refuses it
            failing = _claim(api, claimant, 999_999, "about 5", key="doomed")
            good = [_claim(api, claimant, event_id, f"about {n}", key=f"good-{n}") for n in (10, 20, 30, 40)]
            answers = await _burst(engine, api, [*good[:2], failing, *good[2:]])
            return answers, event_id

    answers, event_id = asyncio.run(scenario())
    statuses = [a.status_code for a in answers]
    assert statuses[:2] + statuses[3:] == [201] * 4 and 400 <= statuses[2] < 500, [a.text for a in answers]
    created = {a.json()["id"] for a in answers if a.status_code == 201}
    with Session(engine) as session:
        assert set(session.exec(select(col(Claim.id))).scalars()) == created
        claims_changed = session.exec(select(col(Change.record_id)).where(col(Change.resource) == "claim"))
        assert set(claims_changed.scalars()) == created  # no history of the refused claim
        assert session.scalar(select(func.count()).select_from(Idempotency)) == 4  # nor its key
        assert drift(session) == []
    for answer in answers:
        if answer.status_code == 201:
            assert answer.headers["ETag"] == '"1"'


def test_no_answer_before_the_commit_that_holds_it(engine: Engine, one_batch: None) -> None:
    """Each 201 is visible to another connection when it arrives (committed, not just written)."""
    seen: list[bool] = []

    async def scenario() -> None:
        async with _api(engine) as api:
            event_id, claimant = await _setup(api)

            def observed(request: Callable[[], Awaitable[httpx.Response]]) -> Callable[[], Awaitable[httpx.Response]]:
                async def sent() -> httpx.Response:
                    answer = await request()
                    with engine.connect() as other:  # another connection sees only what is committed
                        found = other.execute(text("SELECT 1 FROM claim WHERE id = :i"), {"i": answer.json()["id"]})
                        seen.append(found.first() is not None)
                    return answer

                return sent

            words = [f"at least {n}" for n in range(1, 7)]
            await _burst(engine, api, [observed(_claim(api, claimant, event_id, w)) for w in words])

    asyncio.run(scenario())
    assert seen == [True] * 6


def test_the_same_key_twice_in_one_burst_applies_once(engine: Engine, one_batch: None) -> None:
    async def scenario() -> list[httpx.Response]:
        async with _api(engine) as api:
            event_id, claimant = await _setup(api)
            same = _claim(api, claimant, event_id, "about 70", key="retried")
            return await _burst(engine, api, [same, same])

    first, second = asyncio.run(scenario())
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    replayed = [a.headers.get("Idempotent-Replayed") for a in (first, second)]
    assert sorted(replayed, key=str) == [None, "true"]  # whichever reached the queue second replays
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Claim)) == 1


def test_a_failed_commit_answers_every_writer_of_the_batch_and_stores_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, one_batch: None
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL writers commit on their own")

    def refuse(conn: Any) -> None:
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    committed = writers.Batch.commit

    def failing(batch: writers.Batch) -> None:
        if batch._conn is not None:  # the batch's COMMIT fails (after its summaries were refreshed)
            event.listen(batch._conn, "commit", refuse)
        committed(batch)

    async def scenario() -> list[httpx.Response]:
        async with _api(engine) as api:
            event_id, claimant = await _setup(api)
            monkeypatch.setattr(writers.Batch, "commit", failing)
            return await _burst(engine, api, [_claim(api, claimant, event_id, f"{n}") for n in (1, 2, 3)])

    answers = asyncio.run(scenario())
    assert all(a.status_code >= 500 for a in answers), [a.status_code for a in answers]
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Claim)) == 0


def _metric(batch: writers.Batch, name: str) -> None:
    """A write in the batch, by the turn's holder."""
    with batch.scope() as session:
        session.execute(
            text("INSERT INTO metric (name, description, created_at, updated_at, version) VALUES (:n, '', :t, :t, 1)"),
            {"n": name, "t": "2024-01-01 00:00:00"},
        )


def test_a_lone_writer_commits_at_once_and_writers_arriving_together_share_a_batch(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL writers commit on their own")
    monkeypatch.setattr(writers, "LINGER_S", 600.0)  # the waits below end by arrivals, never by time
    monkeypatch.setattr(writers, "BUSY_GAP_S", 600.0)
    monkeypatch.setattr(writers, "MAX_OPEN_S", 600.0)
    monkeypatch.setattr(writers, "MAX_MEMBERS", 2)

    def stored(name: str) -> bool:
        with engine.connect() as other:
            return other.execute(text("SELECT 1 FROM metric WHERE name = :n"), {"n": name}).first() is not None

    async def scenario() -> None:
        writer = deps.gates().writer
        lone = await writer.turn()  # the first writer in a while: nobody arrived before it
        _metric(lone, "lone")
        writer.pass_turn()
        await lone.done  # committed without waiting for anyone
        assert stored("lone")

        first = await writer.turn()  # right after another writer: more may be on their way
        _metric(first, "first")
        writer.pass_turn()
        await asyncio.sleep(0)
        assert not first.done.done() and not stored("first")  # the batch waits for the next writer
        second = await writer.turn()
        assert second is first  # it joins the open batch
        _metric(second, "second")
        writer.pass_turn()  # the batch is full (two): it commits
        await first.done
        assert stored("first") and stored("second")

    asyncio.run(scenario())
