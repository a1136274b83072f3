"""The figures a bulk import writes into groups that had none before it, held compactly while it
writes, so that the summaries of those groups are computed from memory instead of reading a
million figures back.

Such a group holds no figures but the import's own (its transaction holds the write locks): the
groups of events the import created, and the groups of existing events under a metric they had no
figures of (asked once per existing event, when the import first meets it). The groups that had
figures are read back from the database as before (``summaries.stream_facts``).

Memory: one ``bytearray`` per group, ``ROW`` packed per figure (32 bytes: ids are 32-bit integers,
below 2**31), plus one entry per distinct (words, period, date) of the file; a group's
figures are let go once its summary is computed. A bulk claim has no quote, relays or scope."""

import math
import struct
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from app.domain.discrepancy import FigureFact, Period
from app.domain.intervals import Interval
from app.domain.vocab import Modality
from app.services.summaries import Group, as_utc

# figure id, claim id, claimant id, low, high (NaN: none), shape (an index into ``shapes``)
ROW = struct.Struct("<iiiddi")
NO_HIGH = math.nan
Shape = tuple[str | None, str, datetime | None]  # a figure's words, period and claim's date


class HeldFacts:
    """What the summaries of the import's new groups need of their figures (``summaries.Held``)."""

    def __init__(self, stored: Callable[[datetime | None], Any]) -> None:
        self.stored = stored  # a date as the writer stores it: the facts hold it as read back
        self.created: set[int] = set()  # events this import created
        self.had: dict[int, frozenset[str]] = {}  # per existing event met: the metrics it had figures of
        self.rows: dict[Group, bytearray] = {}
        self.shapes: dict[Shape, int] = {}

    def create(self, events: Iterable[int]) -> None:
        """Events the import created: no figures yet."""
        self.created.update(events)

    def meet(self, conn: Connection, events: Iterable[int]) -> None:
        """Existing events of the next batch: those met for the first time are asked which metrics
        they have figures of (before the batch is written)."""
        first = sorted(e for e in set(events) if e not in self.had and e not in self.created)
        for start in range(0, len(first), 500):
            block = first[start : start + 500]
            sql = f"SELECT DISTINCT event_id, metric FROM figure WHERE event_id IN ({', '.join(map(str, block))})"
            found: dict[int, set[str]] = {event: set() for event in block}
            for event, metric in conn.execute(text(sql)):
                found[int(event)].add(str(metric))
            self.had.update((event, frozenset(metrics)) for event, metrics in found.items())

    def add(
        self, group: Group, figure: int, claim: int, claimant: int, low: float, high: float | None, shape: Shape
    ) -> None:
        """One figure written into ``group``, which had no figures before the import."""
        index = self.shapes.setdefault(shape, len(self.shapes))
        column = self.rows.get(group)
        if column is None:
            column = self.rows[group] = bytearray()
        column += ROW.pack(figure, claim, claimant, low, NO_HIGH if high is None else high, index)

    def holds(self, group: Group) -> bool:
        event, metric = group
        return event in self.created or (event in self.had and metric not in self.had[event])

    def new_event(self, group: Group) -> bool:
        return group[0] in self.created

    def facts(self, conn: Connection, groups: Sequence[Group]) -> Iterator[tuple[Group, list[FigureFact]]]:
        """The facts of each of ``groups`` (all held), in figure id order, one group at a time; the
        claimants' names and kinds are read now, as a read back would."""
        claimants = {int(i): (str(n), str(k)) for i, n, k in conn.execute(text("SELECT id, name, kind FROM source"))}
        shapes = [(words or "", Period(period), as_utc(self.stored(stated))) for words, period, stated in self.shapes]
        reported = Modality.reported
        for group in groups:
            column = self.rows.pop(group, None)  # computed once: no longer needed after
            if column:
                yield group, [self._fact(row, shapes, claimants, reported) for row in ROW.iter_unpack(column)]

    @staticmethod
    def _fact(
        row: tuple[Any, ...],
        shapes: list[tuple[str, Period, datetime | None]],
        claimants: dict[int, tuple[str, str]],
        reported: Modality,
    ) -> FigureFact:
        figure, claim, claimant, low, high, shape = row
        words, period, stated_at = shapes[shape]
        name, kind = claimants[claimant]
        interval = Interval(low, None if high != high else high)  # NaN: no upper end
        # Positional, in FigureFact's field order (a third faster than keywords, a million times
        # over): figure, claimant id and name, interval, scope (a bulk figure counts the whole
        # event), date, modality, claim, relays, claimant kind, words, quote, period.
        return FigureFact(
            figure, claimant, name, interval, None, stated_at, reported, claim, (), kind, words, "", period
        )
