"""Which planned activities address a go/no-go criterion that is red or amber, and a draft
activity for one that has none ("no action planned").

A criterion's *targets* are who or what falls short: the untrained people in scope for a
training criterion, the listed key resisters for the resistant-key-players one, the
departments below the threshold (and their people who are not ready) for a readiness
criterion, the departments short of super users. An open activity — planned or in progress,
due by go-live — *addresses* the criterion when it works on those targets:

* training completion / people losing access → a training session reaching an untrained person;
* resistant key players → a 1:1 or sponsor 1:1 naming one of them;
* readiness (lowest department, mean, share ready) → an activity with an ADKAR element reaching
  at least two not-ready people in the departments that fall short (a group, not a 1:1);
* super users per frontline → a super-user huddle or training session in a department short;
* open critical risks, overdue activities → a governance meeting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from cmio_desktop.analysis.golive import CriterionResult, in_scope, rag_status, scope_label
from cmio_desktop.analysis.golive_metrics import METRICS, GoLiveFacts, PersonFacts
from cmio_desktop.enums import ActivityStatus, ActivityType, AdkarElement, StakeholderGroup

T = ActivityType
OPEN = frozenset({ActivityStatus.PLANNED.value, ActivityStatus.IN_PROGRESS.value})
TRAINING_METRICS = frozenset({"training_completion_pct", "untrained_at_go_live"})
READINESS_METRICS = frozenset({"min_department_readiness", "mean_readiness", "ready_pct"})


@dataclass(frozen=True)
class ActivityFacts:
    id: int
    title: str
    type: str  # ActivityType value
    element: str | None  # AdkarElement value
    status: str  # ActivityStatus value
    due: date | None
    people: frozenset[int]  # the audience resolved to people
    named: frozenset[int] = frozenset()  # people named one by one


@dataclass(frozen=True)
class ActionDraft:
    """A prefilled activity for a criterion with no action planned."""

    title: str
    type: ActivityType
    element: AdkarElement | None
    people: tuple[int, ...] = ()  # audience: named people…
    departments: tuple[str, ...] = ()  # …or whole departments


def _unit(p: PersonFacts) -> str:
    return p.department or "(no department)"


def _short_units(
    result: CriterionResult, people: list[PersonFacts], facts: GoLiveFacts
) -> list[str]:
    """Departments whose own value is red or amber (all measured ones if none is)."""
    definition = METRICS[result.spec.metric]
    measure = definition.compute(people, facts, True)
    spec = result.spec
    short = [
        unit
        for unit, value in measure.units.items()
        if rag_status(
            value, spec.threshold, spec.amber_band, definition.higher_is_better
        ).needs_action
    ]
    return short or list(measure.units)


def targets(result: CriterionResult, facts: GoLiveFacts) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """(people, departments) that fall short of the criterion."""
    metric = result.spec.metric
    if metric not in METRICS:
        return (), ()
    people, per_unit = in_scope(facts.people, result.spec.scope)
    if metric in TRAINING_METRICS:
        lacking = [p for p in people if p.required_courses and not p.trained]
        if per_unit:
            units = set(_short_units(result, people, facts))
            lacking = [p for p in lacking if _unit(p) in units]
        return tuple(p.id for p in lacking), tuple(sorted({_unit(p) for p in lacking}))
    if metric == "resistant_key_players":
        # The one key-resister list (network analysis order), restricted to the scope.
        scoped = {p.id: p for p in people}
        named = [scoped[i] for i in facts.key_resisters or () if i in scoped]
        return tuple(p.id for p in named), tuple(sorted({_unit(p) for p in named}))
    if metric in READINESS_METRICS:
        units = set(_short_units(result, people, facts))
        behind = [p for p in people if _unit(p) in units and p.ready is False]
        return tuple(p.id for p in behind), tuple(sorted(units))
    if metric == "super_users_per_frontline":
        units = set(_short_units(result, people, facts))
        frontline = StakeholderGroup.FRONTLINE_CLINICIAN.value
        staff = [p for p in people if _unit(p) in units and p.group == frontline]
        return tuple(p.id for p in staff), tuple(sorted(units))
    return (), ()


def _matcher(metric: str, people: frozenset[int]) -> Callable[[ActivityFacts], bool]:
    if metric in TRAINING_METRICS:
        return lambda a: a.type == T.TRAINING_SESSION.value and bool(a.people & people)
    if metric == "resistant_key_players":
        kinds = {T.ONE_TO_ONE.value, T.SPONSOR_ONE_TO_ONE.value}
        return lambda a: a.type in kinds and bool(a.named & people)
    if metric in READINESS_METRICS:  # a group activity, not one person's 1:1
        enough = min(2, len(people))
        return lambda a: a.element is not None and len(a.people & people) >= enough > 0
    if metric == "super_users_per_frontline":
        kinds = {T.SUPER_USER_HUDDLE.value, T.TRAINING_SESSION.value}
        return lambda a: a.type in kinds and bool(a.people & people)
    if metric in ("open_critical_risks", "overdue_activities"):
        return lambda a: a.type == T.GOVERNANCE_MEETING.value
    return lambda a: False


def with_actions(
    result: CriterionResult, facts: GoLiveFacts, activities: Sequence[ActivityFacts]
) -> CriterionResult:
    """``result`` with the open activities (due by go-live) that address it, when it is red
    or amber; other results come back unchanged."""
    if not result.status.needs_action:
        return result
    people, units = targets(result, facts)
    matches = _matcher(result.spec.metric, frozenset(people))
    found = sorted(
        (
            a
            for a in activities
            if a.status in OPEN
            and (a.due is None or facts.go_live is None or a.due <= facts.go_live)
            and matches(a)
        ),
        key=lambda a: (a.due or date.max, a.id),
    )
    return replace(
        result,
        addressed_by=tuple(a.id for a in found),
        addressed_titles=tuple(a.title for a in found),
        target_people=people,
        target_units=units,
    )


def draft_for(result: CriterionResult) -> ActionDraft:
    """An activity that would address ``result``, for the user to adjust and save."""
    metric, who = result.spec.metric, scope_label(result.spec.scope)
    units = ", ".join(result.target_units[:3]) + ("…" if len(result.target_units) > 3 else "")
    people = result.target_people
    if metric in TRAINING_METRICS:
        return ActionDraft(f"Training catch-up: {len(people)} untrained ({who})",
                           T.TRAINING_SESSION, AdkarElement.KNOWLEDGE, people)  # fmt: skip
    if metric == "resistant_key_players":
        return ActionDraft("1:1s with the resistant key players", T.ONE_TO_ONE,
                           AdkarElement.DESIRE, people)  # fmt: skip
    if metric == "super_users_per_frontline":
        return ActionDraft(f"Recruit and brief super users: {units or who}",
                           T.SUPER_USER_HUDDLE, AdkarElement.ABILITY,
                           departments=result.target_units)  # fmt: skip
    if metric in READINESS_METRICS:
        return ActionDraft(f"Readiness follow-up: {units or who}", T.BRIEFING,
                           AdkarElement.DESIRE, departments=result.target_units)  # fmt: skip
    if metric == "open_critical_risks":
        return ActionDraft("Review the open critical risks", T.GOVERNANCE_MEETING, None)
    if metric == "overdue_activities":
        return ActionDraft("Review the overdue activities", T.GOVERNANCE_MEETING, None)
    return ActionDraft(f"Action on: {result.name}", T.GOVERNANCE_MEETING, None)


__all__ = ["ActionDraft", "ActivityFacts", "draft_for", "targets", "with_actions"]
