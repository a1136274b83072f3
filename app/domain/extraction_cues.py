"""Rules 2 and 3 of ``app.domain.extraction``: the attribution cues of a text ("X said",
"according to X", a speech quote and its speaker) and the region of text each one governs."""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from app.domain.extraction_dates import _stated_date
from app.domain.extraction_layout import (
    _INITIALS_RE,
)
from app.domain.extraction_lexicon import _entry, _norm
from app.domain.extraction_patterns import (
    _ACCOUNT_RE,
    _ACRONYM_CLOSE_RE,
    _ADJ_THAT_RE,
    _ADVERBIAL_RE,
    _AS_BEFORE_RE,
    _ASIDES,
    _CITING_ASIDE_RE,
    _DATELINE_RE,
    _DETERMINERS,
    _DOCUMENT_LEAD_RE,
    _DOCUMENT_NOUNS,
    _DOCUMENT_RE,
    _IDENTIFIED_RE,
    _INCLUDING_RE,
    _INFINITIVE_AFTER_RE,
    _INTERVIEW_RE,
    _LEADING_RE,
    _NAME_START_RE,
    _NONSPACE_RE,
    _NOT_SPOKEN_RE,
    _NP_CUT,
    _NP_STOP_RE,
    _NP_WORDS,
    _OWNED_BY_RE,
    _OWNED_DOCUMENT_RE,
    _PARENTHETICAL_RE,
    _PARTICIPLE_CUT_RE,
    _POSSESSIVE_END_RE,
    _POSSESSOR_RE,
    _POST_BY_RE,
    _POST_FROM_RE,
    _PRONOUN_END_RE,
    _RELATIVE_AFTER_RE,
    _RELATIVE_RE,
    _RELATIVE_VERB_RE,
    _RELATIVES,
    _SPEAKER_WINDOW,
    _SPOKESMAN_FOR_RE,
    _SUBJECT_CUT_RE,
    _THAT_RE,
    _TRAILING_CUE_RE,
    _TRAILING_RE,
    _WEAK,
)
from app.domain.extraction_records import (
    _Cue,
    _Np,
    _Sentence,
)
from app.domain.extraction_sources import (
    _capitalised,
    _NpReader,
)
from app.domain.vocab import SourceKind

if TYPE_CHECKING:  # the extractor drives this pass; only its type is needed here
    from app.domain.extraction import _Extractor


# --------------------------------------------------------------------------- attribution cues


