"""History of every record: recorded by the services on each create, update and delete, read per
record or as a feed, and used to restore a deletion (with everything its cascade took along)
until an admin purges it.

The actor (the API key's name) and a batch id per request come from the session's ``info``."""

import uuid
from typing import Any

from sqlalchemy import Table, and_, insert, or_, select
from sqlmodel import Session, SQLModel, col

from app.errors import Conflict, NotFound
from app.models.entities import Claim, ClaimRelay, Document, Event, Figure, Scope, Source
from app.models.history import Change, ChangePublic, Purged, Restored
from app.services.import_records import history_rows

RESOURCES: dict[str, type[SQLModel]] = {
    "source": Source,
    "document": Document,
    "event": Event,
    "scope": Scope,
    "claim": Claim,
    "figure": Figure,
}
NAMES = {model: name for name, model in RESOURCES.items()}
# restore parents before children: a figure needs its claim, a claim its source
ORDER = ["source", "document", "event", "scope", "claim", "figure"]


def batch(session: Session) -> str:
    found: str = session.info.setdefault("batch", uuid.uuid4().hex)
    return found


def snapshot(row: SQLModel, session: Session | None = None) -> dict[str, Any]:
    """A record as JSON; a claim carries its relay chain, so a restore can rebuild it."""
    data: dict[str, Any] = row.model_dump(mode="json")
    if isinstance(row, Claim) and session is not None:
        relays = select(col(ClaimRelay.source_id)).where(col(ClaimRelay.claim_id) == row.id)
        data["relay_ids"] = list(session.execute(relays.order_by(col(ClaimRelay.position))).scalars())
    return data


def record(session: Session, row: SQLModel, action: str, before: dict[str, Any] | None) -> None:
    """Keep one change. ``before`` is the snapshot taken before the change (None on create)."""
    model = type(row)
    if model not in NAMES:
        return
    after = None if action == "delete" else snapshot(row, session)
    session.add(
        Change(
            resource=NAMES[model],
            record_id=int(row.id),  # type: ignore[attr-defined]
            action=action,
            actor=session.info.get("actor"),
            batch=batch(session),
            before=before,
            after=after,
        )
    )


def record_deletes(session: Session, model: type[SQLModel], ids: list[Any]) -> None:
    """Snapshots of rows about to be deleted (a cascade calls this for each kind it removes)."""
    if model not in NAMES:
        return
    rows = session.execute(select(model).where(model.id.in_(ids))).scalars()  # type: ignore[attr-defined]
    for row in rows:
        record(session, row, "delete", snapshot(row, session))


# --- reading ----------------------------------------------------------------------------------------
def public(change: Change) -> ChangePublic:
    return ChangePublic.model_validate(change, from_attributes=True)


def of_record(session: Session, resource: str, ident: int, limit: int, offset: int) -> tuple[list[ChangePublic], int]:
    """A record's changes; an imported figure's or claim's begin with its import's ("created by import 7")."""
    own = and_(col(Change.resource) == resource, col(Change.record_id) == ident)
    imported = history_rows(session, resource, ident)
    stmt = select(Change).where(own if imported is None else or_(own, imported))
    rows = list(session.execute(stmt.order_by(col(Change.id)).limit(limit).offset(offset)).scalars())
    total = len(list(session.execute(stmt.with_only_columns(col(Change.id))).scalars()))
    return [public(r) for r in rows], total


def feed(session: Session, since: int, limit: int) -> list[ChangePublic]:
    stmt = select(Change).where(col(Change.id) > since).order_by(col(Change.id)).limit(limit)
    return [public(r) for r in session.execute(stmt).scalars()]


# --- restoring and purging --------------------------------------------------------------------------
def _last_delete(session: Session, resource: str, ident: int) -> Change:
    stmt = (
        select(Change)
        .where(col(Change.resource) == resource, col(Change.record_id) == ident, col(Change.action) == "delete")
        .order_by(col(Change.id).desc())
    )
    found: Change | None = session.execute(stmt).scalars().first()
    if found is None:
        raise NotFound(f"{resource} {ident} was never deleted: nothing to restore")
    return found


def restore(session: Session, resource: str, ident: int) -> Restored:
    """Bring back a deleted record and everything deleted with it (its cascade), as they were."""
    if session.get(RESOURCES[resource], ident) is not None:
        raise Conflict(f"{resource} {ident} exists: there is nothing to restore")
    deleted = _last_delete(session, resource, ident)
    stmt = select(Change).where(col(Change.batch) == deleted.batch, col(Change.action) == "delete")
    changes = sorted(session.execute(stmt).scalars(), key=lambda c: (ORDER.index(c.resource), c.id or 0))
    if any(c.before is None for c in changes):
        raise Conflict(f"{resource} {ident} was purged: it cannot be restored")
    for change in changes:
        _reinsert(session, change)
    return Restored(restored=[public(c) for c in changes])


def _reinsert(session: Session, change: Change) -> None:
    model = RESOURCES[change.resource]
    assert change.before is not None
    data = dict(change.before)
    relay_ids = data.pop("relay_ids", [])
    if session.get(model, change.record_id) is not None:
        raise Conflict(f"{change.resource} {change.record_id} exists again: restore it by hand")
    row = model.model_validate(data)
    session.add(row)
    session.flush()
    table: Table = ClaimRelay.__table__  # type: ignore[attr-defined]
    if relay_ids:
        session.execute(
            insert(table),
            [
                {"claim_id": row.id, "position": i, "source_id": s}  # type: ignore[attr-defined]
                for i, s in enumerate(relay_ids)
            ],
        )
    record(session, row, "restore", None)


def purge(session: Session, resource: str, ident: int) -> Purged:
    """Forget the snapshots of a deletion (and its cascade): it can no longer be restored."""
    if session.get(RESOURCES[resource], ident) is not None:
        raise Conflict(f"{resource} {ident} exists: only a deleted record can be purged")
    deleted = _last_delete(session, resource, ident)
    stmt = select(Change).where(col(Change.batch) == deleted.batch, col(Change.action) == "delete")
    purged = 0
    for change in session.execute(stmt).scalars():
        if change.before is not None:
            change.before, purged = None, purged + 1
            session.add(
                Change(
                    resource=change.resource,
                    record_id=change.record_id,
                    action="purge",
                    actor=session.info.get("actor"),
                    batch=batch(session),
                )
            )
    return Purged(purged=purged)
