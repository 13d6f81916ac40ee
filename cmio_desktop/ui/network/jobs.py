"""The network page's background jobs: plain functions run by ``TaskRunner`` on a pool
thread, returning plain data. No widgets here."""

from __future__ import annotations

from typing import Any

import numpy as np

from cmio_desktop.analysis.network import NetworkSettings, analyze_network_arrays
from cmio_desktop.services.network import analysis as network
from cmio_desktop.services.network import ties as network_ties
from cmio_desktop.services.network.analysis import NetworkAnalysis
from cmio_desktop.store import Workspace
from cmio_desktop.ui.network.view_data import NetworkIndex, ViewFilters, ViewGraph, build_view
from cmio_desktop.ui.workers import TaskContext, collector_paused, preload_modules, run_in_process

#: Up to this many ties the metrics run on the pool thread: python-igraph holds the GIL for a
#: whole call, and below ~3,000 ties every call is short (the 400-person sample: 20 ms).
#: Larger graphs run in a child process so the UI thread never waits on the GIL.
IN_THREAD_MAX_TIES = 3_000

preload_modules(["numpy", "scipy.sparse", "igraph", "cmio_desktop.services.network.analysis"])


def analysis_job(
    ctx: TaskContext,
    ws: Workspace,
    initiative_id: int | None = None,
    in_thread_max_ties: int = IN_THREAD_MAX_TIES,
) -> tuple[NetworkAnalysis, NetworkIndex]:
    def runner(
        node_ids: list[Any],
        src: np.ndarray,
        tgt: np.ndarray,
        strength: np.ndarray,
        settings: NetworkSettings,
        labels: Any,
    ) -> Any:
        if src.size > in_thread_max_ties:
            packed = run_in_process(
                network.compact_metrics,
                len(node_ids),
                src,
                tgt,
                strength,
                settings,
                labels,
                context=ctx,
            )
            return network.expand_metrics(packed)
        ctx.check()
        return analyze_network_arrays(node_ids, src, tgt, strength, settings, labels)

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
