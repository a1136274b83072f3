"""The countercheck command: migrate, demo, summaries, rederive."""

from sqlalchemy import Engine, text
from typer.testing import CliRunner

from app.cli import app

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
