"""Range plots of claimed figures as standalone SVG: one row per claimant, its interval as a bar.

A bar is the interval a claimant's words allow; an arrow means no upper bound; a dot is an exact
figure. The agreement interval is shaded behind the rows, outliers carry their factor ("1.7x
under"), and figures of a narrower scope are drawn hollow and dashed with the scope's name. The
scale is logarithmic when the largest finite end is more than ten times the smallest positive one.

Pure: plain data in, an SVG string out (no JavaScript; every text escaped)."""

import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from xml.sax.saxutils import escape, quoteattr

LOG_SPREAD = 10.0  # above this ratio of largest to smallest end, the scale is logarithmic

WIDTH = 1000
LABEL_X = 16  # the claimant column
LABEL_CHARS = 50  # a claimant's name wraps past this many characters (two lines at most)
DETAIL_CHARS = 62
PLOT_LEFT = 392
PLOT_RIGHT = 950  # the largest value of the scale; arrows run past it
ARROW = 16
BAR = 12
DOT = 6
FONT = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, 'Liberation Sans', sans-serif"

SECTIONS = {
    "model": "Reporting-bias model: the value once each claimant's bias is corrected (95% interval), not a voice",
    "comparison": "Narrower scope: set beside the agreement, not counted in it",
    "set-aside": "Set aside: revised, denied or retracted, never counted",
}
INK, MUTED, GRID, ZEBRA = "#1a202c", "#4a5568", "#e2e8f0", "#f7fafc"
BAND, BAND_EDGE, BAND_TEXT = "#dbeafe", "#93c5fd", "#1e40af"


class Role(StrEnum):
    """Where a row stands in its group."""

    agree = "agree"  # inside the agreement
    counted = "counted"  # counted, with no majority to stand in (alone, or a tie)
    outlier = "outlier"  # apart from the agreement
    model = "model"  # the bias-corrected estimate of the reporting-bias model: not a voice
    comparison = "comparison"  # a narrower scope, set beside the agreement
    set_aside = "set-aside"  # revised, denied or retracted: drawn, never counted


@dataclass(frozen=True)
class Style:
    color: str
    fill: str
    dash: str = ""


STYLES = {
    Role.agree: Style("#1d4ed8", "#1d4ed8"),
    Role.outlier: Style("#c2410c", "#c2410c"),
    Role.comparison: Style("#7e22ce", "#f3e8ff", "5 3"),
    Role.model: Style("#047857", "#d1fae5", "6 2"),
    Role.counted: Style("#475569", "#475569"),
    Role.set_aside: Style("#94a3b8", "#ffffff", "3 3"),
}


@dataclass(frozen=True)
class Span:
    """A closed interval; ``high`` None = no upper bound."""

    low: float
    high: float | None = None


@dataclass(frozen=True)
class ChartRow:
    """One claimant's figure."""

    label: str  # the claimant
    low: float
    high: float | None  # None = no upper bound
    role: Role = Role.agree
    words: str = ""  # the figure as written
    stated: date | None = None
    direction: str | None = None  # under / over (outliers); under / within / over (comparisons)
    factor: float | None = None  # None with a direction = infinite
    scope: str | None = None  # comparisons: the narrower population counted
    conflict: bool = False  # comparisons: the part outnumbers the whole
    reason: str = ""  # set-aside rows: revised, denied, retracted


@dataclass(frozen=True)
class ChartGroup:
    """One metric and scope: its rows and its agreement (several spans = a tie)."""

    title: str
    rows: tuple[ChartRow, ...]
    agreements: tuple[Span, ...] = ()
    subtitle: str = ""


@dataclass(frozen=True)
class Tick:
    value: float
    label: str
    major: bool = True


@dataclass(frozen=True)
class Scale:
    log: bool
    lo: float
    hi: float

    def x(self, value: float) -> float:
        """The pixel position of a value; values beyond the scale sit on its edges."""
        if self.log:
            v = max(value, self.lo)
            t = (math.log10(v) - math.log10(self.lo)) / (math.log10(self.hi) - math.log10(self.lo))
        else:
            t = (value - self.lo) / (self.hi - self.lo)
        return PLOT_LEFT + min(max(t, 0.0), 1.0) * (PLOT_RIGHT - PLOT_LEFT)

    def ticks(self) -> list[Tick]:
        if self.log:
            return log_ticks(self.lo, self.hi)
        return [Tick(v, tick_label(v)) for v in nice_ticks(self.lo, self.hi)]


