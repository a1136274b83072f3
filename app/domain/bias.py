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

- Two stages. Only groups and series with two or more claimants inform the biases (a lone voice's
  value is its bias plus a free true value: it tells nothing about the bias), so the biases, sigma
  and tau are fitted on those alone. Each lone group's or series' value follows afterwards, given
  its voice's fitted bias (or, for a claimant never heard beside another, its prior: its side's
  fitted habit, or no bias, spread by ``tau``): the same likelihood with the bias as a known
  offset, and ``Var(value) = Var(value | bias) + (d value / d bias)^2 Var(bias)``.
- MAP of all latent values and biases for given ``(sigma, tau)``: Newton's method with a backtracking
  line search on the negative log posterior, which is convex in them (Gaussian and censored-Gaussian
  terms are log-concave); gradients and Hessians are analytic and vectorised. The Hessian is an
  arrow: a block-diagonal latent part A (a group's value is a 1 x 1 block, a series a band) bordered
  by the biases. A is eliminated first (one banded Cholesky; ``W = A^-1 B`` is as sparse as the
  border outside series), leaving the Schur complement over the biases, which is sparse too (two
  biases meet only where their claimants share a group): a dense Cholesky while small; when most
  biases share no group with one another (many claimants each heard beside the same few), an arrow
  again, whose leaves are eliminated by division and whose few hubs form a small dense block; else
  a sparse LU with a fill-reducing order. Thousands of claimants each heard in a few groups cost no
  dense matrix. (Not L-BFGS-B: the stiff curvature prior over thousands of daily values makes a
  quasi-Newton method crawl, and the exact Hessian is needed for the intervals anyway; Newton
  takes 2-5 steps.)
- ``sigma`` and ``tau`` by EM around that (their posterior mode with the latent values integrated out
  by the Laplace approximation; a joint mode would collapse ``tau`` and ``sigma`` to 0): the E-step
  uses the truncated-normal moments of censored statements and the Laplace variances. EM rounds are
  sped up by squared extrapolation (SQUAREM) and can start from a previous fit (``start``); the
  fixed point and the stopping rule are EM's own.
- 95% intervals: Laplace, ``mode ± 1.96 sd`` on the log scale, from the marginal covariance (the
  bias block of the inverse Hessian, not the inverse of the bias block, so the uncertainty of the
  true values propagates; diagonals of the banded inverse by the Takahashi recursion). The
  monotone penalty is left out of that Hessian (wider, not narrower). The entries of the biases'
  covariance that these need (its diagonal, and pairs of biases sharing a group) are read from
  the factored Schur complement (in closed form for the arrow, else a block of columns at a
  time).
- Calibration, on data simulated from the model with known biases (``bench/bias_data.py``): over 300
  data sets, 97% of the bias intervals, 96% of the group intervals and 99% of the trajectory
  intervals held the truth (``python -m bench.bench_bias --coverage 300``); a little above 95%
  because the prior on ``tau`` keeps it above the simulated 0.1, so biases are shrunk a little less.
- Speed: 5,000 statements, 7 sources, 21 families, 42 one-year daily series: under 1 s of CPU
  (``python -m bench.bench_bias``); the groups of the shared million-figure file with two or more
  claimants (18,674 statements, 4,013 claimants): about 1.5 s (``python -m bench.bias_real``).

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
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from scipy import linalg, sparse, special
from scipy.sparse import linalg as splinalg

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
    "Start",
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
        span: dict[str, tuple[date, date]] = {}  # first and last day of each series, in one pass
        for i in idx:
            st = statements[i]
            if st.cumulative and st.on is not None:
                lo_day, hi_day = span.get(st.group, (st.on, st.on))
                span[st.group] = (min(lo_day, st.on), max(hi_day, st.on))
        sstart: dict[str, tuple[date, int]] = {}
        for k in sorted(span):
            first, last = span[k]
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
        # prior precision of the biases is P / tau^2 + E / tau0^2, sparse: a bias couples only with
        # its side's habit, so thousands of claimants cost no dense (K + J)^2 matrix
        g = self.K + self.J
        k = np.arange(self.K)
        aff = pb.cell_mu >= 0
        kk, jj = k[aff], self.K + pb.cell_mu[aff]
        ones = np.ones(kk.size)
        self.P = sparse.csr_matrix(
            (np.concatenate([np.ones(self.K), ones, -ones, -ones]),
             (np.concatenate([k, jj, kk, jj]), np.concatenate([k, jj, jj, kk]))),
            shape=(g, g),
        )  # fmt: skip
        self.E = np.zeros(g)
        self.E[self.K :] = 1.0
        self.has_cell = pb.cell_of >= 0
        self.biased = np.flatnonzero(self.has_cell)
        big = g > _Schur.DENSE_UP_TO
        self.leaves = _independent_leaves(pb, self.K, self.J, pb.cell_mu) if big else None

    def eta(self, x: Floats) -> Floats:
        pb = self.pb
        out = x[pb.u_of].copy()
        out[self.has_cell] += x[pb.n_u + pb.cell_of[self.has_cell]]
        return out

    def prior_g(self, tau: float) -> sparse.csr_matrix:
        return (self.P / tau**2 + sparse.diags(self.E / self.pr.tau0**2)).tocsr()

    def value_grad(self, x: Floats, sigma: float, tau: float) -> tuple[float, Floats, _Lik]:
        pb = self.pb
        lik = _likelihood(self.eta(x), pb, sigma)
        xu, xg = x[: pb.n_u], x[pb.n_u :]
        qu = _band_matvec(pb.band_prior, xu)
        qg = np.asarray(self.P @ xg) / tau**2 + self.E * xg / self.pr.tau0**2
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
class _Factor:
    """The Hessian [[A, B], [B^T, C]] (latent values first, then biases and habits) in factored form.

    A is banded and block-diagonal (a group's value is a 1 x 1 block, a series a band), so it is
    eliminated first: one banded Cholesky, and W = A^-1 B is as sparse as B outside the series (a
    group's row only touches the biases of its own voices). What is left is the Schur complement
    S = C - B^T W over the biases, sparse too (two biases meet only where their claimants share a
    group or series), factored by ``_Schur``.
    """

    chol: Floats  # banded Cholesky of A
    B: sparse.csr_matrix  # (n_u, K + J)
    W: sparse.csr_matrix  # A^-1 B, rows sorted, no repeated entries
    schur: _Schur | None  # S factored, None when there is no bias to fit


def _factor(post: _Posterior, band: Floats, lik: _Lik, tau: float) -> _Factor:
    pb = post.pb
    g = post.K + post.J
    s = post.biased
    B = sparse.csr_matrix((lik.curv[s], (pb.u_of[s], pb.cell_of[s])), shape=(pb.n_u, g))
    chol = linalg.cholesky_banded(band, lower=True, check_finite=False)
    W = _solve_latent(chol, B, pb)
    if not g:
        return _Factor(chol, B, W, None)
    curv_cell = np.zeros(g)
    curv_cell[: post.K] = np.bincount(pb.cell_of[s], weights=lik.curv[s], minlength=post.K)
    S = post.prior_g(tau) + sparse.diags(curv_cell) - (B.T @ W)
    return _Factor(chol, B, W, _Schur(S, post.leaves))


class _Schur:
    """The factored Schur complement S over the biases (and habits), in one of three ways:

    - dense Cholesky while S is small (the sparse machinery costs more than it saves below a few
      hundred biases);
    - an arrow again, when most biases never share a group with each other (``leaves``: e.g. many
      claimants each heard beside the same two or three others): the leaves' block of S is then
      diagonal, so they are eliminated by division, leaving a small dense block over the others
      (``hubs``). Solves and every covariance entry then cost a few dense products of size
      leaves x hubs;
    - else a sparse LU with a fill-reducing order.

    ``leaves`` comes from the structure of the problem (which biases share a group or series), not
    from S's values, so it holds whatever the numbers.
    """

    DENSE_UP_TO = 500
    MAX_HUBS = 1_500
    MAX_ARROW = 4_000_000  # leaves x hubs floats held at once

    def __init__(self, S: sparse.csr_matrix, leaves: npt.NDArray[np.bool_] | None = None) -> None:
        self.size = S.shape[0]
        self.kind = "dense" if self.size <= self.DENSE_UP_TO else "lu"
        if self.kind == "dense":
            self.cho = linalg.cho_factor(S.toarray(), lower=True, check_finite=False)
        elif leaves is not None and self._arrow_fits(leaves):
            self.kind = "arrow"
            self.R, self.H = np.flatnonzero(leaves), np.flatnonzero(~leaves)
            rows = S[self.R]
            self.d = rows[:, self.R].diagonal()
            self.E = rows[:, self.H].tocsr()  # leaves x hubs
            scaled = sparse.diags(1 / self.d) @ self.E
            T = S[self.H][:, self.H].toarray() - (self.E.T @ scaled).toarray()
            self.cho = linalg.cho_factor(T, lower=True, check_finite=False)
        else:
            self.lu = splinalg.splu(
                S.tocsc(), permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0, options={"SymmetricMode": True}
            )

    def _arrow_fits(self, leaves: npt.NDArray[np.bool_]) -> bool:
        hubs = int(np.count_nonzero(~leaves))
        return hubs <= self.MAX_HUBS and hubs * (self.size - hubs) <= self.MAX_ARROW

    def solve(self, rhs: Floats) -> Floats:
        if self.kind == "arrow":
            d = self.d if rhs.ndim == 1 else self.d[:, None]
            y = rhs[self.R] / d
            out = np.empty_like(rhs)
            x_h = linalg.cho_solve(self.cho, rhs[self.H] - self.E.T @ y, check_finite=False)
            out[self.H] = x_h
            out[self.R] = y - (self.E @ x_h) / d
            return out
        if self.kind == "dense":
            dense: Floats = linalg.cho_solve(self.cho, rhs, check_finite=False)
            return dense
        solved: Floats = self.lu.solve(rhs)
        return solved

    def inverse_entries(self, rows: Ints, cols: Ints) -> Floats:
        """Entries (rows[i], cols[i]) of S^-1."""
        if self.kind == "dense":
            picked: Floats = self.solve(np.eye(self.size))[rows, cols]
            return picked
        if self.kind == "lu":
            return _columns_of_inverse(self, rows, cols, self.size)
        # Sigma_HH = T^-1, Sigma_RH = -D^-1 E Sigma_HH, Sigma_RR = D^-1 + D^-1 E Sigma_HH E^T D^-1
        sig_hh = linalg.cho_solve(self.cho, np.eye(self.H.size), check_finite=False)
        e_over_d = self.E.toarray() / self.d[:, None]
        z = e_over_d @ sig_hh  # = -Sigma_RH
        where = np.empty(self.size, dtype=np.intp)
        where[self.R], where[self.H] = np.arange(self.R.size), np.arange(self.H.size)
        leaf = np.zeros(self.size, dtype=bool)
        leaf[self.R] = True
        i, j = where[rows], where[cols]
        li, lj = leaf[rows], leaf[cols]
        out = np.empty(rows.size)
        hh = ~li & ~lj
        out[hh] = sig_hh[i[hh], j[hh]]
        rh = li & ~lj
        out[rh] = -z[i[rh], j[rh]]
        hr = ~li & lj
        out[hr] = -z[j[hr], i[hr]]
        rr = li & lj
        out[rr] = np.einsum("ij,ij->i", z[i[rr]], e_over_d[j[rr]]) + np.where(i[rr] == j[rr], 1 / self.d[i[rr]], 0.0)
        return out


def _independent_leaves(pb: _Problem, K: int, J: int, cell_mu: Ints) -> npt.NDArray[np.bool_]:
    """A large set of biases no two of which share a group, a series or a habit (greedy, fewest
    neighbours first): the leaves of ``_Schur``'s arrow."""
    g = K + J
    block = np.arange(pb.n_u)
    for i, sr in enumerate(pb.series):
        block[sr.u0 : sr.u0 + sr.length] = pb.n_u + i
    s = np.flatnonzero(pb.cell_of >= 0)
    incidence = sparse.csr_matrix(
        (np.ones(s.size), (block[pb.u_of[s]], pb.cell_of[s])), shape=(pb.n_u + len(pb.series), g)
    )
    aff = np.flatnonzero(cell_mu >= 0)
    habit = sparse.csr_matrix((np.ones(aff.size), (aff, K + cell_mu[aff])), shape=(g, g))
    adjacency = (incidence.T @ incidence + habit + habit.T).tocsr()
    indptr, indices = adjacency.indptr, adjacency.indices
    state = np.zeros(g, dtype=np.int8)  # 0 open, 1 leaf, 2 hub
    for v in np.argsort(np.diff(indptr), kind="stable"):
        if state[v] == 0:
            state[v] = 1
            nb = indices[indptr[v] : indptr[v + 1]]
            state[nb[state[nb] == 0]] = 2
    leaves: npt.NDArray[np.bool_] = state == 1
    return leaves


def _solve_latent(chol: Floats, B: sparse.csr_matrix, pb: _Problem) -> sparse.csr_matrix:
    """W = A^-1 B: a division for a group's row; a banded solve per series, over the biases of the
    series' own voices only (its block of W is dense)."""
    coo = B.tocoo()
    single = ~pb.series_mask[coo.row]
    rows, cols, vals = [coo.row[single]], [coo.col[single]], [coo.data[single] / chol[0, coo.row[single]] ** 2]
    for sr in pb.series:  # straight from B's CSR arrays: slicing a sparse matrix costs more than the solve
        u0, u1 = sr.u0, sr.u0 + sr.length
        a, b = B.indptr[u0], B.indptr[u1]
        if a == b:
            continue
        used, local = np.unique(B.indices[a:b], return_inverse=True)
        dense = np.zeros((sr.length, used.size))
        dense[np.repeat(np.arange(sr.length), np.diff(B.indptr[u0 : u1 + 1])), local] = B.data[a:b]
        ws = linalg.cho_solve_banded((chol[:, u0:u1], True), dense, check_finite=False)
        rows.append(np.repeat(np.arange(u0, u1), used.size))
        cols.append(np.tile(used, sr.length))
        vals.append(ws.ravel())
    W = sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=B.shape)
    W.sum_duplicates()
    W.sort_indices()
    return W


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


