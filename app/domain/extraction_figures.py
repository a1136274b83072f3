"""Rules 4 to 6 of ``app.domain.extraction``: which numbers are figures (``_Scan`` finds every
number once; ``_not_a_count`` sets aside years, ages, money, names ...), and how a figure is
read: its phrase through ``wording.read``, its metric word, its counted noun (scope) and its
modality cues."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.domain.errors import DomainError
from app.domain.extraction_lexicon import _entry, _Lexicon, _norm
from app.domain.extraction_patterns import (
    _ADDITIVES,
    _ANAPHOR_RE,
    _AND_A_HALF_RE,
    _ASIDE,
    _BODY_NOUNS,
    _BODY_PART_AFTER_RE,
    _BOUNDARY_RE,
    _BREAKDOWN_MARK_RE,
    _CAP_BEFORE_RE,
    _CAPACITY_BEFORE_RE,
    _CHANGES,
    _CLAUSE_PUNCT_RE,
    _CLOSE_QUOTES,
    _COORD_RE,
    _DETERMINERS,
    _GENERIC_HEADS,
    _HEDGE_BEFORE_RE,
    _HEDGE_WORDS,
    _IDENTITY_RE,
    _JOINERS_RE,
    _LIST_NUMBER_RE,
    _MODALITY_ORDER,
    _MODIFIED_RE,
    _NOT_COUNT_AFTER_RE,
    _NOT_COUNT_BEFORE_MORE_RE,
    _NOT_COUNT_BEFORE_RE,
    _NOT_COUNT_LAST_WORDS,
    _NOT_NAMES,
    _NOT_PEOPLE_AFTER_RE,
    _NOT_PEOPLE_KEYS_RE,
    _NOT_PEOPLE_REACH,
    _NUMBER_OF_RE,
    _OF_THEM_RE,
    _ON_BOARD_AFTER_RE,
    _ONE_AFTER_RE,
    _ONE_BEFORE_RE,
    _OPEN_QUOTES,
    _OR_MORE_AFTER_RE,
    _PAST_COUNT_RE,
    _PAST_TIME_RE,
    _PEOPLE_AFTER_RE,
    _PREFIX_WORD_RE,
    _PREPOSITION_RE,
    _RATIO_BASE_BEFORE_RE,
    _RATIO_BASES,
    _RATIO_ONE_AFTER_RE,
    _RESTATED,
    _SCALE_WORDS,
    _SCOPE_STOP,
    _SHARE_OF_RE,
    _THE_BEFORE_RE,
    _THRESHOLD_BEFORE_RE,
    _TOLL_VERB_RE,
    _VAGUE_PART_RE,
    _VERB_OF_NEXT_RE,
    _WARNED_BEFORE_RE,
    _WEAK,
    _WORD_RE,
    _YEAR_RE,
)
from app.domain.extraction_records import (
    _Cue,
    _Fig,
    _Metric,
    _Sentence,
)
from app.domain.extraction_sources import (
    _PUNCT,
)
from app.domain.intervals import Bound
from app.domain.vocab import Modality, SourceKind
from app.domain.wording import ADDITIVE_MARKERS, HEDGES, Reading, read

if TYPE_CHECKING:  # the extractor drives this pass; only its type is needed here
    from app.domain.extraction import _Extractor


# --------------------------------------------------------------------------- matches found once


class _Scan:
    """The matches of a phrase pattern (``_phrases_re``) over the whole text, found once, and
    what ``pattern.finditer(text, lo, hi)`` finds in a window, by bisection instead of a rescan.

    A scan from ``lo`` sees the text before ``lo`` (``\\b`` looks back) but not from ``hi`` on (the
    end of the window ends a phrase). So the two differ only where a match of the whole text runs
    across ``lo``, and in the last ``words`` words before ``hi`` (a phrase has at most ``words``
    words): those stretches are scanned again with the window's bounds, the rest is looked up.
    (Exact unless a phrase holds more than ``_EDGE`` characters, spaces included.)
    """

    _EDGE = 400

    def __init__(self, pattern: re.Pattern[str], text: str, words: int) -> None:
        self.pattern, self.text, self.words = pattern, text, words
        self.matches = list(pattern.finditer(text))
        self.starts = [m.start() for m in self.matches]
        self.ends = [m.end() for m in self.matches]

    def within(self, lo: int, hi: int) -> tuple[list[re.Match[str]], range, list[re.Match[str]]]:
        """The window's matches: those found again at its start, a range of ``self.matches``,
        and those found again at its end, in this order."""
        text, pattern, head = self.text, self.pattern, []
        pos = lo
        i = bisect.bisect_left(self.starts, pos)
        while i > 0 and self.ends[i - 1] > pos and pos < hi:  # pos inside a match begun before it
            m = pattern.match(text, pos, hi)
            if m is not None:
                head.append(m)
                pos = m.end()
            else:
                pos += 1
            i = bisect.bisect_left(self.starts, pos)
        edge = self._edge(max(pos, hi - self._EDGE), hi)  # a match starting from here may meet hi
        j = max(bisect.bisect_left(self.starts, edge), i)
        resume = max(pos, edge, self.ends[j - 1] if j > i else pos)
        return head, range(i, j), list(pattern.finditer(text, resume, hi)) if resume < hi else []

    def _edge(self, floor: int, hi: int) -> int:
        """The start of the ``words``-th last word before ``hi`` (not before ``floor``)."""
        text, j = self.text, hi
        for _ in range(self.words):
            while j > floor and text[j - 1].isspace():
                j -= 1
            while j > floor and not text[j - 1].isspace():
                j -= 1
        return j

    def found(self, lo: int, hi: int) -> list[re.Match[str]]:
        """What ``pattern.finditer(text, lo, hi)`` finds (for tests and small windows)."""
        head, middle, tail = self.within(lo, hi)
        return [*head, *(self.matches[k] for k in middle), *tail]


class _Starts:
    """The spans of a pattern's matches over the whole text: does one touch a window?"""

    def __init__(self, pattern: re.Pattern[str], text: str) -> None:
        spans = [m.span() for m in pattern.finditer(text)]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]  # in order too: the matches do not overlap

    def touches(self, a: int, b: int) -> bool:
        i = bisect.bisect_right(self.ends, a)  # the first match ending after a
        return i < len(self.starts) and self.starts[i] < b


