"""The Readiness page's background jobs: plain functions run by ``TaskRunner`` on a pool
thread, returning plain data. No widgets here."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from cmio_desktop.analysis.forecast import ForecastResult
from cmio_desktop.analysis.network import NetworkSettings, analyze_network_arrays
from cmio_desktop.enums import AdkarElement
from cmio_desktop.services.readiness import forecast as forecast_service
from cmio_desktop.services.readiness import overview as readiness_overview
from cmio_desktop.services.readiness.forecast import (
    Boost,
    CalibrationProposal,
    ChampionPicks,
    ForecastRun,
)
from cmio_desktop.services.readiness.overview import DropRow, ReadinessData, ReadinessSummary
from cmio_desktop.store import Workspace
from cmio_desktop.ui.workers import Task, TaskContext, TaskRunner, run_in_process

#: Up to this many ties the network metrics run on the pool thread; above, in a child process
#: (python-igraph holds the GIL for a whole call). The network service caches the result per
#: revision, so the Network page and this page share one computation.
IN_THREAD_MAX_TIES = 3_000


def start_connected(
    runner: TaskRunner,
    fn: Callable[..., Any],
    *args: Any,
    name: str,
    finished: Callable[[Task, Any], None],
    failed: Callable[[Task, str], None] | None = None,
    cancelled: Callable[[Task], None] | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> Task:
    """Start ``fn`` on the runner with its signals connected *before* it can finish.

    ``TaskRunner.start`` hands the job to the pool at once; a job quicker than the caller's
    ``connect`` calls would emit ``finished`` to nobody (a signal emitted from another thread
    is queued only to the connections that exist at that moment). The job waits on a gate
    that opens once the connections are made.
    """
    gate = threading.Event()

    def gated(ctx: TaskContext, *inner: Any) -> Any:
        gate.wait()
        return fn(ctx, *inner)

    task = runner.start(gated, *args, name=name)
    try:
        task.finished.connect(lambda result, t=task: finished(t, result))
        if failed is not None:
            task.failed.connect(lambda message, t=task: failed(t, message))
        if cancelled is not None:
            task.cancelled.connect(lambda t=task: cancelled(t))
        if progress is not None:
            task.progress.connect(progress)
    finally:
        gate.set()
    return task


@dataclass(frozen=True)
class Overview:
    data: ReadinessData
    summaries: dict[str, ReadinessSummary]  # every grouping, so switching is instant
    dropped: list[DropRow]


def overview_job(
    ctx: TaskContext,
    ws: Workspace,
    initiative_id: int,
    in_thread_max_ties: int = IN_THREAD_MAX_TIES,
) -> Overview:
    def runner(
        node_ids: list[Any],
        src: np.ndarray,
        tgt: np.ndarray,
        strength: np.ndarray,
        settings: NetworkSettings,
        labels: Any,
    ) -> Any:
        if src.size > in_thread_max_ties:
            return run_in_process(
                analyze_network_arrays, node_ids, src, tgt, strength, settings, labels, context=ctx
            )
        ctx.check()
        return analyze_network_arrays(node_ids, src, tgt, strength, settings, labels)

    data = readiness_overview.load_overview(
        ws, initiative_id, progress=ctx.progress, metrics_runner=runner
    )
    summaries = {}
    for number, grouping in enumerate(readiness_overview.GROUPINGS):
        ctx.progress(90 + 2 * number, "Summarising groups…")
        summaries[grouping] = readiness_overview.summarise(data, grouping)
    return Overview(data, summaries, readiness_overview.dropped(data))


def forecast_job(ctx: TaskContext, ws: Workspace, initiative_id: int) -> ForecastRun:
    return forecast_service.load_forecast(ws, initiative_id, progress=ctx.progress)


def what_if_job(
    ctx: TaskContext,
    run: ForecastRun,
    people: Collection[int],
    elements: Collection[AdkarElement],
    boosts: Sequence[Boost],
) -> ForecastResult:
    ctx.progress(20, "Running the what-if…")
    return forecast_service.what_if(run, people, elements, boosts)


def win_over_job(ctx: TaskContext, run: ForecastRun, k: int) -> ChampionPicks:
    ctx.progress(2, "Ranking every person by their effect on go-live readiness…")

    def progress(done: int, total: int) -> None:
        ctx.progress(5 + 95 * done // max(total, 1), f"Picked {done} of {total}…")

    return forecast_service.recommend(run, k, progress=progress)


def calibrate_job(ctx: TaskContext, run: ForecastRun) -> CalibrationProposal:
    ctx.progress(5, "Fitting the forecast to the observed rounds…")
    return forecast_service.calibrate(run)
