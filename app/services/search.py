"""Full-text search across source names and aliases, event names, claim quotes, document titles and
texts: ranked hits with highlighted snippets, on SQLite (FTS5) and PostgreSQL (text search).

The query reads like a web search on both engines: words (all must match), "quoted phrases",
``or`` between alternatives, ``-word`` to exclude. It is never passed to FTS5 as written: every
word and phrase is quoted, so no input is a syntax error. PostgreSQL reads it with
``websearch_to_tsquery``, which never fails either.

Two steps: rank every hit in the database and keep one page (a source found by its name and an
alias counts once, at its best score), then highlight only that page's rows."""

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, text
from sqlmodel import Session

from app.models.search import HitKind, SearchHit

START, STOP = "\ue000", "\ue001"  # private-use marks around matches, replaced by <mark> after escaping
LINKS = {HitKind.source: "sources", HitKind.claim: "claims", HitKind.document: "documents", HitKind.event: "events"}


# --- the query ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Query:
    """``groups`` are alternatives (``or``), each a list of phrases that must all match."""

    raw: str
    groups: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @property
    def phrases(self) -> list[str]:
        return [p for g in self.groups for p in g]


TOKEN = re.compile(r'-?"[^"]*"?|\S+')  # a quoted phrase (an unbalanced quote runs to the end) or a word


def parse(raw: str) -> Query:
    query = Query(raw.strip())
    current: list[str] = []
    for token in TOKEN.findall(raw):
        if token.upper() == "OR":
            if current:
                query.groups.append(current)
            current = []
            continue
        negated = token.startswith("-") and len(token) > 1
        phrase = " ".join(token.removeprefix("-" if negated else "").replace('"', " ").split())
        if any(ch.isalnum() for ch in phrase):
            (query.excluded if negated else current).append(phrase)
    if current:
        query.groups.append(current)
    return query


def fts5(query: Query) -> str:
    """The query as an FTS5 expression: every phrase quoted, so nothing in it is an operator."""

    def literal(phrase: str) -> str:
        return '"' + phrase.replace('"', '""') + '"'

    found = " OR ".join("(" + " AND ".join(literal(p) for p in group) + ")" for group in query.groups)
    if query.excluded:
        found = f"({found}) NOT ({' OR '.join(literal(p) for p in query.excluded)})"
    return found


def highlight_query(query: Query) -> str:
    """What snippets highlight: any of the phrases (an AND over a long text would find no short cover)."""
    return " or ".join(f'"{p}"' for p in query.phrases)


# --- ranking ------------------------------------------------------------------------------------
def _sqlite_rank(fts: str, weight: float, columns: str = "") -> str:
    """bm25 (lower is better) as a weighted rank r, scaled into [0, 1) as r / (1 + r)."""
    r = f"({weight} * -bm25({fts}{columns}))"
    return f"({r} / (1.0 + {r}))"


def _exact(column: str) -> str:
    return f"(CASE WHEN lower({column}) = lower(:raw) THEN 1.0 ELSE 0.0 END)"


SQLITE_ARMS: dict[HitKind, list[str]] = {
    HitKind.source: [
        f"SELECT 'source', rowid, {_sqlite_rank('source_fts', 1.0)} + {_exact('name')} "
        "FROM source_fts WHERE source_fts MATCH :q",
        f"SELECT 'source', a.source_id, {_sqlite_rank('source_alias_fts', 1.0)} + {_exact('a.alias')} "
        "FROM source_alias_fts JOIN source_alias a ON a.id = source_alias_fts.rowid "
        "WHERE source_alias_fts MATCH :q",
    ],
    HitKind.event: [
        f"SELECT 'event', rowid, {_sqlite_rank('event_fts', 1.0)} + {_exact('name')} "
        "FROM event_fts WHERE event_fts MATCH :q"
    ],
    HitKind.claim: [f"SELECT 'claim', rowid, {_sqlite_rank('claim_fts', 0.4)} FROM claim_fts WHERE claim_fts MATCH :q"],
    HitKind.document: [
        f"SELECT 'document', rowid, {_sqlite_rank('document_fts', 1.0, ', 1.0, 0.1')} + {_exact('title')} "
        "FROM document_fts WHERE document_fts MATCH :q"
    ],
}

