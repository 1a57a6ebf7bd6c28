"""Report periods: codes, default data windows, deadlines, and settings that change them."""

from __future__ import annotations

from datetime import date

import pytest

from parstat.errors import ParstatError
from parstat.reporting.models import Period
from parstat.reporting.periods import (
    add_working_days,
    default_window,
    ensure_period,
    parse_period_code,
)


def window_of(code: str) -> tuple[date, date]:
    return default_window(*parse_period_code(code))


@pytest.mark.parametrize(
    ("code", "expected"),
    [("2023Q1", (2023, "Q1")), ("2023S1", (2023, "S1")), ("2023Q3", (2023, "Q3")),
     ("2023", (2023, "Y"))],
)
def test_it_parses_each_period_code(code: str, expected: tuple[int, str]) -> None:
    assert parse_period_code(code) == expected


def test_it_accepts_a_lower_case_code() -> None:
    assert parse_period_code("2023q1") == (2023, "Q1")


@pytest.mark.parametrize("code", ["2023Q2", "23Q1", "abc", "2023Q5"])
def test_it_refuses_a_bad_code_as_period_invalid(code: str) -> None:
    with pytest.raises(ParstatError) as caught:
        parse_period_code(code)
    assert caught.value.code == "period.invalid"
    assert code in caught.value.message


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2023Q1", date(2022, 12, 15), date(2023, 3, 14)),
        ("2023S1", date(2022, 12, 15), date(2023, 6, 14)),
        ("2023Q3", date(2023, 6, 15), date(2023, 9, 14)),
        ("2023", date(2022, 12, 15), date(2023, 12, 14)),
    ],
)
def test_it_gives_the_default_window_of_each_kind(code: str, start: date, end: date) -> None:
    assert window_of(code) == (start, end)


def test_it_sets_the_deadline_two_working_days_after_a_tuesday_cut_off(db) -> None:
    period = ensure_period("2023Q1")
    assert (period.start, period.end) == (date(2022, 12, 15), date(2023, 3, 14))
    assert period.deadline == date(2023, 3, 16)


def test_it_skips_the_weekend_after_a_friday_cut_off(db) -> None:
    period = ensure_period("2025Q1")  # 14/03/2025 was a Friday
    assert period.end == date(2025, 3, 14)
    assert period.deadline == date(2025, 3, 18)  # Tuesday


def test_it_counts_no_saturday_or_sunday_as_a_working_day() -> None:
    assert add_working_days(date(2024, 6, 14), 1) == date(2024, 6, 17)  # Friday → Monday


def test_it_reads_the_windows_from_settings(db, settings) -> None:
    settings.PARSTAT_PERIOD_WINDOWS = {**settings.PARSTAT_PERIOD_WINDOWS,
                                       "Q1": ((1, 1), (3, 31))}
    period = ensure_period("2024Q1")
    assert (period.start, period.end) == (date(2024, 1, 1), date(2024, 3, 31))


def test_it_reads_the_working_days_from_settings(db, settings) -> None:
    settings.PARSTAT_DEADLINE_WORKING_DAYS = 5
    assert ensure_period("2023Q1").deadline == date(2023, 3, 21)


def test_it_returns_the_same_period_when_ensured_twice(db) -> None:
    first = ensure_period("2023S1")
    second = ensure_period("2023s1")
    assert first.pk == second.pk
    assert Period.objects.filter(code="2023S1").count() == 1


def test_it_keeps_an_edited_deadline(db) -> None:
    period = ensure_period("2023Q3")
    Period.objects.filter(pk=period.pk).update(deadline=date(2023, 9, 30))
    assert ensure_period("2023Q3").deadline == date(2023, 9, 30)
