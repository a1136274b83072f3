"""An event's printable report page: the event, per metric its chart and the story of each group,
then every claim behind the figures with the document it was read in.

``page_context`` is pure (the typed report, the event and the documents in; plain typed values
out); ``event_header`` and ``documents_of`` load what the report does not hold and ``render`` fills
the template (``app.report.views`` puts them together, and caches the page)."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from sqlalchemy import select
from sqlmodel import Session, col

from app.domain.vocab import Modality
from app.models.discrepancies import EventDiscrepancies, GroupReport, SeriesSummary, Voice
from app.models.entities import Claim, Document, Event
from app.report.chart import day, factor_text, span_text
from app.report.plot import as_date, chart_svg, group_title, metrics, voices
from app.services.common import get_or_404

INLINE_TITLE = "each claimant's figure, as the interval its words allow"

templates = Environment(
    loader=PackageLoader("app", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True, slots=True)
class DocumentLink:
    """The document a claim was read in; ``url`` only when it is http(s) (never ``javascript:``)."""

    id: int
    title: str
    url: str | None
    published_at: datetime | None


@dataclass(frozen=True, slots=True)
class EventHeader:
    id: int
    name: str
    description: str | None
    place: str | None
    when: str


@dataclass(frozen=True, slots=True)
class OutlierLine:
    claimant: str
    words: str
    span: str
    direction: str
    factor: str
    gap: float


@dataclass(frozen=True, slots=True)
class ComparisonLine:
    claimant: str
    words: str
    span: str
    scope: str
    direction: str
    factor: str
    conflict: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class PointView:
    period: str
    figures: int
    last: str


@dataclass(frozen=True, slots=True)
class ClaimantSeriesView:
    claimant: str
    figures: int
    first: str
    last: str
    latest: str
    url: str
    points: list[PointView]


@dataclass(frozen=True, slots=True)
class SeriesView:
    """A long series: how many figures the group has, how many are summarised, per claimant and period."""

    figures: int
    summarised: int
    period: str
    url: str
    claimants: list[ClaimantSeriesView]


@dataclass(frozen=True, slots=True)
class GroupView:
    title: str
    headline: str
    agreement: str | None
    support: int
    claimants: int
    tie: bool
    agreeing: list[str]
    sides: list[str]  # on a split: each side, highest first, with who stands there
    outliers: list[OutlierLine]
    comparisons: list[ComparisonLine]
    estimate: str
    model: str | None = None  # the bias-corrected estimate of the latest reporting-bias fit
    series: SeriesView | None = None  # a long series, summarised


@dataclass(frozen=True, slots=True)
class MetricView:
    name: str
    svg: Markup  # built from escaped text by app.report.chart
    groups: list[GroupView]


@dataclass(frozen=True, slots=True)
class ClaimView:
    id: int
    quote: str
    claimant: str
    relays: list[str]
    modality: Modality
    stated: str
    document: DocumentLink | None
    figures: list[str]


@dataclass(frozen=True, slots=True)
class PageContext:
    """Everything the report template shows."""

    event: EventHeader
    metrics: list[MetricView]
    claims: list[ClaimView]


# --- loading and rendering ---------------------------------------------------------------------------
def event_header(session: Session, event_id: int) -> EventHeader:
    event = get_or_404(session, Event, event_id)
    return EventHeader(
        id=event_id,
        name=event.name,
        description=event.description,
        place=event.place,
        when=when(event.started_at, event.ended_at),
    )


def claim_ids(report: EventDiscrepancies) -> set[int]:
    """The claims behind the figures a report shows."""
    return {v.claim_id for g in report.groups for v in [*voices(g), *(c.figure for c in g.comparisons)]}


def render(page: PageContext, metric: str | None) -> str:
    return templates.get_template("report.html").render(
        event=page.event, metrics=page.metrics, claims=page.claims, metric=metric
    )


def documents_of(session: Session, claim_ids: Iterable[int]) -> dict[int, DocumentLink]:
    """The document each claim was read in (claims read in none are left out)."""
    rows = session.execute(
        select(col(Claim.id), col(Document.id), col(Document.title), col(Document.url), col(Document.published_at))
        .join(Document, col(Document.id) == col(Claim.document_id))
        .where(col(Claim.id).in_(list(claim_ids)))
    )
    return {
        int(claim_id): DocumentLink(id=doc_id, title=title, url=_safe(url), published_at=published)
        for claim_id, doc_id, title, url, published in rows
    }


def _safe(url: str | None) -> str | None:
    return url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None


# --- the context ----------------------------------------------------------------------------------------
def page_context(event: EventHeader, report: EventDiscrepancies, documents: Mapping[int, DocumentLink]) -> PageContext:
    """Everything the report template shows, as plain typed values."""
    return PageContext(
        event=event,
        metrics=[
            MetricView(
                name=m,
                svg=Markup(chart_svg(report, m, f"{m.capitalize()}: {INLINE_TITLE}")),
                groups=[group_view(g) for g in report.groups if g.metric == m],
            )
            for m in metrics(report)
        ],
        claims=claims_view(report.groups, documents),
    )


def when(start: datetime | None, end: datetime | None) -> str:
    first, last = as_date(start), as_date(end)
    if first and last and first != last:
        return f"{day(first)} – {day(last)}"
    known = first or last
    return day(known) if known else ""


def group_view(group: GroupReport) -> GroupView:
    agreement = group.agreement
    return GroupView(
        title=group_title(group),
        headline=group.headline,
        agreement=span_text(agreement.low, agreement.high) if agreement else None,
        support=group.support,
        claimants=group.claimant_count,
        tie=group.tie,
        agreeing=[v.claimant.name for v in group.in_agreement],
        sides=[
            f"{span_text(c.interval.low, c.interval.high)}: {'; '.join(m.claimant.name for m in c.members) or 'no one'}"
            + (f" ({factor_text(c.factor)} below the next)" if c.factor is not None else "")
            for c in reversed(group.clusters)
        ],
        outliers=[
            OutlierLine(
                claimant=o.figure.claimant.name,
                words=o.figure.text,
                span=span_text(o.figure.low, o.figure.high),
                direction=o.direction,
                factor=factor_text(o.factor),
                gap=o.gap,
            )
            for o in group.outliers
        ],
        comparisons=[
            ComparisonLine(
                claimant=c.figure.claimant.name,
                words=c.figure.text,
                span=span_text(c.figure.low, c.figure.high),
                scope=c.scope.name,
                direction=c.direction,
                factor=factor_text(c.factor),
                conflict=c.conflict,
                explanation=c.explanation,
            )
            for c in group.comparisons
        ],
        estimate=group.estimate.explanation,
        model=group.model.explanation if group.model else None,
        series=None if group.series is None else series_view(group.series),
    )


def series_view(series: SeriesSummary) -> SeriesView:
    return SeriesView(
        figures=series.figures,
        summarised=series.summarised,
        period=series.period,
        url=series.figures_url,
        claimants=[
            ClaimantSeriesView(
                claimant=c.claimant.name,
                figures=c.figures,
                first=_day(c.first_stated_at),
                last=_day(c.last_stated_at),
                latest=f"“{c.latest.text}” ({span_text(c.latest.low, c.latest.high)})",
                url=c.figures_url,
                points=[
                    PointView(
                        period=day(p.start) if p.start == p.end else f"{day(p.start)} – {day(p.end)}",
                        figures=p.figures,
                        last=span_text(p.last.low, p.last.high),
                    )
                    for p in c.points
                ],
            )
            for c in series.claimants
        ],
    )


def _day(value: datetime | None) -> str:
    found = as_date(value)
    return day(found) if found else "undated"


def claims_view(groups: Iterable[GroupReport], documents: Mapping[int, DocumentLink]) -> list[ClaimView]:
    """Each claim behind the figures once, with its figures, in the order the claims were recorded."""
    first: dict[int, Voice] = {}
    figures: dict[int, dict[int, str]] = defaultdict(dict)
    for group in groups:
        for v in [*voices(group), *(c.figure for c in group.comparisons)]:
            first.setdefault(v.claim_id, v)
            figures[v.claim_id][v.figure_id] = f"{group.metric}: “{v.text}” → {_interval(v)}"
    return [_claim(first[k], documents.get(k), [text for _, text in sorted(figures[k].items())]) for k in sorted(first)]


def _claim(voice: Voice, document: DocumentLink | None, figures: list[str]) -> ClaimView:
    stated = as_date(voice.stated_at)
    return ClaimView(
        id=voice.claim_id,
        quote=voice.quote,
        claimant=voice.claimant.name,
        relays=[r.name for r in voice.relays],
        modality=voice.modality,
        stated=day(stated) if stated else "",
        document=document,
        figures=figures,
    )


def _interval(voice: Voice) -> str:
    low, high = voice.low, voice.high
    ends = f"{low:g}, {'∞' if high is None else f'{high:g}'}"
    return f"[{ends}{')' if high is None else ']'}"
