"""Other names of a source ("AP" for "The Associated Press"), and merging a duplicate source.

An alias is unique by its normalised form (``app.services.extraction.normalise``: case, accents,
spacing and a leading "the" ignored), so a name read in an article matches one source at most."""

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from app.models.common import AUTOINCREMENT, Tracked, TrackedPublic
from app.models.entities import MAX_ID, NAME, SourcePublic, strict

NORMALISED = 2000  # bytes at most (checked by the service): NFKD expands some characters; a btree key stays small


class SourceAlias(Tracked, table=True):
    __tablename__ = "source_alias"
    __table_args__ = AUTOINCREMENT
    id: int | None = SQLField(default=None, primary_key=True)
    source_id: int = SQLField(foreign_key="source.id", ondelete="CASCADE", index=True)
    alias: str = SQLField(max_length=NAME)
    normalised: str = SQLField(max_length=NORMALISED, unique=True)


class SourceAliasCreate(SQLModel):
    model_config = strict({"alias": "AP"})
    alias: str = SQLField(min_length=1, max_length=NAME, description="Another name the source goes by.")


class SourceAliasPublic(TrackedPublic):
    id: int
    source_id: int
    alias: str
    normalised: str = Field(description="The form names are matched by: case, accents and a leading 'the' ignored")


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"duplicate_id": 2}]})
    duplicate_id: int = Field(ge=1, le=MAX_ID, description="The source to fold into this one; it is deleted.")


class MergeMoved(BaseModel):
    """How many rows the merge moved to the kept source, by kind."""

    claims: int = Field(description="Claims the duplicate made as claimant")
    relays: int = Field(description="Relay positions that named the duplicate")
    documents: int = Field(description="Documents it published")
    sources: int = Field(description="Child sources moved under the kept source")
    aliases: int = Field(description="Aliases of the duplicate, now the kept source's")


class MergeResult(BaseModel):
    source: SourcePublic = Field(description="The kept source")
    moved: MergeMoved
    merged: list[int] = Field(
        description="Ids of deleted sources: the duplicate, and any child of it folded into the kept source's "
        "child of the same name"
    )
    aliases: list[SourceAliasPublic] = Field(description="Every alias of the kept source after the merge")
