"""Read the words of a figure ("more than 200", "around 100", "scores") as a bound and an interval.

DESIGN.md, "Figures are intervals": the words are kept, the interval is derived from them by the
rules below, so it can be re-derived when a rule or the tolerance ``t`` changes.

Grammar (case-insensitive; ``[x]`` is optional)::

    phrase    := [additive] [hedge] quantity [postfix] [counted]
    additive  := "another" | "an additional" | "a further" | "an extra" | ...
                 (marks an addition to an earlier figure; ignored for the interval)
    hedge     := a key of HEDGES: "more than", "at least", "up to", "around", "nearly", "~" ...
    quantity  := relative | vague | range | amount
    relative  := factor ["of"] ["the"] reference
                 factor    := double | twice | triple | half | "a third" | "3 times" ...
                 reference := "that number" | "that" | "as many" | "the figure" | ...
    vague     := a key of VAGUE_QUANTITIES ["of"]        ("scores of", "tens of thousands of")
               | ("a few" | "several" | "a couple") ["of"] scale    ("several hundred" = 3-9 x 100)
    range     := ["between" | "from"] amount ("to" | "-" | "–" | "and" | "or" | "through") amount
    amount    := [currency] number [multiplier] [unit]
    number    := digits: "1200", "1,200", "1 200", "1.2"  (a comma or space groups three digits)
               | words:  "two hundred and forty", "twenty-three", "a dozen", "fifteen hundred",
                         "half a million", "one and a half million", "a quarter of a million"
    currency  := "$" | "US$" | "€" | "£" | "₹" | "USD " | "EUR " | "GBP "
    multiplier:= "k" "bn" "mn" (attached or spaced) | "million" "billion" "thousand" "hundred"
                 | "m" "b" attached and only after a currency ("$3m"; a bare "3m" may be metres)
    unit      := "%" | "percent" | "dollars" | "euros" | "tonnes" | "km" | "hectares" | ...
    postfix   := "or more" | "plus" | "+" | "or fewer" | "or less" | "or so" | "-odd" ...
    counted   := whatever follows (a leading "of" dropped): "contract soldiers, mostly Russians"

Rules:

- Counts are integers: a closed end is rounded inwards to the whole numbers the words allow
  ("about 12", t = 0.2: [9.6, 14.4] -> [10, 14]); "more than n" is [n + 1, None), "fewer than n"
  is [0, n - 1]. A phrase that leaves no whole number is refused.
- Measures (money, percent, tonnes, km ...) keep real ends. The interval is closed, so an open
  end ("more than $1.2 million") is kept at its limit (low = 1,200,000) and the explanation says
  so: the difference has no width, and a touching end can never invent a conflict.
- A range whose first number is above its second is refused (InvalidInterval); so are
  "200 and 300" without "between", and "to" with no second number ("200 to be evacuated").
- A multiplier after the second number of a range also scales a first number stated without one
  and below it: "1.2 to 1.5 million", "two to three hundred"; "500 to 2 million" stays [500, 2e6].
- Only approximate hedges combine with a range ("about 200 to 300" widens both ends by ``t``).
- A hedge before a vague quantity: an order hedge (more than, up to ...) is applied to the table
  interval as in ``derive_relative`` with factor 1; an approximate or exact hedge leaves it as is.
- ``central`` is n for exact and "around n", a range's midpoint, factor x the reference's
  midpoint for an exact or approximate relative; None for open bounds, "nearly n" and vague.
- Unknown words before the quantity, a phrase without a number, two hedges: ``Unreadable``
  naming the words. Nothing is guessed.
- Digits are the ASCII digits 0-9 only: a quantity written in other digits ("٣٣", "３３"),
  which Python's regex digit class and ``int`` would accept, is ``Unreadable`` naming them.
- No figure is above ``MAX_VALUE`` (1e15): a number, a multiplied amount ("2,000 trillion"), a
  relative factor, or an interval end past it is refused (``InvalidInterval``, "beyond the
  largest figure accepted"). Digits are counted before any conversion, so a 400-digit number
  is refused, never overflowed.

Errors: ``Unreadable`` (words not understood, ``.words`` names them) and ``InvalidInterval``
(a reversed range, a negative or fractional count, a tolerance outside [0, 1), a number above
``MAX_VALUE``). ``read`` raises nothing else, whatever the text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from app.domain.errors import InvalidInterval, Unreadable
from app.domain.intervals import BEYOND_MAX, MAX_VALUE, Bound, Interval

__all__ = [
    "HEDGES",
    "POSTFIX_HEDGES",
    "ADDITIVE_MARKERS",
    "VAGUE_QUANTITIES",
    "Reading",
    "read",
    "derive_relative",
    "check_explicit",
]

# --------------------------------------------------------------------------- tables

HEDGES: dict[str, Bound] = {
    # gt: the figure is strictly above n
    "more than": Bound.gt,
    "over": Bound.gt,
    "in excess of": Bound.gt,
    "upwards of": Bound.gt,
    "above": Bound.gt,
    "just over": Bound.gt,
    "just above": Bound.gt,
    "well over": Bound.gt,
    "well above": Bound.gt,
    "far more than": Bound.gt,
    "slightly more than": Bound.gt,
    "a little over": Bound.gt,
    "a little more than": Bound.gt,
    "greater than": Bound.gt,
    ">": Bound.gt,
    # ge: n itself is allowed
    "at least": Bound.ge,
    "no fewer than": Bound.ge,
    "no less than": Bound.ge,
    "not fewer than": Bound.ge,
    "not less than": Bound.ge,
    "a minimum of": Bound.ge,
    "at minimum": Bound.ge,
    "as few as": Bound.ge,  # mirror of "as many as": names the low end the speaker allows
    "as little as": Bound.ge,
    "as low as": Bound.ge,
    ">=": Bound.ge,
    "≥": Bound.ge,
    # lt: strictly below n, from 0
    "fewer than": Bound.lt,
    "less than": Bound.lt,
    "under": Bound.lt,
    "below": Bound.lt,
    "just under": Bound.lt,
    "just below": Bound.lt,
    "well under": Bound.lt,
    "well below": Bound.lt,
    "<": Bound.lt,
    # le: n itself is allowed, from 0
    "at most": Bound.le,
    "up to": Bound.le,
    "upto": Bound.le,  # the one-word spelling of South Asian English
    "no more than": Bound.le,
    "not more than": Bound.le,
    "as many as": Bound.le,  # a ceiling: "as many as 50" does not promise 50
    "as much as": Bound.le,
    "as high as": Bound.le,
    "a maximum of": Bound.le,
    "at the most": Bound.le,
    "<=": Bound.le,
    "≤": Bound.le,
    # approx: [n(1 - t), n(1 + t)]
    "around": Bound.approx,
    "about": Bound.approx,
    "approximately": Bound.approx,
    "approx.": Bound.approx,
    "approx": Bound.approx,
    "roughly": Bound.approx,
    "some": Bound.approx,
    "an estimated": Bound.approx,
    "estimated": Bound.approx,
    "est.": Bound.approx,
    "circa": Bound.approx,
    "ca.": Bound.approx,
    "c.": Bound.approx,
    "in the region of": Bound.approx,
    "on the order of": Bound.approx,
    "of the order of": Bound.approx,
    "something like": Bound.approx,
    "somewhere around": Bound.approx,
    "~": Bound.approx,
    "≈": Bound.approx,
    # approx_below: [n(1 - t), n], the speaker's n is a ceiling just out of reach
    "nearly": Bound.approx_below,
    "almost": Bound.approx_below,
    "close to": Bound.approx_below,  # in reporting, "close to 1,000" is said of 950, not of 1,050
    "approaching": Bound.approx_below,
    "approaches": Bound.approx_below,  # "the toll approaches 3,000", as "approaching"
    "nearing": Bound.approx_below,
    "not quite": Bound.approx_below,
    "just short of": Bound.approx_below,
    "just shy of": Bound.approx_below,
    "nigh on": Bound.approx_below,
    # exact
    "exactly": Bound.exact,
    "precisely": Bound.exact,
    "only": Bound.exact,
    "just": Bound.exact,  # "just 5"; "just over" / "just under" are matched first (longest wins)
    "a total of": Bound.exact,
    # verbs of passing, as reporting writes a toll that went past a mark: [n + 1, inf)
    "surpassed": Bound.gt,
    "surpassed the": Bound.gt,
    "surpassing": Bound.gt,
    "crossed": Bound.gt,
    "crossed the": Bound.gt,
    "breached": Bound.gt,
    "breached the": Bound.gt,
    "topped": Bound.gt,
    "exceeded": Bound.gt,
    "exceeding": Bound.gt,
    "passed the": Bound.gt,
    "surpasses": Bound.gt,  # present and infinitive forms: "the toll surpasses 1,000", "expected to top 9,000"
    "surpass": Bound.gt,
    "exceeds": Bound.gt,
    "exceed": Bound.gt,
    "crosses": Bound.gt,
    "tops": Bound.gt,
    "to top": Bound.gt,
    "climb past": Bound.gt,  # "expected to climb past 75"
    "climbed past": Bound.gt,
    "rose past": Bound.gt,
    "rise past": Bound.gt,
}
"""Hedge words before a number -> the bound they give. The longest hedge in the text wins."""

POSTFIX_HEDGES: dict[str, Bound] = {
    "or more": Bound.ge,
    "or over": Bound.ge,
    "or above": Bound.ge,
    "and more": Bound.ge,
    "and above": Bound.ge,
    "and up": Bound.ge,
    "plus": Bound.ge,
    "-plus": Bound.ge,
    "+": Bound.ge,  # "1,000+" is read "1,000 or more"
    "or fewer": Bound.le,
    "or less": Bound.le,
    "or under": Bound.le,
    "or so": Bound.approx,
    "or thereabouts": Bound.approx,
    "-odd": Bound.approx,  # "200-odd": a little over or around 200
    "odd": Bound.approx,
}
"""Hedges written after the number ("200 or more", "1,000+", "100 or so") -> their bound."""

ADDITIVE_MARKERS: tuple[str, ...] = (
    "another",
    "an additional",
    "a further",
    "an extra",
    "additional",
    "further",
)
"""Words that add to an earlier figure ("another 200 to 300"); the interval counts only these."""

VAGUE_QUANTITIES: dict[str, tuple[float, float | None]] = {
    "a couple": (2, 3),  # strictly two, loosely "two or three"
    "a few": (2, 5),
    "a handful": (2, 6),  # as "a few", a little wider at the top
    "several": (3, 9),  # more than a couple, fewer than a dozen
    # Plurals of a unit are at least two of it, with no upper end: usage stretches them (the
    # seed's "scores" covered 200+), and an unbounded end never invents a conflict.
    "tens": (20, None),
    "dozens": (24, None),
    "scores": (40, None),  # fixed by DESIGN.md
    "hundreds": (200, None),
    "thousands": (2_000, None),
    "tens of thousands": (20_000, None),
    "hundreds of thousands": (200_000, None),
    "millions": (2_000_000, None),
    "tens of millions": (20_000_000, None),
    "hundreds of millions": (200_000_000, None),
    "billions": (2_000_000_000, None),
    "a number": (2, None),  # "a number of people": more than one, no size said
}
"""Vague quantity -> (low, high or None). "a few", "several" and "a couple" also take a scale:
"several hundred" = [300, 900], "a few thousand" = [2,000, 5,000], "a few dozen" = [24, 60]."""

_SCALABLE_VAGUE = frozenset({"a couple", "a few", "several"})
_PLURAL_UNITS: dict[str, int] = {"hundreds": 100, "thousands": 1_000, "millions": 1_000_000}
_PLURALS = ("tens", "dozens", "scores", "hundreds", "thousands", "millions")

_CURRENCIES: dict[str, str] = {
    "$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR",
    "£": "GBP", "gbp": "GBP", "₹": "INR",
}  # fmt: skip

_UNITS: dict[str, str] = {
    "%": "percent", "percent": "percent", "per cent": "percent", "pct": "percent",
    "percentage points": "percentage points",
    "dollars": "USD", "us dollars": "USD", "euros": "EUR", "pounds sterling": "GBP",
    "tonnes": "tonnes", "metric tons": "tonnes", "tons": "tons",
    "km": "km", "kilometres": "km", "kilometers": "km", "miles": "miles",
    "km2": "km2", "km²": "km2", "sq km": "km2", "square kilometres": "km2",
    "square kilometers": "km2", "hectares": "hectares", "acres": "acres",
    "kg": "kg", "kilograms": "kg", "barrels": "barrels", "litres": "litres", "liters": "litres",
}  # fmt: skip

_MULTIPLIERS: dict[str, int] = {
    "k": 10**3, "thousand": 10**3, "hundred": 100, "hundred thousand": 10**5,
    "m": 10**6, "mn": 10**6, "mln": 10**6, "million": 10**6,
    "b": 10**9, "bn": 10**9, "billion": 10**9, "trillion": 10**12,
}  # fmt: skip

_SMALL: dict[str, int] = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen".split()
    )
}
_TENS: dict[str, int] = {
    w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
_SCALES: dict[str, int] = {
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}
_GROUPERS: dict[str, int] = {"dozen": 12, "score": 20}  # "two dozen", "a score" (singular only)
_FRACTIONS: dict[str, float] = {"half": 0.5, "quarter": 0.25}
_DENOMINATORS: dict[str, int] = {"third": 3, "quarter": 4, "fifth": 5, "tenth": 10}
_NUMERATORS: dict[str, int] = {"a": 1, "one": 1, "two": 2, "three": 3}
_FACTOR_WORDS: dict[str, float] = {
    "double": 2, "twice": 2, "triple": 3, "treble": 3, "thrice": 3, "quadruple": 4, "half": 0.5,
}  # fmt: skip

# --------------------------------------------------------------------------- regexes


def _alternation(keys: list[str]) -> str:
    """Longest first, so "just over" wins over "just"; words end on a word boundary."""
    parts = []
    for key in sorted(keys, key=len, reverse=True):
        pat = r"\s+".join(re.escape(w) for w in key.split())
        parts.append(pat + r"\b" if key[-1].isalnum() else pat)
    return "|".join(parts)


_I = re.IGNORECASE
_LEAD_RE = re.compile(r"[\s'\"‘’“”(]*")
_HEDGE_RE = re.compile(rf"({_alternation(list(HEDGES))})\s*", _I)
_PREFIX_RE = re.compile(rf"(?:({_alternation(list(ADDITIVE_MARKERS))})\s*)?(?:{_HEDGE_RE.pattern})?", _I)
_AMOUNT_START = frozenset("0123456789$€£₹")
_POSTFIX_RE = re.compile(rf"\s*({_alternation(list(POSTFIX_HEDGES))})", _I)
_MARKER_RE = re.compile(r"(?:anywhere\s+)?(between|from)\s+", _I)
_AMOUNT_RE = re.compile(
    r"(?:(us\$|\$|€|£|₹|(?:usd|eur|gbp)(?=[\s0-9]))\s?)?"
    r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3}(?![0-9]))+|[0-9]+)(\.[0-9]+)?(?![.,]?\d)",
    _I,
)
_MULT_RE = re.compile(
    r"(k|bn|mn|mln|m|b)(?![^\W_])|[ \u00a0-]?(hundred\s+thousand|hundred|thousand|million|"
    r"billion|trillion|bn|mn|mln)\b",
    _I,
)
_UNIT_RE = re.compile(rf"[ \u00a0]?({_alternation(list(_UNITS))})(?![^\W_])", _I)
_ATTACHED_RE = re.compile(r"[^\W_]+|[/:^]\S*")  # "200abc", "1/2", "3:1" are not amounts
_RANGE_SEP_RE = re.compile(r"\s*(?:([-–—−])|(to|and|or|through|till|until)\b)\s*", _I)
_WORD_RE = re.compile(r"[ \u00a0]*(-?)[ \u00a0]*([^\W\d_]+)")
_FRACTION_OF_RE = re.compile(
    r"(?:(?:a|one)\s+)?(half|quarter)\s+(?:of\s+)?(?:an?\s+)?(dozen|hundred|thousand|million|"
    r"billion)\b",
    _I,
)
_VAGUE_RE = re.compile(
    r"(?:(?:in\s+)?the\s+)?(?:(low|high)\s+)?"  # "in the thousands", "the low hundreds"
    rf"({_alternation(list(VAGUE_QUANTITIES))})(?:\s+(?:of\s+)?"
    r"(hundred\s+thousand|dozen|hundred|thousand|million|billion)\b)?",
    _I,
)
_OR_VAGUE_RE = re.compile(rf"\s+or\s+(?:even\s+)?({'|'.join(_PLURALS)})\b", _I)
_RELATIVE_RE = re.compile(
    r"(?:(double|twice|triple|treble|thrice|quadruple|half)"
    r"|(a|one|two|three)[\s-]+(third|quarter|fifth|tenth)s?"
    r"|([0-9]+(?:\.[0-9]+)?|two|three|four|five|six|seven|eight|nine|ten)\s+times)"
    r"(?:\s+of)?\s+(?:the\s+)?"
    r"(that\s+number|that\s+figure|that\s+total|that\s+toll|that\s+amount|that\s+many|"
    r"that\s+much|that|this\s+number|this\s+figure|this|number|figure|total|toll|"
    r"as\s+many|as\s+much)\b",
    _I,
)
_COUNTED_RE = re.compile(r"[\s'\"‘’“”),;:—–-]*(?:of\b\s*)?")
_NUMBERISH_RE = re.compile(
    r"\d|\b(?:" + "|".join([*_SMALL, *_TENS, "hundred", *_SCALES, "dozen", "half", *VAGUE_QUANTITIES]) + r")\b",
    _I,
)
_SPACES_RE = re.compile(r"\s+")
_OTHER_DIGIT_RE = re.compile(r"(?![0-9])\d")  # a decimal digit of another script: "٣", "३", "３"
_MAX_DIGITS = len(f"{MAX_VALUE:.0f}")  # a whole part with more digits is above the cap
_MAX_FRACTION = 24  # fraction digits read: a float keeps 17 significant digits, the rest cannot count

# --------------------------------------------------------------------------- the reading


@dataclass(frozen=True, slots=True)
class Reading:
    """What a phrase says: its bound, interval, stated numbers and a short explanation."""

    text: str  # the phrase as given
    bound: Bound
    low: float | None  # None only for a relative phrase read without a reference
    high: float | None  # None = unbounded above (or an unresolved relative phrase)
    numbers: tuple[float, ...]  # the numbers stated: (200, 300) for a range, (2,) for "double"
    central: float | None  # exact n, the n of "around n", a range's midpoint; else None
    explanation: str
    tolerance: float | None  # the t used by approx / approx_below, else None
    factor: float | None = None  # relative only: 2 for "double", 0.5 for "half"
    factor_bound: Bound | None = None  # relative only: the bound applied after scaling
    counted: str = ""  # the words after the quantity: "contract soldiers, mostly Russians"
    unit: str | None = None  # "USD", "percent", "tonnes" ... None for a count
    integer: bool = True  # counts are whole; measures keep real ends

    @property
    def interval(self) -> Interval | None:
        """The interval, or None for a relative phrase read without its reference."""
        return None if self.low is None else Interval(self.low, self.high)


class _Amount(NamedTuple):
    value: float
    end: int
    scale: int  # the multiplier the number ended with (1 if none), to spread over a range
    unit: str | None


# --------------------------------------------------------------------------- public functions


def read(
    text: str,
    *,
    tolerance: float = 0.2,
    integer: bool | None = None,
    reference: Interval | None = None,
) -> Reading:
    """Read ``text`` as a figure (see the module docstring for the grammar and the rules).

    ``integer=None`` reads a count unless the words give a unit (money, percent, tonnes ...).
    A relative phrase gets its interval from ``reference`` when given, else low/high are None.
    Raises ``Unreadable`` (naming the words) or ``InvalidInterval``, and nothing else.
    """
    reading = _read(text, tolerance, integer, reference)
    for end in (reading.low, reading.high):
        if end is not None and end > MAX_VALUE:  # "more than 999 trillion", "about 1,000 trillion"
            raise InvalidInterval(f"{_short(text)!r} reads as {_fmt(end)}, {BEYOND_MAX}")
    return reading


def _read(text: str, tolerance: float, integer: bool | None, reference: Interval | None) -> Reading:
    _check_tolerance(tolerance)
    lead = _LEAD_RE.match(text)
    start = pos = lead.end() if lead else 0
    if pos == len(text):
        raise Unreadable("no figure: the phrase is empty", words=text)
    additive = hedge = ""
    if text[pos] not in _AMOUNT_START and (m := _PREFIX_RE.match(text, pos)):
        additive, hedge, pos = _key(m.group(1) or ""), _key(m.group(2) or ""), m.end()
    p = _Phrase(text, start, additive, hedge, tolerance, integer)
    if m := _RELATIVE_RE.match(text, pos):
        return p.relative(m, reference)
    if pos < len(text) and text[pos] in _AMOUNT_START:
        return p.amount(pos)  # a digit or a currency: skip the word-led alternatives
    if m := _VAGUE_RE.match(text, pos):
        return p.vague(m)
    return p.amount(pos)


def derive_relative(
    reference: Interval,
    factor: float,
    factor_bound: Bound,
    *,
    tolerance: float = 0.2,
    integer: bool = True,
) -> Interval:
    """Scale ``reference`` by ``factor``, then apply ``factor_bound``.

    With scaled = [reference.low * factor, reference.high * factor]:

    - exact: scaled itself; approx: [scaled.low (1 - t), scaled.high (1 + t)];
      approx_below: [scaled.low (1 - t), scaled.high]. For counts these closed ends are rounded
      *outwards* (floor, ceil): the factor of a loose reference is itself loose, and the result
      is never empty.
    - gt: [scaled.low, None), for counts [floor(scaled.low) + 1, None): more than the least the
      reference allows ("more than double ~100" with [80, 120] -> [161, None)).
    - ge: [scaled.low, None), for counts [ceil(scaled.low), None).
    - lt: [0, scaled.high], for counts [0, ceil(scaled.high) - 1]; le: [0, floor(scaled.high)].
      An unbounded reference leaves them unbounded: [0, None).

    Measures keep real ends; an open end is kept at its limit (see the module docstring).
    A result above ``MAX_VALUE`` is refused (InvalidInterval).
    """
    _check_tolerance(tolerance)
    if factor_bound in (Bound.range, Bound.vague, Bound.relative):
        raise InvalidInterval(f"the bound {factor_bound.value!r} cannot follow a factor")
    if not factor > 0 or math.isinf(factor):
        raise InvalidInterval(f"a relative factor must be a positive number, got {factor!r}")
    scaled_low = reference.low * factor
    high = None if reference.high is None else reference.high * factor
    open_above = factor_bound in (Bound.gt, Bound.ge)  # the scaled high end is not used
    if scaled_low > MAX_VALUE or (high is not None and high > MAX_VALUE and not open_above):
        raise InvalidInterval(f"{_fmt(factor)} x the reference is {BEYOND_MAX}")
    low, top = _apply_bound(factor_bound, scaled_low, high, tolerance, integer, outward=True)
    if low > MAX_VALUE or (top is not None and top > MAX_VALUE):
        raise InvalidInterval(f"{_fmt(factor)} x the reference, {factor_bound.value}, is {BEYOND_MAX}")
    return Interval(low, top)


def check_explicit(bound: Bound, low: float, high: float | None, *, integer: bool = True) -> Interval:
    """Check a bound given with explicit ends (not read from words) and return its interval.

    Rules, each with its own message: ends are finite; counts are whole and not negative;
    low <= high; exact means low == high (a missing high is taken as low); gt/ge mean high is
    None; lt/le mean low == 0 and a high end; range, approx and approx_below need both ends;
    relative is refused (it is derived from its reference with ``derive_relative``); no end is
    above ``MAX_VALUE`` (or, for a measure, below -MAX_VALUE).
    """
    bound = Bound(bound)
    if bound is Bound.exact and high is None:
        high = low
    for name, value in (("low", low), ("high", high)):
        if value is not None and not math.isfinite(value):
            raise InvalidInterval(f"{name} must be a finite number, got {value!r}")
        if value is not None and abs(value) > MAX_VALUE:
            raise InvalidInterval(f"{name} {value:g} is {BEYOND_MAX}")
        if value is not None and integer and value < 0:
            raise InvalidInterval(f"a count cannot be negative: {name} is {_fmt(value)}")
        if value is not None and integer and value != int(value):
            raise InvalidInterval(f"a count is a whole number: {name} is {_fmt(value)}")
    if high is not None and low > high:
        raise InvalidInterval(f"low {_fmt(low)} is above high {_fmt(high)}")
    _check_shape(bound, low, high)
    return Interval(float(low), None if high is None else float(high))


# --------------------------------------------------------------------------- parsing


class _Phrase:
    """The prefix of one phrase (additive marker, hedge) and the settings it is read with."""

    __slots__ = ("text", "start", "additive", "hedge", "t", "integer")

    def __init__(self, text: str, start: int, additive: str, hedge: str, t: float, integer: bool | None) -> None:
        self.text, self.start, self.additive, self.hedge = text, start, additive, hedge
        self.t, self.integer = t, integer

    def relative(self, m: re.Match[str], reference: Interval | None) -> Reading:
        factor = _factor(m)
        factor_bound = HEDGES[self.hedge] if self.hedge else Bound.exact
        integer = True if self.integer is None else self.integer
        t = self.t if factor_bound in (Bound.approx, Bound.approx_below) else None
        words = self.words(m.end())
        said = f"{self.hedge + ' ' if self.hedge else ''}{_fmt(factor)} x the referenced figure"
        low = high = central = None
        if reference is None:
            explanation = f"{words} -> {said} (needs the reference for an interval)"
        else:
            iv = derive_relative(reference, factor, factor_bound, tolerance=self.t, integer=integer)
            low, high = iv.low, iv.high
            if factor_bound in (Bound.exact, Bound.approx) and reference.high is not None:
                central = factor * (reference.low + reference.high) / 2
            ref = _describe(reference.low, reference.high, None)
            explanation = f"{words} -> {said} ({ref}) -> {_describe(low, high, None)}"
        return Reading(
            text=self.text, bound=Bound.relative, low=low, high=high, numbers=(factor,),
            central=central, explanation=explanation + self.note(), tolerance=t, factor=factor,
            factor_bound=factor_bound, counted=self.counted(m.end()), integer=integer,
        )  # fmt: skip

    def vague(self, m: re.Match[str]) -> Reading:
        key = _key(m.group(2))
        low, high = VAGUE_QUANTITIES[key]
        if m.group(3):
            if key not in _SCALABLE_VAGUE:
                raise Unreadable(f"cannot read {m.group(0)!r}", words=m.group(0))
            scale = _scale_of(m.group(3))
            low, high = low * scale, None if high is None else high * scale
        if m.group(1):  # "the low hundreds" = 100 to 300, "the high hundreds" = 700 to 999
            if key not in _PLURAL_UNITS:
                raise Unreadable(f"cannot read {m.group(0)!r}", words=m.group(0))
            unit_of = _PLURAL_UNITS[key]
            low, high = (unit_of, 3 * unit_of) if _key(m.group(1)) == "low" else (7 * unit_of, 10 * unit_of - 1)
        end = m.end()
        if (alt := _OR_VAGUE_RE.match(self.text, end)) and not m.group(1):  # "tens or hundreds": the wider top
            high, end = VAGUE_QUANTITIES[_key(alt.group(1))][1], alt.end()
        said_end = end
        counted_at = _COUNTED_RE.match(self.text, end)
        end = counted_at.end() if counted_at else end
        unit = None
        if u := _UNIT_RE.match(self.text, end):  # "millions of dollars", "thousands of tonnes"
            unit, end = _UNITS[_key(u.group(1))], u.end()
        integer = unit is None if self.integer is None else self.integer
        bound = HEDGES.get(self.hedge, Bound.exact)
        note = " (vague quantity, from the table)"
        if bound in (Bound.gt, Bound.ge, Bound.lt, Bound.le):
            low, high = _apply_bound(bound, low, high, self.t, integer, outward=True)
            note = f" ('{self.hedge}' applied to the vague quantity's table interval)"
        elif self.hedge:
            note = f" (vague quantity, from the table; '{self.hedge}' leaves it as is)"
        words = self.words(said_end)
        return Reading(
            text=self.text, bound=Bound.vague, low=float(low),
            high=None if high is None else float(high), numbers=(), central=None,
            explanation=f"{words} -> {_describe(low, high, unit)}{note}{self.note()}",
            tolerance=None, counted=self.counted(end), unit=unit, integer=integer,
        )  # fmt: skip

    def amount(self, pos: int) -> Reading:
        text = self.text
        marker = ""
        if m := _MARKER_RE.match(text, pos):
            marker, pos = m.group(1).lower(), m.end()
        first = _read_amount(text, pos, in_range=bool(marker))
        if first is None and marker == "between" and (v := _VAGUE_RE.match(text, pos)) and v.group(3):
            return self.vague_range(v)  # "between several hundred and close to 1,000"
        if first is None:
            raise _unreadable(text, self.start, pos, self.hedge)
        if share := _SHARE_RE.match(text, first.end):  # "about one-third of the dead": a share, no count
            raise Unreadable(f"{text[pos : share.end()].strip()!r} is a share, not a count", words=share.group())
        if not marker and (paren := _ESTIMATE_RANGE_RE.match(text, first.end)):
            return self.estimate(first, paren)
        if marker or _RANGE_SEP_RE.match(text, first.end):
            return self.range(first, marker)
        return self.postfixed(first)

    def vague_range(self, v: re.Match[str]) -> Reading:
        """ "between several hundred and close to 1,000": from the vague low end to the hedged high end."""
        text, key = self.text, _key(v.group(2))
        if key not in _SCALABLE_VAGUE or v.group(1) or self.hedge:
            raise Unreadable(f"cannot read {v.group(0)!r} as the low end of a range", words=v.group(0))
        low = VAGUE_QUANTITIES[key][0] * _scale_of(v.group(3))
        sep = re.compile(r"\s+(?:and|to)\s+", _I).match(text, v.end())
        hedge = _HEDGE_RE.match(text, sep.end()) if sep else None
        second = _read_amount(text, hedge.end() if hedge else sep.end()) if sep else None
        if second is None:
            raise Unreadable("a range needs a second number", words=text[v.end() :].strip() or "nothing")
        bound = HEDGES[_key(hedge.group(1))] if hedge else Bound.exact
        if bound in (Bound.gt, Bound.ge):
            raise Unreadable("the high end of a range must not be open", words=hedge.group(1) if hedge else "")
        _, high = _apply_bound(bound, second.value, second.value, self.t, True, outward=True)
        if high is None or low > high:
            raise InvalidInterval(f"range {text[self.start : second.end].strip()!r} runs backwards")
        return replace(self.range_reading(low, high, None, second.end), numbers=(low, second.value))

    def estimate(self, first: _Amount, paren: re.Match[str]) -> Reading:
        """ "2,975 (2,658-3,290)": a central estimate with its interval; the interval is the figure."""
        a, b = _read_amount(self.text, paren.start(1)), _read_amount(self.text, paren.start(2))
        if self.hedge or a is None or b is None or not a.value <= first.value <= b.value:
            return self.postfixed(first)
        reading = self.range_reading(a.value, b.value, first.unit, paren.end())
        return replace(
            reading, central=first.value, explanation=f"{reading.explanation} (estimate {_fmt(first.value)})"
        )

    def single(self, a: _Amount, end: int, hedge: str, bound: Bound) -> Reading:
        integer = a.unit is None if self.integer is None else self.integer
        n = a.value
        low, high = _apply_bound(bound, n, n, self.t, integer, outward=False)
        central = n if bound in (Bound.exact, Bound.approx) else None
        t = self.t if bound in (Bound.approx, Bound.approx_below) else None
        said = _said(bound, hedge, n, low, high, a.unit, integer, self.t)
        return Reading(
            text=self.text, bound=bound, low=low, high=high, numbers=(n,), central=central,
            explanation=f"{self.words(end)} -> {said}{self.note()}", tolerance=t,
            counted=self.counted(end), unit=a.unit, integer=integer,
        )  # fmt: skip

    def range(self, first: _Amount, marker: str) -> Reading:
        text = self.text
        sep = _RANGE_SEP_RE.match(text, first.end)
        word = _key(sep.group(1) or sep.group(2)) if sep else ""
        second = _read_amount(text, sep.end()) if sep else None
        if second is None:
            if marker or word in _TO_WORDS:
                got = text[first.end :].strip() or "nothing"
                raise Unreadable(f"a range needs a second number; got {got!r}", words=got)
            return self.postfixed(first)  # "200 or more", "200-odd", "200 and counting"
        if word not in _RANGE_WORDS[marker]:
            said = text[self.start : second.end].strip()
            raise Unreadable(
                f"{said!r} is not read as a range: write 'between a and b' or 'a to b'",
                words=word,
            )
        if _POSTFIX_RE.match(text, second.end):
            raise Unreadable("a hedge after a range is not read", words=text[second.end :].strip())
        a, b, unit = _spread(first, second)
        if a > b:
            said = text[self.start : second.end].strip()
            raise InvalidInterval(f"range {said!r} runs backwards: {_fmt(a)} is above {_fmt(b)}")
        return self.range_reading(a, b, unit, second.end)

    def postfixed(self, first: _Amount) -> Reading:
        """A single amount, with a hedge after it if there is one ("200 or more", "1,000+")."""
        m = _POSTFIX_RE.match(self.text, first.end)
        if m is None:
            return self.single(first, first.end, self.hedge, HEDGES.get(self.hedge, Bound.exact))
        key = _key(m.group(1))
        if self.hedge and HEDGES[self.hedge] is not POSTFIX_HEDGES[key]:
            raise Unreadable(f"two hedges: {self.hedge!r} and {m.group(1)!r}", words=m.group(1))
        return self.single(first, m.end(), self.hedge or key, POSTFIX_HEDGES[key])

    def range_reading(self, a: float, b: float, unit: str | None, end: int) -> Reading:
        integer = unit is None if self.integer is None else self.integer
        bound = HEDGES.get(self.hedge, Bound.range)
        if bound not in (Bound.range, Bound.approx):
            raise Unreadable(
                f"the hedge {self.hedge!r} cannot bound a range, which has both ends",
                words=self.hedge,
            )
        low, high = _apply_bound(bound, a, b, self.t, integer, outward=False)
        said = _describe(low, high, unit)
        if bound is Bound.approx:
            said += f" ({_fmt(a)} to {_fmt(b)} widened by {self.t:.0%})"
        return Reading(
            text=self.text, bound=bound, low=low, high=high, numbers=(a, b),
            central=(a + b) / 2, explanation=f"{self.words(end)} -> {said}{self.note()}",
            tolerance=self.t if bound is Bound.approx else None, counted=self.counted(end),
            unit=unit, integer=integer,
        )  # fmt: skip

    def words(self, end: int) -> str:
        """The figure's own words, quoted, for the explanation."""
        return repr(self.text[self.start : end].strip())

    def counted(self, end: int) -> str:
        m = _COUNTED_RE.match(self.text, end)
        rest = self.text[m.end() if m else end :]
        return rest.strip().rstrip(".;:,'\"’”").rstrip()

    def note(self) -> str:
        if not self.additive:
            return ""
        return f" ('{self.additive}' adds to an earlier figure; the interval counts only these)"


