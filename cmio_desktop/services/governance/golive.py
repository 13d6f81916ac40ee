"""The go/no-go scorecard from live data, and the criteria behind it (add, edit, delete).

Facts are read in one short session (``plan_facts`` plus risks, overdue and open activities)
and judged by ``analysis.golive``; each red or amber criterion lists the open activities that
address it (``analysis.golive_actions``), and :func:`draft_activity` prefills one for a
criterion with no action planned. With no criteria, or no data for a criterion, the answer is
"not assessed" — never GO.
Only a "Key resisters" criterion needs the influence network, whose analysis is cached by
revision, so the scorecard stays cheap to recompute on a change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import String, select, type_coerce

from cmio_desktop import models as m
from cmio_desktop.analysis.golive import (
    METRICS,
    CriterionResult,
    CriterionSpec,
    GoLiveFacts,
    PersonFacts,
    RiskFacts,
    Scorecard,
    scorecard,
    template_name,
)
from cmio_desktop.analysis.golive_actions import ActivityFacts, draft_for
from cmio_desktop.enums import ActivityStatus
from cmio_desktop.services import crud
from cmio_desktop.services.changes import Written
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.governance.super_users import units_in
from cmio_desktop.services.plan.activities import (
    AudienceEntry,
    audiences_in,
    people_index_in,
    resolve_audience,
)
from cmio_desktop.services.plan.facts import people_facts
from cmio_desktop.store import Workspace

GC = m.GoLiveCriterion.__table__
RISK = m.Risk.__table__
ACT = m.Activity.__table__
CRITERION_FIELDS = ("name", "metric", "threshold", "amber_band", "criticality", "scope", "params")


@dataclass(frozen=True)
class Template:
    """A ready-made criterion the user fills in (X, Y, Z in the brief)."""

    title: str
    metric: str
    threshold: float
    amber_band: float
    criticality: str
    scope: str


TEMPLATES: tuple[Template, ...] = (
    Template("Training completion by role ≥ X %", "training_completion_pct", 90, 10, "critical",
             "role:physician"),
    Template("No department with mean readiness < Y", "min_department_readiness", 3.0, 0.3,
             "critical", "all"),
    Template("≥ 1 super user per Z frontline users per unit", "super_users_per_frontline", 0.1,
             0.03, "major", "per unit"),
    Template("No open critical risk", "open_critical_risks", 0, 0, "critical", "all"),
    Template("No key resisters", "resistant_key_players", 0, 0, "major", "all"),
)  # fmt: skip


def load_facts(ws: Workspace, initiative_id: int | None, today: date) -> GoLiveFacts:
    facts = people_facts(ws, initiative_id)
    with ws.read_session() as session:
        ident = facts.initiative.id if facts.initiative else None
        super_users = {unit: len(people) for unit, people in units_in(session).items()}
        risks: list[RiskFacts] = []
        overdue: list[str] = []
        if ident is not None:
            risks = [
                RiskFacts(int(i), d, c, s, int(li), int(im))
                for i, d, c, s, li, im in session.execute(
                    select(
                        RISK.c.id, RISK.c.description, type_coerce(RISK.c.criticality, String),
                        type_coerce(RISK.c.status, String), RISK.c.likelihood, RISK.c.impact,
                    ).where(RISK.c.initiative_id == ident)
                )
            ]  # fmt: skip
            closed = (ActivityStatus.DONE.value, ActivityStatus.CANCELLED.value)
            overdue = [
                f"{title} (due {due:%d %b})"
                for title, due in session.execute(
                    select(ACT.c.title, ACT.c.due)
                    .where(
                        ACT.c.initiative_id == ident,
                        ACT.c.due < today,
                        type_coerce(ACT.c.status, String).not_in(closed),
                    )
                    .order_by(ACT.c.due)
                )
            ]
    people = tuple(
        PersonFacts(
            p.id, p.name, p.role, p.group, p.department, p.attitude, p.power, p.interest,
            p.super_user, p.readiness, p.ready, facts.required_of(p),
            facts.completed.get(p.id, frozenset()),
        )
        for p in facts.people
    )  # fmt: skip
    go_live = facts.initiative.go_live if facts.initiative else None
    return GoLiveFacts(
        today,
        go_live,
        people,
        tuple(risks),
        tuple(overdue),
        facts.grid.high_threshold,
        super_user_units=super_users,
    )


def load_activities(ws: Workspace, initiative_id: int) -> tuple[ActivityFacts, ...]:
    """The initiative's planned and in-progress activities, audiences resolved to people."""
    open_ = (ActivityStatus.PLANNED.value, ActivityStatus.IN_PROGRESS.value)
    where = (ACT.c.initiative_id == initiative_id) & type_coerce(ACT.c.status, String).in_(open_)
    stmt = select(
        ACT.c.id, ACT.c.title, type_coerce(ACT.c.type, String), type_coerce(ACT.c.element, String),
        type_coerce(ACT.c.status, String), ACT.c.due,
    ).where(where).order_by(ACT.c.id)  # fmt: skip
    with ws.session() as session:
        index = people_index_in(session)
        audiences = audiences_in(session, where)
        out = []
        for ident, title, kind, element, status, due in session.execute(stmt):
            entries = audiences.get(ident, ())
            named = frozenset(e.stakeholder_id for e in entries if e.stakeholder_id is not None)
            people = frozenset(resolve_audience(entries, index))
            out.append(ActivityFacts(ident, title, kind, element, status, due, people, named))
    return tuple(out)


