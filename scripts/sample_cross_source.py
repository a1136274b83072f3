"""Write tests/fixtures/cross_source_sample.csv: a documented sample of the cross-source groups the
benchmark builds from ../shared/data/real-figures-1m.csv.gz (``bench.data.cross_source_rows``), so
that the ranking test runs on a clone of the repository alone.

Kept: every General Staff vs Oryx group, and of the disputed Iraq Body Count incidents the 150 with
the smallest gap between the lowest and highest report (mostly 0 against 1-3 killed), the 150 with
the largest, and 150 drawn at random (seed 2018). Run: ``python -m scripts.sample_cross_source``."""

import csv
import random
from collections import defaultdict
from pathlib import Path

from bench.data import GENERAL_STAFF, cross_source_rows

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "cross_source_sample.csv"
COLUMNS = ("source", "subject", "metric", "value_low", "value_high", "hedge", "date")


def main() -> None:
    rows = cross_source_rows()
    incidents: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    kept: list[dict[str, str]] = []
    for row in rows:
        if row["source"] in (GENERAL_STAFF, "Oryx"):
            kept.append(row)
        else:
            incidents[(row["subject"], row["metric"])].append(row)

    def gap(pair: list[dict[str, str]]) -> float:
        values = sorted(float(r["value_low"]) for r in pair)
        return values[-1] - values[0]

    ordered = sorted(incidents, key=lambda k: (gap(incidents[k]), k))
    chosen = set(ordered[:150]) | set(ordered[-150:])
    rest = [k for k in ordered if k not in chosen]
    chosen |= set(random.Random(2018).sample(rest, min(150, len(rest))))
    kept += [r for k in sorted(chosen) for r in incidents[k]]
    with OUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, COLUMNS)
        writer.writeheader()
        writer.writerows(kept)
    print(f"{len(kept)} rows, {len(chosen)} Iraq Body Count incidents, to {OUT.name}")


if __name__ == "__main__":
    main()
