"""Go/no-go scorecard (``MODELS.md``, "Go/no-go criteria"), computed from plain facts.

Status of one criterion, for a metric where more is better: green when value ≥ threshold,
amber when threshold − band ≤ value < threshold, red below. For a metric where less is better
(counts of open critical risks, resistant key players…) the mirror image: green when
value ≤ threshold, amber up to threshold + band, red above. A criterion that cannot be
evaluated (no data in scope) is red: a gate nobody can evidence is not passed.

Overall: no-go if any critical criterion is red; conditional if any critical one is amber or
any major one is red; go otherwise. Every status carries its evidence (which units, by how
much).

Scopes: ``all``; ``role:<role>``; ``group:<group>``; ``department:<name>``; ``per unit``
(every department judged alone — the value is the worst unit's).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from cmio_desktop.models.enums import (
    Attitude,
    Criticality,
    RiskStatus,
    Role,
    StakeholderGroup,
)

#: Tolerance when comparing with a threshold (0.1 − 0.03 is 0.07000000000000001 in floats).
EPSILON = 1e-9
MAX_EVIDENCE = 8


class Status(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Overall(StrEnum):
    GO = "go"
    CONDITIONAL = "conditional"
    NO_GO = "no_go"

    @property
    def label(self) -> str:
        return {"go": "Go", "conditional": "Conditional go", "no_go": "No-go"}[self.value]


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


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    metric: str
    threshold: float
    amber_band: float = 0.0
    criticality: str = Criticality.MAJOR.value
    scope: str = "all"
    id: int | None = None


@dataclass(frozen=True)
class CriterionResult:
    spec: CriterionSpec
    status: Status
    value: float | None
    value_text: str
    threshold_text: str
    evidence: tuple[str, ...]

    @property
    def name(self) -> str:
        return self.spec.name


@dataclass(frozen=True)
class Scorecard:
    overall: Overall
    days_to_go_live: int | None
    results: tuple[CriterionResult, ...]
    reasons: tuple[str, ...]


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


def _is_key_player(p: PersonFacts, high: int) -> bool:
    return p.power >= high and p.interest >= high


def _resistant_key_players(
    people: list[PersonFacts], facts: GoLiveFacts, per_unit: bool
) -> Measure:
    high = facts.grid_high_threshold
    found = [
        p for p in people if _is_key_player(p, high) and p.attitude == Attitude.RESISTANT.value
    ]
    lines = tuple(f"{p.name} ({p.department or 'no department'}) is resistant" for p in found)
    return Measure(float(len(found)), lines=lines)


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
        MetricDef("resistant_key_players", "Resistant key players", False, "count",
                  _resistant_key_players, 0.0, 0.0, "all"),
        MetricDef("mean_readiness", "Mean readiness", True, "score", _mean_readiness,
                  3.5, 0.3, "all"),
        MetricDef("ready_pct", "People ready", True, "%", _ready_pct, 60.0, 10.0, "all"),
        MetricDef("untrained_at_go_live", "People losing access at go-live", False, "count",
                  _untrained, 0.0, 5.0, "all"),
        MetricDef("overdue_activities", "Overdue engagement activities", False, "count",
                  _overdue, 0.0, 3.0, "all", Criticality.MINOR.value),
    )
}  # fmt: skip


# -- formatting -----------------------------------------------------------------------------------


def format_value(metric: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    unit = METRICS[metric].unit if metric in METRICS else ""
    if unit == "%":
        return f"{value:.0f} %" if abs(value - round(value)) < 0.05 else f"{value:.1f} %"
    if unit == "score":
        return f"{value:.2f}"
    if unit == "ratio":
        return "none" if value <= 0 else f"1 per {_trim(1 / value)}"
    if unit == "count":
        return f"{value:.0f}"
    return f"{value:g}"


def _trim(number: float) -> str:
    text = f"{number:.1f}"
    return text[:-2] if text.endswith(".0") else text


def threshold_text(metric: str, threshold: float) -> str:
    definition = METRICS.get(metric)
    sign = "≥" if definition is None or definition.higher_is_better else "≤"
    return f"{sign} {format_value(metric, threshold)}"


def scope_label(scope: str) -> str:
    kind, _, value = scope.partition(":")
    kind = kind.strip().lower()
    if kind == "role":
        try:
            return f"{Role(value.strip()).label}s"
        except ValueError:
            return value
    if kind == "group":
        try:
            return StakeholderGroup(value.strip()).label
        except ValueError:
            return value
    if kind == "department":
        return value.strip()
    if kind in ("per unit", "per_unit", "unit"):
        return "each unit"
    return "everyone"


def template_name(metric: str, threshold: float, scope: str) -> str:
    """The name a template criterion gets, e.g. "Physician training completion ≥ 90 %"."""
    who = scope_label(scope)
    if metric == "training_completion_pct":
        prefix = "" if who in ("everyone", "each unit") else f"{who.removesuffix('s')} "
        suffix = " in each unit" if who == "each unit" else ""
        return f"{prefix}training completion ≥ {threshold:g} %{suffix}".capitalize()
    if metric == "min_department_readiness":
        return f"No department with mean readiness < {threshold:.1f}"
    if metric == "super_users_per_frontline":
        per = 1 / threshold if threshold > 0 else 0
        return f"≥ 1 super user per {per:g} frontline users per unit"
    if metric == "open_critical_risks":
        return "No open critical risk" if threshold == 0 else f"≤ {threshold:g} open critical risks"
    if metric == "resistant_key_players":
        return (
            "No key player resistant"
            if threshold == 0
            else f"≤ {threshold:g} resistant key players"
        )
    definition = METRICS.get(metric)
    label = definition.label if definition else metric
    return f"{label} {threshold_text(metric, threshold)}"


# -- evaluation ---------------------------------------------------------------------------------


def rag_status(
    value: float | None, threshold: float, band: float, higher_is_better: bool = True
) -> Status:
    """Green at or beyond the threshold, amber within ``band`` short of it, red beyond that."""
    if value is None:
        return Status.RED
    band = max(0.0, band)
    tol = EPSILON * max(1.0, abs(threshold))
    shortfall = (threshold - value) if higher_is_better else (value - threshold)
    if shortfall <= tol:
        return Status.GREEN
    if shortfall <= band + tol:
        return Status.AMBER
    return Status.RED


def in_scope(people: Iterable[PersonFacts], scope: str) -> tuple[list[PersonFacts], bool]:
    """The people a scope covers and whether it asks for a per-unit judgement."""
    kind, _, value = scope.partition(":")
    kind, value = kind.strip().lower(), value.strip()
    if kind == "role":
        return [p for p in people if p.role == value], False
    if kind == "group":
        return [p for p in people if p.group == value], False
    if kind == "department":
        return [p for p in people if p.department == value], False
    return list(people), kind in ("per unit", "per_unit", "unit")


def evaluate(spec: CriterionSpec, facts: GoLiveFacts) -> CriterionResult:
    definition = METRICS.get(spec.metric)
    if definition is None:
        return CriterionResult(
            spec, Status.RED, None, "n/a", f"{spec.threshold:g}",
            (f"Unknown metric '{spec.metric}': this criterion cannot be evaluated.",),
        )  # fmt: skip
    people, per_unit = in_scope(facts.people, spec.scope)
    measure = definition.compute(people, facts, per_unit)
    status = rag_status(measure.value, spec.threshold, spec.amber_band, definition.higher_is_better)
    evidence = list(measure.lines)
    failing = _failing_units(spec, definition, measure)
    evidence.extend(failing[:MAX_EVIDENCE])
    if len(failing) > MAX_EVIDENCE:
        evidence.append(f"… and {len(failing) - MAX_EVIDENCE} more units")
    if measure.units and not failing:
        evidence.append(f"All {len(measure.units)} units meet the threshold.")
    if measure.value is None:
        evidence.append("Not enough data to evaluate: treated as red.")
    return CriterionResult(
        spec,
        status,
        measure.value,
        format_value(spec.metric, measure.value),
        threshold_text(spec.metric, spec.threshold),
        tuple(evidence),
    )


def _failing_units(spec: CriterionSpec, definition: MetricDef, measure: Measure) -> list[str]:
    rows = []
    for unit, value in measure.units.items():
        status = rag_status(value, spec.threshold, spec.amber_band, definition.higher_is_better)
        if status is Status.GREEN:
            continue
        gap = abs(spec.threshold - value)
        rows.append((gap, unit, value, status))
    rows.sort(key=lambda r: (-r[0], r[1]))
    return [
        f"{unit}: {format_value(spec.metric, value)} — {_gap_text(spec.metric, gap)} short "
        f"({status.value}{'; ' + measure.unit_notes[unit] if unit in measure.unit_notes else ''})"
        for gap, unit, value, status in rows
    ]


def _gap_text(metric: str, gap: float) -> str:
    unit = METRICS[metric].unit
    if unit == "%":
        return f"{gap:.0f} points"
    if unit == "score":
        return f"{gap:.2f}"
    if unit == "ratio":
        return f"{gap:.3f}"
    return f"{gap:g}"


def overall_status(results: Iterable[CriterionResult]) -> tuple[Overall, tuple[str, ...]]:
    """No-go if any critical is red; conditional if any critical is amber or any major is red."""
    results = list(results)
    critical_red = [r for r in results if _crit(r) == "critical" and r.status is Status.RED]
    critical_amber = [r for r in results if _crit(r) == "critical" and r.status is Status.AMBER]
    major_red = [r for r in results if _crit(r) == "major" and r.status is Status.RED]
    if critical_red:
        return Overall.NO_GO, tuple(f"Critical criterion red: {r.name}" for r in critical_red)
    if critical_amber or major_red:
        reasons = [f"Critical criterion amber: {r.name}" for r in critical_amber]
        reasons += [f"Major criterion red: {r.name}" for r in major_red]
        return Overall.CONDITIONAL, tuple(reasons)
    return Overall.GO, ("No critical criterion below green and no major criterion red.",)


def _crit(result: CriterionResult) -> str:
    return str(result.spec.criticality)


def scorecard(specs: Iterable[CriterionSpec], facts: GoLiveFacts) -> Scorecard:
    results = tuple(evaluate(spec, facts) for spec in specs)
    overall, reasons = overall_status(results)
    days = (facts.go_live - facts.today).days if facts.go_live is not None else None
    return Scorecard(overall, days, results, reasons)
