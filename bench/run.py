"""The benchmark: one command, one table, every figure a ratio to a baseline measured in the same
run on the same machine (absolute times drift on a shared machine).

    python -m bench.run            # the whole 1,049,289-figure file (make bench)
    python -m bench.run --quick    # its first 100,000 figures (make bench-quick)

On SQLite by default; with DATABASE_URL=postgresql+psycopg://... on a database of its own, created
and dropped on that server. The server under test is the command users run:
``uvicorn app.main:app --workers 1``; the load comes from a second process (``bench.load``) over
loopback. Every process started is stopped by its PID. Results go to ``bench/results/``.
"""

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from app.db import make_engine
from app.domain.discrepancy import Policy
from app.migrate import upgrade
from app.models.dispute_filters import DisputeFilters
from app.models.keys import Role
from app.report.build import build_report
from app.services import keys
from app.services.bulk import import_long
from app.services.common import PageRequest
from app.services.discrepancies import list_disputes
from bench import app as bench_app
from bench import bench_extraction, bench_wording, cli_runs, soak
from bench.data import BIG_EVENT, as_tuples, cross_source_rows, long_series_rows, real_rows, synthetic_rows, valid
from bench.serve import running_server

RESULTS = Path(__file__).resolve().parent / "results"
FULL = 1_049_289
QUICK = 100_000
BENCH_APP = "bench.app:app"  # the service's app and the bare insert route, the baseline of the writes
BIG_EVENT_FIGURES = 22_000  # a daily running total over years, as the General Staff's in the real file


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="100,000 figures, shorter load runs")
    parser.add_argument("--rows", type=int, default=None, help="figures of the real file to load")
    parser.add_argument("--seconds", type=float, default=None, help="seconds per load workload")
    parser.add_argument("--bias", action="store_true", help="also fit the reporting-bias model over the loaded data")
    parser.add_argument(
        "--bias-only",
        action="store_true",
        help="only the import and the reporting-bias fit (no load or HTTP workloads)",
    )
    parser.add_argument(
        "--soak", type=float, default=None, help="seconds of the soak test (default 60, 20 with --quick; 0: none)"
    )
    args = parser.parse_args(argv)
    rows = args.rows or (QUICK if args.quick else FULL)
    seconds = args.seconds or (3.0 if args.quick else 8.0)
    events = 60 if args.quick else 300
    soak_seconds = args.soak if args.soak is not None else (20.0 if args.quick else 60.0)
    if args.bias_only:
        result = run_bias_only(rows, synthetic_events=events)
        print(bias_table(result))
    else:
        result = run(rows, seconds, synthetic_events=events, bias=args.bias, soak_seconds=soak_seconds)
        print(table(result))
    RESULTS.mkdir(exist_ok=True)
    kind = ("quick" if args.quick else "full") + ("-bias" if args.bias_only else "")
    out = RESULTS / f"bench-{kind}-{result['engine']}.json"
    out.write_text(json.dumps(result, indent=2, default=str))
    print(f"\nwritten to {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")


def run(
    rows: int,
    seconds: float,
    synthetic_events: int = 300,
    bias: bool = False,
    big_event: int = BIG_EVENT_FIGURES,
    soak_seconds: float = 0.0,
) -> dict[str, Any]:
    """Every workload; returns the measurements (also used by the smoke test on tiny inputs)."""
    with database() as url:
        engine, real, result = loaded(url, rows, synthetic_events)
        result["baseline_import"] = baseline_import(real)
        result["import_floor"] = cli_runs.floor(real)
        with database() as cli_url:
            result["cli_import"] = cli_runs.measure_cli(real, cli_url)
        result["global_query"] = measure_global_query(engine, url)
        if bias:
            result["bias_fit"] = measure_bias_fit(url)
        result["wording"] = bench_wording.run(20_000, repeat=2)
        result["extraction"] = bench_extraction.run(quick=rows < FULL)
        with Session(engine) as session:
            _, token = keys.create(session, "bench", Role.write)
            session.commit()
        import_long(engine, long_series_rows(big_event))  # the big event, measured over HTTP below
        bench_app.metadata.create_all(engine)  # the bare insert route's table
        # The background bias fit off: after the write workloads it would fit the million figures
        # during the export (a fit of 1M figures holds about 200 MB), and the export's peak was the
        # fit's: 196 -> 496 MB with it, 211 -> 267 MB without. The fit is measured on its own (--bias).
        with running_server(url, app=BENCH_APP, COUNTERCHECK_BIAS_FIT_DEBOUNCE_SECONDS="0") as (base, pid):
            result["http"] = measure_http(base, token, seconds)
            result["big_event"] = measure_big_event(base, big_event)
            result["export"] = measure_export(base, pid)
        result["cli_export"] = cli_runs.measure_cli_export(url)
        engine.dispose()
    if soak_seconds > 0:
        result["soak"] = measure_soak(soak_seconds)
    return result


