"""Bulk import of sources, documents, events, scopes, claims and figures that refer to one another by
client-chosen keys, all or nothing (``POST /import``).

The rows are read and checked first (``app.services.import_rows``), then written kind by kind,
parents first, through the same services the single-record endpoints use — ``records.create``,
``claims.create``, ``figures.build`` — so every rule, history entry and summary refresh is theirs.
A row the services refuse is noted and the import goes on, so that every bad row is listed; rows
that name a refused row are skipped (its problem is listed). If anything was refused, ``run``
raises and the request's transaction rolls back: nothing is stored — unless ``on_error`` is
``skip``: then each row is written in a savepoint of its own, a refused row (and any row that
names it, listed too) is rolled back alone, and the others are stored. Each row stands alone
there: a claim is kept when one of its inline figures is refused.

Every import leaves a record (``app.services.import_records``): its figures and claims carry its
id, the sources, documents, events and scopes it created are kept by id, and the refused rows
are kept with it.

Sources (same name and parent) and scopes (same name) that exist already are used, not
duplicated, and reported as matched; their other fields are neither compared nor changed."""

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, update
from sqlmodel import Session, SQLModel, col, select

from app.domain.errors import DomainError, Unreadable
from app.errors import Conflict, Invalid, NotFound, ServiceError
from app.models.entities import (
    Claim,
    ClaimCreate,
    DocumentCreate,
    EventCreate,
    Figure,
    FigureInput,
    Scope,
    ScopeCreate,
    Source,
    SourceCreate,
)
from app.models.imports import KINDS, Created, ImportKind, ImportPublic, KeyIds, Matched, OnError
from app.services import claims, import_records, records
from app.services import figures as figure_service
from app.services.common import get_or_404, table
from app.services.import_records import Origin
from app.services.import_rows import SINGULAR, Plan, Problem, Row, Where, check, count_rows, links_of, read

MAX_LISTED = 1000
ERROR_TYPES: dict[type[ServiceError], str] = {Invalid: "rule", NotFound: "not-found", Conflict: "conflict"}


def run(
    session: Session,
    text: str,
    ndjson: bool,
    tolerance: float,
    *,
    on_error: OnError = OnError.fail,
    origin: Origin | None = None,
) -> ImportPublic:
    """Import a batch in the session's transaction; returns its record. With ``OnError.fail``
    raise ``Invalid`` listing every problem; with ``OnError.skip`` store the rest and list them."""
    raws, problems = read(text, ndjson)
    plan = check(raws, problems)
    skip = on_error is OnError.skip
    kind = ImportKind.ndjson if ndjson else ImportKind.json
    import_id = import_records.start(session, kind, origin or Origin(), on_error)
    importer = Importer(session, tolerance, skip=skip)
    importer.apply(plan)
    if plan.problems and not skip:
        raise refused(plan.problems)
    ordered = sorted(plan.problems, key=lambda p: p.where.seq)
    import_records.add_rejects(session.connection(), import_id, [{**p.public(), "row": None} for p in ordered])
    groups = importer.mark(import_id)
    record = import_records.finish(
        session,
        import_id,
        rows=count_rows(raws),
        created=Created(**importer.created),
        created_ids={kind: importer.made[kind] for kind in ("sources", "documents", "events", "scopes")},
        rejected=len(plan.problems),
        groups=groups,
    )
    return import_records.public(session, record, ids=KeyIds(**importer.ids), matched=Matched(**importer.matched))


def refused(problems: list[Problem]) -> Invalid:
    ordered = sorted(problems, key=lambda p: p.where.seq)
    listed = [p.public() for p in ordered[:MAX_LISTED]]
    first = "; ".join(f"{_place(e)}: {e['reason']}" for e in listed[:3])
    detail = f"{len(problems)} problem(s) in the batch, nothing was imported. {first}"
    return Invalid(detail, errors=listed)


def _place(error: dict[str, Any]) -> str:
    line = f"line {error['line']}" if error["line"] else ""
    return " ".join(p for p in (line, error["field"]) if p) or "body"


Writer = Callable[["Importer", Row, dict[str, Any]], int]


