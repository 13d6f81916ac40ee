"""ADKAR assessments: add, edit and delete one round of one person (audited; deletes return
a snapshot for undo), a person's rounds, and each person's current readiness — derived through
``analysis.adkar``, never re-implemented: readiness, barrier point (stored setting: first or
lowest), ready or not, change since the previous round, and the SEAM gap.

Input is checked first (``readiness_input``); bad input raises ``AssessmentInputError`` and
nothing is written. Whole survey rounds are in ``readiness_rounds`` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.analysis import adkar
from cmio_desktop.analysis.adkar import AdkarScores, ReadinessSettings
from cmio_desktop.analysis.grids import attitude_gap
from cmio_desktop.enums import AdkarElement, Attitude
from cmio_desktop.models import ADKAR_COLUMNS
from cmio_desktop.services import crud
from cmio_desktop.services.analysis_settings import readiness_settings_in
from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.services.conflicts import SINCE_EDIT
from cmio_desktop.services.crud import DeletedSnapshot
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.services.readiness.rounds import (
    RecordedRound,
    RoundEntry,
    check_round,
    record_round,
    redo_round,
    round_on,
    undo_round,
)
from cmio_desktop.services.readiness.score_input import (
    CHUNK,
    AssessmentInputError,
    InputProblem,
    checked_date,
    initiative_name,
    parse_date,
    parse_score,
    parse_scores,
    person_names,
    score_values,
)
from cmio_desktop.store import Workspace

__all__ = [
    "AssessmentInputError",
    "AssessmentRow",
    "InputProblem",
    "PersonReadinessView",
    "RecordedRound",
    "RoundEntry",
    "add_assessment",
    "check_round",
    "delete_assessments",
    "get_assessment",
    "latest_readiness",
    "parse_date",
    "parse_score",
    "parse_scores",
    "person_rounds",
    "record_round",
    "redo_round",
    "restore_assessments",
    "round_on",
    "undo_round",
    "update_assessment",
]

A = m.Assessment.__table__
S = m.Stakeholder.__table__

# -- one assessment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentRow:
    """One stored round of one person, with its derived readiness and barrier point."""

    id: int
    stakeholder_id: int
    initiative_id: int
    assessed_on: date
    scores: AdkarScores
    assessor: str
    note: str
    readiness: float
    barrier: AdkarElement | None
    change: float | None = None  # readiness change since this person's previous round

    @property
    def changes(self) -> ChangeSet:
        """What writing this round changed (a round as written is a write's result)."""
        return ChangeSet.of(ChangeKind.ASSESSMENT, ids=[self.id])


def _row(record: Any, settings: ReadinessSettings, change: float | None = None) -> AssessmentRow:
    scores = AdkarScores(*(int(record[c]) for c in ADKAR_COLUMNS))
    return AssessmentRow(
        id=int(record["id"]),
        stakeholder_id=int(record["stakeholder_id"]),
        initiative_id=int(record["initiative_id"]),
        assessed_on=record["assessed_on"],
        scores=scores,
        assessor=record["assessor"] or "",
        note=record["note"] or "",
        readiness=adkar.readiness(scores),
        barrier=adkar.barrier_point(scores, settings.barrier_mode, settings.barrier_max),
        change=change,
    )


def add_assessment(
    ws: Workspace,
    person_id: int,
    initiative_id: int,
    assessed_on: Any,
    scores: Any,
    assessor: str = "",
    note: str = "",
    *,
    today: date | None = None,
) -> AssessmentRow:
    """Record one round for one person (audited)."""
    checked = parse_scores(scores, person_id)
    day = checked_date(assessed_on, today)
    with ws.session() as session:
        initiative_name(session, initiative_id)
        if not person_names(session, [person_id]):
            raise AssessmentInputError(
                [InputProblem(person_id, "person", f"There is no stakeholder with id {person_id}")]
            )
        record = crud.create_in(
            session,
            m.Assessment,
            stakeholder_id=person_id,
            initiative_id=initiative_id,
            assessed_on=day,
            assessor=(assessor or "").strip(),
            note=(note or "").strip(),
            **score_values(checked),
        )
        return _row(record.__dict__, readiness_settings_in(session))


def get_assessment(ws: Workspace, assessment_id: int) -> AssessmentRow:
    with ws.read_session() as session:
        record = session.execute(select(A).where(A.c.id == assessment_id)).mappings().first()
        if record is None:
            raise NotFoundError(f"That assessment no longer exists (id {assessment_id}).")
        return _row(record, readiness_settings_in(session))


def assessment_values(row: AssessmentRow) -> dict[str, Any]:
    """The editable values of a row, as ``update_assessment`` takes them (for undo)."""
    return {
        "assessed_on": row.assessed_on,
        "assessor": row.assessor,
        "note": row.note,
        **score_values(row.scores),
    }


def update_assessment(
    ws: Workspace,
    assessment_id: int,
    *,
    today: date | None = None,
    expected: Mapping[str, Any] | None = None,
    since: str = SINCE_EDIT,
    **changes: Any,
) -> AssessmentRow:
    """Change scores (``scores=`` or single element names), date, assessor or note (audited).

    With ``expected`` (same form as the changes), refuse if someone else changed those fields."""
    values = _assessment_values(changes, today)
    wanted = _assessment_values(dict(expected), today) if expected else None
    with ws.session() as session:
        record = crud.update_in(
            session, m.Assessment, assessment_id, expected=wanted, since=since, **values
        )
        return _row(record.__dict__, readiness_settings_in(session))


def _assessment_values(changes: Mapping[str, Any], today: date | None) -> dict[str, Any]:
    allowed = {"scores", "assessed_on", "assessor", "note", *ADKAR_COLUMNS}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ServiceError(f"An assessment has no field '{unknown[0]}'.")
    values: dict[str, Any] = {}
    if "scores" in changes:
        values.update(score_values(parse_scores(changes["scores"])))
    problems = []
    for column in ADKAR_COLUMNS:
        if column in changes:
            try:
                values[column] = parse_score(changes[column], column)
            except ValueError as exc:
                problems.append(InputProblem(None, column, str(exc)))
    if problems:
        raise AssessmentInputError(problems)
    if "assessed_on" in changes:
        values["assessed_on"] = checked_date(changes["assessed_on"], today)
    for column in ("assessor", "note"):
        if column in changes:
            values[column] = str(changes[column] or "").strip()
    return values


def delete_assessments(ws: Workspace, ids: Sequence[int]) -> DeletedSnapshot:
    """Delete rounds (audited); the snapshot restores them exactly (undo)."""
    return crud.delete_rows(ws, m.Assessment, list(ids))


def restore_assessments(ws: Workspace, snapshot: DeletedSnapshot) -> ChangeSet:
    return crud.restore(ws, snapshot)


def person_rounds(ws: Workspace, person_id: int, initiative_id: int) -> list[AssessmentRow]:
    """A person's rounds for the initiative, oldest first, each with its change since the
    previous round."""
    with ws.read_session() as session:
        settings = readiness_settings_in(session)
        stmt = (
            select(A)
            .where(A.c.stakeholder_id == person_id, A.c.initiative_id == initiative_id)
            .order_by(A.c.assessed_on, A.c.id)
        )
        records = session.execute(stmt).mappings().all()
    rows: list[AssessmentRow] = []
    for record in records:
        row = _row(record, settings)
        change = row.readiness - rows[-1].readiness if rows else None
        rows.append(_row(record, settings, change))
    return rows


# -- derived: each person's current readiness -----------------------------------------------------


@dataclass(frozen=True)
class PersonReadinessView:
    """A person's current readiness for an initiative (latest round) and what it means."""

    person_id: int
    assessed_on: date
    scores: AdkarScores
    readiness: float
    barrier: AdkarElement | None
    ready: bool
    change: float | None  # since the previous round; None for a first round
    previous_on: date | None
    previous_readiness: float | None
    rounds: int
    seam_gap: int | None  # desired − current attitude, in SEAM steps


def load_assessments(
    session: Session, initiative_id: int, people: Sequence[int] | None = None
) -> list[adkar.Assessment]:
    """The initiative's rounds as ``analysis.adkar.Assessment`` (row id as the tie-breaker).
    Equal score patterns share one ``AdkarScores`` (at most 5⁵ of them)."""
    columns = (A.c.stakeholder_id, A.c.assessed_on, A.c.id, *(A.c[c] for c in ADKAR_COLUMNS))
    base = select(*columns).where(A.c.initiative_id == initiative_id)
    chunks: list[Any] = [None]
    if people is not None:
        ordered = sorted(set(people))
        chunks = [ordered[s : s + CHUNK] for s in range(0, len(ordered), CHUNK)]
    interned: dict[tuple[int, ...], AdkarScores] = {}
    out: list[adkar.Assessment] = []
    for part in chunks:
        stmt = base if part is None else base.where(A.c.stakeholder_id.in_(part))
        for sid, day, ident, *scores in session.execute(stmt):
            key = tuple(scores)
            sc = interned.get(key)
            if sc is None:
                sc = interned[key] = AdkarScores(*key)
            out.append(adkar.Assessment(sid, day, sc, ident))
    return out


def latest_scores_in(
    session: Session, initiative_id: int, people: Sequence[int] | None = None
) -> dict[int, AdkarScores]:
    """Each assessed person's latest scores (``analysis.adkar.latest_per_person``)."""
    latest = adkar.latest_per_person(load_assessments(session, initiative_id, people))
    return {int(pid): pr.scores for pid, pr in latest.items()}  # type: ignore[call-overload]


def latest_readiness_in(
    session: Session,
    initiative_id: int,
    people: Sequence[int] | None = None,
    settings: ReadinessSettings | None = None,
) -> dict[int, PersonReadinessView]:
    settings = settings or readiness_settings_in(session)
    latest = adkar.latest_per_person(load_assessments(session, initiative_id, people))
    stmt = select(S.c.id, S.c.attitude, S.c.desired_attitude)
    if people is not None and len(latest) <= CHUNK:
        stmt = stmt.where(S.c.id.in_(sorted(latest)))
    gaps: dict[tuple[Any, Any], int | None] = {}
    seam: dict[int, int | None] = {}
    for ident, current, desired in session.execute(stmt):
        if ident in latest:
            key = (current, desired)
            if key not in gaps:  # 25 attitude pairs at most
                gaps[key] = _gap(current, desired)
            seam[int(ident)] = gaps[key]
    derived: dict[AdkarScores, tuple[AdkarElement | None, bool]] = {}
    out: dict[int, PersonReadinessView] = {}
    for pid, pr in latest.items():
        scores = pr.scores
        found = derived.get(scores)
        if found is None:  # 5⁵ score patterns at most
            found = derived[scores] = (
                adkar.barrier_point(scores, settings.barrier_mode, settings.barrier_max),
                adkar.is_ready(scores, settings),
            )
        out[int(pid)] = _view(pr, found, seam.get(int(pid)))  # type: ignore[call-overload]
    return out


def _gap(current: Any, desired: Any) -> int | None:
    try:
        return attitude_gap(Attitude(current), Attitude(desired))
    except ValueError:
        return None


def _view(
    pr: adkar.PersonReadiness, derived: tuple[AdkarElement | None, bool], gap: int | None
) -> PersonReadinessView:
    previous = pr.previous
    return PersonReadinessView(
        person_id=int(pr.person_id),  # type: ignore[call-overload]
        assessed_on=pr.latest.taken_on,
        scores=pr.scores,
        readiness=pr.readiness,
        barrier=derived[0],
        ready=derived[1],
        change=pr.change,
        previous_on=previous.taken_on if previous else None,
        previous_readiness=adkar.readiness(previous.scores) if previous else None,
        rounds=pr.rounds,
        seam_gap=gap,
    )


def latest_readiness(
    ws: Workspace, initiative_id: int, people: Sequence[int] | None = None
) -> dict[int, PersonReadinessView]:
    """Each assessed person's current readiness for the initiative: latest round (by date, then
    row id), barrier point under the stored setting, ready or not, change since the previous
    round and SEAM gap. People without a round are absent."""
    with ws.read_session() as session:
        initiative_name(session, initiative_id)
        return latest_readiness_in(session, initiative_id, people)
