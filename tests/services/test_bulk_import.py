"""The bulk importer beyond its HTTP and CLI faces: the summaries of more groups than one read or
one write block holds, and the cycle collector put back as the import found it."""

import gc
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from app.models.entities import Event, Source
from app.models.summaries import GroupSummary
from app.services import summaries
from app.services.bulk import ImportRefused, _explicit, _figure, import_long
from app.services.search import search

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


def test_the_names_an_import_creates_are_stored_as_written_and_searchable(engine: Engine) -> None:
    """Sources and events are written a batch per statement (their search index's trigger flushes
    at every statement): names with accents, quotes and a backslash come back as written, and
    search finds the new event and source."""
    names = ["Préfecture d’Ishikawa", 'The "Daily" Star', "Back\\slash Monitor"]
    imported = [
        {"source": name, "subject": f"Séisme {i} à Wajima", "metric": "killed", "value_low": "5",
         "value_high": "5", "hedge": "", "date": "2024-01-02"}
        for i, name in enumerate(names)
    ]  # fmt: skip
    import_long(engine, imported)
    with Session(engine) as session:
        stored = set(session.execute(select(Source.name)).scalars())
        assert set(names) <= stored
        assert {f"Séisme {i} à Wajima" for i in range(3)} <= set(session.execute(select(Event.name)).scalars())
        hits, total = search(session, "Ishikawa", 10, 0)
        assert total >= 1 and any(h.title == "Préfecture d’Ishikawa" for h in hits)
        hits, _ = search(session, "Wajima", 10, 0)
        assert {h.title for h in hits} == {f"Séisme {i} à Wajima" for i in range(3)}


@given(value=st.integers(min_value=0, max_value=10**15), integer=st.booleans())
def test_a_whole_count_given_twice_reads_as_the_general_path_reads_it(value: int, integer: bool) -> None:
    """The importer's shortcut for its most common row ("12", "12", no words) gives the figure the
    general path gives, and refuses what it refuses (above the largest value)."""
    raw = str(value)
    shortcut = _figure.__wrapped__(raw, raw, "", integer, 0.2, "value_low", "value_high")
    general = _explicit(float(raw), float(raw), integer)
    assert shortcut == general