def loaded(url: str, rows: int, synthetic_events: int) -> tuple[Any, list[dict[str, str]], dict[str, Any]]:
    """A migrated database at ``url`` with the real rows imported (timed): its engine, the valid
    rows and the result so far."""
    engine = make_engine(url)
    upgrade(engine)
    result: dict[str, Any] = {"engine": engine.dialect.name, "rows": rows, "date": datetime.now(UTC).isoformat()}
    skipped: list[Any] = []
    real = list(valid(real_rows(rows), skipped))
    result["rows_refused"] = len(skipped)
    result["import"] = measure_import(engine, real, synthetic_events, rows)
    return engine, real, result


def run_bias_only(rows: int, synthetic_events: int = 300) -> dict[str, Any]:
    """The import (as in ``run``) and then the reporting-bias fit over everything loaded."""
    with database() as url:
        engine, real, result = loaded(url, rows, synthetic_events)
        del real  # the fit runs in a process of its own; nothing here needs the rows any more
        engine.dispose()
        result["bias_fit"] = measure_bias_fit(url)
    return result


def measure_soak(seconds: float) -> dict[str, Any]:
    """The soak test (``bench.soak``) on a fresh database of its own, through the server users run."""
    with database() as url:
        engine = make_engine(url)
        upgrade(engine)
        with Session(engine) as session:
            _, token = keys.create(session, "soak", Role.write)
            session.commit()
        with running_server(url) as (base, _pid):
            found = soak.soak(engine, base, token, seconds)
        name = engine.dialect.name
        engine.dispose()
    return {"engine": name, **found, "passed": soak.passed(found)}