def _not_a_count(text: str, low: str, tok: re.Match[str], sent: _Sentence, lex: _Lexicon) -> bool:
    """Years, dates, ages, times, "one of", numbers in names: not counts, whatever follows."""
    s, e, word = tok.start(), tok.end(), tok.group()
    if _NOT_COUNT_AFTER_RE.match(low, e) or _NOT_COUNT_BEFORE_RE.search(low, max(0, s - 32), s):
        return True  # "34-year-old", "aged 34", "5 p.m.", "15 February", "Feb. 15"
    if text.startswith(" May", e):
        return True  # "15 May"
    if s > 0 and text[s - 1] == "[" and text.startswith("]", e):
        return True  # a citation marker: "[176]"
    if (s == 0 or text[s - 1] == "\n") and _LIST_NUMBER_RE.match(text, e):
        return True  # a list's item number: "8.According to the police, ..."
    if _SHARE_OF_RE.search(low, max(0, s - 40), s):
        return True  # "eight of the 166 people on board": the whole a share is taken from
    if _ON_BOARD_AFTER_RE.match(low, e) and _CAPACITY_BEFORE_RE.search(low, max(0, s - 40), s):
        return True  # "had about 140 people on board": how many were on board, not a casualty count
    if _rate_or_measure(low, s, e, word):
        return True
    last = low[max(0, s - 16) : s].rsplit(None, 1)[-1:]
    if last and last[0] in _NOT_COUNT_LAST_WORDS and _NOT_COUNT_BEFORE_MORE_RE.search(low, max(0, s - 40), s):
        return True  # "aged from four to 10", "1 in every 77", "deployed 500", "voted 278 to 0", "arrested by 12"
    if _NOT_PEOPLE_KEYS_RE.search(low, e, e + _NOT_PEOPLE_REACH) and _NOT_PEOPLE_AFTER_RE.match(low, e):
        return True  # "Millions Without Power", "500 officers were deployed", "1,200 people live in the village"
    if not word[0].isdigit():
        if word in ("several", "few") and _VAGUE_PART_RE.match(low, e):
            return True
        return word == "one" and bool(_ONE_AFTER_RE.match(low, e) or _ONE_BEFORE_RE.search(low, max(0, s - 8), s))
    if (
        _YEAR_RE.fullmatch(word)
        and not _HEDGE_BEFORE_RE.search(low, max(0, s - 24), s)
        and not _PEOPLE_AFTER_RE.match(low, e)
    ):
        return True
    if text[max(0, s - 2) : s] == ", " and text[e : e + 1] == "," and word.isdigit() and _below(word, 120):
        return s >= 3 and text[s - 3].isalpha()  # "the suspect, 34, was arrested"
    return not sent.headline and _in_name(text, s, sent, lex)


