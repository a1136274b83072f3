"""The database itself: SQLite pragmas and foreign keys, migrations that match the models, ids
that are never reused, migrations that keep every row."""

import json
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi.testclient import TestClient
from sqlalchemy import Engine, Integer, inspect, select, text
from sqlalchemy.exc import IntegrityError

from app.db import is_sqlite, make_engine
from app.migrate import ForeignKeysBroken, downgrade, migrating, upgrade
from app.models import metadata
from app.models.search import INDEXED, include_object
from app.services import bulk
from tests.api.helpers import claim, created, event, scope, source

BEFORE_AUTOINCREMENT = "0007"
AUTOINCREMENT = "0008"


def test_sqlite_connections_enforce_foreign_keys_wal_and_busy_timeout(engine: Engine) -> None:
    if not is_sqlite(engine):
        pytest.skip("SQLite pragmas only apply to SQLite")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 10_000


def test_claim_cannot_point_at_a_missing_source(engine: Engine) -> None:
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO claim (claimant_id, modality, created_at, updated_at, version) "
                "VALUES (424242, 'asserted', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            )
        )


def test_figure_low_cannot_exceed_high_in_the_database(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO source (name, kind, created_at, updated_at, version) "
                "VALUES ('s', 'other', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO event (name, created_at, updated_at, version) "
                "VALUES ('e', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO claim (claimant_id, modality, created_at, updated_at, version) "
                "VALUES (1, 'asserted', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            )
        )
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO figure (claim_id, event_id, metric, unit, bound, low, high,"
                " created_at, updated_at, version)"
                " VALUES (1, 1, 'killed', 'people', 'range', 300, 200, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            )
        )


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as conn:
        # the filter migrations/env.py gives autogenerate: the full-text search objects exist only in the database
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object})
        assert compare_metadata(context, metadata) == []


def test_downgrade_to_base_and_upgrade_again(db_url: str) -> None:
    engine = make_engine(db_url, pool_size=1)
    try:
        downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        assert {"source", "claim", "figure", "metric"} <= set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM metric")).scalar() == 6
    finally:
        engine.dispose()


ID_TABLES = sorted(t.name for t in metadata.sorted_tables if [type(c.type) for c in t.primary_key.columns] == [Integer])