_SHARE_RE = re.compile(r"[\s-]+(?:thirds?|quarters?|fifths?|tenths?|halves)\b", _I)
_ESTIMATE_RANGE_RE = re.compile(r"\s*\(\s*([0-9][0-9,.]*)\s*[-–—]\s*([0-9][0-9,.]*)\s*\)")
_TO_WORDS = ("to", "through", "till", "until")
_RANGE_WORDS: dict[str, tuple[str, ...]] = {
    "": ("-", "–", "—", "−", "to", "or", "through", "till", "until"),
    "between": ("and", "-", "–", "—", "−", "to"),  # "between 200 to 300" is common enough
    "from": ("to", "-", "–", "—", "−", "through", "till", "until"),
}


def _read_amount(text: str, pos: int, in_range: bool = False) -> _Amount | None:
    """An amount at ``pos``: currency, digits or number words, multiplier, unit; else None."""
    m = _AMOUNT_RE.match(text, pos)
    if m is None:
        got = _read_words(text, pos, in_range)
        if got is None:
            return None
        value, end, scale = got
        unit = None
    else:
        value, end, scale, unit = _digits(text, m)
    if u := _UNIT_RE.match(text, end):
        code = _UNITS[_key(u.group(1))]
        if unit is not None and code != unit:
            raise Unreadable(f"two units: {unit} and {code}", words=text[pos : u.end()])
        unit, end = code, u.end()
    if (junk := _ATTACHED_RE.match(text, end)) and (text[end - 1].isalnum() or text[end] in "/:^"):
        raise Unreadable(f"cannot read {text[pos : junk.end()]!r}", words=text[pos : junk.end()])
    return _Amount(value, end, scale, unit)


