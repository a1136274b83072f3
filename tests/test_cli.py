"""The countercheck command: migrate, demo, summaries, rederive."""

import csv
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from app.cli import app
from app.db import is_sqlite
from tests.api.test_csv_import import HEADER, MALFORMED
from tests.api.test_export import FORMULAS

runner = CliRunner()


def test_demo_then_summaries_check_reports_no_drift(db_url: str, engine: Engine) -> None:
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    assert "demo loaded" in runner.invoke(app, ["demo"]).output
    assert "already present" in runner.invoke(app, ["demo"]).output
    result = runner.invoke(app, ["summaries"])
    assert result.exit_code == 0 and "0 groups drifted" in result.output


def test_summaries_check_finds_tampering_and_rebuild_repairs_it(db_url: str, engine: Engine) -> None:
    runner.invoke(app, ["demo"])
    with engine.begin() as conn:
        conn.execute(text("UPDATE group_summary SET severity = 9"))
    result = runner.invoke(app, ["summaries"])
    assert result.exit_code == 1 and "severity" in result.output
    assert runner.invoke(app, ["summaries", "--rebuild"]).exit_code == 0
    assert runner.invoke(app, ["summaries"]).exit_code == 0


def test_rederive_reports_what_moved(db_url: str, engine: Engine) -> None:
    runner.invoke(app, ["demo"])
    result = runner.invoke(app, ["rederive", "--tolerance", "0.1"])
    assert result.exit_code == 0 and "1 intervals changed" in result.output


def test_backup_while_writing_is_consistent_and_restorable(db_url: str, engine: Engine, tmp_path: Path) -> None:
    if not is_sqlite(engine):
        result = runner.invoke(app, ["backup", str(tmp_path / "copy.db")])
        assert result.exit_code == 2 and "pg_dump" in result.output
        return
    runner.invoke(app, ["demo"])
    stop = threading.Event()

    def write() -> None:  # a writer that keeps committing while the backup copies
        n = 0
        while not stop.is_set():
            with engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO source (name, kind, created_at, updated_at, version) "
                        "VALUES (:n, 'other', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
                    ),
                    {"n": f"w{n}"},
                )
            n += 1

    writer = threading.Thread(target=write)
    writer.start()
    try:
        result = runner.invoke(app, ["backup", str(tmp_path / "copy.db")])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM figure").fetchone()[0] == 6  # the demo, whole
    copy.close()


def test_export_writes_every_figure(db_url: str, engine: Engine, tmp_path: Path) -> None:
    runner.invoke(app, ["demo"])
    result = runner.invoke(app, ["export", str(tmp_path / "figures.csv"), "--hxl"])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "figures.csv").read_text().splitlines()
    assert lines[1].startswith("#meta+id") and len(lines) == 2 + 6


def test_export_writes_formulas_as_text(db_url: str, engine: Engine, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    with source.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["source", "subject", "metric", "value_low", "value_high"])
        writer.writerows([name, "Strike", "killed", "5", "7"] for name in FORMULAS)
    assert runner.invoke(app, ["import", str(source)]).exit_code == 0
    for hxl in ([], ["--hxl"]):
        result = runner.invoke(app, ["export", str(tmp_path / "figures.csv"), *hxl])
        assert result.exit_code == 0, result.output
        with (tmp_path / "figures.csv").open(newline="") as f:
            rows = list(csv.DictReader(f))[1 if hxl else 0 :]
        assert [r["claimant_name"] for r in rows] == ["'" + name for name in FORMULAS]
        assert {(r["low"], r["high"]) for r in rows} == {("5.0", "7.0")}


def test_import_of_a_malformed_csv_names_the_line_and_stores_nothing(
    db_url: str, engine: Engine, tmp_path: Path, subtests: pytest.Subtests
) -> None:
    for name, fault, field in MALFORMED:
        with subtests.test(name):
            path = tmp_path / "bad.csv"
            path.write_bytes(HEADER + fault + b"C,E,killed,6\n")
            result = runner.invoke(app, ["import", str(path)])
            assert result.exit_code == 1
            assert (
                f"{field.replace('.', ', ')}: malformed CSV" in result.output
                and "nothing was imported" in result.output
            )
            with engine.connect() as conn:
                assert conn.execute(text("SELECT count(*) FROM figure")).scalar_one() == 0


def test_import_skip_invalid_stores_the_valid_rows_and_records_the_import(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    sample = Path(__file__).resolve().parents[1] / "docs" / "samples" / "figures-long.csv"
    path = tmp_path / "mixed.csv"
    path.write_text(sample.read_text() + "Somebody,Somewhere,killed,-1,,,2024-01-01,,\n")
    assert runner.invoke(app, ["import", str(path)]).exit_code == 1  # all or nothing by default
    result = runner.invoke(app, ["import", str(path), "--skip-invalid", "--unit", "soldiers"])
    assert result.exit_code == 0, result.output
    assert ": 8 figures" in result.output and "1 rows refused" in result.output
    assert "line 10, value_low" in result.output
    with engine.connect() as conn:
        record = conn.execute(text("SELECT id, filename, actor, unit, rejected FROM import_record")).one()
        assert tuple(record)[1:] == (str(path), "cli", "soldiers", 1)  # the refused run left no record
        assert f"import {record.id}: 8 figures" in result.output
        assert conn.execute(text("SELECT count(*) FROM figure WHERE import_id = :i"), {"i": record.id}).scalar() == 8


def test_fit_stores_the_bias_fit_and_reads_serve_it(db_url: str, engine: Engine) -> None:
    from app.services import bias

    runner.invoke(app, ["demo"])
    result = runner.invoke(app, ["fit"])
    assert result.exit_code == 0, result.output
    assert "bias fit ok: 6 statements" in result.output and "up to date" in result.output
    found = bias.latest(engine)
    assert found.fit is not None and bias.is_current(engine)
