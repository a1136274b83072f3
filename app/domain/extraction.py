"""Propose figures and their sources from an article's text, by rules (no model, no download).

``extract(text)`` returns ``ProposedFigure``s -- a span of ``text`` read through
``app.domain.wording.read`` (the one reader of figure words), with its metric, scope, claimant,
relays, modality and stated date -- and the ``ProposedSource``s they name by key. They are
proposals: a person reviews them before they become claims. The word lists are plain data files
in ``app.domain.data`` (tab-separated, ``#`` comments) that a user can extend.

Rules, in the order they apply:

1. Layout. Lines are paragraphs; a sentence ends at ``. ! ?`` (and citation markers after it,
   "figure.[2][3] The") before a capital, not after an abbreviation ("U.S.", "Feb.", an initial).
   The headline is ``title`` where the text holds it,
   else the first line when it is short and has no final period (nor one ending a sentence inside
   it). A speech quote is “...” or "..." of three words or more; a paragraph opening on a quote
   mark with no closer is a quote (press style closes only a long quote's last paragraph), spoken
   by the last cue of the paragraph before it (ending in a colon or not).
2. Sources (``attribution_verbs.tsv``): "X said", "“...,” said X", "X told <outlet>" (the outlet
   is a relay), "according to X", "reported by X", "..., citing X" (the cue before it becomes a
   relay), "..., adding that". X is the noun phrase before the verb in its clause (adverbs,
   appositions and "identified as ..." set aside); it is a source only when it names one: a
   capitalised name, an outlet (``outlets.tsv``), a country or people (``places.tsv``) or a word
   of ``source_words.tsv``. "The official", "the outlet", "he", a surname refer back to the
   latest source they fit. "The sources, identified as A and B" names the group; A and B become
   sources that inherit its relay. A source that spoke to an outlet keeps it as its relay. A
   title before a name or "for X" after it gives a parent ("Foreign Ministry spokeswoman Maria
   Zakharova", "a spokesman for the health ministry"). Also read: names with particles
   ("al-Turki"), appositions ("Arif Noori, spokesman for the governor,"), a relative clause cut
   off ("X who briefed the media said"), a document standing for its author ("the Health
   Ministry data showed", "according to data from X", "a new report shows"), social handles
   ("@GazaNow on X said") and posts ("a Facebook post by X"), "X's toll of 500", "which
   officials put at 45", "X, citing Y, reported" (Y claims, X relays), a long subject cut after
   its source word ("Survivors of a shipwreck off Libya said"); a bare capitalised word
   ("Sultan said") may be "he" later. Also: two speakers joined by "and" (the first claims), an
   acronym in parentheses inside a name ("the Association (AAPP) group"), an age before an
   apposition ("Haji Ali, 40, a villager,"), "X, which interviewed ..., reports", a participle
   after a name ("Andrew Simmons reporting from Maiduguri, said"), an outlet's person ("Al
   Jazeera's Andrew Simmons"), "a Reuters tally of ...", "said a tweet from the account of X", a
   title, its body and a name ("the head of the regional administration Ivan Petrenko"), and an
   anonymous speaker named by its body ("spokesperson for the IOM"). "He" after "X, spokesman for
   Y," is X. A sentence naming the source of the one before it ("This was reported by X", "X gave
   this information") speaks that sentence. A subject "X belonging to / run by Y" is X; "she"
   with no speaker before it is the person the sentence opens on ("Mina Karimi, ..., as she said").
   "The post"/"the statement" is the latest person's or body's; "the rights group Amnesty
   International" is the body named; a subject running on over a figure is the source word ending
   it ("the blast killed 12 people police said"); a date or "However" names no one. A speaker's
   clause may start after "when"/"where"/"after" (retried around it when it sits in an
   apposition); "Per X" reads as "according to X"; "told X" reads X up to what was told; a title
   beside a name gives the name ("said a spokesman, Armand Balilo"; "X, information minister for
   Y, said"); ", said X" after a clause holding the figure takes X; "believed to be", "claimed
   29 lives", "put the injured on stretchers" and a finding of anything but a document are no
   speech; a headline's source after a dash or a closing colon is read past a dateline; an
   "@handle:" line speaks its paragraph; a line that only names a source ("[Source: X]", "AFP
   report, via Y.") speaks the sentence before it; "she" with no speaker before it may be the
   person the previous sentence of its paragraph opens on ("Governor Jane Smith visited ...",
   "The director, Ahmad Karimi, urged ...", "The minister gave details."). Who was told is never
   the speaker ("..., X, health minister, told Libya's TV"); a wire dateline ("KABUL (Reuters) -")
   is not part of the speaker.
3. Regions. A cue governs what follows it up to the next cue when a number is there (and no
   comma closes the verb: "..., police said, and ..."), else its clause before it -- back to the
   sentence start for an outlet, which relays the earlier speakers. A cue right after another's
   "that" is nested in it. A speech quote is governed by the cue beside it (also 'X said, "...'),
   else by the previous quote's speaker in that or the previous paragraph, else (a quote opening
   its paragraph) by the last cue of the paragraph before. A cue set between
   commas ("Of 53 cases, the ministry said, three died") governs both sides; a trailing
   "according to X" after another speaker's report is the inner one (X claims, the speaker
   relays); "as stated by X" governs only the number before it; a quote right after a verb is
   what the verb reports ('tweeted “thoughts and prayers” ... that left four dead': not Trump's).
4. Numbers. Digits and number words are found first; only then is the context read. Not
   proposed: years, dates, ages, times, durations, money, percentages, ordinals, "one of", "no
   one", numbers in names ("Flight 17", "F-16"), numbers inside a source's own description ("one
   U.S. official and three Russians said"), the old value of a change ("up from 30", "raised the
   toll from 64 to 2,975"), citation markers ("[176]"), date ranges ("7-8 February"), ages listed
   before "years old" or after "aged"/"the ages of", times ("23:00"), labels ("week 39",
   "(Update 4)", "a 7-magnitude quake"), a list's item number ("8.According"), "six short of", how many
   were on board ("had about 140 people on board"; "all 62 people on board were killed" counts),
   "several of the survivors", the whole of a share ("eight of the 166"), a town's population, numbers
   counting things or groups (``things.txt``: buildings, families, strikes, recordings) or a
   rate ("per square yard") -- which leave the metric word to the figure beside them -- and
   numbers with no metric word near them, or a comparison with a count the text does not give
   ("double the number of deaths reported in 2014", "twice as many as a decade ago"). Also not:
   the sides of a ratio ("1 in every 77", "seven out of 10 cases"), thresholds ("resulted in 5 or
   more deaths"), measures with a half or a second compound ("two and one-half miles", "a four- or
   five-story"), "aged from four to 10", the agent of a passive ("arrested by 12 soldiers"), people
   without power or in need of aid, people deployed ("deployed 500 police officers"), a population
   ("1,200 people live in the village") and votes ("voted 278 to 0"). The phrase (additive +
   hedge + quantity) is read by ``wording.read``; the span ends where the reader's counted words
   begin.
5. Metric (``metric_words.tsv``): the nearest strong word left or right in the clause (ties go
   left: "killed 12 and wounded 30"); a word the previous figure used on its right is not reused;
   a figure joined to the previous one by "and", "," or "including", or written after "the
   number"/"the toll", shares the previous figure's metric; else a strong word beyond the next
   number; else a weak word (a population or event noun: "protesters",
   "rally"); else a bare number takes the metric of the figure before it in its sentence.
   "casualties" is its own metric; equipment words count only with an equipment noun (or, with a
   fourth column, count people: "lost 500 soldiers"). A breakdown after "including" shares the
   metric past a place named with the whole ("injured in the clashes, including nine men"). A
   breakdown shares the metric across a
   parenthesis, a dash, a colon, "in addition to", "12 of them" and parallel places ("five deaths
   in Yangon and two in Mandalay", "91 were in Suzu, 81 were in Wajima", "38 in Suzu; 11 in
   Anamizu": a semicolon only between places); a metric word past an aside ("18 people -- among them ... --
   were killed") or a toll named at the clause start ("the number of civilians killed ... has
   risen to 6") is read; a sentence opening on a breakdown ("Of those, nine were women") shares
   the last sentence's figure's metric and claimant. Lists of places share the metric ("followed
   by X at 165, Y at 71", "It is followed by X (368), Y (176)", "-- 21 from X, two each from Y");
   a toll named before its verb keeps it over the next clause's word ("the death toll rose to
   1,694 and the number of cases ..."); a count in parentheses or a dash reads the word before it
   ("the most deaths (3,587)"); "The 367, including ..." restates the earlier figure of that value.
   A metric word is not read when it is not what befell the people counted: an infinitive after a
   warning ("warned to evacuate"), "lost" before a body part ("lost four fingers"), "affected" in a
   text naming a disaster or a war and no disease, a verb right before another count ("Three
   soldiers killed 12 militants": "killed" is the 12's), a toll named before "the number of X" (the
   number of X is its own). Being in hospital and being trapped are metrics of their own.
6. Scope: the counted noun phrase after the number ("contract soldiers"); a generic noun with an
   identifying apposition takes it ("five people, presumably Russian citizens"). With no noun, a
   relative figure takes its reference's scope, another the scope of the sentence's earlier
   figure, else of the latest figure of the same metric.
7. Claimant and relays: a figure in a direct quote is its speaker's (also when the speaker cites
   others, unless an outlet reports a body's words or quotes "according to X"); else the
   innermost cue whose region holds the figure gives the claimant; its
   outlet object, the claimant's own relay and the outer cues' speakers are the relays, in that
   order. No cue: a relative or additive figure keeps the claimant of the figure before it; any
   other is the publisher's (``publisher``, else a source ``publisher`` not named in the text).
8. Modality (``modality_cues.tsv``): the strongest cue in the figure's clause (retracted > denied
   > alleged > hedged > reported); none: "reported" when relayed or said by an outlet, else
   "asserted".
9. Stated date: "yesterday", "last week", "on Tuesday", "Feb. 7" beside the attribution verb,
   resolved against ``published_at`` (a week = 7 days, a month = 30); default ``published_at``.
10. Relative figures ("more than double that number") refer to the nearest earlier figure of the
   same metric, else the nearest earlier figure, and derive their interval from it.
11. Restatements: the same claimant, metric and interval with compatible scopes in two sentences
   are one claim: one proposal -- the direct quote if one is quoted, else the first -- with the
   other spans in ``also_at`` and the cues and relays of both.

The passes live in their own modules: ``extraction_lexicon`` (the word lists), ``extraction_layout``
(rule 1), ``extraction_sources`` (how a phrase names a source, and the book of sources met),
``extraction_cues`` (rules 2 and 3: the cues and their regions), ``extraction_figures`` (rules 4
to 6 and 8: numbers, metric, scope, modality), ``extraction_dates`` (rule 9),
``extraction_linking`` (rules 10 and 11), ``extraction_records`` (what the passes hand each other)
and ``extraction_patterns`` (the patterns and bounds they share). This module runs them in order
and gives each figure its claimant and relays (rule 7).

``confidence`` is a score, not a probability: it grows with a near strong metric word, an
explicit attribution and a counted noun.

Cost: linear in the text (tests/domain/test_extraction_limits.py counts it). Every pattern is
run once over the text, or over a window of bounded size around a number or a verb; what a rule
needs from farther away (the clause breaks of a sentence, its modality cues, the cues covering a
figure, the latest source of a name) is looked up by position. So a few bounds are part of the
rules: a speaker is looked for in the 300 characters before its verb, at most 6 adjuncts stand
between a verb and "that", a figure lists at most 6 modality words and reads at most the 8
innermost cues around it, and a text with more than ``MAX_FIGURES`` figures is refused
(``TooManyFigures``). ``should_stop`` lets a caller end the work early (``Cancelled``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from datetime import datetime

from app.domain.errors import Cancelled, TooManyFigures
from app.domain.extraction_cues import (
    _CueReader,
    _Sweep,
    _trim,
)
from app.domain.extraction_dates import _DATE_RE
from app.domain.extraction_figures import (
    _NEAR_LEFT,
    _NEAR_RIGHT,
    _FigureReader,
    _Modalities,
    _not_a_count,
    _Phrase,
    _Scan,
    _Starts,
)
from app.domain.extraction_layout import (
    _headline_span,
    _lower,
    _sentences,
    _speech_quotes,
)
from app.domain.extraction_lexicon import _lexicon, _norm
from app.domain.extraction_linking import _link_and_inherit, _merge_restatements
from app.domain.extraction_patterns import (
    _ANAPHOR_START_RE,
    _BACKWARD_RE,
    _BREAKDOWN_RE,
    _CLAUSE_BREAK_RE,
    _DISASTER_RE,
    _DISEASE_RE,
    _HANDLE_LINE_RE,
    _HEADLINE_DASH_RE,
    _HEADLINE_END_RE,
    _HEADLINE_SOURCE_RE,
    _SOURCE_LINE_RE,
    _TOKEN_RE,
    _TRANSCRIPT_RE,
)
from app.domain.extraction_records import (
    Extraction,
    ProposedFigure,
    ProposedSource,
    _Cue,
    _Fig,
    _Sentence,
)
from app.domain.extraction_sources import (
    PUBLISHER_KEY,
    PUBLISHER_NAME,
    _SourceBook,
)
from app.domain.intervals import Bound
from app.domain.vocab import SourceKind

__all__ = [
    "MAX_FIGURES",
    "PUBLISHER_KEY",
    "PUBLISHER_NAME",
    "Extraction",
    "ProposedFigure",
    "ProposedSource",
    "extract",
]


# --------------------------------------------------------------------------- entry point


def extract(
    text: str,
    *,
    title: str | None = None,
    published_at: datetime | None = None,
    publisher: str | None = None,
    tolerance: float = 0.2,
    should_stop: Callable[[], bool] | None = None,
) -> Extraction:
    """Propose the figures of ``text`` and their sources (see the module docstring for the rules).

    ``title`` marks the headline where the text holds it; a title absent from the text is not
    read (a proposal's span always points into ``text``). ``tolerance`` is passed to the reader.

    The work grows linearly with the text. ``should_stop`` is called once per sentence with an
    attribution verb and once per _CHECK_EVERY numbers; when it returns True, ``Cancelled`` is
    raised (a caller's deadline, or a client gone). More than ``MAX_FIGURES`` figures read
    (restatements counted before they are merged) raise ``TooManyFigures``: each one costs, and
    nobody reviews thousands one by one.
    """
    return _Extractor(text, title, published_at, publisher, tolerance, should_stop).run()


MAX_FIGURES = 2_000
"""The most figures one text is read for (restatements included): an article holds tens."""
_QUOTE_BACK = 3  # sentences looked back for the speaker of a quote with no cue beside it
_CHECK_EVERY = 64  # numbers read between two calls of should_stop


class _Extractor:
    """The state of one extraction: layout, sources, cues, figures."""

    def __init__(
        self,
        text: str,
        title: str | None,
        published_at: datetime | None,
        publisher: str | None,
        tolerance: float,
        should_stop: Callable[[], bool] | None = None,
    ) -> None:
        self.should_stop = should_stop
        self.text = text
        self.lex = _lexicon()
        self.published_at = published_at
        self.tolerance = tolerance
        self.book = _SourceBook(self.lex, text, publisher)
        self.sentences = _sentences(text, _headline_span(text, title))
        self.starts = [s.start for s in self.sentences]
        self.low = _lower(text)  # same offsets as text; the word lists are matched against it
        self.tokens = list(_TOKEN_RE.finditer(self.low))
        self.token_starts = [t.start() for t in self.tokens]
        self.quotes = [(s, e) for s, e in _speech_quotes(text) if text.count(" ", s, e) >= 2]
        self.excluded: list[tuple[int, int]] = []
        self.cues: list[list[_Cue]] = [[] for _ in self.sentences]
        self.quote_cues: list[_Cue] = []
        self.quote_starts: list[int] = []
        self.dates: list[re.Match[str]] | None = None  # found on first use
        self.date_starts: list[int] = []
        self.rejected: dict[int, bool] = {}
        self.breaks: dict[int, list[int]] = {}  # clause break ends, per sentence
        self.cue_index: dict[int, tuple[list[tuple[int, int]], list[tuple[int, int]]]] = {}
        self.quote_bounds = [qs for qs, _ in self.quotes]
        self.sweeps: dict[int, _Sweep] = {}
        self.figs: list[_Fig] = []
        self._modalities: _Modalities | None = None
        self._metric_words: _Scan | None = None
        self._metric_starts: _Starts | None = None
        self._anaphor_starts: _Starts | None = None
        self._affected_not_infected: bool | None = None

    def run(self) -> Extraction:
        hits: dict[int, list[re.Match[str]]] = {}
        for m in self.lex.verb_re.finditer(self.low):
            hits.setdefault(self.sentence_of(m.start()).index, []).append(m)
        for index, found in hits.items():
            self.check()
            self.cues[index] = _CueReader(self, self.sentences[index]).read(found)
        self._backward_cues()
        self._speaker_lines()
        self.excluded.sort()
        self.quote_cues = self._quote_cues()
        self.quote_starts = [c.region[0] for c in self.quote_cues]
        figs = self._figures()
        _link_and_inherit(figs, self.tolerance)
        kept = _merge_restatements(figs)
        return self._result(kept)

    # ---------------------------------------------------------------- helpers shared by passes

    def check(self) -> None:
        """Stop here if the caller asks to (``should_stop``)."""
        if self.should_stop is not None and self.should_stop():
            raise Cancelled("the extraction was stopped before it finished")

    def sentence_of(self, pos: int) -> _Sentence:
        return self.sentences[max(bisect.bisect_right(self.starts, pos) - 1, 0)]

    def has_number(self, lo: int, hi: int) -> bool:
        """Whether a candidate number (not a year, date, age ...) starts in [lo, hi)."""
        i = bisect.bisect_left(self.token_starts, lo)
        while i < len(self.tokens) and self.token_starts[i] < hi:
            if not self.is_excluded(self.token_starts[i]) and not self.not_a_count(i):
                return True
            i += 1
        return False

    @property
    def metric_words(self) -> _Scan:
        if self._metric_words is None:
            self._metric_words = _Scan(self.lex.metric_re, self.low, max(len(p.split()) for p in self.lex.metrics))
        return self._metric_words

    @property
    def metric_starts(self) -> _Starts:
        if self._metric_starts is None:
            self._metric_starts = _Starts(self.lex.metric_start_re, self.low)
        return self._metric_starts

    @property
    def affected_not_infected(self) -> bool:
        """Whether the text names a disaster or a war and no disease: its "affected" are not
        infected (searched once, on first use)."""
        if self._affected_not_infected is None:
            self._affected_not_infected = bool(_DISASTER_RE.search(self.low)) and not _DISEASE_RE.search(self.low)
        return self._affected_not_infected

    @property
    def anaphor_starts(self) -> _Starts:
        if self._anaphor_starts is None:
            self._anaphor_starts = _Starts(_ANAPHOR_START_RE, self.low)
        return self._anaphor_starts

    @property
    def modalities(self) -> _Modalities:
        if self._modalities is None:  # found on first use
            self._modalities = _Modalities(self.lex, self.low)
        return self._modalities

    def clause_start(self, sent: _Sentence, pos: int) -> int:
        """Where the clause around ``pos`` starts: after the last clause break of its sentence before it."""
        ends = self.breaks.get(sent.index)
        if ends is None:  # found once per sentence, not once per verb
            ends = [b.end() for b in _CLAUSE_BREAK_RE.finditer(self.low, sent.start, sent.end)]
            self.breaks[sent.index] = ends
        i = bisect.bisect_right(ends, pos) - 1
        return ends[i] if i >= 0 else sent.start

    def is_excluded(self, pos: int) -> bool:
        i = bisect.bisect_right(self.excluded, (pos, len(self.text) + 1)) - 1
        return i >= 0 and self.excluded[i][0] <= pos < self.excluded[i][1]

    def not_a_count(self, i: int) -> bool:
        if i not in self.rejected:
            tok = self.tokens[i]
            self.rejected[i] = _not_a_count(self.text, self.low, tok, self.sentence_of(tok.start()), self.lex)
        return self.rejected[i]

    # ---------------------------------------------------------------- speakers named by layout

    def _backward_cues(self) -> None:
        """ "Five people were killed. This was reported by the governor on Telegram." / "The
        ministry gave this information.": a sentence naming the source of the one before it
        speaks that sentence (as a cue of it, whose region is the whole sentence); so does a line that
        only names a source ("[Source: MoH NZ ]", "AFP report, via Times of India.")."""
        for sent in self.sentences[1:]:
            m = _BACKWARD_RE.match(self.low, sent.start, sent.end) or _SOURCE_LINE_RE.match(
                self.low, sent.start, sent.end
            )
            if m is None:
                continue
            prev = self.sentences[sent.index - 1]
            if sent.para - prev.para > 1 or sent.headline or prev.headline:
                continue
            by = m.groupdict().get("by")
            if by is not None:  # "This was reported by X": the cue read in its sentence names X
                cue = next((c for c in self.cues[sent.index] if c.anchor >= m.start("by")), None)
                speaker = None if cue is None else cue.speaker
            else:  # "X gave this information", "[Source: X]", "X report, via Y."
                s, e = _trim(self.text, *m.span("who" if m.group("who") is not None else "rep"))
                np = self.book.classify(self.text[s:e], initial=s == sent.start)
                speaker = None if np is None else self.book.resolve(np, (s, e))
            if speaker is None:
                continue
            words = self.text[sent.start : m.end()]
            cue = _Cue(
                sent.start, sent.start, speaker, None, words, "say", inverted=True, region=(prev.start, prev.end)
            )
            self.cues[prev.index] = [*self.cues[prev.index], cue]

    def _speaker_lines(self) -> None:
        """A transcript's "MS. MAYA SHARMA: ..." speaks its paragraph; a headline's "Iraqi officials:
        ..." or "... kills 8 -police" speaks the headline (as "said" would)."""
        speaker: dict[int, tuple[int, int, int]] = {}  # paragraph -> (source, header start, end)
        for sent in self.sentences:
            if sent.para not in speaker and (head := self._speaker_line(sent)) is not None:
                speaker[sent.para] = head
            if sent.para in speaker:
                sid, s, e = speaker[sent.para]
                region = (sent.start, s) if s > sent.start else (max(sent.start, e), sent.end)  # "-police" ends it
                cue = _Cue(s, e, sid, None, self.text[s:e], "say", inverted=True, region=region)
                self.cues[sent.index] = [*self.cues[sent.index], cue]

    def _speaker_line(self, sent: _Sentence) -> tuple[int, int, int] | None:
        """The source a transcript or headline line names, with the span of its words."""
        first = sent.index == 0 or self.sentences[sent.index - 1].para != sent.para
        m = _TRANSCRIPT_RE.match(self.text, sent.start, sent.end) if first else None
        if m is not None and sent.para == 0 and not m.group(2):
            m = None  # "HONG KONG: ..." opening a text is a dateline; a transcript's first line has a title
        if m is None and first:  # "@Ramblurr: ...": a quoted post speaks its paragraph
            m = _HANDLE_LINE_RE.match(self.text, sent.start, sent.end)
        found = self._line_source(m)
        if found is None and sent.headline:
            # "Nigeria: Gunmen kill 7 ... – Police": a dateline before does not hide the source after
            for pattern in (_HEADLINE_SOURCE_RE, _HEADLINE_DASH_RE, _HEADLINE_END_RE):
                at = pattern.match if pattern is _HEADLINE_SOURCE_RE else pattern.search
                found = self._line_source(at(self.text, sent.start, sent.end))
                if found is not None:
                    break
        return found

    def _line_source(self, m: re.Match[str] | None) -> tuple[int, int, int] | None:
        """The source named by a speaker line's words, with the span of the line's cue."""
        if m is None:
            return None
        s, e = m.span(1)
        np = self.book.classify(self.text[s:e])
        if np is None or _norm(self.text[s:e]) in self.lex.places:
            return None  # "ROME: ..." is a dateline
        sid = self.book.resolve(np, (s, e))
        if sid is None:
            return None
        self.excluded.append(m.span())
        return sid, m.start(), m.end()

    # ---------------------------------------------------------------- quotes

    def _quote_cues(self) -> list[_Cue]:
        """One cue per speech quote: the cue beside it, else the previous quote's speaker."""
        out: list[_Cue] = []
        last: tuple[_Cue, int] | None = None
        for qs, qe in self.quotes:
            sent = self.sentence_of(qs)
            cue = self._cue_beside(qs, qe, range(sent.index, self.sentence_of(qe).index + 1))
            para = sent.para
            if cue is None and last is not None and para - last[1] <= 1:
                cue = last[0]
            if cue is None:  # 'Ortiz said the search went on. "We found 20 bodies."': Ortiz's
                cue = self._speaker_before(sent, qs)
            if cue is None and self._introduced(sent, qs):  # 'X wrote on Telegram:\n"..."': X's
                cue = self._speaker_before(self.sentences[sent.index - 1], qs)
            if cue is None:
                continue
            last = (cue, para)
            # the quoted words are their speaker's claim, also when the speaker cites another ("citing
            # survivors"); an outlet quoting a body relays the body's words ("..., Al Jazeera reported, citing X")
            voice = cue.voice is not None and self.book.get(cue.voice).kind is not SourceKind.outlet
            speaker, relay = (cue.voice, cue.speaker) if voice and cue.voice is not None else (cue.speaker, cue.relay)
            out.append(_Cue(qs, qs, speaker, relay, cue.words, "quote", region=(qs, qe), date=cue.date))
        return out

    def _introduced(self, sent: _Sentence, qs: int) -> bool:
        """Whether a quote opens its paragraph right after the paragraph before it: press style
        names the speaker there ('X wrote on Telegram:' or 'X, the chairman, told newsmen that the
        attackers came at 4 pm.') and quotes them in the next paragraph without a new verb."""
        if sent.index == 0 or qs != sent.start:
            return False
        return self.sentences[sent.index - 1].para == sent.para - 1

    def _speaker_before(self, sent: _Sentence, pos: int) -> _Cue | None:
        """The last cue before ``pos`` in its paragraph, looked for in at most _QUOTE_BACK sentences."""
        for i in range(sent.index, max(sent.index - _QUOTE_BACK, -1), -1):
            if self.sentences[i].para != sent.para:
                return None
            before = [c for c in self.cues[i] if c.anchor < pos and c.kind != "according"]
            if before:
                return max(before, key=lambda c: c.anchor)
        return None

    def _cue_beside(self, qs: int, qe: int, sentences: range) -> _Cue | None:
        """The first cue of these sentences beside the quote [qs, qe), looked up by position."""
        for i in sentences:
            if not self.cues[i]:
                continue
            anchors, afters = self._cue_index(i)
            near = {
                k
                for _, k in anchors[
                    bisect.bisect_left(anchors, (qe, -1)) : bisect.bisect_right(anchors, (qe + 4, 1 << 62))
                ]
            }
            near |= {
                k
                for _, k in afters[
                    bisect.bisect_left(afters, (qs - 4, -1)) : bisect.bisect_right(afters, (qs, 1 << 62))
                ]
            }
            cue = next((self.cues[i][k] for k in sorted(near) if self._beside(self.cues[i][k], qs, qe)), None)
            if cue is not None:
                return cue
        return None

    def _cue_index(self, i: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The cues of sentence i by anchor and by where what they report starts: (position, index)."""
        if i not in self.cue_index:
            cues = self.cues[i]
            self.cue_index[i] = (
                sorted((c.anchor, k) for k, c in enumerate(cues)),
                sorted((c.after, k) for k, c in enumerate(cues)),
            )
        return self.cue_index[i]

    def covering(self, index: int, pos: int) -> list[_Cue]:
        """The cues of sentence ``index`` whose region holds ``pos``, innermost first (at most _COVERING)."""
        if not self.cues[index]:
            return []
        sweep = self.sweeps.get(index)
        if sweep is None or pos < sweep.pos:  # figures come in order: one sweep per sentence
            sweep = self.sweeps[index] = _Sweep(self.cues[index])
        return sweep.covering(pos)

    def in_quote(self, pos: int) -> bool:
        """Whether ``pos`` is inside a speech quote (quotes do not overlap)."""
        i = bisect.bisect_right(self.quote_bounds, pos) - 1
        return i >= 0 and pos < self.quotes[i][1]

    def _beside(self, cue: _Cue, qs: int, qe: int) -> bool:
        text = self.text
        if qe <= cue.anchor <= qe + 4 and not text[qe : cue.anchor].strip(" ,"):
            return True
        return not cue.inverted and cue.after <= qs <= cue.after + 4 and not text[cue.after : qs].strip(" ,:")

    def date_in(self, lo: int, hi: int) -> re.Match[str] | None:
        """The first date written within [lo, hi)."""
        if self.dates is None:
            self.dates = list(_DATE_RE.finditer(self.low))
            self.date_starts = [m.start() for m in self.dates]
        i = bisect.bisect_left(self.date_starts, lo)
        return self.dates[i] if i < len(self.dates) and self.dates[i].end() <= hi else None

    def quote_at(self, pos: int) -> _Cue | None:
        """The speech quote around ``pos`` with its speaker, if any (quotes do not overlap)."""
        i = bisect.bisect_right(self.quote_starts, pos) - 1
        if i >= 0 and pos < self.quote_cues[i].region[1]:
            return self.quote_cues[i]
        return None

    # ---------------------------------------------------------------- figures

    def _figures(self) -> list[_Fig]:
        figs: list[_Fig] = []
        self.figs = figs  # read so far: "The 367, including ..." restates one of them
        consumed = 0
        for i, tok in enumerate(self.tokens):
            if i % _CHECK_EVERY == 0:
                self.check()
            if tok.start() < consumed or self.is_excluded(tok.start()):
                continue
            sent = self.sentence_of(tok.start())
            alone = not figs or figs[-1].sentence is not sent  # no earlier figure in its sentence to lean on
            if alone and not self._may_have_metric(tok, anaphor=bool(figs)) and not self.breaks_down(sent, figs):
                continue  # no metric word could be found for it: not read at all (most stray numbers)
            if self.not_a_count(i):
                continue
            phrase = _Phrase.find(self, tok, sent, consumed)
            if phrase is None:
                continue
            fig = _FigureReader(self, phrase, sent, figs[-1] if figs else None).read()
            if fig is not None:
                if len(figs) == MAX_FIGURES:
                    raise TooManyFigures(
                        f"the text holds more than {MAX_FIGURES:,} figures: send it in parts", limit=MAX_FIGURES
                    )
                figs.append(fig)
                consumed = fig.end
        return figs

    def breaks_down(self, sent: _Sentence, figs: list[_Fig]) -> bool:
        """ "Police said 14 died. Of those, nine were women.": a breakdown of the last sentence's figure."""
        last = figs[-1] if figs else None
        return (
            last is not None
            and last.sentence.index == sent.index - 1
            and _BREAKDOWN_RE.match(self.low, sent.start) is not None
        )

    def _may_have_metric(self, tok: re.Match[str], anaphor: bool) -> bool:
        """Whether a metric word (or "the number", when a figure came before) may start near ``tok``.

        A superset of what ``_FigureReader._metric`` reads: its windows lie within _NEAR_LEFT
        characters before the token and _NEAR_RIGHT after it, and a window's match begins where
        the start of a phrase is found over the whole text, or inside such a start's span.
        """
        a, b = tok.start() - _NEAR_LEFT, tok.end() + _NEAR_RIGHT
        if self.metric_starts.touches(a, b):
            return True
        return anaphor and self.anaphor_starts.touches(tok.start() - _NEAR_LEFT, tok.start())

    # ---------------------------------------------------------------- output

    def _result(self, kept: list[_Fig]) -> Extraction:
        keys = self.book.keys()
        index = {id(f): n for n, f in enumerate(kept)}
        figures = tuple(_proposal(f, keys, index) for f in kept)
        return Extraction(figures=figures, sources=self.book.proposals(keys))


def _proposal(fig: _Fig, keys: dict[int, str], index: dict[int, int]) -> ProposedFigure:
    ref = fig.ref
    while ref is not None and ref.keeper is not None:
        ref = ref.keeper
    r = fig.reading
    return ProposedFigure(
        start=fig.start,
        end=fig.end,
        words=fig.words,
        bound=r.bound,
        low=fig.low,
        high=fig.high,
        metric=fig.metric.name,
        scope=fig.scope,
        claimant=keys[fig.claimant],
        relays=tuple(keys[x] for x in fig.relays),
        modality=fig.modality,
        stated_at=fig.stated_at,
        refers_to=None if ref is None else index.get(id(ref)),
        factor=r.factor,
        factor_bound=r.factor_bound,
        confidence=_confidence(fig),
        cues=tuple(fig.cues),
        sentence=(fig.sentence.start, fig.sentence.end),
        also_at=tuple(fig.also_at),
    )


def _confidence(fig: _Fig) -> float:
    score = 0.35
    score += {"strong": 0.3 if fig.metric.distance <= 3 else 0.2, "inherited": 0.15, "far": 0.1}.get(
        fig.metric.how, 0.05
    )
    score += {"cue": 0.2, "quote": 0.2, "inherited": 0.1}.get(fig.how, 0.05)
    score += 0.1 if fig.counted else 0.0
    if fig.reading.bound is Bound.relative and fig.low is None:
        score -= 0.15
    return round(min(max(score, 0.05), 0.95), 2)