def _digits(text: str, m: re.Match[str]) -> tuple[float, int, int, str | None]:
    """Value, end, scale and currency of a digit amount: "$1.5bn", "1,200", "2.5k"."""
    currency, whole, frac = m.group(1), m.group(2), m.group(3) or ""
    end, scale = m.end(), 1
    if mult := _MULT_RE.match(text, end):
        word = _key(mult.group(1) or mult.group(2))
        if word in ("m", "b") and not currency:
            got = text[m.start() : mult.end()]
            raise Unreadable(
                f"{got!r} is ambiguous ({word!r} may be a unit); write million or billion",
                words=got,
            )
        scale, end = _MULTIPLIERS[word], mult.end()
    whole = _strip_separators(whole).lstrip("0")
    if len(whole) > _MAX_DIGITS:  # counted before any conversion: int() and / would overflow
        raise _too_large(text[m.start() : end])
    frac = frac[1 : _MAX_FRACTION + 1]
    digits = int(whole + frac or "0")
    value = digits * scale / 10 ** len(frac)  # exact: ints divide correctly rounded
    if value > MAX_VALUE:
        raise _too_large(text[m.start() : end])
    unit = _CURRENCIES[currency.lower()] if currency else None
    return value, end, scale, unit


def _too_large(words: str) -> InvalidInterval:
    """The refusal of a number above ``MAX_VALUE``, quoting (the start of) its words."""
    return InvalidInterval(f"{_short(words)!r} is {BEYOND_MAX}")


