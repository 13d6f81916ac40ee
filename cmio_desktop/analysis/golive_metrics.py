"""Go/no-go metrics: the plain facts a scorecard is judged on, and one function per metric.

Each metric returns a :class:`Measure`: its value (``None`` when there is nothing in scope to
measure), per-unit values (departments) and evidence lines. ``METRICS`` names every metric
with its direction (more or less is better), unit and template defaults; the metric names are
stored in the workspace, so they never change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from cmio_desktop.enums import Attitude, Criticality, RiskStatus, StakeholderGroup

# -- facts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonFacts:
    id: int
    name: str
    role: str
    group: str
    department: str
    attitude: str = Attitude.NEUTRAL.value
    power: int = 3
    interest: int = 3
    super_user: bool = False
    readiness: float | None = None  # latest round's mean, None if never assessed
    ready: bool | None = None
    required_courses: frozenset[int] = frozenset()
    completed_courses: frozenset[int] = frozenset()

    @property
    def trained(self) -> bool:
        return self.required_courses <= self.completed_courses


@dataclass(frozen=True)
class RiskFacts:
    id: int
    description: str
    criticality: str
    status: str
    likelihood: int = 3
    impact: int = 3


@dataclass(frozen=True)
class GoLiveFacts:
    today: date
    go_live: date | None
    people: tuple[PersonFacts, ...] = ()
    risks: tuple[RiskFacts, ...] = ()
    overdue_activities: tuple[str, ...] = ()  # titles
    grid_high_threshold: int = 4
    #: Key resisters' ids, most influential first, from the network analysis (the one list
    #: the dashboard, rankings and register show); None when it was not computed.
    key_resisters: tuple[int, ...] | None = None
    #: Super users per unit from the roster (a person may support a unit other than their
    #: own department); None: count the people flagged, in their own department.
    super_user_units: Mapping[str, int] | None = None


# -- metrics ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """A metric's value with per-unit values and extra evidence lines."""

    value: float | None
    units: dict[str, float] = field(default_factory=dict)
    lines: tuple[str, ...] = ()
    unit_notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class MetricDef:
    key: str
    label: str
    higher_is_better: bool
    unit: str  # "%", "score", "ratio", "count"
    compute: Callable[[list[PersonFacts], GoLiveFacts, bool], Measure]
    default_threshold: float
    default_band: float
    default_scope: str
    default_criticality: str = Criticality.MAJOR.value


def _units(people: Iterable[PersonFacts]) -> dict[str, list[PersonFacts]]:
    out: dict[str, list[PersonFacts]] = defaultdict(list)
    for p in people:
        out[p.department or "(no department)"].append(p)
    return dict(sorted(out.items()))


def _training(people: list[PersonFacts], facts: GoLiveFacts, per_unit: bool) -> Measure:
    needing = [p for p in people if p.required_courses]
    if not needing:
        return Measure(None, lines=("Nobody in scope has a required course.",))
    units, notes = {}, {}
    for unit, members in _units(needing).items():
        done = sum(p.trained for p in members)
        units[unit] = 100.0 * done / len(members)
        notes[unit] = f"{len(members) - done} of {len(members)} untrained"
    trained = sum(p.trained for p in needing)
    overall = 100.0 * trained / len(needing)
    line = f"{trained:,} of {len(needing):,} trained; {len(needing) - trained:,} would lose access"
    return Measure(min(units.values()) if per_unit else overall, units, (line,), notes)


def _min_department_readiness(
    people: list[PersonFacts], facts: GoLiveFacts, per_unit: bool
) -> Measure:
    units, notes = {}, {}
    for unit, members in _units(p for p in people if p.readiness is not None).items():
        values = [p.readiness for p in members if p.readiness is not None]
        units[unit] = sum(values) / len(values)
        notes[unit] = f"{len(values)} assessed"
    if not units:
        return Measure(None, lines=("No readiness assessments in scope.",))
    worst = min(units, key=units.__getitem__)
    return Measure(units[worst], units, (f"Lowest: {worst} at {units[worst]:.2f}",), notes)


def _super_users(people: list[PersonFacts], facts: GoLiveFacts, per_unit: bool) -> Measure:
    units, notes = {}, {}
    for unit, members in _units(people).items():
        frontline = sum(p.group == StakeholderGroup.FRONTLINE_CLINICIAN.value for p in members)
        if not frontline:
            continue
        if facts.super_user_units is not None:
            supers = facts.super_user_units.get(unit, 0)
        else:
            supers = sum(p.super_user for p in members)
        units[unit] = supers / frontline
        notes[unit] = f"{supers} super user{'s' if supers != 1 else ''} for {frontline} frontline"
    if not units:
        return Measure(None, lines=("No frontline users in scope.",))
    return Measure(min(units.values()), units, (), notes)