class _CueReader:
    """The attribution cues of one sentence, with the sources they name and the regions they govern."""

    def __init__(self, ex: _Extractor, sent: _Sentence) -> None:
        self.ex, self.sent, self.text, self.book = ex, sent, ex.text, ex.book
        self.cues: list[_Cue] = []
        self.spans = _Covered()  # speaker phrases of this sentence

    def read(self, hits: list[re.Match[str]]) -> list[_Cue]:
        """The cues of the attribution verbs found in this sentence, in order."""
        for m in hits:
            if self.spans.covers(m.start()):
                continue  # "according to police estimates": part of a speaker phrase
            role = _entry(self.ex.lex.verbs, m)
            if self.text[m.start()].isupper() and role != "according" and not self.sent.headline:
                continue  # "the United States": a capital is a name, outside a headline's title case
            if role == "according":
                self._add(self._according(m))
            elif role == "possessive":
                self._add(self._possessive(m))
            elif role == "citing":
                self._citing(m)
            elif role == "continuing":
                self._add(self._continuing(m))
            else:
                self._add(self._said(m, role))
        self._regions()
        return self.cues

    def _add(self, cue: _Cue | None) -> None:
        if cue is not None:
            self.cues.append(cue)

    def _exclude(self, s: int, e: int) -> None:
        self.ex.excluded.append((s, e))
        self.spans.add(s, e)

    # ---------------------------------------------------------------- one cue

    def _said(self, m: re.Match[str], role: str) -> _Cue | None:
        if _NOT_SPOKEN_RE.search(self.ex.low, max(self.sent.start, m.start() - 8), m.start()):
            return None  # "an estimated", "were reported killed": not a speaker's verb
        if role == "value" and not _VALUE_AT_RE.match(self.ex.low, m.end(), self.sent.end):
            return None  # "EMTs put the injured on stretchers": not a toll put at a value
        if _INFINITIVE_AFTER_RE.match(self.ex.low, m.start()):
            return None  # "Gunmen believed to belong to a gang have abducted 42": no one speaks
        if _CLAIMED_LIVES_RE.match(self.ex.low, m.start()):
            return None  # "the Camp Fire has already claimed 29 lives": a toll's verb, not speech
        got = self._who(m, role)
        if got is None:
            return None
        speaker, anchor, inverted = got
        src = self.book.get(speaker)
        if role == "document" and self.ex.lex.kinds.get(src.head) != "document":
            return None  # "rescuers found five bodies": a finding is a document's words only
        after, relay, words = self._object(m, role)
        if relay is not None and src.relay is None:
            src.relay = relay  # "Sources told Bloomberg": what they say later came through Bloomberg too
        cited = self._cited_aside(anchor, m.start()) if not inverted else None
        if cited is not None:  # "The Kyiv Independent, citing the governor, reported": the governor claims
            speaker, relay = cited, speaker
        return _Cue(anchor, after, speaker, relay, words, role, inverted=inverted)

    def _who(self, m: re.Match[str], role: str) -> tuple[int, int, bool] | None:
        """The speaker of a verb, where its cue starts, and whether the speaker comes after the verb
        (never after "told": who comes after it was told, "..., X told Libya's TV")."""
        subject = self._subject(m.start())
        comma = self._after_quote_or_comma(m.start())
        lo = self.ex.clause_start(self.sent, subject[1] if subject is not None else m.start())
        nxt = _NONSPACE_RE.search(self.text, m.end(), self.sent.end)
        names_after = nxt is not None and nxt.group().lower() not in _NP_CUT  # not "said on Thursday"
        run_on = comma and names_after and self._holds_figure(lo, m.start())
        if subject is not None and (not run_on or role == "tell"):
            return subject[0], subject[1], False
        # "“...,” said X"; "several hundred were reported missing to officials in X, said Freeman
        # Martin": the words before ", said" hold the figure, so the speaker is after the verb
        after = self._speaker_after(m.end()) if comma else None
        if after is not None:
            return after, m.start(), True
        return None if subject is None else (subject[0], subject[1], False)

    def _cited_aside(self, lo: int, verb: int) -> int | None:
        """The source named by a "citing X" aside between a speaker and its verb, if any."""
        aside = _CITING_ASIDE_RE.search(self.text, lo, verb)
        if aside is None:
            return None
        span = _trim(self.text, aside.start(1), aside.end(1))
        np = self.book.classify(self.text[span[0] : span[1]])
        return None if np is None else self.book.resolve(np, span)

    def _object(self, m: re.Match[str], role: str) -> tuple[int, int | None, str]:
        """Where the content starts, the outlet told (a relay), and the cue's words."""
        end, relay, words = m.end(), None, self.text[m.start() : m.end()]
        interview = _INTERVIEW_RE.match(self.text, end)
        if role == "tell" or interview:
            obj = self._phrase_after(interview.end() if interview else end)
            if obj is not None and role == "tell":
                obj = self._told_object(obj)
            np = None if obj is None else self.book.classify(self.text[obj[0] : obj[1]])
            if obj is not None and np is not None and np.kind is SourceKind.outlet:
                relay = self.book.resolve(np, obj)
                self._exclude(*obj)
                words = self.text[m.start() : obj[1]]
                end = obj[1]
            elif obj is not None and role == "tell":
                end = obj[1]
        that = _THAT_RE.match(self.text, end, self.sent.end)
        return (that.end() if that else end), relay, words

    def _told_object(self, obj: tuple[int, int]) -> tuple[int, int]:
        """Who was told, without what they were told: "told AFP there were six dead" -> "AFP",
        "tell the Dispatch one person was arrested" -> "the Dispatch" (the object phrase runs on
        to the stop of a noun phrase, past the start of the reported clause)."""
        s, e = obj
        words = list(_NONSPACE_RE.finditer(self.text, s, e))
        for k in range(min(len(words), _TOLD_WORDS), 0, -1):  # the longest outlet at its start
            np = self.book.classify(self.text[s : words[k - 1].end()])
            if np is not None and np.kind is SourceKind.outlet:
                return s, words[k - 1].end()
        for w in words[1:]:  # else the reported clause starts at its first number or "there"
            if w.group().lower() in ("there", "that") or self.ex.has_number(w.start(), w.end()):
                return s, w.start() - 1
        return obj

    def _according(self, m: re.Match[str]) -> _Cue | None:
        owned = _OWNED_DOCUMENT_RE.match(self.text, m.end(), self.sent.end)  # "a Reuters tally of ...": Reuters
        lead = None if owned else _DOCUMENT_LEAD_RE.match(self.ex.low, m.end(), self.sent.end)  # "data from X"
        span = owned.span(1) if owned else self._phrase_after(lead.end() if lead else m.end())
        if span is None:
            return None
        s, e = span
        raw = self.text[s:e]
        doc = _DOCUMENT_RE.match(raw)
        words = raw.split()
        if doc is not None and doc.end() == len(raw) and len(words) > 1 and self._body_word(words[-2]):
            doc = None  # "according to the ministry data": the ministry's, not an unnamed author's
        if doc is not None:
            s, raw = s + doc.end(), raw[doc.end() :]
        words = raw.split()
        document = doc is not None or bool(words and words[-1].lower() in _DOCUMENT_NOUNS)
        if words and words[-1].lower() in _DOCUMENT_NOUNS:  # "a Reuters tally", "the Red Crescent's figures"
            raw = _without_document(raw) if len(words) > 1 else ""
        np = self.book.classify(raw) if raw.strip() else None
        alone = not self.cues and not self.ex.in_quote(m.start())  # no speaker who cites the document
        if np is None and document and alone:  # "according to official figures": the figures speak
            s, raw = span[0], self.text[span[0] : e]
            np = _Np(
                " ".join(raw.split()[1:] if raw.split()[0].lower() in _DETERMINERS else raw.split()),
                SourceKind.other,
                raw.split()[-1].lower(),
            )
        if np is None:
            return None
        if (named := self._name_in_apposition(np, e)) is not None:  # "..., the ministry's spokesman, X,"
            np, (s, e) = named
            raw = self.text[s:e]
        speaker = self.book.resolve(np, (s, s + len(raw)))
        if speaker is None:
            return None
        self._exclude(s, e)
        return _Cue(m.start(), e, speaker, None, self.text[m.start() : e], "according")

    def _possessive(self, m: re.Match[str]) -> _Cue | None:
        """ "the army's toll of 500", "Kyiv's count of 40": the possessor claims the figure."""
        owner = _POSSESSOR_RE.search(self.text, max(self.sent.start, m.start() - 60), m.start())
        if owner is None:
            return None
        s, e = owner.span(1)
        np = self.book.classify(self.text[s:e])
        speaker = None if np is None else self.book.resolve(np, (s, e))
        if speaker is None:
            return None
        self._exclude(s, e)
        return _Cue(s, m.end(), speaker, None, self.text[s : m.end()], "say")

    def _citing(self, m: re.Match[str]) -> None:
        """ "..., Reuters reported, citing two officials": the officials claim, Reuters relays."""
        span = self._phrase_after(m.end())
        if span is not None:  # "citing the committee's statement": the committee
            span = (span[0], span[0] + len(_without_document(self.text[span[0] : span[1]])))
        np = None if span is None or span[1] <= span[0] else self.book.classify(self.text[span[0] : span[1]])
        if span is None or np is None or not self.cues:
            return
        cited = self.book.resolve(np, span)
        if cited is None:
            return
        self._exclude(*span)
        prev = self.cues.pop()
        words = f"{prev.words}, {self.text[m.start() : span[1]]}"
        # "“...,” Save the Children said, citing survivors": the quoted words stay the speaker's;
        # "..., the Valley Times reported quoting the ministry": a report relays the ministry's words
        voice = None if prev.words.lower().startswith("report") else prev.speaker
        self.cues.append(
            _Cue(prev.anchor, prev.after, cited, prev.speaker, words, prev.kind, inverted=prev.inverted, voice=voice)
        )

    def _continuing(self, m: re.Match[str]) -> _Cue | None:
        if not self.cues:
            return None
        prev = self.cues[-1]
        that = _THAT_RE.match(self.text, m.end(), self.sent.end)
        words = self.text[m.start() : m.end()]
        return _Cue(m.start(), that.end() if that else m.end(), prev.speaker, prev.relay, words, "continuing")

    # ---------------------------------------------------------------- the speaker

    def _subject(self, verb: int) -> tuple[int, int] | None:
        """The speaker before the verb in its clause, resolved: (source id, where it starts)."""
        end = verb
        before = self.text[self.sent.start : verb].rstrip()
        if before.endswith(")"):  # "the survivors who landed at Porto Empedocle (Sicily) spoke": not Sicily
            end = max(self.text.rfind("(", self.sent.start, verb), self.sent.start)
        lo = self.ex.clause_start(self.sent, end)
        dateline = _DATELINE_RE.match(self.text, self.sent.start, end)
        if dateline is not None and lo < dateline.end():  # "KABUL (Reuters) - X said": X speaks, not Kabul
            lo = dateline.end()
        found = self._subject_from(lo, end, verb)
        if found is None and _SUBORDINATOR_END_RE.search(self.ex.low, max(self.sent.start, lo - 8), lo):
            # "Anwar Rahmati, the governor of the province where the attack took place, says": the
            # subordinate clause sits inside the speaker's apposition; read the clause around it
            found = self._subject_from(self.ex.clause_start(self.sent, lo - 1), end, verb)
        return found

    def _subject_from(self, lo: int, end: int, verb: int) -> tuple[int, int] | None:
        """The speaker in the text [lo, end) before the verb: its last part that names one."""
        if lo > self.sent.start and self.text[lo - 1] == "(" and _ACRONYM_CLOSE_RE.match(self.text, lo):
            lo = self.ex.clause_start(self.sent, lo - 1)  # "the Assistance Association (AAPP) group said"
        if lo < end - _SPEAKER_WINDOW:  # read only the parts that end in the window before the verb
            comma = self.text.find(",", end - _SPEAKER_WINDOW, end)
            if comma < 0:
                return None  # one part of more than _SPEAKER_WINDOW characters: not a noun phrase
            lo = comma + 1
        parts = _comma_parts(self.text, lo, end)
        ident: tuple[int, int] | None = None
        for i in range(len(parts) - 1, -1, -1):
            s, e = parts[i]
            low = self.text[s:e].lower()
            if (m := _IDENTIFIED_RE.match(low)) is not None:
                ident = (s + m.end(), e)
            elif (inc := _INCLUDING_RE.search(low)) is not None and (inc.start() == 0 or i == len(parts) - 1):
                # "Sources including the Red Crescent and local doctors reported": the named ones speak
                ident = (s + inc.end(), e)
                if inc.start() > 0:  # the group is the words before "including"
                    return self._speaker([*parts[:i], (s, s + inc.start())], i, ident, verb)
            elif low.startswith(("which ", "whom ")) and i == len(parts) - 1 and self._relative_subject(s, e):
                return self._speaker([(s + low.index(" ") + 1, e)], 0, ident, verb)  # "which officials put at 45"
            elif not (
                _ADVERBIAL_RE.fullmatch(low)
                or low in ("who", "which")
                or _AUXILIARY_RE.fullmatch(low)  # "..., ASP Mohammed Jalije, has said": the name before
                or self.text.startswith(_RELATIVES, s)  # "who said"; not "WHO official Ana Ruiz said"
                or low.startswith(_ASIDES)
                or low.isdigit()  # an age: "Jon Ames, 62, said"
            ):
                return self._speaker(parts, i, ident, verb)
        return None

    def _names_author(self, s: int, e: int) -> bool:
        """Whether the words before a document name its author: a name, an outlet or a possessor
        ("the Health Ministry data", "Reuters figures", "the ministry's data"), not an adjective
        ("Official figures", "a new report", "Earlier estimates")."""
        words = self.text[s:e].split()
        if _POSSESSIVE_END_RE.search(words[-1]) or _norm(self.text[s:e]) in self.ex.lex.outlets:
            return True
        return any(w[0].isupper() for w in words[1 if s == self.sent.start else 0 :])

    def _body_word(self, word: str) -> bool:
        """A word of source_words.tsv naming a body: "ministry", "police", "agency"."""
        return _NpReader(self.ex.lex)._kind_of(word) in ("government", "organization", "outlet")

    def _source_word(self, word: str) -> bool:
        """A word of source_words.tsv (or its plural) that is not a title: "survivors", "ministry"."""
        kind = _NpReader(self.ex.lex)._kind_of(word)
        return bool(kind) and kind != "title"

    def _relative_subject(self, s: int, e: int) -> bool:
        """ "which officials put at 45": the relative pronoun is the object, a source its subject
        (not "which interviewed a resident": the pronoun is the subject of its own verb)."""
        rest = self.text[s:e].split(maxsplit=1)
        if len(rest) < 2 or _RELATIVE_VERB_RE.match(rest[1]):
            return False
        return self.book.classify(rest[1]) is not None

    def _speaker(
        self, parts: list[tuple[int, int]], i: int, ident: tuple[int, int] | None, verb: int
    ) -> tuple[int, int] | None:
        s, e = parts[i]
        if i > 0 and (owner := _OWNED_BY_RE.match(self.text, *parts[i - 1])) and len(owner.group(1).split()) <= 6:
            # "The health ministry belonging to the Hamas-led, Gaza-based government has said": the ministry
            if self.book.classify(owner.group(1)) is not None:
                s, e = owner.span(1)
        apposition: tuple[int, int] | None = None
        j = i - 1
        if j > 0 and self.text[parts[j][0] : parts[j][1]].strip().isdigit():
            j -= 1  # "Haji Ikhalf, 40, a villager, said": past the age
        # commas (and an age) between the name and its apposition; not "KABUL (AP) — An official"
        comma = j >= 0 and re.fullmatch(r"[\s\d]*,[\s\d,]*", self.text[parts[j][1] : s]) is not None
        if comma and self._is_apposition(s, e) and self._is_name(*parts[j]):
            apposition, (s, e) = (s, e), parts[j]  # "Ahmed Ali, a spokesman for ..., said"
        s, e = _trim(self.text, s, e)
        if by := _POST_BY_RE.match(self.text, s, e):  # "A Facebook post by Omar Saleh reported"
            s = by.end()
        if owned := _OWNED_DOCUMENT_RE.match(self.text, s, e):  # "a Reuters tally based on ... showed": Reuters
            s, e = owned.span(1)
        cut = _SUBJECT_CUT_RE.search(self.text, s, e) if len(self.text[s:e].split()) > _NP_WORDS else None
        if cut is not None and self._source_word(self.text[s : cut.start()].split()[-1]):
            e = cut.start()  # "Survivors of a fishing boat shipwreck off the coast of Libya said": survivors
        if acct := _ACCOUNT_RE.search(self.text, s, e):  # "The army's Telegram channel reported": the army
            e = acct.start()
        if part := _PARTICIPLE_CUT_RE.search(self.text, s, e):  # "Al Jazeera's Andrew Simmons reporting from X"
            e = part.start()
        e = self._first_of_pair(s, e)
        if pro := _PRONOUN_END_RE.search(self.text, s, e):  # "... cradled her baby as she said": she
            s = pro.start(1)
        # "The Health Ministry data showed": the ministry speaks through its data; "Official figures
        # show": the figures speak, their author unnamed; "Earlier estimates put ...": no one
        author = s + len(_without_document(self.text[s:e]))
        np = self.book.classify(self.text[s:author], initial=s == self.sent.start) if author < e else None
        if np is not None and self._names_author(s, author):
            e = author
        else:
            np = self.book.classify(self.text[s:e], initial=s == self.sent.start)
        if self._holds_figure(s, e):  # "killed at least 15 soldiers local officials said": a figure is no name
            s, np = self._last_word_source(s, e)
        if np is None:
            return None
        if apposition is not None and not np.parent:
            np.parent = _spokesman_for(self.text[apposition[0] : apposition[1]])
        speaker = self.book.resolve(np, (s, e))
        if speaker is None and np.pronoun:
            speaker = self._sentence_subject(np.pronoun)  # "Zurmina Bibi, ..., cradled her baby as she said"
        if speaker is None:
            return None
        self._exclude(s, verb)
        if ident is not None:
            self.book.identify(speaker, ident)
        return speaker, s

    def _holds_figure(self, s: int, e: int) -> bool:
        """Whether a speaker phrase runs on over a figure: a number and a metric word ("killed 12
        people police"), not a count of the speakers ("three Russians and one U.S. official")."""
        if not self.ex.has_number(s, e):
            return False
        metrics = self.ex.lex.metrics
        return any(_entry(metrics, m)[1] not in _WEAK for m in self.ex.metric_words.found(s, e))

    def _last_word_source(self, s: int, e: int) -> tuple[int, _Np | None]:
        """The source word ending a run-on subject that holds a figure: "... 15 soldiers officials"."""
        s = max(s, self.text.rfind(" ", s, e) + 1)
        word = self.text[s:e]
        return s, (self.book.classify(word) if self._source_word(word) else None)

    def _sentence_subject(self, pronoun: str) -> int | None:
        """A pronoun with no speaker before it: the person named at the start of its sentence, else
        the person the sentence before it (in its paragraph) opens on ("Governor Jane Smith visited
        the site. She told reporters that 30 were missing.")."""
        if pronoun not in ("he", "she"):
            return None
        m = _NAME_START_RE.match(self.text, self.sent.start, self.sent.end)
        if m is None and self.sent.index > 0:
            prev = self.ex.sentences[self.sent.index - 1]
            if prev.para == self.sent.para and not prev.headline:
                for pattern in _OPENING_SUBJECT_RES:
                    found = pattern.match(self.text, prev.start, prev.end)
                    np = None if found is None else self.book.classify(found.group(1))
                    if found is not None and np is not None and self._a_person(np):
                        return self.book.resolve(np, found.span(1))
                return None
        if m is None:
            return None
        np = self.book.classify(m.group(1))
        return self.book.resolve(np, m.span(1)) if np is not None and self._a_person(np) else None

    def _a_person(self, np: _Np) -> bool:
        """A person by name, or by a title ("the minister", "the governor": "he" may refer to them)."""
        return np.kind is SourceKind.person or _NpReader(self.ex.lex)._kind_of(np.head) == "title"

    def _first_of_pair(self, s: int, e: int) -> int:
        """ "The AAPP monitoring group and a domestic news outlet said": two speakers; the first is
        the claimant (where the words before "and" and after it each name a source)."""
        raw = self.text[s:e]
        at = raw.find(" and ")
        if at < 0 or raw.find(" and ", at + 1) >= 0:
            return e
        left, right = raw[:at], raw[at + 5 :]
        left_np, right_np = self.book.classify(left), self.book.classify(right)
        if left_np is None or right_np is None or left_np.pronoun or right_np.pronoun:
            return e
        if left_np.kind is SourceKind.person and right_np.kind is SourceKind.person:
            return e  # "Mr and Mrs Smith", "Ali and Omar Hassan": one name may span both
        return s + at

    def _is_name(self, s: int, e: int) -> bool:
        """A capitalised name before an apposition: a person's, or an organisation's."""
        raw = self.text[s:e]
        words = raw.lower().split(maxsplit=2)
        cut = len(words) > 1 and words[1] in _NP_CUT and not self._source_word(words[0])  # not "Officials at X"
        if raw.isupper() or words[0] in _NP_CUT or cut:
            return False  # "GAZA," (a dateline), "In Delhi,", "Posting on Facebook,": no name
        np = self.book.classify(raw)
        if np is None or not _capitalised(raw.removeprefix("The ")):
            return False
        return len(raw.split()) <= (4 if np.kind is SourceKind.person else 8)

    def _is_apposition(self, s: int, e: int) -> bool:
        """ "a spokesman for ...", "another pilgrim", "spokesman for the governor": describes the name before it."""
        words = self.text[s:e].split()
        first = words[0].lower()
        if first in ("a", "an", "another"):
            return True
        if first == "the" and len(words) > 1 and not words[1][0].isupper():
            return True  # "the ministry's spokesman" describes; "the Red Cross" is a name of its own
        if len(words) > 1 and _POSSESSIVE_END_RE.search(words[0]) and words[1].islower():
            return True  # "Peshawar’s main healthcare facility" describes the name before it
        # "information minister for ...", "the Interim Management Committee Chairman of ...": a
        # title before the body it serves describes the name before it
        head = words[1:] if first == "the" else words
        for word in head[:_TITLE_REACH]:
            if word.lower() in _APPOSITION_STOPS:
                return False
            if self.ex.lex.kinds.get(word.lower().strip(",.")) == "title":
                return True
        return False

    def _speaker_after(self, pos: int) -> int | None:
        """ "“...,” said Vladimir Frolov, a former diplomat": the speaker after the verb."""
        if post := _POST_FROM_RE.match(self.text, pos, self.sent.end):  # "said a tweet from the account of X"
            pos = post.end()
        span = self._phrase_after(pos)
        if span is None:
            return None
        np = self.book.classify(self.text[span[0] : span[1]])
        if np is None:
            return None
        if (named := self._name_in_apposition(np, span[1])) is not None:  # "said a spokesman, Armand Balilo"
            np, span = named
        after = span[1]
        if after < self.sent.end and self.text[after] == "," and not np.parent:
            comma = self.text.find(",", after + 1, self.sent.end)
            np.parent = _spokesman_for(self.text[after + 1 : comma if comma >= 0 else self.sent.end])
        self._exclude(*span)
        return self.book.resolve(np, span)

    def _name_in_apposition(self, np: _Np, end: int) -> tuple[_Np, tuple[int, int]] | None:
        """The person a title without a name is followed by: "a coast guard spokesman, Armand
        Balilo", "the Director General of Firefighting Services in Odisha State, Sudanshu Sarangi":
        the text names the person, who is the claimant."""
        if np.kind not in (SourceKind.anonymous, SourceKind.government) or not self._titled(np):
            return None
        comma = self.text.find(",", end, min(end + _APPOSITION_GAP, self.sent.end))
        if comma < 0 or (comma > end and not self.ex.low.startswith(" in ", end)):
            return None  # only the title's own place may stand between it and the comma
        named = self._phrase_after(comma + 1)
        person = None if named is None else self.book.classify(self.text[named[0] : named[1]])
        if named is None or person is None or person.kind is not SourceKind.person:
            return None
        return person, named

    def _titled(self, np: _Np) -> bool:
        """Whether a phrase names a title or a single official, not a body: "spokesman", "Director General of ..."."""
        words = np.name.lower().split()
        head = words[: words.index("of")] if "of" in words else words
        return bool(head) and (self.ex.lex.kinds.get(head[-1]) in ("title", "anonymous") and not head[-1].endswith("s"))

    def _after_quote_or_comma(self, verb: int) -> bool:
        """Whether the last character before the verb (spaces aside) in its sentence ends a quote or a clause."""
        j = verb - 1
        while j >= self.sent.start and self.text[j].isspace():
            j -= 1
        return j >= self.sent.start and self.text[j] in ',”"’'

    def _phrase_after(self, pos: int) -> tuple[int, int] | None:
        """A noun phrase after ``pos``: up to a comma or the sentence end, cut before a preposition."""
        end = self.sent.end
        for n, w in enumerate(_NONSPACE_RE.finditer(self.text, pos, end), 1):
            if n == _NP_WORDS:  # no more words are kept: the search for a stop ends here
                end = w.end()
                break
        stop = _NP_STOP_RE.search(self.text, pos, end)
        hi = stop.start() if stop else end
        kept: list[re.Match[str]] = []
        for w in _NONSPACE_RE.finditer(self.text, pos, hi):
            cut = w.group().lower().rstrip(".") in _NP_CUT and not w.group().isupper()  # "WHO" is a name
            if (kept and cut) or len(kept) == _NP_WORDS:
                break
            kept.append(w)
        while len(kept) > 1 and kept[-1].group().rstrip(".,") in _WEEKDAYS:
            kept.pop()  # "confirmed a government official Sunday": when, not who
        if not kept:
            return None
        s, e = kept[0].start(), kept[-1].end()
        if self.text[e - 1] == "." and not _INITIALS_RE.fullmatch(kept[-1].group()):
            e -= 1
        return (s, e) if e > s else None

    # ---------------------------------------------------------------- regions

    def _regions(self) -> None:
        """What each cue governs: what follows it when a number is there, else its clause before."""
        cues, sent = self.cues, self.sent
        done = sent.start  # the end of what earlier cues govern
        opened = sent.start  # the start of the last forward region
        for i, cue in enumerate(cues):
            later = (cues[j] for j in range(i + 1, len(cues)))  # not a slice: a copy per cue
            nxt = next((c.anchor for c in later if not self._nested(cue, c)), sent.end)
            # "..., police said, and ...": a verb followed by a comma closes what came before it
            trailing = (
                _TRAILING_CUE_RE.match(self.text, cue.after) is not None
                if cue.kind != "according"
                else _RELATIVE_AFTER_RE.match(self.text, cue.after) is not None  # "according to X, which also said"
            )
            nxt = min(nxt, self._object_quote_end(cue.after))  # 'tweeted “thoughts and prayers” for ...'
            forward = not cue.inverted and not trailing and self.ex.has_number(cue.after, nxt)
            outlet = self.book.get(cue.speaker).kind is SourceKind.outlet
            if forward:
                cue.region = (cue.after, nxt)
                opened = cue.after
            elif outlet:  # only an outlet also covers what earlier speakers said: it relays them
                cue.region = (sent.start, cue.anchor)
            elif cue.kind == "according" and done > sent.start:
                # "X said N ..., according to Red Cross figures": the figures are the Red Cross's,
                # X relays them (the same region, read as the inner one: it comes later)
                cue.region = (min(opened, cue.anchor), cue.anchor)
            else:
                cue.region = (min(done, cue.anchor), cue.anchor)
            if not forward and self._parenthetical(cue, nxt):  # "Of 53 cases, the ministry said, three died"
                cue.region = (cue.region[0], nxt)
            if not forward and _AS_BEFORE_RE.search(self.ex.low, max(sent.start, cue.anchor - 4), cue.anchor):
                cue.region = (max(cue.region[0], self._number_before(cue.anchor)), cue.region[1])
            done = max(done, cue.region[1] if forward else cue.after)
            cue.inverted = not forward
            window = (cue.anchor, cue.after) if forward else (cue.anchor, sent.end)
            cue.date = _stated_date(self.ex.date_in(*window), self.ex.published_at)

    def _object_quote_end(self, pos: int) -> int:
        """Where a quote right after a verb ends (its words are what was said), else the sentence end."""
        j = pos
        while j < self.sent.end and self.text[j] == " ":
            j += 1
        if self.ex.low[max(self.sent.start, j - 6) : j].rstrip().endswith("that"):
            return self.sent.end  # 'said that "the new number" is 14': a fragment of the clause
        i = bisect.bisect_left(self.ex.quote_bounds, j)
        if i < len(self.ex.quotes) and self.ex.quotes[i][0] == j:
            return self.ex.quotes[i][1]
        return self.sent.end

    def _number_before(self, pos: int) -> int:
        """Where the number before the last one before ``pos`` ends: "108 and not 114 as stated by X"
        governs 114 only."""
        i = bisect.bisect_left(self.ex.token_starts, pos) - 2
        return self.ex.tokens[i].end() if i >= 0 else self.sent.start

    def _parenthetical(self, cue: _Cue, nxt: int) -> bool:
        """A cue set between commas inside its clause ("..., the ministry reported, three died") governs both sides."""
        m = _PARENTHETICAL_RE.match(self.ex.low, cue.after, nxt)
        return m is not None and cue.kind != "according" and self.ex.has_number(m.end(), nxt)

    def _nested(self, outer: _Cue, inner: _Cue) -> bool:
        if inner.anchor < outer.after or inner.kind == "continuing":
            return False  # "..., adding that ...": the same speaker's next clause, not a nested one
        gap = _ADJ_THAT_RE.fullmatch(self.text, outer.after, inner.anchor)
        return gap is not None