def _short(words: str) -> str:
    """Words for a message, cut when long: a refusal must not echo a megabyte back."""
    shown = words.strip()
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _strip_separators(whole: str) -> str:
    return whole if whole.isdigit() else "".join(c for c in whole if c.isdigit())


def _read_words(text: str, pos: int, in_range: bool) -> tuple[float, int, int] | None:
    """Number words at ``pos`` -> (value, end, scale of the last word); None if there are none.

    "two hundred and forty", "one hundred thousand", "twenty-three", "fifteen hundred",
    "a dozen", "one and a half million", "half a million", "a quarter of a million".
    """
    if m := _FRACTION_OF_RE.match(text, pos):
        scale = _scale_of(m.group(2))
        return _FRACTIONS[m.group(1).lower()] * scale, m.end(), scale
    state = _WordNumber(in_range)
    best: tuple[float, int, int] | None = None
    before_and = best
    while True:
        if state.last in ("unit", "teen", "tens") and (h := _AND_A_HALF_RE.match(text, pos)):
            state.group, state.last, pos = state.group + 0.5, "half", h.end()
        elif state.last == "scale" and (h := _AND_A_HALF_RE.match(text, pos)):  # "a million and a half"
            state.total, state.last, pos = state.total + 0.5 * state.tail, "half", h.end()
        else:
            w = _WORD_RE.match(text, pos)
            verdict = state.take(w.group(2).lower(), bool(w.group(1))) if w else _STOP
            if verdict != _GO or w is None:
                return before_and if verdict == _UNDO else best
            pos = w.end()
        if state.last == "and":
            before_and = best
        elif state.last != "a":
            best = (state.total + state.group, pos, state.tail)


