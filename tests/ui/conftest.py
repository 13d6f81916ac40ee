"""Fixtures for widget tests: a sample workspace, private settings and a facade over them."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def workspace(sample_ws):
    """The small sample workspace (see tests/conftest.py), created in ``tmp_path``."""
    return sample_ws


@pytest.fixture
def settings(tmp_path: Path):
    from cmio_desktop.ui.settings import AppSettings

    return AppSettings(tmp_path / "settings.ini")


@pytest.fixture
def facade(qapp, workspace):
    """A WorkspaceFacade holding ``workspace``; background loads finish before it closes."""
    from PySide6.QtCore import QThreadPool

    from cmio_desktop.ui.facade import WorkspaceFacade

    facade = WorkspaceFacade()
    facade.workspace = workspace
    yield facade
    QThreadPool.globalInstance().waitForDone(10_000)
    facade.workspace = None  # sample_ws closes the workspace itself
