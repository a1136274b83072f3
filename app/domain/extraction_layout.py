"""Layout: lines are paragraphs; a sentence ends at ``. ! ?`` (and any citation markers after it,
"figure.[2][3] The") before a capital, not after an abbreviation ("U.S.", "Feb.", an initial). The
headline is the title where the text holds it, else a short first line with no final period. A
speech quote is “...” or "..." on one line. Every function is linear in the text."""

from __future__ import annotations

import re

from app.domain.extraction_records import _Sentence

_LINE_RE = re.compile(r"[^\n]+")
# A run of stops is tried from its first character only: from inside it, the same run end fails
# the same way, and retrying each of "....." made a long run quadratic.
_SENT_END_RE = re.compile(r"(?<![.!?])[.!?]+[’”\"')\]]*(?:\[\d+\])*(?=\s+[‘“\"'(\[]?[A-Z0-9])")  # "figure.[2][3] The"
_ABBREVIATIONS = frozenset(
    "mr. mrs. ms. dr. gen. col. lt. sgt. capt. maj. brig. cpl. pvt. adm. cmdr. supt. insp. det. "
    "gov. sen. rep. st. no. vs. etc. inc. corp. jr. sr. "
    "jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec. approx. est. ca. c.".split()
)
_INITIALS_RE = re.compile(r"(?:[A-Za-z]\.)+")
_QUOTE_RE = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"")  # what _speech_quotes finds, in linear time
_OPENER_RE = re.compile(r"[“\"]")


def _lower(text: str) -> str:
    """``text`` in lower case, character for character (a few letters lengthen when lowered)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _speech_quotes(text: str) -> list[tuple[int, int]]:
    """The spans ``_QUOTE_RE.finditer(text)`` gives, without its rescan of the line per opener.

    An opener with no closer before the line ends is not a quote, and no later opener of the
    same kind in that line is either: the line is searched once per kind of quote. But an opener
    starting a line with no closer in it quotes the whole line: press style leaves the closer off
    every paragraph of a long quote but the last.
    """
    out: list[tuple[int, int]] = []
    none_before = {"“": -1, '"': -1}  # the end of a line known to hold no closer of that kind
    line_end = -1
    pos = 0
    while (m := _OPENER_RE.search(text, pos)) is not None:
        i, opener = m.start(), m.group()
        pos = i + 1
        if i >= line_end:
            nl = text.find("\n", i)
            line_end = len(text) if nl < 0 else nl
        if i < none_before[opener]:
            continue
        j = text.find("”" if opener == "“" else '"', i + 1, line_end)
        if j < 0 and (i == 0 or text[i - 1] == "\n"):
            out.append((i, line_end))  # a quote of several paragraphs: each opens, only the last closes
            pos = line_end
            continue
        if j < 0:
            none_before[opener] = line_end
            continue
        out.append((i, j + 1))
        pos = j + 1
    return out


_CITATIONS_END_RE = re.compile(r"(?:\s*\[\d{1,3}\])+$")


def _headline_span(text: str, title: str | None) -> tuple[int, int] | None:
    """Where the headline is in ``text``: the title's place, or a short first line with no period."""
    if title is not None:
        at = text.find(title.strip()) if title.strip() else -1
        return None if at < 0 else (at, at + len(title.strip()))
    first = _LINE_RE.search(text)
    if first is None:
        return None
    line = first.group().strip()
    ended = _CITATIONS_END_RE.sub("", line)  # "... via Times of India. [2]": a sentence's end, cited
    if not line or len(line) > 200 or ended[-1:] in (".", ":") or len(line.split()) > 25:
        return None
    start = first.start() + first.group().index(line[0])
    if _ends_a_sentence_inside(text, start, start + len(line)):
        return None  # "There were 64 cases. [Source: Health Ministry ]": sentences, no headline
    return start, start + len(line)


def _ends_a_sentence_inside(text: str, start: int, end: int) -> bool:
    """Whether a period ends a sentence before the end of text[start:end] (not an abbreviation's)."""
    return any(
        text[m.start()] == "." and m.end() < end and not _is_abbreviation(text, start, m.start())
        for m in _SENT_END_RE.finditer(text, start, end)
    )


def _sentences(text: str, headline: tuple[int, int] | None) -> list[_Sentence]:
    out: list[_Sentence] = []
    for para, line in enumerate(_LINE_RE.finditer(text)):
        start, end = line.span()
        for m in _SENT_END_RE.finditer(text, start, end):
            if text[m.start()] == "." and _is_abbreviation(text, start, m.start()):
                continue
            _add_sentence(out, text, start, m.end(), para, headline)
            start = m.end()
        _add_sentence(out, text, start, end, para, headline)
    return out


def _add_sentence(
    out: list[_Sentence], text: str, start: int, end: int, para: int, headline: tuple[int, int] | None
) -> None:
    raw = text[start:end]
    kept = raw.strip()
    if kept:
        start += len(raw) - len(raw.lstrip())
        end = start + len(kept)
        is_head = headline is not None and headline[0] <= start < headline[1]
        out.append(_Sentence(len(out), start, end, para, is_head))


def _is_abbreviation(text: str, line_start: int, dot: int) -> bool:
    word_start = max(text.rfind(" ", line_start, dot) + 1, line_start)
    word = text[word_start : dot + 1]
    return word.lower() in _ABBREVIATIONS or bool(_INITIALS_RE.fullmatch(word))