def _newton_step(post: _Posterior, f: _Factor, grad: Floats) -> Floats:
    """Solve H step = -grad by block elimination: latent values, then biases, then back."""
    n_u = post.pb.n_u
    step = np.empty_like(grad)
    yu = linalg.cho_solve_banded((f.chol, True), -grad[:n_u], check_finite=False)
    if f.schur is not None:
        dg = f.schur.solve(-grad[n_u:] - f.B.T @ yu)
        yu = yu - f.W @ dg
        step[n_u:] = dg
    step[:n_u] = yu
    return step


def _minimise(post: _Posterior, x: Floats, sigma: float, tau: float, max_steps: int = 60) -> tuple[Floats, _Lik, int]:
    """Newton's method with backtracking from ``x``; returns the MAP, its likelihood terms, steps."""
    f, grad, lik = post.value_grad(x, sigma, tau)
    steps = 0
    for steps in range(1, max_steps + 1):  # noqa: B007 - the count is returned
        band = post.latent_band(x, lik, monotone=True)
        step = _newton_step(post, _factor(post, band, lik, tau), grad)
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


def _row_pairs(indptr: Ints) -> tuple[Ints, Ints]:
    """Every ordered pair (left, right) of entries of a CSR matrix that share a row."""
    r = np.diff(indptr)
    row_of = np.repeat(np.arange(r.size), r)
    rep = r[row_of]
    left = np.repeat(np.arange(row_of.size), rep)
    offset = np.arange(left.size) - np.repeat(np.cumsum(rep) - rep, rep)
    return left, indptr[row_of[left]] + offset


