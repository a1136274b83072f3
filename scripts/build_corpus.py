"""Build ``tests/domain/corpus/{dev,heldout,fresh,fresh2,fresh3,fresh4,fresh5}.jsonl`` from the annotation sources.

The sources (``tests/domain/corpus/source/*.txt``) are written by hand, one page at a time::

    @ https://example.org/story | published 2018-05-22      (a page: its URL, and its date if shown)
    > A passage, verbatim from the page.
    & its next paragraph, when the passage needs it          (joined with "\\n")
    + at least 12 | killed | police | said | hedged           (a figure: words | metric | claimant |
                                                               attribution | recall [| low..high])

A passage without ``+`` lines is a negative. The claimant ``-`` is null (the publisher speaks).
``words`` is found in the passage after the previous figure's end; ``words@2`` takes the second
such occurrence. The interval is the project's wording rules applied to ``words``
(``app.domain.wording.read`` used as a calculator, default tolerance 0.2) unless ``low..high``
is written (an empty high is unbounded).

The split is by page: ``sha256(url)``'s integer value even -> dev, odd -> heldout. Pages in a
``fresh0*.txt`` source form the third split, ``fresh``, whatever their hash: they were gathered after
the held-out part had been spent, as the new held-out part. ``fresh`` is spent in turn (scored twice,
then tuned on); the pages of the ``fresh2_*.txt`` sources form ``fresh2``, gathered after it and
spent in turn (read and tuned on by the fourth round of rules); the pages of the ``fresh3_*.txt``
sources form ``fresh3``, gathered after it and spent in turn (scored three times); the pages of the
``fresh4_*.txt`` sources form ``fresh4``, gathered after it (scored twice, never read while tuning),
and those of the ``fresh5_*.txt`` sources ``fresh5``, gathered after the sixth round of rules (never
read while tuning).

    python -m scripts.build_corpus
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from app.domain.wording import read

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "domain" / "corpus"
RETRIEVED = "2026-12-01"
ATTRIBUTIONS = {"said", "according-to", "quoted", "social-post", "none"}
RECALLS = {"plain", "hedged", "vague", "range", "far-metric", "sub-list", "relative", "revision"}


SPLITS = ("dev", "heldout", "fresh", "fresh2", "fresh3", "fresh4", "fresh5")


def split_of(url: str) -> str:
    return "dev" if int(hashlib.sha256(url.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "heldout"


def split_of_source(path: Path, url: str) -> str:
    """A page's split: ``freshN`` for every page of a ``freshN_*.txt`` source (N = 2 to 5),
    ``fresh`` for every page of another ``fresh*.txt`` source (``fresh0*.txt``), else by URL hash."""
    if path.name.startswith("fresh5_"):
        return "fresh5"
    if path.name.startswith("fresh4_"):
        return "fresh4"
    if path.name.startswith("fresh3_"):
        return "fresh3"
    if path.name.startswith("fresh2_"):
        return "fresh2"
    return "fresh" if path.name.startswith("fresh") else split_of(url)


def _interval(words: str, override: str | None) -> tuple[float | None, float | None]:
    if override:
        lo, _, hi = override.partition("..")
        return float(lo), (float(hi) if hi.strip() else None)
    r = read(words)
    return r.low, r.high


def _num(x: float | None) -> int | float | None:
    return int(x) if x is not None and float(x).is_integer() else x


def parse(path: Path) -> list[dict]:
    pages: list[dict] = []
    page: dict | None = None
    passage: dict | None = None
    cursor = 0
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip("\n")
        where = f"{path.name}:{lineno}"
        if not line.strip() or line.startswith("#"):
            continue
        tag, body = line[:1], line[2:]
        if tag == "@":
            url, _, rest = body.partition(" | ")
            published = rest.removeprefix("published ").strip() or None
            page = {"url": url.strip(), "published": published, "passages": []}
            pages.append(page)
            passage = None
        elif tag == ">":
            if page is None:
                raise SystemExit(f"{where}: a passage before any page")
            passage = {"text": body, "figures": []}
            page["passages"].append(passage)
            cursor = 0
        elif tag == "&":
            if passage is None or passage["figures"]:
                raise SystemExit(f"{where}: a continuation line must follow a passage line")
            passage["text"] += "\n" + body
        elif tag == "+":
            if passage is None:
                raise SystemExit(f"{where}: a figure before any passage")
            parts = [p.strip() for p in body.split(" | ")]
            if len(parts) not in (5, 6):
                raise SystemExit(f"{where}: a figure needs 5 or 6 fields: {body!r}")
            words, metric, claimant, attribution, recall = parts[:5]
            override = parts[5] if len(parts) == 6 else None
            nth = 1
            if "@" in words:
                words, _, n = words.rpartition("@")
                nth = int(n)
            pos = cursor - 1
            for _ in range(nth):
                pos = passage["text"].find(words, pos + 1)
                if pos < 0:
                    raise SystemExit(f"{where}: {words!r} not found after offset {cursor}")
            if attribution not in ATTRIBUTIONS or recall not in RECALLS:
                raise SystemExit(f"{where}: unknown category {attribution!r} / {recall!r}")
            try:
                low, high = _interval(words, override)
            except Exception as exc:  # the reader refuses: the annotator must write the interval
                raise SystemExit(f"{where}: {words!r}: {exc}") from exc
            passage["figures"].append(
                {
                    "start": pos,
                    "end": pos + len(words),
                    "words": words,
                    "low": _num(low),
                    "high": _num(high),
                    "metric": metric,
                    "claimant": None if claimant == "-" else claimant,
                    "category": {"attribution": attribution, "recall": recall},
                }
            )
            cursor = pos + len(words)
        else:
            raise SystemExit(f"{where}: unknown line {line[:30]!r}")
    return pages


def main() -> int:
    pages: list[dict] = []
    for path in sorted((CORPUS / "source").glob("*.txt")):
        for page in parse(path):
            page["split"] = split_of_source(path, page["url"])
            pages.append(page)
    urls = [p["url"] for p in pages]
    dupes = {u for u in urls if urls.count(u) > 1}
    if dupes:
        raise SystemExit(f"pages listed twice: {sorted(dupes)}")
    out: dict[str, list[dict]] = {name: [] for name in SPLITS}
    for page in pages:
        tag = hashlib.sha256(page["url"].encode("utf-8")).hexdigest()[:8]
        for i, passage in enumerate(page["passages"], 1):
            record = {
                "id": f"{tag}-{i:02d}",
                "url": page["url"],
                "retrieved": RETRIEVED,
                "published": page["published"],
                "text": passage["text"],
                "figures": passage["figures"],
            }
            out[page["split"]].append(record)
    for name, records in out.items():
        with (CORPUS / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        figures = sum(len(r["figures"]) for r in records)
        negatives = sum(1 for r in records if not r["figures"])
        n_pages = len({r["url"] for r in records})
        print(f"{name}: {len(records)} passages, {figures} figures, {negatives} negatives, {n_pages} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
