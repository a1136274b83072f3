"""How fast ``app.domain.extraction.extract`` reads articles, in words per second on one core.

Run: ``python -m bench.bench_extraction [--quick]``.

Two workloads, built with a fixed seed from the test corpus (wire-style sentences with figures,
negatives with years, ages and money) and the seed article's sentences without figures, so every
run reads the same texts:

- one long text of at least 5,000 words (paragraphs of 3 to 5 sentences);
- a batch of 1,000 articles (200 with ``--quick``), each a headline and 6 to 14 sentences.

About one sentence in two holds a figure: denser than most reporting, so the rate is a floor.
The baseline, measured in the same run over the same texts, is ``re.findall(r"\\w+", text)``: the
floor cost of touching every word once from Python. ``run(quick)`` returns the numbers.
"""

from __future__ import annotations

import argparse
import random
import re
from datetime import UTC, datetime
from importlib import resources

from app.domain.extraction import extract
from bench.bench_wording import best_seconds, pin_one_core

SEED = 20180215  # the day of the seed article
PUBLISHED = datetime(2018, 2, 15, 12, 0, tzinfo=UTC)
_WORD_RE = re.compile(r"\w+")
_SENTENCE_RE = re.compile(r"(?<=[.!?”])\s+(?=[“A-Z])")


def _corpus_sentences() -> list[str]:
    from tests.domain.extraction_corpus import CORPUS  # the bench reuses the test corpus

    return [" ".join(case.text.split("\n\n")[-1].split()) for case in CORPUS]


def _filler_sentences() -> list[str]:
    """The seed article's sentences without a figure: context that an article also has."""
    text = resources.files("app.demo_data").joinpath("seed_article.txt").read_text(encoding="utf-8")
    body = [line for line in text.splitlines()[4:] if len(line.split()) > 6]
    sentences = [s for line in body for s in _SENTENCE_RE.split(line)]
    return [s for s in sentences if not re.search(r"\d|five|scores|double", s, re.IGNORECASE)]


def _paragraphs(rng: random.Random, pool: list[str], filler: list[str], n_sentences: int) -> str:
    sentences = [rng.choice(pool) if rng.random() < 0.6 else rng.choice(filler) for _ in range(n_sentences)]
    paragraphs, i = [], 0
    while i < len(sentences):
        size = rng.randint(3, 5)
        paragraphs.append(" ".join(sentences[i : i + size]))
        i += size
    return "\n\n".join(paragraphs)


def long_text(words: int = 5_000, seed: int = SEED) -> str:
    """One text of at least ``words`` words."""
    rng, pool, filler = random.Random(seed), _corpus_sentences(), _filler_sentences()
    parts: list[str] = []
    while sum(len(p.split()) for p in parts) < words:
        parts.append(_paragraphs(rng, pool, filler, 8))
    return "\n\n".join(parts)


def articles(n: int = 1_000, seed: int = SEED) -> list[str]:
    """``n`` articles: a headline line, then 6 to 14 sentences in paragraphs."""
    rng, pool, filler = random.Random(seed), _corpus_sentences(), _filler_sentences()
    headlines = (
        "Floods kill at least 30 in Kenya",
        "US Strikes Allegedly Killed ‘Scores’ of Russian Fighters in Syria",
    )
    return [f"{rng.choice(headlines)}\n\n{_paragraphs(rng, pool, filler, rng.randint(6, 14))}" for _ in range(n)]


def _extract_all(texts: list[str]) -> None:
    for text in texts:
        extract(text, published_at=PUBLISHED)


def _baseline(texts: list[str]) -> None:
    findall = _WORD_RE.findall
    for text in texts:
        findall(text)


def _measure(texts: list[str], repeat: int) -> dict[str, float]:
    words = sum(len(t.split()) for t in texts)
    extract_s = best_seconds(_extract_all, texts, repeat)
    baseline_s = best_seconds(_baseline, texts, repeat)
    return {
        "words": float(words),
        "words_per_s": words / extract_s,
        "baseline_words_per_s": words / baseline_s,
        "ratio_to_baseline": baseline_s / extract_s,
    }


def run(quick: bool = False) -> dict[str, dict[str, float]]:
    """Words per second of ``extract`` on the long text and on the batch, beside the baseline.

    Each rate is the best of several passes (5 over the long text, 3 over the batch; 3 and 2 with
    ``quick``): on a shared machine the best pass is the one least disturbed by other work.
    """
    text, batch = long_text(), articles(200 if quick else 1_000)
    _extract_all([text])  # warm up: word lists, regex caches
    long_result = _measure([text], 3 if quick else 5)
    batch_result = _measure(batch, 2 if quick else 3) | {"articles": float(len(batch))}
    return {"long_text": long_result, "batch": batch_result}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="200 articles, fewer passes")
    args = parser.parse_args(argv)
    pinned = pin_one_core()
    result = run(args.quick)
    print(f"extraction.extract, best of several passes ({pinned})")
    print(f"{'workload':<22}{'words':>10}{'words/s':>14}{'baseline/s':>14}{'ratio':>9}")
    for name, r in result.items():
        label = f"{name} ({int(r['articles'])} art.)" if "articles" in r else name
        print(
            f"{label:<22}{r['words']:>10,.0f}{r['words_per_s']:>14,.0f}"
            f"{r['baseline_words_per_s']:>14,.0f}{r['ratio_to_baseline']:>9.4f}"
        )


if __name__ == "__main__":
    main()