def _rate_or_measure(low: str, s: int, e: int, word: str) -> bool:
    """A measure with a half ("two and a half miles"), a side of a ratio ("1 in 167", "seven out of
    10 cases") or a threshold ("resulted in 5 or more fatalities"): not a count of people."""
    if word not in _SCALE_WORDS and _AND_A_HALF_RE.match(low, e):
        return True  # "two and one-half miles": a measure
    if word in ("1", "one") and _RATIO_ONE_AFTER_RE.match(low, e):
        return True
    if word in _RATIO_BASES and _RATIO_BASE_BEFORE_RE.search(low, max(0, s - 24), s):
        return True
    return bool(_OR_MORE_AFTER_RE.match(low, e) and _THRESHOLD_BEFORE_RE.search(low, max(0, s - 16), s))


def _below(digits: str, n: int) -> bool:
    """``int(digits) < n`` without converting thousands of digits (int() refuses more than 4,300)."""
    significant = digits.lstrip("0") or "0"
    return len(significant) <= len(str(n)) and int(significant) < n


def _in_name(text: str, s: int, sent: _Sentence, lex: _Lexicon) -> bool:
    """A number right after a capitalised word that is not a hedge or a determiner: "Flight 17"."""
    m = _CAP_BEFORE_RE.search(text, max(sent.start, s - 24), s)
    if m is None:
        return False
    low = m.group(1).lower()
    known = low in HEDGES or low in ADDITIVE_MARKERS or low in lex.outlets or low in lex.places
    if m.start(1) == sent.start and low.endswith("ly"):
        return False  # "Currently 78 people are in hospital": a sentence's adverb, not a name
    return not known and low not in _NOT_NAMES


# --------------------------------------------------------------------------- reading a figure


@dataclass(slots=True)
class _Phrase:
    start: int
    end: int
    reading: Reading
    counted_at: int  # where the counted words begin (== end when there are none)

    @staticmethod
    def find(ex: _Extractor, tok: re.Match[str], sent: _Sentence, consumed: int) -> _Phrase | None:
        """Read the phrase around a number token: hedge and additive before it, counted words after."""
        lo = max(sent.start, consumed, tok.start() - _LOOKBACK)
        start = _prefix_start(ex.low, lo, tok.start(), tok.group()[0].isalpha())
        if start is None:
            return None
        if ex.low.startswith("about ", start) and _KNOW_ABOUT_RE.search(ex.low, max(lo, start - 12), start):
            start = tok.start()  # "we know about 5 wounded": a preposition, not a hedge
        if ex.low.startswith("up to ", start) and _REACHED_RE.search(ex.low, max(lo, start - 8), start):
            start = tok.start()  # "the list was up to 1,276": the value reached, not a ceiling
        limit = min(sent.end, tok.end() + _WINDOW)
        for begin in dict.fromkeys((start, tok.start())):
            for end in (limit, tok.end()):  # then the number alone: "12 and 30 were hurt"
                try:
                    reading = read(ex.text[begin:end], tolerance=ex.tolerance)
                except DomainError:
                    continue
                return _Phrase._make(ex, begin, end, tok, reading)
        return None

    @staticmethod
    def _make(ex: _Extractor, start: int, limit: int, tok: re.Match[str], reading: Reading) -> _Phrase | None:
        text = ex.text
        if reading.unit is not None:
            return None  # money, percent, tonnes: not a count
        counted_at = text.find(reading.counted, tok.end(), limit) if reading.counted else limit
        if counted_at < 0:
            return None
        end = _phrase_end(text, tok.end(), counted_at)
        first = reading.counted.split(maxsplit=1)[0].lower().strip(_PUNCT) if reading.counted else ""
        if end <= tok.start() or first in ex.lex.not_counted or _counts_things(reading.counted, ex.lex):
            return None
        if end < len(text) and text[end] == ")" and text.count("(", start, end) > text.count(")", start, end):
            end += 1  # "2,975 (2,658-3,290)": the estimate's interval is part of the figure
        if text[start] in _OPEN_QUOTES:
            if end < len(text) and text[end] in _CLOSE_QUOTES:
                end += 1
            else:
                start += 1
        while text[start].isspace():
            start += 1
        return _Phrase(start, end, reading, max(counted_at, end))


