"""The engagement figures as plain data (no SQLAlchemy): the dashboard snapshot
(``services.dashboard_snapshot``) rebuilds them at start-up, before the database loads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

FOLLOW_UP_DAYS = 7
NOT_CONTACTED_WEEKS = 4


@dataclass(frozen=True)
class FollowUp:
    person_id: int
    name: str
    due: date
    what: str  # "Next contact (last: 1:1 on 3 Nov)" or the commitment's text


@dataclass(frozen=True)
class NotContacted:
    person_id: int
    name: str
    last: date | None


@dataclass(frozen=True)
class EngagementFigures:
    today: date
    follow_ups: list[FollowUp]  # due by today + FOLLOW_UP_DAYS, overdue included, soonest first
    resisters_not_contacted: list[NotContacted]  # never contacted first, then longest ago
    days: int = FOLLOW_UP_DAYS
    weeks: int = NOT_CONTACTED_WEEKS

    @property
    def overdue(self) -> list[FollowUp]:
        return [f for f in self.follow_ups if f.due < self.today]
