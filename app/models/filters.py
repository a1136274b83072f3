"""Query filters of the list endpoints, declared once per resource.

A resource's filters are a ``FilterSpec``: each ``Filter`` names its query parameter, the column
(or expression) it tests — through a related table where needed (``Through``) — its value type and
the operators it allows. Everything else is derived from the spec:

- the pydantic query model FastAPI validates and documents (``@derived_from(SPEC)`` adds one field
  per parameter: ``low``, ``low__gt``, ``low__gte``, ``low__lt``, ``low__lte``, ``kind__in`` ...);
- the parameters ``app.api.deps.known_params`` accepts (that model's fields);
- the SQL: ``app.services.filtering.apply`` is the one place a spec meets a statement, for the
  pages and the CSV/NDJSON exports alike;
- the README table of filters (``readme_table``, checked by a test).

``field=v`` is equality; ``__gt``, ``__gte``, ``__lt``, ``__lte`` compare (every numeric and date
field of a list takes all four); ``field__in=a,b`` is any of a comma-separated list whose every item
is validated like the field itself (an unknown enum value is a 422 naming the parameter and the
allowed values); ``q`` is a case-insensitive substring of the name (or title)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Annotated, Any, ClassVar, TypeVar, cast

from annotated_types import Ge, Le
from pydantic import (
    AfterValidator,
    AllowInfNan,
    BaseModel,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    create_model,
)

from app.domain.discrepancy import Period
from app.domain.intervals import Bound
from app.domain.vocab import Modality, SourceKind
from app.models.common import Instant
from app.models.entities import MAX_ID, MAX_VALUE, Claim, ClaimRelay, Document, Event, Figure, Scope, Source

DateTime = Instant  # the one type of every date filter: ISO text, in range in UTC

# --- value types: each carries its own bounds, and the items of an `__in` list are checked by it --
Id = Annotated[int, Ge(1), Le(MAX_ID)]
Number = Annotated[float, AllowInfNan(False)]
Count = Annotated[int, Ge(0), Le(MAX_ID)]
Name = Annotated[str, StringConstraints(max_length=200)]
MetricName = Annotated[str, StringConstraints(max_length=60)]
Language = Annotated[str, StringConstraints(max_length=20)]
Factor = Annotated[float, Ge(1), Le(MAX_VALUE), AllowInfNan(False)]
MAX_LIST = 1000  # characters of an `__in` list


class Op(StrEnum):
    eq = "eq"  # field=v
    gt = "gt"
    gte = "gte"
    lt = "lt"
    lte = "lte"
    in_ = "in"  # field__in=a,b
    search = "search"  # q=part: a case-insensitive substring
    within = "within"  # event_id=v: v or any record nested under it


BARE = (Op.eq, Op.search, Op.within)  # written as the parameter name alone
ORDER = (Op.gt, Op.gte, Op.lt, Op.lte)
COMPARE = (Op.eq, *ORDER)  # every numeric and date field
ONE_OF = (Op.eq, Op.in_)  # ids, enums, vocabularies
SAYS = {
    Op.eq: "Equal to this.",
    Op.gt: "Greater than this.",
    Op.gte: "This or greater.",
    Op.lt: "Less than this.",
    Op.lte: "This or less.",
    Op.in_: "Any of these, comma-separated.",
}


@dataclass(frozen=True)
class Through:
    """The column tested belongs to a related table: the rows listed are those whose ``key`` is in
    ``SELECT match FROM <related> [JOIN table ON on ...] WHERE <the test>``. ``key`` and ``match``
    are a column each, or tuples of columns of the same length."""

    key: Any
    match: Any
    join: tuple[tuple[Any, Any], ...] = ()


@dataclass(frozen=True)
class Filter:
    """One filter: ``name`` is the query parameter (``name__op`` for the operators not written
    bare), ``column`` what it tests, ``type`` the value's type with its bounds."""

    name: str
    column: Any
    type: Any
    ops: tuple[Op, ...]
    description: str = ""
    through: Through | None = None  # the column is another table's, reached through a subquery
    tree: Any = None  # for Op.within: the table whose parent_id tree holds the nested records
    bare: Op | None = None  # an operator written as the bare name (min_factor is severity >=)

    def param(self, op: Op) -> str:
        return self.name if op in BARE or op is self.bare else f"{self.name}__{op.value}"

    @property
    def noted(self) -> bool:
        """Tests something else than the listed table's own column of that name."""
        own = getattr(self.column, "key", self.name) == self.name
        return not own or bool(self.through or self.tree or Op.search in self.ops)


