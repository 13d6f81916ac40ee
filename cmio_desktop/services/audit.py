"""The audit trail: every write records who changed what, in the same transaction."""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cmio_desktop.models import AuditEvent
from cmio_desktop.models.base import utcnow
from cmio_desktop.services.audit_marks import MARKS, current_mark
from cmio_desktop.services.bulk import insert_rows


@cache
def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def database_user(session: Session) -> str | None:
    """On a team workspace, the database user the server knows this client as (what its
    rights are checked against, so the audit trail names who really wrote); None on a file.
    Asked once per pooled connection."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return None
    info = conn.connection.info
    if "cmio_database_user" not in info:
        info["cmio_database_user"] = str(conn.exec_driver_sql("SELECT current_user").scalar())
    return str(info["cmio_database_user"])


# Who the rows written inside :func:`recorded_by` are attributed to (sync: the offline editor).
_recorded_user: ContextVar[str | None] = ContextVar("audit_user", default=None)


@contextmanager
def recorded_by(user: str | None) -> Iterator[None]:
    """Attribute every audit row written inside to ``user`` (None: the current user)."""
    token = _recorded_user.set(user)
    try:
        yield
    finally:
        _recorded_user.reset(token)


def writing_user(session: Session) -> str:
    """The name this program's audit rows carry: the database user on a team workspace, else
    the login."""
    return database_user(session) or current_user()


def to_text(value: Any) -> str | None:
    """Audit values are stored as text; dates ISO, enums by value, containers as JSON."""
    if value is None or type(value) is str:  # the common cases first: an import has 100,000s
        return value
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)
    return str(value)


@dataclass(frozen=True)
class AuditEntry:
    action: str
    entity: str
    entity_id: int | None
    field: str | None = None
    old_value: Any = None
    new_value: Any = None


def write_audit(session: Session, entries: Iterable[AuditEntry]) -> None:
    """Insert audit rows in one executemany on the caller's transaction."""
    user, now = _recorded_user.get() or writing_user(session), utcnow()
    mark = current_mark()
    rows = [
        {
            "at": now,
            "user_name": user,
            "action": e.action if mark is None or e.action in MARKS else f"{mark}:{e.action}",
            "entity": e.entity,
            "entity_id": e.entity_id,
            "field": e.field,
            "old_value": to_text(e.old_value),
            "new_value": to_text(e.new_value),
        }
        for e in entries
    ]
    insert_rows(session, AuditEvent.__table__, rows)  # type: ignore[arg-type]


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    user: str
    action: str
    entity: str
    entity_id: int | None
    field: str | None
    old_value: str | None
    new_value: str | None


def audit_trail(
    session: Session, entity: str | None = None, entity_id: int | None = None, limit: int = 500
) -> list[AuditRecord]:
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if entity is not None:
        stmt = stmt.where(AuditEvent.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    return [
        AuditRecord(
            e.id, e.at, e.user, e.action, e.entity, e.entity_id, e.field, e.old_value, e.new_value
        )
        for e in session.scalars(stmt)
    ]