def _columns_of_inverse(schur: _Schur, rows: Ints, cols: Ints, size: int, chunk: int = 256) -> Floats:
    """Entries (rows[i], cols[i]) of S^-1 from a solver of S, a block of columns at a time
    (memory: size x chunk floats)."""
    out = np.empty(rows.size)
    order = np.argsort(cols, kind="stable")
    by_col = cols[order]
    for c0 in range(0, size, chunk):
        c1 = min(c0 + chunk, size)
        a, b = np.searchsorted(by_col, [c0, c1])
        if a == b:
            continue
        rhs = np.zeros((size, c1 - c0))
        rhs[np.arange(c0, c1), np.arange(c1 - c0)] = 1.0
        block = schur.solve(rhs)
        sel = order[a:b]
        out[sel] = block[rows[sel], cols[sel] - c0]
    return out


def _laplace(post: _Posterior, x: Floats, lik: _Lik, tau: float) -> _Laplace:
    """Marginal variances from the inverse Hessian by blocks (module docstring, "Fit"): with
    Sigma = S^-1 the biases' covariance, Var(latent u) = (A^-1)_uu + W_u Sigma W_u^T and
    Cov(latent u, bias k) = -(W Sigma)_uk; only the entries of Sigma where W's rows pair biases are
    needed, with its diagonal and each bias with its side's habit."""
    pb = post.pb
    K, g = post.K, post.K + post.J
    f = _factor(post, post.latent_band(x, lik, monotone=False), lik, tau)
    var_u = _inverse_diagonal(f.chol, pb.series)
    var_eta = var_u[pb.u_of]
    cov_b_eta = np.zeros(pb.n)
    var_diff = np.zeros(K)
    if f.schur is None:
        return _Laplace(var_u, np.zeros(0), var_eta, cov_b_eta, var_diff)
    W = f.W
    left, right = _row_pairs(W.indptr)
    aff = np.flatnonzero(pb.cell_mu >= 0)
    mu_of = K + pb.cell_mu[aff]
    every = np.arange(g)
    sig = f.schur.inverse_entries(
        np.concatenate([W.indices[left], every, aff]), np.concatenate([W.indices[right], every, mu_of])
    )
    sig_pair, var_g, sig_kmu = sig[: left.size], sig[left.size : left.size + g], sig[left.size + g :]
    ws = np.bincount(right, weights=W.data[left] * sig_pair, minlength=W.nnz)  # (W Sigma) at W's entries
    row_of = np.repeat(np.arange(pb.n_u), np.diff(W.indptr))
    var_u = var_u + np.bincount(row_of, weights=ws * W.data, minlength=pb.n_u)
    var_eta = var_u[pb.u_of]
    s = post.biased
    if s.size:
        keys = row_of * g + W.indices  # ascending: CSR rows in order, indices sorted
        want = pb.u_of[s] * g + pb.cell_of[s]
        at = np.minimum(np.searchsorted(keys, want), max(keys.size - 1, 0))
        ws_s = np.where(keys[at] == want, ws[at], 0.0) if keys.size else np.zeros(s.size)
        sig_kk = var_g[pb.cell_of[s]]
        var_eta[s] += sig_kk - 2 * ws_s
        cov_b_eta[s] = sig_kk - ws_s
    var_diff = var_g[:K].copy()
    var_diff[aff] += var_g[mu_of] - 2 * sig_kmu
    return _Laplace(var_u, var_g, var_eta, cov_b_eta, var_diff)


