"""SIGKILL a child process at a random moment of each multi-row write (import, bulk edit, plan
generation, undo of an import, schema migration): after every kill the file passes SQLite's
integrity and foreign-key checks, holds exactly the state before or exactly the state after
the operation, and the app opens it (issue #18, item 4). Six kills per operation here; the
full run (hundreds) is ``python -m benchmarks --only safety``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.safety.kills import run_all
from tests.safety.operations import OPERATIONS

KILLS_EACH = 6  # 30 in all: about 25 s on a 2-core machine


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the trials fork their children")
def test_a_killed_write_leaves_the_workspace_whole_and_all_or_nothing(tmp_path: Path) -> None:
    reports = run_all(KILLS_EACH, tmp_path, seed=18)
    assert [r.operation for r in reports] == list(OPERATIONS)
    assert [f for r in reports for f in r.failures] == []
    for report in reports:
        assert report.kills == KILLS_EACH, report
        assert report.left_before + report.left_after == report.kills, report
    assert sum(r.kills for r in reports) >= 30
