"""An offline copy's edits since it last matched the server, read from its audit trail.

The trail is the change log: every audited write names the record, the field and the value it
replaced. What is sent is the *net* change per record, judged against the copy as it is now
(so an edit and its undo send nothing, and an offline create sends the row as it stands):

- first entry a create (or restore): made offline; sent whole if it still exists;
- the record is gone now: a delete of a record the server had;
- otherwise: each field updated, with the value it had at checkout (the first entry's old
  value) as the base a server value is compared with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from cmio_desktop.models import AuditEvent
from cmio_desktop.services.team.copying import TEAM_PREFIX

SETTING = "workspace_setting"
DATA_ACTIONS = ("create", "restore", "update", "delete")


@dataclass(frozen=True)
class Edit:
    """Who made the last offline edit of a record (or of one field), and when."""

    user: str
    at: datetime


@dataclass
class RecordTrail:
    """The offline history of one record: ``ident`` is its id (a setting's key for settings)."""

    entity: str
    ident: int | str
    first_action: str
    bases: dict[str, str | None] = field(default_factory=dict)  # field → value at checkout
    edits: dict[str | None, Edit] = field(default_factory=dict)  # field (None: record) → last

    @property
    def made_offline(self) -> bool:
        return self.first_action in ("create", "restore")

    @property
    def last(self) -> Edit:
        return self.edits[None]

    def edit_of(self, name: str) -> Edit:
        return self.edits.get(name, self.last)


@dataclass(frozen=True)
class OfflineChanges:
    trails: list[RecordTrail]
    through: int  # the last local audit id read

    def __bool__(self) -> bool:
        return bool(self.trails)


def plain_action(action: str) -> str:
    """``undo:update`` → ``update``: an undo's rows change data like any other write."""
    return action.rsplit(":", 1)[-1]


def read_offline_changes(session: Session, after: int) -> OfflineChanges:
    """The audit entries after ``after`` grouped per record, in the order they were made."""
    trails: dict[tuple[str, int | str], RecordTrail] = {}
    through = after
    stmt = select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id)
    for event in session.scalars(stmt):
        through = event.id
        action = plain_action(event.action)
        if action not in DATA_ACTIONS:
            continue  # an import's or an undo's summary line
        ident: int | str
        name = event.field
        if event.entity == SETTING:
            if not event.field or event.field.startswith(TEAM_PREFIX):
                continue
            ident, name = event.field, "value"
        elif event.entity_id is None:
            continue  # rows keyed by two ids travel with their parents (a risk's people)
        else:
            ident = event.entity_id
        trail = trails.get((event.entity, ident))
        if trail is None:
            trail = trails[(event.entity, ident)] = RecordTrail(event.entity, ident, action)
        edit = Edit(event.user, event.at)
        trail.edits[None] = edit
        if action == "update" and name:
            trail.bases.setdefault(name, event.old_value)
            trail.edits[name] = edit
    return OfflineChanges(list(trails.values()), through)
