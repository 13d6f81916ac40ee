"""The communications plan: messages with an audience, channel, sender and cadence, and the
dates each one goes out (``analysis.cadence``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, select, type_coerce

from cmio_desktop import models as m
from cmio_desktop.analysis.cadence import next_occurrence, occurrences
from cmio_desktop.enums import Cadence
from cmio_desktop.services import crud
from cmio_desktop.services.changes import Written
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.store import Workspace

COM = m.Communication.__table__
FIELDS = ("audience", "message", "channel", "sender", "cadence", "start_date", "end_date")


@dataclass(frozen=True)
class CommunicationRow:
    id: int
    audience: str
    message: str
    channel: str
    sender: str
    cadence: str
    start_date: date
    end_date: date | None
    next_date: date | None
    sends_before_go_live: int  # occurrences from today up to go-live (or the end)
    version: int = 0  # the row version as read: an edit or delete made on it checks it

    @property
    def cadence_label(self) -> str:
        return Cadence(self.cadence).label


@dataclass(frozen=True)
class Occurrence:
    communication_id: int
    when: date
    label: str


def list_communications(
    ws: Workspace, initiative_id: int, today: date | None = None, go_live: date | None = None
) -> list[CommunicationRow]:
    today = today or date.today()
    stmt = (
        select(
            COM.c.id, COM.c.audience, COM.c.message, COM.c.channel, COM.c.sender,
            type_coerce(COM.c.cadence, String), COM.c.start_date, COM.c.end_date, COM.c.version,
        )
        .where(COM.c.initiative_id == initiative_id)
        .order_by(COM.c.start_date, COM.c.id)
    )  # fmt: skip
    with ws.read_session() as session:
        raw = session.execute(stmt).all()
    rows = []
    for ident, audience, message, channel, sender, cadence, start, end, version in raw:
        upcoming = occurrences(cadence, start, end, window_start=today, window_end=go_live)
        rows.append(
            CommunicationRow(
                ident, audience, message, channel or "", sender or "", cadence, start, end,
                next_occurrence(cadence, start, end, today), len(upcoming) if go_live else 0,
                int(version),
            )
        )  # fmt: skip
    return rows


def communication_occurrences(
    rows: Sequence[CommunicationRow], window_start: date, window_end: date
) -> list[Occurrence]:
    """Every send date of every communication within the window, for the timeline."""
    out = []
    for row in rows:
        label = f"{row.audience}: {row.message}"
        for when in occurrences(
            row.cadence, row.start_date, row.end_date,
            window_start=window_start, window_end=window_end,
        ):  # fmt: skip
            out.append(Occurrence(row.id, when, label))
    return sorted(out, key=lambda o: (o.when, o.communication_id))


def _check(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ServiceError(f"A communication has no field {', '.join(sorted(unknown))}.")
    for key, label in (("audience", "an audience"), ("message", "a message")):
        if key in values and not str(values[key] or "").strip():
            raise ServiceError(f"Give the communication {label}.")
    if "start_date" in values and values["start_date"] is None:
        raise ServiceError("Give the communication a start date.")
    return values


def create_communication(ws: Workspace, initiative_id: int, values: dict[str, Any]) -> Written[int]:
    record = crud.create(ws, m.Communication, initiative_id=initiative_id, **_check(values))
    return Written(int(record.id), record.changes)


def update_communication(
    ws: Workspace, ident: int, values: dict[str, Any]
) -> Written[dict[str, Any]]:
    """Apply ``values``; returns the previous values of the same fields (for undo)."""
    old = crud.get(ws, m.Communication, ident)
    new = crud.update(ws, m.Communication, ident, **_check(values))
    return Written({k: getattr(old, k) for k in values}, new.changes)


def delete_communications(ws: Workspace, ids: Sequence[int]) -> crud.DeletedSnapshot:
    return crud.delete_rows(ws, m.Communication, list(ids))