@dataclass(frozen=True)
class FilterSpec:
    resource: str
    filters: tuple[Filter, ...]

    def params(self) -> Iterator[tuple[str, Filter, Op]]:
        for f in self.filters:
            for op in f.ops:
                yield f.param(op), f, op

    def __post_init__(self) -> None:
        names = [name for name, _, _ in self.params()]
        doubled = {n for n in names if names.count(n) > 1}
        assert not doubled, f"{self.resource}: parameters declared twice: {doubled}"


def stamps(model: Any) -> tuple[Filter, ...]:
    return (
        Filter("created_at", model.created_at, DateTime, COMPARE),
        Filter("updated_at", model.updated_at, DateTime, COMPARE),
    )


# --- the specs ------------------------------------------------------------------------------------
SOURCES = FilterSpec(
    "sources",
    (
        Filter("kind", Source.kind, SourceKind, ONE_OF),
        Filter("affiliation", Source.affiliation, Name, (Op.eq,)),
        Filter("reference", Source.reference, bool, (Op.eq,)),
        Filter("parent_id", Source.parent_id, Id, ONE_OF),
        Filter("q", Source.name, Name, (Op.search,), "Part of the name."),
        *stamps(Source),
    ),
)
DOCUMENTS = FilterSpec(
    "documents",
    (
        Filter("publisher_id", Document.publisher_id, Id, ONE_OF),
        Filter("language", Document.language, Language, (Op.eq,)),
        Filter("published_at", Document.published_at, DateTime, COMPARE),
        Filter("q", Document.title, Name, (Op.search,), "Part of the title."),
        *stamps(Document),
    ),
)
EVENTS = FilterSpec(
    "events",
    (
        Filter("parent_id", Event.parent_id, Id, ONE_OF),
        Filter("started_at", Event.started_at, DateTime, COMPARE),
        Filter("ended_at", Event.ended_at, DateTime, COMPARE),
        Filter("party", Event.party, Name, (Op.eq,)),
        Filter("q", Event.name, Name, (Op.search,), "Part of the name."),
        *stamps(Event),
    ),
)
SCOPES = FilterSpec(
    "scopes",
    (
        Filter("parent_id", Scope.parent_id, Id, ONE_OF),
        Filter("party", Scope.party, Name, (Op.eq,)),
        Filter("q", Scope.name, Name, (Op.search,), "Part of the name."),
        *stamps(Scope),
    ),
)
CLAIMS = FilterSpec(
    "claims",
    (
        Filter("claimant_id", Claim.claimant_id, Id, ONE_OF),
        Filter(
            "relay_id",
            ClaimRelay.source_id,
            Id,
            ONE_OF,
            "A source it came through.",
            through=Through(Claim.id, ClaimRelay.claim_id),
        ),
        Filter("document_id", Claim.document_id, Id, ONE_OF),
        Filter(
            "event_id",
            Figure.event_id,
            Id,
            ONE_OF,
            "Claims with a figure about it.",
            through=Through(Claim.id, Figure.claim_id),
        ),
        Filter("modality", Claim.modality, Modality, ONE_OF),
        Filter("stated_at", Claim.stated_at, DateTime, COMPARE),
        Filter("quote_start", Claim.quote_start, Count, COMPARE),
        Filter("quote_end", Claim.quote_end, Count, COMPARE),
        *stamps(Claim),
    ),
)
FIGURES = FilterSpec(
    "figures",
    (
        Filter("event_id", Figure.event_id, Id, ONE_OF),
        Filter("metric", Figure.metric, MetricName, ONE_OF),
        Filter("scope_id", Figure.scope_id, Id, ONE_OF),
        Filter("claim_id", Figure.claim_id, Id, ONE_OF),
        Filter(
            "claimant_id",
            Claim.claimant_id,
            Id,
            ONE_OF,
            "The claim's claimant.",
            through=Through(Figure.claim_id, Claim.id),
        ),
        Filter("bound", Figure.bound, Bound, ONE_OF),
        Filter("period", Figure.period, Period, ONE_OF),
        Filter("low", Figure.low, Number, COMPARE),
        Filter("high", Figure.high, Number, COMPARE),
        Filter("central", Figure.central, Number, COMPARE),
        Filter("tolerance", Figure.tolerance, Number, COMPARE),
        Filter("factor", Figure.factor, Number, COMPARE),
        *stamps(Figure),
    ),
)


