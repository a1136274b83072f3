"""The admission gates of app.api.deps: writers on SQLite take turns in arrival order; readers
never wait for the writers' queue; no more sessions than permits."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Engine

from app.api import deps


async def _hold(order: list[str], name: str, gate: AsyncIterator[None], release: asyncio.Event) -> None:
    await anext(gate)
    order.append(name)
    await release.wait()
    with pytest.raises(StopAsyncIteration):
        await anext(gate)


def test_writers_take_turns_in_arrival_order(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL writers of different rows do not queue")

    async def scenario() -> list[str]:
        order: list[str] = []
        releases = [asyncio.Event() for _ in range(5)]
        tasks = []
        for i, release in enumerate(releases):
            tasks.append(asyncio.create_task(_hold(order, f"writer {i}", deps.writer_turn(), release)))
            await asyncio.sleep(0)  # each arrives after the one before
        reader = asyncio.create_task(_hold(order, "reader", deps.session_permit(), asyncio.Event()))
        await asyncio.sleep(0.01)
        assert order == ["writer 0", "reader"]  # the reader is not queued behind the writers
        reader.cancel()
        for release in releases:
            release.set()
            await asyncio.sleep(0.01)
        await asyncio.gather(*tasks)
        return order

    assert asyncio.run(scenario()) == ["writer 0", "reader", "writer 1", "writer 2", "writer 3", "writer 4"]


def test_no_more_sessions_than_permits(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTERCHECK_THREADS", "2")
    deps.get_settings.cache_clear()

    async def scenario() -> int:
        order: list[str] = []
        release = asyncio.Event()
        tasks = [asyncio.create_task(_hold(order, f"reader {i}", deps.session_permit(), release)) for i in range(4)]
        await asyncio.sleep(0.01)
        holding = len(order)
        release.set()
        await asyncio.gather(*tasks)
        assert len(order) == 4
        return holding

    assert asyncio.run(scenario()) == 2
    deps.get_settings.cache_clear()