TSQ = "websearch_to_tsquery('english'::regconfig, :q)"
HQ = "websearch_to_tsquery('english'::regconfig, :hq)"
PG_RANK = f"ts_rank(search_vector, {TSQ}, 33)"  # 1: divided by 1 + log(length); 32: scaled to r / (1 + r)
POSTGRES_ARMS: dict[HitKind, list[str]] = {
    HitKind.source: [
        f"SELECT 'source', id, {PG_RANK} + {_exact('name')} FROM source WHERE search_vector @@ {TSQ}",
        f"SELECT 'source', source_id, {PG_RANK} + {_exact('alias')} FROM source_alias WHERE search_vector @@ {TSQ}",
    ],
    HitKind.event: [f"SELECT 'event', id, {PG_RANK} + {_exact('name')} FROM event WHERE search_vector @@ {TSQ}"],
    HitKind.claim: [f"SELECT 'claim', id, {PG_RANK} FROM claim WHERE search_vector @@ {TSQ}"],
    HitKind.document: [
        f"SELECT 'document', id, {PG_RANK} + {_exact('title')} FROM document WHERE search_vector @@ {TSQ}"
    ],
}


def _hits_cte(arms: dict[HitKind, list[str]], kinds: Iterable[HitKind]) -> str:
    union = " UNION ALL ".join(arm for kind in kinds for arm in arms[kind])
    # MATERIALIZED: SQLite would otherwise flatten a single FTS5 arm into the aggregate, where bm25() is refused
    return f"WITH hits(kind, ref, score) AS MATERIALIZED ({union}) "


@dataclass
class Hit:
    kind: HitKind
    id: int
    score: float
    title: str = ""
    matched: str = ""
    snippet: str = ""

    def public(self) -> SearchHit:
        return SearchHit(
            kind=self.kind,
            id=self.id,
            title=self.title,
            snippet=self.snippet,
            matched=self.matched,
            score=round(self.score, 6),
            link=f"/{LINKS[self.kind]}/{self.id}",
        )


def search(
    session: Session, raw: str, limit: int, offset: int, kinds: Sequence[HitKind] | None = None
) -> tuple[list[SearchHit], int]:
    """One page of hits, best first (ties by kind and id), and how many there are in all."""
    query = parse(raw)
    if not query.groups:
        return [], 0  # nothing to look for: no word, or only exclusions
    postgres = session.get_bind().dialect.name == "postgresql"
    arms = POSTGRES_ARMS if postgres else SQLITE_ARMS
    cte = _hits_cte(arms, [k for k in HitKind if not kinds or k in kinds])
    params = {"q": query.raw if postgres else fts5(query), "raw": query.raw, "hq": highlight_query(query)}
    total = session.execute(text(cte + "SELECT count(*) FROM (SELECT 1 FROM hits GROUP BY kind, ref) AS found"), params)
    rows = session.execute(
        text(
            cte + "SELECT kind, ref, max(score) AS best FROM hits GROUP BY kind, ref "
            "ORDER BY best DESC, kind, ref LIMIT :limit OFFSET :offset"
        ),
        {**params, "limit": limit, "offset": offset},
    )
    hits = [Hit(HitKind(kind), int(ref), float(score)) for kind, ref, score in rows]
    (_postgres_details if postgres else _sqlite_details)(session, hits, params)
    return [h.public() for h in hits if h.title], int(total.scalar_one())


# --- snippets -----------------------------------------------------------------------------------
def mark(snippet: str | None) -> str:
    """Escape the text and turn the private-use marks into balanced ``<mark>`` tags (a stray mark
    that came with the text itself is dropped)."""
    out: list[str] = []
    inside = False
    for piece in re.split(f"([{START}{STOP}])", snippet or ""):
        if piece in (START, STOP):
            if (piece == START) != inside:
                out.append("</mark>" if inside else "<mark>")
                inside = not inside
            continue
        out.append(html.escape(piece, quote=False))
    return "".join(out) + ("</mark>" if inside else "")


def _fill(hits: list[Hit], kind: HitKind, rows: Iterable[Any]) -> None:
    """Rows of (id, title, matched, snippet) for hits of one kind; the first row for an id wins."""
    wanted = {h.id: h for h in hits if h.kind is kind}
    for ident, title, matched, snippet in rows:
        hit = wanted.get(int(ident))
        if hit is not None and not hit.title:
            hit.title, hit.matched, hit.snippet = str(title), str(matched), mark(snippet)


def _ids(hits: list[Hit], kind: HitKind, missing: bool = False) -> list[int]:
    return [h.id for h in hits if h.kind is kind and not (missing and h.title)]


def _run(session: Session, sql: str, params: Mapping[str, object], ids: list[int]) -> Iterable[Any]:
    if not ids:
        return []
    stmt = text(sql).bindparams(bindparam("ids", expanding=True))
    return list(session.execute(stmt, {**params, "ids": ids}))


