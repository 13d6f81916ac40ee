"""Generate a proposed plan from the workspace, and accept proposals as activities.

Inputs for ``analysis.plan_generator``: people with their barrier points and quadrants
(``plan_facts``); network influence, communities, key resisters and champions from the one
network analysis (``services.network``, cached) — never recomputed here; training gaps; every
activity that is not cancelled (so nobody is double-booked and nothing already covered is
proposed again); the blackout periods and working days stored with the workspace
(``plan_settings``). Accepting writes every chosen proposal in one transaction;
:func:`undo_accept` deletes them again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from cmio_desktop import models as m
from cmio_desktop.analysis.grids import quadrant
from cmio_desktop.analysis.network_results import NetworkAnalysis
from cmio_desktop.analysis.plan_generator import (
    BookedActivity,
    CourseGap,
    GeneratedPlan,
    GeneratorInputs,
    GeneratorSettings,
    PlanPerson,
    Proposal,
    generate_plan,
)
from cmio_desktop.enums import ActivityStatus, ActivityType, AdkarElement
from cmio_desktop.services import crud
from cmio_desktop.services.audit import AuditEntry, write_audit
from cmio_desktop.services.bulk import bulk_insert
from cmio_desktop.services.changes import ChangeKind, ChangeSet, Written
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.network.key_people import champion_ids
from cmio_desktop.services.plan.activities import (
    ACT,
    AUD,
    audiences_in,
    create_activity_in,
    people_index_in,
    resolve_audience,
)
from cmio_desktop.services.plan.facts import PeopleFacts, people_facts
from cmio_desktop.services.plan.settings import generator_settings
from cmio_desktop.services.portfolio.load import saturated_weeks_by_department
from cmio_desktop.store import Workspace

log = logging.getLogger(__name__)
Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class GenerationResult:
    initiative_id: int
    today: date
    go_live: date
    plan: GeneratedPlan
    champions: tuple[int, ...]  # NetworkAnalysis.champions as ids, in the order chosen
    names: dict[int, str]
    settings: GeneratorSettings


def _quiet(_percent: int, _text: str) -> None:
    return None


def _network(ws: Workspace, initiative_id: int) -> NetworkAnalysis | None:
    from cmio_desktop.services.network import analysis as network

    try:
        return network.analyze(ws, initiative_id)
    except Exception:  # an unusual graph must not stop the plan; degrade to no network data
        log.warning("Network analysis failed; planning without it", exc_info=True)
        return None


def _plan_people(facts: PeopleFacts, analysis: NetworkAnalysis | None) -> tuple[PlanPerson, ...]:
    out = []
    for p in facts.people:
        if p.is_body:
            continue
        pos = analysis.position_of(p.id) if analysis is not None else None
        net = analysis if pos is not None else None
        out.append(
            PlanPerson(
                id=p.id,
                name=p.name,
                department=p.department,
                attitude=p.attitude,
                barrier=AdkarElement(p.barrier) if p.barrier else None,
                readiness=p.readiness,
                key_player=quadrant(p.power, p.interest, facts.grid).value == "key_player",
                influence=float(net.influence[pos]) if net else 0.0,
                hot_spot=bool(net.hot_spot[pos]) if net else False,
                group=p.group,
                key_resister=bool(net.key_resister[pos]) if net else False,
                ready=bool(net.ready[pos]) if net else bool(p.ready),
                community=int(net.community[pos]) if net else -1,
            )
        )
    return tuple(out)


def _gaps(facts: PeopleFacts) -> tuple[CourseGap, ...]:
    gaps = []
    for course in facts.courses:
        untrained = tuple(
            p.id
            for p in facts.people
            if course.id in facts.required_of(p)
            and course.id not in facts.completed.get(p.id, frozenset())
        )
        if untrained:
            gaps.append(CourseGap(course.id, course.name, course.required_by, untrained))
    return tuple(gaps)


def _booked(session: Session, initiative_id: int) -> tuple[BookedActivity, ...]:
    """Every activity that is not cancelled, with its audience resolved to people."""
    index = people_index_in(session)
    audiences = audiences_in(session, ACT.c.initiative_id == initiative_id)
    stmt = select(
        ACT.c.id, ACT.c.start, ACT.c.due, type_coerce(ACT.c.element, String),
        type_coerce(ACT.c.type, String), ACT.c.owner, type_coerce(ACT.c.status, String),
        ACT.c.title,
    ).where(
        ACT.c.initiative_id == initiative_id,
        type_coerce(ACT.c.status, String) != ActivityStatus.CANCELLED.value,
    )  # fmt: skip
    out = []
    for i, start, due, element, kind, owner, status, title in session.execute(stmt):
        entries = audiences.get(i, ())
        named = frozenset(e.stakeholder_id for e in entries if e.stakeholder_id is not None)
        out.append(
            BookedActivity(
                frozenset(resolve_audience(entries, index)), start, due,
                AdkarElement(element) if element else None, ActivityType(kind), owner or "",
                named, status, title or "",
            )
        )  # fmt: skip
    return tuple(out)


def generate(
    ws: Workspace,
    initiative_id: int | None,
    today: date | None = None,
    settings: GeneratorSettings | None = None,
    progress: Progress | None = None,
) -> GenerationResult:
    report = progress or _quiet
    today = today or date.today()
    report(5, "Reading people, readiness and training…")
    facts = people_facts(ws, initiative_id)
    with ws.read_session() as session:
        if facts.initiative is None:
            raise ServiceError("Create an initiative first.")
        if facts.initiative.go_live is None:
            raise ServiceError(f"Set a go-live date for {facts.initiative.name} to plan back from.")
        booked = _booked(session, facts.initiative.id)
    ident, go_live = facts.initiative.id, facts.initiative.go_live
    settings = settings or generator_settings(ws)
    report(30, "Finding key resisters and champions…")
    analysis = _network(ws, ident)
    champions = tuple(champion_ids(analysis)) if analysis is not None else ()
    report(85, "Scheduling proposals…")
    saturated = {d: frozenset(w) for d, w in saturated_weeks_by_department(ws).items()}
    inputs = GeneratorInputs(
        today, go_live, _plan_people(facts, analysis), champions, _gaps(facts), booked, saturated
    )
    plan = generate_plan(inputs, settings)
    report(100, "Done")
    names = {p.id: p.name for p in facts.people}
    return GenerationResult(ident, today, go_live, plan, champions, names, settings)


def accept(ws: Workspace, initiative_id: int, proposals: Sequence[Proposal]) -> Written[list[int]]:
    """Create the proposals as planned activities, in one transaction; returns their ids.
    Audiences (every person named) go in with one bulk insert and their audit rows — a
    generated plan at 5,000 people names thousands."""
    with ws.session() as session:
        ids = [
            create_activity_in(
                session,
                initiative_id,
                {
                    "title": p.title,
                    "type": p.type,
                    "element": p.element,
                    "owner": p.owner,
                    "start": p.start,
                    "due": p.due,
                    "status": ActivityStatus.PLANNED,
                    "outcome": f"Proposed by the plan generator: {p.reason}"[:4000],
                },
                [],
            )
            for p in proposals
        ]
        rows = [
            {"activity_id": ident, "stakeholder_id": person}
            for ident, p in zip(ids, proposals, strict=True)
            for person in dict.fromkeys(p.people)
        ]
        bulk_insert(session, AUD.name, rows)
        written = session.execute(
            select(AUD.c.id, AUD.c.activity_id, AUD.c.stakeholder_id)
            .where(AUD.c.activity_id.in_(ids))
            .order_by(AUD.c.id)
        )
        write_audit(
            session,
            [
                AuditEntry("create", AUD.name, i, None, None,
                           {"activity_id": a, "stakeholder_id": s})
                for i, a, s in written
            ],
        )  # fmt: skip
        return Written(ids, ChangeSet.of(ChangeKind.ACTIVITY, ids=ids))


def undo_accept(ws: Workspace, ids: Sequence[int]) -> crud.DeletedSnapshot:
    return crud.delete_rows(ws, m.Activity, list(ids))


def proposal_json(p: Proposal, names: dict[int, str]) -> dict[str, object]:
    return {
        "key": p.key,
        "title": p.title,
        "type": p.type.value,
        "element": p.element.value if p.element else None,
        "owner": p.owner,
        "start": p.start.isoformat(),
        "due": p.due.isoformat(),
        "department": p.department,
        "audience": [{"id": i, "name": names.get(i, "")} for i in p.people],
        "leader": None if p.leader is None else {"id": p.leader, "name": names.get(p.leader, "")},
        "reason": p.reason,
    }
