"""Write the plan's events as an iCalendar (.ics) file calendars import (icalendar).

All-day events; the UID of each comes from the record, so importing a newer export updates
the events instead of duplicating them, and SEQUENCE (minutes since 2020) grows with every
export so calendar programs take the newer version. Written beside the target and parsed
back before it replaces anything.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cmio_desktop.io.export_target import (
    ExportError,
    check_target,
    replace_target,
    temp_beside,
    write_failed,
)


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    kind: str  # activity / communication / course
    summary: str
    start: date
    end: date  # inclusive (all-day events)
    description: str
    category: str


@dataclass(frozen=True)
class CalendarExport:
    name: str  # "Riverside Health — Ambulatory EHR go-live"
    events: list[CalendarEvent]
    skipped: list[str]  # activities without any date, cancelled ones


PRODUCT_ID = "-//CMIO Desktop//Engagement plan//EN"
_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def write_calendar(export: CalendarExport, target: Path, now: datetime | None = None) -> int:
    """Write ``export`` to ``target`` (.ics); returns the number of events written."""
    from icalendar import Calendar, Event

    check_target(target, ".ics", "a calendar")
    now = now or datetime.now(UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", export.name)
    sequence = int((now - _EPOCH).total_seconds() // 60)
    for item in export.events:
        event = Event()
        event.add("uid", item.uid)
        event.add("summary", item.summary)
        event.add("dtstart", item.start)
        event.add("dtend", item.end + timedelta(days=1))  # DTEND of an all-day event is exclusive
        event.add("dtstamp", now)
        event.add("sequence", sequence)
        event.add("description", item.description)
        event.add("categories", [item.category])
        event.add("transp", "TRANSPARENT")  # a plan item does not block the user's own diary
        calendar.add_component(event)
    data = calendar.to_ical()
    temp = temp_beside(target)
    try:
        with open(temp, "wb") as fh:
            fh.write(data)
        _check_parses(temp, len(export.events), target)
        replace_target(temp, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(error, ExportError):
            raise
        if isinstance(error, OSError):
            raise write_failed(error, target) from None
        raise
    return len(export.events)


def _check_parses(path: Path, expected: int, target: Path) -> None:
    from icalendar import Calendar

    try:
        found = Calendar.from_ical(path.read_bytes())
        count = sum(1 for c in found.walk() if c.name == "VEVENT")
    except ValueError as error:
        raise ExportError(
            f"“{target.name}” was not replaced: the calendar is invalid ({error})."
        ) from None
    if count != expected:
        raise ExportError(f"“{target.name}” was not replaced: the calendar is incomplete.")