_GO, _STOP, _UNDO = "go", "stop", "undo"
_OPENERS = ("", "hundred", "scale", "and")  # a unit, teen or tens word may follow these
_COUNTABLE = ("a", "unit", "teen", "tens")  # these may be multiplied by "hundred" or "dozen"
_AND_A_HALF_RE = re.compile(r"\s+and\s+a\s+half\b", _I)


class _WordNumber:
    """The state of reading number words: finished scale groups plus the group being read.

    "and" joins only after "hundred" or a scale word ("two hundred and forty", "one thousand
    and five"); it is undone when "hundred" (or, inside "between", any scale) comes after it:
    "between a hundred and two hundred" is two numbers, "one hundred and twenty thousand" one.
    """

    __slots__ = ("in_range", "total", "group", "last", "top", "tail", "pending_and")

    def __init__(self, in_range: bool) -> None:
        self.in_range = in_range
        self.total = 0.0  # finished groups: the "two million" of "two million five hundred"
        self.group = 0.0  # the group being read, below the next scale word
        self.last = ""  # kind of the last word: a, unit, teen, tens, hundred, scale, and, half
        self.top = math.inf  # the last scale: scales must fall ("thousand thousand" is not one)
        self.tail = 1  # value of the last scale word, to spread over a range
        self.pending_and = False

    def take(self, word: str, hyphen: bool) -> str:
        """Take one word: _GO if it continues the number, _STOP if not, _UNDO the last "and"."""
        if hyphen and not (self.last == "tens" and _SMALL.get(word, 10) < 10):
            return _STOP  # only "twenty-three" joins with a hyphen; "20-30" is a range
        if word in _SMALL or word in _TENS:
            return self._small(word)
        if word == "hundred":
            return self._hundred()
        if word in _SCALES:
            return self._scale(_SCALES[word])
        if word in ("a", "an") and self.last == "":
            self.group, self.last = 1.0, "a"
        elif word in _GROUPERS and self.last in _COUNTABLE:
            self.group, self.last, self.tail = self.group * _GROUPERS[word], word, _GROUPERS[word]
        elif word == "and" and self.last in ("hundred", "scale"):
            self.last, self.pending_and = "and", True
        else:
            return _STOP
        return _GO

    def _small(self, word: str) -> str:
        value = _SMALL[word] if word in _SMALL else _TENS[word]
        kind = "tens" if word in _TENS else "unit" if value < 10 else "teen"
        if self.last not in _OPENERS and not (self.last == "tens" and kind == "unit"):
            return _STOP  # "five six", "twenty thirty": two numbers
        self.group, self.last, self.tail = self.group + value, kind, 1
        return _GO

    def _hundred(self) -> str:
        if self.pending_and:
            return _UNDO
        if self.last not in _COUNTABLE or self.group >= 100:
            return _STOP
        self.group, self.last, self.tail = self.group * 100, "hundred", 100
        return _GO

    def _scale(self, scale: int) -> str:
        if self.last not in (*_COUNTABLE, "hundred", "half"):
            return _STOP
        if scale >= self.top or (self.pending_and and self.in_range):
            return _UNDO if self.pending_and else _STOP
        self.total, self.group, self.top = self.total + self.group * scale, 0.0, scale
        self.last, self.tail, self.pending_and = "scale", scale, False
        return _GO