# A sentence opening on a capitalised name and its verb: "Governor Jane Smith visited ..."
_SUBJECT_NAME_RE = re.compile(r"\s*((?:[A-Z][a-z'’.-]+\s+){1,3}[A-Z][a-z'’-]+)(?=,|\s+[a-z])")
# Sixth round: the person a sentence opens on, behind a title ("The director, Ahmad Karimi, urged
# ..."), or a title alone ("The minister gave details.").
_OPENING_SUBJECT_RES = (
    _SUBJECT_NAME_RE,
    re.compile(r"\s*(?:The|the)\s+[\w\s’'-]{1,40}?,\s+((?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’-]+),"),
    re.compile(r"\s*((?:The|the)\s+(?:[a-z-]+\s+)??[a-z-]+)(?=\s+[a-z]+\b)"),  # "The minister gave"
    re.compile(r"\s*((?:The|the)\s+[a-z-]+\s+[a-z-]+)(?=\s+[a-z]+\b)"),  # "The police chief arrived"
)
_AUXILIARY_RE = re.compile(r"(?:has|have|had|would|will)(?:\s+(?:also|\w+ly))?")
_PART_BREAK_RE = re.compile(r",|\s(?:[—–]|--)\s")
_WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
_VALUE_AT_RE = re.compile(r"[^.;]{0,80}?\b(?:at|to)\s")
_CLAIMED_LIVES_RE = re.compile(r"claim(?:s|ed)?\s+(?:the\s+lives\b|[\w,.+\s-]{1,30}?\blives\b)")
_SUBORDINATOR_END_RE = re.compile(r"\b(?:when|where|after|since|once)$")
_APPOSITION_GAP = 40  # characters between a title and the comma before its person's name
_TOLD_WORDS = 4  # words of a "told X" object read as the outlet told
_TITLE_REACH = 5  # words of an apposition read for its title: "the Interim Management Committee Chairman"
_APPOSITION_STOPS = frozenset("of for at in to with from and who which".split())
_COVERING = 8  # cues read around one figure: the innermost gives the claimant, the others relays


