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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from cmio_desktop.analysis.golive_metrics import (
    METRICS,
    GoLiveFacts,
    Measure,
    MetricDef,
    PersonFacts,
    RiskFacts,
)
from cmio_desktop.enums import Criticality, Role, StakeholderGroup

if TYPE_CHECKING:
    from cmio_desktop.analysis.golive_actions import ActivityFacts

__all__ = [
    "METRICS",
    "CriterionResult",
    "CriterionSpec",
    "GoLiveFacts",
    "Overall",
    "PersonFacts",
    "RiskFacts",
    "Scorecard",
    "Status",
    "evaluate",
    "format_value",
    "overall_status",
    "rag_status",
    "scope_label",
    "scorecard",
    "template_name",
    "threshold_text",
]

#: Tolerance when comparing with a threshold (0.1 − 0.03 is 0.07000000000000001 in floats).
EPSILON = 1e-9
MAX_EVIDENCE = 8


class Status(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NOT_ASSESSED = "not_assessed"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def needs_action(self) -> bool:
        return self in (Status.RED, Status.AMBER)


class Overall(StrEnum):
    GO = "go"
    CONDITIONAL = "conditional"
    NO_GO = "no_go"
    NOT_ASSESSED = "not_assessed"

    @property
    def label(self) -> str:
        return {
            "go": "Go",
            "conditional": "Conditional go",
            "no_go": "No-go",
            "not_assessed": "Not assessed",
        }[self.value]


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    metric: str
    threshold: float
    amber_band: float = 0.0
    criticality: str = Criticality.MAJOR.value
    scope: str = "all"
    id: int | None = None
    version: int = 0  # the stored row's version as read (an edit or delete made on it checks it)


@dataclass(frozen=True)
class CriterionResult:
    spec: CriterionSpec
    status: Status
    value: float | None
    value_text: str
    threshold_text: str
    evidence: tuple[str, ...]
    addressed_by: tuple[int, ...] = ()  # planned / in-progress activities that address it
    addressed_titles: tuple[str, ...] = ()
    target_people: tuple[int, ...] = ()  # who falls short (for drafting an activity)
    target_units: tuple[str, ...] = ()  # departments that fall short

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def no_action_planned(self) -> bool:
        return self.status.needs_action and not self.addressed_by


@dataclass(frozen=True)
class Scorecard:
    overall: Overall
    days_to_go_live: int | None
    results: tuple[CriterionResult, ...]
    reasons: tuple[str, ...]


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
        return "No key resisters" if threshold == 0 else f"≤ {threshold:g} key resisters"
    definition = METRICS.get(metric)
    label = definition.label if definition else metric
    return f"{label} {threshold_text(metric, threshold)}"


# -- evaluation ---------------------------------------------------------------------------------


def rag_status(
    value: float | None, threshold: float, band: float, higher_is_better: bool = True
) -> Status:
    """Green at or beyond the threshold, amber within ``band`` short of it, red beyond that;
    not assessed without a value."""
    if value is None:
        return Status.NOT_ASSESSED
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
            spec, Status.NOT_ASSESSED, None, "n/a", f"{spec.threshold:g}",
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
        evidence.append("No data to evaluate: not assessed (never counted as green).")
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
        if status in (Status.GREEN, Status.NOT_ASSESSED):
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
    """No-go if any critical is red; not assessed with no criteria or any criterion without
    data; conditional if any critical is amber or any major is red; go otherwise."""
    results = list(results)
    if not results:
        return Overall.NOT_ASSESSED, ("No go-live criteria yet: add criteria to assess.",)
    critical_red = [r for r in results if _crit(r) == "critical" and r.status is Status.RED]
    critical_amber = [r for r in results if _crit(r) == "critical" and r.status is Status.AMBER]
    major_red = [r for r in results if _crit(r) == "major" and r.status is Status.RED]
    unknown = [r for r in results if r.status is Status.NOT_ASSESSED]
    if critical_red:
        return Overall.NO_GO, tuple(f"Critical criterion red: {r.name}" for r in critical_red)
    if unknown:
        return Overall.NOT_ASSESSED, tuple(f"Not assessed (no data): {r.name}" for r in unknown)
    if critical_amber or major_red:
        reasons = [f"Critical criterion amber: {r.name}" for r in critical_amber]
        reasons += [f"Major criterion red: {r.name}" for r in major_red]
        return Overall.CONDITIONAL, tuple(reasons)
    return Overall.GO, ("No critical criterion below green and no major criterion red.",)


def _crit(result: CriterionResult) -> str:
    return str(result.spec.criticality)


def scorecard(
    specs: Iterable[CriterionSpec],
    facts: GoLiveFacts,
    activities: Sequence[ActivityFacts] = (),
) -> Scorecard:
    """Every criterion judged, with the open activities that address it."""
    from cmio_desktop.analysis.golive_actions import with_actions  # it imports this module

    results = tuple(with_actions(evaluate(spec, facts), facts, activities) for spec in specs)
    overall, reasons = overall_status(results)
    days = (facts.go_live - facts.today).days if facts.go_live is not None else None
    return Scorecard(overall, days, results, reasons)
