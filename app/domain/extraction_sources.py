"""Sources: how a noun phrase names one (an outlet, a titled person, a capitalised name, a common
noun of ``source_words.tsv``, a social media handle), and the book of the sources met so far, in
order, that "the official", "he" or a surname refers back to."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import lru_cache

from app.domain.extraction_dates import _DATE_RE
from app.domain.extraction_layout import _INITIALS_RE
from app.domain.extraction_lexicon import _Lexicon, _lexicon, _norm
from app.domain.extraction_records import ProposedSource, _Np, _Source
from app.domain.vocab import SourceKind

PUBLISHER_KEY = "publisher"
PUBLISHER_NAME = "Publisher of the article (not named in the text)"
_PUNCT = ",;:()[]\"“”‘’'"
_MEMBERS_RE = re.compile(r",\s*|\s+and\s+")
# Lower-case particles that begin a capitalised name: "al-Turki", "el-Sisi", "bin Salman", "van Dijk".
_NAME_PARTICLE_RE = re.compile(
    r"(?:al|el|ad|ar|as|an|ash|at|az|bin|ibn|abu|de|del|della|di|da|van|von|le|la|ul)(?:[-‘’'][A-Z]|$)"
)
_PRONOUNS = {"he": "he", "him": "he", "she": "she", "her": "she", "it": "it", "they": "they", "them": "they"}
_SLUG_RE = re.compile(r"[^a-z0-9]+")
_POSTS = frozenset("post statement message tweet".split())  # a definite one is the latest author's
_LINKING_WORDS = frozenset(
    "however meanwhile moreover furthermore also but and still yet separately later earlier".split()
)
_TIME_LEADS = frozenset("in on during since until".split())
_SMALL_WORDS = frozenset("of for and the on in de al without".split())


class _SourceBook:
    """The sources met so far, in order, and how a noun phrase refers to one."""

    def __init__(self, lex: _Lexicon, text: str, publisher: str | None) -> None:
        self.lex = lex
        self.text = text
        self.publisher_name = publisher
        self.sources: list[_Source] = []
        # Back-references look for the latest source mentioned that fits: each source gets a stamp
        # when mentioned, and is put on a stack per way it can be referred to (its name, the
        # pronouns and aliases it fits); the latest is on top, an entry with an old stamp is dropped
        # when it comes to the top.
        self.stamp: list[int] = []  # per source id: when it was last mentioned
        self.clock = 0
        self.stacks: dict[tuple[str, str], list[tuple[int, int]]] = {}  # (stamp, id), by stamp
        self.publisher: int | None = None
        self.author: int | None = None  # the latest person or body mentioned: what "the post" is by
        if publisher is not None:
            self.publisher_id()

    def publisher_id(self) -> int:
        if self.publisher is None:
            name = self.publisher_name or PUBLISHER_NAME
            self.publisher = self._new(_Np(name, SourceKind.outlet, "publisher"), None).id
        return self.publisher

    def get(self, sid: int) -> _Source:
        return self.sources[sid]

    def classify(self, raw: str, initial: bool = False) -> _Np | None:
        """Read a noun phrase as a source, or None when it names none ("the death toll")."""
        np = _classified(raw, initial)  # cached: a copy, since a caller may set its parent
        if np is None:
            return None
        return _Np(np.name, np.kind, np.head, np.definite, np.pronoun, np.title, np.parent, np.affiliation)

    # ---------------------------------------------------------------- resolving references

    def resolve(self, np: _Np, span: tuple[int, int]) -> int | None:
        """The source a phrase refers to: an earlier one it fits, else a new one."""
        found = self._earlier(np)
        if found is None and np.pronoun:
            return None
        src = found or self._new(np, span)
        if found is not None:
            src.mentions.append(span)
            self._touch(src)
        return src.id

    def _earlier(self, np: _Np) -> _Source | None:
        """The latest source mentioned that the phrase refers to, if any."""
        if np.pronoun:
            return self._latest(("pronoun", "he" if np.pronoun == "she" else np.pronoun))
        low = np.name.lower()
        same = self._latest(("name", low), lambda s: s.name.lower() == low)
        if same is not None:
            return same
        if np.definite and np.head in _POSTS and self.author is not None:
            return self.sources[self.author]  # "X posted this on Telegram. “...,” the post reads.": X's
        if np.definite and np.head in ("outlet", "newspaper", "broadcaster", "agency", "channel", "daily"):
            outlet = self._latest(("outlet", ""), lambda s: s.id != self.publisher)
            if outlet is not None:
                return outlet
        if np.definite or len(np.name.split()) == 1:
            return self._latest(("alias", np.head), lambda s: s.id != self.publisher)
        return None

    def _touch(self, src: _Source) -> None:
        """``src`` is the latest source mentioned."""
        self.clock += 1
        self.stamp[src.id] = self.clock
        if src.id != self.publisher and src.kind not in (SourceKind.outlet, SourceKind.other):
            self.author = src.id
        keys = [("name", src.name.lower()), ("outlet", "") if src.kind is SourceKind.outlet else None]
        keys += [("pronoun", p) for p in ("he", "it", "they") if _fits_pronoun(src, p)]
        keys += [("alias", a) for a in src.aliases]
        for key in keys:
            if key is not None:
                self.stacks.setdefault(key, []).append((self.clock, src.id))

    def _latest(self, key: tuple[str, str], fits: Callable[[_Source], bool] | None = None) -> _Source | None:
        """The latest source mentioned on the stack ``key`` that still fits it."""
        stack = self.stacks.get(key, [])
        while stack:
            stamp, sid = stack[-1]
            src = self.sources[sid]
            if self.stamp[sid] == stamp and (fits is None or fits(src)):
                return src
            stack.pop()  # mentioned again since, renamed, or the publisher: never the answer here
        return None

    def _new(self, np: _Np, span: tuple[int, int] | None) -> _Source:
        aliases = {np.head} | ({np.title} if np.title else set())
        src = _Source(len(self.sources), np.name, np.kind, np.head, aliases, affiliation=np.affiliation)
        if span is not None:
            src.mentions.append(span)
        self.sources.append(src)
        self.stamp.append(0)
        self._touch(src)
        if np.parent:
            parent_np = self.classify(np.parent)
            at = -1 if span is None else self.text.find(np.parent, span[0], span[1])
            if parent_np is not None:
                parent_span = None if at < 0 else (at, at + len(np.parent))
                parent = self._earlier(parent_np) or self._new(parent_np, parent_span)
                src.parent = parent.id
                src.affiliation = src.affiliation or parent.affiliation
                self._touch(src)  # "He says" after "Arif Noori, spokesman for the governor,": Noori, not the governor
        return src

    def identify(self, group: int, span: tuple[int, int]) -> None:
        """ "The sources, identified as A and B": the group is named so; A and B become sources."""
        src = self.sources[group]
        text = self.text[span[0] : span[1]].strip(" ,")
        src.name = text
        key = ("name", text.lower())
        bisect.insort(self.stacks.setdefault(key, []), (self.stamp[group], group))  # found by its new name
        src.mentions.append(span)
        pos = span[0]
        for part in _MEMBERS_RE.split(text):
            at = self.text.find(part, pos, span[1])
            pos = max(pos, at + len(part))
            np = self.classify(part)
            if np is None or not part:
                continue
            member = self.resolve(np, (at, at + len(part)))
            if member is not None and member != group:
                self.sources[member].relay = self.sources[member].relay or src.relay

    # ---------------------------------------------------------------- output

    def keys(self) -> dict[int, str]:
        keys: dict[int, str] = {}
        taken: set[str] = set()
        last: dict[str, int] = {}  # base -> the suffix it last got (1: none): the ones below are taken
        for src in self.sources:
            base = PUBLISHER_KEY if src.id == self.publisher and self.publisher_name is None else _slug(src.name)
            n = last.get(base, 1)
            while (key := base if n == 1 else f"{base}-{n}") in taken:
                n += 1  # base, base-2, base-3 ...
            last[base] = n
            taken.add(key)
            keys[src.id] = key
        return keys

    def proposals(self, keys: dict[int, str]) -> tuple[ProposedSource, ...]:
        return tuple(
            ProposedSource(
                key=keys[s.id],
                name=s.name,
                kind=s.kind,
                parent=None if s.parent is None else keys[s.parent],
                affiliation=s.affiliation,
                mentions=tuple(sorted(set(s.mentions))),
            )
            for s in self.sources
        )


class _NpReader:
    """Reads a noun phrase as a source: an outlet, a titled person, a name, or a common noun."""

    def __init__(self, lex: _Lexicon) -> None:
        self.lex = lex

    def classify(self, raw: str, initial: bool = False) -> _Np | None:
        """Read a noun phrase as a source, or None when it names none ("the death toll")."""
        words = [w for w in (x.strip(_PUNCT) for x in raw.split()) if w]
        if words and words[-1].endswith(".") and not _INITIALS_RE.fullmatch(words[-1]):
            words[-1] = words[-1].rstrip(".")
        if not words or len(words) > 11:
            return None
        if words[0].lower() in ("we", "i", "you", "us", "me"):
            return None  # the speaker of the quote around it, not a source of its own
        if len(words) == 1 and words[0].lower() in _LINKING_WORDS:
            return None  # "However, ... said": an adverb opening the sentence, no name
        if (words[0].lower() in _TIME_LEADS and words[-1].isdigit()) or _DATE_RE.fullmatch(" ".join(words).lower()):
            return None  # "in October 2017", "March 7": when it was said, not who said it
        if len(words) == 1 and words[0].startswith("@") and len(words[0]) > 1:  # a social media handle
            return _Np(words[0], SourceKind.other, words[0].lower())
        if len(words) == 1 and words[0].lower() in _PRONOUNS:
            return _Np(words[0], SourceKind.other, "", pronoun=_PRONOUNS[words[0].lower()])
        definite = words[0].lower() in ("the", "this", "that", "our")
        if words[0].lower() in ("the", "a", "an", "one", "this", "that", "these", "those", "our"):
            words, initial = words[1:], False
        if not words:
            return None
        if len(words) == 2 and words[0].islower() and self._country(words[1]):
            words = words[1:]  # "neighboring Syria reports": the country
        owned = self._owned_person(words)
        if owned is not None:
            owned.definite = definite
            return owned
        words, parent, prep = self._title_of(words)
        np = (
            self._outlet(words)
            or self._person(words)
            or self._described(words)
            or self._named(words, initial)
            or self._common(words, initial)
        )
        if np is not None and parent and np.kind is SourceKind.anonymous and len(words) == 1:
            np.name = f"{np.name} {prep} {parent}"  # "a spokesperson for the IOM": named by whom it speaks for
        if np is not None:
            np.definite, np.parent = definite, np.parent or parent
            np.affiliation = np.affiliation or self._affiliation(words)
        return np

    def _country(self, word: str) -> bool:
        place = self.lex.places.get(_norm(word))
        return place is not None and place[1] == "country"

    def _owned_person(self, words: list[str]) -> _Np | None:
        """ "Al Jazeera's Andrew Simmons", "Ukraine's President Ivan Holub": a person of the body
        before the possessive (a name of two or three capitalised words, or a title and a name)."""
        for i, w in enumerate(words[:4]):
            if not w.endswith(("'s", "’s")):
                continue
            owner, rest = [*words[:i], w[:-2]], words[i + 1 :]
            if not 2 <= len(rest) <= 4 or not owner[-1]:
                return None
            np = self._person(rest)
            if np is None and len(rest) <= 3 and all(_capitalised(x) and x.lower() not in _SMALL_WORDS for x in rest):
                if any(self._kind_of(x) for x in rest):
                    return None  # "the army's Northern Command": a body, not a person
                np = _Np(" ".join(rest), SourceKind.person, rest[-1].lower())
            own = self._outlet(owner) or self._named(owner, False)
            if np is None or own is None or own.kind is SourceKind.person:
                return None
            np.parent = " ".join(owner)
            return np
        return None

    def _title_of(self, words: list[str]) -> tuple[list[str], str, str]:
        """ "spokesman for the regional government": the spokesman, speaking for the government;
        "head of the regional administration Alexander Prokudin": Prokudin, its head."""
        for i, w in enumerate(words[:-2]):
            if w.islower() and self.lex.kinds.get(w) == "title" and words[i + 1] in ("for", "at", "of", "to"):
                rest, prep = words[i + 2 :], words[i + 1]
                if rest[0].lower() == "the":  # the name keeps the article as written: "head of the Regional ..."
                    rest, prep = rest[1:], f"{prep} {rest[0]}"
                k = len(rest)
                while k > 0 and _capitalised(rest[k - 1]) and rest[k - 1].lower() not in _SMALL_WORDS:
                    k -= 1
                if 0 < k < len(rest) - 1 and rest[k - 1].islower():  # a name of two words or more after the body
                    return [w, *rest[k:]], " ".join(rest[:k]), prep
                if k == 0 and self._name_after_body(rest):  # "chief of Cal Fire Scott McLean": McLean
                    return [w, *rest[-2:]], " ".join(rest[:-2]), prep
                return words[: i + 1], " ".join(rest), prep
        return words, "", ""

    def _outlet(self, words: list[str]) -> _Np | None:
        for i in range(len(words)):
            if words[i].lower() not in self.lex.outlet_words:
                continue
            name = self.lex.outlets.get(_norm(" ".join(words[i:])))
            if name is not None and all(self.lex.kinds.get(w.lower()) == "outlet" or w.islower() for w in words[:i]):
                return _Np(name, SourceKind.outlet, _norm(words[-1]))
        return None

    def _person(self, words: list[str]) -> _Np | None:
        """A title before a capitalised name: "Russian Foreign Ministry spokeswoman Maria Zakharova"."""
        for i, w in enumerate(words[:-1]):
            kind = self.lex.kinds.get(w.lower().rstrip("."))  # "Maj. Tom Vance"
            one = kind == "anonymous" and w.islower() and not w.endswith("s")  # "local official Rakesh Mehra"
            if (kind == "title" or one) and words[i + 1][0].isupper():
                name = words[i + 1 :]
                if not all(_capitalised(n) for n in name):
                    return None
                before = words[:i]
                org = (
                    " ".join(before) if any(self._kind_of(b) in ("government", "organization") for b in before) else ""
                )
                return _Np(" ".join(name), SourceKind.person, name[-1].lower(), title=w.lower(), parent=org)
        return None

    def _described(self, words: list[str]) -> _Np | None:
        """ "the non-governmental organization Iraq Body Count", "the rights group Amnesty
        International": a body named after the common noun that describes it."""
        for i, w in enumerate(words[:-1]):
            kind = self._kind_of(w) if w.islower() else ""
            name = words[i + 1 :]
            if kind in ("government", "organization") and all(_capitalised(n) or n in _SMALL_WORDS for n in name):
                return _Np(" ".join(name), _KIND[kind], _head(name)) if name[0][0].isupper() else None
        return None

    def _name_after_body(self, rest: list[str]) -> bool:
        """Whether capitalised words after a title end on a person's two-word name, the body before
        it of two words or more ("Cal Fire Scott McLean"), not on the body's own words ("United
        Nations Relief Works Agency")."""
        if len(rest) < 4 or any(w.lower() in _SMALL_WORDS for w in rest):
            return False
        return not any(self._kind_of(w) or _norm(w) in self.lex.places for w in rest[-2:])

    def _named(self, words: list[str], initial: bool) -> _Np | None:
        """A capitalised name: a country, an organisation, a people, or a person's name."""
        big = [w for w in words if w.lower() not in _SMALL_WORDS]
        if (
            not all(_capitalised(w) for w in big)
            or not any(w[0].isalpha() for w in big)  # "62" alone names no one
            or (initial and len(words) == 1 and self._kind_of(words[0]))
        ):
            return None
        name, low = " ".join(words), _norm(" ".join(words))
        place = self.lex.places.get(low)
        if place is not None and place[1] != "adjective":
            kind = SourceKind.government if place[1] == "country" else SourceKind.anonymous
            return _Np(name, kind, low, affiliation=place[0])
        kinds = [self._kind_of(w) for w in words]
        # "Reporters Without Borders" is a body: a word for people names an anonymous voice only as the head
        skip = ("title", "anonymous") if self._kind_of(_head(words)) != "anonymous" else ("title",)
        known = next((k for k in reversed(kinds) if k and k not in skip), "")
        if known:
            return _Np(name, _KIND[known], _head(words))
        if len(words) == 1 or len(big) < len(words):
            return _Np(name, SourceKind.organization, _head(words))
        return _Np(name, SourceKind.person, words[-1].lower())

    def _common(self, words: list[str], initial: bool) -> _Np | None:
        """A common noun phrase: "U.S. official", "the health ministry", "three Russians"."""
        head = _head(words)
        kind = self._kind_of(head)
        if not kind or kind == "title":
            kind = "anonymous" if kind == "title" else ""
        if not kind:
            place = self.lex.places.get(head)
            if place is None or place[1] != "people":
                return None
            kind = "anonymous"
        first = words[0]
        lower_next = len(words) == 1 or not words[1][0].isupper()  # "Red Crescent officials" keeps its capital
        if initial and first[1:].islower() and lower_next and _possessor(first) not in self.lex.places:
            words = [first.lower(), *words[1:]]  # "Sources said", "Local media reported"
        return _Np(" ".join(words), _KIND[kind], head)

    def _kind_of(self, word: str) -> str:
        low = word.lower().strip(".'’")
        kinds = self.lex.kinds
        if low in kinds:
            return kinds[low]
        if low.endswith("ies"):  # "agencies", "ministries"
            return kinds.get(low[:-3] + "y", "")
        return kinds.get(low[:-1], "") if low.endswith("s") else ""

    def _affiliation(self, words: list[str]) -> str | None:
        for w in words:
            low = _possessor(w)
            if w == "us":
                continue
            place = self.lex.places.get(low)
            if place is not None:
                return place[0]
        return None


