"""The network page's background jobs: plain functions run by ``TaskRunner`` on a pool
thread, returning plain data. No widgets here."""

from __future__ import annotations

from cmio_desktop.services.network import analysis as network
from cmio_desktop.services.network import ties as network_ties
from cmio_desktop.services.network.analysis import NetworkAnalysis
from cmio_desktop.store import Workspace
from cmio_desktop.ui.common.tasks import IN_THREAD_MAX_TIES, TaskContext, collector_paused
from cmio_desktop.ui.network.view_data import NetworkIndex, ViewFilters, ViewGraph, build_view
from cmio_desktop.ui.network_metrics import metrics_runner_for


def analysis_job(
    ctx: TaskContext,
    ws: Workspace,
    initiative_id: int | None = None,
    in_thread_max_ties: int = IN_THREAD_MAX_TIES,
) -> tuple[NetworkAnalysis, NetworkIndex]:
    runner = metrics_runner_for(ctx, in_thread_max_ties)
    # Loading 100,000 people allocates millions of short-lived rows: without the pause, full
    # collections (stopping the UI thread 40-60 ms each) ran every ~0.1 s.
    with collector_paused():
        analysis = network.analyze(ws, initiative_id, progress=ctx.progress, metrics_runner=runner)
        ctx.progress(92, "Preparing the view…")
        return analysis, NetworkIndex(analysis)


def view_job(
    ctx: TaskContext,
    index: NetworkIndex,
    filters: ViewFilters,
    previous: dict[int, tuple[float, float]] | None = None,
) -> ViewGraph:
    ctx.check()
    return build_view(index, filters, progress=ctx.progress, previous=previous)


def relationships_job(ctx: TaskContext, ws: Workspace) -> network_ties.RelationshipRows:
    ctx.progress(10, "Reading ties…")
    with collector_paused():
        return network_ties.relationship_rows(ws)
