"""The facts of a group read two ways, through the ORM (``facts_query``) and through the driver
(``raw_facts``), are the same facts, down to their types: on the demo data and on the edge cases
(undated, naive and aware dates, no scope, every modality and period, open intervals, no words)."""

from collections import defaultdict
from datetime import UTC, datetime, timedelta, timezone
from itertools import cycle

from sqlalchemy import Engine
from sqlmodel import Session

from app.db import session_scope
from app.demo import load_demo
from app.domain.discrepancy import FigureFact, Period
from app.domain.intervals import Bound
from app.domain.vocab import Modality, SourceKind
from app.models.entities import Claim, Event, Figure, Scope, Source
from app.services.summaries import FIGURE, METRIC, Group, facts_query, raw_facts, to_fact


def both_ways(engine: Engine) -> tuple[dict[Group, list[FigureFact]], dict[Group, list[FigureFact]]]:
    with Session(engine) as session:
        stmt = facts_query().order_by(FIGURE.c.event_id, FIGURE.c.metric, FIGURE.c.id)
        orm: dict[Group, list[FigureFact]] = defaultdict(list)
        for row in session.execute(stmt):
            orm[row[METRIC - 1], row[METRIC]].append(to_fact(row))
        return dict(orm), raw_facts(session, sorted(orm))


def test_demo_facts_are_the_same_both_ways(engine: Engine) -> None:
    load_demo(engine)
    orm, raw = both_ways(engine)
    assert sum(len(f) for f in orm.values()) > 5
    assert repr(raw) == repr(orm)  # equal, and of the same types (aware UTC dates, enum members)


DATES = [
    None,
    datetime(2020, 1, 2, 3, 4, 5),  # naive: read as UTC
    datetime(2020, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
    datetime(2020, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    datetime(1999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-8))),
]


def test_edge_case_facts_are_the_same_both_ways(engine: Engine) -> None:
    with session_scope(engine) as session:
        sources = [Source(name=kind.value, kind=kind) for kind in SourceKind]
        event, scope = Event(name="E"), Scope(name="somewhere")
        session.add_all([*sources, event, scope])
        session.flush()
        modalities, kinds, dates = cycle(Modality), cycle(sources), cycle(DATES)
        claims = [
            Claim(claimant_id=next(kinds).id or 0, modality=next(modalities), stated_at=next(dates), quote=q)
            for q in [None, "", "they said 5", *[None] * (len(Modality) + len(DATES))]
        ]
        session.add_all(claims)
        session.flush()
        for i, (claim, period) in enumerate(zip(claims, cycle(Period), strict=False)):
            session.add(
                Figure(
                    claim_id=claim.id or 0,
                    event_id=event.id or 0,
                    metric="killed" if i % 3 else "injured",
                    scope_id=None if i % 2 else scope.id,
                    period=period,
                    bound=Bound.ge if i % 4 == 0 else Bound.exact,
                    low=float(i),
                    high=None if i % 4 == 0 else float(i),
                    text=None if i % 5 else f"about {i}",
                )
            )
    orm, raw = both_ways(engine)
    facts = [f for group in orm.values() for f in group]
    assert {f.modality for f in facts} == set(Modality) and {f.period for f in facts} == set(Period)
    assert {f.scope_id is None for f in facts} == {True, False}
    assert {f.stated_at for f in facts} == {None if d is None else d.replace(tzinfo=d.tzinfo or UTC) for d in DATES}
    assert all(f.stated_at is None or f.stated_at.tzinfo == UTC for f in facts)
    assert repr(raw) == repr(orm)
