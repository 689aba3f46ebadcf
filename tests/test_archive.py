"""The archive site's parts: chart geometry, page names and links, months. Pure functions."""

from __future__ import annotations

from datetime import date

import pytest

from sendplan.archive.board import first_rated_month, months_between
from sendplan.archive.charts import Point, Segment, line_chart, nice_ticks, stacked_bars
from sendplan.archive.links import Links, SitePaths, page_names
from sendplan.load import load_plan
from sendplan.sources import FolderSource
from tests.conftest import PLANS

KEYS = ("red", "amber", "green", "blue", "unrated")


@pytest.mark.parametrize(
    ("low", "high", "most", "ticks"),
    [
        (4, 66, 5, [0, 20, 40, 60, 80]),
        (0, 37, 4, [0, 10, 20, 30, 40]),
        (0, 1, 4, [0, 0.25, 0.5, 0.75, 1]),
        (-3, 7, 5, [-4, -2, 0, 2, 4, 6, 8]),
        (100, 100, 5, [100, 100.2, 100.4, 100.6, 100.8, 101]),
    ],
)
def test_nice_ticks_cover_the_range_in_round_steps(
    low: float, high: float, most: int, ticks: list[float]
) -> None:
    assert nice_ticks(low, high, most) == ticks


def test_stacked_bars_stack_each_months_counts_bottom_up() -> None:
    chart = stacked_bars(
        ["Jan 2024", "Feb 2024", "Mar 2024"],
        [(1, 2, 0, 0, 1), (0, 0, 3, 1, 0), (0, 0, 0, 0, 0)],
        KEYS,
    )
    # 252 units of height for 4 objectives at most: 63 a count; three slots of 220 wide.
    assert [(t.label, t.at) for t in chart.ticks] == [
        ("0", 264.0),
        ("1", 201.0),
        ("2", 138.0),
        ("3", 75.0),
        ("4", 12.0),
    ]
    jan, feb, mar = chart.bars
    assert (jan.x, jan.width, jan.centre, jan.total) == (134.0, 48.0, 158.0, 4)
    assert jan.segments == (
        Segment("red", 1, 201.0, 63.0, True),
        Segment("amber", 2, 75.0, 126.0, True),
        Segment("unrated", 1, 12.0, 63.0, True),
    )
    assert feb.x == 354.0
    assert [s.key for s in feb.segments] == ["green", "blue"]
    assert mar.segments == ()


def test_a_long_history_labels_every_few_months_and_counts_only_where_they_fit() -> None:
    labels = [f"M{i}" for i in range(24)]
    chart = stacked_bars(labels, [(40, 0, 1, 0, 0)] * 23 + [(100, 0, 0, 0, 0)], KEYS)
    shown = [b.label for b in chart.bars if b.show_label]
    assert shown == ["M2", "M5", "M8", "M11", "M14", "M17", "M20", "M23"]  # the latest always
    assert chart.bars[0].width == 19.8
    forty, one = chart.bars[0].segments
    (hundred,) = chart.bars[-1].segments
    assert (forty.height, forty.labelled) == (100.8, True)  # "40" fits 19.8 wide
    assert (one.height, one.labelled) == (2.5, False)  # a sliver has no room for its count
    assert (hundred.height, hundred.labelled) == (252.0, False)  # nor "100" the bar's width


def test_line_chart_places_series_target_and_benchmarks_in_time() -> None:
    chart = line_chart(
        [(date(2024, 1, 31), 10.0, "January 2024"), (date(2024, 3, 31), 30.0, "March 2024")],
        target=(date(2024, 12, 31), 50.0, "Target"),
        benchmarks=[(date(2023, 12, 31), 20.0, "England")],
    )
    assert chart is not None
    # x: 366 days from 31 Dec 2023 to 31 Dec 2024 across 660 units; y: 10 to 50 across 252.
    assert chart.series == (
        Point(103.9, 264.0, 10.0, "January 2024"),
        Point(212.1, 138.0, 30.0, "March 2024"),
    )
    assert chart.polyline(chart.series) == "103.9,264.0 212.1,138.0"
    assert chart.target == (Point(48.0, 12.0, 50.0, "Target"), Point(708.0, 12.0, 50.0, "Target"))
    assert chart.benchmarks == (Point(48.0, 201.0, 20.0, "England"),)
    assert [(t.label, t.at) for t in chart.x_ticks] == [
        ("Jan 2024", 49.8),
        ("Apr 2024", 213.9),
        ("Jul 2024", 378.0),
        ("Oct 2024", 543.9),
    ]
    assert [t.value for t in chart.y_ticks] == [10, 20, 30, 40, 50]


def test_line_chart_without_data_is_none_and_one_point_is_drawn() -> None:
    assert line_chart([]) is None
    chart = line_chart([(date(2024, 5, 31), 7.0, "May 2024")])
    assert chart is not None
    assert [(p.x, p.y) for p in chart.series] == [(48.0, 264.0)]
    assert [t.label for t in chart.x_ticks] == ["Jun 2024"]  # 1 June is a day after the point


def test_page_names_follow_file_names_and_never_collide_ignoring_case() -> None:
    assert page_names(["PAP3A:1", "W1.2", "a1", "A1", "A:1", "A-1"]) == {
        "PAP3A:1": "PAP3A-1",
        "W1.2": "W1.2",
        "a1": "a1",
        "A1": "A1~2",
        "A:1": "A-1",
        "A-1": "A-1~2",
    }


def test_links_are_relative_to_the_page_they_are_on() -> None:
    paths = SitePaths({"PAP1:1": "PAP1-1"}, {"k:1": "k-1"}, frozenset({date(2024, 6, 30)}))
    shared: dict[str, dict[str, str]] = {}
    index = Links(paths, "index.html", shared)
    month = Links(paths, "months/2024-06.html", shared)
    assert index.objective_href("PAP1:1") == "objectives/PAP1-1.html"
    assert month.objective_href("PAP1:1") == "../objectives/PAP1-1.html"
    assert month.kpi_href("k:1") == "../kpis/k-1.html"
    assert month.month_href(date(2024, 6, 30)) == "#main"
    assert index.month_href(date(2024, 6, 30)) == "months/2024-06.html"
    assert month.index_href("area-PAP1") == "../index.html#area-PAP1"
    assert index.index_href("months") == "#months"
    # No page, no link: an objective or month the site does not have.
    assert month.objective_href("PAP9:9") is None
    assert month.month_href(date(2024, 5, 31)) is None
    assert month.objective_link("PAP1:1") == '<a href="../objectives/PAP1-1.html">PAP1:1</a>'
    assert month.objective_link("javascript:x") == "javascript&#58;x"  # no page, and defanged
    assert month.kpi_link("k:1", "<b> & co") == '<a href="../kpis/k-1.html">&lt;b&gt; &amp; co</a>'
    assert set(shared) == {"", "../"}  # worked out once per folder


def test_months_run_from_the_first_rated_month() -> None:
    assert months_between(date(2023, 11, 5), date(2024, 2, 29)) == [
        date(2023, 11, 30),
        date(2023, 12, 31),
        date(2024, 1, 31),
        date(2024, 2, 29),
    ]
    plan = load_plan(FolderSource(PLANS / "board")).plan
    assert first_rated_month(plan) == date(2024, 1, 31)  # A2:1 rated green on 31 January 2024
