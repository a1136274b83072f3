"""After reading: relative figures get their reference and interval, figures without a counted noun
inherit a scope, and one claim restated in several sentences becomes one proposal."""

from __future__ import annotations

import bisect

from app.domain.errors import DomainError
from app.domain.extraction_records import _Fig, _Sentence
from app.domain.intervals import Bound, Interval
from app.domain.wording import derive_relative


def _link_and_inherit(figs: list[_Fig], tolerance: float) -> None:
    """Relative figures get their reference and interval; figures without a noun inherit a scope."""
    last_of_metric: dict[str, _Fig] = {}
    previous: _Fig | None = None
    for fig in figs:
        if fig.reading.bound is Bound.relative:
            fig.ref = last_of_metric.get(fig.metric.name, previous)
            factor, factor_bound = fig.reading.factor, fig.reading.factor_bound
            if fig.ref is not None and fig.ref.low is not None and factor and factor_bound:
                try:
                    iv = derive_relative(Interval(fig.ref.low, fig.ref.high), factor, factor_bound, tolerance=tolerance)
                except DomainError:  # beyond the largest figure accepted: left without an interval
                    pass
                else:
                    fig.low, fig.high = iv.low, iv.high
        if not fig.scope:
            fig.scope = _inherited_scope(fig, previous, last_of_metric.get(fig.metric.name))
        last_of_metric[fig.metric.name] = previous = fig


def _inherited_scope(fig: _Fig, previous: _Fig | None, same_metric: _Fig | None) -> str:
    """The reference's scope, else the sentence's earlier figure's, else the last of the same metric."""
    if fig.ref is not None:
        return fig.ref.scope
    if previous is not None and previous.sentence is fig.sentence:
        return previous.scope
    return same_metric.scope if same_metric is not None else ""


def _merge_restatements(figs: list[_Fig]) -> list[_Fig]:
    """One claim restated in another sentence is one proposal: the quoted one, else the first."""
    kept: list[_Fig] = []
    at: dict[int, int] = {}  # id of a kept figure -> its index in kept
    groups: dict[tuple[object, ...], _Group] = {}
    for fig in figs:
        r = fig.reading
        key = (fig.claimant, fig.metric.name, r.bound, fig.low, fig.high, r.factor, fig.ref and id(fig.ref))
        group = groups.setdefault(key, _Group())
        other = group.find(fig)
        if other is None:
            group.add(fig)
            at[id(fig)] = len(kept)
            kept.append(fig)
            continue
        keeper, merged = (fig, other) if fig.quoted and not other.quoted else (other, fig)
        _absorb(keeper, merged)
        if keeper is fig:
            group.replace(other, fig)
            at[id(fig)] = at.pop(id(other))
            kept[at[id(fig)]] = fig
        else:
            group.rescope(other)  # "" may have become the merged figure's scope
    for fig in kept:
        fig.also_at = sorted(set(fig.also_at))
    kept.sort(key=lambda f: f.start)
    return kept


class _Group:
    """The proposals kept so far with one claimant, metric and interval: which one a figure restates.

    The answer is the first kept (in the order they were kept) from another sentence with a
    compatible scope (``_same_scope``), found by bucket: the empty scopes, and the scopes by their
    last word. Members from the figure's own sentence wait outside the buckets until the next
    sentence (figures come in text order), so the first of a bucket is always from another one.
    """

    def __init__(self) -> None:
        self.members: list[_Fig] = []  # by slot; a slot is taken over when a quote replaces its figure
        self.slot: dict[int, int] = {}  # id of a member -> its slot
        self.sentence: _Sentence | None = None
        self.waiting: list[int] = []  # slots of members from the current sentence
        self.every: list[int] = []  # slots in the buckets, in order
        self.buckets: dict[str, list[int]] = {}  # "" -> empty scopes, else the scope's last word

    def find(self, fig: _Fig) -> _Fig | None:
        if fig.sentence is not self.sentence:
            for slot in self.waiting:
                self._file(slot)
            self.waiting, self.sentence = [], fig.sentence
        if not fig.scope:
            firsts = self.every[:1]
        else:
            firsts = self.buckets.get("", [])[:1] + self.buckets.get(_last_word(fig.scope), [])[:1]
        return self.members[min(firsts)] if firsts else None

    def add(self, fig: _Fig) -> None:
        self.slot[id(fig)] = len(self.members)
        self.members.append(fig)
        self.waiting.append(self.slot[id(fig)])

    def replace(self, old: _Fig, new: _Fig) -> None:
        slot = self.slot.pop(id(old))
        self._unfile(slot, old.scope)
        self.members[slot] = new
        self.slot[id(new)] = slot
        self.waiting.append(slot)

    def rescope(self, fig: _Fig) -> None:
        """``fig`` (filed) took a scope where it had none."""
        slot = self.slot[id(fig)]
        bucket = self.buckets.get("", [])
        i = bisect.bisect_left(bucket, slot)
        if fig.scope and i < len(bucket) and bucket[i] == slot:
            del bucket[i]
            bisect.insort(self.buckets.setdefault(_last_word(fig.scope), []), slot)

    def _file(self, slot: int) -> None:
        scope = self.members[slot].scope
        bisect.insort(self.every, slot)
        bisect.insort(self.buckets.setdefault(_last_word(scope) if scope else "", []), slot)

    def _unfile(self, slot: int, scope: str) -> None:
        for bucket in (self.every, self.buckets.get(_last_word(scope) if scope else "", [])):
            i = bisect.bisect_left(bucket, slot)
            if i < len(bucket) and bucket[i] == slot:
                del bucket[i]


def _last_word(scope: str) -> str:
    return scope.lower().split()[-1]


def _absorb(keeper: _Fig, merged: _Fig) -> None:
    """``keeper`` takes the spans, relays and cues of ``merged`` (spans sorted once, at the end)."""
    keeper.also_at += [(merged.start, merged.end), *merged.also_at]
    if keeper.known is None:
        keeper.known = {*keeper.relays, *keeper.cues}  # relays are ids, cues words: never equal
    relays = [r for r in merged.relays if r not in keeper.known and r != keeper.claimant]
    cues = [c for c in merged.cues if c not in keeper.known]
    keeper.relays += relays
    keeper.cues += cues
    keeper.known.update(relays, cues)
    keeper.scope = keeper.scope or merged.scope
    merged.keeper = keeper


def _same_scope(a: str, b: str) -> bool:
    if not a or not b:
        return True
    return a.lower().split()[-1] == b.lower().split()[-1]
