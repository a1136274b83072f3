"""Dates as data files write them, for the CSV importer: ISO 8601 first (``2023-10-07``,
``2023-10-07 14:00``, ``2023-10-07T14:00:00+02:00``), then the forms python-dateutil's parser
reads (``7 October 2023``, ``October 7, 2023``, ``7 Oct 2023 14:00 +0200``).

Rules, each refusal with its own reason:

- A date must say its day, month and year: ``October 2023`` or ``7 October`` is refused (dateutil
  would fill the gap from today). A time is optional (midnight); a date without an offset is UTC.
- A date whose numbers could be read in more than one order is refused, never guessed:
  ``03/04/2023`` (3 April or March 4?), ``7 Oct 23`` (2023 or 2007?). The test: dateutil reads it
  day first and month first, year first and not; every reading must agree. ``25/12/2023`` has one
  reading and is accepted.
- A date that begins with a four-digit year is read year, month, day (``2023/10/07``), as ISO 8601.
- A time zone name dateutil does not know (``EST``) is refused: write an offset (``-05:00``).
"""

import warnings
from datetime import UTC, datetime
from functools import lru_cache
from itertools import product

from dateutil.parser import ParserError, UnknownTimezoneWarning, parse

# two defaults that differ in year, month and day: a part missing from the text shows as a difference
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))
ORDERS = tuple(product((False, True), (False, True)))  # (dayfirst, yearfirst)


@lru_cache(maxsize=65536)
def read_date(raw: str) -> tuple[datetime | None, str | None]:
    """The moment in UTC, or why ``raw`` is not a date (an empty string is no date and no error)."""
    if not raw:
        return None, None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        found = _written(raw)
        if isinstance(found, str):
            return None, found
        moment = found
    try:
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC), None
    except OverflowError:
        return None, f"{raw!r} is out of range once converted to UTC (years 1 to 9999)"


def _written(raw: str) -> datetime | str:
    orders = [(False, True)] if raw[:4].isdigit() and not raw[4:5].isdigit() else ORDERS
    readings: set[datetime] = set()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnknownTimezoneWarning)
        try:
            for dayfirst, yearfirst in orders:
                first, second = (parse(raw, dayfirst=dayfirst, yearfirst=yearfirst, default=d) for d in _DEFAULTS)
                if first != second:
                    return f"{raw!r} is not a whole date: give its day, month and year (2023-10-07)"
                readings.add(first)
        except UnknownTimezoneWarning:
            return f"{raw!r} names a time zone that is not known: write an offset instead (+02:00)"
        except (ParserError, ValueError, OverflowError):
            return f"{raw!r} is not a date: write 2023-10-07, 7 October 2023 or October 7, 2023"
    if len(readings) > 1:
        ways = " or ".join(sorted(f"{r:%d %B %Y}" for r in readings))
        return f"{raw!r} is ambiguous ({ways}): write it as 2023-10-07 or with the month in words"
    return readings.pop()
