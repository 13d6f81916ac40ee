"""Two callers asking for the same network analysis at once (the dashboard and the register)
share one computation; a cancelled waiter stops waiting without harming the other."""

from __future__ import annotations

import threading
import time

import pytest

from cmio_desktop.analysis.network import analyze_network_arrays
from cmio_desktop.services.network import analysis as network


def test_concurrent_callers_share_one_computation(sample_ws) -> None:
    network.clear_cache()
    calls: list[int] = []
    started = threading.Event()

    def slow_runner(*args):  # type: ignore[no-untyped-def]
        calls.append(1)
        started.set()
        time.sleep(0.6)
        return analyze_network_arrays(*args)

    results: list[object] = []
    first = threading.Thread(
        target=lambda: results.append(network.analyze(sample_ws, 1, metrics_runner=slow_runner))
    )
    first.start()
    assert started.wait(10)
    second = network.analyze(sample_ws, 1, metrics_runner=slow_runner)
    first.join(10)
    assert len(calls) == 1
    assert results == [second]  # the very same analysis object


def test_a_cancelled_waiter_stops_waiting(sample_ws) -> None:
    network.clear_cache()
    started, release = threading.Event(), threading.Event()

    def blocking_runner(*args):  # type: ignore[no-untyped-def]
        started.set()
        release.wait(10)
        return analyze_network_arrays(*args)

    worker = threading.Thread(
        target=lambda: network.analyze(sample_ws, 1, metrics_runner=blocking_runner)
    )
    worker.start()
    assert started.wait(10)

    class Cancelled(Exception):
        pass

    def cancel(_percent: int, text: str) -> None:
        if text.startswith("Waiting"):
            raise Cancelled

    with pytest.raises(Cancelled):
        network.analyze(sample_ws, 1, progress=cancel)
    release.set()
    worker.join(10)
    assert network.analyze(sample_ws, 1) is not None  # the first result landed in the cache