def _counts_things(counted: str, lex: _Lexicon) -> bool:
    """Whether the counted noun phrase names things or groups, or a rate: "two school buildings", "four per yard"."""
    words = [raw.strip(_PUNCT + ".").lower() for raw in counted.split(maxsplit=_HEAD_WORDS + 1)[: _HEAD_WORDS + 1]]
    for i, w in enumerate(words[:_HEAD_WORDS]):
        if w in lex.things or w == "per":
            return True
        if w in _SCOPE_STOP or counted.split()[i].endswith((",", ";", ":", ".")):
            return False
        if i and (w in lex.verbs or lex.metrics.get(w, ("", "weak"))[1] not in _WEAK):
            return False  # "6,000 people flee attacks": the noun after the verb is not what is counted
    return False


_HEAD_WORDS = 4  # counted words read for the noun they count: "two major school buildings"
_WINDOW = 200  # characters read after a number: its counted words are near it
_LOOKBACK = 48  # characters before a number where its hedge and additive words may start
# The metric windows of _FigureReader._metric, from the number: 80 + 48 before, 120 + 200 after.
_NEAR_LEFT = 80 + _LOOKBACK
_NEAR_RIGHT = 120 + _WINDOW


def _prefix_start(low: str, lo: int, s: int, word_token: bool) -> int | None:
    """Where a figure's words start: an additive, a hedge, "between", "a" and a quote before ``s``.

    None for the old value of a change ("rose from 30 to 45", "up from 30"): not a claim.
    """
    start = s - 1 if s > lo and low[s - 1] in _OPEN_QUOTES else s
    before = low[max(lo, start - _LAST_WORD_CHARS) : start].rsplit(None, 1)  # "approximately 500"
    if not before or before[-1].lstrip("“”‘’\"'([") not in _LAST_WORDS:
        return start  # most numbers: "said 40", "killed 12"
    words = [w for w in _PREFIX_WORD_RE.finditer(low, lo, start) if w.start() > lo or lo == 0 or low[lo - 1].isspace()]
    said = [w.group() for w in words]
    k = len(said)

    def take(options: frozenset[str], most: int) -> int:
        if not k or said[k - 1] not in _LAST_WORDS:
            return 0
        for n in range(min(most, k), 0, -1):
            if " ".join(said[k - n : k]) in options:
                return n
        return 0

    if word_token:
        k -= take(_ARTICLES, 1)
        k -= take(_VAGUE_LEADS, 3)  # "in the low hundreds"
    marker = take(_MARKERS, 1)
    if marker and said[k - 1] == "from" and _CHANGES.intersection(said[max(0, k - 5) : k - 1]):
        return None  # the old value: "rose from 30 to 45", "raised the toll from 64 to 2,975"
    k -= marker
    k -= take(_ANYWHERE, 1) if marker else 0
    k -= take(_HEDGE_WORDS, 4)
    k -= take(_ADDITIVES, 2)
    return words[k].start() if k < len(words) else start


_KNOW_ABOUT_RE = re.compile(r"\b(?:know|knew|known|heard|hear|talk|talked|spoke|speak|learned|learnt)\s+$")
_REACHED_RE = re.compile(r"\b(?:is|was|now)\s+$")
_ARTICLES = frozenset({"a", "an", "one"})
_MARKERS = frozenset({"between", "from"})
_ANYWHERE = frozenset({"anywhere"})  # "anywhere from 100-300"
_VAGUE_LEADS = frozenset({"in the", "in the low", "in the high", "the low", "the high", "low", "high"})
_LAST_WORDS = frozenset(
    p.split()[-1] for p in _HEDGE_WORDS | _ADDITIVES | _ARTICLES | _MARKERS | _VAGUE_LEADS | _ANYWHERE
)
_LAST_WORD_CHARS = max(map(len, _LAST_WORDS)) + 2


def _phrase_end(text: str, floor: int, counted_at: int) -> int:
    """Walk back from the counted words over what the reader skips: spaces, quotes, "of", commas."""
    end = counted_at
    while end > floor and text[end - 1].isspace():
        end -= 1
    if end - 2 >= floor and text[end - 2 : end].lower() == "of" and (end - 3 < 0 or not text[end - 3].isalnum()):
        end -= 2
    while end > floor and text[end - 1] in " \t'\"‘’“”),;:—–-.":
        end -= 1
    return end