def _snip(fts: str, column: int, tokens: int = 64) -> str:
    """Up to ``tokens`` words around the matches (64, the most FTS5 gives: a name or title whole)."""
    return f"snippet({fts}, {column}, '{START}', '{STOP}', '…', {tokens})"


SQLITE_DETAILS: list[tuple[HitKind, str]] = [
    (
        HitKind.source,
        f"SELECT rowid, name, 'name', {_snip('source_fts', 0)} FROM source_fts "
        "WHERE source_fts MATCH :q AND rowid IN :ids",
    ),
    (
        HitKind.source,
        f"SELECT a.source_id, s.name, 'alias', {_snip('source_alias_fts', 0)} FROM source_alias_fts "
        "JOIN source_alias a ON a.id = source_alias_fts.rowid JOIN source s ON s.id = a.source_id "
        "WHERE source_alias_fts MATCH :q AND a.source_id IN :ids ORDER BY bm25(source_alias_fts)",
    ),
    (
        HitKind.event,
        f"SELECT rowid, name, 'name', {_snip('event_fts', 0)} FROM event_fts "
        "WHERE event_fts MATCH :q AND rowid IN :ids",
    ),
    (
        HitKind.claim,
        f"SELECT c.id, s.name, 'quote', {_snip('claim_fts', 0, 24)} FROM claim_fts "
        "JOIN claim c ON c.id = claim_fts.rowid JOIN source s ON s.id = c.claimant_id "
        "WHERE claim_fts MATCH :q AND claim_fts.rowid IN :ids",
    ),
    (
        HitKind.document,
        f"SELECT rowid, title, {_snip('document_fts', 0)}, {_snip('document_fts', 1, 24)} FROM document_fts "
        "WHERE document_fts MATCH :q AND rowid IN :ids",
    ),
]


def _title_or_text(rows: Iterable[Any]) -> Iterable[tuple[Any, ...]]:
    """A document's title when the query matched it, else the passage of its text."""
    for ident, title, in_title, in_text in rows:
        yield (ident, title, "title", in_title) if START in (in_title or "") else (ident, title, "text", in_text)


def _sqlite_details(session: Session, hits: list[Hit], params: Mapping[str, object]) -> None:
    for kind, sql in SQLITE_DETAILS:
        rows = _run(session, sql, params, _ids(hits, kind, missing=True))
        _fill(hits, kind, _title_or_text(rows) if kind is HitKind.document else rows)


PASSAGES = f'StartSel={START}, StopSel={STOP}, MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … "'
WHOLE = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"  # names and titles: all of it, as written


def _headline(expression: str, options: str = ":whole") -> str:
    return f"ts_headline('english'::regconfig, {expression}, {HQ}, {options})"


TITLE_MATCHES = f"to_tsvector('english'::regconfig, title) @@ {TSQ}"
DOCUMENT_TEXT = "left(coalesce(text, ''), 150000)"  # as much as search_vector indexes (migration 0006)
POSTGRES_DETAILS: list[tuple[HitKind, str]] = [
    (
        HitKind.source,
        f"SELECT id, name, 'name', {_headline('name')} FROM source WHERE id IN :ids AND search_vector @@ {TSQ}",
    ),
    (
        HitKind.source,
        f"SELECT a.source_id, s.name, 'alias', {_headline('a.alias')} FROM source_alias a "
        f"JOIN source s ON s.id = a.source_id WHERE a.source_id IN :ids AND a.search_vector @@ {TSQ} "
        f"ORDER BY ts_rank(a.search_vector, {TSQ}) DESC",
    ),
    (HitKind.event, f"SELECT id, name, 'name', {_headline('name')} FROM event WHERE id IN :ids"),
    (
        HitKind.claim,
        f"SELECT c.id, s.name, 'quote', {_headline('c.quote', ':passages')} FROM claim c "
        "JOIN source s ON s.id = c.claimant_id WHERE c.id IN :ids",
    ),
    (
        HitKind.document,
        f"SELECT id, title, CASE WHEN {TITLE_MATCHES} THEN 'title' ELSE 'text' END, "
        f"CASE WHEN {TITLE_MATCHES} THEN {_headline('title')} "
        f"ELSE {_headline(DOCUMENT_TEXT, ':passages')} END FROM document WHERE id IN :ids",
    ),
]


def _postgres_details(session: Session, hits: list[Hit], params: Mapping[str, object]) -> None:
    for kind, sql in POSTGRES_DETAILS:
        _fill(
            hits,
            kind,
            _run(session, sql, {**params, "passages": PASSAGES, "whole": WHOLE}, _ids(hits, kind, missing=True)),
        )
