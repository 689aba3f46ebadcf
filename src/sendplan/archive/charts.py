"""Chart geometry for the archive site: numbers only, no markup (`_charts.html.j2` draws them).

Every chart sits beside a table holding the same figures; the SVG is a picture of that table.
Coordinates are in the SVG's own units (the viewBox), rounded to 0.1 so the bytes are stable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

WIDTH = 720
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 36
"""Room for the y axis labels on the left and the x axis labels below."""
MAX_X_LABELS = 8
LABEL_MIN_HEIGHT = 14.0
"""A bar segment shows its count inside when it is at least this tall (and wide enough)."""
CHAR_WIDTH = 7.0
"""About the width of a digit at the charts' 12px type."""


def _r(value: float) -> float:
    return round(value, 1)


@dataclass(frozen=True)
class Plot:
    """The drawing area inside the axes."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top


PLOT = Plot(LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM)


@dataclass(frozen=True)
class Tick:
    value: float
    at: float
    """y (value ticks) or x (time ticks) in SVG units."""
    label: str = ""
    anchor: str = "middle"
    """How a time label sits on its tick: `start` or `end` near an edge, so none is cut off."""


def _anchor(x: float, label: str) -> str:
    half = len(label) * CHAR_WIDTH / 2
    return "end" if x + half > WIDTH else "start" if x - half < 0 else "middle"


@dataclass(frozen=True)
class Segment:
    key: str
    count: int
    y: float
    height: float
    labelled: bool
    """Tall enough to show its count inside."""


@dataclass(frozen=True)
class Bar:
    label: str
    x: float
    width: float
    total: int
    segments: tuple[Segment, ...]
    """Bottom to top, in the order of the keys; empty segments are left out."""
    show_label: bool
    """Its label is drawn under the axis (every bar's label would overlap on a long history)."""
    anchor: str

    @property
    def centre(self) -> float:
        return _r(self.x + self.width / 2)


@dataclass(frozen=True)
class StackedBars:
    width: int
    height: int
    plot: Plot
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]


def nice_ticks(low: float, high: float, most: int = 5) -> list[float]:
    """Round values from at or below `low` to at or above `high`, at most `most` + 1 of them."""
    if high <= low:
        high = low + 1
    raw = (high - low) / most
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = [start]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(round(start + step * len(ticks), 10))
    return ticks


def stacked_bars(
    labels: Sequence[str], counts: Sequence[Sequence[int]], keys: Sequence[str]
) -> StackedBars:
    """One bar per label, stacked by key (e.g. BRAG counts per month)."""
    most = max((sum(c) for c in counts), default=0)
    ticks = [t for t in nice_ticks(0, max(most, 1), 4) if t == int(t)] or [0.0, 1.0]
    top = ticks[-1]
    slot = PLOT.width / max(len(labels), 1)
    bar_width = _r(min(slot * 0.72, 48))
    every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    scale = PLOT.height / top
    bars = []
    for i, (label, column) in enumerate(zip(labels, counts, strict=True)):
        x = _r(PLOT.left + slot * i + (slot - bar_width) / 2)
        base = PLOT.bottom
        segments = []
        for key, count in zip(keys, column, strict=True):
            if count <= 0:
                continue
            height = count * scale
            fits = height >= LABEL_MIN_HEIGHT and len(str(count)) * CHAR_WIDTH + 4 <= bar_width
            segments.append(Segment(key, count, _r(base - height), _r(height), fits))
            base -= height
        show = (len(labels) - 1 - i) % every == 0  # the latest month is always labelled
        anchor = _anchor(x + bar_width / 2, label)
        bars.append(Bar(label, x, bar_width, sum(column), tuple(segments), show, anchor))
    value_ticks = tuple(Tick(t, _r(PLOT.bottom - t * scale), f"{t:,.0f}") for t in ticks)
    return StackedBars(WIDTH, HEIGHT, PLOT, tuple(bars), value_ticks)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    plot: Plot
    series: tuple[Point, ...]
    trajectory: tuple[Point, ...]
    """The agreed path to the target (from the first point through each milestone)."""
    target: tuple[Point, Point] | None
    """A level line at the target value, from the first point to the target date."""
    benchmarks: tuple[Point, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]

    @staticmethod
    def polyline(points: Sequence[Point]) -> str:
        return " ".join(f"{p.x},{p.y}" for p in points)


Dated = tuple[date, float, str]
"""(when, value, label) of a point to draw."""


def _month_ticks(first: date, last: date) -> list[tuple[date, str]]:
    """Month starts every 1, 3, 6, 12 or 24 ... months, at most MAX_X_LABELS of them."""
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next(s for s in (1, 3, 6, 12, 24, 60, 120, 240) if months / s <= MAX_X_LABELS)
    index = first.year * 12 + first.month - 1
    index += -index % step
    ticks = []
    while (day := date(index // 12, index % 12 + 1, 1)) <= last:
        if day >= first:
            ticks.append((day, str(day.year) if step >= 12 else day.strftime("%b %Y")))
        index += step
    return ticks


def line_chart(
    series: Sequence[Dated],
    target: Dated | None = None,
    trajectory: Sequence[Dated] = (),
    benchmarks: Sequence[Dated] = (),
) -> LineChart | None:
    """A KPI's series in time, with its target, trajectory and benchmarks; None without data."""
    if not series:
        return None
    everything = [*series, *trajectory, *benchmarks, *([target] if target else [])]
    first = min(d for d, _, _ in everything)
    last = max(d for d, _, _ in everything)
    if last == first:
        last = date.fromordinal(first.toordinal() + 1)
    values = [v for _, v, _ in everything]
    ticks = nice_ticks(min(values), max(values))
    low, high = ticks[0], ticks[-1]
    span_x = last.toordinal() - first.toordinal()
    span_y = (high - low) or 1.0

    def x_of(when: date) -> float:
        return _r(PLOT.left + (when.toordinal() - first.toordinal()) / span_x * PLOT.width)

    def y_of(value: float) -> float:
        return _r(PLOT.bottom - (value - low) / span_y * PLOT.height)

    def place(when: date, value: float, label: str) -> Point:
        return Point(x_of(when), y_of(value), value, label)

    points = tuple(place(*p) for p in sorted(series, key=lambda p: p[0]))
    level = None
    if target is not None:
        when, value, label = target
        level = (place(first, value, label), place(max(when, first), value, label))
    return LineChart(
        WIDTH,
        HEIGHT,
        PLOT,
        points,
        tuple(place(*p) for p in trajectory),
        level,
        tuple(place(*p) for p in benchmarks),
        tuple(Tick(t, _r(PLOT.bottom - (t - low) / span_y * PLOT.height)) for t in ticks),
        tuple(
            Tick(
                day.toordinal(),
                _r(PLOT.left + (day.toordinal() - first.toordinal()) / span_x * PLOT.width),
                label,
            )
            for day, label in _month_ticks(first, last)
        ),
    )