@lru_cache(maxsize=8192)  # "police", "officials", "the ministry": speakers recur
def _classified(raw: str, initial: bool) -> _Np | None:
    return _NpReader(_lexicon()).classify(raw, initial)


_KIND = {
    "government": SourceKind.government,
    "organization": SourceKind.organization,
    "outlet": SourceKind.outlet,
    "anonymous": SourceKind.anonymous,
    "person": SourceKind.person,
    "document": SourceKind.other,
}


def _head(words: list[str]) -> str:
    """The head noun: the last word, or the word before "of"/"for" ("ministry of health")."""
    for i, w in enumerate(words[1:], 1):
        if w.lower() in ("of", "for", "in", "on", "familiar", "close", "with", "from", "at"):
            return words[i - 1].lower()
    return words[-1].lower().strip(".")


def _capitalised(word: str) -> bool:
    """A word of a name: capitalised, or a particle before a capital ("al-Turki", "bin Salman")."""
    return word[0].isupper() or word[0].isdigit() or _NAME_PARTICLE_RE.match(word) is not None


def _possessor(word: str) -> str:
    """ "Ukraine's" -> "ukraine"."""
    return word.lower().removesuffix("'s").removesuffix("’s")


def _fits_pronoun(src: _Source, pronoun: str) -> bool:
    if pronoun in ("he", "she"):
        # a bare capitalised word ("Sultan said") is read as an organisation, but is most often a surname
        surname = src.kind is SourceKind.organization and " " not in src.name and not src.name.isupper()
        single = src.kind is SourceKind.anonymous and not src.head.endswith("s")
        return src.kind is SourceKind.person or surname or single
    if pronoun == "it":
        return src.kind in (SourceKind.government, SourceKind.organization, SourceKind.outlet)
    return src.kind in (SourceKind.anonymous, SourceKind.government, SourceKind.organization)


def _slug(name: str) -> str:
    slug = _SLUG_RE.sub("-", name.lower()).strip("-")
    return slug.removeprefix("the-") or "source"
