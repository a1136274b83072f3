"""Reporting bias: how far each voice inflates or shrinks a side's losses, and what is left once it is
accounted for (DESIGN.md, "Whose losses" and "Reporting bias").

``fit_bias(statements, reference=...)`` -> ``BiasFit``. Pure: numpy and scipy, no app, no database.

Model (natural log scale; every statement is one voice: relays never appear, and the caller passes
one statement per claimant per group, or per series and date)

- Each group ``g`` (event x metric x scope) has a latent true value ``theta_g``. A cumulative series
  (running totals of one event x metric x scope) has a latent trajectory ``L_t`` on a daily grid
  from its first to its last statement date; a statement dated ``t`` looks at ``L_t``.
- Statement ``s`` by claimant ``c``, about party relation ``p`` (own / other / third side's losses)
  in metric family ``f``: the value the claimant has in mind is
  ``z_s = theta_g + b[c,p,f] + e_s``, ``e_s ~ N(0, sigma^2)``; the multiplicative bias is
  ``exp(b)``.
- Bias is hierarchical: ``b[c,p,f] ~ N(mu[a(c),p,f], tau^2)`` and ``mu[a,p,f] ~ N(0, tau0^2)``,
  ``tau0 = 1`` (a side's habit is a priori within x/÷7 at 95%); a claimant with no affiliation has
  ``b ~ N(0, tau^2)``: a priori no bias. A claimant seen in few groups is thereby shrunk towards its
  side's habit, or towards no bias; claimants of one affiliation share strength through ``mu``.
- Reference claimants (e.g. visually confirmed counts) have ``b = 0`` exactly.

What each bound kind contributes (``[lo, hi]`` the statement's interval on the log scale):

- exact, or any interval with ``low == high > 0``: a point, Gaussian density ``N(log x; eta, sigma)``
  with ``eta = theta + b``.
- approx ``[x(1-t), x(1+t)]``, approx_below ``[x(1-t), x]``, range, relative (its derived interval),
  a vague word's table interval ("several" = [3, 9]): interval-censored,
  ``P(lo <= z <= hi) = Phi((hi - eta)/sigma) - Phi((lo - eta)/sigma)``. An approx statement given as a
  point with a ``tolerance`` is widened to its band first.
- gt / ge, and open vague words ("scores" = [40, inf)): left-censored, ``P(z >= lo)``.
- lt / le (``[0, n]``): right-censored, ``P(z <= hi)``.
- Zeros: log(0) does not exist, so a zero low end means "no lower bound" and a zero high end
  (an exact 0, "[0, 0]") means "below 1": ``P(z <= log 1)``. No ``log(1 + x)`` shift, so a bias
  stays a pure ratio.

Priors on the latent values (weak, scale-free: centred on the statements themselves, so scaling
every figure by k shifts every centre by log k):

- ``theta_g ~ N(m_g, 2.5^2)``, ``m_g`` the mean of the group's statement centres (a point, a
  geometric midpoint, or the finite end of a one-sided bound): keeps a group with only open bounds
  finite.
- Trajectories: ``L_start ~ N(m, 2.5^2)``; daily steps ``L_t - L_(t-1) ~ N(0, 1)`` (very weak);
  curvature ``L_(t+1) - 2 L_t + L_(t-1) ~ N(0, 0.03^2)`` (smooth); and non-decreasing,
  ``L_t >= L_(t-1)`` (a running total never falls), enforced by a stiff quadratic penalty
  (1e6 per unit^2 of decrease) so the MAP trajectory falls by at most ~1e-5 a day.
- ``sigma^2 ~ InvGamma(2, 3 * 0.3^2)`` and ``tau^2 ~ InvGamma(2, 3 * 0.3^2)``: modes at 0.3, worth
  about four observations; they keep a handful of voices from claiming a zero noise or zero spread.

Fit

- MAP of all latent values and biases for given ``(sigma, tau)``: Newton's method with a backtracking
  line search on the negative log posterior, which is convex in them (Gaussian and censored-Gaussian
  terms are log-concave); gradients and Hessians are analytic and vectorised. Families are
  independent given ``(sigma, tau)``, and within a family the Hessian is banded (trajectories) plus a
  small dense border (biases), so each step is one banded Cholesky and a small Schur complement.
  (Not L-BFGS-B: the stiff curvature prior over thousands of daily values makes a quasi-Newton
  method crawl, and the exact Hessian is needed for the intervals anyway; Newton takes 2-5 steps.)
- ``sigma`` and ``tau`` by EM around that (their posterior mode with the latent values integrated out
  by the Laplace approximation; a joint mode would collapse ``tau`` and ``sigma`` to 0): the E-step
  uses the truncated-normal moments of censored statements and the Laplace variances.
- 95% intervals: Laplace, ``mode ± 1.96 sd`` on the log scale, from the marginal covariance (the
  bias block of the inverse Hessian, not the inverse of the bias block, so the uncertainty of the
  true values propagates; diagonals of the banded inverse by the Takahashi recursion). The
  monotone penalty is left out of that Hessian (wider, not narrower).
- Calibration, on data simulated from the model with known biases (``bench/bias_data.py``): over 300
  data sets, 97% of the bias intervals, 96% of the group intervals and 99% of the trajectory
  intervals held the truth (``python -m bench.bench_bias --coverage 300``); a little above 95%
  because the prior on ``tau`` keeps it above the simulated 0.1, so biases are shrunk a little less.
- Speed: 5,000 statements, 7 sources, 21 families, 42 one-year daily series: about 1.5 s of CPU
  (``python -m bench.bench_bias``).

Identification and what the model cannot tell

- Only differences between voices are seen in the data: shifting every ``b`` of a family by ``d`` and
  every true value by ``-d`` leaves the likelihood unchanged. With a reference claimant, biases are
  relative to it. Without one, they are relative to the consensus of the voices present, pinned
  only by the priors (``mu ~ N(0, tau0^2)``, unaffiliated ``b ~ N(0, tau^2)``); the intervals carry
  that uncertainty, and a bias shared by every voice, reference included, is invisible.
- A difference of scope (a narrower population), a bias that changes over time, or a bias that
  depends on the size of the toll would all be read as noise or as bias: groups must be comparable.
- A bias is only estimated where its claimant shares groups with others; a claimant alone in its
  groups keeps its prior (a wide interval around its side's habit, or around 1).
- Bounds are taken at their word ("more than 200" says nothing about how much more); when speakers
  pick their bounds knowing the number, that information is not used.
- Intervals are conditional on the fitted ``sigma`` and ``tau`` and symmetric on the log scale.

Errors: ``BiasInputError`` (a ``DomainError``) for a statement the model cannot take: a negative value,
a cumulative statement without a date, a group mixing families, or two statements of one claimant
in one group on one date (a voice counted twice).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from scipy import linalg, special

from app.domain.errors import DomainError
from app.domain.intervals import Bound, Interval

__all__ = [
    "Party",
    "Statement",
    "Priors",
    "Estimate",
    "Influence",
    "ClaimantBias",
    "AffiliationBias",
    "GroupEstimate",
    "TrajectoryPoint",
    "SeriesEstimate",
    "BiasFit",
    "BiasInputError",
    "fit_bias",
]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.intp]

Z95 = 1.959963984540054
_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)


class BiasInputError(DomainError):
    """A statement the bias model cannot take (see the module docstring)."""


class Party(StrEnum):
    """Whose losses a figure counts, seen from its claimant (DESIGN.md, "Whose losses")."""

    own = "own"
    other = "other"
    third = "third"


@dataclass(frozen=True, slots=True)
class Statement:
    """One voice: what one claimant said about one group (or one series on one date).

    ``group`` names the group (event x metric x scope); for a cumulative figure it names the series
    and ``on`` is the date of the running total. ``statement_id`` (a figure id) is echoed back in
    ``Influence``; statements are otherwise referred to by their position in the input.
    """

    group: str
    claimant_id: int
    affiliation: str | None
    party: Party
    family: str
    interval: Interval
    bound: Bound
    tolerance: float | None = None
    on: date | None = None
    cumulative: bool = False
    statement_id: int | None = None


@dataclass(frozen=True, slots=True)
class Priors:
    """The prior scales of the model (module docstring); all on the natural-log scale."""

    tau0: float = 1.0  # sd of an affiliation's habit mu around no bias
    level_sd: float = 2.5  # sd of a true value around its statements' centre
    step_sd: float = 1.0  # sd of a trajectory's daily step (very weak)
    smooth_sd: float = 0.03  # sd of a trajectory's daily change of step (curvature)
    sigma_guess: float = 0.3  # prior mode of sigma
    sigma_shape: float = 2.0  # inverse-gamma shape of sigma^2 (weight ~ 2 * shape observations)
    tau_guess: float = 0.3  # prior mode of tau
    tau_shape: float = 2.0
    monotone: float = 1e6  # penalty per unit^2 of decrease of a trajectory


@dataclass(frozen=True, slots=True)
class Estimate:
    """A positive quantity: its MAP ``value`` and 95% interval; ``log_sd`` its sd on the log scale."""

    value: float
    low: float
    high: float
    log_sd: float

    def contains(self, x: float) -> bool:
        return self.low <= x <= self.high


@dataclass(frozen=True, slots=True)
class Influence:
    """How far one statement moved a bias (a one-step leave-one-out approximation).

    ``index`` is the statement's position in the input; ``ratio`` its stated value (a point, the
    geometric midpoint of a closed interval, else the finite end) over the bias-corrected true value;
    ``effect`` the factor by which the bias would shrink back were the statement left out (> 1: it
    pushed the bias up).
    """

    index: int
    statement_id: int | None
    ratio: float
    effect: float


@dataclass(frozen=True, slots=True)
class ClaimantBias:
    """The bias factor of one claimant about one party relation in one metric family."""

    claimant_id: int
    affiliation: str | None
    party: Party
    family: str
    factor: Estimate
    groups: int
    statements: int
    reference: bool
    influential: tuple[Influence, ...]


@dataclass(frozen=True, slots=True)
class AffiliationBias:
    """The shared habit ``exp(mu)`` of one affiliation about one party relation in one family."""

    affiliation: str
    party: Party
    family: str
    factor: Estimate
    claimants: int
    groups: int
    statements: int


@dataclass(frozen=True, slots=True)
class GroupEstimate:
    """The bias-corrected true value of one (non-cumulative) group."""

    group: str
    family: str
    estimate: Estimate
    statements: int
    claimants: int


@dataclass(frozen=True, slots=True)
class TrajectoryPoint:
    on: date
    estimate: Estimate


@dataclass(frozen=True, slots=True)
class SeriesEstimate:
    """The bias-corrected running total of one cumulative series, day by day."""

    series: str
    family: str
    points: tuple[TrajectoryPoint, ...]
    statements: int
    claimants: int


@dataclass(frozen=True, slots=True)
class BiasFit:
    """Everything ``fit_bias`` found. Tuples are sorted by their keys (family, claimant, party ...)."""

    claimants: tuple[ClaimantBias, ...]
    affiliations: tuple[AffiliationBias, ...]
    groups: tuple[GroupEstimate, ...]
    series: tuple[SeriesEstimate, ...]
    sigma: float  # noise sd of a statement on the log scale
    tau: float  # spread of claimants' biases around their side's habit (log scale)
    iterations: int  # Newton steps, over all EM rounds
    em_rounds: int
    converged: bool
    statements: int
    anchored: bool  # a reference claimant fixes the scale (else: relative to the consensus)


# --------------------------------------------------------------------------- input -> arrays


@dataclass(slots=True)
class _Family:
    name: str
    u0: int
    u1: int
    b0: int
    b1: int
    m0: int
    m1: int
    stmts: Ints  # statements of the family with a bias parameter (not from a reference claimant)


@dataclass(slots=True)
class _Series:
    key: str
    family: str
    start: date
    u0: int
    length: int


@dataclass(slots=True)
class _Problem:
    n: int
    lo: Floats
    hi: Floats
    point: npt.NDArray[np.bool_]
    centre: Floats
    u_of: Ints  # latent index of each statement
    cell_of: Ints  # bias cell of each statement, -1 for a reference claimant
    n_u: int
    cells: list[tuple[str, int, Party]]  # (family, claimant, party)
    cell_aff: list[str | None]
    cell_mu: Ints  # mu index of each cell, -1 when unaffiliated
    mus: list[tuple[str, str, Party]]  # (family, affiliation, party)
    families: list[_Family]
    groups: list[tuple[str, str, int]]  # (key, family, latent index)
    series: list[_Series]
    band_prior: Floats  # (3, n_u) lower band of the latent prior precision
    lin_prior: Floats  # its linear term
    pairs: Ints  # i such that (i, i + 1) are consecutive days of one series
    series_mask: npt.NDArray[np.bool_]  # latent index belongs to a series


def _log_bounds(st: Statement) -> tuple[float, float]:
    low, high = st.interval.low, st.interval.high
    if low < 0:
        raise BiasInputError(f"a negative value cannot be a count: {low:g} (group {st.group!r})")
    if st.bound is Bound.approx and st.tolerance and high is not None and low == high and low > 0:
        low, high = low * (1 - st.tolerance), high * (1 + st.tolerance)
    lo = math.log(low) if low > 0 else -math.inf
    hi = math.inf if high is None else (math.log(high) if high > 0 else 0.0)
    return lo, hi


def _centre(lo: float, hi: float) -> float:
    if math.isfinite(lo) and math.isfinite(hi):
        return (lo + hi) / 2
    return lo if math.isfinite(lo) else (hi if math.isfinite(hi) else 0.0)


def _add_stencil(band: Floats, u0: int, length: int, stencil: tuple[float, ...], weight: float) -> None:
    """Add ``weight * D^T D`` for the difference operator ``stencil`` to a lower band."""
    m = len(stencil)
    if length < m:
        return
    rows = u0 + np.arange(length - m + 1)
    for a in range(m):
        for b in range(a, m):
            band[b - a, rows + a] += weight * stencil[a] * stencil[b]


def _prepare(statements: Sequence[Statement], reference: Collection[int], pr: Priors) -> _Problem:
    n = len(statements)
    lo = np.empty(n)
    hi = np.empty(n)
    for i, st in enumerate(statements):
        lo[i], hi[i] = _log_bounds(st)
        if st.cumulative and st.on is None:
            raise BiasInputError(f"a cumulative statement needs a date (series {st.group!r})")
    point = np.isfinite(lo) & (lo == hi)
    centre = np.array([_centre(a, b) for a, b in zip(lo, hi, strict=True)])

    family_of: dict[tuple[bool, str], str] = {}
    seen: set[tuple[bool, str, int, date | None]] = set()
    by_family: dict[str, list[int]] = defaultdict(list)
    for i, st in enumerate(statements):
        gk = (st.cumulative, st.group)
        if family_of.setdefault(gk, st.family) != st.family:
            raise BiasInputError(f"group {st.group!r} mixes families {family_of[gk]!r} and {st.family!r}")
        voice = (st.cumulative, st.group, st.claimant_id, st.on if st.cumulative else None)
        if voice in seen:
            raise BiasInputError(
                f"claimant {st.claimant_id} speaks twice in group {st.group!r}"
                + (f" on {st.on}" if st.cumulative else "")
                + ": pass one voice (its latest statement)"
            )
        seen.add(voice)
        by_family[st.family].append(i)

    u_of = np.empty(n, dtype=np.intp)
    cell_of = np.full(n, -1, dtype=np.intp)
    cells: list[tuple[str, int, Party]] = []
    cell_aff: list[str | None] = []
    cell_mu: list[int] = []
    mus: list[tuple[str, str, Party]] = []
    families: list[_Family] = []
    groups: list[tuple[str, str, int]] = []
    series: list[_Series] = []
    n_u = 0
    for fam in sorted(by_family):
        idx = by_family[fam]
        u0 = n_u
        gkeys = sorted({statements[i].group for i in idx if not statements[i].cumulative})
        gpos = {k: u0 + j for j, k in enumerate(gkeys)}
        n_u += len(gkeys)
        for k in gkeys:
            groups.append((k, fam, gpos[k]))
        skeys = sorted({statements[i].group for i in idx if statements[i].cumulative})
        sstart: dict[str, tuple[date, int]] = {}
        for k in skeys:
            days = [statements[i].on for i in idx if statements[i].cumulative and statements[i].group == k]
            first = min(d for d in days if d is not None)
            last = max(d for d in days if d is not None)
            length = (last - first).days + 1
            sstart[k] = (first, n_u)
            series.append(_Series(k, fam, first, n_u, length))
            n_u += length
        for i in idx:
            st = statements[i]
            if st.cumulative:
                first, off = sstart[st.group]
                assert st.on is not None
                u_of[i] = off + (st.on - first).days
            else:
                u_of[i] = gpos[st.group]
        b0, m0 = len(cells), len(mus)
        voiced = [statements[i] for i in idx]
        fam_cells = sorted({(st.claimant_id, st.party) for st in voiced if st.claimant_id not in reference})
        aff_of = {statements[i].claimant_id: statements[i].affiliation for i in idx}
        cpos = {c: b0 + j for j, c in enumerate(fam_cells)}
        fam_mus = sorted({(a, p) for (c, p) in fam_cells if (a := aff_of[c]) is not None})
        mpos = {m: m0 + j for j, m in enumerate(fam_mus)}
        for c, p in fam_cells:
            cells.append((fam, c, p))
            a = aff_of[c]
            cell_aff.append(a)
            cell_mu.append(-1 if a is None else mpos[(a, p)])
        mus.extend((fam, a, p) for a, p in fam_mus)
        with_bias = []
        for i in idx:
            st = statements[i]
            if st.claimant_id not in reference:
                cell_of[i] = cpos[(st.claimant_id, st.party)]
                with_bias.append(i)
        families.append(_Family(fam, u0, n_u, b0, len(cells), m0, len(mus), np.array(with_bias, dtype=np.intp)))

    # the latent prior: a band (bandwidth 2) and a linear term
    band = np.zeros((3, n_u))
    lin = np.zeros(n_u)
    series_mask = np.zeros(n_u, dtype=bool)
    pairs: list[Ints] = []
    cen_sum = np.bincount(u_of, weights=centre, minlength=n_u)
    cnt = np.bincount(u_of, minlength=n_u).astype(float)
    v0 = 1 / pr.level_sd**2
    for _, _, u in groups:
        band[0, u] += v0
        lin[u] += v0 * cen_sum[u] / cnt[u]
    for s in series:
        sl = slice(s.u0, s.u0 + s.length)
        m = cen_sum[sl].sum() / cnt[sl].sum()
        band[0, s.u0] += v0
        lin[s.u0] += v0 * m
        _add_stencil(band, s.u0, s.length, (-1.0, 1.0), 1 / pr.step_sd**2)
        _add_stencil(band, s.u0, s.length, (1.0, -2.0, 1.0), 1 / pr.smooth_sd**2)
        series_mask[sl] = True
        pairs.append(np.arange(s.u0, s.u0 + s.length - 1, dtype=np.intp))
    return _Problem(
        n=n, lo=lo, hi=hi, point=point, centre=centre, u_of=u_of, cell_of=cell_of, n_u=n_u,
        cells=cells, cell_aff=cell_aff, cell_mu=np.array(cell_mu, dtype=np.intp), mus=mus,
        families=families, groups=groups, series=series, band_prior=band, lin_prior=lin,
        pairs=np.concatenate(pairs) if pairs else np.zeros(0, dtype=np.intp), series_mask=series_mask,
    )  # fmt: skip


# --------------------------------------------------------------------------- likelihood


@dataclass(slots=True)
class _Lik:
    nll: float
    grad: Floats  # d nll / d eta, per statement
    curv: Floats  # d2 nll / d eta2, per statement (>= 0)
    m2: Floats  # E[(z - eta)^2 | statement], the E-step moment


def _likelihood(eta: Floats, pb: _Problem, sigma: float) -> _Lik:
    """Gaussian density for points, censored-Gaussian probability for intervals (vectorised)."""
    pt = pb.point
    grad = np.empty_like(eta)
    curv = np.empty_like(eta)
    m2 = np.empty_like(eta)
    # points
    z = (pb.lo[pt] - eta[pt]) / sigma
    nll = float(0.5 * np.sum(z * z) + np.count_nonzero(pt) * math.log(sigma))
    grad[pt] = -z / sigma
    curv[pt] = 1 / sigma**2
    m2[pt] = (z * sigma) ** 2
    # intervals
    iv = ~pt
    if np.any(iv):
        e = eta[iv]
        lo, hi = pb.lo[iv], pb.hi[iv]
        with np.errstate(invalid="ignore"):
            a = (lo - e) / sigma
            b = (hi - e) / sigma
        upper = a > 0  # both ends above eta: use the upper tail
        top = np.where(upper, -a, b)
        bottom = np.where(upper, -b, a)
        log_top = special.log_ndtr(top)
        delta = special.log_ndtr(bottom) - log_top
        with np.errstate(divide="ignore"):
            log_p = log_top + np.log(-np.expm1(delta))
        nll -= float(np.sum(log_p))
        with np.errstate(invalid="ignore", over="ignore"):
            ra = np.exp(-0.5 * a * a - _LOG_SQRT_2PI - log_p)
            rb = np.exp(-0.5 * b * b - _LOG_SQRT_2PI - log_p)
            ara = np.where(np.isfinite(a), a * ra, 0.0)
            brb = np.where(np.isfinite(b), b * rb, 0.0)
        ra = np.where(np.isfinite(a), ra, 0.0)
        rb = np.where(np.isfinite(b), rb, 0.0)
        d = ra - rb
        grad[iv] = -d / sigma
        curv[iv] = np.clip((d * d - (ara - brb)) / sigma**2, 0.0, 1 / sigma**2)
        m2[iv] = sigma**2 * np.maximum(1 + ara - brb, 0.0)
    return _Lik(nll, grad, curv, m2)


# --------------------------------------------------------------------------- posterior


def _band_matvec(band: Floats, x: Floats) -> Floats:
    y: Floats = band[0] * x
    for j in (1, 2):
        y[j:] += band[j, :-j] * x[:-j]
        y[:-j] += band[j, :-j] * x[j:]
    return y


class _Posterior:
    """The negative log posterior in x = [latent values | biases | affiliation habits]."""

    def __init__(self, pb: _Problem, pr: Priors) -> None:
        self.pb, self.pr = pb, pr
        self.K, self.J = len(pb.cells), len(pb.mus)
        # prior precision of the biases is P / tau^2 + E / tau0^2 (dense: K + J is small)
        g = self.K + self.J
        self.P = np.zeros((g, g))
        k = np.arange(self.K)
        self.P[k, k] = 1.0
        aff = pb.cell_mu >= 0
        kk, jj = k[aff], self.K + pb.cell_mu[aff]
        np.add.at(self.P, (jj, jj), 1.0)
        np.add.at(self.P, (kk, jj), -1.0)
        np.add.at(self.P, (jj, kk), -1.0)
        self.E = np.zeros(g)
        self.E[self.K :] = 1.0
        self.has_cell = pb.cell_of >= 0

    def eta(self, x: Floats) -> Floats:
        pb = self.pb
        out = x[pb.u_of].copy()
        out[self.has_cell] += x[pb.n_u + pb.cell_of[self.has_cell]]
        return out

    def prior_g(self, tau: float) -> Floats:
        return self.P / tau**2 + np.diag(self.E / self.pr.tau0**2)

    def value_grad(self, x: Floats, sigma: float, tau: float) -> tuple[float, Floats, _Lik]:
        pb = self.pb
        lik = _likelihood(self.eta(x), pb, sigma)
        xu, xg = x[: pb.n_u], x[pb.n_u :]
        qu = _band_matvec(pb.band_prior, xu)
        qg = self.prior_g(tau) @ xg
        f = lik.nll + 0.5 * float(xu @ qu) - float(pb.lin_prior @ xu) + 0.5 * float(xg @ qg)
        grad = np.zeros_like(x)
        grad[: pb.n_u] = np.bincount(pb.u_of, weights=lik.grad, minlength=pb.n_u) + qu - pb.lin_prior
        grad[pb.n_u : pb.n_u + self.K] = np.bincount(
            pb.cell_of[self.has_cell], weights=lik.grad[self.has_cell], minlength=self.K
        )
        grad[pb.n_u :] += qg
        if pb.pairs.size:
            v = np.minimum(xu[pb.pairs + 1] - xu[pb.pairs], 0.0)
            f += 0.5 * self.pr.monotone * float(v @ v)
            grad[pb.pairs + 1] += self.pr.monotone * v  # each index set is free of repeats
            grad[pb.pairs] -= self.pr.monotone * v
        return f, grad, lik

    def latent_band(self, x: Floats, lik: _Lik, monotone: bool) -> Floats:
        pb = self.pb
        band = pb.band_prior.copy()
        band[0] += np.bincount(pb.u_of, weights=lik.curv, minlength=pb.n_u)
        if monotone and pb.pairs.size:
            xu = x[: pb.n_u]
            act = pb.pairs[xu[pb.pairs + 1] < xu[pb.pairs]]
            band[0, act] += self.pr.monotone
            band[0, act + 1] += self.pr.monotone
            band[1, act] -= self.pr.monotone
        return band


@dataclass(slots=True)
class _Blocks:
    """Per family: the banded Cholesky of the latent block, W = A^-1 B and the Schur complement."""

    fam: _Family
    chol: Floats
    B: Floats  # (n_u_f, K_f): the latent x bias block of the Hessian
    W: Floats  # (n_u_f, K_f): A^-1 B
    S: Floats  # (K_f + J_f) square
    g_idx: Ints  # indices into x of the family's biases and habits


def _blocks(post: _Posterior, band: Floats, lik: _Lik, tau: float) -> tuple[Floats, list[_Blocks]]:
    """The banded Cholesky factor of the latent block (block-diagonal across families, so one
    factorisation serves all), and per family W = A^-1 B and the Schur complement S."""
    pb = post.pb
    prior_g = post.prior_g(tau)
    curv_cell = np.bincount(pb.cell_of[post.has_cell], weights=lik.curv[post.has_cell], minlength=post.K)
    chol_all = linalg.cholesky_banded(band, lower=True, check_finite=False)
    out = []
    for fam in pb.families:
        chol = chol_all[:, fam.u0 : fam.u1]
        kf = fam.b1 - fam.b0
        g_local = np.concatenate([np.arange(fam.b0, fam.b1), post.K + np.arange(fam.m0, fam.m1)])
        B = np.zeros((fam.u1 - fam.u0, kf))
        s = fam.stmts
        np.add.at(B, (pb.u_of[s] - fam.u0, pb.cell_of[s] - fam.b0), lik.curv[s])
        W = linalg.cho_solve_banded((chol, True), B, check_finite=False) if kf else B
        S = prior_g[np.ix_(g_local, g_local)]
        S[np.arange(kf), np.arange(kf)] += curv_cell[fam.b0 : fam.b1]
        S[:kf, :kf] -= B.T @ W
        out.append(_Blocks(fam, chol, B, W, S, pb.n_u + g_local))
    return chol_all, out


def _inverse_diagonal(chol: Floats, series: list[_Series]) -> Floats:
    """diag(A^-1) from the banded Cholesky factor of A (bandwidth 2), by the Takahashi recursion

        S_ij = [i == j] / L_ii^2 - sum_(k = i+1 .. i+2) L_ki S_kj / L_ii   (j >= i, from the end),

    run backwards along every series at once (a latent value outside any series is a 1 x 1 block)."""
    out: Floats = 1.0 / chol[0] ** 2
    if not series:
        return out
    order = sorted(series, key=lambda s: -s.length)
    lengths = np.array([s.length for s in order])
    ends = np.array([s.u0 + s.length for s in order])
    lanes = len(order)
    s11 = np.zeros(lanes)  # S at (i+1, i+1), (i+1, i+2), (i+2, i+2)
    s12 = np.zeros(lanes)
    s22 = np.zeros(lanes)
    live = lanes
    for r in range(int(lengths[0])):
        while live and lengths[live - 1] <= r:
            live -= 1
        i = ends[:live] - 1 - r
        l0, l1, l2 = chol[0, i], chol[1, i], chol[2, i]
        a, b, c = s11[:live], s12[:live], s22[:live]
        si2 = -(l1 * b + l2 * c) / l0
        si1 = -(l1 * a + l2 * b) / l0
        sii = 1 / l0**2 - (l1 * si1 + l2 * si2) / l0
        out[i] = sii
        s22[:live], s12[:live], s11[:live] = a, si1, sii
    return out


def _newton_step(post: _Posterior, blocks: list[_Blocks], grad: Floats) -> Floats:
    step = np.zeros_like(grad)
    for bl in blocks:
        fam = bl.fam
        kf = fam.b1 - fam.b0
        ru = -grad[fam.u0 : fam.u1]
        yu = linalg.cho_solve_banded((bl.chol, True), ru, check_finite=False)
        if bl.g_idx.size:
            rg = -grad[bl.g_idx]
            rg[:kf] -= bl.B.T @ yu
            dg = linalg.solve(bl.S, rg, assume_a="pos", check_finite=False)
            step[bl.g_idx] = dg
            yu = yu - bl.W @ dg[:kf]
        step[fam.u0 : fam.u1] = yu
    return step


def _minimise(post: _Posterior, x: Floats, sigma: float, tau: float, max_steps: int = 60) -> tuple[Floats, _Lik, int]:
    """Newton's method with backtracking from ``x``; returns the MAP, its likelihood terms, steps."""
    f, grad, lik = post.value_grad(x, sigma, tau)
    steps = 0
    for steps in range(1, max_steps + 1):  # noqa: B007 - the count is returned
        band = post.latent_band(x, lik, monotone=True)
        step = _newton_step(post, _blocks(post, band, lik, tau)[1], grad)
        decrement = -float(grad @ step)
        if decrement < 1e-9:
            break
        t = 1.0
        while True:
            f_new, grad_new, lik_new = post.value_grad(x + t * step, sigma, tau)
            if f_new <= f - 1e-4 * t * decrement or t < 1e-6:
                break
            t /= 2
        x, f, grad, lik = x + t * step, f_new, grad_new, lik_new
    return x, lik, steps


