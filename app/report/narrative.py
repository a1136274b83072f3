"""One sentence per group report, so a reader sees the story before the numbers.

Pure: it only reads the engine's report and the names of scopes."""

from collections.abc import Mapping

from app.domain.discrepancy import FigureFact, ScopeReport, Timing
from app.domain.intervals import Interval


def interval_text(interval: Interval) -> str:
    if interval.high is None:
        return f"at least {_num(interval.low)}"
    if interval.low == interval.high:
        return _num(interval.low)
    return f"{_num(interval.low)} to {_num(interval.high)}"


def _num(x: float) -> str:
    return f"{x:,.0f}" if x == int(x) else f"{x:,.2f}"


def _factor(x: float) -> str:
    return "infinitely" if x == float("inf") else f"{x:.1f}x"


def _said(fact: FigureFact) -> str:
    words = f'"{fact.text}"' if fact.text else interval_text(fact.interval)
    return f"{fact.claimant} ({words})"


def headline(report: ScopeReport, scope_names: Mapping[int, str]) -> str:
    """The group's story in one or two sentences: agreement, who stands apart, and the
    narrower-scope figures set beside it."""
    parts = [_core(report)]
    for c in report.comparisons:
        scope = scope_names.get(c.scope_id, f"scope {c.scope_id}")
        if c.conflict:
            parts.append(f"{_said(c.fact)} counts only {scope} yet exceeds it: a conflict.")
        elif c.direction == "under":
            parts.append(
                f"{_said(c.fact)} counts only {scope}: {_factor(c.factor)} below, a gap the narrower scope may explain."
            )
        else:
            parts.append(f"{_said(c.fact)} counts only {scope} and is consistent with it.")
    return " ".join(parts)


def _core(report: ScopeReport) -> str:
    n = report.claimant_count
    if n == 0:
        return "No counted figure: every statement here was denied or retracted."
    if n == 1:
        return f"One claimant: {_said(report.voices[0])}; nothing contradicts it."
    if report.tie:
        return _split(report)
    assert report.agreement is not None
    # A floor ("at least 660") holds every value above it: it is consistent with a figure, it never said it.
    floors = report.agreement.high is not None and any(v.interval.high is None for v in report.in_agreement)
    verb = "are consistent with" if floors else "agree on"
    agree = f"{report.support} of {n} claimants {verb} {interval_text(report.agreement)}"
    if not report.outliers:
        return f"{agree}; no one stands apart.{_floors(report)}"
    return f"{agree}. Standing apart: {_apart(report)}.{_floors(report)}"


def _apart(report: ScopeReport) -> str:
    return "; ".join(
        f"{_said(o.fact)} is {_factor(o.factor)} {'below' if o.direction == 'under' else 'above'}{_stale(o.timing)}"
        for o in report.outliers
    )


def _split(report: ScopeReport) -> str:
    """No majority: who is higher and by how much, side by side, and anyone apart from both."""
    n = report.claimant_count
    if n == 2 and report.spread is not None:  # the commonest dispute: two voices, one above the other
        s = report.spread
        return f"{_said(s.highest)} is {_factor(s.factor)} above {_said(s.lowest)}{_stale(s.timing)}."
    sides = []
    for cluster in reversed(report.clusters):  # highest first: who is above reads first
        names = ", ".join(_said(m) for m in cluster.members) or "no one"
        sides.append(f"{names} at {interval_text(cluster.interval)}")
    steps = [_factor(c.factor) for c in reversed(report.clusters) if c.factor is not None]
    text = f"Split: no majority among {n} claimants. Highest first: {'; '.join(sides)} ({' and '.join(steps)} apart)."
    if report.outliers:
        text += f" Standing apart: {_apart(report)}."
    return text


def _floors(report: ScopeReport) -> str:
    """When the agreement is a figure that a floor ("at least 660") merely allows, say how far above
    the floor the figure sits: the floor-holder never said it. (Every floor is in the report's data.)"""
    agreement = report.agreement
    if agreement is None or agreement.high is None:
        return ""
    holders = {v.figure_id for v in report.in_agreement}
    said = [
        f" {f.above.claimant}'s {interval_text(f.above.interval)} is {_factor(f.ratio)} {f.floor.claimant}'s floor "
        f"of {interval_text(f.floor.interval)} (consistent)."
        for f in report.floors
        if f.ratio > 1 and {f.floor.figure_id, f.above.figure_id} <= holders
    ]
    return "".join(said[:3])


def _stale(timing: Timing) -> str:
    if not timing.stale or timing.days is None:
        return ""
    return f" (stated {timing.days:,.0f} days apart)"