# --- reporting bias ---------------------------------------------------------------------------------
def measure_bias_fit(url: str) -> dict[str, Any]:
    """The reporting-bias fit as the service runs it over the loaded data (``bench.bias_db``): every
    figure read into statements, the biases fitted on the groups with two or more claimants (a group
    with one voice says nothing about anyone's bias), then every lone group's estimate. In a process
    of its own, so that its peak resident memory is the fit's, not the import's."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.bias_db", url], capture_output=True, text=True, check=True, timeout=3600
    )
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


# --- databases --------------------------------------------------------------------------------------
@contextmanager
def database() -> Iterator[str]:
    """A fresh database: a SQLite file in a temporary folder, or a PostgreSQL database of its own."""
    server_url = os.environ.get("DATABASE_URL", "")
    if server_url.startswith("postgresql"):
        name = f"countercheck_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        return
    folder = tempfile.mkdtemp(prefix="countercheck-bench-")
    try:
        yield f"sqlite:///{folder}/bench.db"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = work()
    return time.perf_counter() - start, value


# --- import -----------------------------------------------------------------------------------------
def measure_import(engine: Any, real: list[dict[str, str]], synthetic_events: int, rows: int) -> dict[str, Any]:
    """Cross-source and synthetic groups first (so disputes exist), then the real rows in stages;
    the global query is timed after each stage for the scale curve."""
    extra = cross_source_rows(rows) + synthetic_rows(synthetic_events)
    seconds_extra, _ = timed(lambda: import_long(engine, extra))
    stages = [s for s in (10_000, 100_000, 1_000_000) if s < len(real)] + [len(real)]
    done, total_seconds, curve = 0, 0.0, []
    for stage in stages:
        took, report = timed(lambda stage=stage, done=done: import_long(engine, real[done:stage]))
        total_seconds += took
        done = stage
        curve.append({"figures": done + len(extra), "global_query_ms": global_query_ms(engine)})
    return {
        "rows": len(real),
        "seconds": total_seconds,
        "rows_per_s": len(real) / total_seconds,
        "cross_source_and_synthetic_rows": len(extra),
        "seconds_extra": seconds_extra,
        "scale_curve": curve,
        "groups": report.groups,
    }


def baseline_import(real: list[dict[str, str]]) -> dict[str, float]:
    """Raw sqlite3 executemany of the same rows into an equivalent indexed figures table."""
    folder = tempfile.mkdtemp(prefix="countercheck-baseline-")
    try:
        conn = sqlite3.connect(f"{folder}/raw.db")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(
            "CREATE TABLE figures (id INTEGER PRIMARY KEY, source TEXT, subject TEXT, metric TEXT, low REAL, "
            "high REAL, hedge TEXT, date TEXT)"
        )
        conn.execute("CREATE INDEX ix_figures_group ON figures (subject, metric)")
        data = as_tuples(real)
        took, _ = timed(lambda: _raw_insert(conn, data))
        conn.close()
        return {"rows": len(data), "seconds": took, "rows_per_s": len(data) / took}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _raw_insert(conn: sqlite3.Connection, data: list[tuple[Any, ...]]) -> None:
    with conn:
        conn.executemany(
            "INSERT INTO figures (source, subject, metric, low, high, hedge, date) VALUES (?, ?, ?, ?, ?, ?, ?)", data
        )


# --- the global list --------------------------------------------------------------------------------
def global_query_ms(engine: Any, repeat: int = 15) -> float:
    """The first page of the global list of disputes, in process (median of warm runs)."""
    times = []
    for _ in range(repeat):
        with Session(engine) as session:
            took, _ = timed(lambda session=session: list_disputes(session, DisputeFilters(), PageRequest(50, 0, None)))
        times.append(took)
    return 1000 * statistics.median(times)


GROUP_BY = """SELECT event_id, metric, scope_id FROM figure GROUP BY event_id, metric, scope_id
HAVING max(low) > min(coalesce(high, 1e300))"""


def measure_global_query(engine: Any, url: str) -> dict[str, float]:
    """Our query against the scan it replaces: a GROUP BY over every figure finding the groups
    whose intervals cannot all overlap."""
    scans = []
    for _ in range(3):
        with engine.connect() as conn:
            took, found = timed(lambda conn=conn: conn.execute(text(GROUP_BY)).all())
        scans.append(took)
    ours = global_query_ms(engine)
    scan = 1000 * statistics.median(scans)
    return {
        "ms": ours,
        "group_by_ms": scan,
        "ratio": ours / scan,
        "groups_found_by_scan": len(found),
        "report_compute_ms": report_compute_ms(engine),
    }


def report_compute_ms(engine: Any) -> float:
    """What a report cache miss costs: the engine and the rendering of the 20-claimant event."""
    with Session(engine) as session:
        event = session.execute(text("SELECT id FROM event WHERE name = 'Synthetic event 0'")).scalar_one()
        times = [timed(lambda: build_report(session, event, None, None, Policy.majority, []))[0] for _ in range(20)]
    return 1000 * statistics.median(times)


# --- HTTP -------------------------------------------------------------------------------------------
def measure_export(base: str, pid: int) -> dict[str, float]:
    """Every figure as CSV through the server: its speed, the server's resident memory before, and
    its peak during the export alone (the high-water mark is reset first, where the kernel lets us:
    otherwise it would be the peak of the server's whole life, the load workloads included)."""
    rows = 0
    before = _status_mb(pid, "VmRSS")
    reset = _reset_peak(pid)
    with httpx.Client(base_url=base, timeout=600) as api:
        start = time.perf_counter()
        with api.stream("GET", "/figures", params={"format": "csv"}) as response:
            for line in response.iter_lines():
                rows += bool(line)
        took = time.perf_counter() - start
    return {
        "rows": rows - 1,
        "seconds": took,
        "rows_per_s": (rows - 1) / took,
        "rss_before_mb": before,
        "peak_rss_mb": _status_mb(pid, "VmHWM"),
        "peak_is_the_exports": float(reset),
    }


def _status_mb(pid: int, field: str) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


def _reset_peak(pid: int) -> bool:
    """Reset the process's peak resident memory (Linux: 5 to clear_refs); False where not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def load(url: str, seconds: float, post: str | None = None, token: str | None = None) -> dict[str, float]:
    """32 connections for ``seconds``: wrk when it is installed (it costs the server least CPU),
    else the async httpx driver in ``bench.load``."""
    if shutil.which("wrk") and not (post or "").startswith("["):  # wrk sends one body
        return wrk(url, seconds, post, token)
    command = [sys.executable, "-m", "bench.load", url, "--connections", "32", "--seconds", str(seconds)]
    if post is not None:
        command += ["--post", post]
    if token is not None:
        command += ["--token", token]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds * 10 + 60)
    measured: dict[str, float] = json.loads(done.stdout)
    return measured


def wrk(url: str, seconds: float, post: str | None, token: str | None) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        if token is not None:
            script.write(f'wrk.headers["Authorization"] = "Bearer {token}"\n')
        if post is not None:
            body = json.dumps(post)
            script.write(f'wrk.method = "POST"\nwrk.body = {body}\nwrk.headers["Content-Type"] = "application/json"\n')
    try:
        command = ["wrk", "-t2", "-c32", f"-d{max(1, round(seconds))}s", "--latency", "-s", script.name, url]
        out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds * 10 + 60).stdout
    finally:
        os.unlink(script.name)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": _wrk_ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)),  # type: ignore[union-attr]
        "p99_ms": _wrk_ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1)),  # type: ignore[union-attr]
        "errors": float(sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))),
        "driver": "wrk",  # type: ignore[dict-item]
    }


def _wrk_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def measure_http(base: str, token: str, seconds: float) -> dict[str, Any]:
    with httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}) as api:
        return _measure_http(api, base, seconds, token)


def _measure_http(api: httpx.Client, base: str, seconds: float, token: str) -> dict[str, Any]:
    cold, _ = timed(lambda: api.get("/discrepancies"))
    warm = statistics.median(timed(lambda: api.get("/discrepancies"))[0] for _ in range(30))
    event = _synthetic_event(api)
    claimants = len({f["claimant"]["id"] for f in api.get(f"/events/{event}/figures").json()["items"]})
    figure = api.get("/figures", params={"limit": 1}).json()["items"][0]["id"]
    claimant = api.get("/sources", params={"limit": 1}).json()["items"][0]["id"]
    body = json.dumps(_claim(claimant, event))
    spread = json.dumps([_claim(claimant, e) for e in _synthetic_events(api)])  # a group per request
    constant_before = load(f"{base}/healthz", seconds)
    measured = {
        "event_discrepancies": load(f"{base}/events/{event}/discrepancies", seconds),
        "figure": load(f"{base}/figures/{figure}", seconds),
        "bare_insert": load(f"{base}/bench/bare", seconds, post="{}", token=token),
        "create_claim": load(f"{base}/claims", seconds, post=body, token=token),
        "create_claim_spread": load(f"{base}/claims", seconds, post=spread, token=token),
    }
    constant_after = load(f"{base}/healthz", seconds)
    constant = (constant_before["rps"] + constant_after["rps"]) / 2
    for name in ("create_claim", "create_claim_spread"):
        measured[name]["ratio_to_bare"] = measured[name]["rps"] / measured["bare_insert"]["rps"]
    return {
        "global_cold_ms": 1000 * cold,
        "global_warm_ms": 1000 * warm,
        "constant": constant_before,
        "constant_after": constant_after,
        "constant_rps": constant,
        **{name: {**m, "ratio": m["rps"] / constant} for name, m in measured.items()},
        "event_claimants": claimants,  # counted before the POST workload adds one
    }


def measure_big_event(base: str, figures: int, repeat: int = 10) -> dict[str, Any]:
    """The report (JSON), page (HTML) and chart (SVG) of the big event (22k figures): size, the
    first request (the report built, or the view rendered from the cached report) and the median
    of warm ones."""
    out: dict[str, Any] = {"figures": figures}
    with httpx.Client(base_url=base, timeout=120) as api:
        event = int(api.get("/events", params={"q": BIG_EVENT}).json()["items"][0]["id"])
        for name, path in (
            ("report", f"/events/{event}/discrepancies"),
            ("page", f"/events/{event}/report"),
            ("chart", f"/events/{event}/chart.svg"),
        ):
            first, response = timed(lambda path=path: api.get(path))
            response.raise_for_status()
            warm = statistics.median(timed(lambda path=path: api.get(path))[0] for _ in range(repeat))
            out[name] = {"bytes": len(response.content), "first_ms": 1000 * first, "warm_ms": 1000 * warm}
    return out


def _claim(claimant: int, event: int) -> dict[str, Any]:
    """A claim of three figures about one event's injured."""
    figures = [{"event_id": event, "metric": "injured", "text": words} for words in ("about 40", "more than 12", "5")]
    return {"claimant_id": claimant, "figures": figures}


def _synthetic_events(api: httpx.Client, limit: int = 200) -> list[int]:
    """Ids of the synthetic events (each its own group): writes spread over them."""
    found = api.get("/events", params={"q": "Synthetic event", "limit": limit}).json()["items"]
    return [int(e["id"]) for e in found]


def _synthetic_event(api: httpx.Client) -> int:
    found = api.get("/events", params={"q": "Synthetic event 0"}).json()["items"]
    return int(found[0]["id"])


# --- the table --------------------------------------------------------------------------------------
def _export_memory(export: dict[str, float]) -> str:
    if not export.get("peak_is_the_exports"):
        return f"peak {export['peak_rss_mb']:.0f} MB (over the server's life)"
    return f"{export['rss_before_mb']:.0f} MB before, peak {export['peak_rss_mb']:.0f} MB during the export"


def big_event_lines(big: dict[str, Any] | None) -> list[str]:
    if big is None:
        return []
    lines = []
    for name, label in (("report", "report (JSON)"), ("page", "page (HTML)"), ("chart", "chart (SVG)")):
        m = big[name]
        first = "report built" if name == "report" else "rendered, report cached"
        lines.append(
            f"| big event ({big['figures']:,} figures), {label} | {m['bytes'] / 1e6:.2f} MB; first ({first}) "
            f"{m['first_ms']:.0f} ms, warm {m['warm_ms']:.1f} ms | — | — | < 1 MB; < 200 ms warm |"
        )
    return lines


def table(r: dict[str, Any]) -> str:
    imp, base, gq, http = r["import"], r["baseline_import"], r["global_query"], r["http"]
    lines = [
        f"Countercheck benchmark, {r['engine']}, {r['rows']:,} rows of the real file "
        f"({r['rows_refused']} refused as invalid), {r['date'][:10]}",
        "",
        "| workload | measured | baseline in the same run | ratio | target |",
        "|---|---|---|---|---|",
        f"| bulk import (figures, claims, sources, events, summaries) | {imp['rows_per_s']:,.0f} rows/s "
        f"| raw sqlite3 executemany, indexed: {base['rows_per_s']:,.0f} rows/s "
        f"| {imp['rows_per_s'] / base['rows_per_s']:.2f}x | >= 0.3x |",
        f"| floor: the same rows by raw executemany into the service's own figure table | "
        f"{r['import_floor']['rows_per_s']:,.0f} rows/s | the same | "
        f"{r['import_floor']['rows_per_s'] / base['rows_per_s']:.2f}x | report |",
        f"| `countercheck import` of the same rows as a CSV file, own process (start-up included) | "
        f"{r['cli_import']['rows_per_s']:,.0f} rows/s, peak RSS {r['cli_import']['peak_rss_mb']:.0f} MB | the same | "
        f"{r['cli_import']['rows_per_s'] / base['rows_per_s']:.2f}x | RSS < 400 MB |",
    ]
    for name, label, target in (
        (
            "event_discrepancies",
            f"GET /events/{{id}}/discrepancies ({http['event_claimants']} claimants, cached)",
            ">= 0.5x (0.6x on PostgreSQL)",
        ),
        ("figure", "GET /figures/{id}", ">= 0.6x"),
        ("bare_insert", "POST /bench/bare (one row, benchmark app only)", "report"),
    ):
        m = http[name]
        lines.append(
            f"| {label}, 32 connections | {m['rps']:,.0f} req/s, p50 {m['p50_ms']:.1f} ms, p99 {m['p99_ms']:.1f} ms "
            f"| constant JSON route: {http['constant_rps']:,.0f} req/s | {m['ratio']:.2f}x | {target} |"
        )
    bare = http["bare_insert"]
    for name, label, target in (
        ("create_claim", "all to one group", ">= 0.25x; p99 <= 10x p50; no 5xx"),
        ("create_claim_spread", "each to another group", "report"),
    ):
        if name not in http:  # results written before the spread workload existed
            continue
        claim = http[name]
        lines.append(
            f"| POST /claims with 3 figures, {label}, 32 connections | {claim['rps']:,.0f} req/s, "
            f"p50 {claim['p50_ms']:.1f} ms, p99 {claim['p99_ms']:.1f} ms "
            f"(p99/p50 {claim['p99_ms'] / claim['p50_ms']:.1f}), {claim['errors']:.0f} errors "
            f"| bare insert: {bare['rps']:,.0f} req/s | {claim['ratio_to_bare']:.2f}x | {target} |"
        )
    lines += [
        f"| GET /discrepancies first page, in process | {gq['ms']:.2f} ms | GROUP BY scan: {gq['group_by_ms']:,.0f} ms "
        f"| {gq['ratio']:.4f}x | <= 0.05x |",
        f"| event report on a cache miss (engine and rendering), in process | {gq['report_compute_ms']:.2f} ms "
        "| — | — | report |",
        f"| GET /discrepancies over HTTP, cold / warm | {http['global_cold_ms']:.1f} / {http['global_warm_ms']:.1f} ms "
        "| — | — | report |",
        "| scale curve: global query | "
        + ", ".join(f"{p['figures']:,}: {p['global_query_ms']:.2f} ms" for p in imp["scale_curve"])
        + " | — | — | no faster than linear |",
        f"| export of every figure as CSV over HTTP | {r['export']['rows_per_s']:,.0f} rows/s, server RSS "
        f"{_export_memory(r['export'])} | `countercheck export` of the same rows: "
        f"{r['cli_export']['rows_per_s']:,.0f} rows/s "
        f"| {r['export']['rows_per_s'] / r['cli_export']['rows_per_s']:.2f}x | >= 0.5x; RSS < 300 MB |",
        *big_event_lines(r.get("big_event")),
        f"| wording reader | {r['wording']['read_per_s']:,.0f} phrases/s | one regex per phrase: "
        f"{r['wording']['baseline_per_s']:,.0f}/s | {r['wording']['ratio_to_baseline']:.3f}x | > 20,000 phrases/s |",
    ]
    targets = {"long_text": "report", "batch": ">= 50,000 words/s (issue 14)"}
    for name, label in (("long_text", "a 5,000-word text"), ("batch", "a batch of articles")):
        m = r["extraction"][name]
        lines.append(
            f"| extraction, {label} | {m['words_per_s']:,.0f} words/s | `re.findall(r'\\w+')`: "
            f"{m['baseline_words_per_s']:,.0f} words/s | {m['ratio_to_baseline']:.3f}x | {targets[name]} |"
        )
    if "soak" in r:
        k = r["soak"]
        lines.append(
            f"| soak: {k['writers']} writers + {k['readers']} readers, {k['seconds']:.0f} s ({k['engine']}) "
            f"| {k['writes_acknowledged']:,} writes acknowledged, {k['writes_missing']} missing; {k['reads']:,} reads; "
            f"{k['errors_5xx']} 5xx; {k['groups_drifted']} groups drifted; write p50 {k['write_p50_ms']:.0f} ms, "
            f"p99 {k['write_p99_ms']:.0f} ms | — | — | nothing missing, no 5xx, no drift |"
        )
    if "bias_fit" in r:
        lines.append(bias_line(r["bias_fit"]))
    return "\n".join(lines)


def bias_line(bias: dict[str, Any]) -> str:
    return (
        f"| reporting-bias fit over everything loaded (biases from the groups with 2+ claimants) "
        f"| {bias['groups']:,} groups with 2+ claimants ({bias['statements']:,} statements, {bias['claimants']:,} "
        f"claimants, {bias['biases']:,} biases) of {bias['all_groups']:,} groups ({bias['all_statements']:,} "
        f"statements): read {bias['read_s']:.1f} s, fit {bias['fit_s']:.1f} s ({bias['em_rounds']} EM rounds), "
        f"peak RSS {bias['peak_mb']:.0f} MB | — | — | minutes; RSS < 400 MB |"
    )


def bias_table(r: dict[str, Any]) -> str:
    imp = r["import"]
    return "\n".join(
        [
            f"Countercheck benchmark (import and bias fit only), {r['engine']}, {r['rows']:,} rows of the real file "
            f"({r['rows_refused']} refused as invalid), {r['date'][:10]}",
            "",
            "| workload | measured | baseline in the same run | ratio | target |",
            "|---|---|---|---|---|",
            f"| bulk import (figures, claims, sources, events, summaries) | {imp['rows_per_s']:,.0f} rows/s "
            f"({imp['seconds']:.0f} s) | — | — | report |",
            bias_line(r["bias_fit"]),
        ]
    )


if __name__ == "__main__":
    main()
