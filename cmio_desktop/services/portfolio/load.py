"""Change load across every initiative of the workspace: weeks × departments, the threshold
per department (stored with the workspace), and the clashes (``analysis.change_load``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, select, type_coerce

from cmio_desktop import models as m
from cmio_desktop.analysis.change_load import (
    DEFAULT_THRESHOLD,
    Clash,
    LoadActivity,
    LoadImpact,
    WeekLoad,
    change_load,
    clashes,
    saturated_weeks,
)
from cmio_desktop.enums import ActivityStatus, ActivityType
from cmio_desktop.services.analysis_settings import put_values, stored_values
from cmio_desktop.services.changes import Written
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.plan.activities import audiences_in, people_index_in, resolve_audience
from cmio_desktop.services.portfolio.impact import impacts_in
from cmio_desktop.store import Workspace

THRESHOLD_PREFIX = "saturation."
DEFAULT_KEY = "default"
ACT = m.Activity.__table__
INI = m.Initiative.__table__


@dataclass(frozen=True)
class Portfolio:
    departments: list[str]
    weeks: list[date]  # Mondays, first to last loaded week
    loads: dict[tuple[str, date], WeekLoad]
    thresholds: dict[str, float]
    default_threshold: float
    clashes: list[Clash]

    def hours(self, department: str, week: date) -> float:
        cell = self.loads.get((department, week))
        return cell.hours if cell else 0.0

    def threshold(self, department: str) -> float:
        return self.thresholds.get(department, self.default_threshold)


def thresholds_in(session: Any) -> tuple[dict[str, float], float]:
    stored = stored_values(session, THRESHOLD_PREFIX)
    default = float(stored.pop(DEFAULT_KEY, DEFAULT_THRESHOLD))
    return {k: float(v) for k, v in stored.items()}, default


def save_thresholds(ws: Workspace, values: Mapping[str, float | None]) -> Written[dict[str, Any]]:
    """Store thresholds (hours per person per week) by department; the key "default" sets the
    one for every other department. Returns the previous values (for undo)."""
    checked = {}
    for department, hours in values.items():
        if hours is not None and (isinstance(hours, bool) or not 0 < float(hours) <= 80):
            raise ServiceError(
                f"The threshold for {department} must be between 0 and 80 hours per person "
                "per week."
            )
        checked[department] = None if hours is None else float(hours)
    return put_values(ws, THRESHOLD_PREFIX, checked)


def portfolio(ws: Workspace) -> Portfolio:
    """The load of every department in every week any initiative touches."""
    with ws.read_session() as session:
        index = people_index_in(session)
        initiatives = dict(session.execute(select(INI.c.id, INI.c.name)).all())
        go_lives = dict(session.execute(select(INI.c.id, INI.c.go_live)).all())
        rows = session.execute(
            select(
                ACT.c.id, ACT.c.initiative_id, ACT.c.title, type_coerce(ACT.c.type, String),
                ACT.c.start, ACT.c.due,
            ).where(type_coerce(ACT.c.status, String) != ActivityStatus.CANCELLED.value)
        ).all()  # fmt: skip
        audiences = audiences_in(
            session, type_coerce(ACT.c.status, String) != ActivityStatus.CANCELLED.value
        )
        impacts = impacts_in(session)
        thresholds, default = thresholds_in(session)
    headcount = Counter(index.department_of[i] for i in index.ids)
    activities = []
    for ident, initiative, title, kind, start, due in rows:
        day = due or start
        if day is None:
            continue
        reached = Counter(
            index.department_of[p] for p in resolve_audience(audiences.get(ident, []), index)
        )
        activities.append(
            LoadActivity(initiatives[initiative], title, ActivityType(kind), day, dict(reached))
        )
    rated = [
        LoadImpact(initiatives[r.initiative_id], go_lives[r.initiative_id], r.department, r.score)
        for r in _by_department(impacts)
        if go_lives.get(r.initiative_id) is not None
    ]
    loads = change_load(activities, rated, headcount)
    weeks = sorted({w for _, w in loads})
    departments = sorted({d for d, _ in loads})
    return Portfolio(
        departments, weeks, loads, thresholds, default, clashes(loads, thresholds, default)
    )


def _by_department(impacts: list[Any]) -> list[Any]:
    """One rating per initiative and department: the highest of its rows (a role's rating is
    part of its department's load; load is counted per department, not per role)."""
    best: dict[tuple[int, str], Any] = {}
    for row in impacts:
        key = (row.initiative_id, row.department)
        if key not in best or row.score > best[key].score:
            best[key] = row
    return list(best.values())


def saturated_weeks_by_department(ws: Workspace) -> dict[str, set[date]]:
    """For the plan generator: the weeks each department is already over its threshold."""
    found = portfolio(ws)
    return saturated_weeks(found.loads, found.thresholds, found.default_threshold)


def load_by_week(found: Portfolio) -> dict[date, dict[str, float]]:
    out: dict[date, dict[str, float]] = defaultdict(dict)
    for (department, week), cell in found.loads.items():
        out[week][department] = cell.hours
    return dict(out)
