"""The database itself: SQLite pragmas and foreign keys, migrations that match the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from app.db import is_sqlite, make_engine
from app.migrate import downgrade, upgrade
from app.models import metadata
from app.models.search import include_object


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
