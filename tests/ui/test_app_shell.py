"""The app shell: first run opens the sample, --screenshot renders, state is remembered."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

from cmio_desktop.app import choose_workspace
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.navigation import SECTION_KEYS
from cmio_desktop.ui.settings import AppSettings

ROOT = Path(__file__).resolve().parents[2]


def run_main(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", CMIO_DESKTOP_DATA_DIR=str(tmp_path / "data")
    )
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_first_run_creates_sample_and_screenshot(tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    result = run_main(tmp_path, "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    image = QImage(str(shot))
    assert not image.isNull() and image.width() >= 960
    sample = tmp_path / "data" / "Riverside Health sample.cmio"
    assert sample.exists()
    assert (sample.stat().st_mode & 0o777) == 0o600


def test_screenshot_of_a_named_workspace_and_page(tmp_path: Path, sample_ws) -> None:
    shot = tmp_path / "page.png"
    result = run_main(
        tmp_path, str(sample_ws.path), "--screenshot", str(shot), "--page", "stakeholders"
    )
    assert result.returncode == 0, result.stderr
    assert shot.stat().st_size > 10_000


def test_bad_workspace_with_screenshot_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.cmio"
    bad.write_bytes(b"not a database")
    result = run_main(tmp_path, str(bad), "--screenshot", str(tmp_path / "x.png"))
    assert result.returncode == 1
    assert "not a CMIO workspace" in result.stderr


def test_choose_workspace_prefers_argument_then_last(tmp_path: Path) -> None:
    last = tmp_path / "last.cmio"
    assert choose_workspace("given.cmio", last) == Path("given.cmio")
    assert choose_workspace(None, last).name == "Riverside Health sample.cmio"  # missing
    last.write_bytes(b"x")
    assert choose_workspace(None, last) == last


def test_window_state_and_recent_files_remembered(qtbot, tmp_path: Path, sample_ws) -> None:
    settings = AppSettings(tmp_path / "settings.ini")
    facade = WorkspaceFacade()
    window = MainWindow(facade, settings)
    qtbot.addWidget(window)
    facade.set_workspace(sample_ws)
    window.resize(1000, 640)
    window.show_page("network")
    window.close()
    assert settings.recent_workspaces == [sample_ws.path]
    assert settings.last_workspace == sample_ws.path
    again = MainWindow(WorkspaceFacade(), AppSettings(tmp_path / "settings.ini"))
    qtbot.addWidget(again)
    assert again.current_page_key() == "network"
    # Geometry comes back (the offscreen screen is small, so allow the frame's few pixels).
    assert settings.window_state("geometry") is not None
    assert abs(again.height() - 640) <= 10
    assert "120 people" in window.status_counts.text()
    assert set(SECTION_KEYS) == set(window.page_by_key)
    facade.workspace = None  # the fixture closes the workspace


def test_missing_recent_file_is_reported_and_forgotten(
    qtbot, tmp_path: Path, monkeypatch, sample_ws
) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: shown.append(text))
    settings = AppSettings(tmp_path / "settings.ini")
    gone = tmp_path / "gone.cmio"
    settings.add_recent(gone)
    facade = WorkspaceFacade()
    window = MainWindow(facade, settings)
    qtbot.addWidget(window)
    facade.set_workspace(sample_ws)
    window.file_actions.open_path(gone)
    assert shown and "no such file" in shown[0]
    assert gone not in settings.recent_workspaces
    assert facade.ws is sample_ws  # the open workspace is untouched
    facade.workspace = None


def test_settings_file_is_private_from_the_start(tmp_path: Path) -> None:
    settings = AppSettings(tmp_path / "settings.ini")
    settings.last_page = "network"
    settings._qs.sync()  # Qt's own write (as at exit), not our chmod-ing sync()
    assert "page=network" in (tmp_path / "settings.ini").read_text()
    assert ((tmp_path / "settings.ini").stat().st_mode & 0o777) == 0o600
