"""Reporting bias: known biases recovered from simulations, calibrated intervals, shrinkage, the seed
story's few voices, every bound kind, and properties (scale equivariance, agreement means no bias).

More data sets for the coverage study: ``python -m bench.bench_bias --coverage 300``.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import bias as model
from app.domain.bias import BiasFit, BiasInputError, ClaimantBias, Party, Statement, fit_bias
from app.domain.intervals import Bound, Interval
from bench.bias_data import (
    A_ARMY,
    A_MINISTRY,
    B_MINISTRY,
    MONITOR,
    VISUAL,
    Simulated,
    coverage,
    simulate,
)


def bias_of(fit: BiasFit, claimant: int, party: Party, family: str = "family00") -> ClaimantBias:
    (found,) = [c for c in fit.claimants if (c.claimant_id, c.party, c.family) == (claimant, party, family)]
    return found


def truth_of(sim: Simulated, cb: ClaimantBias) -> float:
    return sim.bias[(cb.family, cb.claimant_id, cb.party)]


def say(
    group: str,
    claimant: int,
    low: float,
    high: float | None = -1.0,
    bound: Bound = Bound.exact,
    *,
    affiliation: str | None = None,
    party: Party = Party.third,
    family: str = "deaths",
    on: date | None = None,
) -> Statement:
    """A statement; ``high`` defaults to ``low`` (an exact figure)."""
    iv = Interval(low, low if high == -1.0 else high)
    return Statement(group, claimant, affiliation, party, family, iv, bound, on=on, cumulative=on is not None)


# ---------------------------------------------------------------- known biases, recovered


@pytest.fixture(scope="module")
def simulated() -> tuple[Simulated, BiasFit]:
    sim = simulate(11, groups=40, series=2, days=90, reports_per_series=10)
    return sim, fit_bias(sim.statements, reference=sim.reference)


def test_fit_recovers_every_known_bias_inside_its_interval(simulated: tuple[Simulated, BiasFit]) -> None:
    sim, fit = simulated
    assert fit.converged and fit.anchored
    for cb in fit.claimants:
        assert cb.factor.contains(truth_of(sim, cb)), cb
    # the habits, as an analyst reads them: A inflates B's losses and shrinks its own
    assert bias_of(fit, A_MINISTRY, Party.other).factor.low > 2.5
    assert bias_of(fit, A_MINISTRY, Party.own).factor.high < 0.5
    assert bias_of(fit, B_MINISTRY, Party.other).factor.low > 1.3
    assert bias_of(fit, B_MINISTRY, Party.own).factor.contains(1.0)
    assert bias_of(fit, MONITOR, Party.third).factor.contains(1.0)


def test_fit_recovers_each_sides_habit(simulated: tuple[Simulated, BiasFit]) -> None:
    sim, fit = simulated
    for ab in fit.affiliations:
        assert ab.factor.contains(sim.habit[(ab.family, ab.affiliation, ab.party)]), ab
        assert ab.claimants == 2


def test_reference_claimant_is_fixed_at_one(simulated: tuple[Simulated, BiasFit]) -> None:
    _, fit = simulated
    ref = bias_of(fit, VISUAL, Party.third)
    assert ref.reference and (ref.factor.low, ref.factor.value, ref.factor.high) == (1.0, 1.0, 1.0)


def test_noise_is_estimated_near_its_true_value(simulated: tuple[Simulated, BiasFit]) -> None:
    _, fit = simulated
    assert 0.2 < fit.sigma < 0.32  # simulated with sigma = 0.25


def test_group_estimates_hold_the_true_values(simulated: tuple[Simulated, BiasFit]) -> None:
    sim, fit = simulated
    held = sum(g.estimate.contains(sim.groups[g.group]) for g in fit.groups)
    assert held >= 0.9 * len(fit.groups)


def test_trajectories_are_non_decreasing_and_hold_the_truth(simulated: tuple[Simulated, BiasFit]) -> None:
    sim, fit = simulated
    assert len(fit.series) == 2
    for s in fit.series:
        values = [p.estimate.value for p in s.points]
        assert all(b >= a * (1 - 1e-3) for a, b in zip(values, values[1:], strict=False))
        assert [p.on for p in s.points] == [s.points[0].on + timedelta(days=t) for t in range(len(s.points))]
        held = sum(p.estimate.contains(sim.series[s.series][p.on]) for p in s.points)
        assert held >= 0.9 * len(s.points)


def test_counts_behind_each_bias(simulated: tuple[Simulated, BiasFit]) -> None:
    sim, fit = simulated
    cb = bias_of(fit, A_MINISTRY, Party.other)
    mine = [s for s in sim.statements if (s.claimant_id, s.party) == (A_MINISTRY, Party.other)]
    assert cb.statements == len(mine)
    assert cb.groups == len({s.group for s in mine})
    assert fit.statements == len(sim.statements)


def test_a_planted_exaggeration_is_the_most_influential_statement() -> None:
    sim = simulate(12, groups=30)
    idx = next(i for i, s in enumerate(sim.statements) if s.claimant_id == MONITOR)
    planted = sim.statements[idx]
    value = sim.groups[planted.group] * 30
    statements = list(sim.statements)
    statements[idx] = replace(planted, interval=Interval(value, value), bound=Bound.exact)
    fit = fit_bias(statements, reference=sim.reference)
    top = bias_of(fit, MONITOR, Party.third).influential[0]
    assert top.index == idx and top.statement_id == planted.statement_id
    assert top.effect > 1.05 and top.ratio > 10


# ---------------------------------------------------------------- calibration


def test_intervals_cover_the_truth_90_to_98_percent_of_the_time() -> None:
    cov = coverage(30)
    assert cov.biases >= 300
    assert 0.90 <= cov.bias_fraction <= 0.98, cov
    assert 0.90 <= cov.group_fraction <= 0.995, cov


def test_without_a_reference_intervals_are_wider_and_still_hold_the_truth() -> None:
    anchored = simulate(13, groups=30)
    free = simulate(13, groups=30, reference=False)
    fit_a = fit_bias(anchored.statements, reference=anchored.reference)
    fit_f = fit_bias(free.statements)
    assert not fit_f.anchored
    for cb in fit_f.claimants:
        assert cb.factor.contains(truth_of(free, cb)), cb
    sd = {(c.claimant_id, c.party): c.factor.log_sd for c in fit_a.claimants}
    assert all(c.factor.log_sd > sd[(c.claimant_id, c.party)] for c in fit_f.claimants if c.claimant_id != VISUAL)


# ---------------------------------------------------------------- shrinkage


def with_newcomer(
    sim: Simulated, claimant: int, ratio: float, affiliation: str | None, party: Party
) -> list[Statement]:
    """``sim`` plus a claimant speaking in two groups only, each time ``ratio`` x the true value."""
    groups = sorted(sim.groups)[:2]
    extra = [
        say(g, claimant, sim.groups[g] * ratio, affiliation=affiliation, party=party, family="family00") for g in groups
    ]
    return [*sim.statements, *extra]


def test_a_source_seen_in_two_groups_gets_a_wide_interval_around_one() -> None:
    sim = simulate(14, groups=30)
    fit = fit_bias(with_newcomer(sim, 99, 1.3, None, Party.third), reference=sim.reference)
    new, known = bias_of(fit, 99, Party.third), bias_of(fit, MONITOR, Party.third)
    assert new.groups == 2
    assert new.factor.contains(1.0)
    assert 1.0 < new.factor.value < 1.3  # shrunk from what it said towards no bias
    assert new.factor.log_sd > 1.5 * known.factor.log_sd


def test_an_extreme_source_seen_twice_is_shrunk_not_taken_at_its_word() -> None:
    sim = simulate(14, groups=30)
    fit = fit_bias(with_newcomer(sim, 99, 10.0, None, Party.third), reference=sim.reference)
    new, known = bias_of(fit, 99, Party.third), bias_of(fit, MONITOR, Party.third)
    assert new.factor.value < 10.0 and new.factor.contains(10.0)
    assert new.factor.log_sd > 2 * known.factor.log_sd


def test_a_newcomer_borrows_its_sides_habit() -> None:
    sim = simulate(14, groups=30)
    fit = fit_bias(with_newcomer(sim, 98, 1.0, "A", Party.other), reference=sim.reference)
    new = bias_of(fit, 98, Party.other)
    assert new.factor.value > 1.1  # said the truth twice, but its side inflates B's losses x4
    assert new.factor.contains(1.0) or new.factor.contains(4.0)


# ---------------------------------------------------------------- the seed story

KILLED = "deir-ez-zor/killed/attacking force"


def seed_statements() -> list[Statement]:
    return [
        say(KILLED, 10, 201, None, Bound.gt),  # Bloomberg's sources: "more than 200"
        say(KILLED, 11, 80, 120, Bound.approx, affiliation="US", party=Party.other),  # "around 100"
        say(KILLED, 12, 161, None, Bound.relative, affiliation="Russia", party=Party.own),  # "more than double"
        say(KILLED, 13, 40, None, Bound.vague),  # the headline's "scores"
        # Zakharova's five Russian citizens count a narrower scope: a group of its own
        say("deir-ez-zor/killed/russian citizens", 14, 5, affiliation="Russia", party=Party.own),
        say("deir-ez-zor/injured/attacking force", 11, 200, 300, Bound.range, affiliation="US", party=Party.other,
            family="injuries"),
    ]  # fmt: skip


def test_the_seed_articles_few_voices_claim_no_bias() -> None:
    fit = fit_bias(seed_statements())
    assert fit.converged and not fit.anchored
    for cb in fit.claimants:
        assert cb.factor.contains(1.0), cb
        assert cb.factor.high / cb.factor.low > 2.5, cb  # wide: one group cannot tell bias from noise
    killed = next(g for g in fit.groups if g.group == KILLED)
    assert killed.claimants == 4
    assert killed.estimate.low < 201 < killed.estimate.high
    assert killed.estimate.high / killed.estimate.low > 3


# ---------------------------------------------------------------- bound kinds


def test_open_bounds_keep_the_estimate_on_their_side() -> None:
    statements = [
        say("g1", 1, 200, None, Bound.ge),
        say("g1", 2, 300, None, Bound.gt),
        say("g2", 1, 0, 50, Bound.lt),
        say("g2", 2, 0, 40, Bound.le),
        say("g3", 1, 0, 0),  # an exact zero: below one
        say("g3", 2, 0, 2, Bound.le),
    ]
    est = {g.group: g.estimate for g in fit_bias(statements).groups}
    assert est["g1"].value > 300
    assert est["g2"].value < 40
    assert est["g3"].value < 1.5
    assert all(math.isfinite(e.high) for e in est.values())


def test_an_approx_point_is_widened_by_its_tolerance() -> None:
    point = Statement("g", 1, None, Party.third, "deaths", Interval(100, 100), Bound.approx, tolerance=0.2)
    assert model._log_bounds(point) == (math.log(80), math.log(120))
    assert model._log_bounds(replace(point, bound=Bound.exact)) == (math.log(100), math.log(100))


def test_a_range_and_a_vague_word_are_intervals() -> None:
    assert model._log_bounds(say("g", 1, 200, 300, Bound.range)) == (math.log(200), math.log(300))
    assert model._log_bounds(say("g", 1, 40, None, Bound.vague)) == (math.log(40), math.inf)
    assert model._log_bounds(say("g", 1, 0, 49, Bound.lt)) == (-math.inf, math.log(49))


def test_cumulative_statements_on_different_days_share_one_trajectory() -> None:
    day = date(2024, 1, 1)
    statements = [
        say("s", 1, 100, on=day),
        say("s", 2, 110, on=day + timedelta(days=10)),
        say("s", 1, 160, on=day + timedelta(days=20)),
        say("s", 2, 150, None, Bound.ge, on=day + timedelta(days=30)),
    ]
    (series,) = fit_bias(statements).series
    assert len(series.points) == 31 and series.statements == 4 and series.claimants == 2
    values = [p.estimate.value for p in series.points]
    assert values[0] < values[10] < values[20] <= values[30] * (1 + 1e-3)
    assert 80 < values[0] < 125 and 130 < values[20] < 200


# ---------------------------------------------------------------- the Laplace algebra


def test_block_variances_match_the_dense_inverse_hessian() -> None:
    sim = simulate(15, groups=6, series=1, days=12, reports_per_series=3)
    pb = model._prepare(sim.statements, frozenset(sim.reference), model.Priors())
    post = model._Posterior(pb, model.Priors())
    x0 = np.zeros(pb.n_u + post.K + post.J)
    x0[: pb.n_u] = pb.centre.mean()
    x, lik, _ = model._minimise(post, x0, 0.3, 0.3)
    lap = model._laplace(post, x, lik, 0.3)
    # the Hessian by differences of the analytic gradient, without the monotone penalty
    flat = replace(post.pr, monotone=0.0)
    post.pr = flat
    n, h = x.size, 1e-5
    hess = np.empty((n, n))
    for i in range(n):
        e = np.zeros(n)
        e[i] = h
        hess[:, i] = (post.value_grad(x + e, 0.3, 0.3)[1] - post.value_grad(x - e, 0.3, 0.3)[1]) / (2 * h)
    cov = np.linalg.inv((hess + hess.T) / 2)
    np.testing.assert_allclose(lap.var_u, np.diag(cov)[: pb.n_u], rtol=1e-4)
    np.testing.assert_allclose(lap.var_g, np.diag(cov)[pb.n_u :], rtol=1e-4)


# ---------------------------------------------------------------- input errors


@pytest.mark.parametrize(
    ("statements", "words"),
    [
        ([], "no statements"),
        ([say("g", 1, 5), say("g", 1, 6)], "speaks twice"),
        ([say("g", 1, 5), say("g", 2, 6, family="injuries")], "mixes families"),
        ([Statement("s", 1, None, Party.third, "deaths", Interval(5, 5), Bound.exact, cumulative=True)], "date"),
        ([say("g", 1, -1, 5, Bound.range)], "negative"),
    ],
)
def test_statements_the_model_cannot_take_are_refused(statements: list[Statement], words: str) -> None:
    with pytest.raises(BiasInputError, match=words):
        fit_bias(statements)


# ---------------------------------------------------------------- properties

BOUNDS = (Bound.exact, Bound.exact, Bound.ge, Bound.le, Bound.range)


@st.composite
def small_data(draw: st.DrawFn) -> list[Statement]:
    groups = draw(st.integers(3, 6))
    biases = [1.0, draw(st.floats(0.2, 5.0)), draw(st.floats(0.2, 5.0))]
    out = []
    for g in range(groups):
        truth = draw(st.floats(20.0, 20_000.0))
        for c, b in enumerate(biases):
            v = truth * b * draw(st.floats(0.8, 1.25))
            bound = draw(st.sampled_from(BOUNDS))
            low, high = {
                Bound.exact: (v, v),
                Bound.ge: (v * 0.7, None),
                Bound.le: (0.0, v * 1.4),
                Bound.range: (v * 0.8, v * 1.3),
            }[bound]
            aff = "A" if c == 2 else None
            out.append(Statement(f"g{g}", c, aff, Party.third, "deaths", Interval(low, high), bound))
    return out


def scaled(statements: list[Statement], k: float) -> list[Statement]:
    def times(iv: Interval) -> Interval:
        return Interval(iv.low * k, None if iv.high is None else iv.high * k)

    return [replace(s, interval=times(s.interval)) for s in statements]


@settings(max_examples=15, deadline=None, derandomize=True)
@given(small_data(), st.floats(0.01, 100.0))
def test_scaling_every_figure_by_k_scales_every_estimate_by_k(statements: list[Statement], k: float) -> None:
    before, after = fit_bias(statements, tol=1e-7), fit_bias(scaled(statements, k), tol=1e-7)
    for g0, g1 in zip(before.groups, after.groups, strict=True):
        assert g1.estimate.value == pytest.approx(g0.estimate.value * k, rel=1e-4)
        assert g1.estimate.log_sd == pytest.approx(g0.estimate.log_sd, rel=1e-3, abs=1e-6)
    for c0, c1 in zip(before.claimants, after.claimants, strict=True):
        assert c1.factor.value == pytest.approx(c0.factor.value, rel=1e-4)
        assert c1.factor.log_sd == pytest.approx(c0.factor.log_sd, rel=1e-3, abs=1e-6)
    assert after.sigma == pytest.approx(before.sigma, rel=1e-4)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(
    st.lists(st.floats(1.0, 1e6), min_size=1, max_size=6),
    st.lists(st.sampled_from([None, "A", "B"]), min_size=2, max_size=5),
)
def test_a_claimant_that_agrees_with_everyone_shows_no_bias(
    values: list[float], affiliations: list[str | None]
) -> None:
    statements = [
        say(f"g{g}", c, v, affiliation=aff, party=Party.third if aff is None else Party.other)
        for g, v in enumerate(values)
        for c, aff in enumerate(affiliations)
    ]
    fit = fit_bias(statements)
    for cb in fit.claimants:
        assert cb.factor.contains(1.0)
        assert cb.factor.value == pytest.approx(1.0, abs=1e-6)


@settings(max_examples=10, deadline=None, derandomize=True)
@given(st.integers(0, 10_000))
def test_a_well_observed_bias_is_recovered_whatever_the_seed(seed: int) -> None:
    sim = simulate(seed, groups=25, claimants=(A_MINISTRY, A_ARMY, MONITOR, VISUAL))
    fit = fit_bias(sim.statements, reference=sim.reference)
    a_other = bias_of(fit, A_MINISTRY, Party.other)
    assert 2.0 < a_other.factor.value < 8.0  # simulated: x4 (times a claimant's own deviation)
