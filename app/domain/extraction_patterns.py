"""The patterns and bounds the extraction passes share (rule numbers: ``app.domain.extraction``)."""

from __future__ import annotations

import re

from app.domain.extraction_dates import _LOW_MONTHS, _MONTH_END
from app.domain.vocab import Modality
from app.domain.wording import ADDITIVE_MARKERS, HEDGES

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
    # fifth round: measures, ratios, outages and people in need are not casualty counts
    r"|-half\b"  # "one-half mile"
    r"|-\s+or\s+[\w-]+-(?:foot|feet|metre|meter|mile|inch|storey|story|year|month|week)\b"  # "a four- or five-story"
    r"|\s+(?:out\s+of|in)\s+every\b"  # "1 in every 77 people": a ratio
    r"|\s+out\s+of\s+(?:10|100|1,?000|ten|a\s+hundred|a\s+thousand)\b(?![\d,])"  # "seven out of 10 cases"
    # sixth round: "a 7-magnitude earthquake"; dates "23 to 29 September", "on 23 and 24 October"
    r"|-magnitude\b"
    rf"|\s+(?:to|and)\s+\d{{1,2}}\s+(?:{_LOW_MONTHS}){_MONTH_END}\b"
)
# People counted who are not casualties, a few words after the number (fifth round). Matched only where
# one of _NOT_PEOPLE_KEYS_RE's words follows the number closely: the word runs are slow at every number.
_NOT_PEOPLE_AFTER_RE = re.compile(
    r"\s+(?:[\w-]+\s+){0,2}?without\s+(?:power|electricity)\b"  # "Millions Without Power": an outage
    r"|\s+(?:[\w-]+\s+){0,2}?in\s+(?:dire\s+|urgent\s+|desperate\s+)?need\b"  # "21.6 million are in dire need"
    r"|\s+(?:[\w-]+\s+){0,2}?(?:live|reside)\s+in\b"  # "About 1,200 people live in the village": a population
    # "500 police officers were deployed": sent to help, not struck
    r"|\s+(?:[\w-]+\s+){0,3}?(?:were|was|have\s+been|had\s+been|are|being)\s+(?:\w+\s+)?"
    r"(?:deployed|dispatched|mobili[sz]ed|stationed)\b"
    # sixth round: "1,000 workers were part of the rescue team", "250 workers ... were involved in the rescue"
    r"|\s+(?:[\w-]+\s+){0,8}?(?:were|are)\s+(?:involved\s+in|part\s+of)\s+the\s+(?:rescue|search|relief)\b"
)
_NOT_PEOPLE_KEYS_RE = re.compile(r"without|need|live|reside|deploy|dispatch|mobili|station|involved|part of")
_LIST_NUMBER_RE = re.compile(r"\.\s?[A-Z]")  # after a number opening a line: "8.According to ...", "9. While ..."
_NOT_PEOPLE_REACH = 80  # characters after a number where those words are looked for
_NOT_COUNT_BEFORE_RE = re.compile(
    rf"\b(?:aged|age|ages|age\s+of|(?:{_LOW_MONTHS}){_MONTH_END}\.?|(?:town|city|village|population|community)\s+of)\s+$"
    r"|\b(?:aged|ages\s+of)\s+between\s+$|\bages\s+of\s+$"  # "aged between 21 and", "the ages of 17 and 56"
    # "aged 27 and 33", "the ages of seven and 12"
    r"|\b(?:aged|ages\s+of)\s+(?:between\s+)?(?:\d+|[a-z]+)\s*(?:,|and|to|or|-|–)\s*$"
    r"|\baged\s+(?:under|over|below|above|about|around)\s+$"  # "aged under four"
    r"|\bshort\s+of\s+(?:[a-z]+\s+)?(?:the\s+)?$"  # "six short of touching the 2,000-mark"
    # sixth round: a label, not a count: "in epidemiological week 39", "(Update 4)", "weeks 41 (...) and 42"
    r"|\b(?:weeks?|update)\s+$|\bweeks\s+\d+\s+\([^()]{0,40}\)\s+and\s+$"
)
# Fifth round, searched only when the word before the number is one of _NOT_COUNT_LAST_WORDS (each
# alternative ends on one of them): more alternatives here slowed every number's check sixfold.
_NOT_COUNT_BEFORE_MORE_RE = re.compile(
    r"\baged\s+from\s+$|\baged\s+from\s+(?:\d+|[a-z]+)\s*(?:to|-|–)\s*$"  # "aged from four to 10"
    r"|\s(?:out\s+of|in)\s+every\s+$|(?<![\w.,])(?:1|one)\s+in\s+$"  # the base of a ratio: "1 in (every) 77"
    # people sent or votes cast: "deployed 500 police officers", "voted 278 to 0", "a vote of 151-0"
    r"|\b(?:deployed|dispatched|mobili[sz]ed|stationed)\s+(?:(?:some|about|around|more\s+than|over|nearly)\s+)?$"
    r"|\b(?:voted|vote\s+of|margin\s+of)\s+(?:\d[\d,]*\s*(?:to|-|–)\s*)?$"
    # the agent of a passive, not its victims: "arrested by 12 soldiers", "killed by two gunmen"
    r"|\b(?:killed|arrested|injured|wounded|detained|kidnapped|abducted|attacked|beaten|captured|shot)\s+by\s+"
    r"(?:(?:some|about|around|at\s+least|more\s+than|over|nearly|up\s+to)\s+)?$"
)
_NOT_COUNT_LAST_WORDS = frozenset(
    "from to - – every in by some about around least than over nearly up deployed dispatched mobilised "
    "mobilized stationed voted of".split()
)
# The other side of a ratio: "1 in 167", "seven out of 10" (the base 10, 100 or 1,000 read from the number before it).
_RATIO_ONE_AFTER_RE = re.compile(r"\s+in\s+\d")
_RATIO_BASE_BEFORE_RE = re.compile(r"(?:\d|\b[a-z]+)\s+out\s+of\s+$")
_RATIO_BASES = frozenset({"10", "100", "1000", "1,000", "ten", "hundred", "thousand"})
# A measure: "two and one-half miles", "two and a half hours" (not "two and a half million people", nor
# "a million and a half people": a scale word before or after the half makes it a count).
_AND_A_HALF_RE = re.compile(
    r"\s+and\s+(?:a|one)[\s-]half\b(?![\s-]+(?:million|thousand|hundred|billion|dozen|lakh|crore)\b)"
)
_SCALE_WORDS = frozenset("hundred thousand million billion dozen dozens hundreds thousands millions".split())
# A threshold, not a count: "disasters which resulted in 5 or more fatalities", "attacks with 10 or more deaths".
_THRESHOLD_BEFORE_RE = re.compile(r"\b(?:in|with|of|involving|causing)\s+$")
_OR_MORE_AFTER_RE = re.compile(r"\s+or\s+(?:more|fewer|less)\b")
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
# Where a speaker's clause may start: "... was announced Thursday when a WHO official said 17 ..."
_CLAUSE_BREAK_RE = re.compile(
    r"[;:”(]|\"(?=\s)|\b(?:although|though|but|while|whereas|that|because|when|where|after|since|once)\b|,\s+and\b"
)
# A wire dateline opening a sentence: "Kabul - ", "KABUL (Reuters) - ", "Amman, Sep. 10 (Petra) -- ".
_DATELINE_RE = re.compile(r"[A-Z][\w.,'’ ]{1,30}?(?:\s*\([^()]{1,40}\))?\s+(?:--?|–|—)\s+(?=[A-Z])")
_BOUNDARY_RE = re.compile(r"[;:—–()]|\s--?\s|(?<=[a-z])-\s(?=\w)|\b(?:although|though|but|while|whereas|however)\b")
# A toll's verb before its value: "has risen to 6", "reached 926", "stood at 14".
_TOLL_VERB_RE = re.compile(
    r"\b(?:rose|risen|reached|climbed|increased|jumped|stood|stands|grew|soared|raised|surged|is|was)"
    r"(?:\s+\w+){0,2}?\s+(?:to|at)?\s*$"
)
_ASIDE = 250  # characters an aside or a sentence's subject may span between a number and its metric word
# The owner before "'s toll of": up to four words, the last capitalised or a source word.
# "the army's toll of", "Saudi Arabia’s official tally of", "Saudi officials’ tally of": the possessor
_POSSESSOR_RE = re.compile(r"((?:[\w.-]+\s+){0,3}[\w.-]+)(?:['’]s|(?<=s)['’])\s+(?:[a-z-]+\s+){0,2}$")
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
# "... kills 8 -police", "... rescued – police in Katzina said": a dash, its source and maybe "said"
_HEADLINE_DASH_RE = re.compile(r"\s?[-–—]\s?([A-Za-z][\w.'’]*(?:\s+[\w.'’]+){0,3}?)(?:\s+(?:said|says|say))?\s*$")
# "Several killed in shelling of Mykolaiv: Region’s governor": a colon, then only its source
_HEADLINE_END_RE = re.compile(r":\s+([A-Za-z][\w.'’-]*(?:\s+[\w.'’-]+){0,3})\s*$")
# A social post quoted as a line: "@Ramblurr: ...", "@andrewheiss (Cairo, Egypt): ..."
_HANDLE_LINE_RE = re.compile(r"(@\w{2,30})(?:\s*\([^()]{0,40}\))?:\s")
_INCLUDING_RE = re.compile(r"(?:^|\s)including\s+")
# Nouns after a metric word that make it a modifier: "rescue workers", "missing persons unit".
_MODIFIED_RE = re.compile(
    r"\s+(?:workers|teams|crews|efforts|operations?|services|units?|personnel|vehicles|boats|dogs|officials)\b"
)
# A metric word that is not what befell the people counted (fifth round): an infinitive after a warning
# ("warned to evacuate": told to go, not gone; "ordered to evacuate" is annotated as displaced), a body
# part lost ("lost four fingers": hurt, not dead).
_WARNED_BEFORE_RE = re.compile(r"\b(?:warned|urged|advised|asked|encouraged)\s+(?:\w+\s+)?to\s+$")
_BODY_PART_AFTER_RE = re.compile(
    r"\s+(?:(?:his|her|their|an?|both|one|two|three|four|five|\d+)\s+)?"
    r"(?:fingers?|thumbs?|toes?|eyes?|legs?|arms?|hands?|feet|foot|limbs?|sight|hearing|teeth)\b"
)
# "the number of girls living in that hostel was 80": a count named at the clause start that is not a toll
_NUMBER_OF_RE = re.compile(r"\b(?:the|a)\s+(?:total\s+)?(?:number|count|total)\s+of\s+")
# People "affected" are infected in an epidemic ("3527 people have been affected by swine flu"), not in a
# disaster or a war ("20,000 people affected by the floods" counts no casualty): a text naming a disaster and
# no disease does not read "affected" as infected (fifth round).
_DISASTER_RE = re.compile(
    r"\b(?:flood\w*|storms?|cyclones?|hurricanes?|typhoons?|(?:earth)?quakes?|tsunamis?|landslides?|mudslides?"
    r"|wildfires?|fires?|droughts?|eruptions?|tornado(?:e?s)?|rains|war|conflict|fighting|violence|attacks?"
    r"|blasts?|explosions?|shelling|strikes?)\b"
)
_DISEASE_RE = re.compile(
    r"\b(?:virus|viral|outbreak|epidemic|pandemic|disease|illness|infect\w*|flu|influenza|h\dn\d|cholera|ebola"
    r"|marburg|nipah|measles|dengue|malaria|covid(?:-19)?|coronavirus|sars|mers|hepatitis|tuberculosis|diphtheria"
    r"|tetanus|polio|plague|typhoid|meningitis|mpox|monkeypox|fever|diarrh(?:o)?ea|pneumonia)\b"
)
# A metric verb right before a number is that number's ("affected 300,000 people and killed 12"): the figure
# before it does not take it (fifth round).
_VERB_OF_NEXT_RE = re.compile(
    r"\s+(?:(?:at\s+least|about|around|some|more\s+than|over|nearly|almost|up\s+to|another)\s+)?"
    r"(?:[\d,.]+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens|scores|hundreds|thousands)\b"
    r"(?:\s+(?P<next>[a-z]+))?"  # the word after the number: "trapped 260 feet below" is a measure, not an object
)
_BODY_NOUNS = frozenset({"bodies", "corpses", "remains"})  # counted as the dead whatever verb is before them
_IDENTIFIED_RE = re.compile(r"(?:identified|described|named)\s+as\s+", _I)
# Adverbs ("-ly") are set aside, but not the newspapers named by their rhythm ("the online daily")
# nor the nouns that end like one ("A new tally raised the toll", "the family said").
_NOT_ADVERBS = r"(?:daily|weekly|monthly|tally|rally|family|assembly|ally|supply|reply|anomaly)\b"
_ADVERBIAL_RE = re.compile(
    rf"(?!{_NOT_ADVERBS})[a-z]+ly|meanwhile|however|also|too|though|separately|instead|later|"
    r"earlier|again|in turn|"
    r"in a statement|in an? \w+(?: \w+)?|on \w+day|last \w+|yesterday|today|for (?:his|her|its|their) part",
)
_TRAILING_RE = re.compile(
    r"(?:\s+on\s+(?:X|Twitter|Telegram|Facebook|Instagram|TikTok|Weibo|social\s+media)\s*$)|"  # "@GazaNow on X said"
    rf"(?:\s+(?:(?!{_NOT_ADVERBS})[a-z]+ly|also|too|have|has|had|would|will|later|earlier|again|meanwhile|now|then|"
    r"still|already|just|so\s+far|thus\s+far|on\s+\w+day|last\s+week|yesterday|today))+\s*$"
)
_RELATIVE_RE = re.compile(r"\s+(?:who|whose|which)\s")
_RELATIVES = ("who ", "which ", "whose ")
_ASIDES = ("citing ", "quoting ", "according to ")
_CITING_ASIDE_RE = re.compile(
    r"(?:,|\s[—–]|\s--)\s*(?:citing|quoting)\s+([^,—–]+?)\s*(?:,|[—–]|--)"
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
_NAME_START_RE = re.compile(r"\s*((?:[A-Z][a-z'’-]+\s+){1,3}[A-Z][a-z'’-]+)(?=,|\s+(?:who|was|had|has|is)\b)")
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
# A line that only names the source of the sentence before it: "[Source: MoH NZ ]", "AFP report,
# via Times of India." (the first source claims; the one it came through is not read)
_SOURCE_LINE_RE = re.compile(
    r"\[\s*source:\s*(?P<who>[^\]]{2,80}?)\s*\]\s*$"
    r"|(?P<rep>[^,.;:\[\]]{2,40}?)\s+report(?:,\s*via\s+[^.]{2,60})?\.?\s*$"
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
# "..., police said, and ...", "..., an official said Wednesday, downplaying ...": the verb (and its
# day) closes what came before it
_TRAILING_CUE_RE = re.compile(
    r"(?:\s+(?:on\s+)?(?:[A-Z][a-z]+day|yesterday|today))?\s*(?:,(?!\s*[“\"]|\s*(?:citing|quoting)\b)|[.;]|$)"
)
# "an estimated", "were reported killed", "123 confirmed cases", "reported by states": not a speaker's verb
_NOT_SPOKEN_RE = re.compile(r"(?:\b(?:an|the|was|were|been|is|are|by|of|from|across|all|many|several)|\d)\s+$")
# "Gunmen believed to belong to a gang", "a man said to be a commander": these verbs before an
# infinitive describe their subject and report nothing (not "claims to have identified 123")
_INFINITIVE_AFTER_RE = re.compile(
    r"(?:believed|thought|said|reported|known|feared|understood)\s+to\s+"
    r"(?:be|have|belong|come|number|total|stand|exceed|reach|include)\b"
)
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
    r"[\w\s'’).-]*(?:,|;|\band\b|\bincluding\b|\bplus\b|\bof them\b|\bamong them\b|\bin addition to\b|\balong with\b"
    r"|\bfollowed by\b|\(|—|–|:|\s--?\s)[\w\s,'’-]*\(?"  # "Gujarat (368), Madhya Pradesh (176)"
)
# What a comparison is made with, when it is a count of another time that the text does not give.
_PAST_COUNT_RE = re.compile(
    r"(?:of\s+)?(?:[\w-]+\s+){0,4}?(?:reported|registered|recorded|counted|seen)\s+"
    r"(?:in\s+(?:the\s+whole\s+of\s+)?(?:1[89]|20)\d\d|\w+\s+(?:decades?|years?)\s+ago|last\s+year)\b",
    _I,
)
# "more than twice as many as a decade ago": the same comparison with the count of another time left out
_PAST_TIME_RE = re.compile(
    r"as\s+(?:in\s+(?:1[89]|20)\d\d|(?:a|an|one|two|three|four|five|ten|\d+)\s+(?:decades?|years?|months?)\s+ago"
    r"|last\s+(?:year|month)|the\s+(?:previous|year\s+before))\b",
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
