"""The reporting-bias fit at scale: lone voices solved after the fit, the sparse Schur complement,
warm starts. (Speed itself is measured by the benchmarks, never asserted here.)"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from app.domain import bias as model
from app.domain.bias import BiasFit, Party, Start, Statement, fit_bias
from app.domain.intervals import Bound, Interval
from bench.bias_data import A_MINISTRY, MONITOR, Simulated, simulate


def lone(sim: Simulated, claimant: int, party: Party, value: float, group: str = "lone") -> Statement:
    """A statement of ``claimant`` in a group of its own (nobody else speaks there)."""
    like = next(s for s in sim.statements if (s.claimant_id, s.party) == (claimant, party))
    return replace(like, group=group, interval=Interval(value, value), bound=Bound.exact, statement_id=None)


def cell(fit: BiasFit, claimant: int, party: Party, family: str = "family00") -> model.ClaimantBias:
    (found,) = [c for c in fit.claimants if (c.claimant_id, c.party, c.family) == (claimant, party, family)]
    return found


@pytest.fixture(scope="module")
def sim() -> Simulated:
    return simulate(21, groups=30)


def test_lone_groups_leave_every_bias_as_the_shared_groups_set_it(sim: Simulated) -> None:
    shared = fit_bias(sim.statements, reference=sim.reference)
    extra = [lone(sim, A_MINISTRY, Party.other, 1000.0 * (k + 1), group=f"lone{k}") for k in range(20)]
    both = fit_bias([*sim.statements, *extra], reference=sim.reference)
    assert both.sigma == pytest.approx(shared.sigma, rel=1e-9) and both.tau == pytest.approx(shared.tau, rel=1e-9)
    for a, b in zip(shared.claimants, both.claimants, strict=True):
        assert (a.family, a.claimant_id, a.party) == (b.family, b.claimant_id, b.party)
        assert b.factor.value == pytest.approx(a.factor.value, rel=1e-9)
    # the lone statements are counted behind the bias, but none of them is influential
    grown = cell(both, A_MINISTRY, Party.other)
    assert grown.statements == cell(shared, A_MINISTRY, Party.other).statements + 20
    assert all(i.index < len(sim.statements) for i in grown.influential)


def test_a_lone_voice_is_corrected_by_its_fitted_bias(sim: Simulated) -> None:
    fit = fit_bias([*sim.statements, lone(sim, A_MINISTRY, Party.other, 4000.0)], reference=sim.reference)
    factor = cell(fit, A_MINISTRY, Party.other).factor
    (group,) = [g for g in fit.groups if g.group == "lone"]
    assert group.claimants == 1 and group.statements == 1
    assert factor.low > 2  # it inflates the other side's losses (x4 simulated) ...
    assert group.estimate.value == pytest.approx(4000.0 / factor.value, rel=0.1)  # ... so its word is scaled down
    assert group.estimate.low < 4000.0 / factor.value < group.estimate.high
    # the interval carries both the noise of one statement and the bias's own uncertainty
    assert group.estimate.log_sd > math.hypot(0.5 * fit.sigma, factor.log_sd)


def test_a_claimant_never_heard_beside_another_keeps_its_prior(sim: Simulated) -> None:
    newcomer = replace(lone(sim, MONITOR, Party.third, 50.0), claimant_id=77, affiliation=None)
    fit = fit_bias([*sim.statements, newcomer], reference=sim.reference)
    found = cell(fit, 77, Party.third)
    assert found.factor.value == pytest.approx(1.0) and found.influential == ()
    assert found.factor.log_sd == pytest.approx(fit.tau)  # b ~ N(0, tau^2): no data moved it
    (group,) = [g for g in fit.groups if g.group == "lone"]
    assert group.estimate.value == pytest.approx(50.0, rel=0.05)


def test_only_lone_voices_give_estimates_and_prior_biases() -> None:
    statements = [
        Statement("g1", 1, None, Party.third, "deaths", Interval(100, 100), Bound.exact),
        Statement("g2", 2, "A", Party.own, "deaths", Interval(40, None), Bound.ge),
    ]
    fit = fit_bias(statements)
    assert fit.converged and fit.em_rounds == 0
    est = {g.group: g.estimate for g in fit.groups}
    assert est["g1"].contains(100.0) and est["g2"].value > 40
    assert {(c.claimant_id, c.factor.value) for c in fit.claimants} == {(1, 1.0), (2, 1.0)}
    (habit,) = fit.affiliations
    assert habit.claimants == 1 and habit.factor.log_sd == pytest.approx(1.0)  # tau0: nobody shared a group


def _fit_parts(sim: Simulated) -> tuple[np.ndarray, model._Laplace, model._Posterior]:
    pb = model._prepare(sim.statements, frozenset(sim.reference), model.Priors())
    post = model._Posterior(pb, model.Priors())
    x0 = np.zeros(pb.n_u + post.K + post.J)
    x0[: pb.n_u] = pb.centre.mean()
    x, lik, _ = model._minimise(post, x0, 0.3, 0.3)
    return x, model._laplace(post, x, lik, 0.3), post


@pytest.mark.parametrize("way", ["lu", "arrow"])
def test_the_sparse_schur_paths_give_the_dense_paths_variances(monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    # many claimants each heard in one group beside the same few: the real data's shape
    sim = simulate(15, groups=8, series=1, days=12, reports_per_series=3)
    extra = [
        replace(s, claimant_id=100 + i, affiliation=None, party=Party.third, statement_id=None)
        for i, s in enumerate(st for st in sim.statements if st.claimant_id == MONITOR and not st.cumulative)
    ]
    sim = replace(sim, statements=[*sim.statements, *extra])
    x, dense, _ = _fit_parts(sim)
    monkeypatch.setattr(model._Schur, "DENSE_UP_TO", 0)
    if way == "lu":
        monkeypatch.setattr(model._Schur, "MAX_HUBS", 0)
    x_sparse, sparse, post = _fit_parts(sim)
    assert post.leaves is not None and post.leaves.sum() >= len(extra)
    assert model._Schur(model.sparse.identity(post.K + post.J, format="csr"), post.leaves).kind == way
    np.testing.assert_allclose(x_sparse, x, rtol=1e-7, atol=1e-9)
    for name in ("var_u", "var_g", "var_eta", "cov_b_eta", "var_diff"):
        np.testing.assert_allclose(getattr(sparse, name), getattr(dense, name), rtol=1e-7, atol=1e-12)


def test_a_warm_start_reaches_the_same_fit_in_fewer_rounds(sim: Simulated) -> None:
    cold = fit_bias(sim.statements, reference=sim.reference, tol=1e-7)
    start = Start(
        cold.sigma, cold.tau, {(c.family, c.claimant_id, c.party): math.log(c.factor.value) for c in cold.claimants}
    )
    warm = fit_bias(sim.statements, reference=sim.reference, tol=1e-7, start=start)
    assert warm.converged and warm.em_rounds < cold.em_rounds
    assert warm.sigma == pytest.approx(cold.sigma, rel=1e-5)
    for a, b in zip(cold.claimants, warm.claimants, strict=True):
        assert b.factor.value == pytest.approx(a.factor.value, rel=1e-5)
        assert b.factor.log_sd == pytest.approx(a.factor.log_sd, rel=1e-4)
