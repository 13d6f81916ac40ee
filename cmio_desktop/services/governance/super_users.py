"""The super-user roster: assign people as super users per unit and shift (audited, undoable)
and read the coverage per unit — super users per frontline user — against the target.

The target is the go-live criterion's threshold when the initiative has a super-user
criterion, else :data:`DEFAULT_PER_USERS` (one per ten frontline users): the roster and the
scorecard never disagree about what "enough" means. A person flagged as a super user with no
assignment counts in their own department, on every shift.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.enums import Shift, StakeholderGroup
from cmio_desktop.services import crud
from cmio_desktop.services.changes import ChangeKind, ChangeSet, Written
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.store import Workspace

SUA = m.SuperUserAssignment.__table__
S = m.Stakeholder.__table__
DEFAULT_PER_USERS = 10
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


def assign(
    ws: Workspace, person_id: int, unit: str, shift: Shift | str = Shift.ALL
) -> Written[int]:
    """Make ``person_id`` a super user for ``unit`` on ``shift`` (and set their flag)."""
    unit = (unit or "").strip()
    if not unit:
        raise ServiceError("Give the unit the super user supports.")
    try:
        shift = Shift.from_text(str(shift))
    except ValueError:
        names = ", ".join(s.label for s in Shift)
        raise ServiceError(f"“{shift}” is not a shift ({names}).") from None
    with ws.session() as session:
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
        record = crud.create_in(
            session, m.SuperUserAssignment, stakeholder_id=person_id, unit=unit, shift=shift
        )
        if not person.super_user:
            crud.update_in(session, m.Stakeholder, person_id, super_user=True)
    return Written(int(record.id), ChangeSet.of(*ROSTER_CHANGES, ids=[int(record.id)]))


def unassign(ws: Workspace, ids: Sequence[int]) -> Written[crud.DeletedSnapshot]:
    """Remove assignments; a person left with none is no longer flagged as a super user.
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
        for person in sorted(people - left):
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


def target_ratio_in(session: Session, initiative_id: int | None) -> float:
    if initiative_id is not None:
        found = session.execute(
            select(m.GoLiveCriterion.threshold).where(
                m.GoLiveCriterion.initiative_id == initiative_id, m.GoLiveCriterion.metric == METRIC
            )
        ).scalar()
        if found:
            return float(found)
    return 1 / DEFAULT_PER_USERS


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
