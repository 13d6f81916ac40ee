"""ADKAR readiness: scores, barrier point, latest round per person, group aggregates.

Definitions follow ``MODELS.md`` ("Readiness (ADKAR)"): readiness is the mean of the five
element scores; the barrier point is the first element in A→D→K→A→R order scoring at or below
``barrier_max`` (default 3), or the lowest element in "lowest" mode (ties broken by A→R order);
there is no barrier when every element is above ``barrier_max``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from cmio_desktop.enums import AdkarElement

BarrierMode = Literal["first", "lowest"]
ELEMENTS: tuple[AdkarElement, ...] = tuple(AdkarElement)


@dataclass(frozen=True)
class ReadinessSettings:
    """Thresholds for "ready" and the barrier point."""

    ready_threshold: float = 4.0
    barrier_max: int = 3
    barrier_mode: BarrierMode = "first"

    def __post_init__(self) -> None:
        if self.barrier_mode not in ("first", "lowest"):
            raise ValueError(f"barrier_mode must be 'first' or 'lowest', not {self.barrier_mode!r}")


@dataclass(frozen=True)
class AdkarScores:
    """One round's 1–5 scores, in A→D→K→A→R order."""

    awareness: int
    desire: int
    knowledge: int
    ability: int
    reinforcement: int

    def __post_init__(self) -> None:
        for element, value in zip(ELEMENTS, self.as_tuple(), strict=True):
            if not 1 <= value <= 5:
                raise ValueError(f"{element.value} score must be in 1..5, got {value}")

    @classmethod
    def of(cls, values: Iterable[int]) -> AdkarScores:
        return cls(*values)

    def as_tuple(self) -> tuple[int, int, int, int, int]:
        return (self.awareness, self.desire, self.knowledge, self.ability, self.reinforcement)

    def __getitem__(self, element: AdkarElement) -> int:
        return int(getattr(self, element.value))


def readiness(scores: AdkarScores) -> float:
    """Mean of the five element scores."""
    return sum(scores.as_tuple()) / len(ELEMENTS)


def barrier_point(
    scores: AdkarScores, mode: BarrierMode = "first", barrier_max: int = 3
) -> AdkarElement | None:
    """The element holding the person back, or ``None`` when every element is above
    ``barrier_max``. Mode "first": first in A→D→K→A→R order at or below ``barrier_max``;
    mode "lowest": the lowest-scoring element, ties going to the earlier element."""
    values = scores.as_tuple()
    if min(values) > barrier_max:
        return None
    if mode == "first":
        return next(e for e, v in zip(ELEMENTS, values, strict=True) if v <= barrier_max)
    if mode == "lowest":
        return ELEMENTS[values.index(min(values))]  # index() returns the first of equals
    raise ValueError(f"mode must be 'first' or 'lowest', not {mode!r}")


def is_ready(scores: AdkarScores, settings: ReadinessSettings | None = None) -> bool:
    """Readiness at or above the threshold and no barrier point."""
    s = settings or ReadinessSettings()
    no_barrier = barrier_point(scores, s.barrier_mode, s.barrier_max) is None
    return readiness(scores) >= s.ready_threshold and no_barrier


def readiness_band(value: float | None, settings: ReadinessSettings | None = None) -> str:
    """ "ready", "at_risk" or "not_ready" for a mean readiness (a department's, a round's), judged
    on the value as it is shown (one decimal), so that a bar labelled "4.0" is never drawn as
    not ready: ready at or above the ready threshold, not ready below the barrier line
    (``barrier_max``), at risk between. None (nobody assessed) is not ready."""
    s = settings or ReadinessSettings()
    if value is None or math.isnan(value):
        return "not_ready"
    shown = round(value + 1e-9, 1)
    if shown >= s.ready_threshold:
        return "ready"
    return "not_ready" if shown < s.barrier_max else "at_risk"


@dataclass(frozen=True)
class Assessment:
    """One person's round. ``taken_on`` is any comparable (date, datetime, round number);
    ``sequence`` breaks ties between rounds taken on the same date (e.g. the row id)."""

    person_id: Hashable
    taken_on: Any
    scores: AdkarScores
    sequence: int = 0


