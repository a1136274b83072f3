"""Group summaries follow writes that nobody told about them: plain ORM changes in a
``session_scope`` and bulk statements through ``session.execute``, on the engine DATABASE_URL
selects. After each write the stored summaries equal a recomputation (``drift`` is empty)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pytest
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlmodel import Session, col

from app.db import session_scope
from app.domain.intervals import Bound
from app.domain.vocab import Modality
from app.models.entities import Claim, ClaimRelay, Event, Figure, Scope, Source
from app.models.summaries import GroupSummary
from app.services.summaries import TOUCHED, drift


@dataclass(frozen=True)
class World:
    """Three sources (two speak), one event, a scope under another; figures in three groups."""

    sources: tuple[int, int, int]
    event: int
    whole: int
    part: int
    claims: tuple[int, int]
    figures: tuple[int, int, int, int, int]


def _figure(claim: int, event: int, metric: str, scope: int | None, value: float) -> Figure:
    return Figure(
        claim_id=claim, event_id=event, metric=metric, scope_id=scope, bound=Bound.exact, low=value, high=value
    )


@pytest.fixture
def world(engine: Engine) -> World:
    """Written through the ORM alone: the summaries come from the listeners, not from a service."""
    with session_scope(engine) as session:
        sources = [Source(name=n) for n in ("A", "B", "C")]
        event = Event(name="E")
        whole = Scope(name="whole")
        session.add_all([*sources, event, whole])
        session.flush()
        part = Scope(name="part", parent_id=whole.id)
        claims = [Claim(claimant_id=s.id or 0, modality=Modality.asserted) for s in sources[:2]]
        session.add_all([part, *claims])
        session.flush()
        assert event.id is not None and part.id is not None
        figures = [
            _figure(claims[0].id or 0, event.id, "killed", whole.id, 10),
            _figure(claims[1].id or 0, event.id, "killed", part.id, 100),
            _figure(claims[0].id or 0, event.id, "injured", None, 5),
            _figure(claims[1].id or 0, event.id, "injured", None, 50),
            _figure(claims[0].id or 0, event.id, "displaced", None, 7),  # B says nothing here
        ]
        session.add_all(figures)
        session.flush()
        return World(
            (sources[0].id or 0, sources[1].id or 0, sources[2].id or 0),
            event.id,
            whole.id or 0,
            part.id,
            (claims[0].id or 0, claims[1].id or 0),
            tuple(f.id or 0 for f in figures),  # type: ignore[arg-type]
        )


def _groups(engine: Engine) -> dict[tuple[int, str, int], datetime]:
    with Session(engine) as session:
        rows = session.execute(
            select(GroupSummary.event_id, GroupSummary.metric, GroupSummary.scope_key, GroupSummary.updated_at)
        )
        return {(e, m, k): t for e, m, k, t in rows}


def _no_drift(engine: Engine) -> None:
    with Session(engine) as session:
        assert drift(session) == []


def test_figures_added_through_the_orm_are_summarised(engine: Engine, world: World) -> None:
    assert {(m, k) for _, m, k in _groups(engine)} == {
        ("killed", world.whole),
        ("killed", world.part),
        ("injured", 0),
        ("displaced", 0),
    }
    _no_drift(engine)


def _move_metric(s: Session, w: World) -> None:
    row = s.get(Figure, w.figures[0])
    assert row is not None
    row.metric = "injured"  # leaves killed, enters injured


def _move_metric_unread(s: Session, w: World) -> None:
    row = s.get(Figure, w.figures[2])
    assert row is not None
    s.expire(row, ["metric", "event_id"])
    row.metric = "missing"  # the old value was never loaded: the stored row says where it leaves


def _move_event_in_bulk(s: Session, w: World) -> None:
    other = Event(name="F")
    s.add(other)
    s.flush()
    s.execute(update(Figure).where(col(Figure.id) == w.figures[1]).values(event_id=other.id))


def _move_metric_by_where(s: Session, w: World) -> None:
    s.execute(update(Figure).where(col(Figure.metric) == "killed").values(metric="missing"))


def _delete_one(s: Session, w: World) -> None:
    row = s.get(Figure, w.figures[1])
    s.delete(row)


def _delete_in_bulk(s: Session, w: World) -> None:
    s.execute(delete(Figure).where(col(Figure.id).in_(w.figures[:2])))


def _claimant(s: Session, w: World) -> None:
    row = s.get(Claim, w.claims[1])
    assert row is not None
    row.claimant_id = w.sources[0]  # one claimant left: no disagreement


def _modality_in_bulk(s: Session, w: World) -> None:
    s.execute(update(Claim).where(col(Claim.id) == w.claims[0]).values(modality=Modality.denied))


def _date(s: Session, w: World) -> None:
    row = s.get(Claim, w.claims[0])
    assert row is not None
    row.stated_at = datetime(2020, 1, 2)  # naive: read as UTC


def _scope_moved(s: Session, w: World) -> None:
    row = s.get(Scope, w.part)
    assert row is not None
    row.parent_id = None  # part is no longer inside whole: the comparison changes


def _scope_moved_in_bulk(s: Session, w: World) -> None:
    s.execute(update(Scope).where(col(Scope.id) == w.part).values(parent_id=None))


def _figure_added_in_bulk(s: Session, w: World) -> None:
    values = {"claim_id": w.claims[0], "event_id": w.event, "metric": "arrested", "bound": "exact", "low": 3}
    s.execute(insert(Figure), [values])


WRITES: dict[str, Callable[[Session, World], None]] = {
    "metric changed": _move_metric,
    "metric changed, old value unloaded": _move_metric_unread,
    "event changed in bulk": _move_event_in_bulk,
    "metric changed in bulk by a where on it": _move_metric_by_where,
    "figure deleted": _delete_one,
    "figures deleted in bulk": _delete_in_bulk,
    "claimant changed": _claimant,
    "modality changed in bulk": _modality_in_bulk,
    "date changed": _date,
    "scope moved": _scope_moved,
    "scope moved in bulk": _scope_moved_in_bulk,
    "figure inserted in bulk": _figure_added_in_bulk,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_write_nobody_told_about_summaries_leaves_no_drift(
    engine: Engine, world: World, write: Callable[[Session, World], None]
) -> None:
    before = _groups(engine)
    with session_scope(engine) as session:
        write(session, world)
    _no_drift(engine)
    assert _groups(engine) != before  # the write did change a summary


def _rename(s: Session, w: World) -> None:
    row = s.get(Source, w.sources[1])
    assert row is not None
    row.name = "B renamed"


def _rename_in_bulk(s: Session, w: World) -> None:
    s.execute(update(Source).where(col(Source.id) == w.sources[1]).values(kind="person"))


def _relay(s: Session, w: World) -> None:
    s.add(ClaimRelay(claim_id=w.claims[1], position=0, source_id=w.sources[2]))


def _relay_in_bulk(s: Session, w: World) -> None:
    s.execute(insert(ClaimRelay).values(claim_id=w.claims[1], position=0, source_id=w.sources[2]))


def _relayer_renamed(s: Session, w: World) -> None:
    s.add(ClaimRelay(claim_id=w.claims[1], position=0, source_id=w.sources[2]))
    s.flush()
    s.info.pop(TOUCHED)
    row = s.get(Source, w.sources[2])
    assert row is not None
    row.name = "C renamed"


SHOWN: dict[str, Callable[[Session, World], None]] = {
    "source renamed": _rename,
    "source re-kinded in bulk": _rename_in_bulk,
    "relay added": _relay,
    "relay added in bulk": _relay_in_bulk,
    "relaying source renamed": _relayer_renamed,
}


@pytest.mark.parametrize("write", SHOWN.values(), ids=SHOWN.keys())
def test_a_change_reports_show_rewrites_the_groups_speaking_of_it(
    engine: Engine, world: World, write: Callable[[Session, World], None]
) -> None:
    """Names and relays are not in the summary's numbers, but the report cache's token is the
    groups' ``updated_at``: the groups where B speaks are rewritten, the others are not."""
    before = _groups(engine)
    with session_scope(engine) as session:
        write(session, world)
    after = _groups(engine)
    assert {k for k in before if after[k] != before[k]} == {
        (world.event, "killed", world.whole),  # B's figure in part counts in whole too
        (world.event, "killed", world.part),
        (world.event, "injured", 0),
    }
    _no_drift(engine)


def test_an_update_of_no_watched_column_names_no_group(engine: Engine, world: World) -> None:
    with session_scope(engine) as session:
        session.execute(update(Source).values(version=Source.version))  # the version check's statement
        row = session.get(Figure, world.figures[0])
        assert row is not None
        row.unit = "people"
        row.version += 1
        session.flush()
        assert not session.info.get(TOUCHED)


def test_a_rollback_forgets_the_groups_named(engine: Engine, world: World) -> None:
    with Session(engine) as session:
        row = session.get(Figure, world.figures[0])
        assert row is not None
        row.low = row.high = 11
        session.flush()
        assert session.info[TOUCHED] == {(world.event, "killed")}
        session.rollback()
        assert TOUCHED not in session.info
        session.commit()
    with Session(engine) as session:
        assert session.execute(select(func.count()).select_from(GroupSummary)).scalar_one() == 4
    _no_drift(engine)