@dataclass(slots=True)
class _Laplace:
    var_u: Floats  # marginal variance of each latent value
    var_g: Floats  # marginal variance of each bias and habit
    var_eta: Floats  # per statement: Var(theta + b)
    cov_b_eta: Floats  # per statement with a bias: Cov(b of its cell, theta + b)
    var_diff: Floats  # per cell: Var(b - mu), or Var(b) when unaffiliated


def _laplace(post: _Posterior, x: Floats, lik: _Lik, tau: float) -> _Laplace:
    """Marginal variances from the inverse Hessian, block by block (module docstring, "Fit")."""
    pb = post.pb
    band = post.latent_band(x, lik, monotone=False)
    var_u = np.empty(pb.n_u)
    var_g = np.zeros(post.K + post.J)
    var_eta = np.empty(pb.n)
    cov_b_eta = np.zeros(pb.n)
    var_diff = np.zeros(post.K)
    chol, blocks = _blocks(post, band, lik, tau)
    inv_diag = _inverse_diagonal(chol, pb.series)
    for bl in blocks:
        fam = bl.fam
        kf = fam.b1 - fam.b0
        diag_inv = inv_diag[fam.u0 : fam.u1]
        sig = linalg.inv(bl.S, check_finite=False) if bl.S.size else bl.S
        ws = bl.W @ sig[:kf, :]  # minus the covariance of latent values with biases and habits
        vu = diag_inv + np.einsum("ij,ij->i", ws[:, :kf], bl.W)
        var_u[fam.u0 : fam.u1] = vu
        var_g[bl.g_idx - pb.n_u] = np.diag(sig)
        s_all = np.arange(pb.n)[(pb.u_of >= fam.u0) & (pb.u_of < fam.u1)]
        var_eta[s_all] = vu[pb.u_of[s_all] - fam.u0]
        s = fam.stmts
        if s.size:
            i_loc, k_of = pb.u_of[s] - fam.u0, pb.cell_of[s] - fam.b0
            sig_kk = sig[k_of, k_of]
            var_eta[s] += sig_kk - 2 * ws[i_loc, k_of]
            cov_b_eta[s] = sig_kk - ws[i_loc, k_of]
        for k in range(kf):
            j = int(pb.cell_mu[fam.b0 + k])
            d = sig[k, k]
            if j >= 0:
                j_loc = kf + j - fam.m0
                d += sig[j_loc, j_loc] - 2 * sig[k, j_loc]
            var_diff[fam.b0 + k] = d
    return _Laplace(var_u, var_g, var_eta, cov_b_eta, var_diff)


