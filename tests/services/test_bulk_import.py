"""The bulk importer beyond its HTTP and CLI faces: the summaries of more groups than one read or
one write block holds, and the cycle collector put back as the import found it."""

import gc
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from app.models.summaries import GroupSummary
from app.services import summaries
from app.services.bulk import ImportRefused, import_long

EVENTS = 1_200  # more than one read of 500 events and one write block of 1,000 reports


def rows(events: int) -> Iterator[dict[str, str]]:
    """Two voices per event, 10 and 40 apart: every group disputed, the last one too."""
    for i in range(events):
        for source, value in (("monitor", 10 + i), ("ministry", 40 + i)):
            yield {
                "source": source,
                "subject": f"incident {i}",
                "metric": "killed",
                "value_low": str(value),
                "value_high": str(value),
                "hedge": "",
                "date": "2024-01-01",
            }


def test_every_group_of_a_large_import_is_summarised_from_its_figures(engine: Engine) -> None:
    """The refresh streams the figures 500 events per read and writes the summaries in blocks while
    it reads (a server-side cursor on PostgreSQL): no group may be lost at a seam."""
    import_long(engine, list(rows(EVENTS)))
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(GroupSummary)).scalar_one() == EVENTS
        last = session.execute(select(GroupSummary).order_by(col(GroupSummary.event_id).desc())).scalars().first()
        assert last is not None and last.figure_count == 2 and last.claimant_count == 2
        assert last.envelope_low == 10 + EVENTS - 1 and last.envelope_high == 40 + EVENTS - 1
        assert summaries.drift(session) == []


@pytest.mark.parametrize("enabled", [True, False])
def test_an_import_leaves_the_cycle_collector_as_it_found_it(engine: Engine, enabled: bool) -> None:
    """Paused while an import runs (for speed), put back afterwards, even when the import is refused."""
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        import_long(engine, list(rows(3)))
        assert gc.isenabled() is enabled
        with pytest.raises(ImportRefused):
            import_long(engine, [{"source": "x", "subject": "y", "metric": "killed", "value_low": "many"}])
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
