"""Communication cadences: the dates on which a recurring message goes out.

once — the start date only; weekly — every 7 days from the start; fortnightly — every 14 days;
monthly — the start's day of the month in every following month, clamped to the month's last
day (a series starting on 31 January runs 28/29 February, 31 March, 30 April, …: the clamp
never shifts later months).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from cmio_desktop.enums import Cadence

#: A recurring series with no end and no window stops after this many dates.
MAX_OCCURRENCES = 1_000

_STEP_DAYS = {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14}


def add_months(start: date, months: int) -> date:
    """``start`` moved by ``months`` calendar months, its day clamped to the month's end."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def occurrences(
    cadence: Cadence | str,
    start: date,
    end: date | None = None,
    *,
    window_start: date | None = None,
    window_end: date | None = None,
    limit: int = MAX_OCCURRENCES,
) -> list[date]:
    """Dates of a series from ``start`` to ``end`` (inclusive), kept within the optional
    window [``window_start``, ``window_end``] and capped at ``limit`` dates."""
    kind = Cadence(cadence)
    last = min((d for d in (end, window_end) if d is not None), default=None)
    first_wanted = window_start or start
    if last is not None and last < start:
        return []
    if kind is Cadence.ONCE:
        return [start] if first_wanted <= start and (last is None or start <= last) else []
    out: list[date] = []
    step = 0
    while len(out) < limit:
        if kind is Cadence.MONTHLY:
            when = add_months(start, step)
        else:
            when = start + timedelta(days=_STEP_DAYS[kind] * step)
        if last is not None and when > last:
            break
        if when >= first_wanted:
            out.append(when)
        step += 1
    return out


def next_occurrence(
    cadence: Cadence | str, start: date, end: date | None, on_or_after: date
) -> date | None:
    """The first date of the series on or after ``on_or_after`` (``None`` when it has ended)."""
    found = occurrences(cadence, start, end, window_start=on_or_after, limit=1)
    return found[0] if found else None
