"""The filters of every list, driven by the filter specs themselves: a filter added to a spec is
covered here without a new test. Comparisons return exactly the rows whose field compares (pages
and file exports alike), `__in` items are validated like the field (422 naming the parameter), and
the README's table of filters is the one the specs render."""

import json
import operator
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.demo import load_demo
from app.models.dispute_filters import DISPUTES
from app.models.filters import CLAIMS, DOCUMENTS, EVENTS, FIGURES, SCOPES, SOURCES, Filter, FilterSpec, Op, readme_table
from tests.api.helpers import assert_problem, claim, created

README = Path(__file__).resolve().parents[2] / "README.md"
LISTS: dict[str, FilterSpec] = {
    "/sources": SOURCES,
    "/documents": DOCUMENTS,
    "/events": EVENTS,
    "/scopes": SCOPES,
    "/claims": CLAIMS,
    "/figures": FIGURES,
    "/discrepancies": DISPUTES,
}
EXPORTED = {"/sources", "/documents", "/events", "/scopes", "/figures"}  # lists that answer ?format=ndjson
EVERYTHING = {"limit": 500, "include_undisputed": "true"}
COMPARE: dict[Op, Callable[[Any, Any], bool]] = {
    Op.eq: operator.eq,
    Op.gt: operator.gt,
    Op.gte: operator.ge,
    Op.lt: operator.lt,
    Op.lte: operator.le,
}


@pytest.fixture
def data(client: TestClient, engine: Engine) -> TestClient:
    """The demo article, and records that spread every numeric and date field over several values."""
    load_demo(engine)
    text = "Officials said that about 40 people were killed and 12 injured."
    docs = [
        created(
            client,
            "/documents",
            {"title": f"Report {y}", "published_at": f"{y}-03-01T00:00:00Z", "text": text, "language": language},
        )
        for y, language in ((2019, "en"), (2020, "fr"))
    ]
    events = [
        created(
            client,
            "/events",
            {
                "name": f"Clash {i}",
                "started_at": f"2019-0{i}-01T00:00:00Z",
                "ended_at": f"2019-0{i}-0{i + 1}T00:00:00Z",
                "party": "AB"[i % 2],
            },
        )
        for i in (1, 2, 3)
    ]
    created(client, "/events", {"name": "Clash 1, first day", "parent_id": events[0]["id"]})
    created(client, "/scopes", {"name": "civilians", "party": "A"})
    source = created(client, "/sources", {"name": "Monitor", "kind": "organization", "reference": True})["id"]
    other = created(client, "/sources", {"name": "Ministry", "kind": "government"})["id"]
    spoken = [(source, "about 40", 0.05), (other, "around 400", 0.2), (source, "roughly 15", 0.3)]
    for i, (who, words, tolerance) in enumerate(spoken):
        body = claim(
            client,
            who,
            [{"event_id": events[i]["id"], "metric": "killed", "text": words, "tolerance": tolerance}],
            document_id=docs[i % 2]["id"],
            quote_start=i,
            quote_end=10 + 2 * i,
            stated_at=f"2019-0{i + 1}-15T00:00:00Z",
        )
        reference = body["figures"][0]["id"]
        figure = {"claim_id": body["id"], "event_id": events[i]["id"], "metric": "killed"}
        relative = {"bound": "relative", "factor": 1.5 + i, "factor_bound": "ge", "reference_id": reference}
        created(client, "/figures", {**figure, **relative})
    return client


