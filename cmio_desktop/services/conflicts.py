"""Refusing to write over someone else's work.

An edit remembers the values it replaced and the values it set. Before an undo puts the old
ones back (or a redo the new ones, or a first edit its change over what the user was shown),
the stored values must still be what the edit expects; if another program or person changed a
field meanwhile, the action is refused with a sentence naming the field, the row and the value
found, and nothing is written.

Every row also carries a version that the database raises on each update (migration 0005).
An edit that knows the version it showed (``expected["version"]``) passes at once when the
row is still at that version; when it has moved, the fields decide: a change to a field this
edit writes refuses it, a colleague's change to another field of the row is kept and the edit
goes through (nothing of theirs is overwritten). A delete has no fields to compare, so a
moved version refuses it outright (:func:`check_versions`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from cmio_desktop.models import AuditEvent
from cmio_desktop.services.audit import to_text, writing_user
from cmio_desktop.services.errors import FIELD_LABELS, ConflictError

SINCE_OPENED = "since you opened it; your change was not saved"
SINCE_EDIT = "since your edit; undo skipped"
SINCE_UNDO = "since the undo; redo skipped"
SINCE_SHOWN_DELETE = "since it was shown to you; nothing was deleted"

VERSION = "version"  # the row version column of every edited table

_SHORT = 60


def field_label(field: str) -> str:
    from cmio_desktop.services.stakeholders.fields import FIELD_LABELS as PERSON_LABELS

    label = PERSON_LABELS.get(field) or FIELD_LABELS.get(field) or field.replace("_", " ")
    return label[:1].upper() + label[1:]


def value_text(value: Any) -> str:
    if value is None or value == "":
        return "blank"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(getattr(value, "label", value.value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return f"“{text if len(text) <= _SHORT else text[: _SHORT - 1] + '…'}”"


def row_label(row: Any, table: str, ident: Any) -> str:
    for attr in ("name", "title", "description", "summary", "decision"):  # a risk, a request…
        value = getattr(row, attr, None) if not isinstance(row, Mapping) else row.get(attr)
        if isinstance(value, str) and value:
            return value if len(value) <= _SHORT else value[: _SHORT - 1] + "…"
    return f"{table.replace('_', ' ')} {ident}"


@dataclass(frozen=True)
class ChangedBy:
    """Who wrote a field's present value, and when (UTC), from the audit trail; ``mine`` when
    that was this user (in another window or program)."""

    user: str
    at: datetime
    mine: bool = False

    def phrase(self) -> str:
        local = self.at.replace(tzinfo=UTC).astimezone()
        when = f"on {local.day} {local:%b %Y} at {local:%H:%M}"
        if self.mine:
            return f"by you in another window or program {when}"
        return f"by {self.user} {when}"


def changed_by(
    session: Session, table: str, ident: Any, field: str, found: Any
) -> ChangedBy | None:
    """The audit entry that wrote ``found`` into the field, if the latest one did: a program
    that writes without the audit trail leaves the change anonymous, never misattributed."""
    latest = session.execute(
        select(AuditEvent.user, AuditEvent.at, AuditEvent.new_value)
        .where(
            AuditEvent.entity == table,
            AuditEvent.entity_id == ident,
            AuditEvent.field == field,
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if latest is None or not same(latest.new_value, to_text(_plain(found))):
        return None
    return ChangedBy(latest.user, latest.at, latest.user == writing_user(session))


def conflict_sentence(
    field: str, who: str, found: Any, since: str, more: int = 0, by: ChangedBy | None = None
) -> str:
    extra = f" (and {more:,} more change{'s' if more != 1 else ''} like it)" if more else ""
    author = by.phrase() if by is not None else "by someone else"
    return (
        f"{field_label(field)} of {who} was changed to {value_text(found)} {author} {since}{extra}."
    )


def refuse(
    session: Session,
    table: str,
    ident: Any,
    field: str,
    who: str,
    found: Any,
    since: str,
    more: int = 0,
) -> NoReturn:
    """Raise the ConflictError for one field, naming who changed it and when where known."""
    by = changed_by(session, table, ident, field, found)
    raise ConflictError(conflict_sentence(field, who, found, since, more, by))


def check_unchanged(
    session: Session,
    table: str,
    ident: Any,
    current: Mapping[str, Any],
    expected: Mapping[str, Any],
    who: str,
    since: str,
) -> None:
    """Raise ConflictError unless every ``expected`` field still holds its expected value
    (at once when ``expected`` names the row version and the row is still at it)."""
    if VERSION in expected and current.get(VERSION) == expected[VERSION]:
        return
    for name, value in expected.items():
        if name != VERSION and not same(current[name], value):
            refuse(session, table, ident, name, who, current[name], since)


def same(stored: Any, expected: Any) -> bool:
    """Equal as the user sees it: an enum and its value match, and blank is blank."""
    if stored in (None, "") and expected in (None, ""):
        return True
    if isinstance(stored, Enum) or isinstance(expected, Enum):
        return _plain(stored) == _plain(expected)
    return bool(stored == expected)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


@dataclass
class Guard:
    """What one undo step expects to find, and what it wrote (for the next step to expect)."""

    expected: Mapping[str, Any] | None
    since: str
    written: dict[str, Any] = field(default_factory=dict)


_GUARD: ContextVar[Guard | None] = ContextVar("cmio_update_guard", default=None)


@contextmanager
def guarded(expected: Mapping[str, Any] | None, since: str) -> Iterator[Guard]:
    """Run an edit whose single-row updates (through ``crud.update_in``) first check that the
    fields they change still hold ``expected`` values, and record the values they write.

    For undo commands that call a service without an ``expected`` parameter of its own: the
    undo expects what the edit wrote, the redo what the undo wrote.
    """
    guard = Guard(expected, since)
    token = _GUARD.set(guard)
    try:
        yield guard
    finally:
        _GUARD.reset(token)


def current_guard() -> Guard | None:
    return _GUARD.get()


_SHOWN_VERSIONS: ContextVar[Mapping[Any, int] | None] = ContextVar(
    "cmio_shown_versions", default=None
)


@contextmanager
def shown_versions(versions: Mapping[Any, int] | None) -> Iterator[None]:
    """Run a delete whose rows (``crud.delete_rows_in``) must still be at the versions the user
    was shown (id → version), for delete services that take no such parameter themselves."""
    token = _SHOWN_VERSIONS.set(versions)
    try:
        yield
    finally:
        _SHOWN_VERSIONS.reset(token)


def current_shown_versions() -> Mapping[Any, int] | None:
    return _SHOWN_VERSIONS.get()


def latest_changed_field(session: Session, table: str, ident: Any) -> str | None:
    """The field of the row's newest audited update, if any."""
    return session.scalar(
        select(AuditEvent.field)
        .where(
            AuditEvent.entity == table,
            AuditEvent.entity_id == ident,
            AuditEvent.action == "update",
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


def moved_sentence(
    session: Session, table: str, ident: Any, who: str, found: Mapping[str, Any], since: str,
    more: int = 0,
) -> str:  # fmt: skip
    """'Phone of Jane Doe was changed to “555” by bob on … since …' for a row whose version
    moved, when the audit trail wrote the value found; else 'Jane Doe was changed by someone
    else …' (a program writing without the trail is never misattributed)."""
    name = latest_changed_field(session, table, ident)
    if name is not None and name in found:
        by = changed_by(session, table, ident, name, found[name])
        if by is not None:
            return conflict_sentence(name, who, found[name], since, more, by)
    extra = f" (and {more:,} more like it)" if more else ""
    return f"{who[:1].upper()}{who[1:]} was changed by someone else {since}{extra}."


def check_versions(
    session: Session,
    table: Any,
    seen: Mapping[Any, int],
    since: str = SINCE_SHOWN_DELETE,
    label: Callable[[Any], str] | None = None,
) -> None:
    """Raise ConflictError when a row's version is no longer the one shown (``seen``: id →
    version), naming the first such row (``label``: id → how the user knows it) and who
    changed what in it, and when."""
    if not seen:
        return
    ids = list(seen)
    moved: list[Any] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        stmt = select(table.c.id, table.c[VERSION]).where(table.c.id.in_(chunk))
        moved += [ident for ident, version in session.execute(stmt) if version != seen[ident]]
    if not moved:
        return
    ident = min(moved)
    row = session.execute(select(table).where(table.c.id == ident)).mappings().one()
    who = label(ident) if label is not None else row_label(row, table.name, ident)
    raise ConflictError(moved_sentence(session, table.name, ident, who, row, since, len(moved) - 1))
