"""SPEC §7 worked by hand: expected values along the path, and KPI status at a date.

The path in most rows is easy to follow on paper: a first point of 40 on 1 January 2024 and a
target of 60 by 21 January 2024, so the expected value rises by exactly 1 a day (50 on the
11th). With the default tolerance of 10%, a value may fall 5 short of 50 and still be on track.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sendplan.model import Kpi, Plan, Settings
from sendplan.state import kpi_state, state_at
from sendplan.trajectory import expected_value, path

BASE: dict[str, Any] = {
    "id": "k",
    "title": "K",
    "better": "higher",
    "target": {"value": 60, "by": "2024-01-21"},
}


def kpi(*points: tuple[str, float], **fields: Any) -> Kpi:
    data = {**BASE, "data": [{"period": p, "value": v} for p, v in points]}
    data.update(fields)
    return Kpi.model_validate(data)


FIRST = ("2024-01-01", 40)
ON_THE_11TH = "2024-01-11"
A = date(2024, 1, 15)

# (name, KPI, as-of, status, expected at the latest point, gap)
ROWS: list[tuple[str, Kpi, date, str, float | None, float | None]] = [
    ("no point at all", kpi(), A, "no-data", None, None),
    ("before the first point", kpi(("2024-01-20", 45)), A, "no-data", None, None),
    (
        "a month's point is known once the month has ended",
        kpi(("2024-01", 45)),
        A,
        "no-data",
        None,
        None,
    ),
    ("no target", kpi(FIRST, (ON_THE_11TH, 45), target=None), A, "no-target", None, None),
    ("exactly at the expected value", kpi(FIRST, (ON_THE_11TH, 50)), A, "on-track", 50, 0),
    ("better than expected", kpi(FIRST, (ON_THE_11TH, 55)), A, "on-track", 50, 5),
    ("worse by exactly 10% of expected", kpi(FIRST, (ON_THE_11TH, 45)), A, "on-track", 50, -5),
    ("worse by more than 10%", kpi(FIRST, (ON_THE_11TH, 44.9)), A, "off-track", 50, -5.1),
    ("the first point alone is on its own path", kpi(FIRST), A, "on-track", 40, 0),
    ("the target reached early", kpi(FIRST, (ON_THE_11TH, 60)), A, "met", 50, 10),
    ("the target beaten", kpi(FIRST, (ON_THE_11TH, 61.5)), A, "met", 50, 11.5),
    (
        "on the target's day it is not missed yet",
        kpi(FIRST, ("2024-01-20", 58)),
        date(2024, 1, 21),
        "on-track",
        59,
        -1,
    ),
    (
        "after the target's date, short of it",
        kpi(FIRST, ("2024-01-20", 59)),
        date(2024, 1, 22),
        "missed",
        59,
        0,
    ),
    (
        "after the target's date, the latest point is compared with the target",
        kpi(FIRST, ("2024-01-30", 59)),
        date(2024, 2, 1),
        "missed",
        60,
        -1,
    ),
    (
        "after the target's date, met",
        kpi(FIRST, ("2024-01-30", 60)),
        date(2024, 2, 1),
        "met",
        60,
        0,
    ),
    (
        # 40 on the 1st, 55 on the 6th (3 a day), then 60 on the 21st (1/3 a day):
        # on the 11th 55 + 5/3 = 56.67; 10% of that is 5.67, so 51 is on track, 50.9 is not.
        "a milestone bends the path",
        kpi(FIRST, (ON_THE_11TH, 51), trajectory=[{"by": "2024-01-06", "value": 55}]),
        A,
        "on-track",
        56.67,
        -5.67,
    ),
    (
        "a milestone bends the path: beyond tolerance",
        kpi(FIRST, (ON_THE_11TH, 50.9), trajectory=[{"by": "2024-01-06", "value": 55}]),
        A,
        "off-track",
        56.67,
        -5.77,
    ),
    (
        "a milestone before the first point is not on the path",
        kpi(FIRST, (ON_THE_11TH, 50), trajectory=[{"by": "2023-12", "value": 99}]),
        A,
        "on-track",
        50,
        0,
    ),
    (
        # 100 on the 1st down to 80 by the 21st: 90 expected on the 11th; 10% of 90 is 9.
        "lower is better: worse by exactly 10%",
        kpi(
            ("2024-01-01", 100),
            (ON_THE_11TH, 99),
            better="lower",
            target={"value": 80, "by": "2024-01-21"},
        ),
        A,
        "on-track",
        90,
        9,
    ),
    (
        "lower is better: worse by more",
        kpi(
            ("2024-01-01", 100),
            (ON_THE_11TH, 99.5),
            better="lower",
            target={"value": 80, "by": "2024-01-21"},
        ),
        A,
        "off-track",
        90,
        9.5,
    ),
    (
        "lower is better: at or under the target is met",
        kpi(
            ("2024-01-01", 100),
            (ON_THE_11TH, 80),
            better="lower",
            target={"value": 80, "by": "2024-01-21"},
        ),
        A,
        "met",
        90,
        -10,
    ),
    ("the KPI's own tolerance", kpi(FIRST, (ON_THE_11TH, 47), tolerance=5), A, "off-track", 50, -3),
    ("a tolerance of 0", kpi(FIRST, (ON_THE_11TH, 50), tolerance=0), A, "on-track", 50, 0),
    (
        "no better: equal to the target is met",
        kpi(FIRST, (ON_THE_11TH, 60), better=None),
        A,
        "met",
        50,
        10,
    ),
    (
        "no better: short of the target before its date cannot be judged",
        kpi(FIRST, (ON_THE_11TH, 45), better=None),
        A,
        "no-target",
        50,
        -5,
    ),
    (
        "no better: not equal after the target's date is missed",
        kpi(FIRST, (ON_THE_11TH, 61), better=None),
        date(2024, 2, 1),
        "missed",
        50,
        11,
    ),
    (
        "a target without a date, not yet met: nothing to judge progress against",
        kpi(FIRST, (ON_THE_11TH, 45), target={"value": 60}),
        A,
        "no-target",
        None,
        None,
    ),
    (
        "a target without a date and a single point: no path either",
        kpi((ON_THE_11TH, 45), target={"value": 60}),
        A,
        "no-target",
        None,
        None,
    ),
    (
        "a target without a date, met",
        kpi(FIRST, (ON_THE_11TH, 60), target={"value": 60}),
        A,
        "met",
        None,
        None,
    ),
    (
        "a target without a date follows its milestones while they last",
        kpi(
            FIRST,
            (ON_THE_11TH, 40),
            target={"value": 60},
            trajectory=[{"by": "2024-01-21", "value": 60}],
        ),
        A,
        "off-track",
        50,
        -10,
    ),
    (
        "a year's point ends on 31 December",
        kpi(("2022", 40), ("2023", 50), target={"value": 60, "by": "2024-12-31"}),
        date(2024, 1, 1),
        "on-track",
        # 40 on 31 Dec 2022 to 60 on 31 Dec 2024 (731 days): 365 days in, 40 + 20 * 365 / 731.
        49.99,
        0.01,
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "k", "as_of", "status", "expected", "gap"), ROWS, ids=[r[0] for r in ROWS]
)
def test_kpi_status(
    name: str, k: Kpi, as_of: date, status: str, expected: float | None, gap: float | None
) -> None:
    judged = kpi_state(k, as_of).judgement
    assert (judged.status, judged.expected, judged.gap) == (status, expected, gap)


def test_the_plan_default_tolerance_applies_without_the_kpis_own() -> None:
    plan = Plan(settings=Settings(name="P", kpi_tolerance=20), kpis=[kpi(FIRST, (ON_THE_11TH, 41))])
    (state,) = state_at(plan, A).kpis
    assert (state.status, state.tolerance) == ("on-track", 20)  # 9 short of 50 is within 10
    plan.settings = Settings(name="P")
    (state,) = state_at(plan, A).kpis
    assert (state.status, state.tolerance) == ("off-track", 10)


def test_expected_value_along_the_path() -> None:
    k = kpi(FIRST, trajectory=[{"by": "2024-01-06", "value": 55}])
    assert [a.value for a in path(k)] == [40, 55, 60]
    assert expected_value(k, date(2023, 12, 31)) is None  # before the first point
    assert expected_value(k, date(2024, 1, 1)) == 40
    assert expected_value(k, date(2024, 1, 4)) == 49  # 40 + 3 a day
    assert expected_value(k, date(2024, 1, 6)) == 55
    assert expected_value(k, date(2024, 1, 21)) == 60
    assert expected_value(k, date(2024, 6, 1)) == 60  # after the deadline: the target
    assert expected_value(kpi(FIRST, target=None), date(2024, 1, 4)) is None
    assert expected_value(kpi(target={"value": 60, "by": "2024-01-21"}), date(2024, 1, 4)) is None


def test_shortfall_in_percent_of_the_expected_value() -> None:
    assert kpi_state(kpi(FIRST, (ON_THE_11TH, 44.9)), A).judgement.shortfall == 10.2
    assert kpi_state(kpi(FIRST, (ON_THE_11TH, 55)), A).judgement.shortfall == -10.0


def test_milestones_on_or_after_the_target_date_are_not_on_the_path() -> None:
    k = kpi(
        FIRST,
        trajectory=[
            {"by": "2023-12-01", "value": 30},  # before the first point: not on the path
            {"by": "2024-01-06", "value": 55},
            {"by": "2024-01-21", "value": 58},  # the target's own date
            {"by": "2024-02-01", "value": 70},  # after it
        ],
    )
    assert [(str(a.day), a.value) for a in path(k)] == [
        ("2024-01-01", 40),
        ("2024-01-06", 55),
        ("2024-01-21", 60),
    ]
    dateless = kpi(FIRST, target={"value": 60}, trajectory=[{"by": "2024-01-06", "value": 55}])
    assert [(str(a.day), a.value) for a in path(dateless)] == [
        ("2024-01-01", 40),
        ("2024-01-06", 55),
    ]
