"""From an event's discrepancy report (the dict ``event_reports`` returns) to what people look at:
the chart's plain data (``app.domain.chart``) and the context of the HTML report."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from app.domain.chart import ChartGroup, ChartRow, Role, Span, day, factor_text, range_plot, span_text

Dict = Mapping[str, Any]
INLINE_TITLE = "each claimant's figure, as the interval its words allow"


# --- chart ------------------------------------------------------------------------------------------
def chart_svg(report: Dict, metric: str | None = None, title: str | None = None) -> str:
    """The SVG of a report's groups (every metric stacked, most disputed first, when ``metric`` is None),
    titled with the event's name and the metric unless ``title`` is given."""
    groups = [g for m in metrics(report) for g in report["groups"] if g["metric"] == m and metric in (None, m)]
    what = metric or "all metrics"
    return range_plot(chart_groups(groups), title or f"{report['event']['name']}: {what}")


def chart_groups(groups: list[Dict]) -> list[ChartGroup]:
    """One chart group per report group, leaving out a group that only repeats, alone, a figure
    already drawn as a comparison beside a wider scope."""
    compared = {c["figure"]["figure_id"] for g in groups for c in g["comparisons"]}
    return [to_group(g) for g in groups if not _repeats(g, compared)]


def _repeats(group: Dict, compared: set[int]) -> bool:
    ids = {v["figure_id"] for v in _voices(group)}
    return group["claimant_count"] <= 1 and not group["comparisons"] and bool(ids) and ids <= compared


def _voices(group: Dict) -> list[Dict]:
    return [*group["in_agreement"], *(o["figure"] for o in group["outliers"]), *group["revisions"], *group["excluded"]]


def group_title(group: Dict) -> str:
    scope = group["scope"]
    return f"{group['metric']} · {scope['name']}" if scope else str(group["metric"])


def to_group(group: Dict) -> ChartGroup:
    alone = group["claimant_count"] <= 1 or group["tie"]
    spans = () if group["claimant_count"] <= 1 else tuple(Span(a["low"], a["high"]) for a in group["agreements"])
    rows = [_row(v, Role.counted if alone else Role.agree) for v in group["in_agreement"]]
    rows += [_row(o["figure"], Role.outlier, direction=o["direction"], factor=o["factor"]) for o in group["outliers"]]
    rows += [
        _row(
            c["figure"],
            Role.comparison,
            direction=c["direction"],
            factor=c["factor"],
            scope=c["scope"]["name"],
            conflict=c["conflict"],
        )
        for c in group["comparisons"]
    ]
    rows += [_row(v, Role.set_aside, reason="revised") for v in group["revisions"]]
    rows += [_row(v, Role.set_aside, reason=str(v["modality"])) for v in group["excluded"]]
    return ChartGroup(group_title(group), tuple(rows), spans, _subtitle(group))


def _row(voice: Dict, role: Role, **extra: Any) -> ChartRow:
    return ChartRow(
        label=voice["claimant"]["name"],
        low=voice["low"],
        high=voice["high"],
        role=role,
        words=voice["text"] or "",
        stated=as_date(voice["stated_at"]),
        **extra,
    )


def _subtitle(group: Dict) -> str:
    n = group["claimant_count"]
    if n == 0:
        return "no counted figure"
    if n == 1:
        return "one claimant: nothing contradicts it"
    if group["tie"]:
        return f"{n} claimants, split: no majority"
    outliers = len(group["outliers"])
    apart = f"; {outliers} stand{'s' if outliers == 1 else ''} apart" if outliers else ""
    return f"{group['support']} of {n} claimants agree{apart}"