# --- scale ------------------------------------------------------------------------------------------
def spread(rows: Iterable[ChartRow]) -> float:
    """Largest finite end over smallest positive end (1 when there is nothing to compare)."""
    ends = [v for r in rows for v in (r.low, r.high) if v is not None and math.isfinite(v)]
    positive = [v for v in ends if v > 0]
    if not positive:
        return 1.0
    return max(ends) / min(positive)


def choose_scale(rows: Sequence[ChartRow]) -> Scale:
    """Log when the spread exceeds 10x, else linear from 0 (or the lowest end) with nice ends."""
    ends = [v for r in rows for v in (r.low, r.high) if v is not None and math.isfinite(v)]
    top = max(ends, default=1.0)
    if any(r.high is None for r in rows):
        top = top * 1.25  # room for the arrows' start to read as "and more"
    if spread(rows) > LOG_SPREAD:
        smallest = min(v for v in ends if v > 0)
        return Scale(True, 10.0 ** math.floor(math.log10(smallest)), 10.0 ** math.ceil(math.log10(top)))
    bottom = min(min(ends, default=0.0), 0.0)
    if top <= bottom:
        top = bottom + 1.0
    ticks = nice_ticks(bottom, top)
    return Scale(False, ticks[0], ticks[-1])


def _nice_step(raw: float) -> float:
    power = 10.0 ** math.floor(math.log10(raw))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= m * power:
            return m * power
    return 10 * power


def nice_ticks(lo: float, hi: float, count: int = 6) -> list[float]:
    """Round ticks (1, 2, 2.5 or 5 times a power of ten) covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1.0
    step = _nice_step((hi - lo) / max(count - 1, 1))
    start = math.floor(lo / step) * step
    n = math.ceil(round((hi - start) / step, 9))
    return [round(start + i * step, 10) for i in range(n + 1)]


def log_ticks(lo: float, hi: float) -> list[Tick]:
    """Powers of ten as major ticks; 2 and 5 times them as minor ones when few decades show."""
    first, last = round(math.log10(lo)), round(math.log10(hi))
    minors = (2, 5) if last - first <= 4 else ()
    ticks: list[Tick] = []
    for k in range(first, last + 1):
        ticks.append(Tick(10.0**k, tick_label(10.0**k)))
        if k < last:
            ticks.extend(Tick(m * 10.0**k, tick_label(m * 10.0**k), major=False) for m in minors)
    return ticks


def tick_label(value: float) -> str:
    """1, 10, 100, 1k, 2.5k, 10k, 1M, 1B; 0.5 below one."""
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return _trim(value / size) + suffix
    return _trim(value)


def _trim(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}"


# --- text -------------------------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _text(value: str) -> str:
    """Escaped for XML text, without the characters XML 1.0 cannot hold."""
    return escape(_CONTROL.sub("", value))


def _attr(value: str) -> str:
    return quoteattr(_CONTROL.sub("", value))


def _wrap(value: str, width: int, lines: int) -> list[str]:
    wrapped = textwrap.wrap(value, width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return wrapped


def _clip(value: str, width: int) -> str:
    return value if len(value) <= width else value[: width - 1].rstrip() + "…"


def _width(value: str, size: float, bold: bool = False) -> float:
    """A generous estimate of a text's width in a sans-serif font."""
    return len(value) * size * (0.6 if bold else 0.55)


def day(value: date) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def span_text(low: float, high: float | None) -> str:
    if high is None:
        return f"at least {_number(low)}"
    if low == high:
        return _number(low)
    return f"{_number(low)} to {_number(high)}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def factor_text(factor: float | None) -> str:
    return "∞x" if factor is None or math.isinf(factor) else f"{factor:.1f}x"


def notes(row: ChartRow) -> list[tuple[str, bool]]:
    """The lines written beside a bar, each with whether it is bold."""
    if row.role is Role.outlier:
        return [(f"{factor_text(row.factor)} {row.direction or 'apart'}", True)]
    if row.role is Role.comparison:
        if row.conflict:
            head = f"conflict: {factor_text(row.factor)} above the whole"
        elif row.direction == "within" or row.direction is None:
            head = "within the agreement"
        else:
            head = f"{factor_text(row.factor)} {'below' if row.direction == 'under' else 'above'}"
        return [(head, True), (f"narrower scope: {row.scope or 'unnamed'}", False)]
    if row.role is Role.set_aside:
        return [(f"set aside{': ' + row.reason if row.reason else ''}", False)]
    if row.role is Role.model:
        return [(f"best estimate {row.words}", True), *([(row.reason, False)] if row.reason else [])]
    if row.role is Role.counted and row.direction is not None:  # a side of a split: which way, how far
        return [(f"{factor_text(row.factor)} {'below' if row.direction == 'under' else 'above'} the other side", True)]
    return []