def _open_critical_risks(people: list[PersonFacts], facts: GoLiveFacts, per_unit: bool) -> Measure:
    open_ = [
        r
        for r in facts.risks
        if r.criticality == Criticality.CRITICAL.value and r.status != RiskStatus.CLOSED.value
    ]
    lines = tuple(
        f"{r.description} (likelihood {r.likelihood} × impact {r.impact}, {r.status})"
        for r in sorted(open_, key=lambda r: -r.likelihood * r.impact)
    )
    return Measure(float(len(open_)), lines=lines)


def _key_resisters(people: list[PersonFacts], facts: GoLiveFacts, per_unit: bool) -> Measure:
    """Key resisters in scope, in the network analysis' order (never recomputed here)."""
    if facts.key_resisters is None:
        return Measure(None, lines=("Key resisters were not computed.",))
    in_scope = {p.id: p for p in people}
    found = [in_scope[i] for i in facts.key_resisters if i in in_scope]
    lines = tuple(
        f"{p.name} ({p.department or 'no department'}) is a key resister: "
        f"{_attitude_text(p.attitude)}, power (rated) {p.power}"
        for p in found
    )
    return Measure(float(len(found)), lines=lines)


def _attitude_text(value: str) -> str:
    try:
        return Attitude(value).label.lower()
    except ValueError:
        return value


def _mean_readiness(people: list[PersonFacts], facts: GoLiveFacts, per_unit: bool) -> Measure:
    dept = _min_department_readiness(people, facts, per_unit)
    values = [p.readiness for p in people if p.readiness is not None]
    if not values:
        return Measure(None, lines=("No readiness assessments in scope.",))
    mean = sum(values) / len(values)
    line = f"{len(values):,} of {len(people):,} people assessed"
    return Measure(dept.value if per_unit else mean, dept.units, (line,), dept.unit_notes)


def _ready_pct(people: list[PersonFacts], facts: GoLiveFacts, per_unit: bool) -> Measure:
    units, notes = {}, {}
    for unit, members in _units(p for p in people if p.ready is not None).items():
        ready = sum(bool(p.ready) for p in members)
        units[unit] = 100.0 * ready / len(members)
        notes[unit] = f"{ready} of {len(members)} ready"
    assessed = [p for p in people if p.ready is not None]
    if not assessed:
        return Measure(None, lines=("No readiness assessments in scope.",))
    share = 100.0 * sum(bool(p.ready) for p in assessed) / len(assessed)
    return Measure(min(units.values()) if per_unit else share, units, (), notes)


def _untrained(people: list[PersonFacts], facts: GoLiveFacts, per_unit: bool) -> Measure:
    untrained = [p for p in people if p.required_courses and not p.trained]
    by_unit = _units(untrained)
    lines = tuple(f"{unit}: {len(members)} untrained" for unit, members in by_unit.items())
    return Measure(float(len(untrained)), lines=lines)


def _overdue(people: list[PersonFacts], facts: GoLiveFacts, per_unit: bool) -> Measure:
    return Measure(float(len(facts.overdue_activities)), lines=facts.overdue_activities)


METRICS: dict[str, MetricDef] = {
    m.key: m
    for m in (
        MetricDef("training_completion_pct", "Training completion", True, "%",
                  _training, 90.0, 10.0, "role:physician", Criticality.CRITICAL.value),
        MetricDef("min_department_readiness", "Lowest department mean readiness", True, "score",
                  _min_department_readiness, 3.0, 0.3, "all", Criticality.CRITICAL.value),
        MetricDef("super_users_per_frontline", "Super users per frontline user (per unit)", True,
                  "ratio", _super_users, 0.1, 0.03, "per unit"),
        MetricDef("open_critical_risks", "Open critical risks", False, "count",
                  _open_critical_risks, 0.0, 0.0, "all", Criticality.CRITICAL.value),
        MetricDef("resistant_key_players", "Key resisters", False, "count",
                  _key_resisters, 0.0, 0.0, "all"),
        MetricDef("mean_readiness", "Mean readiness", True, "score", _mean_readiness,
                  3.5, 0.3, "all"),
        MetricDef("ready_pct", "People ready", True, "%", _ready_pct, 60.0, 10.0, "all"),
        MetricDef("untrained_at_go_live", "People losing access at go-live", False, "count",
                  _untrained, 0.0, 5.0, "all"),
        MetricDef("overdue_activities", "Overdue engagement activities", False, "count",
                  _overdue, 0.0, 3.0, "all", Criticality.MINOR.value),
    )
}  # fmt: skip
