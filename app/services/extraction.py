"""From an article to stored claims: proposals (nothing stored) and the commit of reviewed
proposals — document, sources (matched to existing ones by name or alias, case and accents ignored,
never duplicated), event, scopes, claims and figures — in one transaction.

An anonymous voice ("officials", "a source familiar", "residents": ``app.domain.names.is_anonymous``)
is a source of its own per document, named with the document's URL or title, unless the reviewer
links it to a stored source (``source_id``): matched by its bare words, "officials" in two
articles would become one voice and their conflict a revision.

Every extraction has a time budget (``EXTRACT_SECONDS``): past it the work stops and the request
answers 503 (``Unavailable``). ``propose_stoppable`` also stops it when the client goes away. A
text with more figures than one extraction proposes answers 422 naming ``text``."""

import threading
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Any

import anyio
from anyio import to_thread
from sqlmodel import Session, col, select

from app.domain.errors import Cancelled, TooManyFigures
from app.domain.extraction import Extraction, extract
from app.domain.names import in_document, is_anonymous, normalise
from app.domain.vocab import SourceKind
from app.errors import Invalid, Unavailable
from app.models.aliases import SourceAlias
from app.models.entities import (
    ClaimCreate,
    DocumentCreate,
    Event,
    EventCreate,
    FigureInput,
    Metric,
    Scope,
    ScopeCreate,
    Source,
    SourceCreate,
    SourceRef,
)
from app.models.extraction import (
    Article,
    CommitRequest,
    Committed,
    ProposalOut,
    Proposals,
    ProposedSourceOut,
    ReviewedFigure,
    ReviewedSource,
)
from app.services import claims, records
from app.services.common import get_or_404


def existing_sources(session: Session) -> dict[str, tuple[int, str]]:
    """Normalised names and aliases -> (source id, source name); a source's name wins over an alias."""
    aliases = select(col(SourceAlias.normalised), col(Source.id), col(Source.name)).join(
        Source, col(Source.id) == col(SourceAlias.source_id)
    )
    known = {str(key): (int(ident), str(name)) for key, ident, name in session.execute(aliases)}
    rows = session.execute(select(col(Source.id), col(Source.name)))
    known.update({normalise(name): (int(ident), str(name)) for ident, name in rows})
    return known


EXTRACT_SECONDS = 20.0
"""The time budget of one extraction. A text at the length cap takes a few seconds (see
``app.models.extraction.MAX_ARTICLE``): only an overloaded server runs past this."""
POLL_SECONDS = 0.1  # how often a running extraction asks whether its client is still there
TOO_SLOW = (
    f"the extraction took longer than {EXTRACT_SECONDS:g} s and was stopped: "
    "retry when the server is less busy, or send a shorter text"
)
CLIENT_GONE = "the client went away: the extraction was stopped"


def _budget(stop: threading.Event | None = None) -> Callable[[], bool]:
    """A ``should_stop`` for ``extract``: True once the deadline has passed or ``stop`` is set."""
    deadline = time.monotonic() + EXTRACT_SECONDS

    def should_stop() -> bool:
        return (stop is not None and stop.is_set()) or time.monotonic() > deadline

    return should_stop


async def propose_stoppable(
    session: Session, article: Article, tolerance: float, is_disconnected: Callable[[], Awaitable[bool]]
) -> Proposals:
    """``propose`` in a worker thread, stopped when ``is_disconnected`` says the client left
    (asked every ``POLL_SECONDS``) or at the deadline; the event loop stays free meanwhile."""
    stop = threading.Event()
    gone = False

    async def watch() -> None:
        nonlocal gone
        try:
            while not stop.is_set():
                if await is_disconnected():
                    gone = True
                    return
                await anyio.sleep(POLL_SECONDS)
        finally:
            stop.set()  # also when this request is cancelled: the thread stops at its next check

    def work() -> tuple[Proposals | None, Exception | None]:
        try:
            return propose(session, article, tolerance, _budget(stop)), None
        except Exception as exc:  # noqa: BLE001 - raised again below, outside the task group
            return None, exc

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(watch)
        result, error = await to_thread.run_sync(work)
        tasks.cancel_scope.cancel()
    if isinstance(error, Unavailable) and gone:
        raise Unavailable(CLIENT_GONE) from error
    if error is not None:
        raise error
    assert result is not None
    return result


