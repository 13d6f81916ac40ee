"""Plan generator: propose engagement activities, back-scheduled from go-live, following the
rules of ``MODELS.md`` ("Plan generator"). Proposals only — nothing is written here.

* Every **key resister** gets a named 1:1 — with the executive sponsor or the CMIO, by
  stakeholder group — before the first training wave.
* **Manage closely** people (key players) without a planned touch in the next four weeks get
  a 1:1 with the CMIO within them.
* **Group activities follow each department's barriers**: its main barrier always, and any
  other barrier shared by at least ``min_group`` people. Awareness → briefing; desire → a peer
  session led by a champion of that department, else of the audience's community, else owned
  by the change team; knowledge → training for people lacking a required course (a workflow
  demo for the rest); ability → a practice session and at-the-elbow support; reinforcement →
  a feedback session and recognition.
* A **leader is always a champion** (``NetworkAnalysis.champions``) and never a key resister or
  a person who is not ready, whatever the input says.
* **Truthful sizes**: one department per audience; a briefing, demo or feedback session for
  one person becomes a 1:1 with that person.
* **Idempotent**: a person already reached by a planned, in-progress or done activity of the
  same purpose (type, element — for training, the course — and, for led sessions, a leader who
  may lead) is left out (``plan_coverage``), so running the generator again over an unchanged
  plan proposes nothing new.
* **Calendar**: working weeks only, blackout weeks skipped, nobody twice in one week
  (``plan_calendar``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
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
    blackout_text,
    in_blackout,
    monday,
    people,
)
from cmio_desktop.analysis.plan_coverage import (
    SHRINKS_TO_ONE_TO_ONE,
    Coverage,
    may_lead,
)
from cmio_desktop.enums import ActivityType, AdkarElement

__all__ = [
    "BookedActivity",
    "CourseGap",
    "GeneratedPlan",
    "GeneratorInputs",
    "GeneratorSettings",
    "PlanPerson",
    "Proposal",
    "blackout_text",
    "generate_plan",
    "in_blackout",
    "may_lead",
    "monday",
]

A, D, K, AB, R = tuple(AdkarElement)
T = ActivityType
NO_DEPARTMENT = "(no department)"


class _Builder:
    def __init__(self, inputs: GeneratorInputs, settings: GeneratorSettings) -> None:
        self.inputs, self.settings = inputs, settings
        self.cal = Calendar(inputs.today, inputs.go_live, settings)
        self.cal.book_existing(inputs.booked)
        self.saturated = self.cal.book_saturated(inputs.people, inputs.saturated)
        self.by_id = {p.id: p for p in inputs.people}
        self.champions = [i for i in inputs.champions if may_lead(self.by_id.get(i))]
        self.proposals: list[Proposal] = []
        self.notes: list[str] = []
        self.unplaced: set[int] = set()
        self._keys: Counter[str] = Counter()
        self._assessed: Counter[str] | None = None  # assessed people per department
        self.cov = Coverage(inputs, settings)

    # -- primitives ----------------------------------------------------------------------------
    def add(
        self, kind: T, element: AdkarElement | None, title: str | Callable[[list[int]], str],
        owner: str, ids: Sequence[int], target: date, reason: str, department: str = "",
        leader: int | None = None, latest: date | None = None, purpose: str = "",
    ) -> list[Proposal]:  # fmt: skip
        """Proposals for ``ids`` in sessions of at most the type's capacity; ``title`` may be
        a function of each session's people, so every title states its own size."""
        capacity = self.settings.capacity.get(kind, 10**9)
        ordered = sorted(ids, key=lambda i: (-self.by_id[i].influence, i))
        batches = [ordered[i : i + capacity] for i in range(0, len(ordered), capacity)]
        sessions = [s for batch in batches for s in self.cal.place(batch, target, latest)]
        placed = {p for _, group in sessions for p in group}
        self.unplaced.update(set(ids) - placed)
        made = []
        for number, (week, group) in enumerate(sessions, 1):
            start, due = self.cal.dates(week)
            suffix = f" (session {number} of {len(sessions)})" if len(sessions) > 1 else ""
            base = f"{kind.value}:{element.value if element else '-'}:{department or owner}"
            self._keys[base] += 1
            proposal = Proposal(
                key=f"{base}:{self._keys[base]}",
                title=(title(group) if callable(title) else title) + suffix,
                type=kind,
                element=element,
                owner=owner,
                start=start,
                due=due,
                people=tuple(sorted(group)),
                reason=reason,
                department=department,
                leader=leader,
            )
            self.proposals.append(proposal)
            self.cov.add(kind, element, purpose, group)
            made.append(proposal)
        return made

    def group_activity(
        self, kind: T, element: AdkarElement, department: str, ids: Sequence[int],
        target: date, why: str, owner: str, what: str, leader: int | None = None,
        label: str | None = None,
    ) -> None:  # fmt: skip
        """A department's session, titled with its true size; one person → a 1:1. ``why``
        is "<share>: <action>"; people already covered are left out and counted."""
        wanted = len(ids)
        ids = self.cov.uncovered(ids, kind, element)
        if not ids:
            return
        if len(ids) < wanted:
            share, sep, action = why.partition(":")
            why = f"{share} ({wanted - len(ids)} already covered by the plan){sep}{action}"
        if len(ids) == 1 and kind in SHRINKS_TO_ONE_TO_ONE:
            kind, label = T.ONE_TO_ONE, "1:1"
        name = label or kind.label
        led = f", led by {self.by_id[leader].name}" if leader is not None else ""

        def title(group: list[int]) -> str:
            if len(group) == 1:
                person = self.by_id[group[0]].name
                return f"{name} with {person} ({department}): {what}{led}"
            return f"{name} for {department} ({people(len(group))}): {what}{led}"

        self.add(kind, element, title, owner, ids, target, why, department, leader)

    def lead(self, name: str) -> date:
        return self.cal.target(self.settings.lead_weeks[name])

    def department_of(self, p: PlanPerson) -> str:
        return p.department or NO_DEPARTMENT

    def assessed_in(self, department: str) -> int:
        if self._assessed is None:
            self._assessed = Counter(
                self.department_of(p) for p in self.inputs.people if p.readiness is not None
            )
        return self._assessed[department]

    def share(self, department: str, ids: Sequence[int], element: AdkarElement, main: bool) -> str:
        verb = "has" if len(ids) == 1 else "have"
        which = "its main barrier" if main else "a second barrier"
        return (
            f"{len(ids)} of {self.assessed_in(department)} assessed in {department} {verb} the "
            f"barrier at {element.value} ({which})"
        )

    # -- leaders -------------------------------------------------------------------------------
    def champion_for(self, department: str, audience: Sequence[int]) -> tuple[int | None, str]:
        """A champion of the department, else of the audience's community; ``None`` when
        neither has one (the change team owns the session)."""
        members = set(audience)
        free = [i for i in self.champions if i not in members]
        local = [i for i in free if self.department_of(self.by_id[i]) == department]
        if local:
            return local[0], f"a champion in {department}"
        communities = Counter(self.by_id[i].community for i in audience)
        for community, _count in communities.most_common():
            if community < 0:
                continue
            near = [i for i in free if self.by_id[i].community == community]
            if near:
                p = self.by_id[near[0]]
                return p.id, f"a champion from {p.department or 'elsewhere'} in their community"
        return None, "no champion in the department or its community"

    # -- rules ---------------------------------------------------------------------------------
    def first_training(self) -> date | None:
        """The Monday of the first training wave: existing open training or a gap's target."""
        days = [
            b.start or b.due
            for b in self.inputs.booked
            if b.type is T.TRAINING_SESSION and b.is_open
        ]
        weeks = [monday(d) for d in days if d is not None and d >= self.inputs.today]
        weeks += [monday(self.training_target(g)) for g in self.inputs.course_gaps if g.untrained]
        return min(weeks) if weeks else None

    def training_target(self, gap: CourseGap) -> date:
        deadline = min(gap.required_by or self.inputs.go_live, self.inputs.go_live)
        if deadline < self.inputs.today:
            return self.inputs.today
        if gap.required_by is None:
            return self.lead("training")
        return max(self.inputs.today, deadline - timedelta(weeks=2))

    def key_resisters(self) -> None:
        resisters = sorted(
            (p for p in self.inputs.people if p.key_resister),
            key=lambda p: (-p.influence, p.id),
        )
        first = self.first_training()
        latest = first - timedelta(weeks=1) if first else None
        before = f" before the first training wave (w/c {first:%d %b})" if first else ""
        if latest is not None and latest < self.cal.weeks[0]:
            before = f" as soon as possible: the first training wave is w/c {first:%d %b}"
        for p in resisters:
            element = p.barrier if p.barrier in (A, D) else D
            if p.id in self.cov.met:
                continue
            sponsor = p.group in self.settings.sponsor_groups
            kind = T.SPONSOR_ONE_TO_ONE if sponsor else T.ONE_TO_ONE
            owner = self.settings.sponsor if sponsor else self.settings.cmio
            state = [f"attitude {p.attitude}", f"network influence {p.influence:.0f}"]
            if p.readiness is not None:
                state.append(f"readiness {p.readiness:.1f}")
            if p.barrier is not None:
                state.append(f"barrier at {p.barrier.value}")
            target = self.lead("resister")
            if latest is not None:
                target = min(target, latest)
            made = self.add(
                kind, element, f"{owner} 1:1 with {p.name}", owner, [p.id], target,
                f"Key resister ({', '.join(state)}): a named 1:1 with the {owner}{before}.",
                self.department_of(p), latest=latest,
            )  # fmt: skip
            if any(m.start < self.cov.horizon for m in made):
                self.cov.touched.add(p.id)

    def manage_closely(self) -> None:
        latest = monday(self.cov.horizon - timedelta(days=1))
        chosen = sorted(
            (p for p in self.inputs.people if p.key_player and p.id not in self.cov.touched),
            key=lambda p: (-p.influence, p.id),
        )
        window = [w for w in self.cal.weeks if w <= latest] or self.cal.weeks[:1]
        for number, p in enumerate(chosen):
            state = f"barrier at {p.barrier.value}" if p.barrier else f"attitude {p.attitude}"
            self.add(
                T.ONE_TO_ONE, p.barrier, f"Keep close: {self.settings.cmio} 1:1 with {p.name}",
                self.settings.cmio, [p.id], window[number % len(window)],
                f"Manage closely (high rated power and interest; {state}) and nothing planned "
                f"with them in the next {self.settings.touch_weeks} weeks.",
                self.department_of(p), latest=latest,
            )  # fmt: skip

    def barriers_by_department(self) -> dict[str, list[tuple[AdkarElement, list[int], bool]]]:
        """Per department: (element, people stuck there, is main barrier), main first.
        Key resisters are left out: they get their own 1:1."""
        stuck: dict[str, dict[AdkarElement, list[int]]] = defaultdict(lambda: defaultdict(list))
        for p in self.inputs.people:
            if p.barrier is not None and not p.key_resister:
                stuck[self.department_of(p)][p.barrier].append(p.id)
        order = list(AdkarElement)
        out = {}
        for department in sorted(stuck):
            found = stuck[department].items()
            ranked = sorted(found, key=lambda e: (-len(e[1]), order.index(e[0])))
            main = ranked[0][0]
            out[department] = [
                (element, ids, element is main)
                for element, ids in sorted(ranked, key=lambda e: order.index(e[0]))
                if element is main or len(ids) >= self.settings.min_group
            ]
        return out

    def department_activities(self) -> None:
        ct = self.settings.change_team
        for department, barriers in self.barriers_by_department().items():
            for element, ids, main in barriers:
                why = self.share(department, ids, element, main)
                if element is A:
                    self.group_activity(
                        T.BRIEFING,
                        A,
                        department,
                        ids,
                        self.lead("briefing"),
                        f"{why}: brief them first.",
                        ct,
                        "why we are changing",
                    )
                elif element is D:
                    self.peer_session(department, ids, why)
                elif element is K:
                    self.knowledge_demo(department, ids, why)
                elif element is AB:
                    self.group_activity(
                        T.PRACTICE_SESSION,
                        AB,
                        department,
                        ids,
                        self.lead("practice"),
                        f"{why}: hands-on practice before go-live.",
                        "Clinical Applications",
                        "sandbox practice",
                    )
                    self.group_activity(
                        T.AT_THE_ELBOW,
                        AB,
                        department,
                        ids,
                        self.lead("elbow"),
                        f"{why}: support at the elbow in go-live week.",
                        ct,
                        "go-live week",
                    )
                else:
                    self.group_activity(
                        T.FEEDBACK_SESSION,
                        R,
                        department,
                        ids,
                        self.lead("feedback"),
                        f"{why}: listen and act on what they say.",
                        ct,
                        "what is and is not working",
                    )
                    self.group_activity(T.RECOGNITION, R, department, ids,
                                        self.lead("recognition"),
                                        f"{why}: recognise progress so it sticks.",
                                        "Department leadership", "early adopters")  # fmt: skip

    def peer_session(self, department: str, ids: Sequence[int], why: str) -> None:
        ids = self.cov.uncovered(ids, T.ONE_TO_ONE, D)
        if not ids:
            return
        leader, whose = self.champion_for(department, ids)
        if leader is None:
            owner, led = self.settings.change_team, f"owned by the change team ({whose})"
        else:
            owner, led = self.by_id[leader].name, f"led by {self.by_id[leader].name}, {whose}"
        self.group_activity(
            T.ONE_TO_ONE, D, department, ids, self.lead("peer"),
            f"{why}: peer conversations {led}.", owner, "why it matters to them", leader,
            label="Peer conversations",
        )  # fmt: skip

    def knowledge_demo(self, department: str, ids: Sequence[int], why: str) -> None:
        """People stuck at knowledge who lack no course: training is only for course gaps."""
        gaps = {i for g in self.inputs.course_gaps for i in g.untrained}
        rest = [i for i in ids if i not in gaps]
        self.group_activity(
            T.DEMO, K, department, rest, self.lead("demo"),
            f"{why}: they lack no required course, so show them the new workflows.",
            "Clinical Applications", "the new workflows",
        )  # fmt: skip

    def training(self) -> None:
        for gap in self.inputs.course_gaps:
            by_dept: dict[str, list[int]] = defaultdict(list)
            for i in self.cov.uncovered(gap.untrained, T.TRAINING_SESSION, K, gap.name):
                if i in self.by_id:
                    by_dept[self.department_of(self.by_id[i])].append(i)
            deadline = min(gap.required_by or self.inputs.go_live, self.inputs.go_live)
            late = deadline < self.inputs.today
            when = f"{'was' if late else 'is'} required by {deadline:%d %b %Y}"
            for department, ids in sorted(by_dept.items()):
                verb = "has" if len(ids) == 1 else "have"
                who = self.by_id[ids[0]].name if len(ids) == 1 else people(len(ids))
                self.add(
                    T.TRAINING_SESSION, K, f"Training: {gap.name} — {department} ({who})",
                    "EHR Training", ids, self.training_target(gap),
                    f"{people(len(ids))} in {department} {verb} not completed {gap.name}, "
                    f"which {when}; without it there is no access at go-live.",
                    department, purpose=gap.name,
                )  # fmt: skip