# --- drawing ----------------------------------------------------------------------------------------
def _el(tag: str, body: str = "", **attrs: object) -> str:
    """An element; attribute names take ``-`` for ``_``; a body is raw (already escaped) markup."""
    rendered = "".join(f" {k.rstrip('_').replace('_', '-')}={_attr(str(v))}" for k, v in attrs.items() if v != "")
    return f"<{tag}{rendered}>{body}</{tag}>" if body else f"<{tag}{rendered}/>"


def _label(x: float, y: float, value: str, size: float, **attrs: object) -> str:
    return _el("text", _text(value), x=f"{x:.1f}", y=f"{y:.1f}", font_size=size, **attrs)


def _row_height(row: ChartRow) -> int:
    return 44 + 15 * (len(_wrap(row.label, LABEL_CHARS, 2)) - 1)


def _ordered(rows: Iterable[ChartRow]) -> list[ChartRow]:
    rank = list(Role)
    return sorted(rows, key=lambda r: (rank.index(r.role), -r.low, -(r.high if r.high is not None else math.inf)))


def _detail(row: ChartRow) -> str:
    when = day(row.stated) if row.stated else ""
    room = DETAIL_CHARS - len(when) - 5
    words = f"“{_clip(row.words, room)}”" if row.words else span_text(row.low, row.high)
    return " · ".join(p for p in (words, when) if p)


def _mark(row: ChartRow, scale: Scale, mid: float) -> tuple[str, float, float]:
    """The bar, arrow or dot of a row, and the x where it starts and ends."""
    style = STYLES[row.role]
    x0 = scale.x(row.low)
    if row.high is not None and row.high == row.low:
        dot = _el(
            "circle",
            cx=f"{x0:.1f}",
            cy=f"{mid:.1f}",
            r=DOT,
            fill=style.fill,
            stroke=style.color,
            stroke_width=2.5 if style.dash else 1,
            class_=f"dot {row.role}",
        )
        return dot, x0 - DOT, x0 + DOT
    x1 = scale.x(row.high) if row.high is not None else PLOT_RIGHT
    x1 = max(x1, x0 + 3)  # a narrow interval stays visible
    bar = _el(
        "rect",
        x=f"{x0:.1f}",
        y=f"{mid - BAR / 2:.1f}",
        width=f"{x1 - x0:.1f}",
        height=BAR,
        rx=3,
        fill=style.fill,
        stroke=style.color,
        stroke_width=1.5,
        stroke_dasharray=style.dash,
        class_=f"bar {row.role}",
    )
    if row.high is not None:
        return bar, x0, x1
    tip = x1 + ARROW
    arrow = _el(
        "polygon",
        points=f"{x1:.1f},{mid - 9:.1f} {tip:.1f},{mid:.1f} {x1:.1f},{mid + 9:.1f}",
        fill=style.color,
        class_=f"arrow {row.role}",
    )
    return bar + arrow, x0, tip


def _gap(row: ChartRow, scale: Scale, agreement: Span | None) -> tuple[float, float] | None:
    """The x ends of the gap between a row standing apart and the agreement, if there is one."""
    if agreement is None or row.role not in (Role.outlier, Role.comparison):
        return None
    if row.high is not None and row.high < agreement.low:
        return scale.x(row.high) + (DOT if row.high == row.low else 0), scale.x(agreement.low)
    if agreement.high is not None and row.low > agreement.high:
        return scale.x(agreement.high), scale.x(row.low) - (DOT if row.high == row.low else 0)
    return None


def _note_text(row: ChartRow, x: float, y: float, text: str, bold: bool, anchor: str) -> str:
    return _label(
        x,
        y,
        text,
        12.5 if bold else 11.5,
        fill=STYLES[row.role].color,
        text_anchor=anchor,
        font_weight="bold" if bold else "",
        stroke="#ffffff",
        stroke_width=4,
        stroke_linejoin="round",
        paint_order="stroke",
        class_=f"note {row.role}",
    )


