"""The commands as users run them: the import and its floor, and the export.

``measure_cli`` writes the rows to a CSV file and runs ``countercheck import --skip-invalid`` on it
in a process of its own against a fresh database: rows per second and that process's peak
resident memory (its own VmHWM, so nothing of the benchmark's own rows is counted).

``floor`` is a raw ``executemany`` of the same rows into the service's own ``figure`` table (its
columns and indexes, a migrated SQLite file): what the storage alone costs, before any reading
of words, claims, summaries or records. The import can only approach it.

``measure_cli_export`` runs ``countercheck export`` of every figure as CSV to a file, in a process
of its own: the baseline of the export over HTTP."""

import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.db import make_engine
from app.migrate import upgrade
from app.services.bulk import FIGURE_COLUMNS

CLI = "from app.cli import main; main()"
# The same, writing the process's peak resident memory (VmHWM, which starts afresh at exec) to the
# file named by COUNTERCHECK_PEAK_FILE as it exits. Not wait4's ru_maxrss: Linux carries that over
# from the parent at the fork, here the benchmark's million rows.
CLI_WITH_PEAK = r"""
import atexit, os, re
def _peak():
    with open("/proc/self/status") as status, open(os.environ["COUNTERCHECK_PEAK_FILE"], "w") as out:
        out.write(re.search(r"VmHWM:\s+(\d+)", status.read()).group(1))
atexit.register(_peak)
from app.cli import main
main()
"""


def measure_cli(rows: Sequence[dict[str, str]], url: str) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="countercheck-cli-import-"))
    try:
        path = folder / "figures.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        peak = folder / "peak"
        env = {**os.environ, "DATABASE_URL": url, "COUNTERCHECK_PEAK_FILE": str(peak)}
        subprocess.run([sys.executable, "-c", CLI, "migrate"], env=env, check=True, capture_output=True)
        start = time.perf_counter()
        command = [sys.executable, "-c", CLI_WITH_PEAK, "import", "--skip-invalid", str(path)]
        subprocess.run(command, env=env, check=True, capture_output=True)
        took = time.perf_counter() - start
        peak_mb = int(peak.read_text()) / 1024
        return {"rows": len(rows), "seconds": took, "rows_per_s": len(rows) / took, "peak_rss_mb": peak_mb}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def floor(rows: Sequence[dict[str, str]]) -> dict[str, float]:
    folder = tempfile.mkdtemp(prefix="countercheck-floor-")
    try:
        engine = make_engine(f"sqlite:///{folder}/floor.db")
        upgrade(engine)
        engine.dispose()
        conn = sqlite3.connect(f"{folder}/floor.db")  # foreign keys off, as in a raw load
        data = [_figure_row(i, row) for i, row in enumerate(rows, start=1)]
        marks = ", ".join("?" for _ in FIGURE_COLUMNS)
        start = time.perf_counter()
        with conn:
            conn.executemany(f"INSERT INTO figure ({', '.join(FIGURE_COLUMNS)}) VALUES ({marks})", data)
        took = time.perf_counter() - start
        conn.close()
        return {"rows": len(data), "seconds": took, "rows_per_s": len(data) / took}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _figure_row(ident: int, row: dict[str, str]) -> tuple[Any, ...]:
    low = float(row["value_low"].replace(",", "") or 0)
    high = float(row["value_high"].replace(",", "")) if row["value_high"] else None
    stamp = "2026-12-01 00:00:00.000000"
    hedge = row["hedge"] or None
    return (
        ident,
        1,
        1,
        row["metric"],
        "people",
        hedge,
        "range",
        low,
        high,
        None,
        None,
        "event",
        "given",
        1,
        stamp,
        stamp,
        1,
    )


def measure_cli_export(url: str) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="countercheck-cli-export-"))
    try:
        path = folder / "figures.csv"
        env = {**os.environ, "DATABASE_URL": url}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", CLI, "export", str(path)], env=env, check=True, capture_output=True)
        took = time.perf_counter() - start
        with path.open("rb") as f:
            rows = sum(1 for _ in f) - 1  # the header
        return {"rows": rows, "seconds": took, "rows_per_s": rows / took}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
