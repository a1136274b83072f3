"""Score ``app.domain.extraction.extract`` on the real-text corpus (tests/domain/corpus/).

    python -m scripts.evaluate_extraction [dev|heldout|fresh|fresh2|fresh3|fresh4|fresh5] [--json PATH]

Each passage is extracted on its own, with ``publisher="the publisher"`` (every page has one), so a
figure the text attributes to nobody should be claimed by that publisher.

Matching: a proposal covers its span and the spans of its restatements (``also_at``). Proposal
spans and annotated figures are paired one to one, greatest character overlap first; a pair needs
an overlap of at least one character. Then:

- precision = paired proposal spans / all proposal spans; recall = paired figures / all figures.
- claimant accuracy, on paired figures whose annotation names a claimant: the proposal's claimant
  source name and the annotated name, both normalised (case, accents, punctuation, a leading
  "the", spaces), are equal or one contains the other ("Health Minister K K Shailaja" ~
  "K K Shailaja"; "the Health Ministry" ~ "Palestinian Health Ministry").
- publisher accuracy, on paired figures annotated with no claimant: the proposal's claimant is the
  publisher.
- interval accuracy, on paired figures: low and high both equal (an unbounded high equals only
  an unbounded high).
- metric accuracy (for information), on paired figures: the proposal's metric is the annotated one.

Categories: recall, claimant, interval and metric accuracy are given by each annotated category
(attribution kind, recall kind) and by metric. Precision has no annotated category on its
unpaired side, so it is given overall, by the proposal's metric, and for negative passages (the
count of proposals in passages without any figure).

``fresh4`` is the measure of record (the held-out part gathered after ``fresh3`` was spent): never
tune the extractor on it. Its report keeps the counts only, without the list of misses, so that
nobody reads its failures while writing rules; ``heldout``, ``fresh``, ``fresh2`` and ``fresh3`` are
spent (``fresh3`` by three scorings) and may be tuned on like ``dev``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from app.domain.extraction import extract
from app.domain.extraction_lexicon import _lexicon

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "domain" / "corpus"
PUBLISHER = "the publisher"


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[’']s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.removeprefix("the ").strip()


STRICT_NAMES = False  # --strict-names: compare the names as written, without the outlets' aliases


@lru_cache(maxsize=1)
def _outlet_aliases() -> tuple[re.Pattern[str], dict[str, str]]:
    """Every way ``outlets.tsv`` writes an outlet, normalised, to its canonical name normalised."""
    table = {normalise(alias): normalise(name) for alias, name in _lexicon().outlets.items()}
    table = {k: v for k, v in table.items() if k and k != v}
    alts = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return re.compile(rf"\b(?:{alts})\b"), table


def _canonical(name: str) -> str:
    """A normalised name with each outlet alias written as the outlet's canonical name ("ap" ->
    "associated press", "afp report" -> "agence france presse report")."""
    pattern, table = _outlet_aliases()
    return pattern.sub(lambda m: table[m.group()], name)


def same_claimant(proposed: str | None, annotated: str) -> bool:
    if not proposed:
        return False
    a, b = normalise(proposed), normalise(annotated)
    if not a or not b:
        return False

    def inside(part: str, whole: str) -> bool:
        return re.search(rf"\b{re.escape(part)}\b", whole) is not None

    if a == b or inside(b, a) or inside(a, b):
        return True
    if STRICT_NAMES:
        return False
    # The extractor names an outlet by its canonical name (``outlets.tsv``), the text by the
    # spelling it uses: "the AP" and "The Associated Press" are one source
    a, b = _canonical(a), _canonical(b)
    return a == b or inside(b, a) or inside(a, b)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


SPLITS = ("dev", "heldout", "fresh", "fresh2", "fresh3", "fresh4", "fresh5")
HELD_OUT = ("fresh4", "fresh5")  # never read while tuning; ``fresh`` to ``fresh3`` are spent


def load(split: str) -> list[dict]:
    path = CORPUS / f"{split}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


class Tally:
    def __init__(self) -> None:
        self.n = defaultdict(lambda: defaultdict(int))

    def add(self, group: str, key: str, field: str, value: int = 1) -> None:
        self.n[(group, key)][field] += value

    def rows(self) -> dict[str, dict[str, dict[str, int]]]:
        out: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
        for (group, key), fields in sorted(self.n.items()):
            out[group][key] = dict(fields)
        return out


def evaluate(records: list[dict]) -> dict:
    t = Tally()
    misses: list[dict] = []
    for rec in records:
        text = rec["text"]
        ex = extract(text, publisher=PUBLISHER)
        names = {s.key: s.name for s in ex.sources}
        spans: list[tuple[tuple[int, int], object]] = []
        for f in ex.figures:
            for span in ((f.start, f.end), *f.also_at):
                spans.append((tuple(span), f))
        gold = rec["figures"]
        pairs = sorted(
            (
                (_overlap(span, (g["start"], g["end"])), i, j)
                for i, (span, _) in enumerate(spans)
                for j, g in enumerate(gold)
                if _overlap(span, (g["start"], g["end"])) > 0
            ),
            reverse=True,
        )
        used_p: set[int] = set()
        used_g: dict[int, int] = {}
        for _, i, j in pairs:
            if i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g[j] = i
        for i, (span, f) in enumerate(spans):
            ok = i in used_p
            t.add("all", "all", "proposed")
            t.add("all", "all", "proposed_ok", ok)
            t.add("proposed metric", f.metric, "proposed")
            t.add("proposed metric", f.metric, "proposed_ok", ok)
            if not gold:
                t.add("all", "all", "proposed_in_negatives")
            if not ok:
                misses.append(
                    {"id": rec["id"], "kind": "false positive", "words": text[span[0] : span[1]], "metric": f.metric}
                )
        if not gold:
            t.add("all", "all", "negative_passages")
        for j, g in enumerate(gold):
            keys = [
                ("all", "all"),
                ("attribution", g["category"]["attribution"]),
                ("recall kind", g["category"]["recall"]),
                ("metric", g["metric"]),
            ]
            i = used_g.get(j)
            f = spans[i][1] if i is not None else None
            for group, key in keys:
                t.add(group, key, "figures")
                if f is None:
                    continue
                t.add(group, key, "found")
                claimant = names.get(f.claimant) if f.claimant else None
                if g["claimant"] is not None:
                    t.add(group, key, "claimant_n")
                    t.add(group, key, "claimant_ok", same_claimant(claimant, g["claimant"]))
                else:
                    t.add(group, key, "publisher_n")
                    t.add(group, key, "publisher_ok", claimant == PUBLISHER)
                t.add(group, key, "interval_ok", (f.low, f.high) == (g["low"], g["high"]))
                t.add(group, key, "metric_ok", f.metric == g["metric"])
            if f is None:
                misses.append(
                    {
                        "id": rec["id"],
                        "kind": "missed",
                        "words": g["words"],
                        "metric": g["metric"],
                        "recall": g["category"]["recall"],
                    }
                )
            else:
                claimant = names.get(f.claimant) if f.claimant else None
                if g["claimant"] is None and claimant != PUBLISHER:
                    misses.append({"id": rec["id"], "kind": "publisher", "words": g["words"], "proposed": claimant})
                if g["claimant"] is not None and not same_claimant(claimant, g["claimant"]):
                    misses.append(
                        {
                            "id": rec["id"],
                            "kind": "claimant",
                            "words": g["words"],
                            "expected": g["claimant"],
                            "proposed": claimant,
                        }
                    )
                if (f.low, f.high) != (g["low"], g["high"]):
                    misses.append(
                        {
                            "id": rec["id"],
                            "kind": "interval",
                            "words": g["words"],
                            "expected": [g["low"], g["high"]],
                            "proposed": [f.low, f.high],
                            "proposed_words": f.words,
                        }
                    )
    return {"counts": t.rows(), "misses": misses}


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f} ({a}/{b})" if b else "-"


def scores(fields: dict[str, int]) -> dict[str, float | None]:
    def r(a: str, b: str) -> float | None:
        return round(fields.get(a, 0) / fields[b], 3) if fields.get(b) else None

    return {
        "precision": r("proposed_ok", "proposed"),
        "recall": r("found", "figures"),
        "claimant": r("claimant_ok", "claimant_n"),
        "publisher": r("publisher_ok", "publisher_n"),
        "interval": r("interval_ok", "found"),
        "metric": r("metric_ok", "found"),
    }


def print_table(split: str, counts: dict) -> None:
    overall = counts["all"]["all"]
    print(f"split: {split}")
    print(
        f"precision  {_ratio(overall.get('proposed_ok', 0), overall.get('proposed', 0))}"
        f"   proposals in negative passages: {overall.get('proposed_in_negatives', 0)}"
        f" (in {overall.get('negative_passages', 0)} negatives)"
    )
    columns = ("recall", "claimant", "publisher", "interval", "metric")
    header = f"{'group':<12} {'category':<14} " + " ".join(f"{c:>16}" for c in columns)
    print(header)
    print("-" * len(header))
    for group in ("all", "attribution", "recall kind", "metric"):
        for key, f in counts.get(group, {}).items():
            print(
                f"{group:<12} {key:<14} {_ratio(f.get('found', 0), f.get('figures', 0)):>16}"
                f" {_ratio(f.get('claimant_ok', 0), f.get('claimant_n', 0)):>16}"
                f" {_ratio(f.get('publisher_ok', 0), f.get('publisher_n', 0)):>16}"
                f" {_ratio(f.get('interval_ok', 0), f.get('found', 0)):>16}"
                f" {_ratio(f.get('metric_ok', 0), f.get('found', 0)):>16}"
            )
    print()
    print(f"{'precision by proposed metric':<30}")
    for key, f in counts.get("proposed metric", {}).items():
        print(f"  {key:<20} {_ratio(f.get('proposed_ok', 0), f.get('proposed', 0)):>16}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("split", nargs="?", default="dev", choices=SPLITS)
    parser.add_argument("--json", type=Path, default=None, help="where to write the JSON report")
    parser.add_argument(
        "--strict-names", action="store_true", help="match claimants as written, without the outlets' aliases"
    )
    args = parser.parse_args(argv)
    global STRICT_NAMES
    STRICT_NAMES = args.strict_names
    records = load(args.split)
    result = evaluate(records)
    counts = result["counts"]
    print_table(args.split, counts)
    report = {
        "split": args.split,
        "passages": len(records),
        "figures": sum(len(r["figures"]) for r in records),
        "scores": {group: {key: {**scores(f), **f} for key, f in rows.items()} for group, rows in counts.items()},
    }
    if args.split not in HELD_OUT:  # the measure of record: its failures are not written anywhere
        report["misses"] = result["misses"]
    out = args.json or ROOT / "tests" / "domain" / "corpus" / "results" / f"{args.split}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nJSON report: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
