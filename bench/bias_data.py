"""Simulated statements with known reporting biases, for ``app.domain.bias`` (tests and benchmark).

Two sides, A and B, report each other's losses and their own; unaffiliated monitors report both as
a third party; one reference claimant (visually confirmed counts) is unbiased. By default side A
reports B's losses x4 and its own x0.3, side B reports A's x2 and its own x1, monitors x1, and each
claimant deviates from its side's habit by a factor exp(N(0, 0.1^2)).

Every statement is drawn from the model: the claimant's value is ``z = log(truth) + b + N(0, sigma)``,
then worded so that the words carry only ``z``'s position against cuts drawn without looking at the
noise (coarsening at random, which is what the model's censored likelihood assumes):

- one-sided (``one_sided``): a cut ``c = log(truth) + b + N(0, 0.6)``; "more than / at least c" when
  ``z`` is above it, "fewer than / at most c" below;
- range (``ranges``): the cell ``[a, a + 0.8]`` (log scale) holding ``z`` of a grid shifted by a
  uniform random offset;
- vague (``vague``): "dozens", "scores", "hundreds" or "thousands", drawn first, said when the value
  is at or above the word's low end, else "fewer than" that end;
- approx (``approx``): ``[v(1 - t), v(1 + t)]`` around ``v = exp(z)``, t = 0.2;
- else exact, rounded to a whole number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from app.domain.bias import Party, Statement
from app.domain.intervals import Bound, Interval

START = date(2022, 2, 24)
A_MINISTRY, A_ARMY, B_MINISTRY, B_ARMY, MONITOR, NGO, VISUAL = 1, 2, 3, 4, 5, 6, 7
AFFILIATION: dict[int, str | None] = {
    A_MINISTRY: "A", A_ARMY: "A", B_MINISTRY: "B", B_ARMY: "B", MONITOR: None, NGO: None, VISUAL: None,
}  # fmt: skip
HABITS: dict[tuple[str | None, Party], float] = {
    ("A", Party.other): 4.0,
    ("A", Party.own): 0.3,
    ("B", Party.other): 2.0,
    ("B", Party.own): 1.0,
    (None, Party.third): 1.0,
}
VAGUE = ((24.0, "dozens"), (40.0, "scores"), (200.0, "hundreds"), (2000.0, "thousands"))


@dataclass
class Simulated:
    statements: list[Statement]
    reference: tuple[int, ...]
    bias: dict[tuple[str, int, Party], float]  # true factor per (family, claimant, party)
    habit: dict[tuple[str, str, Party], float]  # true factor per (family, affiliation, party)
    groups: dict[str, float]  # true value per group
    series: dict[str, dict[date, float]] = field(default_factory=dict)  # true running totals


def party_of(claimant: int, losses_of: str) -> Party:
    aff = AFFILIATION[claimant]
    if aff is None:
        return Party.third
    return Party.own if aff == losses_of else Party.other


def simulate(
    seed: int,
    *,
    families: int = 1,
    groups: int = 30,
    series: int = 0,
    days: int = 365,
    reports_per_series: int = 12,
    claimants: Sequence[int] = (A_MINISTRY, A_ARMY, B_MINISTRY, B_ARMY, MONITOR, NGO, VISUAL),
    speak: float = 0.8,
    sigma: float = 0.25,
    tau: float = 0.1,
    one_sided: float = 0.3,
    ranges: float = 0.1,
    vague: float = 0.03,
    approx: float = 0.2,
    reference: bool = True,
    habits: dict[tuple[str | None, Party], float] | None = None,
) -> Simulated:
    """Statements about ``groups`` event groups and ``series`` cumulative series per family.

    Each claimant speaks about an event group with probability ``speak`` (at least two voices per
    group); on a series, each claimant reports on ``reports_per_series`` distinct random days.
    """
    rng = np.random.default_rng(seed)
    habits = HABITS if habits is None else habits
    out = Simulated([], (VISUAL,) if reference and VISUAL in claimants else (), {}, {}, {})
    for f in range(families):
        fam = f"family{f:02d}"
        log_b: dict[tuple[int, Party], float] = {}
        for c in claimants:
            for p in Party:
                aff = AFFILIATION[c]
                if (aff, p) not in habits:
                    continue
                dev = 0.0 if (c == VISUAL and reference) else (rng.normal(0, tau) if aff is not None else 0.0)
                log_b[(c, p)] = math.log(habits[(aff, p)]) + dev
                out.bias[(fam, c, p)] = math.exp(log_b[(c, p)])
                if aff is not None:
                    out.habit[(fam, aff, p)] = habits[(aff, p)]
        for g in range(groups):
            key = f"{fam}/event{g:03d}"
            losses_of = "A" if g % 2 == 0 else "B"
            truth = math.exp(rng.uniform(math.log(30), math.log(3000)))
            out.groups[key] = truth
            voices = [c for c in claimants if rng.random() < speak]
            while len(voices) < 2:
                voices = sorted(set(voices) | {int(rng.choice(list(claimants)))})
            for c in voices:
                p = party_of(c, losses_of)
                out.statements.append(_word(rng, key, c, p, fam, truth, log_b[(c, p)], sigma, None, False,
                                            one_sided, ranges, vague, approx, len(out.statements)))  # fmt: skip
        for k in range(series):
            key = f"{fam}/series{k:02d}"
            losses_of = "A" if k % 2 == 0 else "B"
            total = math.exp(rng.uniform(math.log(500), math.log(50_000)))
            scale = rng.uniform(0.2, 1.0) * days
            path = {START + timedelta(days=t): total * (1 - math.exp(-(t + 5) / scale)) for t in range(days)}
            out.series[key] = path
            for c in claimants:
                p = party_of(c, losses_of)
                for t in sorted(rng.choice(days, size=min(reports_per_series, days), replace=False).tolist()):
                    on = START + timedelta(days=t)
                    out.statements.append(_word(rng, key, c, p, fam, path[on], log_b[(c, p)], sigma, on, True,
                                                one_sided, ranges, vague, approx, len(out.statements)))  # fmt: skip
    return out


def _word(
    rng: np.random.Generator,
    group: str,
    claimant: int,
    party: Party,
    family: str,
    truth: float,
    log_b: float,
    sigma: float,
    on: date | None,
    cumulative: bool,
    one_sided: float,
    ranges: float,
    vague: float,
    approx: float,
    sid: int,
) -> Statement:
    eta = math.log(truth) + log_b
    z = eta + rng.normal(0, sigma)
    v = math.exp(z)
    u = rng.random()
    exact = float(max(round(v), 1))
    interval, bound = Interval(exact, exact), Bound.exact
    if u < one_sided:
        cut = math.exp(eta + rng.normal(0, 0.6))
        if v > cut:
            interval, bound = Interval(cut), (Bound.gt if rng.random() < 0.5 else Bound.ge)
        else:
            interval, bound = Interval(0.0, cut), (Bound.lt if rng.random() < 0.5 else Bound.le)
    elif u < one_sided + ranges:
        a = rng.uniform(0, 0.8)
        a += 0.8 * math.floor((z - a) / 0.8)  # the cell of a randomly shifted grid that holds z
        interval, bound = Interval(math.exp(a), math.exp(a + 0.8)), Bound.range
    elif u < one_sided + ranges + vague:
        low, _ = VAGUE[int(rng.integers(len(VAGUE)))]
        interval, bound = (Interval(low), Bound.vague) if v >= low else (Interval(0.0, low), Bound.lt)
    elif u < one_sided + ranges + vague + approx:
        interval, bound = Interval(v * 0.8, v * 1.2), Bound.approx
    return Statement(
        group=group, claimant_id=claimant, affiliation=AFFILIATION[claimant], party=party, family=family,
        interval=interval, bound=bound, tolerance=0.2 if bound is Bound.approx else None, on=on,
        cumulative=cumulative, statement_id=sid,
    )  # fmt: skip


@dataclass(frozen=True)
class Coverage:
    """How often the 95% intervals of ``sets`` simulated fits held the truth."""

    sets: int
    biases: int
    biases_covered: int
    groups: int
    groups_covered: int
    points: int  # trajectory days (every 7th day of each series)
    points_covered: int

    @property
    def bias_fraction(self) -> float:
        return self.biases_covered / self.biases

    @property
    def group_fraction(self) -> float:
        return self.groups_covered / self.groups if self.groups else math.nan

    @property
    def point_fraction(self) -> float:
        return self.points_covered / self.points if self.points else math.nan


def coverage(sets: int, *, first_seed: int = 1000, **simulation: object) -> Coverage:
    """Fit ``sets`` simulated data sets (seeds ``first_seed`` onwards) and count the intervals that
    hold the true value: every non-reference claimant's factor, every group, every 7th trajectory day.
    ``simulation`` is passed to ``simulate`` (default: 25 event groups and one 60-day series)."""
    from app.domain.bias import fit_bias

    options: dict[str, object] = {"groups": 25, "series": 1, "days": 60, "reports_per_series": 6, **simulation}
    counts = [0] * 6
    for seed in range(first_seed, first_seed + sets):
        sim = simulate(seed, **options)  # type: ignore[arg-type]
        fit = fit_bias(sim.statements, reference=sim.reference)
        for cb in fit.claimants:
            if not cb.reference:
                counts[0] += 1
                counts[1] += cb.factor.contains(sim.bias[(cb.family, cb.claimant_id, cb.party)])
        for g in fit.groups:
            counts[2] += 1
            counts[3] += g.estimate.contains(sim.groups[g.group])
        for s in fit.series:
            for p in s.points[::7]:
                counts[4] += 1
                counts[5] += p.estimate.contains(sim.series[s.series][p.on])
    return Coverage(sets, *counts)
