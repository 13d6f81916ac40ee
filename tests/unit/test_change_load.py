"""Change impact per group, the red zone, and change load across initiatives (saturation)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cmio_desktop.analysis.change_load import (
    ACTIVITY_HOURS,
    HIGH,
    LOW,
    MEDIUM,
    RAMP_WEEKS,
    LoadActivity,
    LoadImpact,
    change_load,
    clashes,
    impact_degree,
    week_start,
)
from cmio_desktop.enums import ActivityType
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.history import HistoryFilter, history
from cmio_desktop.services.initiatives import create_initiative
from cmio_desktop.services.plan import activities
from cmio_desktop.services.plan.facts import department_readiness, people_facts
from cmio_desktop.services.portfolio import impact, load


@pytest.mark.parametrize(
    ("aspects", "degree"),
    [([0] * 7, LOW), ([1, 1, 1, 1, 1, 1, 2], LOW), ([2] * 7, MEDIUM), ([0] * 6 + [5], HIGH),
     ([3] * 7, HIGH)],
)  # fmt: skip
def test_degree_of_impact(aspects, degree) -> None:
    assert impact_degree(aspects) == degree


def test_load_adds_activity_hours_by_share_and_the_go_live_ramp() -> None:
    monday = date(2027, 2, 1)
    training = LoadActivity("EHR", "CPOE class", ActivityType.TRAINING_SESSION, monday, {"ICU": 5})
    huddle = LoadActivity("Lab", "Huddle", ActivityType.SUPER_USER_HUDDLE, monday, {"ICU": 10})
    rated = LoadImpact("Lab", monday + timedelta(days=3), "ICU", score=2.0)
    loads = change_load([training, huddle], [rated], {"ICU": 10, "Periop": 4})
    cell = loads[("ICU", monday)]
    expected = ACTIVITY_HOURS[ActivityType.TRAINING_SESSION] * 0.5 + 0.5 + 2.0
    assert cell.hours == pytest.approx(expected)
    assert cell.initiatives == ["EHR", "Lab"]
    assert sorted(w for d, w in loads if d == "ICU")[0] == monday - timedelta(weeks=RAMP_WEEKS - 1)
    assert ("Periop", monday) not in loads
    (clash,) = [c for c in clashes(loads, {"ICU": 3.0}) if c.week == monday]
    assert clash.saturated and clash.threshold == 3.0
    assert clash.sentence.startswith(
        "ICU, week of 01 Feb 2027: CPOE class + Huddle + go-live of Lab"
    )
    # Below the threshold, two initiatives in one week are still a clash; one alone is not.
    assert [c.saturated for c in clashes(loads, {"ICU": 40.0}) if c.week == monday] == [False]
    assert all(len(c.parts) > 0 for c in clashes(loads, {}))


def test_impact_ratings_are_checked_audited_and_upserted(sample_ws) -> None:
    with pytest.raises(ServiceError, match="Process impact is a whole number from 0 to 5"):
        impact.set_impact(sample_ws, 1, "ICU", None, {"process": 6})
    with pytest.raises(ServiceError, match="no aspect colour"):
        impact.set_impact(sample_ws, 1, "ICU", None, {"colour": 1})
    first = impact.set_impact(sample_ws, 1, "ICU", None, {"workflow": 5, "process": 4}).value
    again = impact.set_impact(sample_ws, 1, "ICU", None, {"workflow": 2}).value
    nurses = impact.set_impact(sample_ws, 1, "ICU", "nurse", {"technology": 3}).value
    assert first == again != nurses
    # The register's departments only: a typo is refused, a different case takes its spelling.
    with pytest.raises(ServiceError, match="There is no department “Cardiologyy”"):
        impact.set_impact(sample_ws, 1, "Cardiologyy", None, {"workflow": 1})
    assert impact.set_impact(sample_ws, 1, " icu ", None, {"workflow": 2}).value == first
    (icu, icu_nurses) = [r for r in impact.list_impacts(sample_ws, 1) if r.id in (first, nurses)]
    assert icu.aspects["workflow"] == 2 and icu.aspects["process"] == 0 and icu.degree == LOW
    assert icu_nurses.scope == "ICU · Nurse"
    changes = history(sample_ws, HistoryFilter(entity="change_impact"))
    assert {r.field for r in changes} >= {"workflow", "process", ""}
    rated = len(impact.list_impacts(sample_ws, 1))
    snapshot = impact.delete_impacts(sample_ws, [nurses])
    assert len(impact.list_impacts(sample_ws, 1)) == rated - 1
    impact.restore_impacts(sample_ws, snapshot)
    assert len(impact.list_impacts(sample_ws, 1)) == rated


def test_red_zone_is_high_impact_where_readiness_is_below_ready(sample_ws) -> None:
    facts = people_facts(sample_ws, 1)
    readiness = {d: mean for d, mean, _ in department_readiness(facts)}
    low = min(readiness, key=readiness.get)
    high = max(readiness, key=readiness.get)
    impact.set_impact(sample_ws, 1, low, None, {a: 4 for a in impact.IMPACT_ASPECTS})
    impact.set_impact(sample_ws, 1, high, None, {"people": 1})
    rows = {r.department: r for r in impact.red_zone(sample_ws, 1)}
    assert rows[low].red and rows[low].readiness == pytest.approx(readiness[low])
    assert not rows[high].red and rows[high].degree == LOW
    assert list(rows)[0] == low  # red first


def test_portfolio_lists_two_initiatives_in_one_department_and_week(sample_ws) -> None:
    plan = [a for a in activities.list_activities(sample_ws, 1) if a.due and a.audience_size]
    busy = plan[0]
    other = create_initiative(sample_ws, "Lab upgrade", go_live=busy.due + timedelta(7)).value
    department = next(iter(sorted(a.department for a in busy.audience if a.department)), None)
    assert department is not None, "the sample's first dated activity names a department"
    impact.set_impact(sample_ws, other, department, None, {"workflow": 4, "process": 4})
    found = load.portfolio(sample_ws)
    week = week_start(busy.due)
    assert found.hours(department, week) > 0
    shared = [c for c in found.clashes if c.department == department and c.week == week]
    assert shared and "go-live of Lab upgrade" in shared[0].sentence
    assert busy.title in shared[0].sentence

    load.save_thresholds(sample_ws, {department: 0.5, "default": 20})
    again = load.portfolio(sample_ws)
    assert again.threshold(department) == 0.5 and again.threshold("Nowhere") == 20
    assert week in load.saturated_weeks_by_department(sample_ws)[department]
    with pytest.raises(ServiceError, match="between 0 and 80 hours"):
        load.save_thresholds(sample_ws, {department: 0})
