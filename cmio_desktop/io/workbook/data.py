"""The executive workbook's input: plain, frozen data that the sheet writers lay out.

Nothing here knows about the database: ``services/workbook_data.py`` builds a
:class:`WorkbookData` from the services, and tests build one directly. Text is as the user
typed it (the writers neutralise it); enum-like fields already hold their display labels
("Key player", "Supportive"); readiness figures are 1–5 means, shares are fractions 0–1.

Rows that name a person carry ``person_id`` so the anonymised export can give each person one
pseudonym ("Physician 12") on every sheet.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from cmio_desktop.io.workbook.data_history import HistoryTrail
from cmio_desktop.io.workbook.data_portfolio import RedZoneEntry, SaturationGrid

Rag = Literal["green", "amber", "red", "unknown"]
Decision = Literal["go", "conditional", "no_go", "unknown"]

ELEMENT_LABELS = ("Awareness", "Desire", "Knowledge", "Ability", "Reinforcement")

Means = tuple[float | None, float | None, float | None, float | None, float | None]
"""Mean score per ADKAR element, in A→D→K→A→R order (None: nobody assessed)."""


def day_text(day: date) -> str:
    """ "2 Nov 2026": unambiguous in every locale, no leading zero."""
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class PersonName:
    """A person mentioned on a sheet (risk owners' stakeholders, key names of a quadrant)."""

    person_id: int | None
    name: str


@dataclass(frozen=True)
class WorkbookMeta:
    organisation: str
    initiative: str
    prepared_on: date
    go_live: date | None = None
    description: str = ""

    @property
    def days_to_go_live(self) -> int | None:
        return None if self.go_live is None else (self.go_live - self.prepared_on).days


@dataclass(frozen=True)
class Kpi:
    """One headline figure. ``number_format`` is an Excel format ("0%", "0.0", "#,##0")."""

    label: str
    value: float | int | str | None
    number_format: str = "General"
    comment: str = ""
    status: Rag | None = None


@dataclass(frozen=True)
class DepartmentReadiness:
    """One department's row of the ADKAR heat map (latest round per person)."""

    department: str
    people: int
    assessed: int
    elements: Means
    readiness: float | None
    influence_weighted: float | None = None
    ready_share: float | None = None
    main_barrier: str = ""


@dataclass(frozen=True)
class TrendPoint:
    """One assessment round: its label, when it ran, and the mean scores in it."""

    label: str
    on: date | None
    assessed: int
    readiness: float | None
    elements: Means = (None, None, None, None, None)


@dataclass(frozen=True)
class AttitudeCount:
    attitude: str
    people: int


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One person on the register sheet: text as shown (list labels, "" for blank).

    The named attributes are the fields other sheets compute with; any other stored field the
    field registry puts on the sheet (:mod:`cmio_desktop.stakeholder_fields`) rides in
    ``fields``, by key. :meth:`value` reads either by key.
    """

    person_id: int
    name: str
    title: str
    role: str
    group: str
    department: str
    site: str
    email: str
    power: int
    interest: int
    quadrant: str
    attitude: str
    desired_attitude: str
    readiness: float | None
    barrier: str
    flags: str
    external_id: str
    network_influence: float | None = None  # 0–100 (PageRank); power is "Power (rated)"
    fields: Mapping[str, Any] = field(default_factory=dict)

    def value(self, key: str) -> Any:
        """The value of column ``key``: a named attribute, else ``fields[key]`` ("" if absent)."""
        if key in _REGISTER_ATTRIBUTES:
            return getattr(self, key)
        return self.fields.get(key, "")


_REGISTER_ATTRIBUTES = frozenset(RegisterRow.__dataclass_fields__) - {"fields"}


@dataclass(frozen=True)
class QuadrantRow:
    """One Mendelow quadrant: who is in it and how ready they are."""

    quadrant: str
    strategy: str
    people: int
    resistant_or_unaware: int
    mean_readiness: float | None
    hot_spots: int
    leading: tuple[PersonName, ...] = ()


@dataclass(frozen=True)
class InfluenceRow:
    """A person on one of the network lists: "Key resister" (the one list, in the app's order),
    "Champion", "Top influencer", "Broker" or "Hot spot"."""

    list_name: str
    rank: int
    person_id: int
    name: str
    role: str
    department: str
    influence: float  # network influence, 0–100 (PageRank)
    betweenness: float
    reach: float
    readiness: float | None
    attitude: str
    reason: str
    power_rated: int | None = None  # 1–5, typed in (Mendelow power)


@dataclass(frozen=True)
class ActivityRow:
    title: str
    kind: str
    element: str
    audience: str
    owner: str
    start: date | None
    due: date | None
    status: str
    closed: bool  # done or cancelled: never overdue
    outcome: str = ""


@dataclass(frozen=True)
class CommunicationRow:
    audience: str
    message: str
    channel: str
    sender: str
    cadence: str
    start: date | None
    end: date | None


@dataclass(frozen=True)
class TrainingRow:
    """Completion of one course by one role in one unit (``department`` "" = all units)."""

    role: str
    department: str
    course: str
    required: int
    completed: int
    required_by: date | None = None

    @property
    def completion(self) -> float | None:
        return self.completed / self.required if self.required else None


@dataclass(frozen=True)
class RiskRow:
    description: str
    likelihood: int
    impact: int
    criticality: str
    status: str
    owner: str
    mitigation: str
    people: tuple[PersonName, ...] = ()

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


@dataclass(frozen=True)
class CriterionRow:
    name: str
    criticality: str
    scope: str
    threshold: str
    actual: str
    status: Rag
    evidence: str = ""


@dataclass(frozen=True)
class GoNoGo:
    decision: Decision
    summary: str = ""
    criteria: tuple[CriterionRow, ...] = ()

    @property
    def label(self) -> str:
        return DECISION_LABELS[self.decision]


DECISION_LABELS: dict[str, str] = {
    "go": "GO",
    "conditional": "CONDITIONAL GO",
    "no_go": "NO-GO",
    "unknown": "NOT ASSESSED",
}


@dataclass(frozen=True)
class ForecastFigures:
    """The readiness forecast for the Summary sheet: the verdict sentence, mean readiness
    today and at go-live with and without the plan, and the back-test (mean absolute error
    of the model and the two naive forecasts on the last observed round; None without two
    rounds)."""

    verdict: str
    today: float
    without_plan: float
    with_plan: float
    backtest_text: str
    backtest_round: str | None = None
    mae_model: float | None = None
    mae_no_change: float | None = None
    mae_last_trend: float | None = None


@dataclass(frozen=True)
class WorkbookData:
    """Everything one workbook shows. Empty sequences give a sheet that says so."""

    meta: WorkbookMeta
    kpis: Sequence[Kpi] = ()
    go_no_go: GoNoGo = field(default_factory=lambda: GoNoGo("unknown"))
    departments: Sequence[DepartmentReadiness] = ()
    trend: Sequence[TrendPoint] = ()
    attitudes: Sequence[AttitudeCount] = ()
    register: Sequence[RegisterRow] = ()
    quadrants: Sequence[QuadrantRow] = ()
    grid_counts: tuple[tuple[int, ...], ...] = ()  # [power - 1][interest - 1]
    influence: Sequence[InfluenceRow] = ()
    activities: Sequence[ActivityRow] = ()
    communications: Sequence[CommunicationRow] = ()
    training: Sequence[TrainingRow] = ()
    risks: Sequence[RiskRow] = ()
    definitions: Sequence[tuple[str, str]] = ()  # (topic, explanation) for the Notes sheet
    forecast: ForecastFigures | None = None
    ready_threshold: float = 4.0  # the readiness settings: chart colours follow the one rule
    barrier_max: int = 3
    red_zone: Sequence[RedZoneEntry] = ()
    saturation: SaturationGrid = field(default_factory=SaturationGrid)
    history: HistoryTrail | None = None  # only when the History sheet is asked for