# --------------------------------------------------------------------------- the fit


@dataclass(frozen=True, slots=True)
class Start:
    """Where the fit starts: a previous fit's noise, spread and biases (log scale, by family,
    claimant and party). It only saves rounds: the fit converges to the same optimum from anywhere."""

    sigma: float
    tau: float
    biases: Mapping[tuple[str, int, Party], float] = field(default_factory=dict)


@dataclass(slots=True)
class _Solved:
    """The latent values of one problem: their modes and marginal variances."""

    pb: _Problem
    x: Floats
    var_u: Floats


@dataclass(slots=True)
class _Core:
    """The fit over the groups with two or more voices: everything the biases are estimated from."""

    pb: _Problem
    post: _Posterior
    x: Floats
    lik: _Lik
    lap: _Laplace
    sigma: float
    tau: float
    iterations: int
    rounds: int
    converged: bool


def fit_bias(
    statements: Sequence[Statement],
    *,
    reference: Collection[int] = (),
    priors: Priors = Priors(),
    tol: float = 1e-4,
    max_rounds: int = 200,
    start: Start | None = None,
) -> BiasFit:
    """Fit the reporting-bias model (module docstring) to one voice per claimant per group or date.

    ``reference``: claimant ids whose figures are taken as unbiased (b = 0), e.g. visually confirmed
    counts. ``tol``: EM stops when sigma and tau change by less than this (relative). ``start``: a
    previous fit to start from (fewer rounds, same result).

    Only groups (and series) with two or more claimants inform the biases: a lone voice's value is
    its bias plus the group's, and the group is free, so it says nothing about the bias. Those are
    fitted first; each lone group's value follows afterwards given its voice's fitted bias, with
    that bias's uncertainty added to its interval.
    """
    if not statements:
        raise BiasInputError("no statements to fit")
    ref = frozenset(reference)
    voiced, lone = _split(statements)
    core = _fit_voiced([statements[i] for i in voiced], ref, priors, tol, max_rounds, start) if voiced else None
    sigma = core.sigma if core else (start.sigma if start else priors.sigma_guess)
    tau = core.tau if core else (start.tau if start else priors.tau_guess)
    prior_of = _bias_beliefs(statements, ref, core, priors, tau)
    alone = _solve_lone([statements[i] for i in lone], ref, priors, sigma, tau, prior_of) if lone else None
    return _result(statements, ref, voiced, lone, core, alone, prior_of, priors, sigma, tau)