class Importer:
    """Writes checked rows, keeping the id each key got and what was created or matched."""

    def __init__(self, session: Session, tolerance: float, skip: bool = False) -> None:
        self.session, self.tolerance, self.skip = session, tolerance, skip
        self.ids: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}
        self.created = dict.fromkeys(KINDS, 0)
        self.made: dict[str, list[int]] = {kind: [] for kind in KINDS}  # ids created, by kind
        self.taken: dict[str, set[int]] = {"sources": set(), "scopes": set()}  # ids some key already names
        self.matched: dict[str, dict[str, int]] = {"sources": {}, "scopes": {}}

    def apply(self, plan: Plan) -> None:
        flagged = {p.where for p in plan.problems}  # rows with a problem listed already
        for kind in KINDS:
            for row in plan.rows[kind]:
                problem = self._one(row, flagged)
                if problem is not None:
                    plan.problems.append(problem)
                    flagged.add(problem.where)

    def mark(self, import_id: int) -> int:
        """Stamp the figures and claims written with the import's id; returns the groups touched."""
        for kind, model in (("figures", Figure), ("claims", Claim)):
            made = self.made[kind]
            for start in range(0, len(made), 5000):
                ids = made[start : start + 5000]
                self.session.execute(update(table(model)).where(table(model).c.id.in_(ids)).values(import_id=import_id))
        groups = select(col(Figure.event_id), col(Figure.metric)).where(col(Figure.import_id) == import_id).distinct()
        return len(self.session.execute(groups).all())

    def _one(self, row: Row, flagged: set[Where]) -> Problem | None:
        values = self._resolve(row)
        if values is None:  # it names a refused row, whose problem is listed
            if self.skip and row.where not in flagged:
                return row.problem("", "it names a row that was refused", "refused-reference")
            return None
        try:
            if self.skip:
                with self.session.begin_nested():  # a refused row is rolled back alone
                    ident = WRITERS[row.kind](self, row, values)
            else:
                ident = WRITERS[row.kind](self, row, values)
        except (ServiceError, DomainError, ValidationError) as exc:
            return _problem(row, exc)
        if row.key is not None:
            self.ids[row.kind][row.key] = ident
        return None

    def _resolve(self, row: Row) -> dict[str, Any] | None:
        """The row's references as ids; None if one names a row that was not written."""
        targets = {link.by_id: link.target for link in links_of(row.kind)}
        values: dict[str, Any] = {}
        for name, ref in row.links.items():
            values[name] = self.ids[targets[name]].get(ref) if isinstance(ref, str) else ref
            if isinstance(ref, str) and values[name] is None:
                return None
        if row.kind == "claims":
            relays = [self.ids["sources"].get(r) if isinstance(r, str) else r for r in row.relays]
            if None in relays:
                return None
            values["relay_ids"] = relays
        return values

    def match_or_create(self, row: Row, spec: records.Spec[Any], body: SQLModel, *where: ColumnElement[bool]) -> int:
        found = self.session.execute(select(table(spec.model).c.id).where(*where)).first()
        if found is None:
            return self.create(row, spec, body)
        ident = int(found[0])
        if ident in self.taken[row.kind]:
            name = getattr(body, "name", "")
            raise Conflict(f"this batch holds the {SINGULAR[row.kind]} {name!r} twice", field="name")
        assert row.key is not None
        self.matched[row.kind][row.key] = ident
        self.taken[row.kind].add(ident)
        return ident

    def create(self, row: Row, spec: records.Spec[Any], body: SQLModel) -> int:
        ident = records.create_id(self.session, spec, body)
        self.counted(row.kind, ident)
        return ident

    def counted(self, kind: str, ident: int) -> None:
        self.taken.get(kind, set()).add(ident)
        self.created[kind] += 1
        self.made[kind].append(ident)


# --- one writer per kind --------------------------------------------------------------------------
def _source(imp: Importer, row: Row, values: dict[str, Any]) -> int:
    body = SourceCreate.model_validate({**row.fields, **values})
    parent = body.parent_id
    same_parent = col(Source.parent_id).is_(None) if parent is None else col(Source.parent_id) == parent
    return imp.match_or_create(row, records.SOURCES, body, col(Source.name) == body.name, same_parent)


def _document(imp: Importer, row: Row, values: dict[str, Any]) -> int:
    return imp.create(row, records.DOCUMENTS, DocumentCreate.model_validate({**row.fields, **values}))


def _event(imp: Importer, row: Row, values: dict[str, Any]) -> int:
    return imp.create(row, records.EVENTS, EventCreate.model_validate({**row.fields, **values}))


def _scope(imp: Importer, row: Row, values: dict[str, Any]) -> int:
    body = ScopeCreate.model_validate({**row.fields, **values})
    return imp.match_or_create(row, records.SCOPES, body, col(Scope.name) == body.name)


def _claim(imp: Importer, row: Row, values: dict[str, Any]) -> int:
    body = ClaimCreate.model_validate({**row.fields, **values, "figures": []})
    ident = int(claims.create(imp.session, body, imp.tolerance).id)  # type: ignore[arg-type]
    imp.counted("claims", ident)
    return ident


def _figure(imp: Importer, row: Row, values: dict[str, Any]) -> int:
    claim_id = values.pop("claim_id")
    if not isinstance(row.links["claim_id"], str):  # an existing claim, by id
        get_or_404(imp.session, Claim, claim_id, "claim_id")
    body = FigureInput.model_validate({**row.fields, **values})
    ident = int(figure_service.build(imp.session, claim_id, body, imp.tolerance).id)  # type: ignore[arg-type]
    imp.counted("figures", ident)
    return ident


WRITERS: dict[str, Writer] = {
    "sources": _source,
    "documents": _document,
    "events": _event,
    "scopes": _scope,
    "claims": _claim,
    "figures": _figure,
}


# --- a refusal as a problem of its row ------------------------------------------------------------
def _problem(row: Row, exc: Exception) -> Problem:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first["loc"])
        return row.problem(name, first["msg"].removeprefix("Value error, "), first["type"])
    if isinstance(exc, DomainError):
        kind = "unreadable" if isinstance(exc, Unreadable) else "invalid-interval"
        return row.problem("text" if row.fields.get("text") else "", str(exc), kind)
    assert isinstance(exc, ServiceError)
    name = getattr(exc, "field", None) or exc.extra.get("field") or ""
    kind = next((t for cls, t in ERROR_TYPES.items() if isinstance(exc, cls)), type(exc).__name__.lower())
    return row.problem(_client_field(row, str(name)), exc.detail, kind)


def _client_field(row: Row, name: str) -> str:
    """The field as the client wrote it: ``claimant`` when it gave a key, ``claimant_id`` for an id."""
    head, _, rest = name.partition(".")
    if head == "relay_ids" and row.relays_by_key:
        return f"relays.{rest}" if rest else "relays"
    if isinstance(row.links.get(head), str):
        return next(link.by_key for link in links_of(row.kind) if link.by_id == head)
    return name
