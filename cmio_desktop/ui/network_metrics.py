"""The network metrics runner that background jobs hand to ``services.network.analyze``.

Small graphs run on the pool thread; large ones in a child process, because python-igraph holds
the GIL for whole calls and the UI thread would stall waiting for it. The network service caches
the analysis per revision, so pages sharing this runner share one computation.
"""

from __future__ import annotations

from typing import Any

from cmio_desktop.ui.workers import TaskContext, run_in_process

IN_THREAD_MAX_TIES = 3_000


def metrics_runner_for(ctx: TaskContext, in_thread_max_ties: int = IN_THREAD_MAX_TIES) -> Any:
    """A ``metrics_runner`` for ``network.analyze`` that honours ``ctx``'s Cancel."""
    from cmio_desktop.analysis.network import analyze_network_arrays

    def runner(ids: Any, src: Any, tgt: Any, strength: Any, settings: Any, labels: Any) -> Any:
        if src.size > in_thread_max_ties:
            return run_in_process(
                analyze_network_arrays, ids, src, tgt, strength, settings, labels, context=ctx
            )
        ctx.check()
        return analyze_network_arrays(ids, src, tgt, strength, settings, labels)

    return runner
