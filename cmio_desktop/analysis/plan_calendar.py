"""The plan generator's plain data and its week calendar.

Every proposal occupies one week (Monday to Friday, clipped to today and go-live). The
calendar remembers which weeks each person is booked in, so nobody is booked twice in one
week; ideal weeks are lead times before go-live, compressed when the runway is shorter than
``GeneratorSettings.runway_weeks``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from cmio_desktop.models.enums import ActivityType, AdkarElement, Attitude


@dataclass(frozen=True)
class PlanPerson:
    id: int
    name: str
    department: str = ""
    attitude: str = Attitude.NEUTRAL.value
    barrier: AdkarElement | None = None
    readiness: float | None = None
    key_player: bool = False
    influence: float = 0.0
    hot_spot: bool = False
    champion: bool = False  # physician champion, or leading attitude


@dataclass(frozen=True)
class CourseGap:
    course_id: int
    name: str
    required_by: date | None
    untrained: tuple[int, ...]


@dataclass(frozen=True)
class BookedActivity:
    """An existing open activity: its people, dates and element."""

    people: frozenset[int]
    start: date | None
    due: date | None
    element: AdkarElement | None


@dataclass(frozen=True)
class GeneratorSettings:
    min_group: int = 3
    max_sponsor_one_to_ones: int = 12
    max_key_player_one_to_ones: int = 12
    runway_weeks: int = 12
    sponsor: str = "Executive sponsor"
    lead_weeks: dict[str, float] = field(
        default_factory=lambda: {
            "briefing": 11,
            "newsletter": 10,
            "sponsor": 10,
            "key_player": 9,
            "peer": 9,
            "training": 6,
            "demo": 7,
            "practice": 3,
            "elbow": 0,
            "feedback": 2,
            "recognition": 1,
        }
    )
    capacity: dict[ActivityType, int] = field(
        default_factory=lambda: {
            ActivityType.ONE_TO_ONE: 12,
            ActivityType.TRAINING_SESSION: 20,
            ActivityType.PRACTICE_SESSION: 15,
            ActivityType.FEEDBACK_SESSION: 20,
            ActivityType.DEMO: 40,
            ActivityType.BRIEFING: 60,
        }
    )


@dataclass(frozen=True)
class GeneratorInputs:
    today: date
    go_live: date
    people: tuple[PlanPerson, ...]
    recommended_champions: tuple[int, ...] = ()  # best first
    course_gaps: tuple[CourseGap, ...] = ()
    booked: tuple[BookedActivity, ...] = ()


@dataclass(frozen=True)
class Proposal:
    key: str
    title: str
    type: ActivityType
    element: AdkarElement | None
    owner: str
    start: date
    due: date
    people: tuple[int, ...]
    reason: str
    department: str = ""


@dataclass(frozen=True)
class GeneratedPlan:
    proposals: tuple[Proposal, ...]
    notes: tuple[str, ...] = ()


def people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


class Calendar:
    """Weeks from today's to go-live's, and who is booked in each."""

    def __init__(self, today: date, go_live: date, settings: GeneratorSettings) -> None:
        self.today, self.go_live = today, go_live
        first, last = monday(today), monday(go_live)
        self.weeks = [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
        self.busy: dict[int, set[date]] = defaultdict(set)
        runway = max(0.0, (go_live - today).days / 7)
        self.scale = min(1.0, runway / settings.runway_weeks) if settings.runway_weeks else 1.0

    def book_existing(self, booked: Iterable[BookedActivity]) -> None:
        for activity in booked:
            if activity.start is None or activity.due is None:
                continue
            if (activity.due - activity.start).days > 6:
                continue  # a long-running activity does not fill anyone's week
            for week in {monday(activity.start), monday(activity.due)}:
                for person in activity.people:
                    self.busy[person].add(week)

    def target(self, lead_weeks: float) -> date:
        day = self.go_live - timedelta(days=round(lead_weeks * self.scale * 7))
        return min(max(day, self.today), self.go_live)

    def _search_order(self, target: date) -> list[date]:
        if not self.weeks:
            return []
        t = monday(target)
        return sorted(self.weeks, key=lambda w: (abs((w - t).days), w < t))

    def place(self, people: Sequence[int], target: date) -> list[tuple[date, list[int]]]:
        """Sessions (week, people) covering as many of ``people`` as can be placed."""
        remaining = list(people)
        sessions: list[tuple[date, list[int]]] = []
        order = self._search_order(target)
        while remaining and len(sessions) < 4:
            best_week, best_free = None, []
            for week in order:
                free = [p for p in remaining if week not in self.busy[p]]
                if len(free) > len(best_free):
                    best_week, best_free = week, free
                if len(free) == len(remaining):
                    break
            if best_week is None:
                break
            for p in best_free:
                self.busy[p].add(best_week)
            sessions.append((best_week, best_free))
            chosen = set(best_free)
            remaining = [p for p in remaining if p not in chosen]
        return sessions

    def dates(self, week: date) -> tuple[date, date]:
        start = max(week, self.today)
        due = min(max(week + timedelta(days=4), start), self.go_live)
        return start, due