class _Sweep:
    """The cue regions of one sentence that hold positions asked in increasing order.

    Regions enter when the position passes their start and are dropped once it passes their end;
    the ones held are kept by length, so the innermost are read first and at most _COVERING of
    them (an outlet's "according to" covers the sentence from its start: thousands may overlap).
    """

    def __init__(self, cues: list[_Cue]) -> None:
        self.cues = cues
        self.by_start = sorted(range(len(cues)), key=lambda k: cues[k].region[0])
        self.entered = 0
        self.held: list[tuple[int, int]] = []  # (length, index in cues), sorted
        self.pos = -1

    def covering(self, pos: int) -> list[_Cue]:
        self.pos, cues = pos, self.cues
        while self.entered < len(cues) and cues[self.by_start[self.entered]].region[0] <= pos:
            k = self.by_start[self.entered]
            bisect.insort(self.held, (cues[k].region[1] - cues[k].region[0], k))
            self.entered += 1
        out: list[_Cue] = []
        i = 0
        while i < len(self.held) and len(out) < _COVERING:
            cue = cues[self.held[i][1]]
            if cue.region[1] <= pos:
                del self.held[i]  # ended: no later position is inside it
                continue
            out.append(cue)
            i += 1
        return out


class _Covered:
    """Spans added in any order, asked about at positions that never decrease: is one inside a span?"""

    def __init__(self) -> None:
        self.later: list[tuple[int, int]] = []  # (start, end) by start; those before ``self.k`` are begun
        self.k = 0
        self.pos = -1
        self.reach = -1  # the furthest end of the spans begun at or before ``self.pos``

    def add(self, s: int, e: int) -> None:
        if s <= self.pos:
            self.reach = max(self.reach, e)
        else:
            bisect.insort(self.later, (s, e), lo=self.k)

    def covers(self, pos: int) -> bool:
        self.pos = pos
        while self.k < len(self.later) and self.later[self.k][0] <= pos:
            self.reach = max(self.reach, self.later[self.k][1])
            self.k += 1
        return self.reach > pos


