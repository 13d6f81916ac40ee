"""Plan assessment (ADKAR round) and training-completion imports.

Assessments are filed under one initiative (chosen, else the first). An assessment of the same
person on the same date in that initiative is updated rather than duplicated (re-importing a
survey file changes nothing); otherwise a new one is added. Training rows name a course that
must already exist (by name, without case; the chosen initiative's course wins a tie) and a
person; a person's existing completion of that course is updated. Blank completion dates and
proficiencies keep what is stored. People who cannot be found are reported, never created.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.enums import Proficiency
from cmio_desktop.io.validation import AssessmentRecord, TrainingRecord
from cmio_desktop.models import ADKAR_COLUMNS
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.services.importing.people import PersonIndex, ref_field
from cmio_desktop.services.importing.plan import (
    NEW,
    UNCHANGED,
    UPDATED,
    PlanContext,
    PlannedRow,
    PlanParts,
    compare,
)

A = m.Assessment.__table__
C = m.TrainingCompletion.__table__
CHUNK = 20_000
ASSESSOR_MAX = 200
ASSESSMENT_LABELS = {c: c for c in ADKAR_COLUMNS} | {"assessor": "assessor", "note": "note"}
TRAINING_LABELS = {"completed_on": "completed on", "proficiency": "proficiency"}


def initiative(session: Session, initiative_id: int | None) -> tuple[int, str]:
    stmt = select(m.Initiative.id, m.Initiative.name).order_by(m.Initiative.id).limit(1)
    if initiative_id is not None:
        stmt = stmt.where(m.Initiative.id == initiative_id)
    row = session.execute(stmt).first()
    if row is None:
        if initiative_id is not None:
            raise NotFoundError(f"There is no initiative with id {initiative_id}.")
        raise ServiceError(
            "The workspace has no initiative yet; create one before importing assessments "
            "or training."
        )
    return row[0], row[1]


def plan_assessments(
    session: Session, records: Iterable[AssessmentRecord], ctx: PlanContext
) -> PlanParts:
    initiative_id, name = initiative(session, ctx.options.initiative_id)
    index = PersonIndex.load(session)
    resolved = []
    seen: dict[tuple[int, object], int] = {}
    for record in records:
        person, why = index.resolve(record.person)
        if person is None:
            field = ref_field("person", record.person, ctx.mapped)
            ctx.reject(record.row, field, record.person.value, why)
            continue
        if record.assessor is not None and len(record.assessor) > ASSESSOR_MAX:
            ctx.reject(
                record.row,
                "assessor",
                record.assessor[:60] + "…",
                f"is too long (at most {ASSESSOR_MAX} characters)",
            )
            continue
        first = seen.setdefault((person, record.date), record.row)
        if first != record.row:
            field = (
                "date" if "date" in ctx.mapped else ref_field("person", record.person, ctx.mapped)
            )
            ctx.reject(
                record.row,
                field,
                record.date.isoformat(),
                f"{index.name(person)} is also assessed on this date on row {first}",
            )
            continue
        resolved.append((record, person))

    stored = _stored_assessments(session, initiative_id, {p for _, p in resolved})
    parts = PlanParts(initiative_id=initiative_id, initiative_name=name)
    for record, person in resolved:
        label = f"{index.name(person)}, {record.date.isoformat()}"
        scores = {c: getattr(record, c) for c in ADKAR_COLUMNS}
        old = stored.get((person, record.date))
        if old is None:
            values = {
                "stakeholder_id": person,
                "initiative_id": initiative_id,
                "assessed_on": record.date,
                **scores,
                "assessor": record.assessor or "",
                "note": record.note or "",
            }
            parts.new.append(PlannedRow(record.row, NEW, label, None, values))
            continue
        wanted: dict[str, Any] = dict(scores)
        for column in ("assessor", "note"):
            value = getattr(record, column)
            if column in ctx.mapped and (value is not None or not ctx.keeps_blank()):
                wanted[column] = value or ""
        classify_update(parts, record.row, label, old, wanted, ASSESSMENT_LABELS)
    return parts


def _stored_assessments(
    session: Session, initiative_id: int, people: set[int]
) -> dict[tuple[int, object], Any]:
    """(person, date) → the latest stored assessment of the initiative on that date."""
    columns = (
        A.c.id,
        A.c.stakeholder_id,
        A.c.assessed_on,
        *(A.c[c] for c in ADKAR_COLUMNS),
        A.c.assessor,
        A.c.note,
    )
    out: dict[tuple[int, object], Any] = {}
    ordered = sorted(people)
    for start in range(0, len(ordered), CHUNK):
        stmt = (
            select(*columns)
            .where(A.c.initiative_id == initiative_id)
            .where(A.c.stakeholder_id.in_(ordered[start : start + CHUNK]))
            .order_by(A.c.id)
        )
        for row in session.execute(stmt).mappings():
            out[(row["stakeholder_id"], row["assessed_on"])] = row  # a later id wins
    return out


def plan_training(
    session: Session, records: Iterable[TrainingRecord], ctx: PlanContext
) -> PlanParts:
    chosen = ctx.options.initiative_id
    if chosen is not None:
        initiative(session, chosen)  # raises if it does not exist
    courses: dict[str, list[tuple[int, int, str]]] = {}
    for ident, initiative_id, name in session.execute(
        select(m.TrainingCourse.id, m.TrainingCourse.initiative_id, m.TrainingCourse.name)
    ):
        courses.setdefault(name.strip().casefold(), []).append((ident, initiative_id, name))
    if "note" in ctx.mapped:
        ctx.notes.append("Training completions have no notes; the note column is not imported.")
    index = PersonIndex.load(session)
    resolved = []
    seen: dict[tuple[int, int], int] = {}
    for record in records:
        course, course_why = _course(courses, record.course, chosen)
        person, why = index.resolve(record.person)
        if course is None:
            ctx.reject(record.row, "course", record.course, course_why)
        if person is None:
            ctx.reject(
                record.row, ref_field("person", record.person, ctx.mapped), record.person.value, why
            )
        if course is None or person is None:
            continue
        first = seen.setdefault((course[0], person), record.row)
        if first != record.row:
            ctx.reject(
                record.row,
                "course",
                record.course,
                f"{index.name(person)} already has this course on row {first}",
            )
            continue
        resolved.append((record, course, person))

    stored = _stored_completions(session, {p for _, _, p in resolved})
    parts = PlanParts()
    for record, course, person in resolved:
        label = f"{index.name(person)}: {course[2]}"
        old = stored.get((course[0], person))
        if old is None:
            values = {
                "course_id": course[0],
                "stakeholder_id": person,
                "completed_on": record.completed,
                "proficiency": record.proficiency or Proficiency.NOT_ASSESSED,
            }
            parts.new.append(PlannedRow(record.row, NEW, label, None, values))
            continue
        wanted: dict[str, Any] = {}
        if record.completed is not None:
            wanted["completed_on"] = record.completed
        if record.proficiency is not None:
            wanted["proficiency"] = record.proficiency
        classify_update(parts, record.row, label, old, wanted, TRAINING_LABELS)
    return parts


def _course(
    courses: dict[str, list[tuple[int, int, str]]], name: str, chosen: int | None
) -> tuple[tuple[int, int, str] | None, str]:
    matches = courses.get(name.strip().casefold(), [])
    if chosen is not None and len(matches) > 1:
        matches = [c for c in matches if c[1] == chosen] or matches
    if len(matches) == 1:
        return matches[0], ""
    if not matches:
        known = sorted({c[2] for group in courses.values() for c in group})
        hint = (
            f" (courses: {', '.join(known[:5])}{'…' if len(known) > 5 else ''})"
            if known
            else (" (the workspace has no training courses yet)")
        )
        return None, f"no training course is named “{name}”{hint}"
    return None, f"{len(matches)} courses are named “{name}”; choose the initiative to import into"


def _stored_completions(session: Session, people: set[int]) -> dict[tuple[int, int], Any]:
    columns = (C.c.id, C.c.course_id, C.c.stakeholder_id, C.c.completed_on, C.c.proficiency)
    out: dict[tuple[int, int], Any] = {}
    ordered = sorted(people)
    for start in range(0, len(ordered), CHUNK):
        stmt = select(*columns).where(C.c.stakeholder_id.in_(ordered[start : start + CHUNK]))
        for row in session.execute(stmt).mappings():
            out[(row["course_id"], row["stakeholder_id"])] = row
    return out


def classify_update(
    parts: PlanParts,
    row: int,
    label: str,
    old: Any,
    wanted: dict[str, Any],
    labels: dict[str, str],
) -> None:
    changes = compare(old, wanted, labels)
    if changes:
        values = {c.column: c.new for c in changes}
        parts.updated.append(PlannedRow(row, UPDATED, label, old["id"], values, changes))
    else:
        parts.unchanged.append(PlannedRow(row, UNCHANGED, label, old["id"]))
