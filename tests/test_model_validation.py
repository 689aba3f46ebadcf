"""model.py's validators: the message each wrong value gets, and the values already parsed
(a date, a Period) that are taken as they are."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from sendplan.model import Approval, Kpi, Objective

OBJECTIVE = {"id": "A1a:1", "title": "Map assessment timelines"}
APPROVAL = {"month": "2024-05", "board": "SIAB", "date": "2024-06-26", "commit": "a" * 40}


def kpi(value: object = 40, period: object = "2024-03") -> dict[str, Any]:
    point = {"period": period, "value": value}
    return {"id": "k20", "title": "EHC plans in 20 weeks", "data": [point]}


def errors(model: type[BaseModel], data: dict[str, Any]) -> list[tuple[tuple[int | str, ...], str]]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data)
    return [(tuple(e["loc"]), e["msg"]) for e in raised.value.errors()]


@pytest.mark.parametrize(
    ("model", "data", "expected"),
    [
        (Objective, OBJECTIVE,
         [((), "Value error, needs a deadline: add `due: YYYY-MM` or `ongoing: true`")]),
        (Objective, {**OBJECTIVE, "due": "2024-04", "ongoing": True},
         [((), "Value error, has both `due` and `ongoing: true`; keep one")]),
        (Objective,
         {**OBJECTIVE, "due": "2024-04",
          "ratings": [{"date": 20240501, "brag": "red", "note": "n"}]},
         [(("ratings", 0, "date"),
           "Value error, 20240501 is not a date: use YYYY-MM-DD, or YYYY-MM for a month's end")]),
        (Kpi, kpi(value=[40]), [(("data", 0, "value"), "Input should be a valid number")]),
        (Kpi, kpi(value="1e400"),
         [(("data", 0, "value"), "Value error, Input should be a finite number")]),
        (Kpi, kpi(period=[2024]),
         [(("data", 0, "period"),
           "Value error, [2024] is not a period: use YYYY, YYYY-MM or YYYY-MM-DD")]),
        (Approval, {**APPROVAL, "board": "  "},
         [(("board",), "Value error, name the board that approved the report")]),
        (Approval, {**APPROVAL, "month": 202405},
         [(("month",), "Value error, 202405 is not a month: use YYYY-MM")]),
        (Approval, {**APPROVAL, "month": "May 2024"},
         [(("month",), "Value error, 'May 2024' is not a month: use YYYY-MM")]),
    ],
    ids=["no-deadline", "due-and-ongoing", "date-a-number", "figure-a-list", "figure-overflows",
         "period-a-list", "board-blank", "month-a-number", "month-words"],
)  # fmt: skip
def test_each_wrong_value_gets_its_message(
    model: type[BaseModel], data: dict[str, Any], expected: list[tuple[tuple[object, ...], str]]
) -> None:
    assert errors(model, data) == expected


def test_values_already_parsed_are_taken_as_they_are() -> None:
    objective = Objective.model_validate(
        {**OBJECTIVE, "due": "2024-04",
         "ratings": [{"date": date(2024, 5, 1), "brag": "red", "note": "n"}]}
    )  # fmt: skip
    assert objective.ratings[0].date == date(2024, 5, 1)
    first = Kpi.model_validate(kpi(period=2024))  # a year YAML read as a number
    assert str(first.data[0].period) == "2024"
    again = Kpi.model_validate(kpi(period=first.data[0].period))
    assert again.data[0].period is first.data[0].period
