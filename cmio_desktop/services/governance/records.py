"""Risks (with linked people), the governance decisions log and demand requests."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, delete, insert, or_, select, type_coerce

from cmio_desktop import models as m
from cmio_desktop.enums import Criticality, Priority, RequestStatus, RiskStatus
from cmio_desktop.services import crud
from cmio_desktop.services.audit import AuditEntry, write_audit
from cmio_desktop.services.changes import ChangeKind, ChangeSet, Written
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.store import Workspace

RISK = m.Risk.__table__
LINK = m.RiskStakeholder.__table__
DEC = m.Decision.__table__
REQ = m.Request.__table__
S = m.Stakeholder.__table__

RISK_FIELDS = (
    "description",
    "likelihood",
    "impact",
    "mitigation",
    "owner",
    "status",
    "criticality",
)
DECISION_FIELDS = ("committee", "decided_on", "decision", "rationale")
REQUEST_FIELDS = ("requester_id", "summary", "detail", "priority", "status", "received_on")


@dataclass(frozen=True)
class RiskRow:
    id: int
    description: str
    likelihood: int
    impact: int
    mitigation: str
    owner: str
    status: str
    criticality: str
    people: tuple[int, ...]
    people_names: tuple[str, ...]
    version: int = 0  # the row version as read: an edit or delete made on it checks it

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def is_open(self) -> bool:
        return self.status != RiskStatus.CLOSED.value

    @property
    def status_label(self) -> str:
        return RiskStatus(self.status).label

    @property
    def criticality_label(self) -> str:
        return Criticality(self.criticality).label


@dataclass(frozen=True)
class DecisionRow:
    id: int
    committee: str
    decided_on: date
    decision: str
    rationale: str
    version: int = 0


@dataclass(frozen=True)
class RequestRow:
    id: int
    requester_id: int | None
    requester: str
    summary: str
    detail: str
    priority: str
    status: str
    received_on: date
    version: int = 0

    @property
    def priority_label(self) -> str:
        return Priority(self.priority).label

    @property
    def status_label(self) -> str:
        return RequestStatus(self.status).label


def list_risks(ws: Workspace, initiative_id: int) -> list[RiskRow]:
    stmt = select(
        RISK.c.id, RISK.c.description, RISK.c.likelihood, RISK.c.impact, RISK.c.mitigation,
        RISK.c.owner, type_coerce(RISK.c.status, String), type_coerce(RISK.c.criticality, String),
        RISK.c.version,
    ).where(RISK.c.initiative_id == initiative_id).order_by(RISK.c.id)  # fmt: skip
    with ws.read_session() as session:
        raw = session.execute(stmt).all()
        links: dict[int, list[tuple[int, str]]] = defaultdict(list)
        ids = [r[0] for r in raw]
        if ids:
            for risk_id, person, name in session.execute(
                select(LINK.c.risk_id, S.c.id, S.c.name)
                .join(S, S.c.id == LINK.c.stakeholder_id)
                .where(LINK.c.risk_id.in_(ids))
                .order_by(S.c.name)
            ):
                links[risk_id].append((int(person), name))
    return [
        RiskRow(
            int(i), d, int(li), int(im), mi or "", o or "", st, cr,
            tuple(p for p, _ in links[i]), tuple(n for _, n in links[i]), int(v),
        )
        for i, d, li, im, mi, o, st, cr, v in raw
    ]  # fmt: skip


def risk_matrix(risks: Sequence[RiskRow], open_only: bool = True) -> list[list[int]]:
    """Counts per cell: ``matrix[likelihood - 1][impact - 1]``."""
    matrix = [[0] * 5 for _ in range(5)]
    for r in risks:
        if open_only and not r.is_open:
            continue
        matrix[r.likelihood - 1][r.impact - 1] += 1
    return matrix


def _check(values: dict[str, Any], allowed: Sequence[str], what: str, required: str) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ServiceError(f"A {what} has no field {', '.join(sorted(unknown))}.")
    if required in values and not str(values[required] or "").strip():
        raise ServiceError(f"The {what} needs a {required.replace('_', ' ')}.")


def create_risk(
    ws: Workspace, initiative_id: int, values: dict[str, Any], people: Sequence[int] = ()
) -> Written[int]:
    _check(values, RISK_FIELDS, "risk", "description")
    with ws.session() as session:
        record = crud.create_in(session, m.Risk, initiative_id=initiative_id, **values)
        _set_links(session, int(record.id), people, [])
        return Written(int(record.id), record.changes)


def update_risk(
    ws: Workspace, ident: int, values: dict[str, Any], people: Sequence[int] | None = None
) -> Written[tuple[dict[str, Any], tuple[int, ...]]]:
    """Returns the previous values and linked people, for undo."""
    _check(values, RISK_FIELDS, "risk", "description")
    with ws.session() as session:
        obj = session.get(m.Risk, ident)
        if obj is None:
            raise NotFoundError(f"That risk no longer exists (id {ident}).")
        old = crud.to_record(obj)
        linked = tuple(
            int(p)
            for (p,) in session.execute(
                select(LINK.c.stakeholder_id).where(LINK.c.risk_id == ident)
            )
        )
        if values:
            crud.update_in(session, m.Risk, ident, **values)
        if people is not None and set(people) != set(linked):
            _set_links(session, ident, people, linked)
        changes = ChangeSet.of(ChangeKind.RISK, ids=[ident])
        return Written(({k: getattr(old, k) for k in values}, linked), changes)


def _set_links(session: Any, risk_id: int, people: Sequence[int], old: Sequence[int]) -> None:
    new = sorted(set(people))
    if set(new) == set(old):
        return
    session.execute(delete(LINK).where(LINK.c.risk_id == risk_id))
    if new:
        session.execute(insert(LINK), [{"risk_id": risk_id, "stakeholder_id": p} for p in new])
    write_audit(
        session, [AuditEntry("update", "risk", risk_id, "people", sorted(old) or None, new or None)]
    )


def delete_risks(ws: Workspace, ids: Sequence[int]) -> crud.DeletedSnapshot:
    return crud.delete_rows(ws, m.Risk, list(ids))


def list_decisions(ws: Workspace, initiative_id: int) -> list[DecisionRow]:
    stmt = (
        select(
            DEC.c.id,
            DEC.c.committee,
            DEC.c.decided_on,
            DEC.c.decision,
            DEC.c.rationale,
            DEC.c.version,
        )
        .where(DEC.c.initiative_id == initiative_id)
        .order_by(DEC.c.decided_on.desc(), DEC.c.id.desc())
    )
    with ws.read_session() as session:
        return [
            DecisionRow(int(i), c, d, t, r or "", int(v))
            for i, c, d, t, r, v in session.execute(stmt)
        ]


def list_requests(ws: Workspace, initiative_id: int) -> list[RequestRow]:
    """Requests for the initiative, plus requests not tied to any initiative."""
    stmt = (
        select(
            REQ.c.id, REQ.c.requester_id, S.c.name, REQ.c.summary, REQ.c.detail,
            type_coerce(REQ.c.priority, String), type_coerce(REQ.c.status, String),
            REQ.c.received_on, REQ.c.version,
        )
        .outerjoin(S, S.c.id == REQ.c.requester_id)
        .where(or_(REQ.c.initiative_id == initiative_id, REQ.c.initiative_id.is_(None)))
        .order_by(REQ.c.received_on.desc(), REQ.c.id.desc())
    )  # fmt: skip
    with ws.read_session() as session:
        return [
            RequestRow(int(i), rid, name or "", s, d or "", p, st, when, int(v))
            for i, rid, name, s, d, p, st, when, v in session.execute(stmt)
        ]


_ENTITIES = {
    "decision": (m.Decision, DECISION_FIELDS, "decision"),
    "request": (m.Request, REQUEST_FIELDS, "summary"),
}


def create_record(
    ws: Workspace, kind: str, initiative_id: int, values: dict[str, Any]
) -> Written[int]:
    """Create a decision or a request."""
    entity, allowed, required = _ENTITIES[kind]
    _check(values, allowed, kind, required)
    record = crud.create(ws, entity, initiative_id=initiative_id, **values)
    return Written(int(record.id), record.changes)


def update_record(
    ws: Workspace, kind: str, ident: int, values: dict[str, Any]
) -> Written[dict[str, Any]]:
    entity, allowed, required = _ENTITIES[kind]
    _check(values, allowed, kind, required)
    old = crud.get(ws, entity, ident)
    new = crud.update(ws, entity, ident, **values)
    return Written({k: getattr(old, k) for k in values}, new.changes)


def delete_records(ws: Workspace, kind: str, ids: Sequence[int]) -> crud.DeletedSnapshot:
    return crud.delete_rows(ws, _ENTITIES[kind][0], list(ids))
