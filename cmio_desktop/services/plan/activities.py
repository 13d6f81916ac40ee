"""Engagement activities: read the plan, edit activities with their audiences, find the
activities that reach a person.

An activity's audience is a list of entries, each exactly one of a person, a department or a
stakeholder group; it *resolves* to the union of those people. An activity is overdue when its
due date is before today and it is neither done nor cancelled. Every write is one transaction
with its audit rows (through ``crud``); deletes return a snapshot that ``restore`` puts back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import String, or_, select, type_coerce
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.enums import ActivityStatus, ActivityType, AdkarElement, StakeholderGroup
from cmio_desktop.services import crud
from cmio_desktop.services.changes import ChangeKind, ChangeSet, Written
from cmio_desktop.services.conflicts import SINCE_UNDO
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.store import Workspace

ACT = m.Activity.__table__
AUD = m.ActivityAudience.__table__
S = m.Stakeholder.__table__
CLOSED = (ActivityStatus.DONE.value, ActivityStatus.CANCELLED.value)
ACTIVITY_FIELDS = ("title", "type", "element", "owner", "start", "due", "status", "outcome")
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class AudienceEntry:
    """Exactly one of a person, a department or a group."""

    stakeholder_id: int | None = None
    department: str | None = None
    group: str | None = None

    def __post_init__(self) -> None:
        given = sum(v is not None for v in (self.stakeholder_id, self.department, self.group))
        if given != 1:
            raise ServiceError("An audience entry names exactly one person, department or group.")

    @property
    def key(self) -> tuple[str, Any]:
        if self.stakeholder_id is not None:
            return ("person", self.stakeholder_id)
        if self.department is not None:
            return ("department", self.department)
        return ("group", self.group)


@dataclass(frozen=True)
class PeopleIndex:
    """Who is in which department and group, for resolving audiences."""

    ids: frozenset[int]
    by_department: dict[str, frozenset[int]]
    by_group: dict[str, frozenset[int]]
    names: dict[int, str]
    department_of: dict[int, str]
    group_of: dict[int, str]


def build_people_index(rows: Iterable[tuple[int, str, str, str]]) -> PeopleIndex:
    """From (id, name, department, group value) rows."""
    dept: dict[str, set[int]] = defaultdict(set)
    group: dict[str, set[int]] = defaultdict(set)
    names, dept_of, group_of = {}, {}, {}
    for ident, name, department, group_value in rows:
        dept[department or ""].add(ident)
        group[group_value].add(ident)
        names[ident], dept_of[ident], group_of[ident] = name, department or "", group_value
    return PeopleIndex(
        frozenset(names),
        {k: frozenset(v) for k, v in dept.items()},
        {k: frozenset(v) for k, v in group.items()},
        names,
        dept_of,
        group_of,
    )


def resolve_audience(entries: Iterable[AudienceEntry], index: PeopleIndex) -> set[int]:
    """The people an audience reaches: named people (if they exist) ∪ departments ∪ groups."""
    people: set[int] = set()
    for entry in entries:
        if entry.stakeholder_id is not None:
            if entry.stakeholder_id in index.ids:
                people.add(entry.stakeholder_id)
        elif entry.department is not None:
            people |= index.by_department.get(entry.department, frozenset())
        elif entry.group is not None:
            people |= index.by_group.get(str(entry.group), frozenset())
    return people


def is_overdue(due: date | None, status: str, today: date) -> bool:
    return due is not None and due < today and str(status) not in CLOSED


@dataclass(frozen=True)
class ActivityRow:
    id: int
    title: str
    type: str
    element: str | None
    owner: str
    start: date | None
    due: date | None
    status: str
    outcome: str
    audience: tuple[AudienceEntry, ...]
    audience_text: str
    audience_size: int
    overdue: bool
    version: int = 0  # the row version as read: an edit or delete made on it checks it

    @property
    def type_label(self) -> str:
        return ActivityType(self.type).label

    @property
    def element_label(self) -> str:
        return AdkarElement(self.element).label if self.element else ""

    @property
    def status_label(self) -> str:
        return ActivityStatus(self.status).label

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED


def people_index_in(session: Session) -> PeopleIndex:
    stmt = select(
        S.c.id, S.c.name, S.c.department, type_coerce(S.c.stakeholder_group, String)
    ).order_by(S.c.id)
    return build_people_index(tuple(r) for r in session.execute(stmt))


def audiences_in(session: Session, where: Any) -> dict[int, list[AudienceEntry]]:
    stmt = (
        select(
            AUD.c.activity_id, AUD.c.stakeholder_id, AUD.c.department,
            type_coerce(AUD.c.stakeholder_group, String),
        )
        .join(ACT, ACT.c.id == AUD.c.activity_id)
        .where(where)
        .order_by(AUD.c.id)
    )  # fmt: skip
    out: dict[int, list[AudienceEntry]] = defaultdict(list)
    for activity_id, person, department, group in session.execute(stmt):
        out[activity_id].append(AudienceEntry(person, department, group))
    return out


def audience_text(entries: Sequence[AudienceEntry], index: PeopleIndex) -> str:
    departments = [e.department for e in entries if e.department is not None]
    groups = [StakeholderGroup(e.group).label for e in entries if e.group is not None]
    people = [e.stakeholder_id for e in entries if e.stakeholder_id is not None]
    parts = []
    if departments:
        shown = ", ".join(departments[:3])
        parts.append(shown + (f" +{len(departments) - 3}" if len(departments) > 3 else ""))
    if groups:
        parts.append(", ".join(groups))
    if len(people) == 1:
        parts.append(index.names.get(people[0], "(deleted person)"))
    elif people:
        parts.append(f"{len(people)} people")
    return " · ".join(parts) or "(no audience)"


def _rows(session: Session, where: Any, today: date, index: PeopleIndex) -> list[ActivityRow]:
    audiences = audiences_in(session, where)
    stmt = select(
        ACT.c.id, ACT.c.title, type_coerce(ACT.c.type, String),
        type_coerce(ACT.c.element, String), ACT.c.owner, ACT.c.start, ACT.c.due,
        type_coerce(ACT.c.status, String), ACT.c.outcome, ACT.c.version,
    ).where(where).order_by(ACT.c.due, ACT.c.id)  # fmt: skip
    rows = []
    for ident, title, kind, element, owner, start, due, status, outcome, version in session.execute(
        stmt
    ):
        entries = tuple(audiences.get(ident, ()))
        rows.append(
            ActivityRow(
                ident, title, kind, element, owner or "", start, due, status, outcome or "",
                entries, audience_text(entries, index), len(resolve_audience(entries, index)),
                is_overdue(due, status, today), int(version),
            )
        )  # fmt: skip
    return rows


def list_activities(
    ws: Workspace, initiative_id: int, today: date | None = None
) -> list[ActivityRow]:
    today = today or date.today()
    with ws.read_session() as session:
        index = people_index_in(session)
        return _rows(session, ACT.c.initiative_id == initiative_id, today, index)


def get_activity(ws: Workspace, ident: int, today: date | None = None) -> ActivityRow:
    with ws.read_session() as session:
        rows = _rows(session, ACT.c.id == ident, today or date.today(), people_index_in(session))
    if not rows:
        raise NotFoundError(f"That activity no longer exists (id {ident}).")
    return rows[0]


def activities_reaching(
    ws: Workspace, person_id: int, initiative_id: int | None = None, today: date | None = None
) -> list[ActivityRow]:
    """Activities whose audience includes the person: by name, department or group."""
    with ws.read_session() as session:
        person = session.execute(
            select(S.c.department, type_coerce(S.c.stakeholder_group, String)).where(
                S.c.id == person_id
            )
        ).first()
        if person is None:
            raise NotFoundError(f"That person no longer exists (id {person_id}).")
        department, group = person
        match = or_(
            AUD.c.stakeholder_id == person_id,
            AUD.c.department == (department or ""),
            type_coerce(AUD.c.stakeholder_group, String) == group,
        )
        ids = select(AUD.c.activity_id).where(match)
        where = ACT.c.id.in_(ids)
        if initiative_id is not None:
            where = where & (ACT.c.initiative_id == initiative_id)
        return _rows(session, where, today or date.today(), people_index_in(session))


def due_soon(
    rows: Iterable[ActivityRow], today: date, days: int = DUE_SOON_DAYS
) -> list[ActivityRow]:
    """Open activities due from today to ``days`` ahead, soonest first."""
    end = today + timedelta(days=days)
    found = [r for r in rows if r.is_open and r.due is not None and today <= r.due <= end]
    return sorted(found, key=lambda r: (r.due, r.id))


def owners(rows: Iterable[ActivityRow]) -> list[str]:
    return sorted({r.owner for r in rows if r.owner}, key=str.casefold)


# -- writes ------------------------------------------------------------------------------------


def _check(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(ACTIVITY_FIELDS)
    if unknown:
        raise ServiceError(f"An activity has no field {', '.join(sorted(unknown))}.")
    if "title" in values and not str(values["title"] or "").strip():
        raise ServiceError("Give the activity a title.")
    start, due = values.get("start"), values.get("due")
    if start is not None and due is not None and due < start:
        raise ServiceError("The due date must not be before the start date.")
    return values


def _write_audience(session: Session, activity_id: int, audience: Sequence[AudienceEntry]) -> None:
    seen = set()
    for entry in audience:
        if entry.key in seen:
            continue
        seen.add(entry.key)
        crud.create_in(
            session, m.ActivityAudience, activity_id=activity_id,
            stakeholder_id=entry.stakeholder_id, department=entry.department, group=entry.group,
        )  # fmt: skip


def create_activity_in(
    session: Session, initiative_id: int, values: dict[str, Any], audience: Sequence[AudienceEntry]
) -> int:
    record = crud.create_in(session, m.Activity, initiative_id=initiative_id, **_check(values))
    _write_audience(session, record.id, audience)
    return int(record.id)


def create_activity(
    ws: Workspace, initiative_id: int, values: dict[str, Any], audience: Sequence[AudienceEntry]
) -> Written[int]:
    with ws.session() as session:
        ident = create_activity_in(session, initiative_id, values, audience)
    return Written(ident, ChangeSet.of(ChangeKind.ACTIVITY, ids=[ident]))


def update_activity(
    ws: Workspace,
    ident: int,
    values: dict[str, Any],
    audience: Sequence[AudienceEntry] | None = None,
) -> Written[tuple[dict[str, Any], tuple[AudienceEntry, ...]]]:
    """Change fields (and replace the audience when given); returns the previous fields and
    audience, for undo."""
    with ws.session() as session:
        old = crud.to_record(_load(session, ident))
        merged = {k: getattr(old, k) for k in ("start", "due")} | values
        _check({**values, "start": merged["start"], "due": merged["due"]})
        previous = {k: getattr(old, k) for k in ACTIVITY_FIELDS}
        old_audience = tuple(audiences_in(session, ACT.c.id == ident).get(ident, ()))
        if values:
            crud.update_in(session, m.Activity, ident, **values)
        if audience is not None and tuple(audience) != old_audience:
            ids = [
                r[0] for r in session.execute(select(AUD.c.id).where(AUD.c.activity_id == ident))
            ]
            if ids:
                crud.delete_rows_in(session, m.ActivityAudience, ids)
            _write_audience(session, ident, audience)
        return Written((previous, old_audience), ChangeSet.of(ChangeKind.ACTIVITY, ids=[ident]))


def _load(session: Session, ident: int) -> m.Activity:
    obj = session.get(m.Activity, ident)
    if obj is None:
        raise NotFoundError(f"That activity no longer exists (id {ident}).")
    return obj


def set_status(
    ws: Workspace, ids: Sequence[int], status: str, expected: dict[int, str] | None = None
) -> Written[dict[int, str]]:
    """Set many activities' status; returns each one's previous status. With ``expected``
    (a redo: the statuses the undo put back), refuse if someone else changed one since."""
    with ws.session() as session:
        old = {}
        for ident in ids:
            old[ident] = str(_load(session, ident).status.value)
            want = {"status": expected[ident]} if expected and ident in expected else None
            crud.update_in(
                session, m.Activity, ident, expected=want, since=SINCE_UNDO, status=status
            )
        return Written(old, ChangeSet.of(ChangeKind.ACTIVITY, ids=old))


def restore_statuses(ws: Workspace, old: dict[int, str], expected: str | None = None) -> ChangeSet:
    """Undo of :func:`set_status`; with ``expected`` (the status it set), refuse if someone
    else changed one of the activities' status since."""
    with ws.session() as session:
        for ident, status in old.items():
            want = {"status": expected} if expected else None
            crud.update_in(session, m.Activity, ident, expected=want, status=status)
    return ChangeSet.of(ChangeKind.ACTIVITY, ids=old)


def delete_activities(ws: Workspace, ids: Sequence[int]) -> crud.DeletedSnapshot:
    return crud.delete_rows(ws, m.Activity, list(ids))


def restore(ws: Workspace, snapshot: crud.DeletedSnapshot) -> ChangeSet:
    return crud.restore(ws, snapshot)


@dataclass(frozen=True)
class AudienceChoices:
    """What an audience can name: people (id, name, department, group value) and departments."""

    people: list[tuple[int, str, str, str]]
    departments: list[str]


def audience_choices(ws: Workspace) -> AudienceChoices:
    stmt = select(
        S.c.id, S.c.name, S.c.department, type_coerce(S.c.stakeholder_group, String)
    ).order_by(S.c.name, S.c.id)
    with ws.read_session() as session:
        people = [(int(i), n, d or "", g) for i, n, d, g in session.execute(stmt)]
    departments = sorted({p[2] for p in people if p[2]}, key=str.casefold)
    return AudienceChoices(people, departments)
