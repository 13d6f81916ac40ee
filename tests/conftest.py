"""Test-wide set-up: offscreen Qt and a private data directory, never the user's real one."""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["CMIO_DESKTOP_DATA_DIR"] = tempfile.mkdtemp(prefix="cmio-test-data-")

SAMPLE_TODAY = date(2026, 11, 2)


@pytest.fixture
def empty_ws(tmp_path: Path):
    from cmio_desktop.store import create_workspace

    ws = create_workspace(tmp_path / "empty.cmio", organisation="Test Health")
    yield ws
    ws.close()


@pytest.fixture
def sample_ws(tmp_path: Path):
    """A small sample workspace (120 people) with a fixed 'today' for reproducible dates."""
    from cmio_desktop.sample import generate_sample
    from cmio_desktop.store import create_workspace

    ws = create_workspace(tmp_path / "sample.cmio", organisation="Riverside Health")
    generate_sample(ws, people=120, seed=3, today=SAMPLE_TODAY)
    yield ws
    ws.close()
