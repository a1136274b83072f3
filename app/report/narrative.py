"""One sentence per group report, so a reader sees the story before the numbers.

Pure: it only reads the engine's report and the names of scopes."""

from collections.abc import Mapping

from app.domain.discrepancy import FigureFact, ScopeReport
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
        return (
            f"Split: no majority among {n} claimants; the largest gap is {_factor(report.severity)} "
            f"({report.conflict_count} conflicting pairs)."
        )
    assert report.agreement is not None
    agree = f"{report.support} of {n} claimants agree on {interval_text(report.agreement)}"
    if not report.outliers:
        return f"{agree}; no one stands apart."
    apart = "; ".join(
        f"{_said(o.fact)} is {_factor(o.factor)} {'below' if o.direction == 'under' else 'above'}"
        for o in report.outliers
    )
    return f"{agree}. Standing apart: {apart}."
