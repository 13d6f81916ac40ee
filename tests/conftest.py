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


SQLITE, POSTGRESQL = "sqlite", "postgresql"
# Suites whose workspace fixtures run on both engines (UI tests stay on SQLite).
BOTH_ENGINES = ("unit",)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: file behaviour (headers, WAL, permissions, copies, encryption)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The workspace fixtures of tests/unit run on SQLite and on PostgreSQL."""
    if "workspace_engine" not in metafunc.fixturenames:
        return
    try:
        suite = metafunc.definition.path.relative_to(Path(__file__).parent).parts[0]
    except ValueError:  # a test outside tests/
        return
    if suite in BOTH_ENGINES and not metafunc.definition.get_closest_marker("sqlite_only"):
        metafunc.parametrize("workspace_engine", [SQLITE, POSTGRESQL], indirect=True)


@pytest.fixture
def workspace_engine(request: pytest.FixtureRequest) -> str:
    """Which engine the workspace fixtures use (parametrised in tests/unit)."""
    return getattr(request, "param", SQLITE)


@pytest.fixture(scope="session")
def pg_server():
    from tests.pg_fixtures import start_server

    server, stop = start_server()
    yield server
    stop()


def make_workspace(request: pytest.FixtureRequest, path: Path, organisation: str, fill=None):
    """A new workspace at ``path`` (SQLite) or in a fresh database cloned from a template
    (PostgreSQL); ``fill`` adds the first content, once per template."""
    from cmio_desktop.store.locations import create_location, open_location

    if request.getfixturevalue("workspace_engine") != POSTGRESQL:
        ws = create_location(path, organisation=organisation)
        if fill is not None:
            fill(ws)
        return ws

    def build(url: str) -> None:
        ws = create_location(url, organisation=organisation)
        try:
            if fill is not None:
                fill(ws)
        finally:
            ws.close()

    server = request.getfixturevalue("pg_server")
    key = f"{path.name}:{organisation}:{getattr(fill, '__name__', '')}"
    return open_location(server.workspace_url(key, build))


@pytest.fixture
def empty_ws(tmp_path: Path, request: pytest.FixtureRequest, workspace_engine: str):
    ws = make_workspace(request, tmp_path / "empty.cmio", "Test Health")
    yield ws
    ws.close()


def _sample_120(ws) -> None:  # type: ignore[no-untyped-def]
    from cmio_desktop.sample import generate_sample

    generate_sample(ws, people=120, seed=3, today=SAMPLE_TODAY)


@pytest.fixture
def sample_ws(tmp_path: Path, request: pytest.FixtureRequest, workspace_engine: str):
    """A small sample workspace (120 people) with a fixed 'today' for reproducible dates."""
    ws = make_workspace(request, tmp_path / "sample.cmio", "Riverside Health", _sample_120)
    yield ws
    ws.close()
