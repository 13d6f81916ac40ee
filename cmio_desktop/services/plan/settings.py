"""The plan generator's calendar settings stored with the workspace (``workspace_setting``):

* ``plan.blackout`` — yearly blackout periods as text, e.g. ``"12-24..01-01"`` (month-day to
  month-day, inclusive, may wrap the new year; several separated by commas; ``""`` = none).
  Missing means the default, 24 Dec – 1 Jan. Users may also type ``"24 Dec – 1 Jan"``.
* ``plan.workdays`` — working weekdays as text, e.g. ``"1,2,3,4,5"`` (Monday = 1).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from cmio_desktop.analysis.plan_calendar import DEFAULT_BLACKOUT, GeneratorSettings, MonthDayRange
from cmio_desktop.services.analysis_settings import put_values, stored_values
from cmio_desktop.services.changes import Written
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.store import Workspace

PREFIX = "plan."
_PERIOD = re.compile(r"^\s*(\d{1,2})-(\d{1,2})\s*\.\.\s*(\d{1,2})-(\d{1,2})\s*$")
_WORDS = re.compile(
    r"^\s*(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s*[-–—]\s*(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s*$"
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}


def _period(part: str) -> tuple[int, int, int, int] | None:
    found = _PERIOD.match(part)
    if found is not None:
        m1, d1, m2, d2 = (int(g) for g in found.groups())
        return m1, d1, m2, d2
    found = _WORDS.match(part)
    if found is None:
        return None
    d1, a, d2, b = found.groups()
    if a.lower() not in _MONTHS or b.lower() not in _MONTHS:
        return None
    return _MONTHS[a.lower()], int(d1), _MONTHS[b.lower()], int(d2)


def parse_blackout(text: str) -> tuple[MonthDayRange, ...]:
    """``"12-24..01-01, 04-10..04-14"`` or ``"24 Dec – 1 Jan"`` → periods; a clear error
    naming the bad part."""
    periods = []
    for part in (p for p in text.split(",") if p.strip()):
        found = _period(part)
        if found is None:
            raise ServiceError(
                f"Blackout '{part.strip()}' is not a period like 12-24..01-01 "
                "(month-day..month-day) or 24 Dec – 1 Jan."
            )
        m1, d1, m2, d2 = found
        for month, day in ((m1, d1), (m2, d2)):
            try:
                date(2000, month, day)  # a leap year: 02-29 is allowed
            except ValueError:
                raise ServiceError(
                    f"Blackout '{part.strip()}': {month:02}-{day:02} is not a day."
                ) from None
        periods.append((m1, d1, m2, d2))
    return tuple(periods)


def blackout_setting(periods: tuple[MonthDayRange, ...]) -> str:
    return ", ".join(f"{a:02}-{b:02}..{c:02}-{d:02}" for a, b, c, d in periods)


def parse_workdays(text: str) -> tuple[int, ...]:
    try:
        days = sorted({int(p) - 1 for p in text.split(",") if p.strip()})
    except ValueError:
        raise ServiceError(f"Working days '{text}' must be weekday numbers 1–7.") from None
    if not days or days[0] < 0 or days[-1] > 6:
        raise ServiceError(f"Working days '{text}' must be weekday numbers 1–7 (Monday = 1).")
    return tuple(days)


def generator_settings(ws: Workspace) -> GeneratorSettings:
    """Defaults with the workspace's blackout periods and working days (bad values: defaults)."""
    with ws.session() as session:
        stored = stored_values(session, PREFIX)
    settings = GeneratorSettings()
    try:
        blackout = stored.get("blackout")
        if blackout is not None:
            settings = replace(settings, blackout=parse_blackout(str(blackout)))
        workdays = stored.get("workdays")
        if workdays is not None:
            settings = replace(settings, workdays=parse_workdays(str(workdays)))
    except ServiceError:
        return GeneratorSettings()
    return settings


def save_blackout(ws: Workspace, text: str | None) -> Written[str | None]:
    """Validate and store the blackout periods (``None`` = back to the default); returns the
    previous stored value, for undo."""
    value = None if text is None else blackout_setting(parse_blackout(text))
    written = put_values(ws, PREFIX, {"blackout": value})
    return Written(written.value["blackout"], written.changes)


__all__ = [
    "DEFAULT_BLACKOUT",
    "blackout_setting",
    "generator_settings",
    "parse_blackout",
    "parse_workdays",
    "save_blackout",
]
