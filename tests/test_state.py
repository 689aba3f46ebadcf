"""SPEC §3 as a table: one row per rule and per edge."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sendplan.model import Kpi, Objective, Plan, Settings
from sendplan.state import kpi_state, objective_state, state_at

A = date(2024, 6, 30)


def objective(**fields: Any) -> Objective:
    data: dict[str, Any] = {"id": "X:1", "title": "T", "owner": "O", "due": "2024-12"}
    data.update(fields)
    return Objective.model_validate(data)


def rated(*entries: tuple[str, str]) -> list[dict[str, str]]:
    return [{"date": d, "brag": b} for d, b in entries]


# (name, objective fields, as-of, rating, previous, movement, due, complete, flags)
ROWS: list[
    tuple[str, dict[str, Any], date, str, str, str | None, date | None, bool, tuple[str, ...]]
] = [
    (
        "unrated is stale and unrated",
        {},
        A,
        "unrated",
        "unrated",
        None,
        date(2024, 12, 31),
        False,
        ("stale", "unrated"),
    ),
    (
        "rating on A itself counts",
        {"ratings": rated(("2024-06-30", "amber"))},
        A,
        "amber",
        "unrated",
        "new",
        date(2024, 12, 31),
        False,
        (),
    ),
    (
        "rating the day after A does not",
        {"ratings": rated(("2024-07-01", "amber"))},
        A,
        "unrated",
        "unrated",
        None,
        date(2024, 12, 31),
        False,
        ("stale", "unrated"),
    ),
    (
        "red is flagged",
        {"ratings": rated(("2024-06-10", "red"))},
        A,
        "red",
        "unrated",
        "new",
        date(2024, 12, 31),
        False,
        ("red",),
    ),
    (
        "down since last month is declined",
        {"ratings": rated(("2024-05-20", "green"), ("2024-06-20", "amber"))},
        A,
        "amber",
        "green",
        "down",
        date(2024, 12, 31),
        False,
        ("declined",),
    ),
    (
        "up since last month",
        {"ratings": rated(("2024-05-20", "amber"), ("2024-06-20", "green"))},
        A,
        "green",
        "amber",
        "up",
        date(2024, 12, 31),
        True,
        (),
    ),
    (
        "same",
        {"ratings": rated(("2024-05-31", "amber"), ("2024-06-20", "amber"))},
        A,
        "amber",
        "amber",
        "same",
        date(2024, 12, 31),
        False,
        (),
    ),
    (
        "previous is the end of the month before, not the last entry",
        {"ratings": rated(("2024-06-01", "red"), ("2024-06-20", "amber"))},
        A,
        "amber",
        "unrated",
        "new",
        date(2024, 12, 31),
        False,
        (),
    ),
    (
        "YYYY-MM due on its last day is not overdue on that day",
        {"due": "2024-06", "ratings": rated(("2024-06-20", "amber"))},
        A,
        "amber",
        "unrated",
        "new",
        date(2024, 6, 30),
        False,
        (),
    ),
    (
        "due the day before A is overdue",
        {"due": "2024-06-29", "ratings": rated(("2024-06-20", "amber"))},
        A,
        "amber",
        "unrated",
        "new",
        date(2024, 6, 29),
        False,
        ("overdue",),
    ),
    (
        "green is complete so never overdue",
        {"due": "2024-01", "ratings": rated(("2024-06-20", "green"))},
        A,
        "green",
        "unrated",
        "new",
        date(2024, 1, 31),
        True,
        (),
    ),
    (
        "done on or before A is complete",
        {"due": "2024-01", "done": "2024-06-30", "ratings": rated(("2024-06-20", "amber"))},
        A,
        "amber",
        "unrated",
        "new",
        date(2024, 1, 31),
        True,
        (),
    ),
    (
        "done after A is not complete yet",
        {"due": "2024-01", "done": "2024-07-01", "ratings": rated(("2024-06-20", "amber"))},
        A,
        "amber",
        "unrated",
        "new",
        date(2024, 1, 31),
        False,
        ("overdue",),
    ),
    (
        "45 days before A is not stale",
        {"ratings": rated(("2024-05-16", "amber"))},
        A,
        "amber",
        "amber",
        "same",
        date(2024, 12, 31),
        False,
        (),
    ),
    (
        "46 days before A is stale",
        {"ratings": rated(("2024-05-15", "amber"))},
        A,
        "amber",
        "amber",
        "same",
        date(2024, 12, 31),
        False,
        ("stale",),
    ),
    (
        "blue is never stale",
        {"ratings": rated(("2023-01-01", "blue"))},
        A,
        "blue",
        "blue",
        "same",
        date(2024, 12, 31),
        True,
        (),
    ),
    (
        "ongoing is never overdue",
        {"due": None, "ongoing": True, "ratings": rated(("2024-06-01", "amber"))},
        A,
        "amber",
        "unrated",
        "new",
        None,
        False,
        (),
    ),
    (
        "re-baseline in A's month is flagged; the new deadline is in force",
        {
            "due": "2024-09",
            "due_history": [
                {"on": "2024-06-12", "from": "2024-06", "to": "2024-09", "reason": "r"}
            ],
            "ratings": rated(("2024-06-20", "amber")),
        },
        A,
        "amber",
        "unrated",
        "new",
        date(2024, 9, 30),
        False,
        ("rebaselined",),
    ),
    (
        "re-baseline dated exactly on A has happened: flagged, the new deadline in force",
        {
            "due": "2024-09",
            "due_history": [
                {"on": "2024-06-30", "from": "2024-06", "to": "2024-09", "reason": "r"}
            ],
            "ratings": rated(("2024-06-20", "amber")),
        },
        A,
        "amber",
        "unrated",
        "new",
        date(2024, 9, 30),
        False,
        ("rebaselined",),
    ),
    (
        "re-baseline on the last day of the month before A is not this month's",
        {
            "due": "2024-09",
            "due_history": [
                {"on": "2024-05-31", "from": "2024-06", "to": "2024-09", "reason": "r"}
            ],
            "ratings": rated(("2024-06-20", "amber")),
        },
        A,
        "amber",
        "unrated",
        "new",
        date(2024, 9, 30),
        False,
        (),
    ),
    (
        "re-baseline after A has not happened yet: the old deadline is in force",
        {
            "due": "2024-09",
            "due_history": [
                {"on": "2024-07-02", "from": "2024-05", "to": "2024-09", "reason": "r"}
            ],
            "ratings": rated(("2024-06-20", "amber")),
        },
        A,
        "amber",
        "unrated",
        "new",
        date(2024, 5, 31),
        False,
        ("overdue",),
    ),
    (
        "re-baseline later in A's month is not flagged at a mid-month A",
        {
            "due": "2024-09",
            "due_history": [
                {"on": "2024-06-20", "from": "2024-06-10", "to": "2024-09", "reason": "r"}
            ],
            "ratings": rated(("2024-06-01", "amber")),
        },
        date(2024, 6, 15),
        "amber",
        "unrated",
        "new",
        date(2024, 6, 10),
        False,
        ("overdue",),
    ),
    (
        "two re-baselines: the one in force at A",
        {
            "due": "2024-12",
            "due_history": [
                {"on": "2024-03-01", "from": "2024-03", "to": "2024-06", "reason": "a"},
                {"on": "2024-08-01", "from": "2024-06", "to": "2024-12", "reason": "b"},
            ],
            "ratings": rated(("2024-06-20", "amber")),
        },
        A,
        "amber",
        "unrated",
        "new",
        date(2024, 6, 30),
        False,
        (),
    ),
    (
        "leap year: previous of 31 March is 29 February",
        {"ratings": rated(("2024-02-29", "red"), ("2024-03-31", "amber"))},
        date(2024, 3, 31),
        "amber",
        "red",
        "up",
        date(2024, 12, 31),
        False,
        (),
    ),
    (
        "leap day due: overdue from 1 March",
        {"due": "2024-02", "ratings": rated(("2024-02-20", "amber"))},
        date(2024, 3, 1),
        "amber",
        "amber",
        "same",
        date(2024, 2, 29),
        False,
        ("overdue",),
    ),
    (
        "every flag at once but stale",
        {
            "due": "2024-05",
            "due_history": [
                {"on": "2024-06-03", "from": "2024-04", "to": "2024-05", "reason": "r"}
            ],
            "ratings": rated(("2024-05-01", "green"), ("2024-06-02", "red")),
        },
        A,
        "red",
        "green",
        "down",
        date(2024, 5, 31),
        False,
        ("red", "overdue", "declined", "rebaselined"),
    ),
]


@pytest.mark.parametrize(
    ("fields", "as_of", "rating", "previous", "movement", "due", "complete", "flags"),
    [row[1:] for row in ROWS],
    ids=[row[0] for row in ROWS],
)
def test_objective_state(
    fields: dict[str, Any],
    as_of: date,
    rating: str,
    previous: str,
    movement: str | None,
    due: date | None,
    complete: bool,
    flags: tuple[str, ...],
) -> None:
    s = objective_state(objective(**fields), as_of, stale_after_days=45)
    assert (s.brag, s.previous_brag, s.movement, s.due, s.complete, s.flags) == (
        rating,
        previous,
        movement,
        due,
        complete,
        flags,
    )


def kpi(**fields: Any) -> Kpi:
    data: dict[str, Any] = {
        "id": "k",
        "title": "K",
        "better": "higher",
        "data": [
            {"period": "2023-12", "value": 12},
            {"period": 2023, "value": 30},
            {"period": "2024-06", "value": 40},
            {"period": "2024-07", "value": 61},
        ],
    }
    data.update(fields)
    return Kpi.model_validate(data)


def test_kpi_point_whose_period_ends_after_a_is_not_known() -> None:
    s = kpi_state(kpi(), A)
    # Same end: the longer period first.
    assert [str(p.period) for p in s.known] == ["2023", "2023-12", "2024-06"]
    assert (s.latest and s.latest.value, s.previous and s.previous.value) == (40, 12)
    assert (s.change, s.direction) == (28, "better")


def test_kpi_month_point_is_known_on_its_last_day_only() -> None:
    assert kpi_state(kpi(), date(2024, 6, 29)).latest.value == 12  # type: ignore[union-attr]
    assert kpi_state(kpi(), date(2024, 6, 30)).latest.value == 40  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("better", "values", "direction"),
    [
        ("higher", (10, 20), "better"),
        ("higher", (20, 10), "worse"),
        ("lower", (20, 10), "better"),
        ("lower", (10, 20), "worse"),
        ("lower", (10, 10), "same"),
        (None, (10, 20), None),
    ],
)
def test_kpi_direction_follows_better(
    better: str | None, values: tuple[int, int], direction: str | None
) -> None:
    k = kpi(
        better=better,
        data=[{"period": "2024-01", "value": values[0]}, {"period": "2024-02", "value": values[1]}],
    )
    assert kpi_state(k, A).direction == direction


def test_kpi_target_met_given_better() -> None:
    assert kpi_state(kpi(target={"value": 40}), A).target_met is True
    assert kpi_state(kpi(target={"value": 41}), A).target_met is False
    assert kpi_state(kpi(better="lower", target={"value": 41}), A).target_met is True


def test_stale_after_days_comes_from_settings() -> None:
    plan = Plan(
        settings=Settings(name="P", stale_after_days=10),
        objectives=[objective(ratings=rated(("2024-06-15", "amber")))],
    )
    assert state_at(plan, A).objectives[0].flags == ("stale",)


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        ({"target": {"value": 40, "by": "2024-12"}}, "met"),
        # Due next year and short of it: not yet met, whether on or off its path (issue 15).
        ({"target": {"value": 60, "by": "2025-12"}}, "not-yet-met"),
        ({"target": {"value": 99, "by": "2025-12"}}, "not-yet-met"),
        ({"target": {"value": 60}}, "not-yet-met"),  # no date: no path, never missed
        ({"better": None, "target": {"value": 60, "by": "2025-12"}}, "not-yet-met"),
        ({"target": {"value": 60, "by": "2024-05"}}, "missed"),
        ({"better": None, "target": {"value": 60, "by": "2024-05"}}, "missed"),
        ({"target": None}, None),
        ({"target": {"value": 60, "by": "2025-12"}, "data": []}, None),
    ],
)
def test_kpi_target_state_is_not_yet_met_before_its_date(
    fields: dict[str, Any], state: str | None
) -> None:
    k = kpi_state(kpi(**fields), A)
    assert k.target_state == state
    assert (k.status in ("met", "missed")) == (state in ("met", "missed"))


def test_the_withdrawn_objectives_are_those_withdrawn_on_or_before_the_day() -> None:
    from sendplan.load import load_plan
    from sendplan.sources import FolderSource
    from tests.conftest import PLANS

    plan = load_plan(FolderSource(PLANS / "signoff")).plan
    june = state_at(plan, date(2024, 6, 30))
    assert [s.objective.id for s in june.withdrawn] == ["B1:4"]
    assert {s.objective.id for s in june.active} == {s.objective.id for s in june.objectives} - {
        "B1:4"
    }
    assert state_at(plan, date(2024, 6, 14)).withdrawn == ()  # B1:4 went on 15 June