def propose(
    session: Session, article: Article, tolerance: float, should_stop: Callable[[], bool] | None = None
) -> Proposals:
    found = _extract(article, tolerance, should_stop or _budget())
    known = existing_sources(session)
    sources = []
    for s in found.sources:
        match = known.get(normalise(_stored_name(s.name, s.kind, article)))
        ref = None if match is None else SourceRef(id=match[0], name=match[1])
        sources.append(ProposedSourceOut.model_validate({**asdict(s), "match": ref}))
    figures = [ProposalOut.model_validate(asdict(f)) for f in found.figures]
    return Proposals(figures=figures, sources=sources)


def _stored_name(name: str, kind: str, article: Article) -> str:
    """The name a source is stored under: its own, or an anonymous one's qualified by its document."""
    return in_document(name, _document_label(article)) if is_anonymous(name, kind) else name


def _document_label(article: Article) -> str:
    return article.url or article.title or article.text.strip().splitlines()[0]


def _extract(article: Article, tolerance: float, should_stop: Callable[[], bool]) -> Extraction:
    try:
        return extract(
            article.text,
            title=article.title,
            published_at=article.published_at,
            publisher=article.publisher,
            tolerance=article.tolerance if article.tolerance is not None else tolerance,
            should_stop=should_stop,
        )
    except TooManyFigures as exc:
        raise Invalid(str(exc), field="text") from exc
    except Cancelled as exc:
        raise Unavailable(TOO_SLOW) from exc


# --- commit -------------------------------------------------------------------------------------
def commit(session: Session, body: CommitRequest, tolerance: float) -> Committed:
    found = _extract(body, tolerance, _budget())
    figures = (
        body.figures if body.figures is not None else [ReviewedFigure.model_validate(asdict(f)) for f in found.figures]
    )
    sources = (
        body.sources if body.sources is not None else [ReviewedSource.model_validate(asdict(s)) for s in found.sources]
    )
    _check_spans(body.text, figures)
    ids, created = _sources(session, sources, body.publisher, body)
    event_id = _event(session, body)
    document = records.create(
        session,
        records.DOCUMENTS,
        DocumentCreate(
            title=body.title or body.text.strip().splitlines()[0][:1000],
            url=body.url,
            text=body.text,
            published_at=body.published_at,
            publisher_id=ids.get("publisher"),
        ),
    )
    scope_ids = _scopes(session, figures, body.scopes)
    claim_ids, figure_ids = _claims(session, figures, ids, event_id, document.id, scope_ids, tolerance)
    assert document.id is not None
    return Committed(
        document_id=document.id,
        event_id=event_id,
        claim_ids=claim_ids,
        figure_ids=figure_ids,
        sources_created=[SourceRef.model_validate(c) for c in created],
        report=f"/events/{event_id}/discrepancies",
    )


def _check_spans(text: str, figures: list[ReviewedFigure]) -> None:
    for i, f in enumerate(figures):
        if not 0 <= f.start < f.end <= len(text):
            raise Invalid(f"figure {i}: span [{f.start}, {f.end}) is outside the text", field=f"figures.{i}.end")
        if f.refers_to is not None and not 0 <= f.refers_to < i:
            raise Invalid(f"figure {i} refers to {f.refers_to}, not an earlier figure", field=f"figures.{i}.refers_to")


