"""Communication cadences: once, weekly, fortnightly, monthly (clamped to month end)."""

from __future__ import annotations

from datetime import date

from cmio_desktop.analysis.cadence import add_months, next_occurrence, occurrences
from cmio_desktop.enums import Cadence


def test_once_is_the_start_date_only_and_respects_the_window() -> None:
    assert occurrences(Cadence.ONCE, date(2026, 3, 5)) == [date(2026, 3, 5)]
    assert occurrences("once", date(2026, 3, 5), window_start=date(2026, 3, 6)) == []
    assert occurrences("once", date(2026, 3, 5), window_end=date(2026, 3, 4)) == []


def test_weekly_and_fortnightly_step_from_the_start_to_the_end_inclusive() -> None:
    weekly = occurrences(Cadence.WEEKLY, date(2026, 1, 1), date(2026, 1, 29))
    assert weekly == [date(2026, 1, d) for d in (1, 8, 15, 22, 29)]
    fortnightly = occurrences(Cadence.FORTNIGHTLY, date(2026, 1, 1), date(2026, 1, 28))
    assert fortnightly == [date(2026, 1, 1), date(2026, 1, 15)]


def test_monthly_keeps_the_day_and_clamps_to_month_end_without_drifting() -> None:
    dates = occurrences(Cadence.MONTHLY, date(2026, 1, 31), date(2026, 6, 30))
    assert dates == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
        date(2026, 6, 30),
    ]


def test_monthly_clamps_to_29_february_in_a_leap_year_and_crosses_years() -> None:
    assert add_months(date(2027, 12, 30), 2) == date(2028, 2, 29)
    dates = occurrences(Cadence.MONTHLY, date(2026, 11, 15), date(2027, 2, 15))
    assert dates == [date(2026, 11, 15), date(2026, 12, 15), date(2027, 1, 15), date(2027, 2, 15)]


def test_window_clips_both_ends_and_an_open_series_is_capped() -> None:
    dates = occurrences(
        Cadence.WEEKLY,
        date(2026, 1, 1),
        None,
        window_start=date(2026, 1, 10),
        window_end=date(2026, 1, 31),
    )
    assert dates == [date(2026, 1, 15), date(2026, 1, 22), date(2026, 1, 29)]
    assert len(occurrences(Cadence.WEEKLY, date(2026, 1, 1), limit=7)) == 7
    assert occurrences(Cadence.WEEKLY, date(2026, 2, 1), date(2026, 1, 1)) == []


def test_next_occurrence() -> None:
    start = date(2026, 1, 31)
    assert next_occurrence(Cadence.MONTHLY, start, None, date(2026, 2, 2)) == date(2026, 2, 28)
    assert next_occurrence(Cadence.MONTHLY, start, None, date(2026, 3, 1)) == date(2026, 3, 31)
    assert next_occurrence(Cadence.ONCE, start, None, date(2026, 2, 1)) is None
