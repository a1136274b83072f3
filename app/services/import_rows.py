"""The rows of a bulk import, read and checked before anything is written: JSON or NDJSON in,
rows validated by the single-record endpoints' own models (``app.models.imports``), keys unique
per kind, every reference by key known, no parent or reference cycles. Every problem is kept,
with where it is (a path such as ``claims.3.figures.0.text``, or an NDJSON line) and the row's key.
JSON is read strictly (``app.strict_json``): an object holding a key twice, or nesting deeper than
``MAX_DEPTH`` levels, is a problem of the body or of its NDJSON line.

Nothing here touches the database; ``app.services.imports`` writes the rows in dependency order."""

from collections.abc import Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from app.errors import ServiceError
from app.models.imports import KINDS, MAX_ROWS, ROW_MODELS, ClaimRow, FigureLine, FigureRow
from app.strict_json import JsonRefused, loads_strict

SINGULAR = {kind: kind.removesuffix("s") for kind in KINDS}
TYPES = {singular: kind for kind, singular in SINGULAR.items()}  # NDJSON "type": "source" -> sources


class TooManyRows(ServiceError):
    """More rows than one request may carry."""

    status = 413
    title = "Too many rows"


@dataclass(frozen=True)
class Where:
    """Where a row is: its path in the JSON body, or its NDJSON line (and the path inside it)."""

    path: str
    line: int | None
    seq: int  # input order, to list problems in it

    def at(self, name: str) -> str:
        return ".".join(p for p in (self.path, name) if p)


@dataclass(frozen=True)
class Problem:
    where: Where
    field: str
    reason: str
    type: str
    key: str | None

    def public(self) -> dict[str, Any]:
        return {
            "field": self.where.at(self.field),
            "reason": self.reason,
            "type": self.type,
            "key": self.key,
            "line": self.where.line,
        }


@dataclass(frozen=True)
class Link:
    """A reference: by key (``parent``) to a row of this batch, or by id (``parent_id``)."""

    by_key: str
    by_id: str
    target: str
    required: bool = False


LINKS: dict[str, tuple[Link, ...]] = {
    "sources": (Link("parent", "parent_id", "sources"),),
    "documents": (Link("publisher", "publisher_id", "sources"),),
    "events": (Link("parent", "parent_id", "events"),),
    "scopes": (Link("parent", "parent_id", "scopes"),),
    "claims": (Link("claimant", "claimant_id", "sources", True), Link("document", "document_id", "documents")),
    "figures": (
        Link("event", "event_id", "events", True),
        Link("scope", "scope_id", "scopes"),
        Link("reference", "reference_id", "figures"),
    ),
}
CLAIM_LINK = Link("claim", "claim_id", "claims", True)  # a figure on its own line names its claim


def links_of(kind: str) -> tuple[Link, ...]:
    return LINKS[kind] + ((CLAIM_LINK,) if kind == "figures" else ())


KEY_FIELDS = {link.by_key for links in LINKS.values() for link in links} | {"key", "claim", "relays", "figures"}
ID_FIELDS = {link.by_id for links in LINKS.values() for link in links} | {"claim_id", "relay_ids"}


@dataclass(frozen=True)
class Raw:
    kind: str
    data: Any
    where: Where

    @property
    def key(self) -> str | None:
        key = self.data.get("key") if isinstance(self.data, dict) else None
        return key if isinstance(key, str) else None


@dataclass
class Row:
    """A valid row: its own fields, and its references (a key: str, an id: int, or None) by id field."""

    kind: str
    key: str | None
    fields: dict[str, Any]
    links: dict[str, str | int | None]
    where: Where
    relays: list[str | int] = field(default_factory=list)
    relays_by_key: bool = False
    claim: str | None = None  # an inline figure's claim key: named in its problems when it has no key

    def problem(self, name: str, reason: str, kind: str) -> Problem:
        return Problem(self.where, name, reason, kind, self.key or self.claim)


# --- reading ------------------------------------------------------------------------------------
def read(text: str, ndjson: bool) -> tuple[list[Raw], list[Problem]]:
    """The rows of a body, in input order, and what is wrong with its shape."""
    raws, problems = _read_ndjson(text) if ndjson else _read_json(text)
    count = len(raws) + sum(_inline_count(r) for r in raws)
    if count > MAX_ROWS:
        raise TooManyRows(f"{count:,} rows: at most {MAX_ROWS:,} per request; split the batch")
    return raws, problems


def count_rows(raws: Iterable[Raw]) -> int:
    """Rows of a batch, figures inline in claims counted."""
    return sum(1 + _inline_count(r) for r in raws)


def _inline_count(raw: Raw) -> int:
    inline = raw.data.get("figures") if raw.kind == "claims" and isinstance(raw.data, dict) else None
    return len(inline) if isinstance(inline, list) else 0


