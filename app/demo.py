"""The founding example as demo data: the February 2018 article on the U.S. strike near Deir ez-Zor.

Every figure is stored from its words alone; quote spans are found in the article's text, so they
always match it. Loading twice adds nothing the second time."""

from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.config import get_settings
from app.db import session_scope
from app.domain.vocab import Modality, SourceKind
from app.models.entities import (
    ClaimCreate,
    Document,
    DocumentCreate,
    Event,
    EventCreate,
    Figure,
    FigureInput,
    Scope,
    ScopeCreate,
    Source,
    SourceCreate,
)
from app.services import claims, records

TITLE = "US Strikes Allegedly Killed ‘Scores’ of Russian Fighters in Syria"
PUBLISHED = datetime(2018, 2, 15, tzinfo=UTC)
EVENT = "U.S. strike on Russian contract fighters near Deir ez-Zor"
FORCE = "attacking force"
CITIZENS = "Russian citizens in the attacking force"
PUBLISHER = "Publisher of the article (not named in the text)"

# name, kind, affiliation, parent name, description
SOURCES: list[tuple[str, SourceKind, str | None, str | None, str]] = [
    ("Bloomberg", SourceKind.outlet, None, None, "News agency that relayed the sources' figures."),
    ("The Associated Press", SourceKind.outlet, None, None, "News agency Zakharova spoke to."),
    (PUBLISHER, SourceKind.outlet, None, None, "The outlet that published the article; the text does not name it."),
    ("Government of Russia", SourceKind.government, "Russia", None, "The Russian state."),
    (
        "Russian Foreign Ministry",
        SourceKind.government,
        "Russia",
        "Government of Russia",
        "Ministry of Foreign Affairs.",
    ),
    ("Maria Zakharova", SourceKind.person, "Russia", "Russian Foreign Ministry", "Foreign Ministry spokeswoman."),
    (
        "U.S. official (anonymous)",
        SourceKind.anonymous,
        "United States",
        None,
        "One U.S. official who spoke to Bloomberg.",
    ),
    (
        "Three Russian sources (anonymous)",
        SourceKind.anonymous,
        "Russia",
        None,
        "Three Russians who spoke to Bloomberg.",
    ),
    (
        "Bloomberg's sources: one U.S. official and three Russians",
        SourceKind.anonymous,
        None,
        None,
        "The four sources together, as the article first cites them.",
    ),
    ("Vladimir Frolov", SourceKind.person, "Russia", None, "Former Russian diplomat, independent analyst."),
]


@dataclass(frozen=True)
class SeedClaim:
    key: str
    claimant: str
    relays: tuple[str, ...]
    quote: str
    modality: Modality
    figures: tuple[tuple[str, str, str], ...] = ()  # (metric, scope, words)
    refers_to: str | None = None  # key of the claim whose first figure a relative figure refers to


CLAIMS = [
    SeedClaim(
        "sources",
        "Bloomberg's sources: one U.S. official and three Russians",
        ("Bloomberg",),
        "Sources told Bloomberg that U.S. forces killed more than 200 contract soldiers, mostly Russians "
        "fighting on behalf of Syrian leader Bashar al-Assad, last week.",
        Modality.reported,
        (("killed", FORCE, "more than 200 contract soldiers"),),
    ),
    SeedClaim(
        "official",
        "U.S. official (anonymous)",
        ("Bloomberg",),
        "The official said the death toll was around 100, with another 200 to 300 injured",
        Modality.reported,
        (("killed", FORCE, "around 100"), ("injured", FORCE, "another 200 to 300")),
    ),
    SeedClaim(
        "russians",
        "Three Russian sources (anonymous)",
        ("Bloomberg",),
        "although the Russians said more than double that number died.",
        Modality.reported,
        (("killed", FORCE, "more than double that number"),),
        refers_to="official",
    ),
    SeedClaim(
        "zakharova",
        "Maria Zakharova",
        ("The Associated Press",),
        "“According to preliminary information, five people, presumably Russian citizens, may have been "
        "killed in combat, the circumstances of which are being clarified,” Zakharova said in a briefing.",
        Modality.hedged,
        (("killed", CITIZENS, "five people, presumably Russian citizens"),),
    ),
    SeedClaim("headline", PUBLISHER, (), TITLE, Modality.alleged, (("killed", FORCE, "scores"),)),
    SeedClaim(
        "denial",
        "Government of Russia",
        ("Bloomberg",),
        "Russia officially said it had nothing to do with the attack",
        Modality.denied,
    ),
    SeedClaim(
        "rogue", "Bloomberg", (), "The outlet said the assault may have been a rogue operation.", Modality.hedged
    ),
    SeedClaim(
        "frolov",
        "Vladimir Frolov",
        (),
        "“This is a big scandal and a reason for an acute international crisis,” said Vladimir Frolov",
        Modality.asserted,
    ),
]


