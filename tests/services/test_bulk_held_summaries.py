"""Summaries of the groups that had no figures before a bulk import are computed from the rows it
holds, not read back: they must be those a full recompute gives (``countercheck summaries --check``
finds no drift, and rebuilding every summary from the figures changes no row), beside groups that
had figures, which are read back."""

import math
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlmodel
from sqlalchemy import Engine, text
from sqlmodel import Session

from app.domain.discrepancy import FigureFact, Period
from app.domain.intervals import Interval
from app.domain.vocab import Modality
from app.models.entities import Source
from app.models.summaries import GroupSummary, GroupVoice
from app.services import bulk, summaries
from app.services.bulk import import_long
from app.services.bulk_facts import HeldFacts


def stored(engine: Engine) -> tuple[list[str], list[str]]:
    """Every summary and voice row as stored (without the time of the write), in a stable order."""
    with Session(engine) as session:
        found = [repr(r.model_dump(exclude={"updated_at"})) for r in session.exec(sqlmodel.select(GroupSummary))]
        voices = [repr(r.model_dump()) for r in session.exec(sqlmodel.select(GroupVoice))]
    return sorted(found), sorted(voices)


def row(
    source: str, subject: str, metric: str, low: str, high: str = "", hedge: str = "", date: str = "2024-03-01"
) -> dict[str, str]:
    return {
        "source": source,
        "subject": subject,
        "metric": metric,
        "value_low": low,
        "value_high": high,
        "hedge": hedge,
        "date": date,
    }


def test_summaries_of_new_and_existing_groups_are_those_a_full_recompute_gives(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(engine) as session:
        session.add(Source(name="Ministry", kind="government"))  # type: ignore[arg-type]
        session.commit()
    import_long(
        engine,
        [
            row("Ministry", "Old town", "killed", "100", date="2024-01-05"),
            row("Monitor", "Old town", "killed", "40", "60", date="2024-01-06"),
            row("Monitor", "Old event", "injured", "7"),
        ],
    )
    read_back: list[summaries.Group] = []
    stream = summaries.stream_facts

    def spied(session: Session, groups: Any, events: int = 500) -> Any:
        wanted = list(groups)
        read_back.extend(wanted)
        return stream(session, wanted, events)

    monkeypatch.setattr(summaries, "stream_facts", spied)
    monkeypatch.setattr(bulk, "BATCH", 3)  # groups met again in later batches
    second = [
        row("Press", "Old town", "killed", "300", hedge="more than", date="2024-01-07"),  # an existing group
        row("Press", "Old event", "injured", "9"),  # an existing group of an existing event ...
        row("Monitor", "New town", "killed", "31", hedge="about", date="2024-02-02"),
        row("Monitor", "Old event", "killed", "5"),  # ... and a metric new to it, in a later batch
        row("Ministry", "New town", "killed", "12", date="2024-02-01T10:00:00+02:00"),
        row("Monitor", "New town", "killed", "30", hedge="about"),
        row("Press", "New town", "killed", "29", "33"),
        row("Press", "New town", "injured", "0", hedge="at least"),
        {**row("Monitor", "New town", "injured", "4", date="2024-03-02"), "period": "cumulative"},
        row("Monitor", "New village", "killed", "3", date=""),
        row("Press", "New village", "killed", "", "8", hedge="up to"),
    ]
    import_long(engine, second)
    with Session(engine) as session:
        events = {str(n): int(i) for n, i in session.execute(text("SELECT name, id FROM event"))}
    assert set(read_back) == {(events["Old town"], "killed"), (events["Old event"], "injured")}  # no others
    after_import = stored(engine)
    assert len(after_import[0]) == 6
    with Session(engine) as session:
        assert summaries.drift(session) == []
        summaries.rebuild_all(session)
        session.commit()
    assert stored(engine) == after_import


def test_a_held_figure_is_the_fact_a_read_back_makes() -> None:
    """The held rows build their facts positionally (a million times over): each field lands where
    a read back puts it, the words and the period included, which the summaries above do not show."""
    when = datetime(2024, 3, 1, tzinfo=UTC)
    shapes = [("about 25", Period.cumulative, when)]
    row = (7, 3, 5, 20.0, math.nan, 0)
    fact = HeldFacts._fact(row, shapes, {5: ("Ministry", "government")}, Modality.reported)
    assert fact == FigureFact(
        figure_id=7,
        claimant_id=5,
        claimant="Ministry",
        interval=Interval(20.0, None),
        scope_id=None,
        stated_at=when,
        modality=Modality.reported,
        claim_id=3,
        claimant_kind="government",
        text="about 25",
        period=Period.cumulative,
    )
