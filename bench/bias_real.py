"""The reporting-bias fit on the real million-figure file, without a database: for profiling the
fit alone, at growing sizes.

Run: ``python -m bench.bias_real [--groups N ...] [--profile]``.

The rows are the ones ``python -m bench.run`` imports (the cross-source and synthetic groups, then
the real file), read with the importer's own row parser and turned into the model's statements
the way ``app.services.bias.read_inputs`` does for this data: a group is subject x metric, a
claimant is a source name, every metric's period is "event" (the importer's default), nobody has an
affiliation (so every statement is about a third party), one voice per claimant per group (its
latest statement; ties: the later row). Only groups with two or more claimants are kept, the first
N of them in file order. BLAS is held to one thread.
"""

from __future__ import annotations

import argparse
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import cProfile  # noqa: E402
import pstats  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterable, Iterator  # noqa: E402
from datetime import datetime  # noqa: E402

from app.domain.bias import Party, Statement, fit_bias  # noqa: E402
from app.domain.intervals import Interval  # noqa: E402
from app.domain.sides import family_of  # noqa: E402
from app.services.bulk import LongFormat, Parsed, parse_row  # noqa: E402
from bench.data import Row, cross_source_rows, real_rows, synthetic_rows  # noqa: E402


def rows() -> Iterator[Row]:
    yield from cross_source_rows()
    yield from synthetic_rows(300)
    yield from real_rows()


def statements(source: Iterable[Row], groups: int | None = None) -> list[Statement]:
    """One voice per claimant per group, for the first ``groups`` groups with two or more claimants."""
    fmt = LongFormat()
    claimant_ids: dict[str, int] = {}
    voices: dict[tuple[str, str], dict[int, tuple[datetime | None, int, Parsed]]] = {}
    for line, row in enumerate(source, start=2):
        parsed = parse_row(row, fmt, line)
        if not isinstance(parsed, Parsed):
            continue
        claimant = claimant_ids.setdefault(parsed.source, len(claimant_ids) + 1)
        group = voices.setdefault((parsed.subject, parsed.metric), {})
        held = group.get(claimant)
        if held is None or _later(parsed.stated_at, held[0]):
            group[claimant] = (parsed.stated_at, line, parsed)
    out: list[Statement] = []
    taken = 0
    for (subject, metric), group in voices.items():
        if len(group) < 2:
            continue
        if groups is not None and taken >= groups:
            break
        taken += 1
        for claimant, (_, line, p) in group.items():
            out.append(
                Statement(
                    group=f"{subject}|{metric}",
                    claimant_id=claimant,
                    affiliation=None,
                    party=Party.third,
                    family=family_of(metric),
                    interval=Interval(p.figure.low, p.figure.high),
                    bound=p.figure.bound,
                    tolerance=p.figure.tolerance,
                    statement_id=line,
                )
            )
    return out


def _later(a: datetime | None, b: datetime | None) -> bool:
    return b is None or (a is not None and a >= b)


def measure(stmts: list[Statement], profile: bool) -> dict[str, float]:
    prof = cProfile.Profile() if profile else None
    t0, c0 = time.perf_counter(), time.process_time()
    if prof:
        prof.enable()
    fit = fit_bias(stmts)
    if prof:
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
    return {
        "statements": len(stmts),
        "groups": len(fit.groups),
        "claimants": len({s.claimant_id for s in stmts}),
        "seconds": time.perf_counter() - t0,
        "cpu_seconds": time.process_time() - c0,
        "em_rounds": fit.em_rounds,
        "newton_steps": fit.iterations,
        "sigma": fit.sigma,
        "tau": fit.tau,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--groups", type=int, nargs="*", default=[1000, 2000, 0], help="0: all (4,538 groups)")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    t0 = time.perf_counter()
    every = statements(rows())
    print(f"read {len(every):,} statements in {time.perf_counter() - t0:.1f} s")
    order: dict[str, int] = {}
    for st in every:
        order.setdefault(st.group, len(order))
    for n in args.groups:
        chosen = [st for st in every if not n or order[st.group] < n]
        result = measure(chosen, args.profile)
        shown = ", ".join(f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in result.items())
        print(f"N={n or 'all'}: {shown}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
