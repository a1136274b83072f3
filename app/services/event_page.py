"""What an event's report page shows besides the discrepancy report: the event itself and the
documents its claims were read in."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from app.domain.discrepancy import Policy
from app.models.entities import Claim, Document, Event
from app.services.common import get_or_404
from app.services.discrepancies import event_reports


def event_page(session: Session, event_id: int, metric: str | None) -> dict[str, Any]:
    """The event's fields, its discrepancy report (majority policy) and the documents by claim id."""
    event = get_or_404(session, Event, event_id)
    report = event_reports(session, event_id, metric, None, Policy.majority, [])
    claim_ids = {v["claim_id"] for g in report["groups"] for v in _voices(g)}
    return {
        "event": {
            "id": event.id,
            "name": event.name,
            "description": event.description,
            "place": event.place,
            "started_at": event.started_at,
            "ended_at": event.ended_at,
        },
        "report": report,
        "documents": documents_of(session, claim_ids),
    }


def _voices(group: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        *group["in_agreement"],
        *(o["figure"] for o in group["outliers"]),
        *(c["figure"] for c in group["comparisons"]),
        *group["revisions"],
        *group["excluded"],
    ]


def documents_of(session: Session, claim_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The document each claim was read in (claims read in none are left out)."""
    rows = session.execute(
        select(col(Claim.id), col(Document.id), col(Document.title), col(Document.url), col(Document.published_at))
        .join(Document, col(Document.id) == col(Claim.document_id))
        .where(col(Claim.id).in_(list(claim_ids)))
    )
    return {
        int(claim_id): {"id": doc_id, "title": title, "url": url, "published_at": published}
        for claim_id, doc_id, title, url, published in rows
    }
