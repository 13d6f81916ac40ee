"""Generate a proposed plan from the workspace, and accept proposals as activities.

Inputs for ``analysis.plan_generator``: people with their barrier points and quadrants
(``plan_facts``), influence and hot spots (``services.network``, cached), the champion
recommender's picks (``services.forecast_service``, when the initiative has a go-live date),
training gaps, and the open activities already planned (so nobody is double-booked and people
already covered for an element are left out). Accepting writes every chosen proposal in one
transaction; :func:`undo_accept` deletes them again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from .. import models as m
from ..analysis.grids import quadrant
from ..analysis.plan_generator import (
    BookedActivity,
    CourseGap,
    GeneratedPlan,
    GeneratorInputs,
    GeneratorSettings,
    PlanPerson,
    Proposal,
    generate_plan,
)
from ..models.enums import ActivityStatus, AdkarElement, Attitude
from ..store import Workspace
from . import crud
from .errors import ServiceError
from .plan import (
    ACT,
    CLOSED,
    AudienceEntry,
    audiences_in,
    create_activity_in,
    people_index_in,
    resolve_audience,
)
from .plan_facts import PeopleFacts, people_facts

log = logging.getLogger(__name__)
Progress = Callable[[int, str], None]
CHAMPION_PICKS = 5


@dataclass(frozen=True)
class GenerationResult:
    initiative_id: int
    today: date
    go_live: date
    plan: GeneratedPlan
    recommended_champions: tuple[int, ...]
    names: dict[int, str]


def _quiet(_percent: int, _text: str) -> None:
    return None


def _network(ws: Workspace, initiative_id: int) -> tuple[dict[int, float], set[int]]:
    """Influence (0–100) and hot spots per person id, from the cached network analysis."""
    from . import network

    try:
        analysis = network.analyze(ws, initiative_id)
    except Exception:  # an unusual graph must not stop the plan; degrade to no network data
        log.warning("Network analysis failed; planning without influence", exc_info=True)
        return {}, set()
    ids = [int(i) for i in analysis.ids.tolist()]
    influence = dict(zip(ids, (float(v) for v in analysis.influence.tolist()), strict=True))
    return influence, {ids[pos] for pos in analysis.hot_spots}


def _champions(ws: Workspace, initiative_id: int, today: date) -> tuple[int, ...]:
    try:
        from . import forecast_service
    except ImportError:  # the forecast feature is optional
        return ()
    try:
        run = forecast_service.load_forecast(ws, initiative_id, today=today)
        picks = forecast_service.recommend(run, CHAMPION_PICKS)
    except ServiceError:
        return ()
    except Exception:  # never let the recommender stop plan generation
        log.warning("Champion recommender failed; planning without it", exc_info=True)
        return ()
    return tuple(p.person_id for p in picks.picks)


def _plan_people(
    facts: PeopleFacts, influence: dict[int, float], hot: set[int]
) -> tuple[PlanPerson, ...]:
    out = []
    for p in facts.people:
        if p.is_body:
            continue
        out.append(
            PlanPerson(
                id=p.id,
                name=p.name,
                department=p.department,
                attitude=p.attitude,
                barrier=AdkarElement(p.barrier) if p.barrier else None,
                readiness=p.readiness,
                key_player=quadrant(p.power, p.interest, facts.grid).value == "key_player",
                influence=influence.get(p.id, 0.0),
                hot_spot=p.id in hot,
                champion=p.champion or p.attitude == Attitude.LEADING.value,
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
    index = people_index_in(session)
    audiences = audiences_in(session, ACT.c.initiative_id == initiative_id)
    stmt = select(ACT.c.id, ACT.c.start, ACT.c.due, type_coerce(ACT.c.element, String)).where(
        ACT.c.initiative_id == initiative_id,
        type_coerce(ACT.c.status, String).not_in(CLOSED),
    )
    return tuple(
        BookedActivity(
            frozenset(resolve_audience(audiences.get(i, ()), index)),
            start,
            due,
            AdkarElement(element) if element else None,
        )
        for i, start, due, element in session.execute(stmt)
    )


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
    report(30, "Finding influencers and hot spots…")
    influence, hot = _network(ws, ident)
    report(60, "Asking the champion recommender…")
    champions = _champions(ws, ident, today)
    report(85, "Scheduling proposals…")
    inputs = GeneratorInputs(
        today, go_live, _plan_people(facts, influence, hot), champions, _gaps(facts), booked
    )
    plan = generate_plan(inputs, settings)
    report(100, "Done")
    names = {p.id: p.name for p in facts.people}
    return GenerationResult(ident, today, go_live, plan, champions, names)


def accept(ws: Workspace, initiative_id: int, proposals: Sequence[Proposal]) -> list[int]:
    """Create the proposals as planned activities, in one transaction; returns their ids."""
    with ws.session() as session:
        return [
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
                [AudienceEntry(stakeholder_id=i) for i in p.people],
            )
            for p in proposals
        ]


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
        "reason": p.reason,
    }
