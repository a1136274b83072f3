"""The ``countercheck`` command: serve, migrate, demo."""

from pathlib import Path

import typer

app = typer.Typer(help="Countercheck: who said which number about what.", no_args_is_help=True)


keys_app = typer.Typer(help="API keys: create (the first admin key too), list, revoke.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def create_key(
    name: str = typer.Option(..., help="A name for the key; history records it as who changed what."),
    role: str = typer.Option("write", help="read, write or admin."),
    if_none: bool = typer.Option(False, "--if-none", help="Only when the database has no key yet (bootstrap)."),
) -> None:
    """Create a key and print its token once (it is stored hashed)."""
    from app.db import session_scope
    from app.models.keys import Role
    from app.services import keys

    with session_scope() as session:
        if if_none and keys.any_keys(session):
            typer.echo("keys exist already: none created")
            return
        key, token = keys.create(session, name, Role(role))
    typer.echo(f"created {key.role} key {key.name!r}; its token, shown only now:\n{token}")


@keys_app.command("list")
def list_keys() -> None:
    """Every key: name, role, prefix, and when it was revoked."""
    from app.db import session_scope
    from app.services import keys

    with session_scope() as session:
        for key in keys.listed(session):
            state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "active"
            typer.echo(f"{key.id}\t{key.name}\t{key.role}\t{key.prefix}...\t{state}")


@keys_app.command("revoke")
def revoke_key(ident: int = typer.Argument(..., help="The key's id (see `keys list`).")) -> None:
    """Revoke a key at once."""
    from app.db import session_scope
    from app.services import keys

    with session_scope() as session:
        key = keys.revoke(session, ident)
    typer.echo(f"revoked {key.name!r}")


@app.command()
def migrate() -> None:
    """Apply every pending Alembic migration to DATABASE_URL (creates a SQLite file if needed)."""
    from app.db import get_engine
    from app.migrate import upgrade

    upgrade(get_engine())
    typer.echo("database is at the latest migration")


@app.command()
def demo() -> None:
    """Load the seed article (the 2018 Deir ez-Zor strike) as demo data; loading twice adds nothing."""
    from app.demo import load_demo

    result = load_demo()
    state = "loaded" if result["created"] else "already present"
    typer.echo(f"demo {state}: document {result['document_id']}, event {result['event_id']}")


@app.command()
def rederive(tolerance: float = typer.Option(..., min=0.0, max=0.999, help="The new t of 'around n'.")) -> None:
    """Re-read every stored figure whose words depend on the tolerance, in one transaction."""
    from app.db import session_scope
    from app.services.figures import rederive_all

    with session_scope() as session:
        examined, changed = rederive_all(session, tolerance)
    typer.echo(f"tolerance {tolerance}: {examined} figures re-read, {changed} intervals changed")


@app.command()
def summaries(
    check: bool = typer.Option(True, "--check/--rebuild", help="Report drift, or rewrite every summary."),
) -> None:
    """Recompute every group summary from the figures: report any drift (expected: none) or rebuild."""
    from app.db import session_scope
    from app.services import summaries as service

    with session_scope() as session:
        if not check:
            typer.echo(f"rebuilt the summaries of {service.rebuild_all(session)} groups")
            return
        found = service.drift(session)
    for row in found[:50]:
        typer.echo(
            f"drift: event {row['event_id']} {row['metric']} scope {row['scope_id']}: {', '.join(row['fields'])}"
        )
    typer.echo(f"{len(found)} groups drifted")
    raise typer.Exit(1 if found else 0)