def _split(statements: Sequence[Statement]) -> tuple[list[int], list[int]]:
    """Positions of the statements in groups or series with two or more claimants, and the rest."""
    voices: dict[tuple[bool, str], set[int]] = defaultdict(set)
    for st in statements:
        voices[(st.cumulative, st.group)].add(st.claimant_id)
    voiced: list[int] = []
    lone: list[int] = []
    for i, st in enumerate(statements):
        (voiced if len(voices[(st.cumulative, st.group)]) >= 2 else lone).append(i)
    return voiced, lone


def _start_latent(pb: _Problem, centre: Floats, size: int) -> Floats:
    """Every latent value at the mean centre of its statements; every trajectory flat at its mean."""
    x = np.zeros(size)
    cnt = np.bincount(pb.u_of, minlength=pb.n_u)
    x[: pb.n_u] = np.bincount(pb.u_of, weights=centre, minlength=pb.n_u) / np.maximum(cnt, 1)
    for sr in pb.series:
        sl = slice(sr.u0, sr.u0 + sr.length)
        x[sl] = np.sum(x[sl] * cnt[sl]) / np.sum(cnt[sl])
    return x


def _fit_voiced(
    statements: Sequence[Statement], ref: frozenset[int], priors: Priors, tol: float, max_rounds: int,
    start: Start | None,
) -> _Core:  # fmt: skip
    pb = _prepare(statements, ref, priors)
    post = _Posterior(pb, priors)
    x = _start_latent(pb, pb.centre, pb.n_u + post.K + post.J)
    sigma, tau = priors.sigma_guess, priors.tau_guess
    if start is not None:  # a previous fit: its sigma and tau, and its biases where the cells still exist
        sigma, tau = start.sigma, start.tau
        for k, cell in enumerate(pb.cells):
            x[pb.n_u + k] = start.biases.get(cell, 0.0)
    beta_s = priors.sigma_guess**2 * (priors.sigma_shape + 1)
    beta_t = priors.tau_guess**2 * (priors.tau_shape + 1)
    iterations, rounds = 0, 0

    def em(theta: Floats) -> Floats:
        """One EM round from (log sigma, log tau): the MAP given them, then their update."""
        nonlocal x, iterations, rounds
        sigma, tau = math.exp(theta[0]), math.exp(theta[1])
        x, lik, steps = _minimise(post, x, sigma, tau)
        iterations, rounds = iterations + steps, rounds + 1
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
        return np.array([math.log(new_sigma), math.log(new_tau)])

    theta, converged = _squarem(em, np.array([math.log(sigma), math.log(tau)]), tol, max_rounds)
    sigma, tau = math.exp(theta[0]), math.exp(theta[1])
    x, lik, steps = _minimise(post, x, sigma, tau)
    lap = _laplace(post, x, lik, tau)
    return _Core(pb, post, x, lik, lap, sigma, tau, iterations + steps, rounds, converged)


