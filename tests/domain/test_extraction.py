"""Tests of app.domain.extraction: the seed article, a corpus of wire sentences, and the rules."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import extraction
from app.domain.extraction import PUBLISHER_KEY, PUBLISHER_NAME, Extraction, ProposedFigure, extract
from app.domain.intervals import Bound
from app.domain.vocab import Modality, SourceKind
from tests.domain.extraction_corpus import CORPUS, Case, Expected

SEED = resources.files("app.demo_data").joinpath("seed_article.txt").read_text(encoding="utf-8")
PUBLISHED = datetime(2018, 2, 15, 9, 30, tzinfo=UTC)  # a Thursday


@pytest.fixture(scope="module")
def seed() -> Extraction:
    return extract(SEED, published_at=PUBLISHED)


def _name(ex: Extraction, key: str | None) -> str | None:
    return next((s.name for s in ex.sources if s.key == key), None)


def _at(text: str, words: str, after: str = "") -> int:
    """Where ``words`` first occur after the first occurrence of ``after``."""
    return text.index(words, text.index(after) if after else 0)


# --------------------------------------------------------------------------- the seed article

SEED_FIGURES = [
    # words, after, bound, low, high, metric, scope, claimant name, relay names, modality
    ("‘Scores’", "", Bound.vague, 40, None, "killed", "Russian fighters", PUBLISHER_NAME, (), Modality.alleged),
    (
        "more than 200",
        "Sources told",
        Bound.gt,
        201,
        None,
        "killed",
        "contract soldiers",
        "one U.S. official and three Russians",
        ("Bloomberg",),
        Modality.reported,
    ),
    (
        "around 100",
        "",
        Bound.approx,
        80,
        120,
        "killed",
        "contract soldiers",
        "U.S. official",
        ("Bloomberg",),
        Modality.reported,
    ),
    (
        "another 200 to 300",
        "",
        Bound.range,
        200,
        300,
        "injured",
        "contract soldiers",
        "U.S. official",
        ("Bloomberg",),
        Modality.reported,
    ),
    (
        "more than double that number",
        "",
        Bound.relative,
        161,
        None,
        "killed",
        "contract soldiers",
        "three Russians",
        ("Bloomberg",),
        Modality.reported,
    ),
    (
        "five",
        "According to preliminary",
        Bound.exact,
        5,
        5,
        "killed",
        "Russian citizens",
        "Maria Zakharova",
        ("The Associated Press",),
        Modality.hedged,
    ),
]


def test_seed_article_proposes_exactly_these_figures(seed: Extraction) -> None:
    assert [f.words for f in seed.figures] == [row[0] for row in SEED_FIGURES]
    for fig, row in zip(seed.figures, SEED_FIGURES, strict=True):
        words, after, bound, low, high, metric, scope, claimant, relays, modality = row
        assert (fig.start, fig.end) == (_at(SEED, words, after), _at(SEED, words, after) + len(words))
        assert SEED[fig.start : fig.end] == fig.words
        assert (fig.bound, fig.low, fig.high, fig.metric, fig.scope) == (bound, low, high, metric, scope), words
        assert _name(seed, fig.claimant) == claimant, words
        assert tuple(_name(seed, r) for r in fig.relays) == relays, words
        assert fig.modality is modality, words
        assert fig.sentence[0] <= fig.start < fig.end <= fig.sentence[1]
        assert 0 < fig.confidence <= 1


def test_seed_relative_figure_refers_to_around_100(seed: Extraction) -> None:
    double = seed.figures[4]
    assert double.refers_to is not None and seed.figures[double.refers_to].words == "around 100"
    assert (double.factor, double.factor_bound) == (2, Bound.gt)
    assert all(f.refers_to is None for f in seed.figures if f is not double)


def test_seed_restatements_are_one_proposal(seed: Extraction) -> None:
    """Zakharova's two fives are one claim (the quote is kept); the body's “scores” restates the headline."""
    scores, five = seed.figures[0], seed.figures[-1]
    body = _at(SEED, "“scores”")
    assert scores.also_at == ((body, body + len("“scores”")),)
    assert "headline" in scores.cues and "accused of" in scores.cues
    first_five = _at(SEED, "five of its citizens")
    assert five.also_at == ((first_five, first_five + 4),)
    assert {"may have", "presumably", "preliminary", "told The Associated Press"} <= set(five.cues)


def test_seed_cues_name_what_produced_each_figure(seed: Extraction) -> None:
    cues = [set(f.cues) for f in seed.figures]
    assert {"Allegedly", "Killed"} <= cues[0]
    assert {"told Bloomberg", "killed"} <= cues[1]
    assert {"said", "death toll"} <= cues[2]
    assert {"said", "injured"} <= cues[3]
    assert {"said", "died"} <= cues[4]


def test_seed_sources(seed: Extraction) -> None:
    by_name = {s.name: s for s in seed.sources}
    group = by_name["one U.S. official and three Russians"]
    assert group.kind is SourceKind.anonymous
    assert [SEED[a:b] for a, b in group.mentions] == ["Sources", "The sources", "one U.S. official and three Russians"]
    official, russians = by_name["U.S. official"], by_name["three Russians"]
    assert (official.kind, official.affiliation) == (SourceKind.anonymous, "United States")
    assert (russians.kind, russians.affiliation) == (SourceKind.anonymous, "Russia")
    assert [SEED[a:b] for a, b in official.mentions] == ["one U.S. official", "The official"]
    assert [SEED[a:b] for a, b in russians.mentions] == ["three Russians", "the Russians"]
    zakharova, ministry = by_name["Maria Zakharova"], by_name["Russian Foreign Ministry"]
    assert zakharova.kind is SourceKind.person and zakharova.parent == ministry.key
    assert (ministry.kind, ministry.affiliation, zakharova.affiliation) == (SourceKind.government, "Russia", "Russia")
    assert by_name["Bloomberg"].kind is by_name["The Associated Press"].kind is SourceKind.outlet
    assert ["the outlet" in SEED[a:b].lower() for a, b in by_name["The Associated Press"].mentions][-1]
    publisher = by_name[PUBLISHER_NAME]
    assert (publisher.key, publisher.kind, publisher.mentions) == (PUBLISHER_KEY, SourceKind.outlet, ())
    assert len({s.key for s in seed.sources}) == len(seed.sources)
    used = {f.claimant for f in seed.figures} | {r for f in seed.figures for r in f.relays}
    assert used <= {s.key for s in seed.sources}


def test_seed_numbers_that_are_not_counts(seed: Extraction) -> None:
    """The dateline, the sources' description, "No one", "Some others" and "first" are not figures."""
    spans = [(f.start, f.end) for f in seed.figures] + [span for f in seed.figures for span in f.also_at]
    for words in ("February 15, 2018", "one U.S. official and three Russians", "No one", "Some others", "first"):
        at = _at(SEED, words)
        assert not any(a < at + len(words) and at < b for a, b in spans), words


