"""The maintained group summaries equal a from-scratch recomputation after any sequence of
writes through the API (hypothesis stateful test, on the engine DATABASE_URL selects)."""

import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlmodel import Session

from app.config import get_settings
from app.db import get_engine
from app.main import create_app
from app.models.keys import Role
from app.services import keys
from app.services.summaries import drift
from tests.conftest import ON_POSTGRES, _empty_postgres

WORDS = st.sampled_from(["5", "about 10", "more than 100", "12 to 20", "at least 40", "scores", "up to 8", "nearly 60"])
MODALITIES = st.sampled_from(["asserted", "reported", "hedged", "denied", "retracted"])
DATES = st.sampled_from([None, "2020-01-01T00:00:00Z", "2020-02-01T00:00:00Z", "2020-03-01T00:00:00Z"])


class Writes(RuleBasedStateMachine):
    url: str = ""

    def __init__(self) -> None:
        super().__init__()
        with Session(get_engine()) as session:
            _, token = keys.create(session, "stateful", Role.write)
            session.commit()
        self.client = TestClient(create_app(), headers={"Authorization": f"Bearer {token}"})
        self.client.__enter__()
        self.claims: list[int] = []
        self.figures: list[int] = []

    @initialize()
    def world(self) -> None:
        post = self.client.post
        self.sources = [post("/sources", json={"name": f"S{i}"}).json()["id"] for i in range(4)]
        self.events = [post("/events", json={"name": f"E{i}"}).json()["id"] for i in range(2)]
        whole = post("/scopes", json={"name": "whole"}).json()["id"]
        part = post("/scopes", json={"name": "part", "parent_id": whole}).json()["id"]
        self.scopes: list[int | None] = [None, whole, part]

    def figure(self, data: Any) -> dict[str, Any]:
        return {
            "event_id": data.draw(st.sampled_from(self.events)),
            "metric": data.draw(st.sampled_from(["killed", "injured"])),
            "scope_id": data.draw(st.sampled_from(self.scopes)),
            "text": data.draw(WORDS),
        }

    @rule(data=st.data(), modality=MODALITIES, stated_at=DATES)
    def create_claim(self, data: Any, modality: str, stated_at: str | None) -> None:
        body = {
            "claimant_id": data.draw(st.sampled_from(self.sources)),
            "modality": modality,
            "stated_at": stated_at,
            "figures": [self.figure(data) for _ in range(data.draw(st.integers(1, 3)))],
        }
        response = self.client.post("/claims", json=body)
        assert response.status_code == 201, response.text
        self.claims.append(response.json()["id"])
        self.figures += [f["id"] for f in response.json()["figures"]]

    @precondition(lambda self: self.figures)
    @rule(data=st.data())
    def update_figure(self, data: Any) -> None:
        ident = data.draw(st.sampled_from(self.figures))
        response = self.client.patch(f"/figures/{ident}", json=self.figure(data))
        assert response.status_code == 200, response.text

    @precondition(lambda self: self.claims)
    @rule(data=st.data(), modality=MODALITIES, stated_at=DATES)
    def update_claim(self, data: Any, modality: str, stated_at: str | None) -> None:
        ident = data.draw(st.sampled_from(self.claims))
        body = {"modality": modality, "stated_at": stated_at, "claimant_id": data.draw(st.sampled_from(self.sources))}
        assert self.client.patch(f"/claims/{ident}", json=body).status_code == 200

    @precondition(lambda self: self.figures)
    @rule(data=st.data())
    def delete_figure(self, data: Any) -> None:
        ident = data.draw(st.sampled_from(self.figures))
        assert self.client.delete(f"/figures/{ident}", params={"cascade": True}).status_code == 200
        self.figures.remove(ident)

    @precondition(lambda self: self.claims)
    @rule(data=st.data())
    def delete_claim(self, data: Any) -> None:
        ident = data.draw(st.sampled_from(self.claims))
        response = self.client.delete(f"/claims/{ident}", params={"cascade": True})
        assert response.status_code == 200
        self.claims.remove(ident)
        kept = {f["id"] for f in self.client.get("/figures", params={"limit": 500}).json()["items"]}
        self.figures = [f for f in self.figures if f in kept]

    @rule()
    def move_scope(self) -> None:
        part, whole = self.scopes[2], self.scopes[1]
        current = self.client.get(f"/scopes/{part}").json()["parent_id"]
        assert self.client.patch(f"/scopes/{part}", json={"parent_id": None if current else whole}).status_code == 200

    @invariant()
    def summaries_match_a_recomputation(self) -> None:
        with Session(get_engine()) as session:
            assert drift(session) == []

    def teardown(self) -> None:
        self.client.__exit__(None, None, None)


def test_maintained_summaries_equal_recomputation(
    template_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNTERCHECK_MIGRATE_ON_START", "false")
    counter = iter(range(10_000))

    class FreshWrites(Writes):
        def __init__(self) -> None:
            if ON_POSTGRES:
                _empty_postgres(template_url)
                url = template_url
            else:
                target = tmp_path / f"db{next(counter)}.db"
                shutil.copyfile(template_url, target)
                url = f"sqlite:///{target}"
            monkeypatch.setenv("DATABASE_URL", url)
            get_settings.cache_clear()
            get_engine.cache_clear()
            super().__init__()

        def teardown(self) -> None:
            super().teardown()
            get_engine().dispose()

    run_state_machine_as_test(
        FreshWrites,
        settings=settings(
            max_examples=15, stateful_step_count=12, deadline=None, suppress_health_check=[HealthCheck.too_slow]
        ),
    )
    get_engine.cache_clear()
    get_settings.cache_clear()