def _comma_parts(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The parts of text[lo:hi] between commas or spaced dashes ("Reuters — citing activists —
    reported"), as spans without surrounding spaces."""
    parts: list[tuple[int, int]] = []
    start = lo
    for brk in (*_PART_BREAK_RE.finditer(text, lo, hi), None):
        end = hi if brk is None else brk.start()
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            parts.append((s, e))
        if brk is not None:
            start = brk.end()
    return parts


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Drop a leading "and", a relative clause and trailing adverbs and auxiliaries from a speaker phrase."""
    m = _LEADING_RE.match(text, s, e)
    if m:
        s = m.end()
    rel = _RELATIVE_RE.search(text, s, e)  # "Minister K K Shailaja who briefed the media here said"
    if rel and rel.start() > s:
        e = rel.start()
    t = _TRAILING_RE.search(text, s, e)
    if t and t.start() > s:
        e = t.start()
    return s, e


def _without_document(raw: str) -> str:
    """ "the Health Ministry data" -> "the Health Ministry"; "the committee's statement" -> "the committee"."""
    words = raw.split()
    if len(words) < 2 or words[-1].lower().strip(".") not in _DOCUMENT_NOUNS:
        return raw
    return _POSSESSIVE_END_RE.sub("", raw[: raw.rstrip().rfind(" ")])


def _spokesman_for(apposition: str) -> str:
    """ "a spokesman for the health ministry" -> "health ministry"."""
    m = _SPOKESMAN_FOR_RE.search(apposition.strip())
    return m.group(1).strip() if m else ""
