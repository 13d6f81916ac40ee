"""Pause Python's cyclic garbage collector while an import step builds its rows.

A 100,000-row import allocates millions of objects (cells, records, planned rows) that all live
until the step ends; each allocation burst makes the collector rescan everything allocated so
far, which took a fifth to a half of the read, check and plan times at 100,000 rows (measured
in benchmarks/RESULTS.md). The steps make no reference cycles worth collecting, and reference
counting still frees everything else at once, so the collector is paused for the step and
restored after it (left off if someone else had turned it off).
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def collector_paused(step: Callable[P, R]) -> Callable[P, R]:
    """Run ``step`` with the cyclic garbage collector paused."""

    @functools.wraps(step)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if not gc.isenabled():
            return step(*args, **kwargs)
        gc.disable()
        try:
            return step(*args, **kwargs)
        finally:
            gc.enable()

    return run
