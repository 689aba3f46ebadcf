from datetime import date

import pytest

from sendplan import dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-04-15", date(2024, 4, 15)),
        ("2024-04", date(2024, 4, 30)),
        ("2024-02", date(2024, 2, 29)),  # leap year
        ("2023-02", date(2023, 2, 28)),
        ("2024-12", date(2024, 12, 31)),
        ("2024-02-29", date(2024, 2, 29)),
    ],
)
def test_plan_dates_are_days_or_month_ends(text: str, expected: date) -> None:
    assert dates.parse_plan_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024-13", "'2024-13' has no month 13"),
        ("2024-00", "'2024-00' has no month 0"),
        ("2024-13-01", "'2024-13-01' has no month 13"),
        ("2024-02-30", "'2024-02-30' is not a real date: February 2024 has 29 days"),
        ("2023-02-29", "'2023-02-29' is not a real date: February 2023 has 28 days"),
        ("June 2024", "'June 2024' is not a date"),
        ("2024", "'2024' is not a date"),
        ("2024-4-1", "'2024-4-1' is not a date"),
        ("", "'' is not a date"),
    ],
)
def test_impossible_dates_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")):
        dates.parse_plan_date(text)


def test_month_option_is_the_last_day_and_day_option_is_exact() -> None:
    assert dates.parse_month("2024-06") == date(2024, 6, 30)
    assert dates.parse_day("2024-06-15") == date(2024, 6, 15)
    with pytest.raises(ValueError, match="not a month"):
        dates.parse_month("2024-06-15")
    with pytest.raises(ValueError, match="not a date"):
        dates.parse_day("2024-06")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 6, 30), date(2024, 5, 31)),
        (date(2024, 6, 1), date(2024, 5, 31)),
        (date(2024, 3, 31), date(2024, 2, 29)),
        (date(2024, 1, 15), date(2023, 12, 31)),
    ],
)
def test_previous_month_end(day: date, expected: date) -> None:
    assert dates.previous_month_end(day) == expected


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2023", date(2023, 1, 1), date(2023, 12, 31), "2023"),
        ("2024-05", date(2024, 5, 1), date(2024, 5, 31), "May 2024"),
        ("2024-06-05", date(2024, 6, 5), date(2024, 6, 5), "5 June 2024"),
    ],
)
def test_kpi_periods(text: str, start: date, end: date, label: str) -> None:
    period = dates.parse_period(text)
    assert (period.start, period.end, str(period)) == (start, end, text)
    assert dates.period_label(period) == label


def test_labels() -> None:
    assert dates.month_label(date(2024, 6, 30)) == "June 2024"
    assert dates.long_date(date(2024, 6, 5)) == "5 June 2024"
