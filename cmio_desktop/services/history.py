"""History you can see: the audit trail as rows a person can read, filtered.

Every write records who changed what and when (``services.audit``); this module turns those
rows into "who, when, which record, which field, old → new", names the record (a person's
name, "Tie: A → B", an activity's title) from the live tables or, for a deleted record, from
the values its delete recorded, and marks the rows an undo or a redo wrote. One function
serves the History panel, the workspace activity view, ``cmio history`` and the workbook.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.store import Workspace

AUDIT = m.AuditEvent.__table__
DEFAULT_LIMIT = 2000

# What a user calls each kind of record (the audit stores table names).
ENTITY_LABELS = {
    "stakeholder": "Person",
    "relationship": "Tie",
    "assessment": "Assessment",
    "activity": "Activity",
    "activity_audience": "Activity audience",
    "communication": "Communication",
    "training_course": "Course",
    "training_completion": "Training",
    "risk": "Risk",
    "risk_stakeholder": "Person on a risk",
    "decision": "Decision",
    "request": "Request",
    "golive_criterion": "Go-live criterion",
    "initiative": "Initiative",
    "phase": "Phase",
    "milestone": "Milestone",
    "organisation": "Organisation",
    "workspace_setting": "Setting",
    "workspace": "Workspace",
}
ACTION_LABELS = {
    "create": "Added",
    "update": "Changed",
    "delete": "Deleted",
    "restore": "Restored",
    "undo": "Undone",
    "redo": "Redone",
}
# Records about a person, and the columns that say which person.
_ABOUT_PERSON = {
    "assessment": ("stakeholder_id",),
    "relationship": ("source_id", "target_id"),
    "training_completion": ("stakeholder_id",),
}
_IMPORT_MARKS = ("undo", "redo")  # a whole import undone or redone: new_value describes it
_TITLE_COLUMNS = ("name", "title", "label", "subject", "description", "key")


@dataclass(frozen=True)
class HistoryFilter:
    """Which changes to show; every part optional. ``until`` is inclusive (a whole day)."""

    person_id: int | None = None
    user: str | None = None
    since: date | None = None
    until: date | None = None
    entity: str | None = None
    entity_id: int | None = None
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True)
class HistoryRow:
    id: int
    at: datetime
    user: str
    action: str  # create / update / delete / restore; undo / redo (of an import); "undo:update"…
    entity: str
    entity_id: int | None
    record: str  # "Person: Jane Smith", "Tie: Jane Smith → Ali Khan"
    field: str  # "" for a whole-record change
    old: str
    new: str

    @property
    def mark(self) -> str:
        """ "undo" or "redo" when an undo or a redo wrote this row, else ""."""
        head = self.action.partition(":")[0]
        return head if head in ("undo", "redo") else ""

    @property
    def is_undo(self) -> bool:
        return bool(self.mark) or self.action == "restore"

    @property
    def what(self) -> str:
        """One line: "Changed attitude: Neutral → Resistant", "Undo: Deleted", "Undone: …"."""
        base = self.action.partition(":")[2] or self.action
        verb = ACTION_LABELS.get(base, base.capitalize())
        if self.field and not self.old and base == "create":
            line = f"{verb} {field_label(self.field)}: {self.new}"
        elif self.field:
            line = f"{verb} {field_label(self.field)}: {self.old or '—'} → {self.new or '—'}"
        elif base in ("undo", "redo"):  # an import undone or redone: its description
            line = f"{verb}: {self.new}" if self.new else verb
        else:
            line = verb
        prefix = (
            {"undo": "Undo: ", "redo": "Redo: "}.get(self.mark, "") if ":" in self.action else ""
        )
        return prefix + line

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = self.at.isoformat(timespec="seconds")
        data["is_undo"] = self.is_undo
        return data


def field_label(column: str) -> str:
    return column.replace("_id", "").replace("_", " ")


def history(ws: Workspace, where: HistoryFilter | None = None) -> list[HistoryRow]:
    """The changes ``where`` selects, newest first (at most ``where.limit``)."""
    where = where or HistoryFilter()
    with ws.read_session() as session:
        return history_in(session, where)


def history_in(session: Session, where: HistoryFilter) -> list[HistoryRow]:
    events = session.execute(_select(session, where)).all()
    names = _RecordNames(session)
    return [
        HistoryRow(
            id=e.id,
            at=e.at,
            user=e.user_name,
            action=e.action,
            entity=e.entity,
            entity_id=e.entity_id,
            record=names.label(e.entity, e.entity_id, e.old_value, e.new_value),
            field=e.field or "",
            old=_shown(e.old_value) if e.field else "",
            new=_shown(e.new_value) if e.field or e.action in _IMPORT_MARKS else "",
        )
        for e in events
    ]


def users(ws: Workspace) -> list[str]:
    """Everyone who has changed the workspace, for the user filter."""
    with ws.read_session() as session:
        found = session.execute(select(AUDIT.c.user_name).distinct()).scalars()
        return sorted(str(u) for u in found)


def _select(session: Session, where: HistoryFilter) -> Select[Any]:
    stmt = select(AUDIT).order_by(AUDIT.c.id.desc()).limit(max(1, where.limit))
    if where.user:
        stmt = stmt.where(AUDIT.c.user_name == where.user)
    if where.since:
        stmt = stmt.where(AUDIT.c.at >= datetime.combine(where.since, time.min))
    if where.until:
        stmt = stmt.where(AUDIT.c.at < datetime.combine(where.until + timedelta(days=1), time.min))
    if where.entity:
        stmt = stmt.where(AUDIT.c.entity == where.entity)
    if where.entity_id is not None:
        stmt = stmt.where(AUDIT.c.entity_id == where.entity_id)
    if where.person_id is not None:
        stmt = stmt.where(or_(*_about_person(session, where.person_id)))
    return stmt


def _about_person(session: Session, person: int) -> Iterable[Any]:
    """The person's own record, and the live records about them (their assessments, ties and
    training). A deleted assessment of theirs is found by the values its delete recorded."""
    yield and_(AUDIT.c.entity == "stakeholder", AUDIT.c.entity_id == person)
    tables = m.Base.metadata.tables
    for entity, columns in _ABOUT_PERSON.items():
        table = tables[entity]
        pk = next(iter(table.primary_key.columns))
        about = or_(*(table.c[c] == person for c in columns))
        ids = select(pk).where(about)
        yield and_(AUDIT.c.entity == entity, AUDIT.c.entity_id.in_(ids))
        for column in columns:  # whole-record rows (create / delete) carry the row as JSON
            needles = (f'%"{column}": {person},%', f'%"{column}": {person}}}%')
            whole = or_(
                *(AUDIT.c.old_value.like(n) for n in needles),
                *(AUDIT.c.new_value.like(n) for n in needles),
            )
            yield and_(AUDIT.c.entity == entity, AUDIT.c.field.is_(None), whole)


def _shown(value: str | None) -> str:
    if value is None:
        return ""
    return value if len(value) <= 200 else value[:199] + "…"


class _RecordNames:
    """Names records for display, each looked up once per call."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._people: dict[int, str] | None = None
        self._titles: dict[tuple[str, int], str] = {}
        self._rows: dict[tuple[str, int], dict[str, Any]] = {}

    def person(self, ident: Any) -> str:
        if self._people is None:
            rows = self._session.execute(select(m.Stakeholder.id, m.Stakeholder.name)).all()
            self._people = {int(i): str(n) for i, n in rows}
            gone = deleted_people_in(self._session)
            self._people.update(
                {i: f"{n} (deleted)" for i, n in gone.items() if i not in self._people}
            )
        try:
            return self._people.get(int(ident), f"#{ident}")
        except (TypeError, ValueError):
            return "?"

    def label(self, entity: str, ident: int | None, old: str | None, new: str | None) -> str:
        kind = ENTITY_LABELS.get(entity, entity.replace("_", " ").capitalize())
        values = _json_values(old) or _json_values(new)
        if entity == "stakeholder" and ident is not None:
            name = self.person(ident)
            if name.startswith("#") and values.get("name"):  # deleted, then its id re-used
                name = f"{values['name']} (deleted)"
            return f"{kind}: {name}"
        if entity == "relationship":
            ends = values or self._row(entity, ident)
            if ends.get("source_id") is not None:
                source, target = self.person(ends["source_id"]), self.person(ends.get("target_id"))
                return f"{kind}: {source} → {target}"
        if entity in ("assessment", "training_completion"):
            row = values or self._row(entity, ident)
            if row.get("stakeholder_id") is not None:
                return f"{kind}: {self.person(row['stakeholder_id'])}"
        title = next((str(values[c]) for c in _TITLE_COLUMNS if values.get(c)), "")
        if not title and ident is not None:
            title = self._title(entity, ident)
        return f"{kind}: {title}" if title else (f"{kind} {ident}" if ident else kind)

    def _row(self, entity: str, ident: int | None) -> dict[str, Any]:
        table = m.Base.metadata.tables.get(entity)
        if table is None or ident is None or len(table.primary_key.columns) != 1:
            return {}
        key = (entity, ident)
        if key not in self._rows:  # a long history names the same tie thousands of times
            pk = next(iter(table.primary_key.columns))
            row = self._session.execute(select(table).where(pk == ident)).mappings().first()
            self._rows[key] = dict(row) if row else {}
        return self._rows[key]

    def _title(self, entity: str, ident: int) -> str:
        key = (entity, ident)
        if key not in self._titles:
            row = self._row(entity, ident)
            self._titles[key] = next((str(row[c]) for c in _TITLE_COLUMNS if row.get(c)), "")
        return self._titles[key]


def deleted_people_in(session: Session) -> dict[int, str]:
    """People the audit trail saw deleted, by id, named by the values their delete recorded
    (a person deleted, restored and deleted again: the last name wins)."""
    rows = session.execute(
        select(AUDIT.c.entity_id, AUDIT.c.old_value)
        .where(
            AUDIT.c.entity == "stakeholder",
            AUDIT.c.field.is_(None),
            AUDIT.c.action.like("%delete"),
            AUDIT.c.entity_id.is_not(None),
        )
        .order_by(AUDIT.c.id)
    ).all()
    return {int(i): str(_json_values(old).get("name") or f"#{i}") for i, old in rows}


def _json_values(text: str | None) -> dict[str, Any]:
    if not text or not text.startswith("{"):
        return {}
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
