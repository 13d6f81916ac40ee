"""Training: courses per role with required-by dates, completion and proficiency per person,
completion by department and role, and who would lose access at go-live.

Go-live rule: no access without completed training. A person is *trained* when every course
required of them (``plan_facts.required_courses``) has a completion with a date; completion
figures count people, not course places, so they answer "how many can log in on the day".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import String, select, type_coerce

from cmio_desktop import models as m
from cmio_desktop.enums import Proficiency, Role
from cmio_desktop.services import crud
from cmio_desktop.services.changes import ChangeKind, ChangeSet, Written
from cmio_desktop.services.conflicts import SINCE_EDIT
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.services.plan.facts import PeopleFacts, PersonFact, people_facts
from cmio_desktop.services.worked_on import refuse_changed
from cmio_desktop.store import Workspace

TC = m.TrainingCompletion.__table__
TCOURSE = m.TrainingCourse.__table__


@dataclass(frozen=True)
class CourseRow:
    id: int
    name: str
    role: str | None
    required_by: date | None
    required: int
    completed: int
    version: int = 0  # the course row's version as read: an edit or delete made on it checks it

    @property
    def role_label(self) -> str:
        return Role(self.role).label if self.role else "Everyone"

    @property
    def pct(self) -> float | None:
        return 100.0 * self.completed / self.required if self.required else None


@dataclass(frozen=True)
class CompletionGroup:
    label: str
    required: int  # people with at least one required course
    trained: int  # of whom completed all of them

    @property
    def pct(self) -> float | None:
        return 100.0 * self.trained / self.required if self.required else None

    @property
    def untrained(self) -> int:
        return self.required - self.trained


@dataclass(frozen=True)
class RosterRow:
    person_id: int
    name: str
    department: str
    role: str
    required: bool
    completed_on: date | None
    proficiency: str


@dataclass(frozen=True)
class UntrainedRow:
    person_id: int
    name: str
    department: str
    role: str
    missing: tuple[str, ...]


@dataclass(frozen=True)
class TrainingOverview:
    courses: list[CourseRow]
    by_department: list[CompletionGroup]
    by_role: list[CompletionGroup]
    overall: CompletionGroup
    untrained: list[UntrainedRow]


# -- completion maths (plain data) ---------------------------------------------------------------


def is_trained(required: frozenset[int], completed: frozenset[int]) -> bool:
    return required <= completed


def completion_by(
    people: Iterable[PersonFact],
    required_of: Callable[[PersonFact], frozenset[int]],
    completed: dict[int, frozenset[int]],
    key: Callable[[PersonFact], str],
) -> list[CompletionGroup]:
    """People needing training and people fully trained, per ``key`` (sorted by label)."""
    need: dict[str, int] = defaultdict(int)
    done: dict[str, int] = defaultdict(int)
    for p in people:
        required = required_of(p)
        if not required:
            continue
        label = key(p)
        need[label] += 1
        done[label] += is_trained(required, completed.get(p.id, frozenset()))
    return [CompletionGroup(k, need[k], done[k]) for k in sorted(need, key=str.casefold)]


def overview_from(facts: PeopleFacts) -> TrainingOverview:
    names = {c.id: c.name for c in facts.courses}
    required = {p.id: facts.required_of(p) for p in facts.people}
    need: Counter[int] = Counter()
    done: Counter[int] = Counter()
    for pid, req in required.items():
        completed = facts.completed.get(pid, frozenset())
        for course_id in req:
            need[course_id] += 1
            done[course_id] += course_id in completed
    courses = [
        CourseRow(c.id, c.name, c.role, c.required_by, need[c.id], done[c.id])
        for c in facts.courses
    ]
    by_dept = completion_by(
        facts.people, facts.required_of, facts.completed, lambda p: p.department or "(none)"
    )
    by_role = completion_by(
        facts.people, facts.required_of, facts.completed, lambda p: Role(p.role).label
    )
    overall = CompletionGroup(
        "Everyone", sum(g.required for g in by_dept), sum(g.trained for g in by_dept)
    )
    untrained = []
    for p in facts.people:
        missing = required[p.id] - facts.completed.get(p.id, frozenset())
        if missing:
            untrained.append(
                UntrainedRow(
                    p.id, p.name, p.department, Role(p.role).label,
                    tuple(sorted(names[i] for i in missing)),
                )
            )  # fmt: skip
    untrained.sort(key=lambda r: (r.department.casefold(), r.name.casefold()))
    return TrainingOverview(courses, by_dept, by_role, overall, untrained)


def training_overview(ws: Workspace, initiative_id: int | None) -> TrainingOverview:
    overview = overview_from(people_facts(ws, initiative_id))
    if not overview.courses:
        return overview
    # The courses' own fields and row versions, read now: the facts are cached by audit
    # revision, which a program writing without the audit trail does not move, and a stale
    # version would refuse every later edit or delete of the course.
    stmt = select(
        TCOURSE.c.id, TCOURSE.c.name, type_coerce(TCOURSE.c.role, String),
        TCOURSE.c.required_by, TCOURSE.c.version,
    ).where(TCOURSE.c.id.in_([c.id for c in overview.courses]))  # fmt: skip
    with ws.read_session() as session:
        now = {int(r[0]): r for r in session.execute(stmt)}
    courses = [
        replace(c, name=now[c.id][1], role=now[c.id][2], required_by=now[c.id][3],
                version=int(now[c.id][4]))
        for c in overview.courses
        if c.id in now
    ]  # fmt: skip
    return replace(overview, courses=courses)


def untrained_at_go_live(ws: Workspace, initiative_id: int | None) -> list[UntrainedRow]:
    """People who will lose access at go-live because a required course is not completed."""
    return training_overview(ws, initiative_id).untrained


def course_roster(ws: Workspace, course_id: int) -> list[RosterRow]:
    """Everyone the course is required of, plus anyone else with a completion recorded."""
    with ws.read_session() as session:
        course = session.get(m.TrainingCourse, course_id)
        if course is None:
            raise NotFoundError(f"That course no longer exists (id {course_id}).")
        initiative_id = course.initiative_id
        stmt = select(
            TC.c.stakeholder_id, TC.c.completed_on, type_coerce(TC.c.proficiency, String)
        ).where(TC.c.course_id == course_id)
        recorded = {int(p): (d, prof) for p, d, prof in session.execute(stmt).all()}
    facts = people_facts(ws, initiative_id)
    rows = []
    for p in facts.people:
        required = course_id in facts.required_of(p)
        if not required and p.id not in recorded:
            continue
        when, prof = recorded.get(p.id, (None, Proficiency.NOT_ASSESSED.value))
        rows.append(RosterRow(p.id, p.name, p.department, Role(p.role).label, required, when, prof))
    return rows


# -- writes ----------------------------------------------------------------------------------------

Prior = list[tuple[int, int | None, date | None, str | None]]  # person, row id, old date, old prof


def mark_complete(
    ws: Workspace,
    course_id: int,
    person_ids: Sequence[int],
    completed_on: date | None,
    proficiency: str | None = None,
) -> Written[Prior]:
    """Record completion (or, with ``completed_on=None``, clear it) for many people in one
    transaction; returns what was there before, for :func:`restore_completions`."""
    with ws.session() as session:
        if session.get(m.TrainingCourse, course_id) is None:
            raise NotFoundError(f"That course no longer exists (id {course_id}).")
        existing = {
            int(p): (int(i), d, str(prof))
            for i, p, d, prof in session.execute(
                select(
                    TC.c.id, TC.c.stakeholder_id, TC.c.completed_on,
                    type_coerce(TC.c.proficiency, String),
                ).where(TC.c.course_id == course_id, TC.c.stakeholder_id.in_(list(person_ids)))
            )
        }  # fmt: skip
        prior: Prior = []
        for person in dict.fromkeys(person_ids):
            changes: dict[str, Any] = {"completed_on": completed_on}
            if proficiency is not None:
                changes["proficiency"] = proficiency
            if person in existing:
                row_id, old_date, old_prof = existing[person]
                prior.append((person, row_id, old_date, old_prof))
                crud.update_in(session, m.TrainingCompletion, row_id, **changes)
            else:
                prior.append((person, None, None, None))
                crud.create_in(
                    session, m.TrainingCompletion, course_id=course_id, stakeholder_id=person,
                    **changes,
                )  # fmt: skip
        return Written(prior, ChangeSet.of(ChangeKind.TRAINING))


def restore_completions(
    ws: Workspace, course_id: int, prior: Prior, expected: dict[str, Any] | None = None
) -> ChangeSet:
    """Undo :func:`mark_complete`: remove rows it created, put back values it changed. With
    ``expected`` (the values it set), refuse if someone else changed one of the rows since."""
    with ws.session() as session:
        created = [p for p, row_id, _, _ in prior if row_id is None]
        if created:
            ids = [
                int(i)
                for (i,) in session.execute(
                    select(TC.c.id).where(
                        TC.c.course_id == course_id, TC.c.stakeholder_id.in_(created)
                    )
                )
            ]
            if ids and expected:
                wanted = crud.coerce(m.TrainingCompletion, dict(expected))
                refuse_changed(session, TC, [(i, wanted) for i in ids], SINCE_EDIT)
            if ids:
                crud.delete_rows_in(session, m.TrainingCompletion, ids)
        for _person, row_id, old_date, old_prof in prior:
            if row_id is not None:
                crud.update_in(
                    session, m.TrainingCompletion, row_id, expected=expected,
                    completed_on=old_date, proficiency=old_prof,
                )  # fmt: skip
    return ChangeSet.of(ChangeKind.TRAINING)


COURSE_FIELDS = ("name", "role", "required_by")


def create_course(ws: Workspace, initiative_id: int, values: dict[str, Any]) -> Written[int]:
    _check_course(values)
    record = crud.create(ws, m.TrainingCourse, initiative_id=initiative_id, **values)
    return Written(int(record.id), record.changes)


def update_course(ws: Workspace, ident: int, values: dict[str, Any]) -> Written[dict[str, Any]]:
    _check_course(values)
    old = crud.get(ws, m.TrainingCourse, ident)
    new = crud.update(ws, m.TrainingCourse, ident, **values)
    return Written({k: getattr(old, k) for k in values}, new.changes)


def delete_courses(ws: Workspace, ids: Sequence[int]) -> crud.DeletedSnapshot:
    return crud.delete_rows(ws, m.TrainingCourse, list(ids))


def _check_course(values: dict[str, Any]) -> None:
    if set(values) - set(COURSE_FIELDS):
        raise ServiceError("A course has a name, a role and a required-by date only.")
    if "name" in values and not str(values["name"] or "").strip():
        raise ServiceError("Give the course a name.")
