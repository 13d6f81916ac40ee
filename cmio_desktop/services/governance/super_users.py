"""The super-user roster: assign people as super users per unit and shift (audited, undoable)
and read the coverage per unit — super users per frontline user — against the target.

The target is the go-live criterion's threshold when the initiative has a super-user
criterion, else the workspace setting ``super_users.per_users``, else :data:`DEFAULT_PER_USERS`
(one per ten frontline users): the roster and the scorecard never disagree about what "enough"
means, and :func:`save_target` writes wherever the target is read from. A person flagged as a
super user with no assignment counts in their own department, on every shift.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.analysis.golive import template_name
from cmio_desktop.enums import Shift, StakeholderGroup
from cmio_desktop.services import crud
from cmio_desktop.services.analysis_settings import put_values_in, stored_values
from cmio_desktop.services.changes import ChangeKind, ChangeSet, Written
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.store import Workspace

SUA = m.SuperUserAssignment.__table__
S = m.Stakeholder.__table__
GC = m.GoLiveCriterion.__table__
AUDIT = m.AuditEvent.__table__
DEFAULT_PER_USERS = 10
MAX_PER_USERS = 1000
SETTING_PREFIX = "super_users."  # the workspace setting "super_users.per_users"
METRIC = "super_users_per_frontline"
EVERY_SHIFT = tuple(s.value for s in Shift if s is not Shift.ALL)


@dataclass(frozen=True)
class RosterRow:
    id: int | None  # None: flagged, with no assignment (their department, all shifts)
    person_id: int
    name: str
    unit: str
    shift: str

    @property
    def shift_label(self) -> str:
        return Shift(self.shift).label


@dataclass(frozen=True)
class UnitCoverage:
    unit: str
    super_users: int
    frontline: int
    target_ratio: float  # super users per frontline user
    shifts: dict[str, int]  # shift value → super users on it ("all" counts on every shift)

    @property
    def ratio(self) -> float | None:
        return self.super_users / self.frontline if self.frontline else None

    @property
    def needed(self) -> int:
        """More super users needed to meet the target (0 when met)."""
        return max(0, math.ceil(self.frontline * self.target_ratio - 1e-9) - self.super_users)


ROSTER_CHANGES = (ChangeKind.SUPER_USER, ChangeKind.STAKEHOLDER)  # the person's flag follows


@dataclass(frozen=True)
class Assigned:
    """What :func:`assign_many` wrote: the new assignment ids, and the people who were already
    flagged as super users (an undo keeps their flag)."""

    ids: list[int]
    were_flagged: list[int]


def assign(
    ws: Workspace, person_id: int, unit: str, shift: Shift | str = Shift.ALL
) -> Written[int]:
    """Make ``person_id`` a super user for ``unit`` on ``shift`` (and set their flag)."""
    unit, shift = _checked(unit, shift)
    with ws.session() as session:
        ident, _flagged = _assign_in(session, person_id, unit, shift)
    return Written(ident, ChangeSet.of(*ROSTER_CHANGES, ids=[ident]))


def assign_many(
    ws: Workspace, person_ids: Sequence[int], unit: str, shift: Shift | str = Shift.ALL
) -> Written[Assigned]:
    """Make several people super users for one unit and shift, all or none (one transaction):
    a person already on the roster for that unit and shift refuses the lot, with a sentence."""
    unit, shift = _checked(unit, shift)
    if not person_ids:
        raise ServiceError("Pick at least one person to make a super user.")
    ids, flagged = [], []
    with ws.session() as session:
        for person_id in dict.fromkeys(person_ids):  # each person once, in the order given
            ident, was_flagged = _assign_in(session, person_id, unit, shift)
            ids.append(ident)
            if was_flagged:
                flagged.append(person_id)
    return Written(Assigned(ids, flagged), ChangeSet.of(*ROSTER_CHANGES, ids=ids))


def _checked(unit: str, shift: Shift | str) -> tuple[str, Shift]:
    unit = (unit or "").strip()
    if not unit:
        raise ServiceError("Give the unit the super user supports.")
    try:
        return unit, Shift.from_text(str(shift))
    except ValueError:
        names = ", ".join(s.label for s in Shift)
        raise ServiceError(f"“{shift}” is not a shift ({names}).") from None


def _assign_in(session: Session, person_id: int, unit: str, shift: Shift) -> tuple[int, bool]:
    """The new assignment's id, and whether the person was flagged as a super user before."""
    person = session.get(m.Stakeholder, person_id)
    if person is None:
        raise NotFoundError(f"There is no person with id {person_id}.")
    taken = session.execute(
        select(SUA.c.id).where(
            SUA.c.stakeholder_id == person_id, SUA.c.unit == unit,
            type_coerce(SUA.c.shift, String) == shift.value,
        )
    ).scalar()  # fmt: skip
    if taken is not None:
        raise ServiceError(
            f"{person.name} is already a super user for {unit} ({shift.label.lower()})."
        )
    was_flagged = bool(person.super_user)
    record = crud.create_in(
        session, m.SuperUserAssignment, stakeholder_id=person_id, unit=unit, shift=shift
    )
    if not was_flagged:
        crud.update_in(session, m.Stakeholder, person_id, super_user=True)
    return int(record.id), was_flagged


