"""The ``countercheck`` command: serve, migrate, demo."""

import typer

app = typer.Typer(help="Countercheck: who said which number about what.", no_args_is_help=True)


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
    uvicorn.run("app.main:app", host=host, port=port, workers=workers)


def main() -> None:
    app()
