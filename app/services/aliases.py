"""Aliases of sources: other names a source goes by, unique by their normalised form."""

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.domain.names import normalise
from app.errors import Conflict, Invalid, NotFound
from app.models.aliases import NORMALISED, SourceAlias, SourceAliasPublic
from app.models.entities import Source
from app.services.common import PageRequest, get_or_404


def fits(key: str) -> bool:
    """A normalised alias can be stored: not empty, and short enough for the unique index."""
    return 0 < len(key.encode("utf-8")) <= NORMALISED


def normalised(alias: str) -> str:
    """The alias as names are matched; refused if nothing is left of it or it is too long."""
    found = normalise(alias)
    if not fits(found):
        raise Invalid(
            f"an alias must be a name of at most {NORMALISED} bytes once case, accents, spacing and a leading "
            "'the' are set aside",
            field="alias",
        )
    return found


def public(row: SourceAlias) -> SourceAliasPublic:
    return SourceAliasPublic.model_validate(row, from_attributes=True)


def of_source(session: Session, source_id: int, page: PageRequest) -> tuple[list[SourceAliasPublic], int]:
    get_or_404(session, Source, source_id)
    where = col(SourceAlias.source_id) == source_id
    total = session.execute(select(func.count()).select_from(SourceAlias).where(where)).scalar_one()
    stmt = select(SourceAlias).where(where).order_by(col(SourceAlias.id)).limit(page.limit).offset(page.offset)
    return [public(row) for row in session.execute(stmt).scalars()], int(total)


def holder(session: Session, key: str) -> SourceAlias | None:
    """The alias row with this normalised form, if any."""
    found: SourceAlias | None = (
        session.execute(select(SourceAlias).where(col(SourceAlias.normalised) == key)).scalars().first()
    )
    return found


def create(session: Session, source_id: int, alias: str) -> SourceAliasPublic:
    """Give a source another name: 409 if it is its name already or another source's alias."""
    source = get_or_404(session, Source, source_id)
    key = normalised(alias)
    if key == normalise(source.name):
        raise Conflict(f"{alias!r} is the name of source {source_id} already", field="alias")
    taken = holder(session, key)
    if taken is not None:
        raise Conflict(f"{alias!r} is already an alias of source {taken.source_id}", field="alias")
    row = SourceAlias(source_id=source_id, alias=alias, normalised=key)
    session.add(row)
    session.flush()
    return public(row)


def delete(session: Session, source_id: int, alias_id: int) -> None:
    get_or_404(session, Source, source_id)
    row = session.get(SourceAlias, alias_id)
    if row is None or row.source_id != source_id:
        raise NotFound(f"source {source_id} has no alias {alias_id}")
    session.delete(row)
    session.flush()


def all_of(session: Session, source_id: int) -> list[SourceAlias]:
    stmt = select(SourceAlias).where(col(SourceAlias.source_id) == source_id).order_by(col(SourceAlias.id))
    return list(session.execute(stmt).scalars())
