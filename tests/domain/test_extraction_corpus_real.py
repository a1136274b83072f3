"""The real-text corpus (tests/domain/corpus/) is well formed and split by page.

``dev`` and ``heldout`` are split by the hash of each page's URL; ``fresh`` (the held-out part
gathered after ``heldout`` was spent, now spent too) holds the pages of the ``source/fresh0*.txt``
files, ``fresh2`` (gathered after ``fresh`` was spent, now spent too) those of the
``source/fresh2_*.txt`` files, ``fresh3`` (gathered after
``fresh2`` was spent, now spent too) those of the ``source/fresh3_*.txt`` files, ``fresh4``
(the held-out part of record, gathered after ``fresh3`` was spent) those of the
``source/fresh4_*.txt`` files and ``fresh5`` (gathered after the sixth round of rules, never read
while tuning) those of the ``source/fresh5_*.txt`` files; no page appears in two parts.

Not a test of the extractor's scores: those change, and ``scripts/evaluate_extraction.py``
reports them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "corpus"
SPLITS = ("dev", "heldout", "fresh", "fresh2", "fresh3", "fresh4", "fresh5")
HASHED = ("dev", "heldout")
ATTRIBUTIONS = {"said", "according-to", "quoted", "social-post", "none"}
RECALLS = {"plain", "hedged", "vague", "range", "far-metric", "sub-list", "relative", "revision"}
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _load(split: str) -> list[dict]:
    lines = (CORPUS / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[dict]]:
    return {split: _load(split) for split in SPLITS}


@pytest.mark.parametrize("split", SPLITS)
def test_passages_are_well_formed(corpus: dict[str, list[dict]], split: str) -> None:
    for rec in corpus[split]:
        where = rec.get("id")
        assert set(rec) == {"id", "url", "retrieved", "published", "text", "figures"}, where
        assert rec["url"].startswith(("http://", "https://")), where
        assert DATE.match(rec["retrieved"]), where
        assert rec["published"] is None or DATE.match(rec["published"]), where
        assert rec["text"].strip(), where
        previous_end = 0
        for fig in rec["figures"]:
            start, end = fig["start"], fig["end"]
            assert 0 <= start < end <= len(rec["text"]), where
            assert start >= previous_end, f"{where}: figures overlap or are out of order"
            previous_end = end
            assert rec["text"][start:end] == fig["words"], where
            assert isinstance(fig["low"], int | float), where
            assert fig["high"] is None or fig["low"] <= fig["high"], where
            assert fig["low"] >= 0, where
            assert fig["metric"] and fig["metric"] == fig["metric"].lower(), where
            assert fig["claimant"] is None or fig["claimant"].strip(), where
            assert fig["category"]["attribution"] in ATTRIBUTIONS, where
            assert fig["category"]["recall"] in RECALLS, where


def test_ids_are_unique(corpus: dict[str, list[dict]]) -> None:
    ids = [rec["id"] for split in SPLITS for rec in corpus[split]]
    assert len(ids) == len(set(ids))


def test_split_is_by_page_and_follows_the_rule(corpus: dict[str, list[dict]]) -> None:
    for split in HASHED:
        for rec in corpus[split]:
            odd = int(hashlib.sha256(rec["url"].encode("utf-8")).hexdigest(), 16) % 2
            assert split == ("heldout" if odd else "dev"), rec["id"]
    dev_urls = {rec["url"] for rec in corpus["dev"]}
    assert dev_urls.isdisjoint(rec["url"] for rec in corpus["heldout"])
    fresh_urls = {rec["url"] for rec in corpus["fresh"]}
    assert fresh_urls.isdisjoint(rec["url"] for split in HASHED for rec in corpus[split])
    fresh2_urls = {rec["url"] for rec in corpus["fresh2"]}
    assert fresh2_urls.isdisjoint(rec["url"] for split in ("dev", "heldout", "fresh") for rec in corpus[split])
    for i, fresh in enumerate(SPLITS[2:], 2):
        urls = {rec["url"] for rec in corpus[fresh]}
        assert urls.isdisjoint(rec["url"] for split in SPLITS[:i] for rec in corpus[split]), fresh


@pytest.mark.parametrize(
    ("split", "pattern"),
    [
        ("fresh", "fresh0*.txt"),
        ("fresh2", "fresh2_*.txt"),
        ("fresh3", "fresh3_*.txt"),
        ("fresh4", "fresh4_*.txt"),
        ("fresh5", "fresh5_*.txt"),
    ],
)
def test_fresh_pages_come_from_the_fresh_sources(split: str, pattern: str) -> None:
    fresh_urls = {json.loads(line)["url"] for line in (CORPUS / f"{split}.jsonl").read_text("utf-8").splitlines()}
    written = set()
    for path in sorted((CORPUS / "source").glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("@ "):
                written.add(line[2:].partition(" | ")[0].strip())
    assert written and fresh_urls == written


def test_no_passage_text_is_shared_across_splits(corpus: dict[str, list[dict]]) -> None:
    seen: dict[str, str] = {}
    for split in SPLITS:
        for rec in corpus[split]:
            assert seen.setdefault(rec["text"], split) == split, rec["id"]


def test_split_sizes(corpus: dict[str, list[dict]]) -> None:
    everything = [rec for split in HASHED for rec in corpus[split]]
    with_figures = [rec for rec in everything if rec["figures"]]
    assert len(with_figures) >= 390
    assert sum(len(rec["figures"]) for rec in everything) >= 600
    assert len(everything) - len(with_figures) >= 100  # negatives
    pages = {rec["url"] for rec in everything}
    assert len(pages) >= 60
    assert max(Counter(rec["url"] for rec in everything).values()) <= 15
    for split in HASHED:
        share = len({rec["url"] for rec in corpus[split]}) / len(pages)
        assert 0.35 <= share <= 0.65, split
        assert sum(1 for rec in corpus[split] if rec["figures"]) >= 150, split


@pytest.mark.parametrize("split", ["fresh", "fresh2", "fresh3", "fresh4", "fresh5"])
def test_fresh_size(corpus: dict[str, list[dict]], split: str) -> None:
    fresh = corpus[split]
    with_figures = [rec for rec in fresh if rec["figures"]]
    assert len({rec["url"] for rec in fresh}) >= 60
    assert len(with_figures) >= 150
    assert sum(len(rec["figures"]) for rec in fresh) >= 250
    assert len(fresh) - len(with_figures) >= 0.15 * len(fresh)  # negatives
    assert max(Counter(rec["url"] for rec in fresh).values()) <= 15
