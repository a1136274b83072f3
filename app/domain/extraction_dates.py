"""Stated dates: "yesterday", "last week", "on Tuesday", "Feb. 7" beside an attribution verb,
resolved against the article's publication date (a week = 7 days, a month = 30)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from app.domain.extraction_lexicon import _norm

_LOW_MONTHS = r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_MONTH_END = r"(?:uary|ruary|ch|il|e|y|ust|tember|ember|ober)?"  # "march", not "martyrs"; "dec", not "decided"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_NUMBERS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)} | {
    "sept": 9
}
# Dates, in the lower-cased text (scanned once per text).
_DATE_RE = re.compile(
    r"\b(?:(?P<rel>yesterday|today|tonight|last\s+night|this\s+morning|last\s+week|last\s+month)"
    r"|(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
    rf"|(?P<mon>{_LOW_MONTHS}){_MONTH_END}\.?\s+(?P<day>\d{{1,2}})(?:,?\s+(?P<year>\d{{4}}))?"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<mon2>{_LOW_MONTHS}){_MONTH_END}(?:\s+(?P<year2>\d{{4}}))?)\b"
)


def _stated_date(m: re.Match[str] | None, published: datetime | None) -> datetime | None:
    """A date found beside an attribution verb, resolved against the publication date."""
    if m is None:
        return None
    if m.group("rel"):
        if published is None:
            return None
        days = {"yesterday": 1, "last night": 1, "last week": 7, "last month": 30}.get(_norm(m.group("rel")), 0)
        return _midnight(published - timedelta(days=days))
    if m.group("wd"):
        if published is None:
            return None
        back = (published.weekday() - _WEEKDAYS.index(m.group("wd").lower())) % 7
        return _midnight(published - timedelta(days=back))
    month = _MONTH_NUMBERS[(m.group("mon") or m.group("mon2")).lower()]
    day = int(m.group("day") or m.group("day2"))
    year_text = m.group("year") or m.group("year2")
    return _calendar_date(month, day, year_text, published)


def _calendar_date(month: int, day: int, year_text: str | None, published: datetime | None) -> datetime | None:
    if year_text is None and published is None:
        return None
    year = int(year_text) if year_text else published.year if published else 1
    tz = published.tzinfo if published else None
    try:
        when = datetime(year, month, day, tzinfo=tz)
    except ValueError:
        return None
    if year_text is None and published is not None and when > published:
        when = when.replace(year=year - 1)
    return when


def _midnight(when: datetime) -> datetime:
    return when.replace(hour=0, minute=0, second=0, microsecond=0)