def unassign(
    ws: Workspace, ids: Sequence[int], keep_flag: Collection[int] = ()
) -> Written[crud.DeletedSnapshot]:
    """Remove assignments; a person left with none is no longer flagged as a super user, except
    those in ``keep_flag`` (flagged before an assignment that is being undone).
    Undo with :func:`restore` (which puts the flags back too)."""
    with ws.session() as session:
        people = {
            int(p)
            for (p,) in session.execute(select(SUA.c.stakeholder_id).where(SUA.c.id.in_(ids)))
        }
        snapshot = crud.delete_rows_in(session, m.SuperUserAssignment, list(ids))
        left = {
            int(p)
            for (p,) in session.execute(
                select(SUA.c.stakeholder_id).where(SUA.c.stakeholder_id.in_(people))
            )
        }
        for person in sorted(people - left - set(keep_flag)):
            crud.update_in(session, m.Stakeholder, person, super_user=False)
    return Written(snapshot, ChangeSet.of(*ROSTER_CHANGES, ids=ids))


def restore(ws: Workspace, snapshot: crud.DeletedSnapshot) -> ChangeSet:
    with ws.session() as session:
        crud.restore_in(session, snapshot)
        for _table, rows in snapshot.rows:
            for person in sorted({int(r["stakeholder_id"]) for r in rows}):
                crud.update_in(session, m.Stakeholder, person, super_user=True)
    return ChangeSet.of(*ROSTER_CHANGES)


def roster(ws: Workspace) -> list[RosterRow]:
    with ws.read_session() as session:
        return roster_in(session)


def roster_in(session: Session) -> list[RosterRow]:
    rows = [
        RosterRow(int(i), int(p), n, u, s)
        for i, p, n, u, s in session.execute(
            select(SUA.c.id, SUA.c.stakeholder_id, S.c.name, SUA.c.unit,
                   type_coerce(SUA.c.shift, String))
            .join(S, S.c.id == SUA.c.stakeholder_id)
        )
    ]  # fmt: skip
    assigned = {r.person_id for r in rows}
    rows += [
        RosterRow(None, int(p), n, d or "(no department)", Shift.ALL.value)
        for p, n, d in session.execute(
            select(S.c.id, S.c.name, S.c.department).where(S.c.super_user.is_(True))
        )
        if int(p) not in assigned
    ]
    return sorted(rows, key=lambda r: (r.unit, r.name, r.shift))


def units_in(session: Session) -> dict[str, set[int]]:
    """The super users of each unit (for the go-live criterion)."""
    out: dict[str, set[int]] = defaultdict(set)
    for row in roster_in(session):
        out[row.unit].add(row.person_id)
    return dict(out)


def _criterion_in(session: Session, initiative_id: int | None) -> Any:
    """The initiative's super-user criterion (id, threshold, name, scope), or None."""
    if initiative_id is None:
        return None
    return session.execute(
        select(GC.c.id, GC.c.threshold, GC.c.name, GC.c.scope)
        .where(GC.c.initiative_id == initiative_id, GC.c.metric == METRIC)
        .order_by(GC.c.id)
    ).first()


def target_ratio_in(session: Session, initiative_id: int | None) -> float:
    found = _criterion_in(session, initiative_id)
    if found is not None and found.threshold:
        return float(found.threshold)
    stored = stored_values(session, SETTING_PREFIX).get("per_users")
    try:
        per = float(stored) if stored is not None else DEFAULT_PER_USERS
    except (TypeError, ValueError):  # a hand-edited value: the default, never a crash
        per = DEFAULT_PER_USERS
    return 1 / per if 1 <= per <= MAX_PER_USERS else 1 / DEFAULT_PER_USERS


