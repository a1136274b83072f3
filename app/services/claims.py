"""Claims: who asserted what, through whom, where in which document; with their figures."""

from collections import defaultdict
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.errors import Invalid
from app.models.entities import (
    Claim,
    ClaimBase,
    ClaimCreate,
    ClaimPublic,
    ClaimRelay,
    ClaimUpdate,
    Document,
    Figure,
    FigurePublic,
    Source,
    SourceRef,
)
from app.models.filters import ClaimFilters
from app.services import figures as figure_service
from app.services import filtering, history
from app.services.common import (
    PageRequest,
    apply_changes,
    check_version,
    get_or_404,
    order_by,
    page_rows,
    require,
    validate_as,
)

SORTABLE = ("id", "stated_at", "modality", "created_at", "updated_at")


def create(session: Session, body: ClaimCreate, tolerance: float) -> Claim:
    values = body.model_dump(exclude={"relay_ids", "figures"})
    _check(session, values, body.relay_ids)
    claim = Claim.model_validate(values)
    session.add(claim)
    session.flush()
    assert claim.id is not None
    _set_relays(session, claim.id, body.relay_ids)
    history.record(session, claim, "create", None)
    named = figure_service.named_rows(session, body.figures)  # held: one read each, not one per figure
    for i, fig in enumerate(body.figures):
        figure_service.build(session, claim.id, fig, tolerance, prefix=f"figures.{i}.")
    del named
    return claim


def update(session: Session, ident: int, body: ClaimUpdate, if_match: str | None = None) -> Claim:
    claim = get_or_404(session, Claim, ident)
    changes = body.model_dump(exclude_unset=True)
    relay_ids = changes.pop("relay_ids", None)
    merged = {**claim.model_dump(), **changes}
    validate_as(ClaimBase, merged)  # "modality": null or "claimant_id": null is a 422, not a NOT NULL failure
    if {"quote_start", "quote_end", "document_id"} & changes.keys() and "quote" not in changes:
        merged["quote"] = None  # a moved span takes its quote from the text again
    _check(session, merged, relay_ids or [])
    check_version(session, claim, if_match)  # after: a bad body is a 422 whatever the version
    changes["quote"] = merged["quote"]
    before = history.snapshot(claim, session)
    apply_changes(claim, changes)
    if relay_ids is not None:
        session.execute(delete(ClaimRelay).where(col(ClaimRelay.claim_id) == ident))
        _set_relays(session, ident, relay_ids)
    session.flush()
    history.record(session, claim, "update", before)
    return claim


def _check(session: Session, values: dict[str, Any], relay_ids: list[int]) -> None:
    require(session, Source, values.get("claimant_id"), "claimant_id")
    for i, source_id in enumerate(relay_ids):
        require(session, Source, source_id, f"relay_ids.{i}")
    if len(set(relay_ids)) != len(relay_ids):
        raise Invalid("a source appears twice in the relay chain", field="relay_ids")
    document = None
    if values.get("document_id") is not None:
        document = get_or_404(session, Document, values["document_id"], "document_id")
    values["quote"] = _quote_from_span(document, values)
    if values.get("stated_at") is None and document is not None:
        values["stated_at"] = document.published_at


def _quote_from_span(document: Document | None, values: dict[str, Any]) -> str | None:
    """A span must lie inside the document's text and match the quote; an absent quote is taken
    from the span."""
    start, end, quote = values.get("quote_start"), values.get("quote_end"), values.get("quote")
    if start is None and end is None:
        return quote
    if start is None or end is None:
        raise Invalid(
            "give both quote_start and quote_end, or neither", field="quote_end" if end is None else "quote_start"
        )
    if document is None:
        raise Invalid("a quote span needs the document_id it points into", field="document_id")
    text = document.text or ""
    if not 0 <= start < end <= len(text):
        raise Invalid(
            f"span [{start}, {end}) lies outside the document's text of {len(text)} characters", field="quote_end"
        )
    if quote is not None and text[start:end] != quote:
        raise Invalid(f"the text at [{start}, {end}) is {text[start:end]!r}, not the quote given", field="quote")
    return text[start:end]


def _set_relays(session: Session, claim_id: int, relay_ids: list[int]) -> None:
    session.add_all(ClaimRelay(claim_id=claim_id, position=i, source_id=s) for i, s in enumerate(relay_ids))
    session.flush()


# --- reading ------------------------------------------------------------------------------------
def public(session: Session, claims: list[Claim]) -> list[ClaimPublic]:
    """Claims with claimant, relays and figures, loaded in three queries whatever the page size."""
    ids = [c.id for c in claims]
    names = _names(session, {c.claimant_id for c in claims}, ids)
    relays: dict[int, list[SourceRef]] = defaultdict(list)
    rows = session.execute(
        select(col(ClaimRelay.claim_id), col(ClaimRelay.source_id))
        .where(col(ClaimRelay.claim_id).in_(ids))
        .order_by(col(ClaimRelay.claim_id), col(ClaimRelay.position))
    )
    for claim_id, source_id in rows:
        relays[claim_id].append(SourceRef(id=source_id, name=names[source_id]))
    figs: dict[int, list[FigurePublic]] = defaultdict(list)
    query = figure_service.with_claimant().where(col(Figure.claim_id).in_(ids)).order_by(col(Figure.id))
    for fig, sid, sname in session.execute(query):
        figs[fig.claim_id].append(figure_service.public(fig, sid, sname))
    return [
        ClaimPublic.model_validate(
            {
                **c.model_dump(),
                "claimant": SourceRef(id=c.claimant_id, name=names[c.claimant_id]),
                "relays": relays[c.id or 0],
                "figures": figs[c.id or 0],
            }
        )
        for c in claims
    ]


def _names(session: Session, claimant_ids: set[int], claim_ids: list[int | None]) -> dict[int, str]:
    relay_ids = select(col(ClaimRelay.source_id)).where(col(ClaimRelay.claim_id).in_(claim_ids))
    rows = session.execute(
        select(col(Source.id), col(Source.name)).where(col(Source.id).in_(claimant_ids) | col(Source.id).in_(relay_ids))
    )
    return {int(i): str(n) for i, n in rows}


def read_one(session: Session, ident: int) -> ClaimPublic:
    return public(session, [get_or_404(session, Claim, ident)])[0]


def list_claims(session: Session, filters: ClaimFilters, page: PageRequest) -> tuple[list[ClaimPublic], int | None]:
    stmt = filtering.apply(select(Claim), filters).order_by(*order_by(Claim, page.sort, SORTABLE))
    rows, total = page_rows(session, stmt, page, key=col(Claim.id))
    return public(session, [r[0] for r in rows]), total


def figure_ids(session: Session, claim_id: int) -> list[int]:
    """A claim's figures, in the order they were given."""
    stmt = select(col(Figure.id)).where(col(Figure.claim_id) == claim_id).order_by(col(Figure.id))
    return [int(i) for i in session.execute(stmt).scalars()]
