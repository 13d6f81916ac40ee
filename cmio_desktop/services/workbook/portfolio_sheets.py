"""The Red zone, Saturation and History sheets' input, from the functions the app shows them
with (no figure recomputed here): ``portfolio.impact.red_zone``, ``portfolio.load.portfolio``
and ``history.history``."""

from __future__ import annotations

from datetime import date, timedelta

from cmio_desktop.analysis.change_load import (
    ACTIVITY_HOURS,
    HIGH,
    IMPACT_HOURS_PER_POINT,
    LOW,
    MEDIUM,
    RAMP_WEEKS,
)
from cmio_desktop.enums import Role
from cmio_desktop.io.workbook.data_history import HISTORY_LIMIT, HistoryEntry, HistoryTrail
from cmio_desktop.io.workbook.data_portfolio import ClashEntry, RedZoneEntry, SaturationGrid
from cmio_desktop.models.impact import IMPACT_ASPECTS
from cmio_desktop.services.history import (
    ACTION_LABELS,
    HistoryFilter,
    HistoryRow,
    field_label,
    history,
)
from cmio_desktop.services.portfolio.impact import RedZoneRow, red_zone
from cmio_desktop.services.portfolio.load import portfolio
from cmio_desktop.store import Workspace

_DEGREE_RANK = {HIGH: 0, MEDIUM: 1, LOW: 2}


def red_zone_entries(ws: Workspace, initiative_id: int) -> list[RedZoneEntry]:
    """Every rated department of the initiative, worst first: the red zone, then by degree of
    impact, lowest readiness (not assessed first), highest score."""
    rows = sorted(red_zone(ws, initiative_id), key=_worst_first)
    return [_red_zone_entry(r) for r in rows]


def _worst_first(row: RedZoneRow) -> tuple[bool, int, float, float, str]:
    readiness = float("-inf") if row.readiness is None else row.readiness
    return (not row.red, _DEGREE_RANK.get(row.degree, 3), readiness, -row.score, row.department)


def _red_zone_entry(row: RedZoneRow) -> RedZoneEntry:
    rating = row.rating
    if rating is None:
        rated_for, aspects = "", ()
    else:
        aspects = tuple(rating.aspects[a] for a in IMPACT_ASPECTS)
        if rating.department != row.department:  # the all-departments rating
            rated_for = rating.scope
        else:
            rated_for = Role(rating.role).label if rating.role else "Whole department"
    return RedZoneEntry(
        department=row.department,
        rated_for=rated_for,
        aspects=aspects,
        score=row.score,
        degree=row.degree.capitalize(),
        readiness=row.readiness,
        assessed=row.assessed,
        red=row.red,
    )


def saturation_grid(ws: Workspace) -> SaturationGrid:
    """Load per week and department across every initiative, every week from the first loaded
    one to the last (an empty week is a finding too), and the clashes by week."""
    found = portfolio(ws)
    if not found.weeks:
        return SaturationGrid()
    weeks = _every_week(found.weeks[0], found.weeks[-1])
    departments = tuple(found.departments)
    initiatives = {p.initiative for cell in found.loads.values() for p in cell.parts}
    return SaturationGrid(
        departments=departments,
        thresholds=tuple(found.threshold(d) for d in departments),
        weeks=weeks,
        hours=tuple(tuple(found.hours(d, w) for d in departments) for w in weeks),
        clashes=tuple(
            ClashEntry(c.week, c.department, c.hours, c.threshold, c.saturated, c.sentence)
            for c in found.clashes
        ),
        initiatives=tuple(sorted(initiatives)),
    )


def _every_week(first: date, last: date) -> tuple[date, ...]:
    count = (last - first).days // 7 + 1
    return tuple(first + timedelta(weeks=n) for n in range(count))


def history_trail(ws: Workspace, limit: int = HISTORY_LIMIT) -> HistoryTrail:
    """The newest ``limit`` changes of the workspace, newest first."""
    rows = history(ws, HistoryFilter(limit=limit + 1))
    return HistoryTrail([_history_entry(r) for r in rows[:limit]], more=len(rows) > limit)


def _history_entry(row: HistoryRow) -> HistoryEntry:
    base = row.action.partition(":")[2] or row.action
    mark = row.mark.capitalize() or ("Undo" if row.is_undo else "")
    return HistoryEntry(
        at=row.at,
        user=row.user,
        record=row.record,
        action=ACTION_LABELS.get(base, base.capitalize()),
        field=row.field and _field_label(row.field),
        old=row.old,
        new=row.new,
        mark=mark,
    )


def _field_label(column: str) -> str:
    label = field_label(column)
    return label[:1].upper() + label[1:]


def portfolio_definitions(red_zone: bool, saturation: bool) -> list[tuple[str, str]]:
    """The Notes sheet's lines for the Red zone and Saturation sheets that are written."""
    out = []
    if red_zone:
        out.append((
            "Change impact and red zone",
            "Seven aspects of the work (people, process, technology, workflow, training hours, "
            "job role, reporting) rated 0 (no change) to 5 (transformed) per department or role. "
            "Degree of impact: high when their mean is 3 or more or any aspect is 5, medium from "
            "1.5, else low. Red zone: high impact with mean readiness below the ready threshold, "
            "or nobody assessed.",
        ))  # fmt: skip
    if saturation:
        low, high = min(ACTIVITY_HOURS.values()), max(ACTIVITY_HOURS.values())
        out.append((
            "Change load and clashes",
            "Hours per person per week, across every initiative: each activity dated in the week "
            f"(due date, else start; cancelled ones left out) adds its type's hours ({low:g}–"
            f"{high:g} h) for the people of the department it reaches, over the department's "
            f"headcount; each rated initiative adds its mean aspect score × "
            f"{IMPACT_HOURS_PER_POINT:g} h in each of the {RAMP_WEEKS} weeks up to its go-live. "
            "A clash is a week over the department's threshold, or one that two or more "
            "initiatives share.",
        ))  # fmt: skip
    return out
