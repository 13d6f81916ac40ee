"""Change impact per initiative and department or role: rate it (audited, undoable), read it,
and find the red zone — high impact where readiness is below the ready threshold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, select, type_coerce

from cmio_desktop import models as m
from cmio_desktop.analysis.change_load import HIGH, impact_degree, impact_score
from cmio_desktop.enums import Role
from cmio_desktop.models.impact import IMPACT_ASPECTS
from cmio_desktop.services import crud
from cmio_desktop.services.changes import ChangeKind, ChangeSet, Written
from cmio_desktop.services.conflicts import SINCE_EDIT
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.services.plan.facts import department_readiness, people_facts
from cmio_desktop.services.portfolio.departments import department_names_in, known_department
from cmio_desktop.store import Workspace

IMP = m.ChangeImpact.__table__
ASPECT_LABELS = {
    "people": "People",
    "process": "Process",
    "technology": "Technology",
    "workflow": "Workflow",
    "training_hours": "Training hours",
    "job_role": "Job role",
    "reporting": "Reporting",
}


@dataclass(frozen=True)
class ImpactRow:
    id: int
    initiative_id: int
    department: str  # "" = every department
    role: str | None  # None = every role
    aspects: dict[str, int]
    score: float
    degree: str  # low / medium / high
    version: int = 0  # the row version as read: a re-rating or delete made on it checks it

    @property
    def scope(self) -> str:
        where = self.department or "All departments"
        return f"{where} · {Role(self.role).label}" if self.role else where


@dataclass(frozen=True)
class RedZoneRow:
    department: str
    degree: str
    score: float
    readiness: float | None  # mean of the assessed; None when nobody is
    assessed: int
    red: bool  # high impact and readiness below the ready threshold (or not assessed)
    rating: ImpactRow | None = None  # the rating that counts for the department


def check_aspects(aspects: Mapping[str, Any]) -> dict[str, int]:
    unknown = set(aspects) - set(IMPACT_ASPECTS)
    if unknown:
        raise ServiceError(f"Change impact has no aspect {', '.join(sorted(unknown))}.")
    out = {}
    for aspect in IMPACT_ASPECTS:
        value = aspects.get(aspect, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 5:
            raise ServiceError(f"{ASPECT_LABELS[aspect]} impact is a whole number from 0 to 5.")
        out[aspect] = value
    return out


def set_impact(
    ws: Workspace,
    initiative_id: int,
    department: str,
    role: Role | str | None,
    aspects: Mapping[str, Any],
    expected: Mapping[str, Any] | None = None,
    since: str = SINCE_EDIT,
) -> Written[int]:
    """Rate (or re-rate) the impact on a department (``""``: all) and role (``None``: all).

    With ``expected`` (aspects, and the row version, as the re-rating was shown them), an
    existing rating someone else changed since is not overwritten: ConflictError."""
    checked = check_aspects(aspects)
    role_value = Role(role).value if role else None
    with ws.session() as session:
        if session.get(m.Initiative, initiative_id) is None:
            raise NotFoundError(f"That initiative no longer exists (id {initiative_id}).")
        # The register's spelling, never a typo nobody is in (the dialog checks it too).
        department = known_department(department, department_names_in(session))
        stmt = select(IMP.c.id).where(
            IMP.c.initiative_id == initiative_id,
            IMP.c.department == department,
            type_coerce(IMP.c.role, String).is_(None)
            if role_value is None
            else type_coerce(IMP.c.role, String) == role_value,
        )
        existing = session.execute(stmt).scalar()
        if existing is None:
            existing = crud.create_in(
                session, m.ChangeImpact, initiative_id=initiative_id, department=department,
                role=role_value, **checked,
            ).id  # fmt: skip
        else:
            crud.update_in(
                session, m.ChangeImpact, existing, expected=expected, since=since, **checked
            )
    return Written(int(existing), ChangeSet.of(ChangeKind.IMPACT, ids=[int(existing)]))


def delete_impacts(ws: Workspace, ids: Sequence[int]) -> crud.DeletedSnapshot:
    return crud.delete_rows(ws, m.ChangeImpact, list(ids))


def restore_impacts(ws: Workspace, snapshot: crud.DeletedSnapshot) -> ChangeSet:
    return crud.restore(ws, snapshot)


def list_impacts(ws: Workspace, initiative_id: int | None = None) -> list[ImpactRow]:
    with ws.read_session() as session:
        return impacts_in(session, initiative_id)


def impacts_in(session: Any, initiative_id: int | None = None) -> list[ImpactRow]:
    stmt = select(
        IMP.c.id, IMP.c.initiative_id, IMP.c.department, type_coerce(IMP.c.role, String),
        IMP.c.version, *(IMP.c[a] for a in IMPACT_ASPECTS),
    ).order_by(IMP.c.initiative_id, IMP.c.department, IMP.c.id)  # fmt: skip
    if initiative_id is not None:
        stmt = stmt.where(IMP.c.initiative_id == initiative_id)
    out = []
    for ident, initiative, department, role, version, *values in session.execute(stmt):
        aspects = dict(zip(IMPACT_ASPECTS, (int(v) for v in values), strict=True))
        scores = list(aspects.values())
        out.append(
            ImpactRow(
                int(ident), int(initiative), department or "", role, aspects,
                impact_score(scores), impact_degree(scores), int(version),
            )
        )  # fmt: skip
    return out


def red_zone(ws: Workspace, initiative_id: int) -> list[RedZoneRow]:
    """Per department rated for the initiative (a rating for all departments applies to each;
    the highest rating of a department's rows counts): its degree of impact next to its mean
    readiness, red when impact is high and readiness is below the ready threshold."""
    facts = people_facts(ws, initiative_id)
    readiness = {d: (mean, n) for d, mean, n in department_readiness(facts)}
    threshold = facts.readiness_settings.ready_threshold
    departments = sorted({p.department for p in facts.people if p.department and not p.is_body})
    worst: dict[str, ImpactRow] = {}
    for row in list_impacts(ws, initiative_id):
        for department in [row.department] if row.department else departments:
            if department not in worst or row.score > worst[department].score:
                worst[department] = row
    out = []
    for department, row in worst.items():
        mean, assessed = readiness.get(department, (None, 0))
        red = row.degree == HIGH and (mean is None or mean < threshold)
        out.append(RedZoneRow(department, row.degree, row.score, mean, assessed, red, row))
    return sorted(out, key=lambda r: (not r.red, -r.score, r.department))