def _note(row: ChartRow, start: float, end: float, mid: float, gap: tuple[float, float] | None) -> str:
    """The factor (and scope) of a row: over and under the dotted gap line when there is one,
    else beside the mark (after it when it fits, before it otherwise)."""
    lines = notes(row)
    if not lines:
        return ""
    if gap is not None:
        x0, x1 = gap
        wide = max(_width(text, 12.5, bold) for text, bold in lines)
        x = min(max((x0 + x1) / 2, PLOT_LEFT + wide / 2), WIDTH - 6 - wide / 2)
        line = _el(
            "line",
            x1=f"{x0:.1f}",
            x2=f"{x1:.1f}",
            y1=f"{mid:.1f}",
            y2=f"{mid:.1f}",
            stroke=STYLES[row.role].color,
            stroke_width=1.5,
            stroke_dasharray="2 3",
            class_="gap",
        )
        ys = [mid - 10, mid + 19]
        return line + "".join(_note_text(row, x, ys[i], t, b, "middle") for i, (t, b) in enumerate(lines[:2]))
    wide = max(_width(text, 12.5, bold) for text, bold in lines)
    right = end + 10 + wide <= WIDTH - 6
    x, anchor = (end + 10, "start") if right else (start - 10, "end")
    top = mid + 4.5 - 7.5 * (len(lines) - 1)
    return "".join(_note_text(row, x, top + 15 * i, t, b, anchor) for i, (t, b) in enumerate(lines))


def _row(row: ChartRow, scale: Scale, y: float, agreement: Span | None) -> tuple[str, float]:
    height = _row_height(row)
    names = _wrap(row.label, LABEL_CHARS, 2)
    tip = f"{row.label}: {row.words or span_text(row.low, row.high)} ({span_text(row.low, row.high)})"
    parts = [_el("title", _text(tip))]
    parts += [
        _label(LABEL_X, y + 17 + 15 * i, n, 13, font_weight="bold", fill=INK, class_="claimant")
        for i, n in enumerate(names)
    ]
    parts.append(_label(LABEL_X, y + 17 + 15 * len(names), _detail(row), 11.5, fill=MUTED, class_="detail"))
    mid = y + height / 2
    mark, start, end = _mark(row, scale, mid)
    parts += [mark, _note(row, start, end, mid, _gap(row, scale, agreement))]
    return _el("g", "".join(parts), class_=f"row {row.role}"), height


def _band(group: ChartGroup, scale: Scale, top: float, bottom: float) -> str:
    parts = []
    for span in group.agreements:
        x0 = scale.x(span.low)
        x1 = scale.x(span.high) if span.high is not None else PLOT_RIGHT + ARROW
        x1 = max(x1, x0 + 4)
        parts.append(
            _el(
                "rect",
                x=f"{x0:.1f}",
                y=f"{top:.1f}",
                width=f"{x1 - x0:.1f}",
                height=f"{bottom - top:.1f}",
                fill=BAND,
                stroke=BAND_EDGE,
                stroke_dasharray="4 3",
                class_="band",
            )
        )
        text = ("tied: " if len(group.agreements) > 1 else "agreement: ") + span_text(span.low, span.high)
        fits = x0 + _width(text, 11.5, True) <= WIDTH - 6
        parts.append(
            _label(
                x0 + 4 if fits else x1 - 4,
                top - 5,
                text,
                11.5,
                fill=BAND_TEXT,
                font_weight="bold",
                text_anchor="start" if fits else "end",
                class_="band-label",
            )
        )
    return "".join(parts)


def _tick_line(x: float, y1: float, y2: float, stroke: str) -> str:
    return _el("line", x1=f"{x:.1f}", x2=f"{x:.1f}", y1=f"{y1:.1f}", y2=f"{y2:.1f}", stroke=stroke, stroke_width=1)


def _grid(scale: Scale, top: float, bottom: float) -> str:
    return "".join(
        _tick_line(scale.x(tick.value), top, bottom, GRID if tick.major else "#f1f5f9") for tick in scale.ticks()
    )


def _axis(scale: Scale, y: float, caption: str) -> str:
    parts = [_el("line", x1=PLOT_LEFT, x2=PLOT_RIGHT + ARROW, y1=f"{y:.1f}", y2=f"{y:.1f}", stroke=MUTED)]
    for tick in scale.ticks():
        x = scale.x(tick.value)
        parts.append(_tick_line(x, y, y + (5 if tick.major else 3), MUTED))
        parts.append(
            _label(
                x,
                y + 18,
                tick.label,
                12 if tick.major else 10.5,
                text_anchor="middle",
                fill=INK if tick.major else MUTED,
                class_="tick" if tick.major else "tick minor",
            )
        )
    parts.append(_label(PLOT_LEFT - 12, y + 18, caption, 11.5, text_anchor="end", fill=MUTED, class_="axis-caption"))
    return "".join(parts)