def _scale_of(word: str) -> int:
    """The value of a scale word: "dozen" 12, "hundred thousand" 100,000 ..."""
    key = _key(word)
    return _GROUPERS.get(key) or _MULTIPLIERS[key]


def _spread(first: _Amount, second: _Amount) -> tuple[float, float, str | None]:
    """The two ends of a range, sharing a multiplier and a unit stated only once."""
    a, b = first.value, second.value
    if first.scale == 1 and second.scale > 1 and a < b / second.scale:
        a *= second.scale  # "1.2 to 1.5 million", "two to three hundred"
    if first.unit and second.unit and first.unit != second.unit:
        raise Unreadable(f"a range in two units: {first.unit} and {second.unit}", words=second.unit)
    return a, b, first.unit or second.unit


def _factor(m: re.Match[str]) -> float:
    if m.group(1):
        return float(_FACTOR_WORDS[m.group(1).lower()])
    if m.group(2):
        return _NUMERATORS[m.group(2).lower()] / _DENOMINATORS[m.group(3).lower()]
    times = m.group(4).lower()
    if times in _SMALL:
        return float(_SMALL[times])
    if len(times.split(".")[0].lstrip("0")) > _MAX_DIGITS or float(times) > MAX_VALUE:
        raise _too_large(m.group(0))
    return float(times)


