"""Plan generator: propose engagement activities from barrier points, quadrants and training
gaps, back-scheduled from the go-live date (``PRODUCT.md``, "Plan generator").

What is proposed, per department (small groups are pooled across departments):

* awareness → a briefing, then a newsletter the following week;
* desire → sponsor 1:1s for hot spots (most influential first), then peer 1:1s led by a
  champion — a recommended champion in the department if there is one, else the most
  influential physician champion or leading person there, else the best one anywhere;
* knowledge → a training session per course and department for everyone untrained, before the
  course's required-by date; a workflow demo for people stuck at knowledge who have no course;
* ability → a practice session in the sandbox and at-the-elbow support in go-live week;
* reinforcement → a feedback session and recognition of early adopters just before go-live;
* key players (manage closely) who are not ready → a 1:1 with the CMIO.

Scheduling: every proposal occupies one week (Monday to Friday). Its ideal week is a lead time
before go-live (``GeneratorSettings.lead_weeks``, written for a 12-week runway and compressed
proportionally when the runway is shorter). The nearest week where none of its audience is
already booked is chosen; when no week frees everyone, the audience is split into sessions.
Nothing starts before today or ends after go-live (reinforcement included — the plan is about
being ready on the day), and nobody is booked twice in one week, counting existing open
activities that last a week or less. People already covered by an open activity for the same
ADKAR element are left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from cmio_desktop.analysis.plan_calendar import (
    BookedActivity,
    Calendar,
    CourseGap,
    GeneratedPlan,
    GeneratorInputs,
    GeneratorSettings,
    PlanPerson,
    Proposal,
    monday,
    people,
)
from cmio_desktop.models.enums import ActivityType, AdkarElement, Attitude

__all__ = [
    "BookedActivity",
    "CourseGap",
    "GeneratedPlan",
    "GeneratorInputs",
    "GeneratorSettings",
    "PlanPerson",
    "Proposal",
    "generate_plan",
    "monday",
]

A, D, K, AB, R = tuple(AdkarElement)
MIXED = "several departments"


class _Builder:
    def __init__(self, inputs: GeneratorInputs, settings: GeneratorSettings) -> None:
        self.inputs, self.settings = inputs, settings
        self.cal = Calendar(inputs.today, inputs.go_live, settings)
        self.cal.book_existing(inputs.booked)
        self.by_id = {p.id: p for p in inputs.people}
        self.proposals: list[Proposal] = []
        self.notes: list[str] = []
        self.unplaced: set[int] = set()
        self._keys: dict[str, int] = defaultdict(int)
        self.covered: dict[AdkarElement, set[int]] = defaultdict(set)
        for activity in inputs.booked:
            if activity.element is not None and (
                activity.due is None or activity.due >= inputs.today
            ):
                self.covered[activity.element].update(activity.people)

    # -- primitives ------------------------------------------------------------------------
    def add(
        self, kind: ActivityType, element: AdkarElement | None, title: str, owner: str,
        people: Sequence[int], target: date, reason: str, department: str = "",
    ) -> None:  # fmt: skip
        capacity = self.settings.capacity.get(kind, 10**9)
        ordered = sorted(people, key=lambda i: (-self.by_id[i].influence, i)) if people else []
        batches = [ordered[i : i + capacity] for i in range(0, len(ordered), capacity)]
        sessions = [s for batch in batches for s in self.cal.place(batch, target)]
        placed = {p for _, group in sessions for p in group}
        self.unplaced.update(set(people) - placed)
        for number, (week, group) in enumerate(sessions, 1):
            start, due = self.cal.dates(week)
            suffix = f" (session {number} of {len(sessions)})" if len(sessions) > 1 else ""
            base = f"{kind.value}:{department or title}"
            self._keys[base] += 1
            self.proposals.append(
                Proposal(
                    key=f"{base}:{self._keys[base]}",
                    title=title + suffix,
                    type=kind,
                    element=element,
                    owner=owner,
                    start=start,
                    due=due,
                    people=tuple(sorted(group)),
                    reason=reason,
                    department=department,
                )
            )

    def lead(self, name: str) -> date:
        return self.cal.target(self.settings.lead_weeks[name])

    def stuck_at(self, element: AdkarElement) -> dict[str, list[int]]:
        out: dict[str, list[int]] = defaultdict(list)
        for p in self.inputs.people:
            if p.barrier is element and p.id not in self.covered[element]:
                out[p.department or "(no department)"].append(p.id)
        return dict(sorted(out.items()))

    def pooled(self, groups: dict[str, list[int]]) -> list[tuple[str, list[int]]]:
        """Departments with enough people stand alone; the rest are pooled together."""
        big = [(d, ids) for d, ids in groups.items() if len(ids) >= self.settings.min_group]
        small = [i for d, ids in groups.items() if len(ids) < self.settings.min_group for i in ids]
        return big + ([(MIXED, small)] if small else [])

    def assessed_in(self, department: str) -> int:
        return sum(
            1
            for p in self.inputs.people
            if (p.department or "(no department)") == department and p.readiness is not None
        )

    def share(self, department: str, ids: Sequence[int], element: AdkarElement) -> str:
        verb = "has" if len(ids) == 1 else "have"
        if department == MIXED:
            return f"{people(len(ids))} in smaller groups {verb} the barrier at {element.value}"
        return (
            f"{len(ids)} of {self.assessed_in(department)} assessed in {department} {verb} the "
            f"barrier at {element.value}"
        )

    # -- champions ---------------------------------------------------------------------------
    def champion_for(self, department: str, audience: set[int]) -> tuple[str, str]:
        """(owner, why) for peer 1:1s in ``department``."""
        recommended = [i for i in self.inputs.recommended_champions if i in self.by_id]
        local = [
            i for i in recommended
            if self.by_id[i].department == department and i not in audience
        ]  # fmt: skip
        if local:
            return self.by_id[local[0]].name, f"a recommended champion in {department}"
        flagged = sorted(
            (
                p
                for p in self.inputs.people
                if p.department == department
                and p.id not in audience
                and (p.champion or p.attitude == Attitude.LEADING.value)
            ),
            key=lambda p: (-p.influence, p.id),
        )
        if flagged:
            return flagged[0].name, f"the most influential champion in {department}"
        anywhere = [i for i in recommended if i not in audience]
        if anywhere:
            p = self.by_id[anywhere[0]]
            return p.name, f"a recommended champion (from {p.department or 'elsewhere'})"
        others = sorted(
            (p for p in self.inputs.people if p.champion and p.id not in audience),
            key=lambda p: (-p.influence, p.id),
        )
        if others:
            return others[0].name, f"a champion from {others[0].department or 'elsewhere'}"
        return "Physician champion (to be named)", "no champion is recorded yet"

    # -- rules -------------------------------------------------------------------------------
    def desire(self) -> set[int]:
        stuck = self.stuck_at(D)
        sponsor_ids: set[int] = set()
        candidates = sorted(
            (
                self.by_id[i]
                for ids in stuck.values()
                for i in ids
                if self.by_id[i].hot_spot or self.by_id[i].key_player
            ),
            key=lambda p: (not p.hot_spot, -p.influence, p.id),
        )
        for p in candidates[: self.settings.max_sponsor_one_to_ones]:
            why = "hot spot" if p.hot_spot else "key player"
            readiness = f", readiness {p.readiness:.1f}" if p.readiness is not None else ""
            self.add(
                ActivityType.SPONSOR_ONE_TO_ONE, D, f"Sponsor 1:1 with {p.name}",
                self.settings.sponsor, [p.id], self.lead("sponsor"),
                f"{why.capitalize()} (influence {p.influence:.0f}{readiness}) with the barrier at "
                "desire: a sponsor conversation first.",
                p.department,
            )  # fmt: skip
            sponsor_ids.add(p.id)
        rest = {d: [i for i in ids if i not in sponsor_ids] for d, ids in stuck.items()}
        for department, ids in self.pooled({d: v for d, v in rest.items() if v}):
            owner, why = self.champion_for(department, set(ids))
            where = "across departments" if department == MIXED else f"in {department}"
            self.add(
                ActivityType.ONE_TO_ONE, D, f"Peer 1:1s {where} led by {owner}", owner, ids,
                self.lead("peer"), f"{self.share(department, ids, D)}; led by {owner}, {why}.",
                department,
            )  # fmt: skip
        return sponsor_ids

    def key_players(self, already: set[int]) -> None:
        ready = Attitude.SUPPORTIVE.rank
        chosen = sorted(
            (
                p
                for p in self.inputs.people
                if p.key_player
                and p.id not in already
                and (p.barrier is not None or Attitude(p.attitude).rank < ready)
            ),
            key=lambda p: (-p.influence, p.id),
        )[: self.settings.max_key_player_one_to_ones]
        for p in chosen:
            element = p.barrier or D
            if p.id in self.covered[element]:
                continue
            state = f"barrier at {p.barrier.value}" if p.barrier else f"attitude {p.attitude}"
            self.add(
                ActivityType.ONE_TO_ONE, element, f"Manage closely: 1:1 with {p.name}", "CMIO",
                [p.id], self.lead("key_player"),
                f"Key player (high power, high interest) with {state}: manage closely.",
                p.department,
            )  # fmt: skip

    def awareness(self) -> None:
        for department, ids in self.pooled(self.stuck_at(A)):
            where = "several departments" if department == MIXED else department
            reason = self.share(department, ids, A)
            self.add(
                ActivityType.BRIEFING, A, f"Briefing for {where}: why we are changing",
                "Change team", ids, self.lead("briefing"), f"{reason}: brief them first.",
                department,
            )  # fmt: skip
            self.add(
                ActivityType.NEWSLETTER, A, f"Newsletter to {where}: what changes and when",
                "Communications", ids, self.lead("newsletter"),
                f"{reason}: follow the briefing with a written message.", department,
            )  # fmt: skip

    def knowledge(self) -> None:
        trained_for: set[int] = set()
        for gap in self.inputs.course_gaps:
            by_dept: dict[str, list[int]] = defaultdict(list)
            for i in gap.untrained:  # a gap is hard evidence: invited or not, plan a session
                if i in self.by_id:
                    by_dept[self.by_id[i].department or "(no department)"].append(i)
            deadline = min(gap.required_by or self.inputs.go_live, self.inputs.go_live)
            late = deadline < self.inputs.today
            if late:
                target = self.inputs.today
            elif gap.required_by is None:
                target = self.lead("training")
            else:  # two weeks' slack before the deadline
                target = max(self.inputs.today, deadline - timedelta(weeks=2))
            for department, ids in self.pooled(dict(sorted(by_dept.items()))):
                where = "several departments" if department == MIXED else department
                when = f"{'was' if late else 'is'} required by {deadline:%d %b %Y}"
                invited = sum(i in self.covered[K] for i in ids)
                note = (
                    f" {invited} of them are invited to an open training activity but have not "
                    "completed it yet."
                    if invited
                    else ""
                )
                verb = "has" if len(ids) == 1 else "have"
                self.add(
                    ActivityType.TRAINING_SESSION, K, f"Training: {gap.name} — {where}",
                    "EHR Training", ids, target,
                    f"{people(len(ids))} in {where} {verb} not completed {gap.name}, which {when};"
                    f" without it there is no access at go-live.{note}",
                    department,
                )  # fmt: skip
                trained_for.update(ids)
        stuck = {d: [i for i in ids if i not in trained_for] for d, ids in self.stuck_at(K).items()}
        for department, ids in self.pooled({d: v for d, v in stuck.items() if v}):
            where = "several departments" if department == MIXED else department
            self.add(
                ActivityType.DEMO, K, f"Workflow demo for {where}", "Clinical Applications", ids,
                self.lead("demo"), f"{self.share(department, ids, K)}: show the new workflows.",
                department,
            )  # fmt: skip

    def ability(self) -> None:
        for department, ids in self.pooled(self.stuck_at(AB)):
            where = "several departments" if department == MIXED else department
            reason = self.share(department, ids, AB)
            self.add(
                ActivityType.PRACTICE_SESSION, AB, f"Practice session in the sandbox — {where}",
                "Clinical Applications", ids, self.lead("practice"),
                f"{reason}: hands-on practice before go-live.", department,
            )  # fmt: skip
            self.add(
                ActivityType.AT_THE_ELBOW, AB, f"At-the-elbow support — {where}", "Change team",
                ids, self.lead("elbow"), f"{reason}: support at the elbow in go-live week.",
                department,
            )  # fmt: skip

    def reinforcement(self) -> None:
        for department, ids in self.pooled(self.stuck_at(R)):
            where = "several departments" if department == MIXED else department
            reason = self.share(department, ids, R)
            self.add(
                ActivityType.FEEDBACK_SESSION, R, f"Feedback session — {where}", "Change team",
                ids, self.lead("feedback"), f"{reason}: listen and act on what they say.",
                department,
            )  # fmt: skip
            self.add(
                ActivityType.RECOGNITION, R, f"Recognise early adopters — {where}",
                "Department leadership", ids, self.lead("recognition"),
                f"{reason}: recognise progress so it sticks.", department,
            )  # fmt: skip


def generate_plan(
    inputs: GeneratorInputs, settings: GeneratorSettings | None = None
) -> GeneratedPlan:
    """Proposals sorted by start date; ``notes`` say what could not be scheduled and why."""
    settings = settings or GeneratorSettings()
    if inputs.go_live < inputs.today:
        return GeneratedPlan((), ("Go-live has passed: nothing to schedule.",))
    b = _Builder(inputs, settings)
    sponsored = b.desire()
    b.key_players(sponsored)
    b.awareness()
    b.knowledge()
    b.ability()
    b.reinforcement()
    if b.unplaced:
        b.notes.append(
            f"{len(b.unplaced)} people could not be fitted in before go-live without being "
            "booked twice in one week."
        )
    if not b.proposals:
        b.notes.append("Nobody needs a new activity: no open barrier, gap or key-player concern.")
    proposals = sorted(b.proposals, key=lambda p: (p.start, p.type.value, p.title))
    return GeneratedPlan(tuple(proposals), tuple(b.notes))