def items(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    everything = EVERYTHING if path == "/discrepancies" else {"limit": 500}
    response = client.get(path, params={**everything, **params})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["items"]
    return found


def key(item: dict[str, Any]) -> Any:
    """A row's identity: its id, or (event, metric, scope) for a dispute."""
    return item["id"] if "id" in item else (item["event"]["id"], item["metric"], (item["scope"] or {}).get("id"))


def field_of(item: dict[str, Any], field: str) -> Any:
    """An item's field; ``claimant_id`` is the id of its ``claimant``."""
    return item[field] if field in item else item[field.removesuffix("_id")]["id"]


def value(raw: Any) -> Any:
    """A field's value as JSON gave it, a date read as one."""
    try:
        return datetime.fromisoformat(raw) if isinstance(raw, str) else raw
    except ValueError:
        return raw


def compared(spec: FilterSpec) -> list[tuple[str, Filter, Op]]:
    """The parameters that compare a column of the listed rows themselves."""
    return [(name, f, op) for name, f, op in spec.params() if op in COMPARE and f.through is None and f.tree is None]


@pytest.mark.parametrize("path", list(LISTS))
def test_every_comparison_returns_the_rows_that_compare(data: TestClient, path: str, subtests: Any) -> None:
    every = items(data, path)
    for name, f, op in compared(LISTS[path]):
        field = f.column.key  # the item's field of that column (min_factor tests severity)
        with subtests.test(f"{path}?{name}"):
            every = [{**i, field: field_of(i, field)} for i in every]
            present = sorted({value(i[field]) for i in every if i[field] is not None})
            assert len(present) >= (1 if op is Op.eq else 2), f"the fixture should give {path} more values of {field}"
            pivot_raw = next(i[field] for i in every if value(i[field]) == present[len(present) // 2])
            want = {key(i) for i in every if i[field] is not None and COMPARE[op](value(i[field]), value(pivot_raw))}
            got = {key(i) for i in items(data, path, **{name: pivot_raw})}
            assert got == want
            if path in EXPORTED:
                response = data.get(path, params={name: pivot_raw, "format": "ndjson"})
                assert {json.loads(line)["id"] for line in response.text.splitlines() if line} == want


@pytest.mark.parametrize("path", list(LISTS))
def test_enum_items_of_in_are_validated(client: TestClient, path: str, subtests: Any) -> None:
    for name, f, op in LISTS[path].params():
        if op is not Op.in_ or not (isinstance(f.type, type) and issubclass(f.type, Enum)):
            continue
        with subtests.test(f"{path}?{name}"):
            allowed = [m.value for m in f.type]
            body = assert_problem(client.get(path, params={name: f"{allowed[0]},persn"}), 422, f"query.{name}")
            assert "persn" in body["detail"] and all(a in body["detail"] for a in allowed)
            assert client.get(path, params={name: ",".join(allowed)}).status_code == 200


@pytest.mark.parametrize("path", list(LISTS))
def test_ids_in_lists_are_bounded_like_other_ids(client: TestClient, path: str, subtests: Any) -> None:
    for name, _, op in LISTS[path].params():
        if op is not Op.in_ or not name.endswith("_id__in"):
            continue
        with subtests.test(f"{path}?{name}"):
            for bad in ("0", "1,2147483648", "1,x"):
                assert_problem(client.get(path, params={name: bad}), 422, f"query.{name}")
            assert client.get(path, params={name: "1, 2,,2147483647"}).status_code == 200


def test_the_kind_filter_names_its_allowed_values(client: TestClient) -> None:
    body = assert_problem(client.get("/sources", params={"kind__in": "persn"}), 422, "query.kind__in")
    assert "'persn'" in body["detail"] and "person, organization, outlet" in body["detail"]


def test_filters_through_other_tables_take_lists(data: TestClient) -> None:
    ids = {s["name"]: s["id"] for s in items(data, "/sources")}
    monitor, ministry = ids["Monitor"], ids["Ministry"]
    figures = items(data, "/figures", claimant_id__in=f"{monitor},{ministry}")
    assert {f["claimant"]["id"] for f in figures} == {monitor, ministry} and len(figures) == 6
    assert len(items(data, "/figures", claimant_id=monitor)) == 4
    events = {f["event_id"] for f in figures}
    assert len(items(data, "/claims", event_id__in=",".join(map(str, events)))) == 3
    assert {key(d) for d in items(data, "/discrepancies", claimant_id__in=monitor)} == {
        key(d) for d in items(data, "/discrepancies", claimant_id=monitor)
    }


def test_the_readme_table_of_filters_is_the_specs() -> None:
    table = readme_table(*LISTS.values())
    assert table in README.read_text(encoding="utf-8"), f"the README's table of filters should read:\n{table}"