def test_every_table_with_an_integer_id_hands_out_each_id_once(engine: Engine) -> None:
    assert {"source", "document", "event", "scope", "claim", "figure", "api_key", "change"} <= set(ID_TABLES)
    assert [t for t in ID_TABLES if not metadata.tables[t].dialect_options["sqlite"]["autoincrement"]] == []
    if is_sqlite(engine):
        with engine.connect() as conn:
            schema = dict(conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
        assert [t for t in ID_TABLES if "AUTOINCREMENT" not in schema[t]] == []


def _populate(client: TestClient) -> dict[str, Any]:
    """Some of everything, and the newest claim (with its figure) deleted: the ids SQLite reused."""
    outlet, who = source(client, "Bloomberg")["id"], source(client, "Official", kind="person")["id"]
    assert client.post(f"/sources/{outlet}/aliases", json={"alias": "Bloomberg News"}).status_code == 201
    strike, force = event(client, "Strike near Deir ez-Zor")["id"], scope(client, "attacking force")["id"]
    doc = created(client, "/documents", {"title": "Scores killed", "text": "more than 200 contract soldiers"})
    figure = {"event_id": strike, "metric": "killed", "scope_id": force, "text": "around 100"}
    claim(client, who, [figure], relay_ids=[outlet], document_id=doc["id"], quote="around 100 died")
    newest = claim(client, outlet, [{**figure, "text": "more than 200"}], quote="scores of fighters")
    assert client.post("/keys", json={"name": "reader", "role": "read"}).status_code == 201
    assert client.delete(f"/claims/{newest['id']}", params={"cascade": True}).status_code == 200
    return {"who": who, "strike": strike, "newest": newest}


def _columns(engine: Engine) -> dict[str, list[str]]:
    """The columns of the models' tables as the database has them at its revision (columns that
    exist only in the database, PostgreSQL's search vectors, left out)."""
    found = inspect(engine)
    present = set(found.get_table_names())
    return {
        t: [c["name"] for c in found.get_columns(t) if c["name"] in metadata.tables[t].c]
        for t in metadata.tables
        if t in present
    }


def _rows(engine: Engine, columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in the columns the database has (or those given: a revision's)."""
    columns = columns or _columns(engine)
    with engine.connect() as conn:
        return {
            t.name: [
                tuple(r)
                for r in conn.execute(select(*(t.c[c] for c in columns[t.name])).order_by(*t.primary_key.columns))
            ]
            for t in metadata.sorted_tables
            if t.name in columns
        }


def _rows_of(
    rows: dict[str, list[tuple[Any, ...]]], heads: dict[str, list[str]], columns: dict[str, list[str]]
) -> dict[str, list[Any]]:
    """Rows read with the columns ``heads``, kept to the tables and ``columns`` of an older revision."""
    return {
        table: [tuple(r[heads[table].index(c)] for c in columns[table]) for r in found]
        for table, found in rows.items()
        if table in columns
    }


def _plain(reflected: Any) -> str:
    """A reflected item as comparable text (a partial index's WHERE clause by its SQL)."""
    return json.dumps(reflected, default=str, sort_keys=True)


def _structure(engine: Engine) -> dict[str, Any]:
    """Columns, keys, indexes, constraints and (SQLite) triggers; not the primary key's name."""
    found = inspect(engine)
    shape: dict[str, Any] = {}
    for table in _columns(engine):
        shape[table] = (
            [(c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(table)],
            found.get_pk_constraint(table)["constrained_columns"],
            sorted(map(_plain, found.get_foreign_keys(table))),
            sorted(map(_plain, found.get_indexes(table))),
            sorted(map(_plain, found.get_unique_constraints(table))),
            sorted(map(_plain, found.get_check_constraints(table))),
        )
    if is_sqlite(engine):
        with engine.connect() as conn:
            shape["triggers"] = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
            shape["triggers"].sort()
    return shape


def test_upgrade_keeps_every_row_and_never_reuses_an_id_deleted_before_it(client: TestClient, db_url: str) -> None:
    engine = make_engine(db_url, pool_size=1)
    try:
        made = _populate(client)  # at head: the models write every column of today
        downgrade(engine, BEFORE_AUTOINCREMENT)
        rows, structure = _rows(engine), _structure(engine)
        upgrade(engine, AUTOINCREMENT)
        assert _rows(engine) == rows
        assert _structure(engine) == structure
        upgrade(engine)
        newest = made["newest"]
        later = claim(client, made["who"], [{"event_id": made["strike"], "metric": "injured", "text": "about 40"}])
        assert later["id"] > newest["id"] and later["figures"][0]["id"] > newest["figures"][0]["id"]
        assert client.post(f"/claims/{newest['id']}/restore").status_code == 200
        assert client.delete(f"/claims/{later['id']}", params={"cascade": True}).status_code == 200
        last = claim(client, made["who"], quote="wounded fighters near the plant")
        assert last["id"] > later["id"]
        found = client.get("/search", params={"q": "wounded"}).json()["items"]
        assert [(h["kind"], h["id"]) for h in found] == [("claim", last["id"])]
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(text("UPDATE claim SET claimant_id = 424242 WHERE id = :id"), {"id": last["id"]})
        if is_sqlite(engine):
            with engine.begin() as conn:
                for table in INDEXED:
                    conn.execute(text(f"INSERT INTO {table}_fts ({table}_fts) VALUES ('integrity-check')"))
    finally:
        engine.dispose()


def test_downgrade_keeps_every_row(client: TestClient, db_url: str) -> None:
    engine = make_engine(db_url, pool_size=1)
    try:
        downgrade(engine, BEFORE_AUTOINCREMENT)
        structure, old_columns = _structure(engine), _columns(engine)
        upgrade(engine)
        _populate(client)
        rows, head_columns = _rows(engine), _columns(engine)
        downgrade(engine, BEFORE_AUTOINCREMENT)
        assert _rows(engine) == _rows_of(rows, head_columns, old_columns)
        assert _structure(engine) == structure
        upgrade(engine)
        assert _rows(engine) == rows
    finally:
        engine.dispose()


def test_a_migration_that_breaks_a_foreign_key_is_rolled_back(db_url: str) -> None:
    engine = make_engine(db_url, pool_size=1)
    if not is_sqlite(engine):
        pytest.skip("PostgreSQL checks foreign keys during the migration itself")
    try:
        with pytest.raises(ForeignKeysBroken), migrating(engine) as conn:
            conn.execute(
                text(
                    "INSERT INTO claim (claimant_id, modality, created_at, updated_at, version) "
                    "VALUES (424242, 'asserted', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
                )
            )
        with engine.connect() as conn:  # the same pooled connection: foreign keys on again
            assert conn.execute(text("SELECT count(*) FROM claim")).scalar() == 0
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


def test_after_a_large_import_postgresql_finds_the_disputes_by_their_index(engine: Engine) -> None:
    """Right after a bulk load PostgreSQL had no statistics of the new rows and counted the
    disputes by reading all of group_summary (6 ms against 0.03 ms over a million figures): the
    import refreshes them, so the planner knows how few groups are disputed."""
    if is_sqlite(engine):
        pytest.skip("PostgreSQL's planner statistics (SQLite keeps none unless asked)")
    rows = [  # one voice per event: no group is disputed
        {
            "source": f"monitor {i // 10}",
            "subject": f"incident {i // 10}",
            "metric": "killed",
            "value_low": str(i % 10),
            "value_high": str(i % 10),
            "hedge": "",
            "date": f"2024-01-{i % 10 + 1:02d}",
        }
        for i in range(bulk.ANALYSE_AFTER)
    ]
    bulk.import_long(engine, rows)
    with engine.connect() as conn:
        plan = "\n".join(
            row[0] for row in conn.exec_driver_sql("EXPLAIN SELECT count(*) FROM group_summary WHERE severity > 0")
        )
    assert "ix_group_summary_rank" in plan, plan


def test_the_pool_hands_out_the_connection_returned_last(db_url: str) -> None:
    """Work done one request after another (an export's chunks) reuses one warm connection: handed
    out in turn, every pooled SQLite connection filled its own page cache (an export after the
    benchmark's write workloads grew the server by 56 MB; by 29 MB with this order)."""
    engine = make_engine(db_url, pool_size=4)
    try:
        first, second = engine.connect(), engine.connect()
        returned_last = second.connection.driver_connection
        first.close()
        second.close()
        with engine.connect() as again:
            assert again.connection.driver_connection is returned_last
    finally:
        engine.dispose()