@dataclass(frozen=True)
class PersonReadiness:
    """A person's latest round and the one before it."""

    person_id: Hashable
    latest: Assessment
    previous: Assessment | None
    rounds: int

    @property
    def scores(self) -> AdkarScores:
        return self.latest.scores

    @property
    def readiness(self) -> float:
        return readiness(self.latest.scores)

    @property
    def change(self) -> float | None:
        """Readiness change since the previous round (``None`` for a first round)."""
        if self.previous is None:
            return None
        return self.readiness - readiness(self.previous.scores)

    @property
    def element_change(self) -> dict[AdkarElement, int] | None:
        if self.previous is None:
            return None
        now, before = self.latest.scores, self.previous.scores
        return {e: now[e] - before[e] for e in ELEMENTS}


def latest_per_person(assessments: Iterable[Assessment]) -> dict[Hashable, PersonReadiness]:
    """Each person's latest round (by ``taken_on`` then ``sequence``) and the previous one.
    Pass one initiative's rounds only."""
    by_person: dict[Hashable, list[Assessment]] = defaultdict(list)
    for a in assessments:
        by_person[a.person_id].append(a)
    result: dict[Hashable, PersonReadiness] = {}
    for person, rounds in by_person.items():
        rounds.sort(key=lambda a: (a.taken_on, a.sequence))
        previous = rounds[-2] if len(rounds) > 1 else None
        result[person] = PersonReadiness(person, rounds[-1], previous, len(rounds))
    return result


def influence_weighted_readiness(
    readiness_by_person: Mapping[Hashable, float], influence: Mapping[Hashable, float]
) -> float | None:
    """Σ influenceᵢ·readinessᵢ / Σ influenceᵢ over people with a readiness; ``None`` if the
    total influence is zero. People missing from ``influence`` weigh zero."""
    total = weighted = 0.0
    for person, value in readiness_by_person.items():
        w = float(influence.get(person, 0.0))
        total += w
        weighted += w * value
    return weighted / total if total > 0 else None


@dataclass(frozen=True)
class GroupReadiness:
    """Aggregate over one group; figures use the ``assessed`` people of ``members``."""

    group: Hashable
    members: int
    assessed: int
    element_means: dict[AdkarElement, float]
    mean_readiness: float | None
    ready: int
    barriers: dict[AdkarElement | None, int]
    influence_weighted: float | None

    @property
    def share_ready(self) -> float | None:
        return self.ready / self.assessed if self.assessed else None


def group_readiness(
    latest: Mapping[Hashable, AdkarScores],
    groups: Mapping[Hashable, Hashable],
    settings: ReadinessSettings | None = None,
    influence: Mapping[Hashable, float] | None = None,
) -> dict[Hashable, GroupReadiness]:
    """Per-group means per element and of readiness, counts of ready people and of barrier
    points, and influence-weighted readiness (when ``influence`` is given).

    ``groups`` maps every member to a group label (department, role…); ``latest`` maps the
    people with at least one round to their latest scores.
    """
    s = settings or ReadinessSettings()
    members: Counter[Hashable] = Counter(groups.values())
    scored: dict[Hashable, list[Hashable]] = defaultdict(list)
    for person, label in groups.items():
        if person in latest:
            scored[label].append(person)
    result: dict[Hashable, GroupReadiness] = {}
    for label, count in members.items():
        people = scored.get(label, [])
        scores = [latest[p] for p in people]
        n = len(scores)
        element_means = {
            e: sum(sc[e] for sc in scores) / n if n else float("nan") for e in ELEMENTS
        }
        values = {p: readiness(latest[p]) for p in people}
        barriers = Counter(barrier_point(sc, s.barrier_mode, s.barrier_max) for sc in scores)
        result[label] = GroupReadiness(
            group=label,
            members=count,
            assessed=n,
            element_means=element_means,
            mean_readiness=sum(values.values()) / n if n else None,
            ready=sum(is_ready(sc, s) for sc in scores),
            barriers=dict(barriers),
            influence_weighted=(
                influence_weighted_readiness(values, influence) if influence is not None else None
            ),
        )
    return result
