"""An event's page (HTML) and chart (SVG), rendered once per state of what they show: the event's
change token (``app.report.cache``), the reporting-bias fit they draw, and for the page the event's
own fields and the documents of its claims. A warm request costs those few indexed queries."""

from collections.abc import Hashable

from sqlmodel import Session

from app.models.bias import FitInfo
from app.report import cache
from app.report.model import attach_model
from app.report.page import claim_ids, documents_of, event_header, page_context, render
from app.report.plot import chart_svg
from app.services import bias

pages: cache.TokenCache[cache.ReportKey, str] = cache.TokenCache(64)
charts: cache.TokenCache[cache.ReportKey, str] = cache.TokenCache(64)


def fit_token(info: FitInfo) -> Hashable:
    """What of the fit the model lines show: which fit, and how far the data moved since."""
    return (info.fit_id, info.fitted_at, info.stale, info.changes_since)


def page_html(session: Session, event_id: int, metric: str | None) -> str:
    """The event's printable report (majority policy, with the model's estimates)."""
    key = cache.ReportKey(event_id, metric)
    token, entry = cache.tokened_report(session, key)
    info, groups = bias.event_groups(cache.engine_of(session), event_id)
    header = event_header(session, event_id)
    documents = documents_of(session, claim_ids(entry.report))
    state = (token, fit_token(info), header, tuple(sorted(documents.items())))
    found = pages.get(key, state)
    if found is None:
        report = attach_model(entry.report, groups, info, as_policy=False)
        found = render(page_context(header, report, documents), metric)
        pages.put(key, state, found)
    return found


def chart(session: Session, event_id: int, metric: str | None) -> str:
    """The event's range chart (majority policy, with the model's estimates)."""
    key = cache.ReportKey(event_id, metric)
    token, entry = cache.tokened_report(session, key)
    info, groups = bias.event_groups(cache.engine_of(session), event_id)
    state = (token, fit_token(info))
    found = charts.get(key, state)
    if found is None:
        found = chart_svg(attach_model(entry.report, groups, info, as_policy=False), metric)
        charts.put(key, state, found)
    return found


def clear() -> None:
    """Forget every rendered page and chart (and the reports behind them)."""
    cache.reports.clear()
    pages.clear()
    charts.clear()
