"""The initiative's plan as forecast input: activities that are planned or in progress, with a
due date (else the start date) and a targeted element; their audience (people, departments,
stakeholder groups) resolved to people; the week from the date; the effect from the type."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, func, or_, select, type_coerce

from cmio_desktop import models as m
from cmio_desktop.analysis.forecast import ForecastSettings
from cmio_desktop.analysis.forecast_inputs import ActivityPlan, week_index
from cmio_desktop.enums import ActivityStatus, ActivityType, AdkarElement, EngagementType

ACT = m.Activity.__table__
AUD = m.ActivityAudience.__table__
ACTIVE_STATUSES = (ActivityStatus.PLANNED.value, ActivityStatus.IN_PROGRESS.value)
DONE_STATUSES = (ActivityStatus.DONE.value,)


@dataclass(frozen=True)
class ActivityInput:
    """A plan activity as the forecast sees it."""

    activity_id: int
    title: str
    activity_type: ActivityType
    element: AdkarElement
    due: date
    week: int
    audience: int  # people
    effect: float
    in_horizon: bool


def enum_member(enum_cls: Any, value: str | None) -> Any:
    try:
        return enum_cls(value)
    except ValueError:
        return None


def label_of(enum_cls: Any, value: str | None) -> str:
    member = enum_member(enum_cls, value)
    return member.label if member is not None else (value or "(none)")


def activity_rows(
    session: Any, initiative_id: int, statuses: Sequence[str] = ACTIVE_STATUSES
) -> list[tuple[Any, list[Any]]]:
    """The initiative's activities with one of ``statuses`` (default: planned or in progress)
    and their audience rows."""
    acts = session.execute(
        select(
            ACT.c.id,
            ACT.c.title,
            type_coerce(ACT.c.type, String),
            type_coerce(ACT.c.element, String),
            ACT.c.start,
            ACT.c.due,
        )
        .where(ACT.c.initiative_id == initiative_id)
        .where(type_coerce(ACT.c.status, String).in_(tuple(statuses)))
        .order_by(ACT.c.id)
    ).all()
    audience: dict[int, list[Any]] = {}
    if acts:
        stmt = select(
            AUD.c.activity_id,
            AUD.c.stakeholder_id,
            AUD.c.department,
            type_coerce(AUD.c.stakeholder_group, String),
        ).where(AUD.c.activity_id.in_([a[0] for a in acts]))
        for a_id, *target in session.execute(stmt):
            audience.setdefault(int(a_id), []).append(target)
    return [(a, audience.get(int(a[0]), [])) for a in acts]


def resolve_plan(
    rows: list[tuple[Any, list[Any]]],
    people: Sequence[Any],
    today: date,
    go_live: date,
    settings: ForecastSettings,
) -> tuple[list[ActivityPlan], list[ActivityInput], int]:
    """Activities with a due date (else start) and element, audiences resolved to people."""
    by_department: dict[str, list[int]] = {}
    by_group: dict[str, list[int]] = {}
    known: set[int] = set()
    for p in people:
        by_department.setdefault(p[2] or "", []).append(int(p[0]))
        by_group.setdefault(p[3], []).append(int(p[0]))
        known.add(int(p[0]))
    weeks = max(0, math.ceil((go_live - today).days / 7))
    plans, inputs, skipped = [], [], 0
    for (a_id, title, a_type, element, start, due), targets in rows:
        day = due or start
        kind = enum_member(ActivityType, a_type)
        elem = enum_member(AdkarElement, element)
        if day is None or elem is None or kind is None:
            skipped += 1
            continue
        audience: set[int] = set()
        for person, department, group in targets:
            if person is not None and int(person) in known:
                audience.add(int(person))
            elif department is not None:
                audience.update(by_department.get(department, ()))
            elif group is not None:
                audience.update(by_group.get(group, ()))
        if not audience:
            skipped += 1
            continue
        week = week_index(today, day)
        effect = float(settings.effect_sizes.get(kind, 0.0))
        plans.append(ActivityPlan(day, elem, tuple(sorted(audience)), kind))
        inputs.append(
            ActivityInput(
                int(a_id), title, kind, elem, day, week, len(audience), effect, 0 <= week < weeks
            )
        )
    return plans, inputs, skipped


def logged_contacts(session: Any, initiative_id: int, today: date) -> list[ActivityPlan]:
    """Logged 1:1s since each person's latest round of the initiative, as activities of this
    week: they happened after the scores the forecast starts from, so their effect (the 1:1
    effect size, on desire) is still to come in the figures. A contact logged for another
    initiative does not count; one logged for none does."""
    E = m.EngagementEntry.__table__
    latest = (
        select(m.Assessment.stakeholder_id, func.max(m.Assessment.assessed_on).label("taken"))
        .where(m.Assessment.initiative_id == initiative_id)
        .group_by(m.Assessment.stakeholder_id)
        .subquery()
    )
    rows = session.execute(
        select(E.c.stakeholder_id)
        .join(latest, latest.c.stakeholder_id == E.c.stakeholder_id)
        .where(type_coerce(E.c.type, String) == EngagementType.ONE_TO_ONE.value)
        .where(E.c.occurred_on > latest.c.taken, E.c.occurred_on <= today)
        .where(or_(E.c.initiative_id.is_(None), E.c.initiative_id == initiative_id))
    ).all()
    return [
        ActivityPlan(today, AdkarElement.DESIRE, (int(person),), ActivityType.ONE_TO_ONE)
        for (person,) in rows
    ]
