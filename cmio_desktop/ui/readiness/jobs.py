"""The Readiness page's background jobs: plain functions run by ``TaskRunner`` on a pool
thread, returning plain data. No widgets here."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from cmio_desktop.analysis.forecast import ForecastResult
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
from cmio_desktop.ui.common.tasks import IN_THREAD_MAX_TIES, TaskContext
from cmio_desktop.ui.network_metrics import metrics_runner_for


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
    data = readiness_overview.load_overview(
        ws,
        initiative_id,
        progress=ctx.progress,
        metrics_runner=metrics_runner_for(ctx, in_thread_max_ties),
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