def _sources(
    session: Session, sources: list[ReviewedSource], publisher: str | None, article: Article
) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Source keys to ids: a given ``source_id``, else a source of that name, else a new one."""
    known = existing_sources(session)
    ids: dict[str, int] = {}
    created: list[dict[str, Any]] = []
    pending = list(sources)
    for _ in range(len(pending) + 1):  # parents first; a key missing from the list is an error below
        waiting = [s for s in pending if s.parent is not None and s.parent not in ids]
        for s in (s for s in pending if s not in waiting):
            named = s.model_copy(update={"name": _stored_name(s.name, s.kind, article)})
            ids[s.key] = _source_id(session, named, ids, known, created)
        if not waiting or len(waiting) == len(pending):
            pending = waiting
            break
        pending = waiting
    if pending:
        raise Invalid(f"source {pending[0].key!r} names a parent that is not in `sources`", field="sources")
    if publisher and "publisher" not in ids:
        ids["publisher"] = _source_id(
            session, ReviewedSource(key="publisher", name=publisher, kind=SourceKind.outlet), ids, known, created
        )
    return ids, created


def _source_id(
    session: Session,
    s: ReviewedSource,
    ids: dict[str, int],
    known: dict[str, tuple[int, str]],
    created: list[dict[str, Any]],
) -> int:
    if s.source_id is not None:
        return int(get_or_404(session, Source, s.source_id, "sources.source_id").id)  # type: ignore[arg-type]
    match = known.get(normalise(s.name))
    if match is not None:
        return match[0]
    parent = ids.get(s.parent) if s.parent else None
    row = records.create(
        session,
        records.SOURCES,
        SourceCreate(
            name=s.name,
            kind=s.kind,
            affiliation=s.affiliation,
            parent_id=parent,
        ),
    )
    assert row.id is not None
    known[normalise(s.name)] = (row.id, row.name)
    created.append({"id": row.id, "name": row.name})
    return row.id


def _event(session: Session, body: CommitRequest) -> int:
    if body.event_id is not None:
        return int(get_or_404(session, Event, body.event_id, "event_id").id)  # type: ignore[arg-type]
    if body.event_name:
        return records.create_id(session, records.EVENTS, EventCreate(name=body.event_name))
    raise Invalid("name the event the figures are about: `event_id` or `event_name`", field="event_id")


def _scopes(session: Session, figures: list[ReviewedFigure], mapping: dict[str, int]) -> dict[str, int | None]:
    out: dict[str, int | None] = {"": None}
    for name in {f.scope for f in figures if f.scope}:
        if name in mapping:
            out[name] = int(get_or_404(session, Scope, mapping[name], f"scopes.{name}").id)  # type: ignore[arg-type]
            continue
        found = session.execute(select(col(Scope.id)).where(col(Scope.name) == name)).first()
        out[name] = int(found[0]) if found else records.create_id(session, records.SCOPES, ScopeCreate(name=name))
    for metric in {f.metric for f in figures}:
        if session.get(Metric, metric) is None:
            session.add(Metric(name=metric, description="Added by an extraction."))
    session.flush()
    return out


def _reference(stored: dict[int, int], refers_to: int | None) -> int | None:
    return None if refers_to is None else stored.get(refers_to)


def _claims(
    session: Session,
    figures: list[ReviewedFigure],
    ids: dict[str, int],
    event_id: int,
    document_id: Any,
    scope_ids: dict[str, int | None],
    tolerance: float,
) -> tuple[list[int], list[int]]:
    """One claim per claimant, sentence and modality; relative figures point at the stored ones."""
    grouped: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    keys: list[tuple[Any, ...]] = []
    for i, f in enumerate(figures):
        key: tuple[Any, ...] = (f.claimant, f.sentence or (f.start, f.end), f.modality, tuple(f.relays))
        if f.refers_to is not None and keys[f.refers_to] == key:
            key = (*key, i)  # its reference must be stored first: a claim of its own
        keys.append(key)
        grouped[key].append(i)
    stored: dict[int, int] = {}
    claim_ids: list[int] = []
    for (claimant, span, modality, relays, *_), members in sorted(grouped.items(), key=lambda g: g[1][0]):
        if claimant not in ids:
            raise Invalid(
                f"figure {members[0]} names claimant {claimant!r}, not in `sources`",
                field=f"figures.{members[0]}.claimant",
            )
        first = figures[members[0]]
        body = ClaimCreate(
            claimant_id=ids[claimant],
            relay_ids=[ids[r] for r in relays if r in ids],
            document_id=document_id,
            quote_start=span[0],
            quote_end=span[1],
            modality=modality,
            stated_at=first.stated_at,
            figures=[
                FigureInput(
                    event_id=event_id,
                    metric=figures[i].metric,
                    scope_id=scope_ids.get(figures[i].scope),
                    text=figures[i].words,
                    reference_id=_reference(stored, figures[i].refers_to),
                )
                for i in members
            ],
        )
        claim = claims.create(session, body, tolerance)
        claim_ids.append(int(claim.id))  # type: ignore[arg-type]
        new = claims.figure_ids(session, int(claim.id))  # type: ignore[arg-type]
        stored.update(zip(members, new, strict=True))
    return claim_ids, [stored[i] for i in range(len(figures))]
