"""Timing harness: each operation is measured next to its floor, in the same run.

A result is the median of several repeats for both the operation and its floor, the ratio of
the two medians, and the peak Python memory of one run of the operation (tracemalloc; SQLite's
own C allocations are not counted). Ratios, not absolute times, are what to compare between
runs on a shared machine.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# A case prepares fresh state and returns a zero-argument callable; it is called per repeat so
# that setup (fresh files, caches) stays out of the timing.
Prepare = Callable[[], Callable[[], Any]]


@dataclass
class Result:
    size: int
    operation: str
    floor: str
    median_s: float
    floor_median_s: float
    peak_mib: float
    target: float | None
    note: str = ""
    samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.median_s / self.floor_median_s if self.floor_median_s else float("nan")

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        return "ok" if self.ratio <= self.target else "over target"


def time_once(prepare: Prepare) -> float:
    run = prepare()
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        run()
        return time.perf_counter() - start
    finally:
        gc.enable()


def peak_memory(prepare: Prepare) -> float:
    run = prepare()
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def measure(
    size: int,
    operation: str,
    prepare: Prepare,
    floor: str,
    prepare_floor: Prepare,
    repeats: int,
    target: float | None = None,
    note: str = "",
) -> Result:
    """Alternate operation and floor so drifting machine load hits both alike."""
    ours: list[float] = []
    floors: list[float] = []
    for _ in range(repeats):
        ours.append(time_once(prepare))
        floors.append(time_once(prepare_floor))
    return Result(
        size,
        operation,
        floor,
        statistics.median(ours),
        statistics.median(floors),
        peak_memory(prepare),
        target,
        note,
        ours,
    )
