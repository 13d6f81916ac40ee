"""Change impact and change load (saturation) across initiatives: plain data in, plain out.

**Degree of impact** (Prosci style): seven aspects of the work — people, process, technology,
workflow, training hours, job role, reporting — each rated 0 (no change) to 5 (transformed).
The score is their mean; the degree is *high* when the mean is 3 or more or any aspect is 5,
*medium* when the mean is 1.5 or more, else *low*. High impact with readiness below the ready
threshold is the CMIO's **red zone**.

**Change load** of a department in a week, in hours per person:

* every activity of any initiative dated in that week (its due date, else its start; cancelled
  ones excluded) adds its type's hours (:data:`ACTIVITY_HOURS`) for each person of the
  department it reaches, divided by the department's headcount;
* every initiative with an impact rating for the department (or for all departments) adds
  ``mean aspect score × IMPACT_HOURS_PER_POINT`` in each of the ``RAMP_WEEKS`` weeks up to and
  including its go-live week — the time people spend absorbing the change itself.

A department is **saturated** in a week when its load exceeds its threshold (a setting; by
default :data:`DEFAULT_THRESHOLD` hours per person). A **clash** is a saturated week, or any
week in which two or more initiatives load the same department; it is listed with what makes
it up ("Periop, week of 08 Feb: go-live of Ambulatory EHR + Order-set build + Downtime drill").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from cmio_desktop.enums import ActivityType

LOW, MEDIUM, HIGH = "low", "medium", "high"
RAMP_WEEKS = 4
IMPACT_HOURS_PER_POINT = 1.0
DEFAULT_THRESHOLD = 6.0  # hours per person per week
# Hours a person spends in one activity of each type (what a department gives up to it).
ACTIVITY_HOURS: Mapping[ActivityType, float] = {
    ActivityType.ONE_TO_ONE: 0.5,
    ActivityType.SPONSOR_ONE_TO_ONE: 0.5,
    ActivityType.BRIEFING: 1.0,
    ActivityType.TOWN_HALL: 1.0,
    ActivityType.DEMO: 1.0,
    ActivityType.TRAINING_SESSION: 4.0,
    ActivityType.PRACTICE_SESSION: 2.0,
    ActivityType.AT_THE_ELBOW: 2.0,
    ActivityType.SUPER_USER_HUDDLE: 0.5,
    ActivityType.NEWSLETTER: 0.1,
    ActivityType.GOVERNANCE_MEETING: 1.5,
    ActivityType.RECOGNITION: 0.25,
    ActivityType.FEEDBACK_SESSION: 1.0,
}


def impact_score(aspects: Sequence[int]) -> float:
    return sum(aspects) / len(aspects) if aspects else 0.0


def impact_degree(aspects: Sequence[int]) -> str:
    score = impact_score(aspects)
    if score >= 3 or any(a >= 5 for a in aspects):
        return HIGH
    return MEDIUM if score >= 1.5 else LOW


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class LoadActivity:
    initiative: str
    title: str
    activity_type: ActivityType
    day: date
    reached: Mapping[str, int]  # department → people of it in the audience


@dataclass(frozen=True)
class LoadImpact:
    initiative: str
    go_live: date
    department: str  # "" = every department
    score: float  # mean aspect score, 0–5


@dataclass(frozen=True)
class Contribution:
    initiative: str
    what: str  # "go-live" or an activity's title
    hours: float  # per person


@dataclass
class WeekLoad:
    department: str
    week: date  # Monday
    hours: float = 0.0
    parts: list[Contribution] = field(default_factory=list)

    @property
    def initiatives(self) -> list[str]:
        return list(dict.fromkeys(p.initiative for p in self.parts))


@dataclass(frozen=True)
class Clash:
    department: str
    week: date
    hours: float
    threshold: float
    saturated: bool
    parts: tuple[Contribution, ...]

    @property
    def sentence(self) -> str:
        names = " + ".join(dict.fromkeys(_part_name(p) for p in self.parts))
        level = f"{self.hours:.1f} h per person" + (
            f", over the {self.threshold:g} h threshold" if self.saturated else ""
        )
        return f"{self.department}, week of {self.week:%d %b %Y}: {names} ({level})"


def _part_name(part: Contribution) -> str:
    return f"go-live of {part.initiative}" if part.what == "go-live" else part.what


def change_load(
    activities: Iterable[LoadActivity],
    impacts: Iterable[LoadImpact],
    headcount: Mapping[str, int],
) -> dict[tuple[str, date], WeekLoad]:
    """Load per (department, Monday) from activities and rated impact, in hours per person."""
    loads: dict[tuple[str, date], WeekLoad] = {}

    def add(department: str, week: date, part: Contribution) -> None:
        cell = loads.setdefault((department, week), WeekLoad(department, week))
        cell.hours += part.hours
        cell.parts.append(part)

    for a in activities:
        hours = ACTIVITY_HOURS.get(a.activity_type, 1.0)
        for department, reached in a.reached.items():
            size = headcount.get(department, 0)
            if size and reached:
                share = hours * min(reached, size) / size
                add(department, week_start(a.day), Contribution(a.initiative, a.title, share))
    for i in impacts:
        if i.score <= 0:
            continue
        departments = [i.department] if i.department else [d for d in headcount if d]
        last = week_start(i.go_live)
        for department in departments:
            for back in range(RAMP_WEEKS):
                week = last - timedelta(weeks=back)
                add(
                    department,
                    week,
                    Contribution(i.initiative, "go-live", i.score * IMPACT_HOURS_PER_POINT),
                )
    return loads


def clashes(
    loads: Mapping[tuple[str, date], WeekLoad],
    thresholds: Mapping[str, float],
    default_threshold: float = DEFAULT_THRESHOLD,
) -> list[Clash]:
    """Saturated weeks and weeks two or more initiatives share, per department, by week."""
    out = []
    for (department, week), cell in sorted(loads.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        limit = thresholds.get(department, default_threshold)
        saturated = cell.hours > limit
        if saturated or len(cell.initiatives) >= 2:
            out.append(Clash(department, week, cell.hours, limit, saturated, tuple(cell.parts)))
    return out


def saturated_weeks(
    loads: Mapping[tuple[str, date], WeekLoad],
    thresholds: Mapping[str, float],
    default_threshold: float = DEFAULT_THRESHOLD,
) -> dict[str, set[date]]:
    """Per department, the Mondays of the weeks over its threshold (for the plan generator)."""
    out: dict[str, set[date]] = defaultdict(set)
    for (department, week), cell in loads.items():
        if cell.hours > thresholds.get(department, default_threshold):
            out[department].add(week)
    return dict(out)
