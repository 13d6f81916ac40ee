"""What the existing plan already covers, so the plan generator never proposes it again.

A person is *covered* for a purpose — (activity type, ADKAR element, and for training the
course) — when a planned, in-progress or done activity of that purpose reaches them. An
activity led by someone who may not lead (a key resister, or assessed and not ready) covers
nothing: the generator proposes a properly led one instead. Owners are names, so a name shared
with someone who may lead still counts.

Two more facts for the 1:1 rules: who has been *met* in a 1:1 (named, any status but
cancelled), and who is *touched* — named in an open activity starting within the next
``touch_weeks`` weeks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

from cmio_desktop.analysis.plan_calendar import (
    BookedActivity,
    GeneratorInputs,
    GeneratorSettings,
    PlanPerson,
)
from cmio_desktop.enums import ActivityType, AdkarElement

T = ActivityType
ONE_TO_ONES = (T.ONE_TO_ONE, T.SPONSOR_ONE_TO_ONE)
#: Group activities that become a 1:1 when their audience is one person.
SHRINKS_TO_ONE_TO_ONE = frozenset({T.BRIEFING, T.DEMO, T.FEEDBACK_SESSION})
Purpose = tuple[ActivityType | None, AdkarElement | None, str]


def may_lead(person: PlanPerson | None) -> bool:
    """A leader must be ready and not a key resister."""
    return person is not None and person.ready and not person.key_resister


class Coverage:
    def __init__(self, inputs: GeneratorInputs, settings: GeneratorSettings) -> None:
        self.inputs = inputs
        self.by_name: dict[str, list[PlanPerson]] = defaultdict(list)
        for p in inputs.people:
            self.by_name[p.name].append(p)
        self.courses = sorted({g.name for g in inputs.course_gaps}, key=len, reverse=True)
        self.covered: dict[Purpose, set[int]] = defaultdict(set)
        self.met: set[int] = set()  # named in a 1:1 (planned, in progress or done)
        self.touched: set[int] = set()  # named in an open activity within the touch window
        self.horizon = inputs.today + timedelta(weeks=settings.touch_weeks)
        for b in inputs.booked:
            if b.type is None or not self.counts(b):
                continue
            self.covered[(b.type, b.element, self.purpose(b))] |= b.people
            if b.type in ONE_TO_ONES:
                self.met |= b.named
            when = b.start or b.due
            if b.is_open and when is not None and inputs.today <= when < self.horizon:
                self.touched |= b.named

    def counts(self, b: BookedActivity) -> bool:
        namesakes = self.by_name.get(b.owner.strip(), ())
        return not namesakes or not all(
            p.key_resister or (p.readiness is not None and not p.ready) for p in namesakes
        )

    def purpose(self, b: BookedActivity) -> str:
        """The course a training activity is for (by its title), else ``""``."""
        if b.type is not T.TRAINING_SESSION:
            return ""
        title = b.title.casefold()
        return next((n for n in self.courses if n.casefold() in title), "")

    def is_covered(
        self, person: int, kinds: Iterable[T], element: AdkarElement | None, purpose: str = ""
    ) -> bool:
        return any(person in self.covered.get((k, element, purpose), ()) for k in kinds)

    def uncovered(
        self, ids: Iterable[int], kind: T, element: AdkarElement | None, purpose: str = ""
    ) -> list[int]:
        """``ids`` without the people already covered (a group activity that would shrink to
        a 1:1 is covered by a 1:1 for the same element too)."""
        kinds = {kind, T.ONE_TO_ONE} if kind in SHRINKS_TO_ONE_TO_ONE else {kind}
        return [i for i in ids if not self.is_covered(i, kinds, element, purpose)]

    def add(
        self, kind: T, element: AdkarElement | None, purpose: str, people: Iterable[int]
    ) -> None:
        self.covered[(kind, element, purpose)].update(people)