# --- the query models -----------------------------------------------------------------------------
class Filters(BaseModel):
    """The filters of one list, derived from its spec. Unknown query parameters are refused by
    ``app.api.deps.known_params``, so a typo never silently widens a list."""

    spec: ClassVar[FilterSpec] = FilterSpec("none", ())


M = TypeVar("M", bound=type[Filters])


def derived_from(spec: FilterSpec) -> Callable[[M], M]:
    """Class decorator: the class with one optional field per parameter of ``spec``."""

    def build(cls: M) -> M:
        cls.spec = spec
        fields: dict[str, Any] = {name: _field(f, op) for name, f, op in spec.params()}
        model = create_model(cls.__name__, __base__=cls, __module__=cls.__module__, __doc__=cls.__doc__, **fields)
        return cast(M, model)

    return build


def _field(f: Filter, op: Op) -> tuple[Any, Any]:
    says = "" if op in (f.bare, Op.search, Op.within) else SAYS[op]
    if op is Op.in_:
        allowed = _allowed(f.type)
        listed = Annotated[str, StringConstraints(max_length=MAX_LIST), AfterValidator(_items(f.type))]
        says += f" One of: {', '.join(allowed)}." if allowed else ""
        return listed | None, Field(default=None, description=f"{f.description} {says}".strip())
    return f.type | None, Field(default=None, description=f"{f.description} {says}".strip())


def _allowed(kind: Any) -> list[str]:
    return [m.value for m in kind] if isinstance(kind, type) and issubclass(kind, Enum) else []


def _items(kind: Any) -> Callable[[str], tuple[Any, ...]]:
    """Split ``a,b`` and validate each item as the field's own type."""
    adapter: TypeAdapter[Any] = TypeAdapter(kind)
    allowed = _allowed(kind)

    def split(text: str) -> tuple[Any, ...]:
        found = []
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            try:
                found.append(adapter.validate_python(item))
            except ValidationError as exc:
                why = f"allowed: {', '.join(allowed)}" if allowed else exc.errors()[0]["msg"].lower()
                raise ValueError(f"{item!r} is not a valid item ({why})") from None
        return tuple(found)

    return split


@derived_from(SOURCES)
class SourceFilters(Filters):
    """Filters of ``GET /sources``."""


@derived_from(DOCUMENTS)
class DocumentFilters(Filters):
    """Filters of ``GET /documents``."""


@derived_from(EVENTS)
class EventFilters(Filters):
    """Filters of ``GET /events``."""


@derived_from(SCOPES)
class ScopeFilters(Filters):
    """Filters of ``GET /scopes``."""


@derived_from(CLAIMS)
class ClaimFilters(Filters):
    """Filters of ``GET /claims``."""


@derived_from(FIGURES)
class FigureFilters(Filters):
    """Filters of ``GET /figures`` (and its CSV/NDJSON export)."""


# --- the README table -----------------------------------------------------------------------------
def readme_table(*specs: FilterSpec) -> str:
    """The README's table of filters: per resource, the filters by the operators they take."""
    lines = ["| list | filters | operators |", "|---|---|---|"]
    for spec in specs:
        groups: dict[str, list[str]] = {}
        for f in spec.filters:
            label = f"`{f.name}`" + (f" ({f.description.rstrip('.').lower()})" if f.noted and f.description else "")
            groups.setdefault(_ops(f), []).append(label)
        for ops, names in groups.items():
            lines.append(f"| {spec.resource} | {', '.join(names)} | {ops} |")
    return "\n".join(lines)


def _ops(f: Filter) -> str:
    shown = {Op.eq: "`=`", Op.search: "`=` (substring)", Op.within: "`=` (nested too)", Op.in_: "`__in`"}
    if f.bare is not None:
        shown[f.bare] = f"`=` ({SAYS[f.bare].rstrip('.').lower()})"
    return ", ".join(shown.get(op, f"`__{op.value}`") for op in f.ops)