def article_text() -> str:
    return resources.files("app.demo_data").joinpath("seed_article.txt").read_text(encoding="utf-8")


def load_demo(engine: Engine | None = None) -> dict[str, Any]:
    """Load the seed article; returns the ids of the document and the event. Idempotent."""
    with session_scope(engine) as session:
        existing = session.execute(select(Document).where(col(Document.title) == TITLE)).scalars().first()
        if existing is not None:
            event = session.execute(select(Event).where(col(Event.name) == EVENT)).scalars().first()
            return {"document_id": existing.id, "event_id": event.id if event else None, "created": False}
        return _load(session)


def _load(session: Session) -> dict[str, Any]:
    text = article_text()
    ids = {name: _source(session, name, kind, aff, parent, desc) for name, kind, aff, parent, desc in SOURCES}
    document = records.create(
        session,
        records.DOCUMENTS,
        DocumentCreate(
            title=TITLE,
            publisher_id=ids[PUBLISHER],
            published_at=PUBLISHED,
            language="en",
            text=text,
        ),
    )
    event = records.create(
        session,
        records.EVENTS,
        EventCreate(
            name=EVENT,
            place="Deir ez-Zor province, Syria",
            started_at=datetime(2018, 2, 5, tzinfo=UTC),
            ended_at=datetime(2018, 2, 11, 23, 59, tzinfo=UTC),
            description="A failed attack on a base held by U.S. forces, 'last week' as of February 15, 2018.",
        ),
    )
    assert event.id is not None
    event_id = event.id
    force = _scope(session, FORCE, None, "Contract soldiers, mostly Russians, fighting for Bashar al-Assad.")
    scopes = {FORCE: force, CITIZENS: _scope(session, CITIZENS, force, "Russian citizens among them.")}
    first_figure: dict[str, int] = {}
    tolerance = get_settings().tolerance
    for seed in CLAIMS:
        start = text.index(seed.quote)
        body = ClaimCreate(
            claimant_id=ids[seed.claimant],
            relay_ids=[ids[r] for r in seed.relays],
            document_id=document.id,
            quote_start=start,
            quote_end=start + len(seed.quote),
            modality=seed.modality,
            figures=[
                FigureInput(
                    event_id=event_id,
                    metric=metric,
                    scope_id=scopes[scope],
                    text=words,
                    reference_id=first_figure.get(seed.refers_to or ""),
                )
                for metric, scope, words in seed.figures
            ],
        )
        claim = claims.create(session, body, tolerance)
        first = select(col(Figure.id)).where(col(Figure.claim_id) == claim.id).order_by(col(Figure.id))
        fig = session.execute(first).first()
        if fig is not None:
            first_figure[seed.key] = fig[0]
    return {"document_id": document.id, "event_id": event.id, "created": True}


def _source(session: Session, name: str, kind: SourceKind, aff: str | None, parent: str | None, desc: str) -> int:
    parent_id = None
    if parent is not None:
        parent_id = session.execute(select(col(Source.id)).where(col(Source.name) == parent)).scalar_one()
    same_parent = col(Source.parent_id).is_(None) if parent_id is None else col(Source.parent_id) == parent_id
    found = session.execute(select(col(Source.id)).where(col(Source.name) == name, same_parent)).first()
    if found is not None:
        return int(found[0])
    body = SourceCreate(name=name, kind=kind, affiliation=aff, parent_id=parent_id, description=desc)
    return records.create_id(session, records.SOURCES, body)


def _scope(session: Session, name: str, parent_id: int | None, desc: str) -> int:
    found = session.execute(select(col(Scope.id)).where(col(Scope.name) == name)).first()
    if found is not None:
        return int(found[0])
    return records.create_id(session, records.SCOPES, ScopeCreate(name=name, parent_id=parent_id, description=desc))