class _FigureReader:
    """Metric, scope, claimant, modality and date of one phrase."""

    def __init__(self, ex: _Extractor, phrase: _Phrase, sent: _Sentence, last: _Fig | None) -> None:
        self.ex, self.phrase, self.sent, self.last = ex, phrase, sent, last
        self.prev = last if last is not None and last.sentence is sent else None  # same sentence only
        self.text = ex.text
        self.left_from = sent.start  # where the metric search on the left starts
        self.shares_metric = False  # the metric came from the figure before it in its sentence

    def read(self) -> _Fig | None:
        p = self.phrase
        if p.reading.bound is Bound.relative and (
            _PAST_COUNT_RE.match(p.reading.counted) or _PAST_TIME_RE.match(p.reading.counted)
        ):
            return None  # "double the number of deaths reported in 2014": compared with a count not given
        metric = self._metric()
        if metric is None:
            return None
        self.shares_metric = metric.how == "inherited" and self.prev is not None
        scope = self._scope()
        claimant, relays, cue, how = self._attribution()
        region = cue.region if cue is not None else (self.sent.start, self.sent.end)
        lo = min(region[0], cue.anchor) if cue is not None else region[0]
        modality, modal_words = self._modality(lo, region[1], claimant, relays)
        cues = ["headline"] if self.sent.headline else []
        cues += ([cue.words] if cue is not None else []) + [metric.words] + modal_words
        quoted = self.ex.in_quote(p.start)
        stated_at = cue.date if cue is not None and cue.date else self.ex.published_at
        return _Fig(
            p.start, p.end, self.text[p.start : p.end], p.reading, metric, scope, bool(scope), self.sent,
            claimant, relays, modality, stated_at, cues, how, quoted, low=p.reading.low, high=p.reading.high,
        )  # fmt: skip

    # ---------------------------------------------------------------- metric

    def _metric(self) -> _Metric | None:
        """The metric word nearest the phrase in its clause (see rule 5 of the module docstring)."""
        p, sent, low = self.phrase, self.sent, self.ex.low
        lo = sent.start if self.prev is None else max(self.prev.end, self.prev.metric.end)
        for b in _BOUNDARY_RE.finditer(low, max(lo, p.start - 80), p.start):
            if low[b.end() : p.start].strip():  # "the most deaths (3,587)", "the toll -- 23 --": one phrase
                lo = b.end()
        stop = _BOUNDARY_RE.search(low, p.end, min(sent.end, p.end + 120))
        hi = stop.start() if stop else min(sent.end, p.end + 120)
        i = bisect.bisect_left(self.ex.token_starts, p.end)
        nxt = self.ex.token_starts[i] if i < len(self.ex.token_starts) else hi
        self.left_from = lo
        found = self.ex.metric_words.found
        left = [m for m in found(max(lo, p.start - 70), p.start) if self._usable(m)]
        right = [m for m in found(p.end, hi) if self._usable(m)]
        if not any(m.start() <= p.end + 1 for m in right):  # "the death toll rose to 1,694 and the cases ..."
            toll = self._subject_metric(lo)
            if toll is not None:
                return toll
        return self._choose(left, right, nxt) or self._across_aside(stop) or self._subject_metric(lo)

    def _across_aside(self, stop: re.Match[str] | None) -> _Metric | None:
        """ "At least 18 people -- among them seven women -- were killed": the verb after the aside."""
        low, sent = self.ex.low, self.sent
        if stop is None or stop.group().strip() not in ("(", "—", "–", "-", "--"):
            return None
        closer = ")" if stop.group() == "(" else stop.group()
        close = low.find(closer, stop.end(), min(sent.end, stop.end() + _ASIDE))
        if close < 0:
            return None
        after = self.ex.metric_words.found(close + 1, min(sent.end, close + 40))
        strong = [m for m in after if self._usable(m) and _entry(self.ex.lex.metrics, m)[1] not in _WEAK]
        return (
            self._metric_of(strong[0], _words_between(self.text, self.phrase.end, strong[0].start()), "far")
            if strong
            else None
        )

    def _subject_metric(self, lo: int) -> _Metric | None:
        """ "The number of civilians killed in ... has risen to 6": the toll named at the clause start."""
        p = self.phrase
        if not _TOLL_VERB_RE.search(self.ex.low, max(lo, p.start - 24), p.start):
            return None
        lo = max(lo, p.start - _ASIDE)
        for named in _NUMBER_OF_RE.finditer(self.ex.low, lo, p.start):
            lo = named.end()  # "the number of girls living in the hostel was 80": that number's own words
        words = self.ex.metric_words.found(lo, p.start)
        strong = [m for m in words if self._usable(m) and _entry(self.ex.lex.metrics, m)[1] not in _WEAK]
        return (
            self._metric_of(strong[0], _words_between(self.text, strong[0].end(), p.start), "far") if strong else None
        )

    def _usable(self, m: re.Match[str]) -> bool:
        if self.text[m.start()].isupper() and not self.sent.headline and m.start() != self.sent.start:
            return False  # "in March", "the Dead Sea": a capital mid-sentence is a name
        if _MODIFIED_RE.match(self.ex.low, m.end()):
            return False  # "500 rescue workers", "30 casualty teams": the word names who they are, not what befell them
        if _WARNED_BEFORE_RE.search(self.ex.low, max(0, m.start() - 30), m.start()):
            return False  # "375,000 people warned to evacuate": told to, not done
        name, strength = _entry(self.ex.lex.metrics, m)
        if name == "infected" and strength in _WEAK and self.ex.affected_not_infected:
            return False  # "20,000 people affected by the floods": affected, not infected
        if strength != "equipment":
            return True
        if _BODY_PART_AFTER_RE.match(self.ex.low, m.end()):
            return False  # "One protester lost four fingers": an injury, not a death
        # "destroyed 12 tanks", not "destroyed 12 homes"; "lost 12 tanks", and "lost 500 soldiers" (killed)
        return self._counts_equipment() or _norm(m.group()) in self.ex.lex.people_metric

    def _counts_equipment(self) -> bool:
        counted = {w.strip(_PUNCT + ".").lower() for w in self.phrase.reading.counted.split()[:5]}
        return bool(counted & self.ex.lex.equipment)

    def _choose(self, left: list[re.Match[str]], right: list[re.Match[str]], nxt: int) -> _Metric | None:
        p, text, metrics = self.phrase, self.text, self.ex.lex.metrics
        strong_left = [m for m in left if _entry(metrics, m)[1] not in _WEAK]
        strong_right = [m for m in right if _entry(metrics, m)[1] not in _WEAK and not self._verb_of_next(m)]
        near_right = [m for m in strong_right if m.start() < nxt]
        best: tuple[int, re.Match[str]] | None = None
        if strong_left:
            best = (_words_between(text, strong_left[-1].end(), p.start), strong_left[-1])
        if near_right:
            d = _words_between(text, p.end, near_right[0].start())
            bodies = d == 0 and near_right[0].group() in _BODY_NOUNS  # "pulled out 12 bodies": the dead
            if best is None or d < best[0] or (bodies and d == best[0]):
                best = (d, near_right[0])
        if best is not None:
            return self._metric_of(best[1], best[0], "strong")
        if self.prev is not None and self._coordinated():
            shared = self.prev.metric
            return _Metric(shared.name, shared.words, shared.end, 0, "inherited")
        anaphor = _ANAPHOR_RE.search(self.ex.low, max(self.left_from, p.start - 50), p.start)
        if anaphor is not None and self.last is not None:  # "put the number at 1,000"
            return _Metric(self.last.metric.name, anaphor.group(), 0, 1, "inherited")
        if strong_right:
            return self._metric_of(strong_right[0], _words_between(text, p.end, strong_right[0].start()), "far")
        weak = [(_words_between(text, m.end(), p.start), m) for m in left if m not in strong_left]
        weak += [(_words_between(text, p.end, m.start()), m) for m in right if _entry(metrics, m)[1] in _WEAK]
        if weak:
            d, m = min(weak, key=lambda dm: dm[0])
            return self._metric_of(m, d, "weak")
        if self.prev is not None and not p.reading.counted.strip(" .,;:"):
            shared = self.prev.metric  # a bare number set against the one before: "..., while police counted 65,000"
            return _Metric(shared.name, shared.words, shared.end, 0, "inherited")
        if self.prev is None and self.last is not None and self._continues_last():
            shared = self.last.metric  # "Of those, nine were women": the breakdown of the last figure
            return _Metric(shared.name, shared.words, 0, 0, "inherited")
        return self._restated()

    def _verb_of_next(self, m: re.Match[str]) -> bool:
        """Whether a metric word right before a count is that count's: "affected 300,000 people and
        killed 12", "Three soldiers killed 12 militants" (not "trapped 260 feet below ground")."""
        after = _VERB_OF_NEXT_RE.match(self.ex.low, m.end())
        return after is not None and after.group("next") not in self.ex.lex.not_counted

    def _restated(self) -> _Metric | None:
        """ "rescued 367 migrants ... The 367, including 342 men, reached Palermo": "the" and a bare
        number restate an earlier figure of that value (among the last _RESTATED read)."""
        p = self.phrase
        if p.reading.counted and self.text[p.end : p.end + 1] not in (",", ";", "."):
            return None  # "the 367 migrants" names its own noun: not a bare restatement
        if not _THE_BEFORE_RE.search(self.ex.low, max(0, p.start - 5), p.start):
            return None
        same = (f for f in reversed(self.ex.figs[-_RESTATED:]) if (f.low, f.high) == (p.reading.low, p.reading.high))
        earlier = next(same, None)
        return None if earlier is None else _Metric(earlier.metric.name, earlier.metric.words, 0, 0, "inherited")

    def _continues_last(self) -> bool:
        return self.ex.breaks_down(self.sent, [self.last] if self.last is not None else [])

    def _metric_of(self, m: re.Match[str], distance: int, how: str) -> _Metric:
        name, strength = _entry(self.ex.lex.metrics, m)
        if strength == "equipment" and not self._counts_equipment():
            name = self.ex.lex.people_metric[_norm(m.group())]
        end = m.end() if m.start() >= self.phrase.end else 0
        return _Metric(name, self.text[m.start() : m.end()], end, distance, how)

    def _coordinated(self) -> bool:
        """ "killed 25 civilians, including seven children": the second shares the first's metric."""
        assert self.prev is not None
        a, b = self.prev.end, self.phrase.start
        if self.prev.metric.end < b:  # the previous figure's metric word, when it stands between the two
            a = max(a, self.prev.metric.end)
        gap = _JOINERS_RE.sub(" ", self.ex.low[a:b])  # "in addition to", "along with": joiners, not places
        if b - a <= 80 and _OF_THEM_RE.match(self.ex.low, self.phrase.end):
            return True  # "...were killed; 12 of them were women": a part of the figure before
        # "injured in the protests, including nine men", "28 deaths in 24 hours -- 21 from X": the
        # place before the breakdown marker is the whole's
        marks = [m.end() for m in _BREAKDOWN_MARK_RE.finditer(gap)]
        prep = _PREPOSITION_RE.search(gap, marks[-1] if marks else 0)
        if prep is not None and prep.group() == "at" and not gap[prep.end() :].strip():
            prep = None  # "Rajasthan at 71, Delhi at 64": a place's count in a list
        if b - a > 60 or (prep is not None and not self._parallel(prep.group())):
            return False
        if prep is None and ";" in gap:
            return False  # a semicolon joins counts of a list of places ("69 in X; 38 in Y"), not clauses
        return _COORD_RE.fullmatch(self.text, a, b) is not None

    def _parallel(self, prep: str) -> bool:
        """ "five deaths in Yangon and two in Mandalay" (also "two each from X"): the second figure
        repeats the first's preposition."""
        counted = self.phrase.reading.counted.split(maxsplit=3)
        if counted and counted[0].lower() in _COPULAS:  # "91 were in Suzu, 81 were in Wajima"
            counted = counted[1:]
        if counted and counted[0].lower() == "each":
            counted = counted[1:]
        return bool(counted) and counted[0].lower() == prep

    # ---------------------------------------------------------------- scope

    def _scope(self) -> str:
        p, text = self.phrase, self.text
        if not p.reading.counted or _CLAUSE_PUNCT_RE.search(text, p.end, p.counted_at):
            return ""
        scope = self._noun_phrase(p.reading.counted)
        if scope.lower() in _GENERIC_HEADS:
            ident = _IDENTITY_RE.match(p.reading.counted, len(p.reading.counted.split(",")[0]))
            if ident is not None:
                scope = self._noun_phrase(ident.group(1)) or scope
        return _headline_case(scope, self.ex.lex) if self.sent.headline else scope

    def _noun_phrase(self, counted: str) -> str:
        """The counted noun with its modifiers: words up to a verb, a function word or a comma."""
        lex = self.ex.lex
        words: list[str] = []
        for raw in counted.split(",")[0].split():
            w = raw.strip(_PUNCT)
            low = w.lower()
            if not w or (not words and low in _DETERMINERS):
                continue
            if low in _SCOPE_STOP or low in lex.verbs or lex.metrics.get(low, ("", "weak"))[1] != "weak":
                break
            words.append(w.rstrip("."))
            if raw.endswith((".", ";", ":")) or len(words) == 5:
                break
        return " ".join(words)

    # ---------------------------------------------------------------- claimant, relays, modality

    def _attribution(self) -> tuple[int, list[int], _Cue | None, str]:
        pos = self.phrase.start
        covering = self.ex.covering(self.sent.index, pos)
        quote = self.ex.quote_at(pos)
        if not covering and quote is None:
            return self._unattributed()
        covering.sort(key=lambda c: (c.region[1] - c.region[0], -c.anchor))  # innermost; a tie: the later cue
        if quote is not None:  # a direct quote is its speaker's claim, whoever the speaker cites inside it,
            # but an outlet quoting "according to X" relays X: 'Al Jazeera reported, "According to medics, 40 ..."'
            covering.insert(1 if self._relayed_according(quote, covering) else 0, quote)
        inner = covering[0]
        relays: list[int] = []
        for sid in [inner.relay, self.ex.book.get(inner.speaker).relay] + [
            x for c in covering[1:] for x in (c.speaker, c.relay)
        ]:
            if sid is not None and sid != inner.speaker and sid not in relays:
                relays.append(sid)
        how = "quote" if inner.kind == "quote" else "cue"
        return inner.speaker, relays, inner, how

    def _relayed_according(self, quote: _Cue, covering: list[_Cue]) -> bool:
        """Whether an outlet's quote holds an "according to" cue as the innermost cue of the figure."""
        if not covering or self.ex.book.get(quote.speaker).kind is not SourceKind.outlet:
            return False
        inner = covering[0]
        return inner.kind == "according" and quote.region[0] <= inner.anchor < quote.region[1]

    def _unattributed(self) -> tuple[int, list[int], _Cue | None, str]:
        """The publisher's, unless a relative or additive figure continues the one before it."""
        r, last = self.phrase.reading, self.last
        # "..., the ministry said; 12 of them were children": a breakdown is its whole's claimant's
        continues = r.bound is Bound.relative or _is_additive(r) or self._continues_last() or self.shares_metric
        if not self.sent.headline and continues and last is not None:
            return last.claimant, list(last.relays), None, "inherited"
        return self.ex.book.publisher_id(), [], None, "publisher"

    def _modality(self, lo: int, hi: int, claimant: int, relays: list[int]) -> tuple[Modality, list[str]]:
        """The strongest modality cue in [lo, hi) and the first _MODAL_WORDS cue words there."""
        found = self.ex.modalities
        head, middle, tail = found.scan.within(lo, hi)
        edges = [*head, *tail]
        present = {found.of(m) for m in edges}
        for modality in _MODALITY_ORDER:
            if modality in present or found.any_in(modality, middle):
                words = [*head, *(found.scan.matches[k] for k in middle[:_MODAL_WORDS]), *tail][:_MODAL_WORDS]
                return modality, [self.text[m.start() : m.end()] for m in words]
        src = self.ex.book.get(claimant)
        if relays or (src.kind is SourceKind.outlet and claimant != self.ex.book.publisher):
            return Modality.reported, []
        return Modality.asserted, []


