"""The plan generator's plain data and its calendar of working weeks.

Every proposal occupies one working week: from its first working day to its last (clipped to
today and go-live). Weeks that touch a blackout period (default 24 Dec – 1 Jan, every year) or
have no working day left between today and go-live are not offered at all. Lead times are
counted back from go-live in *working* weeks, compressed when the runway is shorter than
``GeneratorSettings.runway_weeks``. The calendar remembers which weeks each person is booked
in, so no audience gets two sessions in one week.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from cmio_desktop.enums import ActivityStatus, ActivityType, AdkarElement, Attitude

#: A yearly blackout period: (from month, from day, to month, to day), inclusive; it may wrap
#: the new year (24 Dec – 1 Jan).
MonthDayRange = tuple[int, int, int, int]
DEFAULT_BLACKOUT: tuple[MonthDayRange, ...] = ((12, 24, 1, 1),)


@dataclass(frozen=True)
class PlanPerson:
    id: int
    name: str
    department: str = ""
    attitude: str = Attitude.NEUTRAL.value
    barrier: AdkarElement | None = None
    readiness: float | None = None
    key_player: bool = False  # power/interest grid: manage closely
    influence: float = 0.0  # network influence 0–100
    hot_spot: bool = False
    group: str = ""  # StakeholderGroup value
    key_resister: bool = False  # NetworkAnalysis.key_resister
    ready: bool = False  # readiness ≥ threshold and no barrier
    community: int = -1


@dataclass(frozen=True)
class CourseGap:
    course_id: int
    name: str
    required_by: date | None
    untrained: tuple[int, ...]


@dataclass(frozen=True)
class BookedActivity:
    """An existing activity that is not cancelled: who it reaches, when, and its purpose."""

    people: frozenset[int]  # its audience resolved to people
    start: date | None
    due: date | None
    element: AdkarElement | None
    type: ActivityType | None = None
    owner: str = ""
    named: frozenset[int] = frozenset()  # people named one by one in its audience
    status: str = ActivityStatus.PLANNED.value
    title: str = ""

    @property
    def is_open(self) -> bool:
        return self.status != ActivityStatus.DONE.value


@dataclass(frozen=True)
class GeneratorSettings:
    min_group: int = 3  # a second barrier in a department needs this many people for a session
    runway_weeks: int = 12
    touch_weeks: int = 4  # "manage closely" people need a planned touch within this many weeks
    sponsor: str = "Executive sponsor"
    cmio: str = "CMIO"
    change_team: str = "Change team"
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday = 0
    blackout: tuple[MonthDayRange, ...] = DEFAULT_BLACKOUT
    #: Stakeholder groups whose key resisters meet the executive sponsor; everyone else the CMIO.
    sponsor_groups: frozenset[str] = frozenset({"executive", "it", "support_staff", "external"})
    lead_weeks: dict[str, float] = field(
        default_factory=lambda: {
            "resister": 10,
            "briefing": 11,
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
    champions: tuple[int, ...] = ()  # NetworkAnalysis.champions as ids, in the order chosen
    course_gaps: tuple[CourseGap, ...] = ()
    booked: tuple[BookedActivity, ...] = ()
    #: Per department, the Mondays of weeks its change load is already over its threshold
    #: (``analysis.change_load``): nobody of that department is booked in them.
    saturated: Mapping[str, frozenset[date]] = field(default_factory=dict)


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
    leader: int | None = None  # a champion's id; None when the owner is not a person


@dataclass(frozen=True)
class GeneratedPlan:
    proposals: tuple[Proposal, ...]
    notes: tuple[str, ...] = ()


def people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def in_blackout(day: date, periods: Iterable[MonthDayRange]) -> bool:
    md = (day.month, day.day)
    for m1, d1, m2, d2 in periods:
        start, end = (m1, d1), (m2, d2)
        inside = start <= md <= end if start <= end else (md >= start or md <= end)
        if inside:
            return True
    return False


def blackout_text(periods: Iterable[MonthDayRange]) -> str:
    """ "24 Dec – 1 Jan" (several periods joined by commas; "none" when empty)."""
    out = []
    for m1, d1, m2, d2 in periods:
        a, b = date(2000, m1, d1), date(2000, m2, d2)
        out.append(f"{a.day} {a:%b} – {b.day} {b:%b}")
    return ", ".join(out) or "none"


class Calendar:
    """Working weeks from today's to go-live's, and who is booked in each."""

    def __init__(self, today: date, go_live: date, settings: GeneratorSettings) -> None:
        self.today, self.go_live, self.settings = today, go_live, settings
        first, last = monday(today), monday(go_live)
        every = [first + timedelta(weeks=i) for i in range((last - first).days // 7 + 1)]
        self.skipped = [w for w in every if self._blacked_out(w)]
        self.weeks = [w for w in every if w not in self.skipped and self._days(w)]
        self.busy: dict[int, set[date]] = defaultdict(set)
        runway = len(self.weeks)
        self.scale = min(1.0, runway / settings.runway_weeks) if settings.runway_weeks else 1.0

    def _blacked_out(self, week: date) -> bool:
        days = (week + timedelta(days=i) for i in range(7))
        return any(
            d.weekday() in self.settings.workdays and in_blackout(d, self.settings.blackout)
            for d in days
        )

    def _days(self, week: date) -> list[date]:
        """The week's working days between today and go-live."""
        days = (week + timedelta(days=i) for i in range(7))
        return [
            d
            for d in days
            if d.weekday() in self.settings.workdays and self.today <= d <= self.go_live
        ]

    def book_existing(self, booked: Iterable[BookedActivity]) -> None:
        for activity in booked:
            if not activity.is_open or activity.start is None or activity.due is None:
                continue
            if (activity.due - activity.start).days > 6:
                continue  # a long-running activity does not fill anyone's week
            for week in {monday(activity.start), monday(activity.due)}:
                for person in activity.people:
                    self.busy[person].add(week)

    def book_saturated(
        self, people: Iterable[PlanPerson], saturated: Mapping[str, frozenset[date]]
    ) -> list[tuple[str, date]]:
        """Keep each person out of the weeks their department is saturated; returns the
        (department, week) pairs that fall in the planning window."""
        window = set(self.weeks)
        hit = {(d, w) for d, weeks in saturated.items() for w in weeks if w in window}
        if not hit:
            return []
        for person in people:
            for week in saturated.get(person.department, ()):
                if week in window:
                    self.busy[person.id].add(week)
        return sorted(hit, key=lambda dw: (dw[1], dw[0]))

    def target(self, lead_weeks: float) -> date:
        """The working week ``lead_weeks`` working weeks before go-live's (compressed)."""
        if not self.weeks:
            return self.today
        back = round(lead_weeks * self.scale)
        return self.weeks[max(0, len(self.weeks) - 1 - back)]

    def _search_order(self, target: date, latest: date | None) -> list[date]:
        t = monday(target)
        weeks = [w for w in self.weeks if latest is None or w <= latest] or self.weeks[:1]
        return sorted(weeks, key=lambda w: (abs((w - t).days), w < t))

    def place(
        self, people: Sequence[int], target: date, latest: date | None = None
    ) -> list[tuple[date, list[int]]]:
        """Sessions (week, people) covering as many of ``people`` as can be placed, in weeks
        up to ``latest`` (a Monday) when given."""
        remaining = list(people)
        sessions: list[tuple[date, list[int]]] = []
        order = self._search_order(target, latest)
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
        """First and last working day of ``week`` between today and go-live."""
        days = self._days(week)
        return (days[0], days[-1]) if days else (max(week, self.today), max(week, self.today))