# --------------------------------------------------------------------------- the fit


def fit_bias(
    statements: Sequence[Statement],
    *,
    reference: Collection[int] = (),
    priors: Priors = Priors(),
    tol: float = 1e-4,
    max_rounds: int = 200,
) -> BiasFit:
    """Fit the reporting-bias model (module docstring) to one voice per claimant per group or date.

    ``reference``: claimant ids whose figures are taken as unbiased (b = 0), e.g. visually confirmed
    counts. ``tol``: EM stops when sigma and tau change by less than this (relative).
    """
    if not statements:
        raise BiasInputError("no statements to fit")
    ref = frozenset(reference)
    pb = _prepare(statements, ref, priors)
    post = _Posterior(pb, priors)
    x = np.zeros(pb.n_u + post.K + post.J)
    cnt = np.bincount(pb.u_of, minlength=pb.n_u)
    x[: pb.n_u] = np.bincount(pb.u_of, weights=pb.centre, minlength=pb.n_u) / np.maximum(cnt, 1)
    for sr in pb.series:  # start every trajectory flat at its statements' mean centre
        sl = slice(sr.u0, sr.u0 + sr.length)
        x[sl] = np.sum(x[sl] * cnt[sl]) / np.sum(cnt[sl])
    sigma, tau = priors.sigma_guess, priors.tau_guess
    beta_s = priors.sigma_guess**2 * (priors.sigma_shape + 1)
    beta_t = priors.tau_guess**2 * (priors.tau_shape + 1)
    iterations, converged, rounds = 0, False, 0
    for rounds in range(1, max_rounds + 1):  # noqa: B007 - the count is returned
        x, lik, steps = _minimise(post, x, sigma, tau)
        iterations += steps
        lap = _laplace(post, x, lik, tau)
        expected = lik.m2 + lap.var_eta * lik.curv * sigma**2
        new_sigma = math.sqrt((float(expected.sum()) + 2 * beta_s) / (pb.n + 2 * priors.sigma_shape + 2))
        new_tau = tau
        if post.K:
            b = x[pb.n_u : pb.n_u + post.K]
            m = np.zeros(post.K)
            aff = pb.cell_mu >= 0
            m[aff] = x[pb.n_u + post.K + pb.cell_mu[aff]]
            ss = float(np.sum((b - m) ** 2 + lap.var_diff))
            new_tau = math.sqrt((ss + 2 * beta_t) / (post.K + 2 * priors.tau_shape + 2))
        done = abs(math.log(new_sigma / sigma)) < tol and abs(math.log(new_tau / tau)) < tol
        sigma, tau = new_sigma, new_tau
        if done:
            converged = True
            break
    x, lik, steps = _minimise(post, x, sigma, tau)
    iterations += steps
    lap = _laplace(post, x, lik, tau)
    return _result(statements, ref, pb, post, x, lik, lap, sigma, tau, iterations, rounds, converged)


