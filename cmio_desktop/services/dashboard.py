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
from datetime import date, timedelta
from typing import Any

import numpy as np
from sqlalchemy import select

from cmio_desktop.enums import AdkarElement
from cmio_desktop.models import Organisation
from cmio_desktop.services.dashboard_figures import (  # noqa: F401 (their home before)
    DashboardSummary,
    GoLiveFigure,
    NetworkKpis,
    golive_figure,
)
from cmio_desktop.services.dashboard_snapshot import file_state
from cmio_desktop.services.governance import golive
from cmio_desktop.services.governance.records import list_risks
from cmio_desktop.services.plan.activities import due_soon, list_activities
from cmio_desktop.services.plan.facts import department_readiness, people_facts
from cmio_desktop.services.plan.training import overview_from
from cmio_desktop.services.workspace_info import revision
from cmio_desktop.store import Workspace

Progress = Callable[[int, str], None]
WEEKS_AHEAD = 12


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
    # The revision moves with this app's writes; the file's state with anyone's.
    key = (str(ws.path.resolve()), revision(ws), file_state(ws), initiative_id, today)
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