def target_per_users(ws: Workspace, initiative_id: int | None) -> float:
    """The target as "one super user per N frontline users": N."""
    with ws.read_session() as session:
        return 1 / target_ratio_in(session, initiative_id)


def target_source(ws: Workspace, initiative_id: int | None) -> str:
    """Where the target is read from: "criterion" or "setting" (the default included)."""
    with ws.read_session() as session:
        return "criterion" if _criterion_in(session, initiative_id) is not None else "setting"


def save_target(ws: Workspace, initiative_id: int | None, per_users: Any) -> Written[float]:
    """Set the target to one super user per ``per_users`` frontline users: the go-live
    criterion's threshold when the initiative has one (its name follows when it is still the
    template's), else the workspace setting. Returns the previous N, for undo."""
    per = _per_users(per_users)
    with ws.session() as session:
        old = 1 / target_ratio_in(session, initiative_id)
        found = _criterion_in(session, initiative_id)
        if found is not None:
            values: dict[str, Any] = {"threshold": 1 / per}
            scope = found.scope or "per unit"
            if found.name == template_name(METRIC, float(found.threshold or 0), scope):
                values["name"] = template_name(METRIC, 1 / per, scope)
            crud.update_in(session, m.GoLiveCriterion, int(found.id), **values)
            kind = ChangeKind.CRITERION
        else:
            put_values_in(session, SETTING_PREFIX, {"per_users": per})
            kind = ChangeKind.WORKSPACE_SETTING
    return Written(old, ChangeSet.of(kind, ChangeKind.SUPER_USER))


def _per_users(value: Any) -> float:
    if isinstance(value, bool):
        raise ServiceError("The target must be a number of frontline users.")
    try:
        per = float(value)
    except (TypeError, ValueError):
        raise ServiceError(
            f"The target must be a number of frontline users, not “{value}”."
        ) from None
    if not 1 <= per <= MAX_PER_USERS:  # NaN fails this too
        raise ServiceError(
            f"The target is one super user per 1 to {MAX_PER_USERS:,} frontline users."
        )
    return per


def assigned_since(ws: Workspace) -> tuple[dict[int, datetime], datetime | None]:
    """When each assignment was made (its latest "create" in the audit trail), and when the
    history begins — for assignments made before it (imported, the sample), "on or before"."""
    with ws.read_session() as session:
        made = {
            int(i): at
            for i, at in session.execute(
                select(AUDIT.c.entity_id, func.max(AUDIT.c.at))
                .where(
                    AUDIT.c.entity == SUA.name,
                    AUDIT.c.action.like("%create"),
                    AUDIT.c.entity_id.is_not(None),
                )
                .group_by(AUDIT.c.entity_id)
            )
        }
        start = session.execute(select(func.min(AUDIT.c.at))).scalar()
    return made, start


def coverage(ws: Workspace, initiative_id: int | None = None) -> list[UnitCoverage]:
    """Per unit with frontline users or super users: super users, frontline users, the shifts
    covered; the units furthest below the target first."""
    with ws.read_session() as session:
        rows = roster_in(session)
        target = target_ratio_in(session, initiative_id)
        frontline: dict[str, int] = defaultdict(int)
        for (department,) in session.execute(
            select(S.c.department).where(
                type_coerce(S.c.stakeholder_group, String)
                == StakeholderGroup.FRONTLINE_CLINICIAN.value
            )
        ):
            frontline[department or "(no department)"] += 1
    people: dict[str, set[int]] = defaultdict(set)
    shifts: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for r in rows:
        people[r.unit].add(r.person_id)
        for shift in EVERY_SHIFT if r.shift == Shift.ALL.value else (r.shift,):
            shifts[r.unit][shift].add(r.person_id)
    out = [
        UnitCoverage(
            unit, len(people.get(unit, ())), frontline.get(unit, 0), target,
            {s: len(p) for s, p in shifts.get(unit, {}).items()},
        )
        for unit in sorted(set(frontline) | set(people))
    ]  # fmt: skip
    return sorted(out, key=lambda c: (-(c.needed), c.ratio if c.ratio is not None else 9, c.unit))
