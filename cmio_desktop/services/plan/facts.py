"""Plain facts about people for the plan, training, go-live and dashboard use cases.

One Core read per table, on the caller's session: every person's role, group, department,
attitude, grid scores and flags; their latest ADKAR round for the initiative (readiness,
barrier point, ready); and which required courses they have completed. A course is required
of everyone with its role (a course without a role is required of everyone); bodies such as
committees are never required to train.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.analysis.adkar import (
    AdkarScores,
    ReadinessSettings,
    barrier_point,
    is_ready,
    readiness,
)
from cmio_desktop.analysis.grids import GridSettings
from cmio_desktop.enums import AdkarElement
from cmio_desktop.services.initiatives import InitiativeFact, initiative_in
from cmio_desktop.services.network.analysis import grid_settings_in, readiness_settings_in
from cmio_desktop.services.network.inputs import revision_in
from cmio_desktop.services.stakeholders.register import latest_scores
from cmio_desktop.store import Workspace

S = m.Stakeholder.__table__
A = m.Assessment.__table__
C = m.TrainingCourse.__table__
TC = m.TrainingCompletion.__table__


class PersonFact(NamedTuple):
    """One person (a named tuple: 10,000 of these build in a few milliseconds)."""

    id: int
    name: str
    role: str
    group: str
    department: str
    site: str
    attitude: str
    power: int
    interest: int
    super_user: bool
    champion: bool
    is_body: bool
    readiness: float | None
    barrier: AdkarElement | None
    ready: bool | None


@dataclass(frozen=True)
class CourseFact:
    id: int
    name: str
    role: str | None
    required_by: date | None


@dataclass(frozen=True)
class PeopleFacts:
    initiative: InitiativeFact | None
    people: list[PersonFact]
    courses: list[CourseFact]
    completed: dict[int, frozenset[int]]  # person → completed course ids
    grid: GridSettings
    readiness_settings: ReadinessSettings
    _by_role: dict[str, frozenset[int]] = field(default_factory=dict, compare=False, repr=False)

    def required_of(self, person: PersonFact) -> frozenset[int]:
        if person.is_body:
            return frozenset()
        found = self._by_role.get(person.role)
        if found is None:
            found = self._by_role[person.role] = required_courses(person, self.courses)
        return found


def department_readiness(facts: PeopleFacts) -> list[tuple[str, float, int]]:
    """(department, mean readiness, people assessed) of every department with an assessed
    person, lowest mean first; bodies (committees) are not people to make ready."""
    by_department: dict[str, list[float]] = defaultdict(list)
    for p in facts.people:
        if not p.is_body and p.readiness is not None:
            by_department[p.department or "(none)"].append(p.readiness)
    return sorted(
        ((d, sum(v) / len(v), len(v)) for d, v in by_department.items()), key=lambda t: t[1]
    )


def required_courses(person: PersonFact, courses: list[CourseFact]) -> frozenset[int]:
    if person.is_body:
        return frozenset()
    return frozenset(c.id for c in courses if c.role is None or c.role == person.role)


def load_people_facts(session: Session, initiative_id: int | None) -> PeopleFacts:
    initiative = initiative_in(session, initiative_id)
    settings = readiness_settings_in(session)
    scores = latest_scores(session, initiative.id, None) if initiative else {}
    derived: dict[tuple[int, ...], tuple[float, AdkarElement | None, bool]] = {}
    for pattern in set(scores.values()):
        adkar = AdkarScores(*pattern)
        derived[pattern] = (
            readiness(adkar),
            barrier_point(adkar, settings.barrier_mode, settings.barrier_max),
            is_ready(adkar, settings),
        )
    stmt = select(
        S.c.id, S.c.name, type_coerce(S.c.role, String), type_coerce(S.c.stakeholder_group, String),
        S.c.department, S.c.site, type_coerce(S.c.attitude, String), S.c.power, S.c.interest,
        S.c.super_user, S.c.physician_champion, S.c.is_body,
    ).order_by(S.c.id)  # fmt: skip
    people = []
    for row in session.execute(stmt).all():
        ident = int(row[0])
        value, barrier, ready = derived.get(scores.get(ident, ()), (None, None, None))
        people.append(
            PersonFact(
                ident, row[1], row[2], row[3], row[4] or "", row[5] or "", row[6],
                int(row[7]), int(row[8]), bool(row[9]), bool(row[10]), bool(row[11]),
                value, barrier, ready,
            )
        )  # fmt: skip
    courses, completed = load_training(session, initiative.id if initiative else None)
    return PeopleFacts(initiative, people, courses, completed, grid_settings_in(session), settings)


def load_training(
    session: Session, initiative_id: int | None
) -> tuple[list[CourseFact], dict[int, frozenset[int]]]:
    if initiative_id is None:
        return [], {}
    stmt = (
        select(C.c.id, C.c.name, type_coerce(C.c.role, String), C.c.required_by)
        .where(C.c.initiative_id == initiative_id)
        .order_by(C.c.id)
    )
    courses = [CourseFact(int(i), n, r, d) for i, n, r, d in session.execute(stmt)]
    done: dict[int, set[int]] = defaultdict(set)
    if courses:
        stmt = select(TC.c.stakeholder_id, TC.c.course_id).where(
            TC.c.course_id.in_([c.id for c in courses]), TC.c.completed_on.is_not(None)
        )
        for person, course in session.execute(stmt).all():
            done[int(person)].add(int(course))
    return courses, {p: frozenset(c) for p, c in done.items()}


# -- cache ----------------------------------------------------------------------------------------

_CACHE_SIZE = 4
_lock = threading.Lock()
_cache: OrderedDict[tuple[str, int, int | None], PeopleFacts] = OrderedDict()
# One load per key at a time: the dashboard and the go-live page ask for the same facts at the
# same moment when a workspace opens, and the second should wait for the first, not read again.
_loading: dict[tuple[str, int, int | None], threading.Lock] = {}


def people_facts(ws: Workspace, initiative_id: int | None) -> PeopleFacts:
    """:func:`load_people_facts` in its own session, cached until the workspace changes (every
    write is audited, so the newest audit id is the revision — as in ``services.network``)."""
    with ws.read_session() as session:
        revision = revision_in(session)
    key = (str(ws.path.resolve()), revision, initiative_id)
    with _lock:
        load_lock = _loading.setdefault(key, threading.Lock())
    with load_lock:
        with _lock:
            found = _cache.get(key)
            if found is not None:
                _cache.move_to_end(key)
                return found
        try:
            with ws.read_session() as session:
                facts = load_people_facts(session, initiative_id)
            with _lock:
                _cache[key] = facts
                while len(_cache) > _CACHE_SIZE:
                    _cache.popitem(last=False)
        finally:
            with _lock:
                _loading.pop(key, None)
    return facts
