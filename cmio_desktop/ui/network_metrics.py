"""The network metrics runner that background jobs hand to ``services.network.analyze``.

Small graphs run on the pool thread; large ones in a child process (the rule is
``common.tasks.runs_in_child_process``), because python-igraph holds the GIL for whole calls.
The metrics cross the process boundary packed (``compact_metrics``). The network service
caches the analysis per revision, so pages sharing this runner share one computation.
"""

from __future__ import annotations

from typing import Any

from cmio_desktop.ui.common.tasks import (
    IN_THREAD_MAX_TIES,
    TaskContext,
    preload_modules,
    run_in_process,
    runs_in_child_process,
)

preload_modules(["numpy", "scipy.sparse", "igraph", "cmio_desktop.services.network.analysis"])


def metrics_runner_for(ctx: TaskContext, in_thread_max_ties: int = IN_THREAD_MAX_TIES) -> Any:
    """A ``metrics_runner`` for ``network.analyze`` that honours ``ctx``'s Cancel."""

    def runner(ids: Any, src: Any, tgt: Any, strength: Any, settings: Any, labels: Any) -> Any:
        from cmio_desktop.services.network import analysis as network

        if runs_in_child_process(int(src.size), in_thread_max_ties):
            packed = run_in_process(
                network.compact_metrics, len(ids), src, tgt, strength, settings, labels,
                context=ctx,
            )  # fmt: skip
            return network.expand_metrics(packed)
        ctx.check()
        return network.analyze_network_arrays(ids, src, tgt, strength, settings, labels)

    return runner
