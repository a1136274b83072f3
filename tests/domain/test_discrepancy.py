"""The discrepancy engine: the seed story, worked examples, properties checked by brute force."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from random import Random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.discrepancy import (
    FigureFact,
    Period,
    Policy,
    ScopeReport,
    analyse,
    severity_of,
    summary,
)
from app.domain.errors import DomainError
from app.domain.intervals import Interval
from app.domain.vocab import NOT_COUNTED, Modality, SourceKind

FEB_15 = datetime(2018, 2, 15, tzinfo=UTC)
DAY = timedelta(days=1)


def fact(
    figure_id: int,
    claimant_id: int,
    low: float,
    high: float | None,
    scope_id: int | None = 1,
    *,
    at: datetime | None = FEB_15,
    modality: Modality = Modality.reported,
    kind: str = "other",
    text: str = "",
    claimant: str = "",
) -> FigureFact:
    return FigureFact(
        figure_id=figure_id,
        claimant_id=claimant_id,
        claimant=claimant or f"claimant {claimant_id}",
        interval=Interval(low, high),
        scope_id=scope_id,
        stated_at=at,
        modality=modality,
        claimant_kind=kind,
        text=text,
    )


def only(reports: list[ScopeReport], scope_id: int | None = 1) -> ScopeReport:
    (report,) = [r for r in reports if r.scope_id == scope_id]
    return report


def claimants(facts: tuple[FigureFact, ...]) -> list[int]:
    return [f.claimant_id for f in facts]


def pairs_of(report: ScopeReport) -> list[tuple[int, int]]:
    return [(c.lower.claimant_id, c.higher.claimant_id) for c in report.conflicts]


# ---------------------------------------------------------------- the seed story

SEED_SCOPES = {1: None, 2: 1}  # 1 the attacking force, 2 Russian citizens (within 1)


def seed_killed() -> list[FigureFact]:
    return [
        fact(1, 10, 201, None, text="more than 200", claimant="Bloomberg's sources"),
        fact(2, 11, 80, 120, text="around 100", claimant="one U.S. official"),
        fact(3, 12, 161, None, text="more than double that number", claimant="three Russians"),
        fact(4, 13, 40, None, modality=Modality.alleged, text="scores", claimant="the publisher"),
        replace(
            fact(5, 14, 5, 5, 2, modality=Modality.hedged, text="five", claimant="Maria Zakharova"),
            relays=(20,),
        ),
    ]


def test_seed_story_attacking_force() -> None:
    force = analyse(seed_killed(), SEED_SCOPES)[0]
    assert force.scope_id == 1
    assert force.agreement == Interval(201, None)
    assert force.support == 3 and not force.tie
    assert claimants(force.in_agreement) == [10, 12, 13]
    (outlier,) = force.outliers
    assert outlier.fact.claimant_id == 11 and outlier.direction == "under"
    assert outlier.factor == pytest.approx(201 / 120) and outlier.gap == 81
    assert pairs_of(force) == [(11, 10), (11, 12)]  # 11 vs 13 overlap: [80, 120] and [40, inf)
    assert [c.factor for c in force.conflicts] == pytest.approx([201 / 120, 161 / 120])
    assert force.factor == pytest.approx(1.675) and force.gap == 81
    assert force.severity == pytest.approx(severity_of(201, 120))
    assert (force.minority, force.claimant_count, force.conflict_count) == (1, 4, 2)
    assert force.envelope == Interval(40, None)


def test_seed_story_zakharova_is_a_comparison_across_scopes() -> None:
    force, citizens = analyse(seed_killed(), SEED_SCOPES)
    (comparison,) = force.comparisons
    assert comparison.fact.claimant_id == 14 and comparison.scope_id == 2
    assert comparison.factor == pytest.approx(40.2) and comparison.gap == 196
    assert comparison.direction == "under" and comparison.conflict is False
    assert "counts a narrower population (scope 2 within scope 1)" in comparison.explanation
    assert "5 is 40.2x below the agreement [201, ∞)" in comparison.explanation
    assert "the scope difference may explain it" in comparison.explanation
    assert citizens.scope_id == 2 and claimants(citizens.voices) == [14]
    assert citizens.factor == 1.0 and citizens.severity == 0 and citizens.comparisons == ()


def test_seed_story_injured_stands_alone() -> None:
    (injured,) = analyse([fact(6, 11, 200, 300, text="200 to 300")], SEED_SCOPES)
    assert injured.agreement == Interval(200, 300) and injured.support == 1
    assert injured.conflicts == () and injured.outliers == ()
    assert injured.severity == 0 and injured.minority == 0


# ---------------------------------------------------------------- examples


def test_a_tie_is_a_split_not_a_majority() -> None:
    voices = [fact(1, 1, 10, 20), fact(2, 2, 15, 25), fact(3, 3, 100, 110), fact(4, 4, 105, 120)]
    report = only(analyse(voices))
    assert report.tie and report.agreement is None and report.support == 2
    assert report.agreements == (Interval(15, 20), Interval(105, 110))
    assert report.outliers == () and report.outlier_count == 0
    assert sorted(pairs_of(report)) == [(1, 3), (1, 4), (2, 3), (2, 4)]
    assert pairs_of(report)[0] == (1, 4) and report.factor == pytest.approx(105 / 20)
    assert report.minority == 2
    assert report.estimate.interval == Interval(15, 110) and "tied" in report.estimate.explanation
    row = summary(report)
    assert row.tie and row.agreement_low is None and row.agreement_high is None


def test_tie_minority_is_the_smaller_side_of_the_largest_conflict() -> None:
    voices = [fact(1, 1, 0, 10), fact(2, 2, 5, 15), fact(3, 3, 100, 110), fact(4, 4, 105, 120)]
    report = only(analyse([*voices, fact(5, 5, 200, 200)]))
    assert report.tie and report.agreements == (Interval(5, 10), Interval(105, 110))
    assert pairs_of(report)[0] == (1, 5) and report.factor == 20
    # Wholly below 200: claimants 1-4; wholly above 10: claimants 3-5.
    assert report.minority == 3


def test_revisions_latest_counts_and_earlier_is_on_the_timeline() -> None:
    figures = [
        fact(1, 1, 100, 100, at=FEB_15),
        fact(2, 1, 150, 150, at=FEB_15 + DAY),
        fact(3, 2, 140, 160),
    ]
    report = only(analyse(figures))
    assert [v.figure_id for v in report.voices] == [2, 3]
    assert [r.figure_id for r in report.revisions] == [1]
    assert report.conflicts == () and report.severity == 0  # a revision is not a dispute
    assert [(e.fact.figure_id, e.status) for e in report.timeline] == [
        (1, "revised"),
        (3, "counted"),
        (2, "counted"),
    ]
    assert (report.claimant_count, report.figure_count) == (2, 3)


def test_revision_order_undated_is_oldest_and_the_same_time_goes_to_the_higher_figure() -> None:
    figures = [
        fact(9, 1, 500, 500, at=None),
        fact(8, 1, 145, 145, at=FEB_15),
        fact(4, 2, 10, 10, at=FEB_15),
        fact(3, 2, 20, 20, at=FEB_15),
    ]
    report = only(analyse(figures))
    assert [v.figure_id for v in report.voices] == [8, 3]  # 20 and 10 stated at one time: 20 counts
    assert [e.fact.figure_id for e in report.timeline] == [9, 3, 4, 8]  # undated first


def test_naive_and_aware_dates_mix() -> None:
    figures = [fact(1, 1, 10, 10, at=datetime(2018, 2, 16)), fact(2, 1, 20, 20, at=FEB_15)]
    assert only(analyse(figures)).voices[0].figure_id == 1


def test_denied_and_retracted_are_excluded_never_counted() -> None:
    figures = [
        fact(1, 1, 100, 120),
        fact(2, 2, 0, 0, modality=Modality.denied),
        fact(3, 3, 110, 110, at=FEB_15),
        fact(4, 3, 900, 900, at=FEB_15 + DAY, modality=Modality.retracted),
    ]
    report = only(analyse(figures))
    assert [f.figure_id for f in report.excluded] == [2, 4]
    assert [v.figure_id for v in report.voices] == [1, 3]  # the retraction leaves 3 counted
    assert report.conflicts == () and report.figure_count == 4
    statuses = {e.fact.figure_id: e.status for e in report.timeline}
    assert statuses == {1: "counted", 2: "excluded", 3: "counted", 4: "excluded"}


def test_a_scope_with_only_excluded_figures_has_a_report_without_voices() -> None:
    report = only(analyse([fact(1, 1, 5, 5, modality=Modality.denied)]))
    assert report.voices == () and report.envelope is None and report.agreement is None
    assert report.support == 0 and report.severity == 0 and report.estimate.interval is None
    assert summary(report).envelope_low is None


def test_single_voice() -> None:
    report = only(analyse([fact(1, 1, 80, 120)]))
    assert report.agreement == Interval(80, 120) == report.envelope
    assert report.outliers == () and report.severity == 0 and report.minority == 0


def test_touching_closed_intervals_overlap() -> None:
    report = only(analyse([fact(1, 1, 10, 20), fact(2, 2, 20, 30)]))
    assert report.agreement == Interval(20, 20) and report.support == 2
    assert report.conflicts == () and report.outliers == ()


def test_zero_high_gives_an_infinite_factor() -> None:
    report = only(analyse([fact(1, 1, 0, 0), fact(2, 2, 5, 10), fact(3, 3, 6, 9)]))
    assert report.agreement == Interval(6, 9)
    (outlier,) = report.outliers
    assert outlier.direction == "under" and math.isinf(outlier.factor) and outlier.gap == 6
    assert pairs_of(report) == [(1, 3), (1, 2)]  # equal factors: the larger gap first
    assert math.isinf(report.factor)  # shown as it is ...
    assert report.severity == pytest.approx(severity_of(6, 0))  # ... but ranked by a finite score


def test_an_over_count_outlier() -> None:
    report = only(analyse([fact(1, 1, 10, 20), fact(2, 2, 12, 18), fact(3, 3, 90, None)]))
    (outlier,) = report.outliers
    assert (outlier.direction, outlier.factor, outlier.gap) == ("over", 5.0, 72)


def test_unrelated_scopes_are_never_compared() -> None:
    scopes = {1: None, 2: None, 3: 1}
    figures = [fact(1, 1, 100, 100, 1), fact(2, 2, 5, 5, 2), fact(3, 3, 7, 7, None)]
    figures.append(fact(4, 4, 9, 9, 3))
    reports = analyse(figures, scopes)
    assert [r.scope_id for r in reports] == [None, 1, 2, 3]  # depth, then id, None first
    assert [c.fact.figure_id for c in only(reports, 1).comparisons] == [4]
    assert all(not r.comparisons for r in reports if r.scope_id != 1)


def test_comparison_goes_to_the_nearest_ancestor_with_voices() -> None:
    scopes = {1: None, 2: 1, 3: 2}
    skipping = [fact(1, 1, 100, 100, 1), fact(2, 2, 50, 50, 2, modality=Modality.denied)]
    skipping.append(fact(3, 3, 9, 9, 3))
    assert [c.scope_id for c in only(analyse(skipping, scopes), 1).comparisons] == [3]
    nearest = [*skipping, fact(4, 4, 60, 60, 2)]
    reports = analyse(nearest, scopes)
    assert [c.scope_id for c in only(reports, 1).comparisons] == [2]
    assert [c.scope_id for c in only(reports, 2).comparisons] == [3]


def test_a_part_that_outnumbers_the_whole_is_a_conflict() -> None:
    figures = [fact(1, 1, 100, 120), fact(2, 2, 110, 130), fact(3, 3, 150, 150, 2)]
    whole = only(analyse(figures, SEED_SCOPES))
    (comparison,) = whole.comparisons
    assert comparison.direction == "over" and comparison.conflict
    assert comparison.factor == pytest.approx(150 / 120) and comparison.gap == 30
    assert "cannot outnumber the whole" in comparison.explanation
    assert whole.factor == pytest.approx(1.25) and whole.conflict_count == 1
    assert whole.conflicts == ()


def test_an_unbounded_whole_never_conflicts_and_a_part_inside_is_consistent() -> None:
    figures = [fact(1, 1, 100, None), fact(2, 2, 5000, 5000, 2), fact(3, 3, 150, 150, 2)]
    whole = only(analyse(figures, SEED_SCOPES))
    assert [c.direction for c in whole.comparisons] == ["within", "within"]
    assert whole.severity == 0 and whole.conflict_count == 0


def test_comparisons_on_a_tie_use_the_envelope() -> None:
    figures = [fact(1, 1, 10, 10), fact(2, 2, 100, 100), fact(3, 3, 50, 50, 2)]
    (comparison,) = only(analyse(figures, SEED_SCOPES)).comparisons
    assert comparison.direction == "within" and "envelope" in comparison.explanation


def test_a_cycle_in_the_scope_tree_is_refused() -> None:
    with pytest.raises(DomainError):
        analyse([fact(1, 1, 5, 5, 1)], {1: 2, 2: 1})


def test_no_figures_no_reports() -> None:
    assert analyse([]) == []


def test_policy_names() -> None:
    assert [p.value for p in Policy] == ["range", "majority", "conservative", "latest", "hierarchy"]


POLICY_FIGURES = [
    fact(1, 1, 10, 20, at=FEB_15, kind=SourceKind.government),
    fact(2, 2, 15, 30, at=FEB_15 + DAY, kind=SourceKind.government),
    fact(3, 3, 100, 200, at=FEB_15 + 2 * DAY, kind=SourceKind.outlet, text="hundreds"),
    fact(4, 4, 150, 180, at=None, kind=SourceKind.outlet),
    fact(5, 5, 160, 170, at=FEB_15, kind=SourceKind.anonymous),
]


@pytest.mark.parametrize(
    ("policy", "hierarchy", "interval", "ids"),
    [
        (Policy.range, (), Interval(10, 200), (1, 2, 3, 4, 5)),
        (Policy.majority, (), Interval(160, 170), (3, 4, 5)),
        (Policy.conservative, (), Interval(10, 10), (1,)),
        (Policy.latest, (), Interval(100, 200), (3,)),
        (Policy.hierarchy, ("government", "outlet"), Interval(15, 20), (1, 2)),
        (Policy.hierarchy, ("outlet",), Interval(150, 180), (3, 4)),
        (Policy.hierarchy, ("person",), Interval(160, 170), (3, 4, 5)),  # none listed: all alike
    ],
)
def test_estimate_policies(
    policy: Policy, hierarchy: tuple[str, ...], interval: Interval, ids: tuple[int, ...]
) -> None:
    estimate = only(analyse(POLICY_FIGURES, policy=policy, hierarchy=hierarchy)).estimate
    assert (estimate.policy, estimate.interval, estimate.figure_ids) == (policy, interval, ids)
    assert estimate.explanation.startswith(policy.value)


def test_conservative_names_the_figure() -> None:
    estimate = only(analyse(POLICY_FIGURES[2:], policy=Policy.conservative)).estimate
    assert estimate.interval == Interval(100, 100)
    assert 'claimant 3 ("hundreds", [100, 200])' in estimate.explanation


def test_counting_without_pairs_handles_a_quadratic_number_of_conflicts() -> None:
    # 5,000 low voices against 5,000 high ones: 25 million conflicting pairs, counted not listed.
    figures = [fact(i, i, i % 7, 10 + i % 7) for i in range(5000)]
    figures += [fact(i, i, 100 + i % 5, 200) for i in range(5000, 10000)]
    report = only(analyse(figures, pairs=False))
    assert report.conflicts == () and report.conflict_count == 25_000_000
    assert report.tie and report.minority == 5000
    assert report.factor == pytest.approx(104 / 10)


# ---------------------------------------------------------------- properties

TREE = {1: None, 2: 1, 3: 1, 4: 2, 5: None}
DATES = [None, FEB_15, FEB_15 + DAY, FEB_15 + 2 * DAY]


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    low = draw(st.integers(0, 30))
    if draw(st.integers(0, 3)) == 0:
        return Interval(low, None)
    return Interval(low, low + draw(st.integers(0, 15)))


@st.composite
def figure_sets(draw: st.DrawFn) -> list[FigureFact]:
    """Figures of one event and metric: repeated claimants, dates, modalities and scopes."""
    size = draw(st.integers(0, 14))
    return [
        FigureFact(
            figure_id=figure_id,
            claimant_id=(claimant_id := draw(st.integers(1, 8))),
            claimant=f"claimant {claimant_id}",
            interval=draw(intervals()),
            scope_id=draw(st.sampled_from([None, *TREE])),
            stated_at=draw(st.sampled_from(DATES)),
            modality=draw(st.sampled_from(list(Modality))),
            claimant_kind=draw(st.sampled_from(list(SourceKind))),
        )
        for figure_id in range(1, size + 1)
    ]


@st.composite
def voice_sets(draw: st.DrawFn, min_size: int = 0) -> list[FigureFact]:
    """Independent counted voices of one scope (one figure per claimant)."""
    spans = draw(st.lists(intervals(), min_size=min_size, max_size=14))
    return [fact(i, i, iv.low, iv.high) for i, iv in enumerate(spans, start=1)]


def coverage(voices: tuple[FigureFact, ...], value: float) -> int:
    return sum(v.interval.contains(value) for v in voices)


def candidate_points(voices: tuple[FigureFact, ...]) -> list[float]:
    highs = {v.interval.high for v in voices if v.interval.high is not None}
    ends = sorted({v.interval.low for v in voices} | highs)
    middles = [(a + b) / 2 for a, b in zip(ends, ends[1:], strict=False)]
    return [*ends, *middles, ends[-1] + 1] if ends else []


def _high(v: FigureFact) -> float:
    return math.inf if v.interval.high is None else v.interval.high


def disjoint(a: FigureFact, b: FigureFact) -> bool:
    return not a.interval.overlaps(b.interval)


@settings(max_examples=150)
@given(figure_sets(), st.randoms(use_true_random=False), st.sampled_from(list(Policy)))
def test_results_do_not_depend_on_input_order(figures: list[FigureFact], rnd: Random, policy: Policy) -> None:
    shuffled = list(figures)
    rnd.shuffle(shuffled)
    hierarchy = ("government", "outlet")
    assert analyse(shuffled, TREE, policy=policy, hierarchy=hierarchy) == analyse(
        figures, TREE, policy=policy, hierarchy=hierarchy
    )


@settings(max_examples=150)
@given(figure_sets(), st.data())
def test_a_relay_changes_no_count(figures: list[FigureFact], data: st.DataObject) -> None:
    if not figures:
        return
    i = data.draw(st.integers(0, len(figures) - 1))
    relays = tuple(data.draw(st.lists(st.integers(100, 120), min_size=1, max_size=3)))
    relayed = [*figures[:i], replace(figures[i], relays=relays), *figures[i + 1 :]]
    before, after = analyse(figures, TREE), analyse(relayed, TREE)
    assert [summary(r) for r in before] == [summary(r) for r in after]
    assert [pairs_of(r) for r in before] == [pairs_of(r) for r in after]


@settings(max_examples=150)
@given(voice_sets(min_size=1), st.data())
def test_a_new_voice_inside_the_agreement_only_conflicts_with_voices_outside_it(
    voices: list[FigureFact], data: st.DataObject
) -> None:
    before = only(analyse(voices))
    segment = data.draw(st.sampled_from(before.agreements))
    point = segment.low
    newcomer = fact(999, 999, point, point)
    after = only(analyse([*voices, newcomer]))
    assert after.support == before.support + 1 and after.agreement == Interval(point, point)
    clashing = {c.lower.claimant_id for c in after.conflicts if c.higher.claimant_id == 999}
    clashing |= {c.higher.claimant_id for c in after.conflicts if c.lower.claimant_id == 999}
    outside = {v.claimant_id for v in before.voices if not v.interval.contains(point)}
    assert clashing == outside
    top = math.inf if segment.high is None else segment.high
    holding = {v.claimant_id for v in before.voices if v.interval.low <= point and _high(v) >= top}
    assert holding and clashing.isdisjoint(holding)  # no conflict with the segment's holders
    old = [p for p in pairs_of(after) if 999 not in p]
    assert sorted(old) == sorted(pairs_of(before))
    if not before.tie:  # the outliers stay the same claimants
        assert {o.fact.claimant_id for o in after.outliers} == {o.fact.claimant_id for o in before.outliers}
        assert clashing.isdisjoint(claimants(before.in_agreement))


@settings(max_examples=200)
@given(voice_sets())
def test_conflicts_are_exactly_the_disjoint_pairs(voices: list[FigureFact]) -> None:
    report = only(analyse(voices)) if voices else None
    if report is None:
        return
    brute = {
        (a.claimant_id, b.claimant_id)
        for a in voices
        for b in voices
        if disjoint(a, b) and a.interval.high is not None and a.interval.high < b.interval.low
    }
    assert set(pairs_of(report)) == brute and len(report.conflicts) == len(brute)
    assert report.conflict_count == len(brute)
    for c in report.conflicts:
        assert disjoint(c.lower, c.higher) and c.factor > 1 and c.gap > 0
    keys = [(-c.factor, -c.gap) for c in report.conflicts]
    assert keys == sorted(keys)
    expected = max((c.factor for c in report.conflicts), default=1.0)
    assert report.factor == expected
    top = max((c.higher.interval.low for c in report.conflicts), default=0.0)
    bottom = min((_high(c.lower) for c in report.conflicts), default=0.0)
    assert report.severity == (severity_of(top, bottom) if report.conflicts else 0.0)


@settings(max_examples=200)
@given(voice_sets())
def test_agreement_is_the_brute_force_max_coverage(voices: list[FigureFact]) -> None:
    if not voices:
        return
    report = only(analyse(voices))
    counted = report.voices
    assert report.support == max(coverage(counted, x) for x in candidate_points(counted))
    for x in candidate_points(counted):
        in_segment = any(s.contains(x) for s in report.agreements)
        assert in_segment == (coverage(counted, x) == report.support)
    assert report.tie == (len(report.agreements) > 1)
    assert report.agreement == (None if report.tie else report.agreements[0])


@settings(max_examples=200)
@given(voice_sets())
def test_outliers_and_agreement_split_the_voices(voices: list[FigureFact]) -> None:
    if not voices:
        return
    report = only(analyse(voices))
    reference = report.agreement or Interval(report.agreements[0].low, report.agreements[-1].high)
    for outlier in report.outliers:
        assert outlier.factor > 1 and outlier.gap > 0
        assert not outlier.fact.interval.overlaps(reference)
    if report.tie:
        hull = Interval(report.agreements[0].low, report.agreements[-1].high)
        assert {o.fact.claimant_id for o in report.outliers} == {
            v.claimant_id for v in voices if not v.interval.overlaps(hull)
        }
        top = report.conflicts[0]
        assert top.lower.interval.high is not None
        below = sum(_high(v) < top.higher.interval.low for v in voices)
        above = sum(v.interval.low > top.lower.interval.high for v in voices)
        assert report.minority == min(below, above)
    else:
        outside = sorted(o.fact.claimant_id for o in report.outliers)
        inside = claimants(report.in_agreement)
        assert sorted(outside + inside) == claimants(report.voices)
        assert report.minority == len(outside)


@settings(max_examples=150)
@given(figure_sets(), st.sampled_from(list(Policy)))
def test_every_interval_returned_is_well_formed(figures: list[FigureFact], policy: Policy) -> None:
    for report in analyse(figures, TREE, policy=policy, hierarchy=("government",)):
        returned = [report.envelope, report.agreement, *report.agreements, report.estimate.interval]
        for iv in returned:
            assert iv is None or iv.high is None or iv.low <= iv.high
        assert report.estimate.policy is policy


@settings(max_examples=150)
@given(figure_sets())
def test_counts_revisions_timeline_and_counting_without_pairs(figures: list[FigureFact]) -> None:
    reports = analyse(figures, TREE)
    assert sum(r.figure_count for r in reports) == len(figures)
    for report in reports:
        mine = [f for f in figures if f.scope_id == report.scope_id]
        counted = {f.claimant_id for f in mine if f.modality not in NOT_COUNTED}
        assert claimants(report.voices) == sorted(counted)
        assert len(report.timeline) == report.figure_count == len(mine)
        assert report.conflict_count == len(report.conflicts) + sum(c.conflict for c in report.comparisons)
        if report.scope_id is None:
            assert report.comparisons == ()
    assert [summary(r) for r in analyse(figures, TREE, pairs=False)] == [summary(r) for r in reports]


# ---------------------------------------------------------------- judgments a user can trust


def places(report: ScopeReport) -> dict[int, str]:
    return {v.claimant_id: report.place_of(v) for v in report.voices}


def test_nobody_vanishes_in_a_split() -> None:
    """ "between 100 and 300" (A), "100" (B), "300" (C), "5" (D): no majority, and D is shown."""
    voices = [fact(1, 1, 100, 300), fact(2, 2, 100, 100), fact(3, 3, 300, 300), fact(4, 4, 5, 5)]
    report = only(analyse(voices))
    assert report.tie and report.agreements == (Interval(100, 100), Interval(300, 300))
    assert places(report) == {1: "cluster 1", 2: "cluster 1", 3: "cluster 2", 4: "outlier"}
    (outlier,) = report.outliers
    assert (outlier.direction, outlier.factor, outlier.gap) == ("under", 20.0, 95)
    assert [c.factor for c in report.clusters] == [3.0, None]
    assert report.spread is not None
    assert (report.spread.highest.claimant_id, report.spread.lowest.claimant_id) == (3, 4)
    assert report.spread.factor == 60


def test_a_two_source_dispute_says_who_is_higher_and_by_how_much() -> None:
    report = only(analyse([fact(1, 1, 5, 5), fact(2, 2, 17, 17)]))
    assert places(report) == {1: "cluster 1", 2: "cluster 2"}
    assert report.spread is not None and report.spread.highest.claimant_id == 2
    assert report.spread.factor == pytest.approx(3.4) and report.spread.gap == 12
    assert report.clusters[0].factor == pytest.approx(3.4)


def test_a_claim_above_a_floor_is_consistent_and_measured_against_it() -> None:
    """General Staff: 2,262 tanks; Oryx: at least 660 visually confirmed."""
    report = only(analyse([fact(1, 1, 660, None, claimant="Oryx"), fact(2, 2, 2262, 2262, claimant="General Staff")]))
    assert report.conflicts == () and report.severity == 0 and report.spread is None
    (floor,) = report.floors
    assert (floor.floor.claimant_id, floor.above.claimant_id) == (1, 2)
    assert floor.ratio == pytest.approx(2262 / 660)


def test_severity_is_finite_and_grows_with_both_gaps() -> None:
    small, middle, large = severity_of(3, 0), severity_of(200, 40), severity_of(99e6, 4.9e6)
    assert all(math.isfinite(x) for x in (small, middle, large))
    assert small < middle < large and large > 10 * small
    assert severity_of(5, 5) == 0 == severity_of(4, 5)


def test_statements_years_apart_are_marked_stale() -> None:
    later = FEB_15 + timedelta(days=1280)
    report = only(analyse([fact(1, 1, 10, 10), fact(2, 2, 100, 100, at=later)]))
    (conflict,) = report.conflicts
    assert conflict.timing.stale and conflict.timing.days == 1280
    assert report.spread is not None and report.spread.timing.stale


def cumulative(figure_id: int, claimant_id: int, value: float, at: datetime) -> FigureFact:
    return replace(fact(figure_id, claimant_id, value, value, at=at), period=Period.cumulative)


def test_a_running_total_restated_is_an_update_and_voices_are_aligned_in_time() -> None:
    d1, d2, d3 = FEB_15, FEB_15 + DAY, FEB_15 + 30 * DAY
    figures = [cumulative(1, 1, 100, d1), cumulative(2, 1, 150, d2), cumulative(3, 1, 400, d3)]
    figures.append(cumulative(4, 2, 120, d2))
    report = only(analyse(figures))
    assert report.aligned_at == d2  # the latest date by which both had spoken
    assert {v.claimant_id: v.figure_id for v in report.voices} == {1: 2, 2: 4}
    statuses = {e.fact.figure_id: e.status for e in report.timeline}
    assert statuses == {1: "updated", 2: "counted", 3: "later", 4: "counted"}
    assert report.conflicts == () or all(not c.timing.stale for c in report.conflicts)


@pytest.mark.parametrize("first", [10, 20])
def test_two_statements_at_one_time_count_the_same_whatever_the_storage_order(first: float) -> None:
    second = 30 - first
    report = only(analyse([fact(1, 1, first, first), fact(2, 1, second, second), fact(3, 2, 50, 50)]))
    (mine,) = [v for v in report.voices if v.claimant_id == 1]
    assert mine.interval == Interval(20, 20)
    assert len(report.timeline) == 3  # the other stays visible


@settings(max_examples=200)
@given(figure_sets())
def test_every_voice_has_exactly_one_place(figures: list[FigureFact]) -> None:
    for report in analyse(figures, TREE):
        placed = [
            *report.in_agreement,
            *(o.fact for o in report.outliers),
            *(m for c in report.clusters for m in c.members),
        ]
        ids = sorted(v.figure_id for v in placed)
        if report.claimant_count == 1:
            assert report.place_of(report.voices[0]) == "alone"
        else:
            assert ids == sorted(v.figure_id for v in report.voices)  # everyone, once
        if report.conflict_count > len([c for c in report.comparisons if c.conflict]):
            assert report.spread is not None and report.spread.factor > 1