def test_seed_stated_dates_default_to_publication(seed: Extraction) -> None:
    assert {f.stated_at for f in seed.figures} == {PUBLISHED}


# --------------------------------------------------------------------------- the corpus


def _key(fig: ProposedFigure | Expected, names: dict[str, str] | None = None) -> tuple[object, ...]:
    if isinstance(fig, Expected):
        return (fig.words, fig.metric, fig.bound, fig.low, fig.high, fig.claimant)
    assert names is not None
    claimant = names.get(fig.claimant or "")
    return (fig.words, fig.metric, fig.bound.value, fig.low, fig.high, claimant)


def _score(cases: tuple[Case, ...]) -> tuple[int, int, int, int, list[str]]:
    """True positives, false positives, false negatives, right modalities, and the misses."""
    tp = fp = fn = modal = 0
    misses: list[str] = []
    for case in cases:
        ex = extract(case.text)
        names = {s.key: s.name for s in ex.sources}
        got = {_key(f, names): f for f in ex.figures}
        want = {_key(e): e for e in case.expected}
        tp += len(got.keys() & want.keys())
        fp += len(got.keys() - want.keys())
        fn += len(want.keys() - got.keys())
        modal += sum(got[k].modality.value == want[k].modality for k in got.keys() & want.keys())
        misses += [f"extra {k} in {case.text!r}" for k in got.keys() - want.keys()]
        misses += [f"missed {k} in {case.text!r}" for k in want.keys() - got.keys()]
    return tp, fp, fn, modal, misses


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 40
    assert sum(1 for case in CORPUS if not case.expected) >= 10  # negatives
    assert {e.metric for case in CORPUS for e in case.expected} >= {
        "killed",
        "injured",
        "missing",
        "displaced",
        "arrested",
        "participants",
        "casualties",
        "equipment_lost",
    }


