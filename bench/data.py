"""Rows for the benchmarks: the real 1M-figure file, the cross-source groups it contains, and a
synthetic set of events with many claimants (fixed seed). All in the long CSV format."""

import csv
import gzip
import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import date as Day
from datetime import timedelta
from pathlib import Path
from typing import Any

from app.services.bulk import LongFormat, RowError, parse_row

Row = dict[str, str]
GENERAL_STAFF = "General Staff of the Armed Forces of Ukraine"
ORYX_TO_GENERAL_STAFF = {
    "Tanks": "tank",
    "Armoured Personnel Carriers": "APC",
    "Artillery Systems": "field artillery",
    "Multiple Rocket Launchers": "MRL",
    "Anti-aircraft Warfare Systems": "anti-aircraft warfare",
    "Aircrafts": "aircraft",
    "Helicopters": "helicopter",
    "Special Equipment": "special equipment",
    "Warships": "naval ship",
}


SAMPLE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "cross_source_sample.csv"


def data_file() -> Path | None:
    """The shared data set lies beside the repository, in ``shared/data``; None in a clone alone."""
    here = Path(__file__).resolve().parent.parent
    for base in (here.parent / "shared", here.parent.parent / "shared"):
        candidate = base / "data" / "real-figures-1m.csv.gz"
        if candidate.exists():
            return candidate
    return None


def real_rows(limit: int | None = None) -> Iterator[Row]:
    """The published figures; without ``../shared/data`` (a clone of the repository alone), the
    committed sample of them (``tests/fixtures/cross_source_sample.csv``) over and over, renamed
    per round so no row repeats: enough to run the code path, not to measure speed."""
    found = data_file()
    if found is None:
        yield from _sample_rows(limit if limit is not None else 10_000)
        return
    with gzip.open(found, "rt", newline="", encoding="utf-8") as f:
        for i, row in enumerate(csv.DictReader(f)):
            if limit is not None and i >= limit:
                return
            yield row


def _sample_rows(limit: int) -> Iterator[Row]:
    with SAMPLE.open(newline="", encoding="utf-8") as f:
        sample = [{**row, "dataset": "sample"} for row in csv.DictReader(f)]
    for i in range(limit):
        row = sample[i % len(sample)]
        yield {**row, "subject": f"{row['subject']} #{i // len(sample)}"}


def valid(rows: Iterator[Row], skipped: list[RowError]) -> Iterator[Row]:
    """The rows the importer accepts; the others (the published file has a few) are counted."""
    fmt = LongFormat()
    for line, row in enumerate(rows, start=2):
        checked = parse_row(row, fmt, line)
        if isinstance(checked, RowError):
            skipped.append(checked)
        else:
            yield row


def cross_source_rows(limit: int | None = None) -> list[Row]:
    """General Staff vs Oryx per category on the Oryx snapshot dates, and each disputed Iraq Body
    Count range as two claimants (the lowest and the highest report)."""
    oryx: dict[tuple[str, str], float] = defaultdict(float)
    staff: dict[tuple[str, str], str] = {}
    out: list[Row] = []
    for row in real_rows(limit):
        if row["dataset"] == "ukraine_oryx":
            category = row["subject"].split(" / ")[0]
            if category in ORYX_TO_GENERAL_STAFF:
                oryx[(ORYX_TO_GENERAL_STAFF[category], row["date"])] += float(row["value_low"])
        elif row["dataset"] == "ukraine_mod":
            staff[(row["metric"], row["date"])] = row["value_low"]
        elif row["dataset"] == "iraq_body_count" and row["value_high"]:
            low, high = float(row["value_low"]), float(row["value_high"])
            if low < high:
                for who, value in (("IBC lowest report", low), ("IBC highest report", high)):
                    out.append(_row(who, row["subject"], row["metric"], value, value, "", row["date"]))
    for (metric, date), total in oryx.items():
        if (metric, date) in staff:
            subject = f"Russian equipment losses as of {date}"
            value = float(staff[(metric, date)])
            out.append(_row(GENERAL_STAFF, subject, metric, value, value, "", date))
            out.append(_row("Oryx", subject, metric, total, None, "at least (visually confirmed)", date))
    return out


def synthetic_rows(events: int = 300, claimants: int = 20, seed: int = 42) -> list[Row]:
    """Events with many claimants each: most near a true value, a few far off (fixed seed)."""
    rng = random.Random(seed)
    out: list[Row] = []
    for e in range(events):
        truth = rng.randint(20, 5000)
        for c in range(claimants):
            off = rng.random() < 0.2
            centre = truth * (rng.choice([0.1, 0.3, 3, 8]) if off else rng.uniform(0.85, 1.15))
            spread = rng.uniform(0, 0.1) * centre
            low, high = max(0.0, round(centre - spread)), round(centre + spread)
            out.append(
                _row(
                    f"Synthetic source {c}",
                    f"Synthetic event {e}",
                    "killed",
                    low,
                    high,
                    "",
                    f"2024-01-{1 + c % 28:02d}",
                )
            )
    return out


BIG_EVENT = "A long war, reported daily"


def long_series_rows(figures: int = 22_000, metrics: int = 13, start: str = "2022-02-24") -> list[Row]:
    """One event with ``figures`` figures: a ministry's daily running total per metric (like the
    General Staff's equipment losses, 22k figures in the real file) and, per metric, one floor
    from a monitor near the end ("at least ..."), so each group has two voices."""
    first = Day.fromisoformat(start)
    days = max(1, (figures - metrics) // metrics)
    out: list[Row] = []
    for m in range(metrics):
        metric = f"equipment_{m}"
        for k in range(days):
            value = 5 * (m + 1) + 3 * k
            row = _row("Ministry of Defence", BIG_EVENT, metric, value, value, "", (first + timedelta(k)).isoformat())
            out.append({**row, "period": "cumulative"})
        near_end = (first + timedelta(days - 2)).isoformat()
        floor = _row("Open-source monitor", BIG_EVENT, metric, days, None, "at least", near_end)
        out.append({**floor, "period": "cumulative"})
    return out


def _row(source: str, subject: str, metric: str, low: float, high: float | None, hedge: str, date: str) -> Row:
    return {
        "source": source,
        "subject": subject,
        "metric": metric,
        "value_low": f"{low:g}",
        "value_high": "" if high is None else f"{high:g}",
        "hedge": hedge,
        "date": date,
    }


def as_tuples(rows: list[Row]) -> list[tuple[Any, ...]]:
    return [
        (r["source"], r["subject"], r["metric"], r["value_low"], r["value_high"] or None, r["hedge"], r["date"])
        for r in rows
    ]
