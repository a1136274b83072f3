"""How fast ``app.domain.bias.fit_bias`` fits the reporting-bias model, on one core.

Run: ``python -m bench.bench_bias [--repeat N] [--seed S]`` (BLAS is held to one thread), and
``python -m bench.bench_bias --coverage 300`` for the coverage of the 95% intervals over 300
simulated data sets (tests/domain/test_bias.py runs 30).

The case: about 5,000 statements from 7 sources (two per side, two monitors and one reference) over
21 metric families; per family two cumulative series over one year of days (each source reports on
12 random days of each) and 13 event groups. Data from ``bench.bias_data.simulate``. Prints the
wall time (the best of the runs is the number to quote) and the CPU time of
the process (the same on an idle machine; the honest number on a shared one), the iterations, sigma, tau, and how many
of the bias factors' 95% intervals hold the true factor. ``run()`` returns the numbers.
"""

from __future__ import annotations

import argparse
import os
import time

# one core: set before numpy loads its BLAS
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from app.domain.bias import fit_bias  # noqa: E402
from bench.bias_data import coverage, simulate  # noqa: E402


def run(seed: int = 7, repeat: int = 3, families: int = 21, days: int = 365) -> dict[str, float]:
    sim = simulate(seed, families=families, groups=13, series=2, days=days, reports_per_series=12)
    times, cpu = [], []
    fit = None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fit = fit_bias(sim.statements, reference=sim.reference)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    assert fit is not None
    covered = sum(cb.factor.contains(sim.bias[(cb.family, cb.claimant_id, cb.party)]) for cb in fit.claimants)
    return {
        "statements": len(sim.statements),
        "families": families,
        "latent_days": sum(len(s.points) for s in fit.series),
        "best_seconds": min(times),
        "worst_seconds": max(times),
        "best_cpu_seconds": min(cpu),
        "newton_steps": fit.iterations,
        "em_rounds": fit.em_rounds,
        "sigma": fit.sigma,
        "tau": fit.tau,
        "biases": len(fit.claimants),
        "covered": covered,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--coverage", type=int, default=0, metavar="SETS", help="run the coverage study instead")
    args = parser.parse_args()
    if args.coverage:
        t0 = time.perf_counter()
        cov = coverage(args.coverage)
        print(f"{cov.sets} data sets in {time.perf_counter() - t0:.1f} s")
        print(f"bias factors:  {cov.biases_covered}/{cov.biases} = {cov.bias_fraction:.3f}")
        print(f"group values:  {cov.groups_covered}/{cov.groups} = {cov.group_fraction:.3f}")
        print(f"trajectories:  {cov.points_covered}/{cov.points} = {cov.point_fraction:.3f}")
        return
    result = run(seed=args.seed, repeat=args.repeat)
    for key, value in result.items():
        print(f"{key:>14}: {value:.3f}" if isinstance(value, float) else f"{key:>14}: {value}")


if __name__ == "__main__":
    main()
