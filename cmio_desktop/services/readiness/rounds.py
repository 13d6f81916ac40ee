"""A whole survey round at once: ``{person_id: scores}`` on one date, recorded in one
transaction (undoable as a unit), and the people of a department for the survey grid."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.analysis.adkar import AdkarScores
from cmio_desktop.models import ADKAR_COLUMNS
from cmio_desktop.services import crud
from cmio_desktop.services.audit import AuditEntry, write_audit
from cmio_desktop.services.changes import ChangeKind, ChangeSet, Written
from cmio_desktop.services.conflicts import SINCE_EDIT, SINCE_UNDO
from cmio_desktop.services.crud import DeletedSnapshot
from cmio_desktop.services.readiness.score_input import (
    CHUNK,
    AssessmentInputError,
    InputProblem,
    initiative_name,
    parse_date,
    parse_scores,
    person_names,
    score_values,
)
from cmio_desktop.services.worked_on import refuse_changed
from cmio_desktop.store import Workspace

A = m.Assessment.__table__
S = m.Stakeholder.__table__


@dataclass(frozen=True)
class RoundEntry:
    """One person's line in a survey round."""

    person_id: int
    scores: Any
    note: str = ""


@dataclass(frozen=True)
class RecordedRound:
    """What :func:`record_round` changed, for undo: new assessment ids, and the previous
    values of the assessments it overwrote (same person and date)."""

    initiative_id: int
    assessed_on: date
    created: tuple[int, ...]
    replaced: dict[int, dict[str, Any]] = field(default_factory=dict)  # id → old values
    written: dict[int, dict[str, Any]] = field(default_factory=dict)  # id → new values
    # id → the values each new assessment was created with (undo refuses if they changed since)
    created_values: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def people(self) -> int:
        return len(self.created) + len(self.replaced)

    @property
    def changes(self) -> ChangeSet:
        return ChangeSet.of(ChangeKind.ASSESSMENT, ids=[*self.created, *self.replaced])


def _entries(scores_by_person: Any) -> list[RoundEntry]:
    if isinstance(scores_by_person, Mapping):
        return [
            v if isinstance(v, RoundEntry) else RoundEntry(int(k), v)
            for k, v in scores_by_person.items()
        ]
    return list(scores_by_person)


def check_round(
    ws: Workspace,
    initiative_id: int,
    assessed_on: Any,
    scores_by_person: Mapping[int, Any] | Iterable[RoundEntry],
    *,
    today: date | None = None,
) -> tuple[date, list[tuple[int, AdkarScores, str]]]:
    """Validate a round without writing: the date and each person's scores.
    Raises :class:`AssessmentInputError` with every problem found."""
    entries = _entries(scores_by_person)
    problems: list[InputProblem] = []
    try:
        day = parse_date(assessed_on, today)
    except ValueError as exc:
        problems.append(InputProblem(None, "assessed_on", str(exc)))
        day = date.min
    with ws.read_session() as session:
        initiative_name(session, initiative_id)
        names = person_names(session, (e.person_id for e in entries))
    checked: list[tuple[int, AdkarScores, str]] = []
    seen: set[int] = set()
    for entry in entries:
        pid = entry.person_id
        who = names.get(pid)
        if who is None:
            problems.append(InputProblem(pid, "person", f"There is no stakeholder with id {pid}"))
            continue
        if pid in seen:
            problems.append(InputProblem(pid, "person", f"{who} appears twice in the round"))
            continue
        seen.add(pid)
        try:
            checked.append((pid, parse_scores(entry.scores, pid), (entry.note or "").strip()))
        except AssessmentInputError as exc:
            problems += [InputProblem(pid, p.field, f"{who}: {p.message}") for p in exc.problems]
    if not entries:
        problems.append(InputProblem(None, "scores", "The round has no scores to record"))
    if problems:
        raise AssessmentInputError(problems)
    return day, checked


