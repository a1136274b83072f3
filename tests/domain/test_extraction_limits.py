"""extract's cost grows linearly with its text (counted, not timed), and the caller can stop it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import extraction
from app.domain.errors import Cancelled, DomainError, TooManyFigures
from app.domain.extraction import MAX_FIGURES, extract
from tests.domain.extraction_cost import SEED, SHAPES, counter

# Per shape, the smaller size: big enough for a rescan per word, number or cue to show (before
# the fix these measured x2.3 to x4.5 at 0.6 times these sizes), small enough to run in about a
# second under tracing. A regex backtracking inside one C call ("unclosed quotes", "dots") is
# not counted: those shapes only check that nothing else grows.
SIZES = dict.fromkeys(SHAPES, 1000) | {
    "numbers beside metric words": 300,
    "percentages beside metric words": 500,
    "said": 2000,
    "ones": 2000,
    "capitalised names in one sentence": 2000,
    "unclosed quotes": 2000,
    "dots": 4000,
    "adjuncts": 2000,
    "article": 2000,
}
LINEAR = 2.3  # doubling the text may at most about double the work (n log n passes)


@pytest.fixture(scope="module")
def work() -> Callable[[str], int]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield counter(monkeypatch)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_extract_work_grows_linearly_with_the_text(shape: str, work: Callable[[str], int]) -> None:
    n = SIZES[shape]
    small, large = SHAPES[shape](n), SHAPES[shape](2 * n)
    assert len(large) >= 1.8 * len(small)
    ratio = work(large) / work(small)
    assert ratio <= LINEAR, f"{shape}: doubling the text multiplied the work by {ratio:.2f}"


def _stop_after(k: int) -> tuple[Callable[[], bool], list[int]]:
    calls = [0]

    def should_stop() -> bool:
        calls[0] += 1
        return calls[0] > k

    return should_stop, calls


def test_should_stop_is_asked_as_the_work_goes_and_stops_it_early() -> None:
    text = "Police said 12 people were killed. " * 400
    never, asked = _stop_after(10**9)
    extract(text, should_stop=never)
    assert asked[0] > 20  # asked per sentence with a verb and per _CHECK_EVERY numbers
    stop, calls = _stop_after(5)
    with pytest.raises(Cancelled):
        extract(text, should_stop=stop)
    assert calls[0] == 6  # stopped at the first True: nothing more was asked


def test_should_stop_that_never_fires_changes_nothing() -> None:
    assert extract(SEED, should_stop=lambda: False) == extract(SEED)


def test_cancelled_and_too_many_are_domain_errors() -> None:
    assert issubclass(Cancelled, DomainError) and issubclass(TooManyFigures, DomainError)


def test_a_text_with_more_figures_than_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extraction, "MAX_FIGURES", 20)
    assert len(extract("Police said 12 people were killed. " * 20).figures) == 1  # restated: one proposal
    with pytest.raises(TooManyFigures, match="more than 20 figures") as info:
        extract(" ".join(f"Police said {n} people were killed." for n in range(2, 40)))
    assert info.value.limit == 20
    assert MAX_FIGURES >= 1000


_LEX = extraction._lexicon()
_PIECES = [*list(_LEX.modalities)[:40], *list(_LEX.metrics)[:40], "death", "toll", "x", "-", "(", ",", "the", "s"]


@given(
    pieces=st.lists(
        st.tuples(st.sampled_from(_PIECES), st.sampled_from([" ", "  ", "\n", "", "-", " \t "])), max_size=30
    ),
    bounds=st.tuples(st.integers(0, 400), st.integers(0, 400)),
    which=st.sampled_from(["modality", "metric"]),
)
def test_scan_finds_what_a_scan_of_the_window_finds(
    pieces: list[tuple[str, str]], bounds: tuple[int, int], which: str
) -> None:
    """Matches found once over the text answer any window as ``finditer(text, lo, hi)`` would."""
    text = "".join(word + gap for word, gap in pieces)
    pattern, table = (_LEX.modality_re, _LEX.modalities) if which == "modality" else (_LEX.metric_re, _LEX.metrics)
    scan = extraction._Scan(pattern, text, max(len(p.split()) for p in table))
    lo, hi = min(bounds), min(max(bounds), len(text))
    assert [m.span() for m in scan.found(lo, hi)] == [m.span() for m in pattern.finditer(text, lo, hi)]
