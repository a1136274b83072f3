"""The bias-corrected model estimate beside an event's report: ``policy=model`` of
``GET /events/{id}/discrepancies``, a line of the page's group view and a row of the chart.

The discrepancy engine stays pure and knows nothing of the model: the engine's report is built (and
cached) as for ``majority``, and ``attach_model`` fills each group's ``model`` -- and with
``as_policy`` its ``estimate`` -- from the latest stored fit (``app.services.bias``). A group of
running totals is read on its trajectory at the date its voices are compared at (``aligned_at``),
else at its last day. The explanation says when there is no fit yet, when the group is not in the
fit, and when the fit is stale."""

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Engine

from app.models.bias import FitInfo, StoredGroup
from app.models.discrepancies import (
    EstimateOut,
    EventDiscrepancies,
    GroupReport,
    ModelEstimateOut,
    Range,
    ReportPolicy,
    Voice,
)
from app.services import bias

NO_FIT = "model: no reporting-bias fit yet (run `countercheck fit` or POST /bias/fit, or wait for the background fit)"


def with_model(engine: Engine, report: EventDiscrepancies, *, as_policy: bool) -> EventDiscrepancies:
    """``report`` with the latest fit's estimates attached (``attach_model``)."""
    info, groups = bias.event_groups(engine, report.event.id)
    return attach_model(report, groups, info, as_policy=as_policy)


def attach_model(
    report: EventDiscrepancies, groups: Sequence[StoredGroup], info: FitInfo, *, as_policy: bool
) -> EventDiscrepancies:
    """Pure: each group's ``model`` from the fit's ``groups`` of this event; with ``as_policy`` also
    its ``estimate`` (policy ``model``) and the report's ``policy``."""
    index = {(g.metric, g.scope_id, g.cumulative): g for g in groups}
    changed = []
    for group in report.groups:
        scope_id = group.scope.id if group.scope else None
        cumulative = group.aligned_at is not None
        found = index.get((group.metric, scope_id, cumulative)) or index.get((group.metric, scope_id, not cumulative))
        model = _model(found, group, info)
        update: dict[str, object] = {"model": model}
        if as_policy:
            update["estimate"] = EstimateOut(
                policy=ReportPolicy.model,
                interval=None if model is None else Range(low=model.low, high=model.high),
                figure_ids=sorted(v.figure_id for v in _voices(group)),
                explanation=model.explanation if model else _missing(info),
            )
        changed.append(group.model_copy(update=update))
    policy = ReportPolicy.model if as_policy else report.policy
    return report.model_copy(update={"groups": changed, "policy": policy})


def _voices(group: GroupReport) -> list[Voice]:
    members = [m for c in group.clusters for m in c.members]
    return [*group.in_agreement, *members, *(o.figure for o in group.outliers)]


def _missing(info: FitInfo) -> str:
    if not info.fitted:
        return NO_FIT
    return f"model: this group is not in the latest reporting-bias fit ({info.message})"


def _model(found: StoredGroup | None, group: GroupReport, info: FitInfo) -> ModelEstimateOut | None:
    if found is None or info.fitted_at is None:
        return None
    value, low, high, on = found.estimate.value, found.estimate.low, found.estimate.high, None
    if found.cumulative and found.trajectory:
        at = group.aligned_at.date() if group.aligned_at else found.trajectory[-1][0]
        on, value, low, high = _point(found.trajectory, at)
    when = f"{info.fitted_at:%Y-%m-%d %H:%M} UTC"
    day = f" on {on.isoformat()}" if on else ""
    why = (
        f"model: {value:,.0f}{day} (95% interval {low:,.0f} to {high:,.0f}), corrected for each claimant's "
        f"reporting bias by the fit of {when}"
    )
    if info.stale:
        why += f"; the data changed since ({info.changes_since} changes): a new fit follows"
    return ModelEstimateOut(value=value, low=low, high=high, on=on, fitted_at=info.fitted_at, stale=info.stale,
                            explanation=why)  # fmt: skip


def _point(trajectory: Sequence[tuple[date, float, float, float]], at: date) -> tuple[date, float, float, float]:
    """The trajectory's day ``at``; before it starts, its first day; after it ends, its last."""
    before = [p for p in trajectory if p[0] <= at]
    return before[-1] if before else trajectory[0]
