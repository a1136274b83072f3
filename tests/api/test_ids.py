"""Ids are never reused: a record deleted and then restored comes back under its own id, even
after later creates, and its history is its own (SQLite AUTOINCREMENT, PostgreSQL sequences)."""

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import claim, created, event, scope, source

Make = Callable[[TestClient, str], dict[str, Any]]


def _figure(client: TestClient, label: str) -> dict[str, Any]:
    claimant, subject = source(client, f"claimant {label}")["id"], event(client, f"event {label}")["id"]
    made = claim(client, claimant, [{"event_id": subject, "metric": "killed", "text": "around 100"}])
    body = {"claim_id": made["id"], "event_id": subject, "metric": "injured", "text": f"{len(label)} injured"}
    return created(client, "/figures", body)


KINDS: dict[str, Make] = {  # path -> builder of one record whose fields tell it apart by `label`
    "events": lambda client, label: event(client, f"Strike {label}"),
    "sources": lambda client, label: source(client, f"Outlet {label}"),
    "scopes": lambda client, label: scope(client, f"force {label}"),
    "documents": lambda client, label: created(client, "/documents", {"title": f"Report {label}"}),
    "claims": lambda client, label: claim(client, source(client, f"claimant {label}")["id"], quote=f"said {label}"),
    "figures": _figure,
}


@pytest.mark.parametrize("kind", KINDS)
def test_restore_after_a_later_create_brings_back_the_deleted_id(client: TestClient, kind: str) -> None:
    make = KINDS[kind]
    a = make(client, "A")  # the newest record of its kind: the id SQLite would hand out again
    assert client.delete(f"/{kind}/{a['id']}").status_code in (200, 204)
    b = make(client, "Bee")
    assert b["id"] > a["id"]
    restored = client.post(f"/{kind}/{a['id']}/restore")
    assert restored.status_code == 200, restored.text
    back = client.get(f"/{kind}/{a['id']}").json()
    assert {k: back[k] for k in a if k not in ("version", "updated_at")} == {
        k: v for k, v in a.items() if k not in ("version", "updated_at")
    }
    assert client.get(f"/{kind}/{b['id']}").json()["id"] == b["id"]


@pytest.mark.parametrize("kind", KINDS)
def test_history_of_a_deleted_id_lists_only_its_own_changes(client: TestClient, kind: str) -> None:
    make = KINDS[kind]
    a = make(client, "A")
    client.delete(f"/{kind}/{a['id']}")
    b = make(client, "Bee")
    changes = client.get(f"/{kind}/{a['id']}/history").json()["items"]
    assert [c["action"] for c in changes] == ["create", "delete"]
    assert changes[0]["after"]["id"] == changes[1]["before"]["id"] == a["id"]
    assert changes[0]["after"]["created_at"] == a["created_at"]
    assert [c["action"] for c in client.get(f"/{kind}/{b['id']}/history").json()["items"]] == ["create"]