def generate_plan(
    inputs: GeneratorInputs, settings: GeneratorSettings | None = None
) -> GeneratedPlan:
    """Proposals sorted by start date; ``notes`` say what could not be scheduled and why."""
    settings = settings or GeneratorSettings()
    if inputs.go_live < inputs.today:
        return GeneratedPlan((), ("Go-live has passed: nothing to schedule.",))
    b = _Builder(inputs, settings)
    if not b.cal.weeks:
        return GeneratedPlan((), ("No working week is left before go-live.",))
    b.key_resisters()
    b.manage_closely()
    b.training()
    b.department_activities()
    if b.cal.skipped:
        weeks = ", ".join(f"w/c {w:%d %b}" for w in b.cal.skipped)
        b.notes.append(f"Blackout ({blackout_text(settings.blackout)}): nothing in {weeks}.")
    if b.saturated:
        weeks = ", ".join(f"{d} w/c {w:%d %b}" for d, w in b.saturated)
        b.notes.append(f"Saturated (change load over the threshold), nobody booked: {weeks}.")
    if b.unplaced:
        b.notes.append(
            f"{len(b.unplaced)} people could not be fitted in before go-live without being "
            "booked twice in one week."
        )
    if not b.proposals:
        b.notes.append(
            "Nothing new to propose: every key resister, barrier and training gap is already "
            "covered by a planned or done activity."
        )
    proposals = sorted(b.proposals, key=lambda p: (p.start, p.type.value, p.title))
    return GeneratedPlan(tuple(proposals), tuple(b.notes))
