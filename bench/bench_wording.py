"""How fast ``app.domain.wording.read`` turns phrases into readings, on one core.

Run: ``python -m bench.bench_wording [--quick] [--n N]``.

The corpus is built from realistic phrasings (casualties, crowds, costs) with their numbers varied
by a fixed random seed, so every run reads the same phrases. The rate is shown against a baseline
measured in the same run: one precompiled ``re.fullmatch`` of a number pattern per phrase, the floor
cost of touching each phrase from Python. ``run(n)`` returns the numbers for ``bench/run.py``.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import time
from collections.abc import Callable

from app.domain.intervals import Interval
from app.domain.wording import read

SEED = 20180215  # the day of the seed article
REFERENCE = Interval(80, 120)  # "around 100", for the relative phrases

# {n} is replaced by a random count, {m} by a random decimal for "million"/"billion" phrases.
TEMPLATES: tuple[str, ...] = (
    "more than {n} contract soldiers, mostly Russians",
    "around {n}",
    "another {n} to {n2}",
    "more than double that number",
    "five people, presumably Russian citizens",
    "scores",
    "at least {n} people were killed",
    "more than {n} civilians",
    "an estimated {n} protesters",
    "nearly {n}",
    "up to {n}",
    "tens of thousands of people",
    "{m} million",
    "${m} billion",
    "{p} percent",
    "between {n} and {n2}",
    "{n}-{n2}",
    "a dozen",
    "half a million",
    "fewer than {n}",
    "no more than {n} soldiers",
    "as many as {n} people",
    "some {n} refugees",
    "almost {n} migrants",
    "about {m} million tonnes",
    "{n} or more",
    "dozens of civilians",
    "hundreds of thousands of demonstrators",
    "several hundred protesters",
    "two hundred and forty",
    "twenty-three",
    "about twice that",
    "half as many",
    "€{m}bn",
    "from {n} to {n2}",
    "{n}",
)


def corpus(n: int, seed: int = SEED) -> list[str]:
    """``n`` phrases: the templates in a shuffled cycle, with seeded numbers."""
    rng = random.Random(seed)
    phrases = []
    for i in range(n):
        template = TEMPLATES[rng.randrange(len(TEMPLATES))] if i >= len(TEMPLATES) else TEMPLATES[i]
        low = rng.choice((rng.randint(1, 999), rng.randint(1_000, 99_999)))
        phrases.append(
            template.format(
                n=f"{low:,}" if rng.random() < 0.7 else str(low),
                n2=f"{low + rng.randint(1, 5_000):,}",
                m=f"{rng.randint(1, 99) / 10:g}",
                p=rng.randint(1, 99),
            )
        )
    return phrases


_NUMBER_RE = re.compile(r"\D*(\d[\d,.]*).*", re.DOTALL)


def _baseline(phrases: list[str]) -> None:
    fullmatch = _NUMBER_RE.fullmatch
    for phrase in phrases:
        fullmatch(phrase)


def _read_all(phrases: list[str]) -> None:
    for phrase in phrases:
        read(phrase, reference=REFERENCE)


def best_seconds(work: Callable[[list[str]], None], items: list[str], repeat: int) -> float:
    """The fastest of ``repeat`` passes of ``work`` over ``items``, with the collector paused."""
    best = float("inf")
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            work(items)
            best = min(best, time.perf_counter() - start)
    finally:
        gc.enable()
    return best


def run(n: int = 50_000, repeat: int = 3) -> dict[str, float]:
    """Measure ``read`` over ``n`` phrases; return rates, per-phrase time and the ratio."""
    phrases = corpus(n)
    _read_all(phrases[:1000])  # warm up: regex caches, first-call costs
    baseline = len(phrases) / best_seconds(_baseline, phrases, repeat)
    rate = len(phrases) / best_seconds(_read_all, phrases, repeat)
    return {
        "phrases": float(n),
        "read_per_s": rate,
        "baseline_per_s": baseline,
        "ratio_to_baseline": rate / baseline,
        "us_per_phrase": 1e6 / rate,
    }


def pin_one_core() -> str:
    """Pin this process to one CPU where the OS allows it, so "one core" is literal."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"cpu {cpu}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="5,000 phrases, one pass")
    parser.add_argument("--n", type=int, default=50_000, help="corpus size (default 50,000)")
    args = parser.parse_args(argv)
    n, repeat = (5_000, 1) if args.quick else (args.n, 3)
    pinned = pin_one_core()
    result = run(n, repeat)
    print(f"wording.read on {n:,} phrases, best of {repeat} ({pinned})")
    print(f"{'measure':<28}{'value':>14}")
    print(f"{'read, phrases/s':<28}{result['read_per_s']:>14,.0f}")
    print(f"{'baseline fullmatch, /s':<28}{result['baseline_per_s']:>14,.0f}")
    print(f"{'ratio read / baseline':<28}{result['ratio_to_baseline']:>14.3f}")
    print(f"{'read cost, baseline passes':<28}{1 / result['ratio_to_baseline']:>14.1f}")
    print(f"{'read, µs per phrase':<28}{result['us_per_phrase']:>14.2f}")


if __name__ == "__main__":
    main()