def _unreadable(text: str, start: int, pos: int, hedge: str) -> Unreadable:
    """Name what stopped the reading at ``pos``: a second hedge, unknown words, or no number."""
    if hedge and (m := _HEDGE_RE.match(text, pos)):
        return Unreadable(f"two hedges: {hedge!r} and {m.group(1)!r}", words=m.group(1))
    found = _NUMBERISH_RE.search(text, pos)
    if found is None:
        words = text[pos:].strip() or text[start:].strip()
        return Unreadable(f"no number in {text.strip()!r}: {words!r} not understood", words=words)
    if found.start() == pos:
        words = text[pos:].split(None, 1)[0]
        if _OTHER_DIGIT_RE.search(words):
            return Unreadable(f"cannot read {_short(words)!r}: only the digits 0-9 are read", words=words)
        return Unreadable(f"cannot read {words!r} as a number", words=words)
    words = text[pos : found.start()].strip()
    return Unreadable(f"words before the figure not understood: {words!r}", words=words)


# --------------------------------------------------------------------------- bounds


def _apply_bound(
    bound: Bound, low: float, high: float | None, t: float, integer: bool, *, outward: bool
) -> tuple[float, float | None]:
    """The interval ``bound`` gives over [low, high] (see derive_relative for the rules)."""
    if bound is Bound.gt:
        return (float(math.floor(_snap(low)) + 1) if integer else low), None
    if bound is Bound.ge:
        return (float(math.ceil(_snap(low))) if integer else low), None
    if bound in (Bound.lt, Bound.le):
        return 0.0, _ceiling(bound, high, integer)
    if bound is Bound.approx:
        low, high = low * (1 - t), None if high is None else high * (1 + t)
    elif bound is Bound.approx_below:
        low = low * (1 - t)
    elif bound not in (Bound.exact, Bound.range):
        raise InvalidInterval(f"the bound {bound.value!r} cannot be applied to a figure")
    return _closed(low, high, integer, outward)


