"""Dashboard figures for one initiative, in two parts so the page opens fast:

* :func:`summary` — people, readiness, activities due and overdue, training, risks and the
  go/no-go status: plain reads, no graph work (cached by workspace revision and day);
* :func:`network_kpis` — influence-weighted readiness and hot spots, from the network
  analysis, which ``services.network`` caches by revision (the first call per revision costs a
  PageRank, betweenness and Louvain run; run it off the UI thread).
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import select

from cmio_desktop.analysis.adkar import ReadinessSettings
from cmio_desktop.analysis.golive import Overall, Status
from cmio_desktop.enums import AdkarElement
from cmio_desktop.models import Organisation
from cmio_desktop.services.governance import golive
from cmio_desktop.services.governance.records import list_risks
from cmio_desktop.services.plan.activities import due_soon, list_activities
from cmio_desktop.services.plan.facts import department_readiness, people_facts
from cmio_desktop.services.plan.training import overview_from
from cmio_desktop.services.workspace_info import revision
from cmio_desktop.store import Workspace

Progress = Callable[[int, str], None]
WEEKS_AHEAD = 12


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


_lock = threading.Lock()
_cache: OrderedDict[Any, DashboardSummary] = OrderedDict()


def summary(
    ws: Workspace,
    initiative_id: int | None,
    today: date | None = None,
    metrics_runner: Any = None,
) -> DashboardSummary:
    """``metrics_runner``: for the network analysis a "Key resisters" go-live criterion needs
    (as for ``network.analyze``)."""
    today = today or date.today()
    key = (str(ws.path.resolve()), revision(ws), initiative_id, today)
    with _lock:
        if key in _cache:
            return _cache[key]
    result = _summary(ws, initiative_id, today, metrics_runner)
    with _lock:
        _cache[key] = result
        while len(_cache) > 8:
            _cache.popitem(last=False)
    return result


def _summary(
    ws: Workspace, initiative_id: int | None, today: date, metrics_runner: Any = None
) -> DashboardSummary:
    facts = people_facts(ws, initiative_id)
    with ws.read_session() as session:
        organisation = session.scalar(select(Organisation.name).order_by(Organisation.id)) or ""
    initiative = facts.initiative
    people = [p for p in facts.people if not p.is_body]
    assessed = [p for p in people if p.readiness is not None]
    departments = department_readiness(facts)
    barriers = Counter(p.barrier.value for p in assessed if isinstance(p.barrier, AdkarElement))
    training = overview_from(facts)
    activities, risks, card = [], [], None
    if initiative is not None:
        activities = list_activities(ws, initiative.id, today)
        risks = list_risks(ws, initiative.id)
        card = golive.evaluate(ws, initiative.id, today, metrics_runner=metrics_runner)
    open_acts = [a for a in activities if a.is_open]
    monday = today - timedelta(days=today.weekday())
    weeks = [monday + timedelta(weeks=i) for i in range(WEEKS_AHEAD)]
    due_by_week = [
        (w, sum(1 for a in open_acts if a.due and w <= a.due < w + timedelta(days=7)))
        for w in weeks
    ]
    open_risks = [r for r in risks if r.is_open]
    mean = sum(p.readiness or 0.0 for p in assessed) / len(assessed) if assessed else None
    return DashboardSummary(
        organisation=organisation,
        initiative_id=initiative.id if initiative else None,
        initiative_name=initiative.name if initiative else "",
        go_live=initiative.go_live if initiative else None,
        days_to_go_live=(initiative.go_live - today).days
        if initiative and initiative.go_live
        else None,
        people=len(people),
        assessed=len(assessed),
        ready=sum(bool(p.ready) for p in assessed),
        mean_readiness=mean,
        readiness_by_department=departments,
        barriers=dict(barriers),
        activities_open=len(open_acts),
        activities_due_soon=len(due_soon(activities, today)),
        activities_overdue=sum(a.overdue for a in activities),
        due_by_week=due_by_week,
        training_required=training.overall.required,
        training_trained=training.overall.trained,
        training_by_role=[(g.label, g.pct or 0.0, g.required) for g in training.by_role],
        open_risks=len(open_risks),
        open_critical_risks=sum(r.criticality == "critical" for r in open_risks),
        overall=card.overall if card else None,
        status_counts=dict(Counter(r.status.value for r in card.results)) if card else {},
        readiness_settings=facts.readiness_settings,
    )


def network_kpis(
    ws: Workspace,
    initiative_id: int | None,
    progress: Progress | None = None,
    metrics_runner: Any = None,
) -> NetworkKpis:
    from cmio_desktop.services.network import analysis as network
    from cmio_desktop.services.network.key_people import key_resister_rows

    analysis = network.analyze(ws, initiative_id, progress=progress, metrics_runner=metrics_runner)
    values = analysis.readiness
    assessed = ~np.isnan(values)
    weights = analysis.influence[assessed]
    total = float(weights.sum())
    weighted = float((weights * values[assessed]).sum() / total) if total > 0 else None
    headcount = float(values[assessed].mean()) if assessed.any() else None
    top = [
        (int(analysis.ids[pos]), analysis.name[pos], analysis.department[pos])
        for pos in analysis.hot_spots[:5]
    ]
    resisters = [(r.id, r.name, r.department) for r in key_resister_rows(analysis, 5)]
    return NetworkKpis(
        analysis.n,
        weighted,
        headcount,
        len(analysis.hot_spots),
        top,
        assessed=int(assessed.sum()),
        key_resisters=len(analysis.key_resisters),
        top_key_resisters=resisters,
    )


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