def criteria_specs(ws: Workspace, initiative_id: int) -> list[CriterionSpec]:
    stmt = (
        select(
            GC.c.id, GC.c.name, GC.c.metric, GC.c.threshold, GC.c.amber_band,
            type_coerce(GC.c.criticality, String), GC.c.scope, GC.c.version,
        )
        .where(GC.c.initiative_id == initiative_id)
        .order_by(GC.c.id)
    )  # fmt: skip
    with ws.read_session() as session:
        return [
            CriterionSpec(n, me, float(t), float(b or 0), c, s or "all", int(i), int(v))
            for i, n, me, t, b, c, s, v in session.execute(stmt)
        ]


def evaluate(
    ws: Workspace,
    initiative_id: int | None,
    today: date | None = None,
    *,
    metrics_runner: Any = None,
) -> Scorecard:
    """The scorecard for the initiative (default: the first one) as of ``today``.

    A "Key resisters" criterion takes its list from the network analysis (cached by revision;
    ``metrics_runner`` as for ``network.analyze``), so it names the same people as the
    dashboard, the network rankings and the register filter.
    """
    today = today or date.today()
    facts = load_facts(ws, initiative_id, today)
    if initiative_id is None:
        with ws.read_session() as session:
            initiative_id = session.scalar(select(m.Initiative.id).order_by(m.Initiative.id))
    if initiative_id is None:
        return scorecard([], facts)
    specs = criteria_specs(ws, initiative_id)
    if any(s.metric == KEY_RESISTERS_METRIC for s in specs):
        facts = replace(facts, key_resisters=_key_resister_ids(ws, initiative_id, metrics_runner))
    return scorecard(specs, facts, load_activities(ws, initiative_id))


def draft_activity(
    result: CriterionResult, today: date, go_live: date | None
) -> tuple[dict[str, Any], list[AudienceEntry]]:
    """Values and audience for an activity that would address ``result`` (the page opens the
    activity dialog with them): due in two weeks, and by go-live."""
    draft = draft_for(result)
    due = today + timedelta(days=14)
    if go_live is not None and today <= go_live < due:
        due = go_live
    values = {
        "title": draft.title,
        "type": draft.type.value,
        "element": draft.element.value if draft.element else None,
        "start": today,
        "due": due,
        "status": ActivityStatus.PLANNED.value,
        "outcome": f"Addresses the go-live criterion: {result.name}",
    }
    audience = [AudienceEntry(stakeholder_id=i) for i in draft.people]
    audience += [AudienceEntry(department=d) for d in draft.departments]
    return values, audience


KEY_RESISTERS_METRIC = "resistant_key_players"  # the stored name; shown as "Key resisters"


def _key_resister_ids(
    ws: Workspace, initiative_id: int | None, metrics_runner: Any
) -> tuple[int, ...]:
    from cmio_desktop.services.network import analysis as network
    from cmio_desktop.services.network.key_people import key_resister_ids

    analysis = network.analyze(ws, initiative_id, metrics_runner=metrics_runner)
    return tuple(key_resister_ids(analysis))


def scorecard_json(card: Scorecard) -> dict[str, Any]:
    """The shape ``cmio golive --json`` prints."""
    return {
        "overall": card.overall.value,
        "days_to_go_live": card.days_to_go_live,
        "reasons": list(card.reasons),
        "criteria": [
            {
                "id": r.spec.id,
                "name": r.name,
                "metric": r.spec.metric,
                "criticality": r.spec.criticality,
                "scope": r.spec.scope,
                "status": r.status.value,
                "value": None if r.value is None else round(r.value, 4),
                "threshold": r.spec.threshold,
                "amber_band": r.spec.amber_band,
                "evidence": list(r.evidence),
                "addressed_by": list(r.addressed_by),
                "no_action_planned": r.no_action_planned,
            }
            for r in card.results
        ],
    }


def _check(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(CRITERION_FIELDS)
    if unknown:
        raise ServiceError(f"A criterion has no field {', '.join(sorted(unknown))}.")
    if "metric" in values and values["metric"] not in METRICS:
        raise ServiceError(f"Unknown metric '{values['metric']}'.")
    if "name" in values and not str(values["name"] or "").strip():
        raise ServiceError("Give the criterion a name.")
    if "amber_band" in values and float(values["amber_band"] or 0) < 0:
        raise ServiceError("The amber band cannot be negative.")
    return values


def create_criterion(ws: Workspace, initiative_id: int, values: dict[str, Any]) -> Written[int]:
    values = dict(values)
    if not values.get("name") and "metric" in values:
        values["name"] = template_name(
            values["metric"], float(values.get("threshold", 0)), values.get("scope", "all")
        )
    record = crud.create(ws, m.GoLiveCriterion, initiative_id=initiative_id, **_check(values))
    return Written(int(record.id), record.changes)


def update_criterion(ws: Workspace, ident: int, values: dict[str, Any]) -> Written[dict[str, Any]]:
    old = crud.get(ws, m.GoLiveCriterion, ident)
    new = crud.update(ws, m.GoLiveCriterion, ident, **_check(values))
    return Written({k: getattr(old, k) for k in values}, new.changes)


def get_criterion(ws: Workspace, ident: int) -> Any:
    return crud.get(ws, m.GoLiveCriterion, ident)


def delete_criteria(ws: Workspace, ids: Sequence[int]) -> crud.DeletedSnapshot:
    return crud.delete_rows(ws, m.GoLiveCriterion, list(ids))