def as_date(value: datetime | date | str | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.date() if isinstance(value, datetime) else value


# --- HTML report --------------------------------------------------------------------------------------
def metrics(report: Dict) -> list[str]:
    """The report's metrics, most disputed first (by the largest severity of their groups), then by name."""
    worst: dict[str, float] = defaultdict(float)
    for g in report["groups"]:
        worst[str(g["metric"])] = max(worst[str(g["metric"])], float(g["severity"]))
    return sorted(worst, key=lambda m: (-worst[m], m))


def page_context(event: Dict, report: Dict, documents: Mapping[int, Dict]) -> dict[str, Any]:
    """Everything the report template shows, as plain values."""
    return {
        "event": {**event, "when": when(event.get("started_at"), event.get("ended_at"))},
        "metrics": [
            {
                "name": m,
                "svg": chart_svg(report, m, f"{m.capitalize()}: {INLINE_TITLE}"),
                "groups": [group_view(g) for g in report["groups"] if g["metric"] == m],
            }
            for m in metrics(report)
        ],
        "claims": claims_view(report["groups"], documents),
    }


def when(start: datetime | None, end: datetime | None) -> str:
    first, last = as_date(start), as_date(end)
    if first and last and first != last:
        return f"{day(first)} – {day(last)}"
    known = first or last
    return day(known) if known else ""


def group_view(group: Dict) -> dict[str, Any]:
    agreement = group["agreement"]
    return {
        "title": group_title(group),
        "headline": group["headline"],
        "agreement": span_text(agreement["low"], agreement["high"]) if agreement else None,
        "support": group["support"],
        "claimants": group["claimant_count"],
        "tie": group["tie"],
        "agreeing": [v["claimant"]["name"] for v in group["in_agreement"]],
        "outliers": [
            {**_said(o["figure"]), "direction": o["direction"], "factor": factor_text(o["factor"]), "gap": o["gap"]}
            for o in group["outliers"]
        ],
        "comparisons": [
            {
                **_said(c["figure"]),
                "scope": c["scope"]["name"],
                "direction": c["direction"],
                "factor": factor_text(c["factor"]),
                "conflict": c["conflict"],
                "explanation": c["explanation"],
            }
            for c in group["comparisons"]
        ],
        "estimate": group["estimate"]["explanation"],
    }


def _said(voice: Dict) -> dict[str, Any]:
    span = span_text(voice["low"], voice["high"])
    return {"claimant": voice["claimant"]["name"], "words": voice["text"], "span": span}


def claims_view(groups: Iterable[Dict], documents: Mapping[int, Dict]) -> list[dict[str, Any]]:
    """Each claim behind the figures once, with its figures, in the order the claims were recorded."""
    claims: dict[int, dict[str, Any]] = {}
    figures: dict[int, dict[int, str]] = defaultdict(dict)
    for group in groups:
        voices = [*_voices(group), *(c["figure"] for c in group["comparisons"])]
        for v in voices:
            claims.setdefault(v["claim_id"], _claim(v, documents.get(v["claim_id"])))
            figures[v["claim_id"]][v["figure_id"]] = f"{group['metric']}: “{v['text']}” → {_interval(v)}"
    for claim_id, claim in claims.items():
        claim["figures"] = [text for _, text in sorted(figures[claim_id].items())]
    return [claims[k] for k in sorted(claims)]


def _claim(voice: Dict, document: Dict | None) -> dict[str, Any]:
    stated = as_date(voice["stated_at"])
    return {
        "id": voice["claim_id"],
        "quote": voice["quote"],
        "claimant": voice["claimant"]["name"],
        "relays": [r["name"] for r in voice["relays"]],
        "modality": voice["modality"],
        "stated": day(stated) if stated else "",
        "document": _document(document),
    }


def _document(document: Dict | None) -> dict[str, Any] | None:
    """The document to link to; its original URL only when it is http(s) (never ``javascript:``)."""
    if document is None:
        return None
    url = document.get("url")
    safe = url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None
    return {**document, "url": safe}


def _interval(voice: Dict) -> str:
    low, high = voice["low"], voice["high"]
    ends = f"{low:g}, {'∞' if high is None else f'{high:g}'}"
    return f"[{ends}{')' if high is None else ']'}"