def _read_json(text: str) -> tuple[list[Raw], list[Problem]]:
    top = Where("", None, 0)
    try:
        data = loads_strict(text)
    except JsonRefused as refused:
        return [], _refused(refused, top)
    except ValueError as exc:
        return [], [Problem(top, "", f"the body is not JSON: {exc}", "malformed-json", None)]
    if not isinstance(data, dict):
        return [], [Problem(top, "", f"the body must be an object with lists: {', '.join(KINDS)}", "shape", None)]
    problems = [Problem(top, str(name), f"unknown list; known: {', '.join(KINDS)}", "shape", None) for name in data]
    problems = [p for p in problems if p.field not in KINDS]
    raws: list[Raw] = []
    for kind in KINDS:
        items = data.get(kind, [])
        if not isinstance(items, list):
            problems.append(Problem(top, kind, "must be a list of objects", "shape", None))
            continue
        raws += [Raw(kind, item, Where(f"{kind}.{i}", None, len(raws) + i)) for i, item in enumerate(items)]
    return raws, problems


def _read_ndjson(text: str) -> tuple[list[Raw], list[Problem]]:
    lines = [(n, line) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    if len(lines) > MAX_ROWS:
        raise TooManyRows(f"{len(lines):,} lines: at most {MAX_ROWS:,} rows per request; split the batch")
    raws: list[Raw] = []
    problems: list[Problem] = []
    for n, line in lines:
        where = Where("", n, n)
        found = _line(line, where)
        if isinstance(found, Raw):
            raws.append(found)
        else:
            problems += found if isinstance(found, list) else [found]
    return raws, problems


def _refused(refused: JsonRefused, where: Where) -> list[Problem]:
    """A key held twice by an object (each named), or nesting deeper than ``MAX_DEPTH``."""
    return [Problem(where, fault.path, fault.reason, fault.kind, None) for fault in refused.faults]


def _line(line: str, where: Where) -> Raw | Problem | list[Problem]:
    try:
        data = loads_strict(line)
    except JsonRefused as refused:
        return _refused(refused, where)
    except ValueError as exc:
        return Problem(where, "", f"the line is not JSON: {exc}", "malformed-json", None)
    if not isinstance(data, dict):
        return Problem(where, "", "a line must be a JSON object with a `type`", "shape", None)
    kind = TYPES.get(data.pop("type", None)) if isinstance(data.get("type"), str) else None
    if kind is None:
        key = data.get("key") if isinstance(data.get("key"), str) else None
        return Problem(where, "type", f"`type` must be one of: {', '.join(TYPES)}", "shape", key)
    return Raw(kind, data, where)


# --- checking -----------------------------------------------------------------------------------
@dataclass
class Plan:
    """The valid rows by kind, parents before children, and every problem found so far."""

    rows: dict[str, list[Row]]
    problems: list[Problem]


def check(raws: list[Raw], problems: list[Problem]) -> Plan:
    rows: list[Row] = []
    for raw in raws:
        rows += _validated(raw, problems)
    by_kind = {kind: [r for r in rows if r.kind == kind] for kind in KINDS}
    keys = _unique_keys(by_kind, problems)
    kept = {r.where.seq for r in by_kind["claims"]}  # a repeated claim goes with its inline figures
    by_kind["figures"] = [f for f in by_kind["figures"] if f.claim is None or f.where.seq in kept]
    for row in rows:
        problems += _unknown_keys(row, keys)
    for kind, link in (("sources", "parent_id"), ("events", "parent_id"), ("scopes", "parent_id")):
        problems += _cycles(by_kind[kind], link, "parent")
    problems += _cycles(by_kind["figures"], "reference_id", "reference")
    return Plan({kind: _ordered(by_kind[kind]) for kind in KINDS}, problems)


def _validated(raw: Raw, problems: list[Problem]) -> list[Row]:
    model = ROW_MODELS[raw.kind]
    try:
        valid = model.model_validate(raw.data)
    except ValidationError as exc:
        problems += [_pydantic_problem(raw, e) for e in exc.errors()]
        return []
    own = _row(raw.kind, valid, raw.where, problems)
    inline = valid.figures if isinstance(valid, ClaimRow) else []
    figures = [_figure(f, raw.where, i, getattr(valid, "key", ""), problems) for i, f in enumerate(inline)]
    if own is None:
        return []
    return [own, *(f for f in figures if f is not None)]


def _pydantic_problem(raw: Raw, error: Any) -> Problem:
    name = ".".join(str(p) for p in error["loc"])
    return Problem(raw.where, name, str(error["msg"]).removeprefix("Value error, "), str(error["type"]), raw.key)


def _figure(model: FigureRow, where: Where, i: int, claim: str, problems: list[Problem]) -> Row | None:
    row = _row("figures", model, Where(where.at(f"figures.{i}"), where.line, where.seq), problems, claim)
    if row is not None:
        row.links["claim_id"] = claim
    return row


def _row(kind: str, model: BaseModel, where: Where, problems: list[Problem], claim: str | None = None) -> Row | None:
    key = getattr(model, "key", None)
    row = Row(kind, key, model.model_dump(exclude=KEY_FIELDS | ID_FIELDS), {}, where, claim=claim)
    links = LINKS[kind] + ((CLAIM_LINK,) if isinstance(model, FigureLine) else ())
    found = [p for link in links if (p := _link(row, model, link)) is not None]
    if isinstance(model, ClaimRow):
        found += _relays(row, model)
    problems += found
    return None if found else row


def _link(row: Row, model: BaseModel, link: Link) -> Problem | None:
    by_key, by_id = getattr(model, link.by_key, None), getattr(model, link.by_id, None)
    row.links[link.by_id] = by_key if by_key is not None else by_id
    if by_key is not None and by_id is not None:
        return row.problem(link.by_key, f"give `{link.by_key}` (a key) or `{link.by_id}` (an id), not both", "rule")
    if link.required and by_key is None and by_id is None:
        return row.problem(link.by_key, f"give `{link.by_key}` (a key) or `{link.by_id}` (an id)", "missing")
    return None


def _relays(row: Row, model: ClaimRow) -> list[Problem]:
    if model.relays and model.relay_ids:
        return [row.problem("relays", "give `relays` (keys or ids) or `relay_ids`, not both", "rule")]
    row.relays, row.relays_by_key = list(model.relays or model.relay_ids), bool(model.relays)
    return []


def _unique_keys(by_kind: dict[str, list[Row]], problems: list[Problem]) -> dict[str, set[str]]:
    """Keys by kind; a row repeating a key is a problem, and is dropped from ``by_kind``."""
    keys: dict[str, set[str]] = {}
    for kind, rows in by_kind.items():
        first: dict[str, Row] = {}
        for row in rows:
            if row.key is not None and row.key in first:
                again = first[row.key].where
                where = f"line {again.line}" if again.line else again.path
                problems.append(
                    row.problem("key", f"duplicate {SINGULAR[kind]} key (first at {where})", "duplicate-key")
                )
            elif row.key is not None:
                first[row.key] = row
        by_kind[kind] = [r for r in rows if r.key is None or first[r.key] is r]
        keys[kind] = set(first)
    return keys


def _unknown_keys(row: Row, keys: dict[str, set[str]]) -> Iterator[Problem]:
    for link in links_of(row.kind):
        value = row.links.get(link.by_id)
        if isinstance(value, str) and value not in keys[link.target]:
            yield row.problem(
                link.by_key, f"no {SINGULAR[link.target]} with key {value!r} in this batch", "unknown-key"
            )
    for i, relay in enumerate(row.relays):
        if isinstance(relay, str) and relay not in keys["sources"]:
            yield row.problem(f"relays.{i}", f"no source with key {relay!r} in this batch", "unknown-key")


def _cycles(rows: list[Row], link: str, name: str) -> list[Problem]:
    """Rows whose chain of ``link`` (by key) comes back to them; each such row is a problem."""
    following = _following(rows, link)
    done: set[str] = set()
    looped: dict[str, list[str]] = {}
    for start in following:
        path, node = _chain(start, following, done)
        if node is not None and node in path:
            cycle = path[path.index(node) :]
            looped.update(dict.fromkeys(cycle, cycle))
        done.update(path)
    return [
        row.problem(name, f"{name} cycle: {' > '.join([*_from(looped[row.key], row.key), row.key])}", "cycle")
        for row in rows
        if row.key in looped
    ]


def _following(rows: Iterable[Row], link: str) -> dict[str, str]:
    following: dict[str, str] = {}
    for row in rows:
        target = row.links.get(link)
        if row.key is not None and isinstance(target, str):
            following.setdefault(row.key, target)
    return following


def _chain(start: str, following: Mapping[str, str], known: Container[str]) -> tuple[list[str], str | None]:
    """The keys from ``start`` along ``following`` up to (not including) the first that is
    ``known``, comes round again, or has nothing after it (None); and that key. Linear in the
    chain: the keys seen are kept in a set as well."""
    path: list[str] = []
    seen: set[str] = set()
    node: str | None = start
    while node is not None and node not in known and node not in seen:
        path.append(node)
        seen.add(node)
        node = following.get(node)
    return path, node


def _from(cycle: list[str], start: str) -> list[str]:
    i = cycle.index(start)
    return cycle[i:] + cycle[:i]


def _ordered(rows: list[Row]) -> list[Row]:
    """Parents (or referenced figures) before the rows that name them, by key; input order otherwise."""
    link = "reference_id" if rows and rows[0].kind == "figures" else "parent_id"
    following = _following(rows, link)
    depth: dict[str, int] = {}
    for start in following:
        path, node = _chain(start, following, depth)
        base = depth.get(node, 0) if node is not None else -1
        for i, key in enumerate(reversed(path), 1):
            depth[key] = base + i

    def level(row: Row) -> int:
        target = row.links.get(link)
        if row.key is not None and row.key in depth:
            return depth[row.key]
        return depth.get(target, 0) + 1 if isinstance(target, str) else 0

    return sorted(rows, key=level)
