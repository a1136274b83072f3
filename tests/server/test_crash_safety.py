"""SIGKILL in the middle of a large import: after it, the database is intact and the import is
wholly absent (it never committed) — nothing half written."""

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Engine, text

from app.db import is_sqlite

ROWS = 150_000


def write_csv(path: Path) -> None:
    with path.open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["source", "subject", "metric", "value_low", "value_high", "hedge", "date"])
        for i in range(ROWS):
            out.writerow([f"Source {i % 50}", f"Event {i % 5000}", "killed", i % 900, i % 900 + 10, "", "2024-01-02"])


def test_killed_import_leaves_nothing_half_written(db_url: str, engine: Engine, tmp_path: Path) -> None:
    data = tmp_path / "big.csv"
    write_csv(data)
    env = {**os.environ, "DATABASE_URL": db_url}
    command = [sys.executable, "-c", "from app.cli import main; main()", "import", str(data)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _wait_until_writing(engine, db_url, process)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the import finished before it could be killed"
    with engine.connect() as conn:
        if is_sqlite(engine):
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert conn.execute(text("SELECT count(*) FROM figure")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM claim")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM source")).scalar() == 0
    # and the same import, run to its end, is wholly present
    finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM figure")).scalar() == ROWS


def _wait_until_writing(engine: Engine, db_url: str, process: subprocess.Popen[bytes]) -> None:
    """Until the import has written rows it has not committed (the WAL grows, or a lock is held)."""
    deadline = time.monotonic() + 60
    wal = Path(db_url.removeprefix("sqlite:///") + "-wal") if is_sqlite(engine) else None
    while time.monotonic() < deadline and process.poll() is None:
        if wal is not None and wal.exists() and wal.stat().st_size > 2_000_000:
            return
        if wal is None:
            with engine.connect() as conn:
                held = conn.execute(
                    text(
                        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                        "WHERE c.relname = 'figure' AND l.mode = 'ShareRowExclusiveLock'"
                    )
                ).scalar()
            if held:
                time.sleep(1.0)  # let it copy a few batches
                return
        time.sleep(0.05)
