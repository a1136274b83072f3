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
   else the first line when it is short and has no final period. A speech quote is “...” or
   "..." of three words or more; a paragraph opening on a quote mark with no closer is a quote
   (press style closes only a long quote's last paragraph), spoken by the cue of a paragraph
   before it that ends in a colon.
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
   it ("the blast killed 12 people police said"); a date or "However" names no one.
3. Regions. A cue governs what follows it up to the next cue when a number is there (and no
   comma closes the verb: "..., police said, and ..."), else its clause before it -- back to the
   sentence start for an outlet, which relays the earlier speakers. A cue right after another's
   "that" is nested in it. A speech quote is governed by the cue beside it (also 'X said, "...'),
   else by the previous quote's speaker in that or the previous paragraph. A cue set between
   commas ("Of 53 cases, the ministry said, three died") governs both sides; a trailing
   "according to X" after another speaker's report is the inner one (X claims, the speaker
   relays); "as stated by X" governs only the number before it; a quote right after a verb is
   what the verb reports ('tweeted “thoughts and prayers” ... that left four dead': not Trump's).
4. Numbers. Digits and number words are found first; only then is the context read. Not
   proposed: years, dates, ages, times, durations, money, percentages, ordinals, "one of", "no
   one", numbers in names ("Flight 17", "F-16"), numbers inside a source's own description ("one
   U.S. official and three Russians said"), the old value of a change ("up from 30", "raised the
   toll from 64 to 2,975"), citation markers ("[176]"), date ranges ("7-8 February"), ages listed
   before "years old" or after "aged"/"the ages of", times ("23:00"), "six short of", how many
   were on board ("had about 140 people on board"; "all 62 people on board were killed" counts),
   "several of the survivors", the whole of a share ("eight of the 166"), a town's population, numbers
   counting things or groups (``things.txt``: buildings, families, strikes, recordings) or a
   rate ("per square yard") -- which leave the metric word to the figure beside them -- and
   numbers with no metric word near them, or a comparison with a count the text does not give
   ("double the number of deaths reported in 2014"). The phrase (additive + hedge + quantity) is read by
   ``wording.read``; the span ends where the reader's counted words begin.
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
   in Yangon and two in Mandalay"); a metric word past an aside ("18 people -- among them ... --
   were killed") or a toll named at the clause start ("the number of civilians killed ... has
   risen to 6") is read; a sentence opening on a breakdown ("Of those, nine were women") shares
   the last sentence's figure's metric and claimant. Lists of places share the metric ("followed
   by X at 165, Y at 71", "It is followed by X (368), Y (176)", "-- 21 from X, two each from Y");
   a toll named before its verb keeps it over the next clause's word ("the death toll rose to
   1,694 and the number of cases ..."); a count in parentheses or a dash reads the word before it
   ("the most deaths (3,587)"); "The 367, including ..." restates the earlier figure of that value.
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
``extraction_dates`` (rule 9), ``extraction_linking`` (rules 10 and 11) and ``extraction_records``
(what the passes hand each other); this module reads the cues, the numbers and the figures.

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
from dataclasses import dataclass
from datetime import datetime

from app.domain.errors import Cancelled, DomainError, TooManyFigures
from app.domain.extraction_dates import _DATE_RE, _LOW_MONTHS, _MONTH_END, _stated_date
from app.domain.extraction_layout import (
    _INITIALS_RE,
    _headline_span,
    _lower,
    _sentences,
    _speech_quotes,
)
from app.domain.extraction_lexicon import _entry, _Lexicon, _lexicon, _norm
from app.domain.extraction_linking import _link_and_inherit, _merge_restatements
from app.domain.extraction_records import (
    Extraction,
    ProposedFigure,
    ProposedSource,
    _Cue,
    _Fig,
    _Metric,
    _Np,
    _Sentence,
)
from app.domain.extraction_sources import (
    _PUNCT,
    PUBLISHER_KEY,
    PUBLISHER_NAME,
    _capitalised,
    _NpReader,
    _SourceBook,
)
from app.domain.intervals import Bound
from app.domain.vocab import Modality, SourceKind
from app.domain.wording import ADDITIVE_MARKERS, HEDGES, Reading, read

__all__ = [
    "MAX_FIGURES",
    "PUBLISHER_KEY",
    "PUBLISHER_NAME",
    "Extraction",
    "ProposedFigure",
    "ProposedSource",
    "extract",
]


# --------------------------------------------------------------------------- patterns

_I = re.IGNORECASE
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion dozen dozens score scores hundreds thousands millions tens "
    "several few handful couple double twice triple treble thrice quadruple half third quarter"
)
# Digits not glued to letters, money signs, dates or times; then number words (in lower-cased
# text). Scanned first: the context is only read around these.
_TOKEN_RE = re.compile(
    r"(?<![\w.,$€£¥₹/:-])\d+(?:[.,]\d+)*(?![\w/:]|[.,]\d)"
    rf"|\b(?:{'|'.join(sorted(_NUMBER_WORDS.split(), key=len, reverse=True))})\b"
    r"|\ba\s+number(?=\s+of\b)"  # "a number of people were killed": vague
)
_HEDGE_WORDS = frozenset(HEDGES)
_ADDITIVES = frozenset(ADDITIVE_MARKERS)
_PREFIX_WORD_RE = re.compile(r"[^\s“”‘’\"'(\[/]+")  # "Damascus/At least 23": a slash ends a word
_CHANGES = frozenset(
    "up down rose risen rising increased climbed jumped grew fell dropped raised revised lowered upped updated "
    "toll tally number figure count".split()  # "the toll from 64 to 2,975": a change, whoever made it
)
# Run over the lower-cased text: ages, times and dates around a number.
_NOT_COUNT_AFTER_RE = re.compile(
    r"[-\s](?:years?|months?|weeks?)[-\s]old\b|-(?:year|month|week)\b"
    r"|(?:(?:,|\s+and|\s+or)\s*\d+)+\s+(?:years?|months?|weeks?)\s+old\b"  # "were 66, 70 and 95 years old"
    r"|\s+\d+/\d+|-(?:foot|feet|metre|meter|mile|inch|storey|story|alarm)\b"  # "a five-alarm blaze"
    r"|[\s-]+(?:thirds?|quarters?|fifths?|tenths?|halves)\b"  # "one-third of the dead": a share
    r"|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock|gmt\b|utc\b|hrs\b)"
    rf"|\s+(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec){_MONTH_END}\b"  # "may" after a number: a verb
    rf"|[-–]\d{{1,2}}\s+(?:{_LOW_MONTHS}){_MONTH_END}\b"  # a date range: "7-8 February"
    r"|\s+short\s+of\b"  # "six short of the 2,000 mark"
)
_NOT_COUNT_BEFORE_RE = re.compile(
    rf"\b(?:aged|age|ages|(?:{_LOW_MONTHS}){_MONTH_END}\.?|(?:town|city|village|population|community)\s+of)\s+$"
    r"|\b(?:aged|ages\s+of)\s+between\s+$|\bages\s+of\s+$"  # "aged between 21 and", "the ages of 17 and 56"
    # "aged 27 and 33", "the ages of seven and 12"
    r"|\b(?:aged|ages\s+of)\s+(?:between\s+)?(?:\d+|[a-z]+)\s*(?:,|and|to|or|-|–)\s*$"
    r"|\baged\s+(?:under|over|below|above|about|around)\s+$"  # "aged under four"
    r"|\bshort\s+of\s+(?:[a-z]+\s+)?(?:the\s+)?$"  # "six short of touching the 2,000-mark"
)
# People on board, not casualties: "the boat had about 140 people on board", "there were between 500 and 550
# people on board" (but "all 189 people on board were killed" counts).
_ON_BOARD_AFTER_RE = re.compile(r"\s+(?:[\w-]+\s+){0,3}(?:on\s+board|aboard)\b")
_CAPACITY_BEFORE_RE = re.compile(
    r"\b(?:had|has|have|carrying|carried|carries|with|were|was|of)\s+"
    r"(?:(?:about|some|around|nearly|almost|roughly|approximately|between|more\s+than|over|up\s+to)\s+)?"
    r"(?:\d[\d,]*\s+(?:and|to)\s+)?$"
)
# "eight of the 166", "150 of the village's 1,800 residents" (but "one of three civilians killed": three died)
_SHARE_OF_RE = re.compile(
    r"(?:\d|\b(?:two|three|four|five|six|seven|eight|nine|ten))\s+of\s+(?:the\s+)?(?:[\w-]+['’]s\s+|its\s+|their\s+)?$"
    r"|\bone\s+of\s+(?:the\s+|[\w-]+['’]s\s+|its\s+|their\s+)$"
)
_CAP_BEFORE_RE = re.compile(r"(?<![\w.'’])([A-Z][\w.]*)\s$")
_NOT_NAMES = frozenset("the all both these those their its his her our and but of at in on to by with for from".split())
_ONE_BEFORE_RE = re.compile(r"\b(?:no|any|every|each|the|this|which)\s+$")  # "said that one person died" counts
_ONE_AFTER_RE = re.compile(r"\s+(?:of|another|day|time|side|way|more\s+(?:time|day|week|year|thing))\b")
# A year-like number that counts people: "documented the death of 1953 people".
_PEOPLE_AFTER_RE = re.compile(r"\s+(?:people|persons|civilians|deaths|dead|victims)\b")
# "several of the survivors said": a vague part of a group, not a count of it
_VAGUE_PART_RE = re.compile(r"\s+of\s+(?:the|them|those|these|their|his|her|its)\b")
_YEAR_RE = re.compile(r"1[89]\d\d|20\d\d")
_HEDGE_BEFORE_RE = re.compile(rf"(?<![\w])(?:{'|'.join(map(re.escape, sorted(HEDGES, key=len, reverse=True)))})\s*$")

_WORD_RE = re.compile(r"\w+")
_NONSPACE_RE = re.compile(r"\S+")
_NP_STOP_RE = re.compile(r"[,;“”\"]")
_NP_WORDS = 10  # words of a noun phrase read after a verb
_SPEAKER_WINDOW = 300  # characters before a verb searched for its speaker: a longer part names no one

# These run over the lower-cased text.
_CLAUSE_BREAK_RE = re.compile(r"[;:”(]|\"(?=\s)|\b(?:although|though|but|while|whereas|that|because)\b|,\s+and\b")
_BOUNDARY_RE = re.compile(r"[;:—–()]|\s--?\s|(?<=[a-z])-\s(?=\w)|\b(?:although|though|but|while|whereas|however)\b")
# A toll's verb before its value: "has risen to 6", "reached 926", "stood at 14".
_TOLL_VERB_RE = re.compile(
    r"\b(?:rose|risen|reached|climbed|increased|jumped|stood|stands|grew|soared|raised|surged|is|was)"
    r"(?:\s+\w+){0,2}?\s+(?:to|at)?\s*$"
)
_ASIDE = 250  # characters an aside or a sentence's subject may span between a number and its metric word
# The owner before "'s toll of": up to four words, the last capitalised or a source word.
_POSSESSOR_RE = re.compile(r"((?:[\w.-]+\s+){0,3}[\w.-]+)['’]s\s+(?:own\s+|latest\s+|death\s+|new\s+)*$")
# A sentence that opens on a breakdown of the figure before it ("Among them were 12 children").
_BREAKDOWN_RE = re.compile(
    r"[“\"‘']?(?:(?:among|of|including)|[\w,-]+\s+of)\s+(?:them|those|these|whom|the\s+(?:dead|victims|injured|wounded|missing))\b"
    r"|(?:they|those\s+(?:killed|injured|wounded|dead))\s+included\b"
    r"|(?:it|this|they|that)\s+(?:is|are|was|were)\s+(?:\w+\s+)?followed\s+by\b"  # a ranking continued
    r"|[\w,-]+\s+(?:seriously|critically|severely|gravely)\b"  # "181 others were injured. 49 seriously."
    r"|[\w,-]+\s+(?:were|are)\s+(?:\w+\s+)?(?:children|women|men|minors|civilians|soldiers|girls|boys|students"
    r"|policemen|police\s+officers|foreigners|fighters|militants)\b"  # "Twelve were children"
)
# A transcript's speaker: "MS. MAYA SHARMA:", "JOHN SMITH:" (two capitalised words or a title).
_TRANSCRIPT_RE = re.compile(
    r"((?:(MR|MS|MRS|DR|Mr|Ms|Mrs|Dr)\.\s+[A-Z][A-Z'’.-]+|[A-Z][A-Z'’.-]+\s+[A-Z][A-Z'’.-]+)"
    r"(?:\s+[A-Z][A-Z'’.-]+){0,2}):\s"
)
# A headline's source: "Iraqi Officials: ..." before, "... kills 8 -police" after.
_HEADLINE_SOURCE_RE = re.compile(r"([A-Z][\w.'’-]*(?:\s+[\w.'’-]+){0,3}):\s")
_HEADLINE_DASH_RE = re.compile(r"\s?[-–—]\s?([A-Za-z][\w.'’]*(?:\s+[\w.'’]+){0,2})\s*$")
_INCLUDING_RE = re.compile(r"(?:^|\s)including\s+")
# Nouns after a metric word that make it a modifier: "rescue workers", "missing persons unit".
_MODIFIED_RE = re.compile(
    r"\s+(?:workers|teams|crews|efforts|operations?|services|units?|personnel|vehicles|boats|dogs|officials)\b"
)
_BODY_NOUNS = frozenset({"bodies", "corpses", "remains"})  # counted as the dead whatever verb is before them
_IDENTIFIED_RE = re.compile(r"(?:identified|described|named)\s+as\s+", _I)
# Adverbs ("-ly") are set aside, but not the newspapers named by their rhythm ("the online daily").
_ADVERBIAL_RE = re.compile(
    r"(?!daily\b|weekly\b|monthly\b)[a-z]+ly|meanwhile|however|also|too|though|separately|instead|later|"
    r"earlier|again|in turn|"
    r"in a statement|in an? \w+(?: \w+)?|on \w+day|last \w+|yesterday|today|for (?:his|her|its|their) part",
)
_TRAILING_RE = re.compile(
    r"(?:\s+on\s+(?:X|Twitter|Telegram|Facebook|Instagram|TikTok|Weibo|social\s+media)\s*$)|"  # "@GazaNow on X said"
    r"(?:\s+(?:(?!daily\b|weekly\b|monthly\b)[a-z]+ly|also|too|have|has|had|would|will|later|earlier|again|meanwhile|now|then|"
    r"still|on\s+\w+day|last\s+week|yesterday|today))+\s*$"
)
_RELATIVE_RE = re.compile(r"\s+(?:who|whose|which)\s")
_RELATIVES = ("who ", "which ", "whose ")
_ASIDES = ("citing ", "quoting ", "according to ")
_CITING_ASIDE_RE = re.compile(
    r",\s*(?:citing|quoting)\s+([^,]+),"
)  # "The agency, citing officials, said": not the speaker
_POSSESSIVE_END_RE = re.compile(r"['’]s?$")
_POST_BY_RE = re.compile(
    r"(?:an?|the)\s+(?:[\w-]+\s+){0,2}(?:post|tweet|video|message|statement|update|letter)\s+(?:by|from)\s+", _I
)
_SUBJECT_CUT_RE = re.compile(r"\s+(?:of|in|from|at|off|near|on)\s")
# A participle after a speaker's name: "Al Jazeera's Andrew Simmons reporting from Maiduguri, said",
# "The ministry run by Hamas said".
_OWNED_BY = r"belonging\s+to|affiliated\s+(?:with|to)|run\s+by|controlled\s+by|loyal\s+to|allied\s+(?:with|to)"
_PARTICIPLE_CUT_RE = re.compile(
    rf"\s+(?:(?:reporting|speaking|writing|briefing|visiting)\s+(?:from|to|in|on|at)|{_OWNED_BY})\s"
)
_OWNED_BY_RE = re.compile(rf"\s*((?:the\s+)?[\w.'’-]+(?:\s+[\w.'’-]+){{0,5}}?)\s+(?:{_OWNED_BY})\s", _I)
_PRONOUN_END_RE = re.compile(r"\b(?:as|when|while|and|but|before|after|because)\s+(he|she)\s*$")
# A person's name opening a sentence: "Zurmina Bibi, who was caught in the fighting, ...".
_NAME_START_RE = re.compile(r"\s*((?:[A-Z][a-z'’-]+\s+){1,2}[A-Z][a-z'’-]+)(?=,|\s+(?:who|was|had|has|is)\b)")
# A relative clause whose pronoun is its verb's subject: "which interviewed a resident", "who was".
_RELATIVE_VERB_RE = re.compile(r"(?:[a-z]+ly\s+)?(?:[a-z]+ed|is|was|are|were|has|had|have|does|did)\b")
# A sentence that names the source of the one before it (run over the lower-cased text).
_BACKWARD_RE = re.compile(
    r"(?:this|that|these|the\s+(?:information|figures?|data|numbers?|toll|report))\s+"
    r"(?:was|were|has\s+been|have\s+been)\s+(?:\w+ly\s+)?"
    r"(?P<by>(?:reported|announced|confirmed|stated|said|given|provided|published|released|shared)\s+by)\s"
    r"|(?P<who>[^,.;:]{2,80}?)\s+(?:gave|provided|shared|released|published|confirmed|reported|announced)\s+"
    r"(?:(?:this|these|that|those)\s+(?:information|figures?|data|numbers?|details|toll)\b"
    r"|the\s+(?:figures?|numbers?|toll)\W*$)"  # "X confirmed the numbers.": a sentence of its own
)
_ACRONYM_CLOSE_RE = re.compile(r"[A-Z][A-Za-z.&-]{1,11}\)")
_RELATIVE_AFTER_RE = re.compile(r"\s*,\s*(?:which|who|whose)\b")
# A document owned by a name: "according to a Reuters tally of official reports", "an AFP count of".
_OWNED_DOCUMENT_RE = re.compile(
    r"\s*(?:(?:the|a|an)\s+)?((?:[A-Z][\w.&'’-]*\s+){0,3}[A-Z][\w.&'’-]*)\s+"
    r"(?:tally|count|analysis|review|survey|calculation|compilation|estimate)\s+(?:of|based\s+on)\b"
)
# A post named after its verb, with where it came from: "said a tweet in Arabic from the official account of".
_POST_FROM_RE = re.compile(
    r"\s*(?:an?|the)\s+(?:[\w-]+\s+){0,2}(?:post|tweet|message|statement|update|video)(?:\s+in\s+\w+)?\s+"
    r"(?:by|from)\s+(?:(?:the|its|their|his|her)\s+)?(?:official\s+)?"
    r"(?:(?:Telegram|X|Twitter|Facebook|Instagram|TikTok)\s+)?(?:(?:account|page|channel|feed)\s+of\s+)?"
)
_ACCOUNT_RE = re.compile(
    r"['’]s?\s+(?:official\s+)?(?:(?:Telegram|X|Twitter|Facebook|Instagram|TikTok|WhatsApp|YouTube)\s+)?"
    r"(?:channel|account|page|feed)$"
)
_LEADING_RE = re.compile(r"^(?:(?:and|but|so|then|yet|as)\s+)+", _I)
# Adjuncts between a verb and what it reports: "said on Feb. 7, 2018 that", "told reporters on Tuesday:".
_ADJUNCT = (
    r"on\s+[a-z]+\.?(?:\s+\d{1,2}(?:,?\s+\d{4})?)?|last\s+\w+|yesterday|today|earlier|later|"
    r"in\s+an?\s+\w+(?:\s+\w+)?|to\s+reporters|late\s+\w+|early\s+\w+"
)
# One way to split the spaces around a comma, and at most _MAX_ADJUNCTS adjuncts: "\s*,?\s*" repeated
# backtracked exponentially ("said on Monday on Monday ..." x 20 took seconds).
_MAX_ADJUNCTS = 6
_SEP = r"\s*(?:,\s*)?"
_THAT_RE = re.compile(rf"(?:{_SEP}(?:{_ADJUNCT})){{0,{_MAX_ADJUNCTS}}}{_SEP}(?:that\b|:)", _I)
_ADJ_THAT_RE = re.compile(rf"(?:{_SEP}(?:{_ADJUNCT})){{0,{_MAX_ADJUNCTS}}}{_SEP}(?:that\b)?\s*", _I)
_SPOKESMAN_FOR_RE = re.compile(r"\b(?:spokes(?:man|woman|person)|official)\s+(?:for|at|of|with)\s+(?:the\s+)?(.+)$")
_CLAUSE_PUNCT_RE = re.compile(r"[,;:.]")
# A comma after a cue, then a clause that is not a new one ("and ...", "adding ...", "while ...").
_PARENTHETICAL_RE = re.compile(
    r"\s*,\s+(?!and\b|but\b|while\b|as\b|though\b|although\b|adding\b|saying\b|citing\b|with\b|when\b"
    r"|after\b|which\b|who\b|in\b|on\b|at\b|according\b|[“\"])"
)
# 'said, "...' opens a quote and 'reported, citing X, that ...' goes on: neither closes the cue
_TRAILING_CUE_RE = re.compile(r"\s*(?:,(?!\s*[“\"]|\s*(?:citing|quoting)\b)|[.;]|$)")
# "an estimated", "were reported killed", "123 confirmed cases", "reported by states": not a speaker's verb
_NOT_SPOKEN_RE = re.compile(r"(?:\b(?:an|the|was|were|been|is|are|by|of|from|across|all|many|several)|\d)\s+$")
_INTERVIEW_RE = re.compile(r"\s+in\s+an\s+interview\s+with\s+", _I)
_DOCUMENT_RE = re.compile(
    r"^(?:(?:the|a|an)\s+)?(?-i:[a-z-]+\s+)?"  # "collated data from", "the latest figures by"; not "UN figures"
    r"(?:figures|data|estimates?|tally|count|statement|reports?|information|numbers|statistics|note|summary)"
    r"(?:\s+(?:from|by|of|released\s+by|compiled\s+by|published\s+by)\s+|$)",
    _I,
)
_DOCUMENT_LEAD_RE = re.compile(
    r"\s+(?:(?:the|a|an)\s+)?(?:[a-z-]+\s+)?(?:figures|data|estimates?|tally|count|statement|reports?|information"
    r"|numbers|statistics|post|tweet|video|message)\s+(?:from|by|of|released\s+by|compiled\s+by|published\s+by)\s+"
)
_DOCUMENT_NOUNS = frozenset(
    "tally count figures data estimate estimates report reports statement information statistics note summary".split()
)
_NP_CUT = frozenset(
    "in on at during after before told adding citing who which when while to that late early with from by "
    "till until since as published released issued compiled obtained seen cited posted shared based "
    "contacted quoted interviewed reached updated earlier later".split()
)
_SCOPE_STOP = frozenset(
    "were was is are be been being have has had who whom whose that which in on at by after during "
    "from with and or to for as since when while last this than into near across amid among "
    "including mostly mainly most many some others other it they".split()
)
_DETERMINERS = frozenset("the a an one this that these those its their his her our".split())
_GENERIC_HEADS = frozenset("people persons individuals".split())
_IDENTITY_RE = re.compile(
    r",\s*(?:presumably|apparently|probably|possibly|likely|reportedly|believed\s+to\s+be|"
    r"thought\s+to\s+be|all)\s+([^,;.]+)",
    _I,
)
# What joins a figure to the breakdown after it: a list, "including", a parenthesis or a dash.
_COORD_RE = re.compile(
    r"[\w\s'’)-]*(?:,|\band\b|\bincluding\b|\bplus\b|\bof them\b|\bamong them\b|\bin addition to\b|\balong with\b"
    r"|\bfollowed by\b|\(|—|–|:|\s--?\s)[\w\s,'’-]*\(?"  # "Gujarat (368), Madhya Pradesh (176)"
)
# What a comparison is made with, when it is a count of another time that the text does not give.
_PAST_COUNT_RE = re.compile(
    r"(?:of\s+)?(?:[\w-]+\s+){0,4}?(?:reported|registered|recorded|counted|seen)\s+"
    r"(?:in\s+(?:the\s+whole\s+of\s+)?(?:1[89]|20)\d\d|\w+\s+(?:decades?|years?)\s+ago|last\s+year)\b",
    _I,
)
_THE_BEFORE_RE = re.compile(r"\bthe\s+$")
_RESTATED = 16  # earlier figures a bare "the 367" is looked up among
_AS_BEFORE_RE = re.compile(r"\bas\s+$")  # "114 as stated by the government": the one number before it
_OF_THEM_RE = re.compile(r"\s+of\s+(?:them|those|whom|these)\b")  # "12 of them were women"
_ANAPHOR_RE = re.compile(r"\b(?:the|that|this|their|its)\s+(?:number|figure|total|tally|count)\b")
_ANAPHOR_START_RE = re.compile(r"\b(?:the|that|this|their|its)\s+(?:number|figure|total|tally|count)")
_JOINERS_RE = re.compile(r"\b(?:in addition to|along with|together with|followed by)\b")
_BREAKDOWN_MARK_RE = re.compile(r"\bincluding\s|\s--?\s|[—–:(]")  # what opens a breakdown of a whole
_PREPOSITION_RE = re.compile(r"\b(?:in|at|on|from|for|to|by|with|across|into|over|during|after)\b")
_OPEN_QUOTES = "‘'“\""
_CLOSE_QUOTES = "’'”\""
_WEAK = frozenset({"weak", "event"})  # strengths of metric words used only when no strong one is near
_MODALITY_ORDER = (Modality.retracted, Modality.denied, Modality.alleged, Modality.hedged, Modality.reported)


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
        speaks that sentence (as a cue of it, whose region is the whole sentence)."""
        for sent in self.sentences[1:]:
            m = _BACKWARD_RE.match(self.low, sent.start, sent.end)
            if m is None:
                continue
            prev = self.sentences[sent.index - 1]
            if sent.para - prev.para > 1 or sent.headline or prev.headline:
                continue
            if m.group("by") is not None:  # "This was reported by X": the cue read in its sentence names X
                cue = next((c for c in self.cues[sent.index] if c.anchor >= m.start("by")), None)
                speaker = None if cue is None else cue.speaker
            else:
                s, e = _trim(self.text, *m.span("who"))
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
        if m is None and sent.headline:
            m = _HEADLINE_SOURCE_RE.match(self.text, sent.start, sent.end) or _HEADLINE_DASH_RE.search(
                self.text, sent.start, sent.end
            )
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
        """Whether a quote opens its paragraph right after a paragraph ending in a colon."""
        if sent.index == 0 or qs != sent.start:
            return False
        prev = self.sentences[sent.index - 1]
        return prev.para == sent.para - 1 and self.text[prev.start : prev.end].rstrip().endswith(":")

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
    if _SHARE_OF_RE.search(low, max(0, s - 40), s):
        return True  # "eight of the 166 people on board": the whole a share is taken from
    if _ON_BOARD_AFTER_RE.match(low, e) and _CAPACITY_BEFORE_RE.search(low, max(0, s - 40), s):
        return True  # "had about 140 people on board": how many were on board, not a casualty count
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
    return not known and low not in _NOT_NAMES


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
        subject = self._subject(m.start())
        if subject is not None:
            speaker, anchor = subject
            inverted = False
        else:
            got = self._speaker_after(m.end()) if self._after_quote_or_comma(m.start()) else None
            if got is None:
                return None
            speaker, anchor, inverted = got, m.start(), True
        after, relay, words = self._object(m, role)
        src = self.book.get(speaker)
        if relay is not None and src.relay is None:
            src.relay = relay  # "Sources told Bloomberg": what they say later came through Bloomberg too
        cited = self._cited_aside(anchor, m.start()) if not inverted else None
        if cited is not None:  # "The Kyiv Independent, citing the governor, reported": the governor claims
            speaker, relay = cited, speaker
        return _Cue(anchor, after, speaker, relay, words, role, inverted=inverted)

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
        if np.kind is SourceKind.anonymous and self.text.startswith(",", e):  # "..., the ministry's spokesman, X,"
            named = self._phrase_after(e + 1)
            person = None if named is None else self.book.classify(self.text[named[0] : named[1]])
            if named is not None and person is not None and person.kind is SourceKind.person:
                np, (s, e) = person, named
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
        if j >= 0 and self._is_apposition(s, e) and self._is_name(*parts[j]):
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
        """A pronoun with no speaker before it: the person named at the start of its sentence."""
        if pronoun not in ("he", "she"):
            return None
        m = _NAME_START_RE.match(self.text, self.sent.start, self.sent.end)
        if m is None:
            return None
        np = self.book.classify(m.group(1))
        if np is None or np.kind is not SourceKind.person:
            return None
        return self.book.resolve(np, m.span(1))

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
        if raw.isupper() or words[0] in _NP_CUT or (len(words) > 1 and words[1] in _NP_CUT):
            return False  # "GAZA," (a dateline), "In Delhi,", "Posting on Facebook,": no name
        np = self.book.classify(raw)
        if np is None or not _capitalised(raw.removeprefix("The ")):
            return False
        return len(raw.split()) <= (4 if np.kind is SourceKind.person else 8)

    def _is_apposition(self, s: int, e: int) -> bool:
        """ "a spokesman for ...", "another pilgrim", "spokesman for the governor": describes the name before it."""
        words = self.text[s:e].split(maxsplit=2)
        first = words[0].lower()
        if first == "the":  # "the ministry's spokesman" describes; "the Red Cross" is a name of its own
            return len(words) > 1 and not words[1][0].isupper()
        return first in ("a", "an", "another") or self.ex.lex.kinds.get(first) == "title"

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
        after = span[1]
        if after < self.sent.end and self.text[after] == "," and not np.parent:
            comma = self.text.find(",", after + 1, self.sent.end)
            np.parent = _spokesman_for(self.text[after + 1 : comma if comma >= 0 else self.sent.end])
        self._exclude(*span)
        return self.book.resolve(np, span)

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
            if (kept and w.group().lower().rstrip(".") in _NP_CUT) or len(kept) == _NP_WORDS:
                break
            kept.append(w)
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
    """The comma-separated parts of text[lo:hi], as spans without surrounding spaces."""
    parts: list[tuple[int, int]] = []
    start = lo
    while True:
        comma = text.find(",", start, hi)
        end = hi if comma < 0 else comma
        s, e = start, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            parts.append((s, e))
        if comma < 0:
            return parts
        start = comma + 1


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
        if p.reading.bound is Bound.relative and _PAST_COUNT_RE.match(p.reading.counted):
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
        words = self.ex.metric_words.found(max(lo, p.start - _ASIDE), p.start)
        strong = [m for m in words if self._usable(m) and _entry(self.ex.lex.metrics, m)[1] not in _WEAK]
        return (
            self._metric_of(strong[0], _words_between(self.text, strong[0].end(), p.start), "far") if strong else None
        )

    def _usable(self, m: re.Match[str]) -> bool:
        if self.text[m.start()].isupper() and not self.sent.headline and m.start() != self.sent.start:
            return False  # "in March", "the Dead Sea": a capital mid-sentence is a name
        if _MODIFIED_RE.match(self.ex.low, m.end()):
            return False  # "500 rescue workers", "30 casualty teams": the word names who they are, not what befell them
        if _entry(self.ex.lex.metrics, m)[1] != "equipment":
            return True
        # "destroyed 12 tanks", not "destroyed 12 homes"; "lost 12 tanks", and "lost 500 soldiers" (killed)
        return self._counts_equipment() or _norm(m.group()) in self.ex.lex.people_metric

    def _counts_equipment(self) -> bool:
        counted = {w.strip(_PUNCT + ".").lower() for w in self.phrase.reading.counted.split()[:5]}
        return bool(counted & self.ex.lex.equipment)

    def _choose(self, left: list[re.Match[str]], right: list[re.Match[str]], nxt: int) -> _Metric | None:
        p, text, metrics = self.phrase, self.text, self.ex.lex.metrics
        strong_left = [m for m in left if _entry(metrics, m)[1] not in _WEAK]
        strong_right = [m for m in right if _entry(metrics, m)[1] not in _WEAK]
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
        weak += [(_words_between(text, p.end, m.start()), m) for m in right if m not in strong_right]
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
        return _COORD_RE.fullmatch(self.text, a, b) is not None

    def _parallel(self, prep: str) -> bool:
        """ "five deaths in Yangon and two in Mandalay" (also "two each from X"): the second figure
        repeats the first's preposition."""
        counted = self.phrase.reading.counted.split(maxsplit=2)
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


def _words_between(text: str, a: int, b: int) -> int:
    return len(_WORD_RE.findall(text, a, b)) if b > a else 0


def _headline_case(scope: str, lex: _Lexicon) -> str:
    """Title case of a headline undone: "Russian Fighters" -> "Russian fighters"."""
    out = []
    for w in scope.split():
        keep = w.isupper() or w.lower() in lex.places or w.lower() in lex.outlets
        out.append(w if keep else w.lower())
    return " ".join(out)


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