def _squarem(em: Callable[[Floats], Floats], theta: Floats, tol: float, max_rounds: int) -> tuple[Floats, bool]:
    """The fixed point of the EM map, sped up by squared extrapolation (SQUAREM, Varadhan and Roland
    2008): from two EM rounds, a step along their direction as long as their slowdown suggests. EM
    alone crawls when the biases and the noise trade off (150+ rounds on the real data); the fixed
    point, and the stopping rule (an EM round moving both by less than ``tol``), are EM's own."""
    rounds = 0

    def step(t: Floats) -> tuple[Floats, bool]:
        nonlocal rounds
        rounds += 1
        new = em(t)
        return new, bool(np.all(np.abs(new - t) < tol))

    while rounds < max_rounds:
        t1, done = step(theta)
        if done or rounds >= max_rounds:
            return t1, done
        t2, done = step(t1)
        if done:
            return t2, done
        r, v = t1 - theta, (t2 - t1) - (t1 - theta)
        nv = float(np.linalg.norm(v))
        alpha = min(-float(np.linalg.norm(r)) / nv, -1.0) if nv > 0 else -1.0  # -1: just the two rounds
        jump = theta - 2 * alpha * r + alpha**2 * v
        theta = jump if np.all(np.abs(jump - t2) < 1.0) and np.all(np.isfinite(jump)) else t2
    return theta, False


Cell = tuple[str, int, Party]  # (family, claimant, party)


def _bias_beliefs(
    statements: Sequence[Statement], ref: frozenset[int], core: _Core | None, priors: Priors, tau: float
) -> dict[Cell, tuple[float, float]]:
    """Mean and variance (log scale) of every voice's bias: the fit's, else the prior given the fit
    (its side's fitted habit, or no bias, spread by tau); 0 and 0 for a reference claimant."""
    fitted: dict[Cell, tuple[float, float]] = {}
    habit: dict[tuple[str, str, Party], tuple[float, float]] = {}
    if core is not None:
        n_u, K = core.pb.n_u, core.post.K
        for k, cell in enumerate(core.pb.cells):
            fitted[cell] = (float(core.x[n_u + k]), float(core.lap.var_g[k]))
        for j, key in enumerate(core.pb.mus):
            habit[key] = (float(core.x[n_u + K + j]), float(core.lap.var_g[K + j]))
    out: dict[Cell, tuple[float, float]] = {}
    for st in statements:
        cell = (st.family, st.claimant_id, st.party)
        if cell in out:
            continue
        if st.claimant_id in ref:
            out[cell] = (0.0, 0.0)
        elif cell in fitted:
            out[cell] = fitted[cell]
        elif st.affiliation is None:
            out[cell] = (0.0, tau**2)
        else:
            m, v = habit.get((st.family, st.affiliation, st.party), (0.0, priors.tau0**2))
            out[cell] = (m, tau**2 + v)
    return out