_MODAL_WORDS = 6  # modality cue words listed in a figure's cues: a sentence may hold thousands


class _Modalities:
    """The modality cues of the text, found once, and which modality each is (``_modality``)."""

    def __init__(self, lex: _Lexicon, low: str) -> None:
        self.lex = lex
        self.scan = _Scan(lex.modality_re, low, max(len(p.split()) for p in lex.modalities))
        self.where: dict[Modality, list[int]] = {}  # modality -> indices in scan.matches, in order
        for k, m in enumerate(self.scan.matches):
            self.where.setdefault(self.of(m), []).append(k)

    def of(self, m: re.Match[str]) -> Modality:
        return _entry(self.lex.modalities, m)

    def any_in(self, modality: Modality, middle: range) -> bool:
        at = self.where.get(modality, [])
        k = bisect.bisect_left(at, middle.start)
        return k < len(at) and at[k] < middle.stop


def _is_additive(reading: Reading) -> bool:
    return "adds to an earlier figure" in reading.explanation


_COPULAS = frozenset({"were", "was", "are", "is"})


def _words_between(text: str, a: int, b: int) -> int:
    return len(_WORD_RE.findall(text, a, b)) if b > a else 0


def _headline_case(scope: str, lex: _Lexicon) -> str:
    """Title case of a headline undone: "Russian Fighters" -> "Russian fighters"."""
    out = []
    for w in scope.split():
        keep = w.isupper() or w.lower() in lex.places or w.lower() in lex.outlets
        out.append(w if keep else w.lower())
    return " ".join(out)
