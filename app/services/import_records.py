"""The record of every import: who ran it, when, on what file, what it created and what it refused;
undoing one; and the trace it leaves in history.

An import writes its record first (so its figures and claims can carry ``import_id``) and fills in
the counts when it finishes, in the same transaction: a refused import leaves no record. History
gets one ``change`` row per import (resource ``import``, action ``create``), not one per figure,
and a figure's or claim's history starts with that row ("created by import 7").

``undo`` (``DELETE /imports/{id}``) removes exactly what the import added: its figures; its claims,
unless a figure added since still belongs to one; the sources, documents, events, scopes and
metrics it created, unless something else uses them now. The touched groups' summaries are
recomputed; the record stays, marked deleted, with what was removed, and the delete is in history.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, delete, exists, func, insert, select, union
from sqlmodel import Session, SQLModel, col

from app.errors import Conflict, NotFound
from app.models.common import utcnow
from app.models.entities import Claim, ClaimRelay, Document, Event, Figure, Metric, Scope, Source
from app.models.history import Change
from app.models.imports import (
    MAX_LISTED,
    Created,
    ImportKind,
    ImportPublic,
    ImportRecord,
    ImportReject,
    OnError,
    RowError,
)
from app.services import summaries

RESOURCE = "import"
CHUNK = 5000  # ids per IN list: below every engine's limit of bound parameters
CREATED_KINDS = ("sources", "documents", "events", "scopes", "metrics")  # kept by id (metrics by name)
TABLES: dict[str, type[SQLModel]] = {
    "sources": Source,
    "documents": Document,
    "events": Event,
    "scopes": Scope,
    "metrics": Metric,
}


IMPORTED: dict[str, type[SQLModel]] = {"figure": Figure, "claim": Claim}  # they carry import_id


@dataclass(frozen=True)
class Origin:
    """Where an import came from: the API key's name, the file's name, the SHA-256 of the body."""

    actor: str | None = None
    filename: str | None = None
    sha256: str | None = None


def _table(model: type[SQLModel]) -> Table:
    found: Table = model.__table__  # type: ignore[attr-defined]
    return found


def start(session: Session, kind: ImportKind, origin: Origin, on_error: OnError, unit: str | None = None) -> int:
    """The record of an import that begins; its id, for ``import_id``."""
    record = ImportRecord(
        kind=kind,
        actor=origin.actor,
        filename=(origin.filename or None) and origin.filename[:300],
        sha256=origin.sha256,
        on_error=on_error,
        unit=unit,
    )
    session.add(record)
    session.flush()
    assert record.id is not None
    return record.id


def add_rejects(conn: Connection, import_id: int, rejects: list[dict[str, Any]]) -> None:
    """Keep refused rows (``line``, ``field``, ``reason``, ``type``, ``key``, ``row``), in one statement."""
    if rejects:
        conn.execute(insert(_table(ImportReject)), [{**r, "import_id": import_id} for r in rejects])


def finish(
    session: Session,
    import_id: int,
    *,
    rows: int,
    created: Created,
    created_ids: dict[str, list[Any]],
    rejected: int,
    unread: int = 0,
    groups: int = 0,
    columns: list[str] | None = None,
) -> ImportRecord:
    """Fill in the record and keep its one history row."""
    record = session.get(ImportRecord, import_id)
    assert record is not None
    record.rows, record.rejected, record.unread, record.groups = rows, rejected, unread, groups
    record.created = created.model_dump()
    record.created_ids = created_ids
    record.columns = columns
    session.add(record)
    session.flush()
    _history(session, record, "create", None, _summary(record))
    return record


def _summary(record: ImportRecord) -> dict[str, Any]:
    keep = ("kind", "filename", "sha256", "on_error", "unit", "rows", "rejected", "unread", "created", "removed")
    return {"import_id": record.id, **record.model_dump(mode="json", include=set(keep))}


def _history(
    session: Session, record: ImportRecord, action: str, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> None:
    assert record.id is not None
    session.add(
        Change(
            resource=RESOURCE,
            record_id=record.id,
            action=action,
            actor=session.info.get("actor", record.actor if action == "create" else None),
            batch=session.info.setdefault("batch", uuid.uuid4().hex),
            before=before,
            after=after,
        )
    )
    session.flush()


# --- reading ------------------------------------------------------------------------------------
def public(session: Session, record: ImportRecord, **extra: Any) -> ImportPublic:
    """The record as answered, with its first refused rows and the link to all of them."""
    assert record.id is not None
    listed: list[RowError] = []
    if record.rejected:
        stmt = select(_table(ImportReject)).where(col(ImportReject.import_id) == record.id)
        found = session.execute(stmt.order_by(col(ImportReject.id)).limit(MAX_LISTED)).mappings()
        listed = [
            RowError(field=r["field"], reason=r["reason"], type=r["type"], key=r["key"], line=r["line"]) for r in found
        ]
    return ImportPublic(
        **record.model_dump(exclude={"created", "removed", "created_ids", "columns", "version", "updated_at"}),
        created=Created.model_validate(record.created or {}),
        removed=None if record.removed is None else Created.model_validate(record.removed),
        rejects=listed,
        rejects_url=f"/imports/{record.id}/rejects.csv" if record.rejected else None,
        **extra,
    )


def get(session: Session, import_id: int) -> ImportRecord:
    record = session.get(ImportRecord, import_id)
    if record is None:
        raise NotFound(f"import {import_id} does not exist")
    return record


def listed(session: Session, limit: int, offset: int) -> tuple[list[ImportRecord], int]:
    stmt = select(ImportRecord).order_by(col(ImportRecord.id).desc()).limit(limit).offset(offset)
    total = session.execute(select(func.count()).select_from(_table(ImportRecord))).scalar_one()
    return list(session.execute(stmt).scalars()), int(total)


REJECT_COLUMNS = ("reject_line", "reject_field", "reject_reason", "reject_type", "reject_key")


def reject_columns(record: ImportRecord) -> list[str]:
    """The columns of the rejects file: where and why, then the row's own columns (a CSV import's
    header), so the file, fixed, can be imported again as it is (the importer reads only its columns)."""
    return [*REJECT_COLUMNS, *(c for c in record.columns or [] if c not in REJECT_COLUMNS)]


def rejects_rows(engine: Engine, import_id: int, chunk: int = 5000) -> Iterator[dict[str, Any]]:
    """Every refused row of an import, flat, for the rejects file; read a chunk at a time, each in a
    session of its own (the file streams after the request's session is gone)."""
    after = 0
    while True:
        stmt = (
            select(_table(ImportReject))
            .where(col(ImportReject.import_id) == import_id, col(ImportReject.id) > after)
            .order_by(col(ImportReject.id))
            .limit(chunk)
        )
        with Session(engine) as session:
            found = list(session.execute(stmt).mappings())
        for r in found:
            yield {
                **(r["row"] or {}),
                "reject_line": r["line"],
                "reject_field": r["field"],
                "reject_reason": r["reason"],
                "reject_type": r["type"],
                "reject_key": r["key"],
            }
        if len(found) < chunk:
            return
        after = found[-1]["id"]


def history_rows(session: Session, resource: str, ident: int) -> Any:
    """The condition that adds an imported figure's or claim's import to its history."""
    model = IMPORTED.get(resource)
    if model is None:
        return None
    made_by = select(_table(model).c.import_id).where(_table(model).c.id == ident).scalar_subquery()
    return and_(col(Change.resource) == RESOURCE, col(Change.action) == "create", col(Change.record_id) == made_by)


# --- undoing ------------------------------------------------------------------------------------
def undo(session: Session, import_id: int) -> ImportRecord:
    """Remove what the import added (see the module docstring); the record stays, marked deleted."""
    record = get(session, import_id)
    if record.deleted_at is not None:
        raise Conflict(f"import {import_id} was deleted already ({record.deleted_at:%Y-%m-%d %H:%M} UTC)")
    figure, claim = _table(Figure), _table(Claim)
    mine = figure.c.import_id == import_id
    others = select(figure.c.id).where(figure.c.reference_id.in_(select(figure.c.id).where(mine)), ~mine).limit(5)
    referring = list(session.execute(others).scalars())
    if referring:
        raise Conflict(
            f"figures {', '.join(map(str, referring))} of other imports or claims refer to figures of import "
            f"{import_id}: delete them or their reference first",
            dependents={"figures": len(referring)},
        )
    groups = [
        (int(e), str(m)) for e, m in session.execute(select(figure.c.event_id, figure.c.metric).where(mine).distinct())
    ]
    removed = Created()
    referred = figure.alias("referring")
    while count := _delete(  # figures that another of them refers to go after it
        session, figure, and_(mine, ~exists().where(referred.c.reference_id == figure.c.id))
    ):
        removed.figures += count
    lonely = and_(claim.c.import_id == import_id, ~exists().where(figure.c.claim_id == claim.c.id))
    lonely_ids = select(claim.c.id).where(lonely)
    session.execute(delete(_table(ClaimRelay)).where(_table(ClaimRelay).c.claim_id.in_(lonely_ids)))
    removed.claims = _delete(session, claim, claim.c.id.in_(lonely_ids))
    summaries.refresh(session, groups)
    created = record.created_ids or {}
    for kind in ("scopes", "documents", "events", "sources", "metrics"):  # children before what they name
        setattr(removed, kind, _delete_unused(session, TABLES[kind], created.get(kind, [])))
    before = _summary(record)
    record.deleted_at, record.deleted_by = utcnow(), session.info.get("actor")
    record.removed = removed.model_dump()
    session.add(record)
    session.flush()
    _history(session, record, "delete", before, _summary(record))
    return record


def _delete(session: Session, table: Table, where: Any) -> int:
    result: Any = session.execute(delete(table).where(where))
    return int(result.rowcount or 0)


def _delete_unused(session: Session, model: type[SQLModel], idents: list[Any]) -> int:
    """Delete the rows of ``idents`` that no row of any table refers to by a foreign key (their own
    children included: one pass per level, so a created child and its created parent both go)."""
    table = _table(model)
    key = next(iter(table.primary_key.columns))
    pending, removed = set(idents), 0
    while pending:
        used: set[Any] = set()
        for start in range(0, len(pending), CHUNK):
            part = sorted(pending)[start : start + CHUNK]
            used |= set(session.execute(_users(table, key, part)).scalars())
        free = sorted(pending - used)
        if not free:
            break
        for start in range(0, len(free), CHUNK):
            removed += _delete(session, table, key.in_(free[start : start + CHUNK]))
        pending = used
    return removed


def _users(table: Table, key: Any, wanted: list[Any]) -> Any:
    """The ids among ``wanted`` that some row refers to by a foreign key (summaries aside: they
    were recomputed already)."""
    queries = [
        select(fk.parent.label("id")).where(fk.parent.in_(wanted))
        for other in table.metadata.sorted_tables
        if other.name not in ("group_summary", "group_voice")
        for fk in other.foreign_keys
        if fk.column is key
    ]
    return union(*queries) if len(queries) > 1 else queries[0]