def _ceiling(bound: Bound, high: float | None, integer: bool) -> float | None:
    if high is None or not integer:
        return high
    top = math.ceil(_snap(high)) - 1 if bound is Bound.lt else math.floor(_snap(high))
    if top < 0:
        below = "below" if bound is Bound.lt else "at most"
        raise InvalidInterval(f"no count is {below} {_fmt(high)}")
    return float(top)


def _closed(low: float, high: float | None, integer: bool, outward: bool) -> tuple[float, float | None]:
    if not integer:
        return _tidy(low), None if high is None else _tidy(high)
    lo, hi = _snap(low), None if high is None else _snap(high)
    if outward:
        return float(math.floor(lo)), None if hi is None else float(math.ceil(hi))
    a, b = math.ceil(lo), None if hi is None else math.floor(hi)
    if b is not None and b < a:
        raise InvalidInterval(
            f"no whole number lies in [{_fmt(low)}, {_fmt(high or 0)}]: counts are whole "
            "(read it with integer=False for a measure)"
        )
    return float(a), None if b is None else float(b)


def _snap(x: float) -> float:
    """Undo float noise before rounding: 100 * (1 - 0.2) must floor to 80, not 79."""
    r = round(x)
    return float(r) if abs(x - r) <= 1e-9 * max(1.0, abs(x)) else x


def _tidy(x: float) -> float:
    return float(f"{x:.12g}")


def _check_tolerance(t: float) -> None:
    if not 0 <= t < 1:
        raise InvalidInterval(f"tolerance must be at least 0 and below 1, got {t!r}")


def _check_shape(bound: Bound, low: float, high: float | None) -> None:
    """The rule of each bound kind about which ends are given (check_explicit)."""
    if bound is Bound.relative:
        raise InvalidInterval("a relative bound is derived from its reference, not given")
    if bound is Bound.exact and low != high:
        raise InvalidInterval(f"exact means low == high, got {_fmt(low)} and {_fmt(high or 0)}")
    if bound in (Bound.gt, Bound.ge) and high is not None:
        raise InvalidInterval(f"{bound.value} is open above: high must be empty")
    if bound in (Bound.lt, Bound.le) and low != 0:
        raise InvalidInterval(f"{bound.value} counts from zero: low must be 0, got {_fmt(low)}")
    if bound in (Bound.lt, Bound.le, Bound.range, Bound.approx, Bound.approx_below) and (high is None):
        raise InvalidInterval(f"{bound.value} needs both ends: high is missing")


# --------------------------------------------------------------------------- wording


def _said(
    bound: Bound,
    hedge: str,
    n: float,
    low: float,
    high: float | None,
    unit: str | None,
    integer: bool,
    t: float,
) -> str:
    """The interval in words, with why when the bound is not plain."""
    if bound is Bound.gt and not integer:
        return f"above {_with_unit(n, unit)} (open end kept as low = {_fmt(n)})"
    if bound is Bound.lt and not integer:
        return f"below {_with_unit(n, unit)} (open end kept as high = {_fmt(n)})"
    said = _describe(low, high, unit)
    if bound is Bound.approx:
        return f"{said} (±{t:.0%} of {_fmt(n)})"
    if bound is Bound.approx_below:
        return f"{said} (up to {t:.0%} below {_fmt(n)})"
    return said


def _describe(low: float, high: float | None, unit: str | None) -> str:
    if high is None:
        return f"at least {_with_unit(low, unit)}"
    if low == high:
        return f"exactly {_with_unit(low, unit)}"
    if low == 0:
        return f"at most {_with_unit(high, unit)}"
    return f"{_fmt(low)} to {_with_unit(high, unit)}"


def _with_unit(v: float, unit: str | None) -> str:
    if unit is None:
        return _fmt(v)
    return f"{_fmt(v)}%" if unit == "percent" else f"{_fmt(v)} {unit}"


def _fmt(v: float) -> str:
    if v == int(v):
        return f"{int(v):,}"
    return f"{v:,.4f}".rstrip("0").rstrip(".")


@lru_cache(maxsize=1024)  # the same few hedges and units recur in every phrase
def _key(words: str) -> str:
    """A matched table key in its canonical spelling: lower case, single spaces."""
    return _SPACES_RE.sub(" ", words.lower())
