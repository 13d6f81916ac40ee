"""The dashboard's figures as plain data (``services.dashboard`` computes them). No SQLAlchemy
or numpy here: the dashboard snapshot (``services.dashboard_snapshot``) rebuilds these at
start-up, before the database libraries load."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cmio_desktop.analysis.adkar import ReadinessSettings
from cmio_desktop.analysis.golive import Overall, Status


@dataclass(frozen=True)
class DashboardSummary:
    organisation: str
    initiative_id: int | None
    initiative_name: str
    go_live: date | None
    days_to_go_live: int | None
    people: int
    assessed: int
    ready: int
    mean_readiness: float | None
    readiness_by_department: list[tuple[str, float, int]]  # (department, mean, assessed)
    barriers: dict[str, int]  # element value → people whose barrier it is
    activities_open: int
    activities_due_soon: int
    activities_overdue: int
    due_by_week: list[tuple[date, int]]  # Monday → open activities due that week
    training_required: int
    training_trained: int
    training_by_role: list[tuple[str, float, int]]  # (role, %, people required)
    open_risks: int
    open_critical_risks: int
    overall: Overall | None
    status_counts: dict[str, int] = field(default_factory=dict)
    readiness_settings: ReadinessSettings = ReadinessSettings()  # the one "ready" rule

    @property
    def ready_pct(self) -> float | None:
        return 100.0 * self.ready / self.assessed if self.assessed else None

    @property
    def training_pct(self) -> float | None:
        if not self.training_required:
            return None
        return 100.0 * self.training_trained / self.training_required

    @property
    def untrained(self) -> int:
        return self.training_required - self.training_trained


@dataclass(frozen=True)
class NetworkKpis:
    people: int
    influence_weighted: float | None  # Σ influence·readiness / Σ influence over the assessed
    headcount_readiness: float | None
    hot_spots: int
    top_hot_spots: list[tuple[int, str, str]]  # (id, name, department), most influential first
    assessed: int = 0  # people with a readiness round for the initiative
    key_resisters: int = 0
    #: The key resisters the card names — the one list (``services.key_people``), in order.
    top_key_resisters: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class GoLiveFigure:
    """The dashboard's go/no-go card: the same verdict as the Go-live page and ``cmio
    golive`` (``analysis.golive.overall_status``), never GO without criteria or data."""

    value: str
    note: str
    status: str  # Overall value


def golive_figure(s: DashboardSummary) -> GoLiveFigure:
    if s.overall is None:  # no initiative: nothing to assess
        return GoLiveFigure(Overall.NOT_ASSESSED.label, "No initiative yet", "not_assessed")
    counts = s.status_counts
    if not counts:
        return GoLiveFigure(s.overall.label, "No criteria yet", s.overall.value)
    note = " · ".join(
        f"{counts[st.value]} {st.label.lower()}" for st in Status if counts.get(st.value)
    )
    return GoLiveFigure(s.overall.label, note, s.overall.value)
