"""The range plot alone: scale choice, ticks, marks (bar, arrow, dot), notes and escaping."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from typing import Any

import pytest

from app.report.chart import (
    ChartGroup,
    ChartRow,
    Role,
    Span,
    choose_scale,
    log_ticks,
    nice_ticks,
    range_plot,
    spread,
    tick_label,
)

SVG = "{http://www.w3.org/2000/svg}"


def row(label: str = "A", low: float = 10, high: float | None = 20, **fields: Any) -> ChartRow:
    return ChartRow(label=label, low=low, high=high, **fields)


def parse(groups: list[ChartGroup], title: str = "chart") -> ET.Element:
    return ET.fromstring(range_plot(groups, title))


def with_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def texts(root: ET.Element, name: str) -> list[str]:
    return ["".join(e.itertext()) for e in with_class(root, name)]


def test_a_spread_of_ten_or_less_is_linear_beyond_it_log() -> None:
    assert not choose_scale([row(low=100, high=300), row(low=200, high=None)]).log
    assert not choose_scale([row(low=10, high=100)]).log  # exactly 10x
    assert choose_scale([row(low=5, high=5), row(low=201, high=None)]).log  # 201 / 5


def test_spread_is_largest_finite_end_over_smallest_positive_end() -> None:
    assert spread([row(low=0, high=49), row(low=201, high=None)]) == pytest.approx(201 / 49)
    assert spread([row(low=0, high=None)]) == 1.0
    assert spread([]) == 1.0


def test_linear_ticks_are_round_and_cover_the_values() -> None:
    assert nice_ticks(0, 300) == [0, 100, 200, 300]
    assert nice_ticks(0, 1) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    scale = choose_scale([row(low=200, high=300)])
    assert (scale.lo, scale.hi) == (0, 300)
    assert [t.label for t in scale.ticks()] == ["0", "100", "200", "300"]


def test_log_ticks_are_powers_of_ten_with_readable_labels() -> None:
    scale = choose_scale([row(low=5, high=5), row(low=201, high=None)])
    assert (scale.lo, scale.hi) == (1, 1000)
    majors = [t.label for t in log_ticks(scale.lo, scale.hi) if t.major]
    assert majors == ["1", "10", "100", "1k"]
    minors = [t.label for t in log_ticks(1, 1000) if not t.major]
    assert minors == ["2", "5", "20", "50", "200", "500"]
    assert not [t for t in log_ticks(1, 1e9) if not t.major]  # many decades: powers only


@pytest.mark.parametrize(
    ("value", "label"), [(1, "1"), (10, "10"), (1000, "1k"), (2500, "2.5k"), (1e6, "1M"), (3e9, "3B"), (0.5, "0.5")]
)
def test_tick_labels(value: float, label: str) -> None:
    assert tick_label(value) == label


def test_positions_follow_the_scale_and_stay_inside_it() -> None:
    log = choose_scale([row(low=1, high=1000)])
    assert log.x(10) - log.x(1) == pytest.approx(log.x(1000) - log.x(100))
    assert log.x(0) == log.x(1)  # zero sits on the left edge of a log scale
    linear = choose_scale([row(low=0, high=100)])
    assert linear.x(50) - linear.x(0) == pytest.approx(linear.x(100) - linear.x(50))


def test_an_unbounded_interval_ends_in_an_arrow_a_bounded_one_does_not() -> None:
    root = parse([ChartGroup("g", (row("open", 201, None), row("closed", 80, 120)))])
    rows = with_class(root, "row")
    assert len(rows) == 2
    arrows = [r for r in rows if with_class(r, "arrow")]
    assert len(arrows) == 1
    assert "open" in texts(arrows[0], "claimant")


def test_an_exact_figure_is_a_dot_not_a_bar() -> None:
    root = parse([ChartGroup("g", (row("five", 5, 5),))])
    assert len(with_class(root, "dot")) == 1
    assert not with_class(root, "bar")


def test_the_agreement_is_shaded_and_labelled() -> None:
    group = ChartGroup("g", (row("a", 201, None), row("b", 161, None)), (Span(201, None),))
    root = parse([group])
    assert len(with_class(root, "band")) == 1
    assert texts(root, "band-label") == ["agreement: at least 201"]


def test_outliers_carry_their_factor_and_comparisons_their_scope() -> None:
    rows = (
        row("majority", 201, None),
        row("official", 80, 120, role=Role.outlier, direction="under", factor=1.675),
        row("spokeswoman", 5, 5, role=Role.comparison, direction="under", factor=40.2, scope="Russian citizens"),
    )
    root = parse([ChartGroup("killed", rows, (Span(201, None),))])
    notes = texts(root, "note")
    assert "1.7x under" in notes
    assert "40.2x below" in notes
    assert "narrower scope: Russian citizens" in notes
    assert texts(root, "section") == ["Narrower scope: set beside the agreement, not counted in it"]
    assert len(with_class(root, "gap")) == 2  # dotted lines across both gaps


def test_names_and_stated_dates_are_labels() -> None:
    root = parse([ChartGroup("g", (row("Maria Zakharova", 5, 5, words="five people", stated=date(2018, 2, 15)),))])
    assert texts(root, "claimant") == ["Maria Zakharova"]
    assert texts(root, "detail") == ["“five people” · 15 Feb 2018"]


def test_text_is_escaped_and_unprintable_characters_dropped() -> None:
    nasty = '<b>Tom & "Jerry"</b>\x01'
    svg = range_plot([ChartGroup(nasty, (row(nasty, 1, 2, words=nasty),))], nasty)
    assert "<b>" not in svg and "&lt;b&gt;Tom &amp;" in svg
    root = ET.fromstring(svg)  # well-formed
    assert texts(root, "claimant") == ['<b>Tom & "Jerry"</b>']
    assert root.get("aria-label") == '<b>Tom & "Jerry"</b>'
    assert not [e for e in root.iter() if e.tag.removeprefix(SVG) in {"script", "foreignObject"}]


def test_groups_stack_on_one_scale_and_an_empty_chart_still_parses() -> None:
    root = parse([ChartGroup("killed", (row("a", 5, 5),)), ChartGroup("injured", (row("b", 200, 300),))])
    assert texts(root, "group-title") == ["killed", "injured"]
    assert "scale-log" in (root.get("class") or "")
    empty = parse([], "nothing")
    assert texts(empty, "empty") == ["No figures to compare."]
    assert "scale-linear" in (empty.get("class") or "")


def test_the_drawing_and_the_headlines_import_no_web_framework_and_no_database() -> None:
    probe = (
        "import sys, app.report.chart, app.report.narrative; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'fastapi', 'starlette', 'sqlalchemy', 'sqlmodel'}))"
    )
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"