@app.command()
def fit() -> None:
    """Fit the reporting-bias model to every stored figure now and store the result (reads serve the
    latest stored fit; the service also refits in the background, see COUNTERCHECK_BIAS_FIT_DEBOUNCE_SECONDS)."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from app.db import get_engine
    from app.services.bias import run_fit

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("bias fit", total=None)
        info = run_fit(get_engine(), progress=lambda stage: bar.update(task, description=stage))
    typer.echo(
        f"bias fit {info.status.value if info.status else 'not run'}: {info.statements} statements "
        f"({info.dropped} dropped) in {info.duration_seconds or 0:.2f} s; {info.message}"
    )
    if info.error:
        typer.echo(info.error, err=True)
        raise typer.Exit(1)


@app.command(name="import")
def import_figures(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV file, optionally .gz."),
    source: str = typer.Option("source", help="Column naming who published the figure."),
    subject: str = typer.Option("subject", help="Column naming the event the figure is about."),
    metric: str = typer.Option("metric", help="Column naming the metric."),
    low: str = typer.Option("value_low", help="Column of the low end."),
    high: str = typer.Option("value_high", help="Column of the high end (alone: an upper end, 'up to')."),
    hedge: str = typer.Option("hedge", help="Column of the words around the number ('about', 'more than')."),
    date: str = typer.Option("date", help="Column of the date the figure was stated."),
    unit_column: str = typer.Option("unit", help="Column of each figure's unit (optional)."),
    period: str = typer.Option("period", help="Column of each figure's period (optional)."),
    unit: str = typer.Option("people", help="Unit of the figures whose row gives none."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Store the valid rows and list the refused ones (default: all or nothing)."
    ),
    actor: str = typer.Option("cli", help="Who runs the import, as its record and history say."),
) -> None:
    """Import figures in the long CSV format, with a progress bar: the same rows, words, dates and
    limits as POST /figures/import (see the README). Sources, events and metrics are created as
    needed. By default every bad row is listed and nothing is stored (exit status 1); with
    --skip-invalid the valid rows are stored and the refused ones listed (exit status 0), all of
    them at GET /imports/ID/rejects.csv. The file is read strictly (UTF-8, lines ending with LF or
    CRLF, no NUL, no field over 131,072 characters): a malformed line is reported with its number,
    exit status 1, nothing stored. The import is recorded (GET /imports/ID) and can be undone
    (DELETE /imports/ID)."""
    import gzip
    import hashlib

    from rich.progress import Progress

    from app.db import get_engine
    from app.models.imports import OnError
    from app.services.bulk import ImportRefused, LongFormat, import_long, read_csv
    from app.services.import_records import Origin

    fmt = LongFormat(source, subject, metric, low, high, hedge, date, unit_column, period)
    digest = hashlib.sha256()
    with path.open("rb") as raw:
        while block := raw.read(1 << 20):
            digest.update(block)
    origin = Origin(actor, str(path), digest.hexdigest())
    on_error = OnError.skip if skip_invalid else OnError.fail
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f, Progress(transient=True) as bar:
        task = bar.add_task("importing", total=None)
        try:
            report = import_long(
                get_engine(),
                read_csv(f),
                fmt,
                unit=unit,
                on_error=on_error,
                origin=origin,
                progress=lambda n: bar.advance(task, n),
            )
        except ImportRefused as refused:
            for error in refused.report.errors[:50]:
                where = ", ".join(p for p in (f"line {error.line}", error.field) if p)
                typer.echo(f"{where}: {error.reason}", err=True)
            typer.echo(f"{refused.report.error_count} bad rows; nothing was imported", err=True)
            raise typer.Exit(1) from refused
    for reject in report.rejects[:50]:
        where = ", ".join(p for p in (f"line {reject.line}", reject.field) if p)
        typer.echo(f"refused {where}: {reject.reason}", err=True)
    made = report.created
    typer.echo(
        f"import {report.id}: {made.figures} figures in {made.claims} claims; created {made.sources} sources, "
        f"{made.events} events, {made.metrics} metrics; {report.groups} groups summarised"
    )
    if report.unread:
        typer.echo(f"{report.unread} figures kept words the reader could not read (interval as given)")
    if report.rejected:
        typer.echo(f"{report.rejected} rows refused: GET /imports/{report.id}/rejects.csv lists them all")


@app.command()
def export(
    target: Path = typer.Argument(..., dir_okay=False, help="File to write; '-' for standard output."),
    format: str = typer.Option("csv", help="csv or ndjson."),
    hxl: bool = typer.Option(False, help="With csv: a row of HXL hashtags under the header."),
) -> None:
    """Every figure, with its claimant, stated date and modality, streamed to a file."""
    import sys

    from app.api.export import chunked, csv_lines, ndjson_lines
    from app.db import get_engine
    from app.models.filters import FigureFilters
    from app.services.figures import EXPORT_COLUMNS, export_chunk

    engine, filters = get_engine(), FigureFilters()
    rows = chunked(lambda after, limit: export_chunk(engine, filters, after, limit))
    body = csv_lines(rows, EXPORT_COLUMNS, hxl) if format == "csv" else ndjson_lines(rows)
    out = sys.stdout.buffer if str(target) == "-" else target.open("wb")
    try:
        for chunk in body:
            out.write(chunk)
    finally:
        if out is not sys.stdout.buffer:
            out.close()


@app.command()
def backup(target: Path = typer.Argument(..., dir_okay=False, help="File to write the copy to.")) -> None:
    """Copy the SQLite database to TARGET while the service runs (SQLite's online backup API).
    Restore by stopping the service and putting the copy in place of the database file."""
    from app.db import get_engine
    from app.services.backup import BackupUnsupported, backup_sqlite

    try:
        size = backup_sqlite(get_engine(), target)
    except BackupUnsupported as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"backed up {size:,} bytes to {target}")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="uvicorn worker processes."),
    demo_data: bool = typer.Option(True, "--demo/--no-demo", help="Load the demo article first."),
) -> None:
    """Migrate, optionally load the demo, and serve the API with uvicorn."""
    import uvicorn

    migrate()
    if demo_data:
        demo()
    create_key(name="admin", role="admin", if_none=True)
    uvicorn.run("app.main:app", host=host, port=port, workers=workers)


def main() -> None:
    app()