def _solve_lone(
    statements: Sequence[Statement], ref: frozenset[int], priors: Priors, sigma: float, tau: float,
    prior_of: dict[Cell, tuple[float, float]],
) -> _Solved:  # fmt: skip
    """The value of each group or series with one voice, given that voice's bias: the same
    likelihood with the bias as a known offset (Newton converges in a step or two, a 1 x 1 or banded
    system per group), then Var(value) = Var(value | bias) + (d value / d bias)^2 Var(bias)."""
    pb = _prepare(statements, frozenset(st.claimant_id for st in statements), priors)  # no bias parameters
    belief = np.array([prior_of[(st.family, st.claimant_id, st.party)] for st in statements]).reshape(-1, 2)
    pb.lo, pb.hi = pb.lo - belief[:, 0], pb.hi - belief[:, 0]  # the prior centres stay on the words
    post = _Posterior(pb, priors)
    x, lik, _ = _minimise(post, _start_latent(pb, pb.centre - belief[:, 0], pb.n_u), sigma, tau)
    chol = linalg.cholesky_banded(post.latent_band(x, lik, monotone=False), lower=True, check_finite=False)
    var_u = _inverse_diagonal(chol, pb.series)
    # one voice per group or series, so one bias per latent block: d value / d bias = -A^-1 c
    slope = linalg.cho_solve_banded(
        (chol, True), np.bincount(pb.u_of, weights=lik.curv, minlength=pb.n_u), check_finite=False
    )
    var_b = np.zeros(pb.n_u)
    var_b[pb.u_of] = belief[:, 1]
    return _Solved(pb, x, var_u + slope**2 * var_b)


def _estimate(mode: float, var: float) -> Estimate:
    sd = math.sqrt(max(var, 0.0))
    return Estimate(math.exp(mode), math.exp(mode - Z95 * sd), math.exp(mode + Z95 * sd), sd)


def _result(
    statements: Sequence[Statement],
    ref: frozenset[int],
    voiced: list[int],
    lone: list[int],
    core: _Core | None,
    alone: _Solved | None,
    prior_of: dict[Cell, tuple[float, float]],
    priors: Priors,
    sigma: float,
    tau: float,
) -> BiasFit:
    solved: list[tuple[_Solved, list[int]]] = []
    if core is not None:
        solved.append((_Solved(core.pb, core.x, core.lap.var_u), voiced))
    if alone is not None:
        solved.append((alone, lone))
    cells: dict[Cell, list[int]] = defaultdict(list)
    for i, st in enumerate(statements):
        cells[(st.family, st.claimant_id, st.party)].append(i)

    def groups_of(idx: list[int]) -> int:
        return len({(statements[i].cumulative, statements[i].group) for i in idx})

    influence = _influences(statements, voiced, lone, core, alone)
    claimants = _claimant_biases(statements, ref, cells, prior_of, influence, groups_of)
    affiliations = _affiliations(claimants, cells, core, priors.tau0, groups_of)
    groups: list[GroupEstimate] = []
    series: list[SeriesEstimate] = []
    for sol, positions in solved:
        g, s = _latent_estimates(sol, [statements[i] for i in positions])
        groups += g
        series += s
    groups.sort(key=lambda g: (g.family, g.group))
    series.sort(key=lambda s: (s.family, s.series))
    return BiasFit(
        claimants=tuple(claimants), affiliations=tuple(affiliations), groups=tuple(groups), series=tuple(series),
        sigma=sigma, tau=tau, iterations=core.iterations if core else 0, em_rounds=core.rounds if core else 0,
        converged=core.converged if core else True, statements=len(statements),
        anchored=bool(ref & {st.claimant_id for st in statements}),
    )  # fmt: skip


def _influences(
    statements: Sequence[Statement], voiced: list[int], lone: list[int], core: _Core | None, alone: _Solved | None
) -> tuple[Floats, Floats]:
    """Per statement: the one-step leave-one-out shift of its bias (log; 0 for a lone voice, which
    moves no bias) and its stated centre over the bias-corrected true value (log)."""
    effect = np.zeros(len(statements))
    ratio = np.zeros(len(statements))
    if core is not None:
        vi = np.array(voiced, dtype=np.intp)
        effect[vi] = -core.lap.cov_b_eta * core.lik.grad
        ratio[vi] = core.pb.centre - core.x[core.pb.u_of]
    if alone is not None:
        raw = np.array([_centre(*_log_bounds(statements[i])) for i in lone])
        ratio[np.array(lone, dtype=np.intp)] = raw - alone.x[alone.pb.u_of]
    return effect, ratio