def _estimate(mode: float, var: float) -> Estimate:
    sd = math.sqrt(max(var, 0.0))
    return Estimate(math.exp(mode), math.exp(mode - Z95 * sd), math.exp(mode + Z95 * sd), sd)


def _result(
    statements: Sequence[Statement],
    ref: frozenset[int],
    pb: _Problem,
    post: _Posterior,
    x: Floats,
    lik: _Lik,
    lap: _Laplace,
    sigma: float,
    tau: float,
    iterations: int,
    rounds: int,
    converged: bool,
) -> BiasFit:
    K = post.K
    by_cell: dict[int, list[int]] = defaultdict(list)
    for i, k in enumerate(pb.cell_of.tolist()):
        if k >= 0:
            by_cell[k].append(i)
    effect = -lap.cov_b_eta * lik.grad  # one-step leave-one-out shift of the bias (log)
    ratio = pb.centre - x[pb.u_of]
    claimants: list[ClaimantBias] = []
    for k, (fam, c, p) in enumerate(pb.cells):
        idx = by_cell[k]
        top = sorted((i for i in idx if abs(effect[i]) > 1e-12), key=lambda i: (-abs(effect[i]), i))[:3]
        claimants.append(
            ClaimantBias(
                claimant_id=c,
                affiliation=pb.cell_aff[k],
                party=p,
                family=fam,
                factor=_estimate(float(x[pb.n_u + k]), float(lap.var_g[k])),
                groups=len({(statements[i].cumulative, statements[i].group) for i in idx}),
                statements=len(idx),
                reference=False,
                influential=tuple(
                    Influence(i, statements[i].statement_id, math.exp(ratio[i]), math.exp(effect[i])) for i in top
                ),
            )
        )
    ref_cells: dict[tuple[str, int, Party], list[int]] = defaultdict(list)
    for i, st in enumerate(statements):
        if st.claimant_id in ref:
            ref_cells[(st.family, st.claimant_id, st.party)].append(i)
    for (fam, c, p), idx in ref_cells.items():
        claimants.append(
            ClaimantBias(
                claimant_id=c,
                affiliation=statements[idx[0]].affiliation,
                party=p,
                family=fam,
                factor=Estimate(1.0, 1.0, 1.0, 0.0),
                groups=len({(statements[i].cumulative, statements[i].group) for i in idx}),
                statements=len(idx),
                reference=True,
                influential=(),
            )
        )
    claimants.sort(key=lambda cb: (cb.family, cb.claimant_id, cb.party))

    affiliations: list[AffiliationBias] = []
    for j, (fam, a, p) in enumerate(pb.mus):
        ks = [k for k in range(K) if pb.cell_mu[k] == j]
        idx = [i for k in ks for i in by_cell[k]]
        affiliations.append(
            AffiliationBias(
                affiliation=a,
                party=p,
                family=fam,
                factor=_estimate(float(x[pb.n_u + K + j]), float(lap.var_g[K + j])),
                claimants=len(ks),
                groups=len({(statements[i].cumulative, statements[i].group) for i in idx}),
                statements=len(idx),
            )
        )
    affiliations.sort(key=lambda ab: (ab.family, ab.affiliation, ab.party))

    per_u_statements = np.bincount(pb.u_of, minlength=pb.n_u)
    voices: dict[int, set[int]] = defaultdict(set)
    for i, st in enumerate(statements):
        voices[int(pb.u_of[i])].add(st.claimant_id)
    groups = tuple(
        GroupEstimate(key, fam, _estimate(float(x[u]), float(lap.var_u[u])), int(per_u_statements[u]), len(voices[u]))
        for key, fam, u in groups_sorted(pb)
    )
    series: list[SeriesEstimate] = []
    for sr in sorted(pb.series, key=lambda s: (s.family, s.key)):
        sl = range(sr.u0, sr.u0 + sr.length)
        series.append(
            SeriesEstimate(
                series=sr.key,
                family=sr.family,
                points=tuple(
                    TrajectoryPoint(sr.start + timedelta(days=t), _estimate(float(x[u]), float(lap.var_u[u])))
                    for t, u in enumerate(sl)
                ),
                statements=int(per_u_statements[sr.u0 : sr.u0 + sr.length].sum()),
                claimants=len(set().union(*(voices[u] for u in sl))),
            )
        )
    return BiasFit(
        claimants=tuple(claimants), affiliations=tuple(affiliations), groups=groups, series=tuple(series),
        sigma=sigma, tau=tau, iterations=iterations, em_rounds=rounds, converged=converged,
        statements=pb.n, anchored=bool(ref & {st.claimant_id for st in statements}),
    )  # fmt: skip


def groups_sorted(pb: _Problem) -> list[tuple[str, str, int]]:
    return sorted(pb.groups, key=lambda g: (g[1], g[0]))
