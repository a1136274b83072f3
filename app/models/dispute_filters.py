"""Filters of ``GET /discrepancies``: the spec of the disputes list, and its query model.

A dispute is a row of ``group_summary``; who spoke in it is in ``group_voice`` (and the speakers'
affiliations in ``source``), reached through ``(event_id, metric, scope_key)``."""

from pydantic import Field

from app.models.entities import Event, Source
from app.models.filters import (
    COMPARE,
    ONE_OF,
    ORDER,
    Count,
    DateTime,
    Factor,
    Filter,
    Filters,
    FilterSpec,
    Id,
    MetricName,
    Name,
    Number,
    Op,
    Through,
    derived_from,
)
from app.models.summaries import GroupSummary as Gs
from app.models.summaries import GroupVoice as Gv

GROUP = (Gs.event_id, Gs.metric, Gs.scope_key)
VOICES = Through(GROUP, (Gv.event_id, Gv.metric, Gv.scope_key))

DISPUTES = FilterSpec(
    "discrepancies",
    (
        Filter("metric", Gs.metric, MetricName, ONE_OF),
        Filter("event_id", Gs.event_id, Id, (Op.within,), "This event and those nested in it.", tree=Event),
        Filter("claimant_id", Gv.claimant_id, Id, ONE_OF, "Groups this source spoke in.", through=VOICES),
        Filter(
            "affiliation",
            Source.affiliation,
            Name,
            (Op.eq,),
            "Groups a claimant of this side spoke in.",
            through=Through(VOICES.key, VOICES.match, ((Source, Source.id == Gv.claimant_id),)),
        ),
        # a group spans its statements' dates: "after" tests its last one, "before" its first one
        Filter(
            "stated_at",
            Gs.last_stated_at,
            DateTime,
            ORDER[:2],
            "Groups with a statement after this: their last one is.",
        ),
        Filter(
            "stated_at",
            Gs.first_stated_at,
            DateTime,
            ORDER[2:],
            "Groups with a statement before this: their first one is.",
        ),
        Filter("first_stated_at", Gs.first_stated_at, DateTime, COMPARE),
        Filter("last_stated_at", Gs.last_stated_at, DateTime, COMPARE),
        Filter("min_gap", Gs.gap, Number, (Op.gte,), "Groups whose largest gap is at least this.", bare=Op.gte),
        Filter("gap", Gs.gap, Number, COMPARE),
        Filter("min_claimants", Gs.claimant_count, Count, (Op.gte,), "Groups with at least this many.", bare=Op.gte),
        Filter("minority", Gs.minority, Count, COMPARE),
        Filter("claimant_count", Gs.claimant_count, Count, COMPARE),
        Filter("figure_count", Gs.figure_count, Count, COMPARE),
        Filter("outlier_count", Gs.outlier_count, Count, COMPARE),
        Filter("conflict_count", Gs.conflict_count, Count, COMPARE),
    ),
)


@derived_from(DISPUTES)
class DisputeFilters(Filters):
    """Filters of ``GET /discrepancies``; undisputed groups (severity 0) only when asked for."""

    include_undisputed: bool = Field(default=False, description="Also list groups with no conflict.")
    min_factor: Factor | None = Field(
        default=None,
        description="Groups whose largest factor is at least this (an infinite factor, a 0 against a count, "
        "passes every minimum: leave those out with `exclude_zero`).",
    )
    exclude_zero: bool = Field(default=False, description="Leave out disputes whose lowest figure is 0.")
