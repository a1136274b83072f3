"""An event's report as a range chart: the typed report's groups turned into the chart's plain rows
(``app.report.chart`` draws them)."""

from collections import defaultdict
from datetime import date, datetime

from app.models.discrepancies import EventDiscrepancies, GroupReport, ModelEstimateOut, Voice
from app.report.chart import ChartGroup, ChartRow, Role, Span, factor_text, range_plot


def chart_svg(report: EventDiscrepancies, metric: str | None = None, title: str | None = None) -> str:
    """The SVG of a report's groups (every metric stacked, most disputed first, when ``metric`` is None),
    titled with the event's name and the metric unless ``title`` is given."""
    groups = [g for m in metrics(report) for g in report.groups if g.metric == m and metric in (None, m)]
    what = metric or "all metrics"
    return range_plot(chart_groups(groups), title or f"{report.event.name}: {what}")


def metrics(report: EventDiscrepancies) -> list[str]:
    """The report's metrics, most disputed first (by the largest severity of their groups), then by name."""
    worst: dict[str, float] = defaultdict(float)
    for g in report.groups:
        worst[g.metric] = max(worst[g.metric], g.severity)
    return sorted(worst, key=lambda m: (-worst[m], m))


def chart_groups(groups: list[GroupReport]) -> list[ChartGroup]:
    """One chart group per report group, leaving out a group that only repeats, alone, a figure
    already drawn as a comparison beside a wider scope."""
    compared = {c.figure.figure_id for g in groups for c in g.comparisons}
    return [to_group(g) for g in groups if not _repeats(g, compared)]


def _repeats(group: GroupReport, compared: set[int]) -> bool:
    ids = {v.figure_id for v in voices(group)}
    return group.claimant_count <= 1 and not group.comparisons and bool(ids) and ids <= compared


def voices(group: GroupReport) -> list[Voice]:
    """The group's own figures (not the narrower scopes' set beside it): counted, revised, excluded."""
    members = [m for c in group.clusters for m in c.members]
    return [*group.in_agreement, *members, *(o.figure for o in group.outliers), *group.revisions, *group.excluded]


def group_title(group: GroupReport) -> str:
    return f"{group.metric} · {group.scope.name}" if group.scope else group.metric


def to_group(group: GroupReport) -> ChartGroup:
    alone = group.claimant_count <= 1 or group.tie
    spans = () if group.claimant_count <= 1 else tuple(Span(a.low, a.high) for a in group.agreements)
    rows = [_row(v, Role.counted if alone else Role.agree) for v in group.in_agreement]
    last = len(group.clusters) - 1
    for i, cluster in enumerate(group.clusters):  # a split: every side drawn, the lowest and highest marked
        side = "under" if i == 0 else "over" if i == last else None
        step = cluster.factor if i == 0 else group.clusters[i - 1].factor if i == last else None
        rows += [_row(m, Role.counted, direction=side, factor=step) for m in cluster.members]
    rows += [_row(o.figure, Role.outlier, direction=o.direction, factor=o.factor) for o in group.outliers]
    rows += [
        _row(
            c.figure,
            Role.comparison,
            direction=c.direction,
            factor=c.factor,
            scope=c.scope.name,
            conflict=c.conflict,
        )
        for c in group.comparisons
    ]
    if group.model is not None:
        rows.append(model_row(group.model))
    rows += [_row(v, Role.set_aside, reason="revised") for v in group.revisions]
    rows += [_row(v, Role.set_aside, reason=str(v.modality)) for v in group.excluded]
    return ChartGroup(group_title(group), tuple(rows), spans, _subtitle(group))


MODEL_LABEL = "model estimate (bias-corrected)"


def model_row(model: ModelEstimateOut) -> ChartRow:
    """The model's estimate as a row: its 95% interval as the bar, its value beside it."""
    return ChartRow(
        label=MODEL_LABEL,
        low=model.low,
        high=model.high,
        role=Role.model,
        words=f"{model.value:,.0f}",
        stated=model.on,
        reason="stale: the data changed since the fit" if model.stale else "",
    )


def _row(
    voice: Voice,
    role: Role,
    *,
    direction: str | None = None,
    factor: float | None = None,
    scope: str | None = None,
    conflict: bool = False,
    reason: str = "",
) -> ChartRow:
    return ChartRow(
        label=voice.claimant.name,
        low=voice.low,
        high=voice.high,
        role=role,
        words=voice.text or "",
        stated=as_date(voice.stated_at),
        direction=direction,
        factor=factor,
        scope=scope,
        conflict=conflict,
        reason=reason,
    )


def _subtitle(group: GroupReport) -> str:
    said = _said(group)
    if group.series is None:
        return said
    n = group.series.summarised
    return f"{said}; {n:,} earlier statement{'s' if n != 1 else ''} summarised (see the report's series)"


def _said(group: GroupReport) -> str:
    n = group.claimant_count
    if n == 0:
        return "no counted figure"
    if n == 1:
        return "one claimant: nothing contradicts it"
    if group.tie:
        top = f"; the highest is {factor_text(group.spread.factor)} the lowest" if group.spread else ""
        return f"{n} claimants, split: no majority{top}"
    outliers = len(group.outliers)
    apart = f"; {outliers} stand{'s' if outliers == 1 else ''} apart" if outliers else ""
    return f"{group.support} of {n} claimants agree{apart}"


def as_date(value: datetime | None) -> date | None:
    return None if value is None else value.date()