def test_corpus_precision_and_recall() -> None:
    tp, fp, fn, modal, misses = _score(CORPUS)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"\nextraction corpus: {len(CORPUS)} texts, {tp + fn} expected figures, {tp + fp} proposed")
    print(f"precision {precision:.3f}  recall {recall:.3f}  modality right {modal / tp:.3f}")
    for miss in misses:
        print(" ", miss)
    assert precision >= 0.9 and recall >= 0.9
    assert modal / tp >= 0.9


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.text[:40])
def test_corpus_offsets_point_into_the_text(case: Case) -> None:
    ex = extract(case.text)
    for fig in ex.figures:
        assert case.text[fig.start : fig.end] == fig.words
        assert fig.sentence[0] <= fig.start < fig.end <= fig.sentence[1]
        assert all(case.text[a:b] for a, b in fig.also_at)
        assert fig.low is None or fig.high is None or fig.low <= fig.high


# --------------------------------------------------------------------------- rules one by one


def test_title_marks_the_headline_only_where_the_text_holds_it() -> None:
    headline = "US Strikes Allegedly Killed ‘Scores’ of Russian Fighters in Syria"
    given = extract(SEED, title=headline)
    assert "headline" in given.figures[0].cues
    absent = extract(SEED, title="A title the text does not hold")
    assert "headline" not in absent.figures[0].cues  # read as body text: the span stays in ``text``
    text = "Floods kill at least 30 in Kenya.\n\nAt least 30 people were killed, the Red Cross said."
    assert "headline" not in extract(text).figures[0].cues  # a first line with a final period is a sentence
    assert "headline" in extract(text, title="Floods kill at least 30 in Kenya").figures[0].cues


def test_publisher_argument_names_the_claimant() -> None:
    ex = extract("About 3,000 people gathered in the square on Friday.", publisher="Epoch Times")
    (fig,) = ex.figures
    assert fig.claimant == "epoch-times"
    assert [(s.name, s.kind) for s in ex.sources] == [("Epoch Times", SourceKind.outlet)]


@pytest.mark.parametrize(
    ("sentence", "day"),
    [
        ("Police said on Tuesday that 40 people were arrested.", 13),
        ("Police said yesterday that 40 people were arrested.", 14),
        ("Police said last week that 40 people were arrested.", 8),
        ("Forty people were arrested, police said on Feb. 7.", 7),
        ("Police said on Dec. 30 that 40 people were arrested.", -1),  # the December before publication
        ("Police on Monday said 40 people were arrested.", 12),
        ("Police said 40 people were arrested on Tuesday.", 15),  # the arrests' day, not the statement's
    ],
)
def test_stated_date_is_resolved_against_publication(sentence: str, day: int) -> None:
    (fig,) = extract(sentence, published_at=PUBLISHED).figures
    expected = datetime(2017, 12, 30) if day < 0 else datetime(2018, 2, day)
    assert fig.stated_at is not None and fig.stated_at.date() == expected.date()