def _section(role: Role, y: float) -> str:
    color = STYLES[role].color
    return _el(
        "line",
        x1=LABEL_X,
        x2=WIDTH - 16,
        y1=f"{y:.1f}",
        y2=f"{y:.1f}",
        stroke=color,
        stroke_opacity=0.5,
        stroke_dasharray="4 3",
    ) + _label(LABEL_X, y + 14, SECTIONS[role], 11.5, fill=color, font_style="italic", class_="section")


def _group(group: ChartGroup, scale: Scale, y: float) -> tuple[str, float]:
    parts = [_label(LABEL_X, y + 20, group.title, 16, font_weight="bold", fill=INK, class_="group-title")]
    if group.subtitle:
        parts.append(_label(LABEL_X, y + 38, group.subtitle, 12, fill=MUTED, class_="group-subtitle"))
    top = y + 62
    agreement = group.agreements[0] if len(group.agreements) == 1 else None
    stripes, body, cursor, previous = [], [], top, None
    for index, row in enumerate(_ordered(group.rows)):
        if row.role in SECTIONS and row.role is not previous:
            body.append(_section(row.role, cursor + 4))
            cursor += 22
        drawn, height = _row(row, scale, cursor, agreement)
        if index % 2:
            stripes.append(_el("rect", x=0, y=f"{cursor:.1f}", width=WIDTH, height=height, fill=ZEBRA))
        body.append(drawn)
        cursor, previous = cursor + height, row.role
    bottom = cursor + 4
    parts += [*stripes, _grid(scale, top - 2, bottom), _band(group, scale, top - 2, bottom), *body]
    parts.append(_axis(scale, bottom, "log scale" if scale.log else "linear scale"))
    return _el("g", "".join(parts), class_="group"), bottom + 34 - y


LEGEND = {
    Role.agree: "in the agreement",
    Role.counted: "counted (alone or no majority)",
    Role.outlier: "outlier, with its factor",
    Role.model: "model estimate (bias-corrected)",
    Role.comparison: "narrower scope",
    Role.set_aside: "set aside",
}


def _legend(rows: Sequence[ChartRow], y: float) -> str:
    """A key to what this chart draws, and only that."""
    parts, x = [], float(LABEL_X)
    for role in [r for r in Role if any(row.role is r for row in rows)]:
        style, text = STYLES[role], LEGEND[role]
        parts.append(
            _el(
                "rect",
                x=f"{x:.1f}",
                y=f"{y - 9:.1f}",
                width=22,
                height=10,
                rx=2,
                fill=style.fill,
                stroke=style.color,
                stroke_dasharray=style.dash,
            )
        )
        parts.append(_label(x + 28, y, text, 11.5, fill=MUTED))
        x += 40 + _width(text, 11.5)
    if any(r.high is None for r in rows):
        parts.append(
            _el("polygon", points=f"{x:.1f},{y - 10:.1f} {x + 12:.1f},{y - 4:.1f} {x:.1f},{y + 2:.1f}", fill=MUTED)
        )
        parts.append(_label(x + 18, y, "no upper bound", 11.5, fill=MUTED))
        x += 40 + _width("no upper bound", 11.5)
    if any(r.high == r.low for r in rows):
        parts.append(_el("circle", cx=f"{x + 5:.1f}", cy=f"{y - 4:.1f}", r=5, fill=MUTED))
        parts.append(_label(x + 16, y, "exact figure", 11.5, fill=MUTED))
    return _el("g", "".join(parts), class_="legend")


def range_plot(groups: list[ChartGroup], title: str) -> str:
    """A standalone SVG of the groups, stacked on one shared scale, under a title and above a legend."""
    rows = [r for g in groups for r in g.rows]
    scale = choose_scale(rows)
    parts = [_el("title", _text(title)), _label(LABEL_X, 26, title, 18, font_weight="bold", fill=INK, class_="title")]
    y = 44.0
    if not rows:
        parts.append(_label(LABEL_X, y + 20, "No figures to compare.", 13, fill=MUTED, class_="empty"))
        y += 40
    for group in groups:
        drawn, height = _group(group, scale, y)
        parts.append(drawn)
        y += height + 12
    parts.append(_legend(rows, y + 8))
    height = math.ceil(y + 24)
    return _el(
        "svg",
        "".join(parts),
        xmlns="http://www.w3.org/2000/svg",
        width=WIDTH,
        height=height,
        viewBox=f"0 0 {WIDTH} {height}",
        role="img",
        aria_label=title,
        font_family=FONT,
        class_=f"countercheck-chart scale-{'log' if scale.log else 'linear'}",
    )