def _claimant_biases(
    statements: Sequence[Statement],
    ref: frozenset[int],
    cells: dict[Cell, list[int]],
    prior_of: dict[Cell, tuple[float, float]],
    influence: tuple[Floats, Floats],
    groups_of: Callable[[list[int]], int],
) -> list[ClaimantBias]:
    """Every claimant's bias per party and family (a reference claimant's is 1 exactly), with its
    three most influential statements."""
    effect, ratio = influence
    affiliation = {(st.family, st.claimant_id): st.affiliation for st in statements}  # the last one said
    out: list[ClaimantBias] = []
    for (fam, c, p), idx in cells.items():
        is_ref = c in ref
        top = [] if is_ref else sorted((i for i in idx if abs(effect[i]) > 1e-12), key=lambda i: (-abs(effect[i]), i))
        out.append(
            ClaimantBias(
                claimant_id=c,
                affiliation=statements[idx[0]].affiliation if is_ref else affiliation[(fam, c)],
                party=p,
                family=fam,
                factor=Estimate(1.0, 1.0, 1.0, 0.0) if is_ref else _estimate(*prior_of[(fam, c, p)]),
                groups=groups_of(idx),
                statements=len(idx),
                reference=is_ref,
                influential=tuple(
                    Influence(i, statements[i].statement_id, math.exp(ratio[i]), math.exp(effect[i])) for i in top[:3]
                ),
            )
        )
    out.sort(key=lambda cb: (cb.family, cb.claimant_id, cb.party))
    return out


def _affiliations(
    claimants: list[ClaimantBias],
    cells: dict[Cell, list[int]],
    core: _Core | None,
    tau0: float,
    groups_of: Callable[[list[int]], int],
) -> list[AffiliationBias]:
    """Each side's habit: the fit's where its claimants shared groups with others, else its prior."""
    fitted: dict[tuple[str, str, Party], Estimate] = {}
    if core is not None:
        n_u, K = core.pb.n_u, core.post.K
        for j, key in enumerate(core.pb.mus):
            fitted[key] = _estimate(float(core.x[n_u + K + j]), float(core.lap.var_g[K + j]))
    members: dict[tuple[str, str, Party], list[ClaimantBias]] = defaultdict(list)
    for cb in claimants:
        if cb.affiliation is not None and not cb.reference:
            members[(cb.family, cb.affiliation, cb.party)].append(cb)
    out = []
    for (fam, a, p), found in members.items():
        idx = [i for cb in found for i in cells[(fam, cb.claimant_id, p)]]
        out.append(
            AffiliationBias(
                affiliation=a,
                party=p,
                family=fam,
                factor=fitted.get((fam, a, p)) or _estimate(0.0, tau0**2),
                claimants=len(found),
                groups=groups_of(idx),
                statements=len(idx),
            )
        )
    out.sort(key=lambda ab: (ab.family, ab.affiliation, ab.party))
    return out


def _latent_estimates(
    sol: _Solved, statements: Sequence[Statement]
) -> tuple[list[GroupEstimate], list[SeriesEstimate]]:
    pb, x, var_u = sol.pb, sol.x, sol.var_u
    per_u_statements = np.bincount(pb.u_of, minlength=pb.n_u)
    voices: dict[int, set[int]] = defaultdict(set)
    for i, st in enumerate(statements):
        voices[int(pb.u_of[i])].add(st.claimant_id)
    groups = [
        GroupEstimate(key, fam, _estimate(float(x[u]), float(var_u[u])), int(per_u_statements[u]), len(voices[u]))
        for key, fam, u in pb.groups
    ]
    series: list[SeriesEstimate] = []
    for sr in pb.series:
        sl = range(sr.u0, sr.u0 + sr.length)
        series.append(
            SeriesEstimate(
                series=sr.key,
                family=sr.family,
                points=tuple(
                    TrajectoryPoint(sr.start + timedelta(days=t), _estimate(float(x[u]), float(var_u[u])))
                    for t, u in enumerate(sl)
                ),
                statements=int(per_u_statements[sr.u0 : sr.u0 + sr.length].sum()),
                claimants=len(set().union(*(voices[u] for u in sl))),
            )
        )
    return groups, series
