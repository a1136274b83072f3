"""Fold a duplicate source ("AP") into the one kept ("The Associated Press"), in one transaction.

Everything that named the duplicate names the kept source afterwards: claims it made, relay
positions (a chain that would list the kept source twice keeps its first position), documents it
published, its child sources (a child whose name the kept source already has under it is folded
into that child, the same way) and its aliases; its name becomes an alias, and it is deleted.
Every changed record is kept in the history; the groups the moved claims speak in are refreshed."""

from collections import Counter
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.domain.names import normalise
from app.errors import Conflict
from app.models.aliases import MergeMoved, MergeResult, SourceAlias
from app.models.entities import Claim, ClaimRelay, Document, Source, SourcePublic
from app.services import aliases, history, trees
from app.services.common import apply_changes, delete_row, get_or_404


def merge(session: Session, kept_id: int, duplicate_id: int) -> MergeResult:
    kept = get_or_404(session, Source, kept_id)
    duplicate = get_or_404(session, Source, duplicate_id, "duplicate_id")
    moved: Counter[str] = Counter()
    merged: list[int] = []
    _fold(session, kept, duplicate, moved, merged)
    return MergeResult(
        source=SourcePublic.model_validate(kept, from_attributes=True),
        moved=MergeMoved.model_validate({kind: moved[kind] for kind in MergeMoved.model_fields}),
        merged=merged,
        aliases=[aliases.public(a) for a in aliases.all_of(session, kept_id)],
    )


def _fold(session: Session, kept: Source, duplicate: Source, moved: Counter[str], merged: list[int]) -> None:
    assert kept.id is not None and duplicate.id is not None
    _refuse_cycle(session, kept.id, duplicate.id)
    _move_children(session, kept, duplicate, moved, merged)
    _move_claims(session, kept.id, duplicate.id, moved)
    _move_documents(session, kept.id, duplicate.id, moved)
    _move_aliases(session, kept, duplicate, moved)
    delete_row(session, Source, duplicate.id, cascade=False)  # nothing names it now: 409 if a write raced us
    merged.append(duplicate.id)


def _refuse_cycle(session: Session, kept_id: int, duplicate_id: int) -> None:
    """The kept source must be neither the duplicate nor under it: its children move to the kept one."""
    if kept_id == duplicate_id:
        raise Conflict(f"source {kept_id} cannot be merged into itself", field="duplicate_id")
    if duplicate_id in trees.ancestors(session, Source, kept_id):
        raise Conflict(
            f"source {kept_id} is under source {duplicate_id}: merging would make it its own ancestor",
            field="duplicate_id",
        )


def _children(session: Session, parent_id: int) -> list[Source]:
    return list(session.execute(select(Source).where(col(Source.parent_id) == parent_id)).scalars())


def _move_children(session: Session, kept: Source, duplicate: Source, moved: Counter[str], merged: list[int]) -> None:
    """Children move under the kept source; one whose name is taken there is folded into its namesake."""
    assert kept.id is not None
    namesakes = {c.name: c for c in _children(session, kept.id) if c.id != duplicate.id}
    for child in _children(session, duplicate.id or 0):
        if child.name in namesakes:
            _fold(session, namesakes[child.name], child, moved, merged)
        elif child.name == duplicate.name and duplicate.parent_id == kept.id:
            raise Conflict(
                f"source {child.id} under the duplicate has the duplicate's own name {child.name!r}: "
                "rename or merge it first",
                field="duplicate_id",
            )
        else:
            _update(session, child, {"parent_id": kept.id})
            moved["sources"] += 1


def _move_claims(session: Session, kept_id: int, duplicate_id: int, moved: Counter[str]) -> None:
    """Claims the duplicate made or relayed: claimant and relay chain rewritten, one history entry each."""
    relayed = select(col(ClaimRelay.claim_id)).where(col(ClaimRelay.source_id) == duplicate_id)
    stmt = select(Claim).where((col(Claim.claimant_id) == duplicate_id) | col(Claim.id).in_(relayed))
    for claim in session.execute(stmt.order_by(col(Claim.id))).scalars().all():
        before = history.snapshot(claim, session)
        chain: list[int] = before["relay_ids"]
        changes = {"claimant_id": kept_id} if claim.claimant_id == duplicate_id else {}
        moved["claims"] += bool(changes)
        if duplicate_id in chain:
            moved["relays"] += chain.count(duplicate_id)
            _set_chain(session, claim.id or 0, [kept_id if s == duplicate_id else s for s in chain])
        apply_changes(claim, changes)
        session.flush()
        history.record(session, claim, "update", before)


def _set_chain(session: Session, claim_id: int, chain: list[int]) -> None:
    """Store a relay chain, each source at its first position only, in order."""
    session.execute(delete(ClaimRelay).where(col(ClaimRelay.claim_id) == claim_id))
    unique = list(dict.fromkeys(chain))
    session.add_all(ClaimRelay(claim_id=claim_id, position=i, source_id=s) for i, s in enumerate(unique))
    session.flush()


def _move_documents(session: Session, kept_id: int, duplicate_id: int, moved: Counter[str]) -> None:
    for document in session.execute(select(Document).where(col(Document.publisher_id) == duplicate_id)).scalars():
        _update(session, document, {"publisher_id": kept_id})
        moved["documents"] += 1


def _update(session: Session, row: Source | Document, changes: dict[str, Any]) -> None:
    before = history.snapshot(row, session)
    apply_changes(row, changes)
    session.flush()
    history.record(session, row, "update", before)


def _move_aliases(session: Session, kept: Source, duplicate: Source, moved: Counter[str]) -> None:
    """The duplicate's aliases become the kept source's, and so does its name (unless taken)."""
    own = normalise(kept.name)
    for alias in aliases.all_of(session, duplicate.id or 0):
        if alias.normalised == own:
            session.delete(alias)  # the kept source's name already: no alias needed
            continue
        apply_changes(alias, {"source_id": kept.id})
        moved["aliases"] += 1
    session.flush()
    key = normalise(duplicate.name)
    if aliases.fits(key) and key != own and aliases.holder(session, key) is None:
        session.add(SourceAlias(source_id=kept.id or 0, alias=duplicate.name, normalised=key))
        session.flush()