def record_round(
    ws: Workspace,
    initiative_id: int,
    assessed_on: Any,
    scores_by_person: Mapping[int, Any] | Iterable[RoundEntry],
    assessor: str = "",
    *,
    today: date | None = None,
) -> RecordedRound:
    """Record a survey round — ``{person_id: scores}`` (or :class:`RoundEntry` items with a
    note) all on one date — in one transaction. A person who already has an assessment for
    the initiative on that date has it overwritten (re-entering a round corrects it), so a
    round never creates same-day duplicates. Nothing is written if any input is bad."""
    day, checked = check_round(ws, initiative_id, assessed_on, scores_by_person, today=today)
    assessor = (assessor or "").strip()
    with ws.session() as session:
        existing = _on_date(session, initiative_id, day, [pid for pid, _, _ in checked])
        new_rows, replaced, written, entries = [], {}, {}, []
        for pid, scores, note in checked:
            values = {**score_values(scores), "assessor": assessor, "note": note}
            old = existing.get(pid)
            if old is None:
                new_rows.append(
                    {
                        "stakeholder_id": pid,
                        "initiative_id": initiative_id,
                        "assessed_on": day,
                        **values,
                    }
                )
                continue
            before = {k: old[k] for k in values}
            replaced[int(old["id"])], written[int(old["id"])] = before, values
            crud.update_in(session, m.Assessment, int(old["id"]), **values)
        created: list[int] = []
        if new_rows:
            stmt = insert(A).returning(A.c.id, sort_by_parameter_order=True)
            created = [int(r[0]) for r in session.execute(stmt, new_rows)]
            entries = [
                AuditEntry("create", "assessment", ident, None, None, _audit_values(row))
                for ident, row in zip(created, new_rows, strict=True)
            ]
        write_audit(session, entries)
    made = {ident: dict(row) for ident, row in zip(created, new_rows, strict=True)}
    return RecordedRound(initiative_id, day, tuple(created), replaced, written, made)


def undo_round(ws: Workspace, recorded: RecordedRound) -> Written[DeletedSnapshot | None]:
    """Take a recorded round back: delete what it created, restore what it overwrote.

    Refused (ConflictError, nothing changed) if someone else has changed one of those
    assessments since the round was recorded."""
    with ws.session() as session:
        refuse_changed(session, A, list(recorded.created_values.items()), SINCE_EDIT)
        snapshot = (
            crud.delete_rows_in(session, m.Assessment, list(recorded.created))
            if recorded.created
            else None
        )
        for ident, values in recorded.replaced.items():
            expected = recorded.written.get(ident)
            crud.update_in(session, m.Assessment, ident, expected=expected, **values)
    return Written(snapshot, recorded.changes)


def redo_round(
    ws: Workspace, recorded: RecordedRound, snapshot: DeletedSnapshot | None
) -> ChangeSet:
    """Apply a round again after :func:`undo_round` (same ids, so later commands still match)."""
    with ws.session() as session:
        if snapshot is not None:
            crud.restore_in(session, snapshot)
        for ident, values in recorded.written.items():
            expected = recorded.replaced.get(ident)
            crud.update_in(
                session, m.Assessment, ident, expected=expected, since=SINCE_UNDO, **values
            )
    return recorded.changes


def round_on(
    ws: Workspace, initiative_id: int, assessed_on: date, people: Sequence[int]
) -> dict[int, tuple[AdkarScores, str]]:
    """Scores and notes already stored for ``people`` on that date (to pre-fill a grid)."""
    with ws.read_session() as session:
        found = _on_date(session, initiative_id, assessed_on, people)
    return {
        pid: (AdkarScores(*(int(r[c]) for c in ADKAR_COLUMNS)), r["note"] or "")
        for pid, r in found.items()
    }


def _on_date(
    session: Session, initiative_id: int, day: date, people: Sequence[int]
) -> dict[int, Any]:
    ordered = sorted(set(people))
    found: dict[int, Any] = {}
    for start in range(0, len(ordered), CHUNK):
        stmt = (
            select(A)
            .where(A.c.initiative_id == initiative_id, A.c.assessed_on == day)
            .where(A.c.stakeholder_id.in_(ordered[start : start + CHUNK]))
            .order_by(A.c.id)
        )
        for row in session.execute(stmt).mappings():
            found[int(row["stakeholder_id"])] = row  # the latest id on that date wins
    return found


def _audit_values(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v not in (None, "")}


# -- who is in a survey ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyPerson:
    id: int
    name: str
    title: str


def survey_departments(ws: Workspace) -> list[tuple[str, int]]:
    """Departments with their headcount, by name (people without one under "")."""
    with ws.read_session() as session:
        rows = session.execute(select(S.c.department, func.count()).group_by(S.c.department)).all()
    counts: dict[str, int] = {}
    for name, count in rows:
        counts[name or ""] = counts.get(name or "", 0) + int(count)
    return sorted(counts.items(), key=lambda item: (item[0] == "", item[0].casefold()))


def survey_people(ws: Workspace, department: str) -> list[SurveyPerson]:
    """The people of a department ("" = no department), by name."""
    with ws.read_session() as session:
        where = (
            (S.c.department == "") | S.c.department.is_(None)
            if not department
            else S.c.department == department
        )
        rows = session.execute(
            select(S.c.id, S.c.name, S.c.title).where(where).order_by(S.c.name, S.c.id)
        ).all()
    return [SurveyPerson(int(i), n, t or "") for i, n, t in rows]
