"""Where an offline copy came from, kept in its own ``workspace_setting`` table.

One setting, ``team.origin``: the server's location (never its password), the server's audit
high-water mark when the copy last matched the server, and the copy's own id (the server
remembers per copy id how far that copy's changes were sent, so a re-run sends nothing twice).
Written without an audit row: it is bookkeeping, not the user's data.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from cmio_desktop.models import AuditEvent, WorkspaceSetting
from cmio_desktop.services.team.copying import TEAM_PREFIX

ORIGIN_KEY = TEAM_PREFIX + "origin"
SENT_PREFIX = TEAM_PREFIX + "sent."
SETTINGS = WorkspaceSetting.__table__

_URL_PASSWORD = re.compile(r"^(?P<head>[a-z][a-z0-9+.-]*://[^:/@?#]*):[^@/?#]*@", re.IGNORECASE)
_PARAM_PASSWORD = re.compile(r"([?&])password=[^&]*&?", re.IGNORECASE)


@dataclass(frozen=True)
class Origin:
    location: str  # a path or a URL, without password
    audit_mark: int  # the server's last audit id the copy holds
    copy_id: str
    checked_out_at: str
    user: str = ""  # who checked it out (shown only)

    @property
    def sent_key(self) -> str:
        return SENT_PREFIX + self.copy_id


def location_without_password(target: str | Path) -> str:
    """A location fit to store: a path made absolute, a URL with any password removed."""
    text = str(target).strip()
    if "://" not in text:
        return str(Path(text).expanduser().resolve())
    text = _URL_PASSWORD.sub(lambda m: m["head"] + "@", text)
    text = _PARAM_PASSWORD.sub(lambda m: m.group(1), text)
    return text.rstrip("?&")


def new_origin(location: str | Path, audit_mark: int, at: str, user: str) -> Origin:
    return Origin(location_without_password(location), audit_mark, uuid.uuid4().hex, at, user)


def audit_mark(session: Session) -> int:
    """The newest audit row's id (0 when there is none)."""
    return int(session.execute(select(func.max(AuditEvent.id))).scalar_one() or 0)


def read_origin(session: Session) -> Origin | None:
    value = session.execute(
        select(SETTINGS.c.value).where(SETTINGS.c.key == ORIGIN_KEY)
    ).scalar_one_or_none()
    if not isinstance(value, dict):
        return None
    try:
        return Origin(**value)
    except TypeError:  # written by another version: not an offline copy we can sync
        return None


def write_origin(session: Session, origin: Origin) -> None:
    session.execute(delete(SETTINGS).where(SETTINGS.c.key == ORIGIN_KEY))
    session.execute(insert(SETTINGS).values(key=ORIGIN_KEY, value=asdict(origin)))


def sent_through(session: Session, origin: Origin, local: Session) -> int:
    """How far (local audit id) this copy's changes were applied on the server by a sync whose
    refresh of the copy never happened (0: none such; the copy is as its last sync left it).

    A sync records, in the server's transaction, the last local audit id it sent, that row's
    time, and the server's mark after it; a copy refreshed by that sync holds that mark already.
    The time tells this copy from a file copy of it (same copy id, other edits): the record
    counts only where the copy's own audit row of that id has that time."""
    value = session.execute(
        select(SETTINGS.c.value).where(SETTINGS.c.key == origin.sent_key)
    ).scalar_one_or_none()
    if not isinstance(value, dict) or int(value.get("mark", 0)) <= origin.audit_mark:
        return 0
    through = int(value.get("through", 0))
    if audit_time(local, through) != value.get("last_sent_at"):
        return 0  # another lineage of this copy sent those: this one's edits are its own
    return through


def audit_time(session: Session, ident: int) -> str | None:
    at = session.execute(select(AuditEvent.at).where(AuditEvent.id == ident)).scalar()
    return at.isoformat() if at is not None else None


def record_sent(session: Session, origin: Origin, through: int, mark: int, **details: Any) -> None:
    """On the server, in the sync's own transaction: this copy's changes up to ``through``
    are applied, leaving the server at audit ``mark``."""
    session.execute(delete(SETTINGS).where(SETTINGS.c.key == origin.sent_key))
    value = {"through": through, "mark": mark, **details}
    session.execute(insert(SETTINGS).values(key=origin.sent_key, value=value))