def test_stated_date_without_publication_date() -> None:
    assert extract("Police said on Tuesday that 40 people were arrested.").figures[0].stated_at is None
    fig = extract("Police said on Feb. 7, 2018 that 40 people were arrested.").figures[0]
    assert fig.stated_at == datetime(2018, 2, 7)


def test_tolerance_is_passed_to_the_reader() -> None:
    ex = extract(SEED, published_at=PUBLISHED, tolerance=0.1)
    assert (ex.figures[2].low, ex.figures[2].high) == (90, 110)
    assert ex.figures[4].low == 181  # more than double [90, 110]


def test_relative_figure_prefers_the_same_metric() -> None:
    text = "Officials said 80 people were killed and 300 wounded. Rebels said twice that number died."
    ex = extract(text)
    twice = ex.figures[-1]
    assert twice.refers_to == 0 and (twice.low, twice.high) == (160, 160)


def test_casualties_is_its_own_metric_and_equipment_needs_a_noun() -> None:
    assert [f.metric for f in extract("The army reported 30 casualties.").figures] == ["casualties"]
    assert extract("Shelling destroyed 40 homes in the village.").figures == ()
    assert [f.metric for f in extract("Shelling destroyed 40 tanks.").figures] == ["equipment_lost"]


def test_change_keeps_the_new_value_only() -> None:
    ex = extract("The death toll rose to 45, up from 30 on Monday, officials said.")
    assert [f.words for f in ex.figures] == ["45"]


def test_offsets_survive_letters_that_lengthen_when_lowered() -> None:
    text = "İstanbul police said 40 people were detained."
    (fig,) = extract(text).figures
    assert text[fig.start : fig.end] == "40" and fig.metric == "arrested"


def test_nothing_to_read() -> None:
    assert extract("") == Extraction(figures=(), sources=())
    assert extract("No numbers here at all.").figures == ()


def test_word_lists_are_plain_text_in_the_package() -> None:
    data = resources.files("app.domain.data")
    for name in (
        "attribution_verbs.tsv",
        "metric_words.tsv",
        "modality_cues.tsv",
        "source_words.tsv",
        "outlets.tsv",
        "places.tsv",
        "equipment_nouns.txt",
        "not_counted.txt",
    ):
        lines = [ln for ln in data.joinpath(name).read_text(encoding="utf-8").splitlines() if ln.strip()]
        assert lines and lines[0].startswith("#"), name  # each file documents its own format
    for row in data.joinpath("metric_words.tsv").read_text(encoding="utf-8").splitlines():
        if row.strip() and not row.startswith("#"):
            assert row.split("\t")[2] in ("strong", "weak", "event", "equipment"), row


def test_module_is_pure() -> None:
    """Standard library and app.domain only: no web framework, no database."""
    tree = ast.parse(Path(extraction.__file__).read_text(encoding="utf-8"))
    imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert all(m.startswith("app.domain") or m.split(".")[0] in _STDLIB for m in imported), imported


_STDLIB = {"__future__", "bisect", "re", "collections", "dataclasses", "datetime", "functools", "importlib", "typing"}


_ALPHABET = sorted(
    {w for case in CORPUS for w in case.text.split()}
    | {"“", "”", "‘", "’", "\n\n", "said", "told", "according to", "between", "from", "one of", "~", "İ"}
)


@given(st.lists(st.sampled_from(_ALPHABET), max_size=40), st.booleans())
@settings(max_examples=150, deadline=None)
def test_any_text_gives_valid_proposals(words: list[str], dated: bool) -> None:
    """Whatever the words, extraction does not fail and every proposal points into the text."""
    text = " ".join(words)
    ex = extract(text, published_at=PUBLISHED if dated else None)
    keys = {s.key for s in ex.sources}
    for fig in ex.figures:
        assert text[fig.start : fig.end] == fig.words and fig.words == fig.words.strip()
        assert fig.claimant in keys and set(fig.relays) <= keys
        assert fig.refers_to is None or 0 <= fig.refers_to < len(ex.figures)
        assert fig.low is None or fig.high is None or fig.low <= fig.high
