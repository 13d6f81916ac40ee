"""The window paints before the heavy libraries load; pages and the workspace come after."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QWidget

from cmio_desktop.ui.dashboard.page import DashboardPage
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.first_paint import HEAVY_MODULES, heavy_modules_loaded
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


def test_no_heavy_module_is_loaded_at_first_paint(tmp_path: Path, sample_ws) -> None:
    report = tmp_path / "first-paint.json"
    result = run_main(
        tmp_path, str(sample_ws.path), "--exit-after", "first-paint",
        "--first-paint-report", str(report),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(report.read_text())["heavy_modules_at_first_paint"] == []


def test_the_report_names_heavy_modules_when_they_are_loaded() -> None:
    # This test process has SQLAlchemy loaded: the detector must see it.
    import sqlalchemy  # noqa: F401

    assert "sqlalchemy" in heavy_modules_loaded()
    assert set(heavy_modules_loaded()) <= set(HEAVY_MODULES)


def test_exit_after_dashboard_waits_for_every_figure(tmp_path: Path, sample_ws) -> None:
    result = run_main(tmp_path, str(sample_ws.path), "--exit-after", "dashboard")
    assert result.returncode == 0, result.stderr


def test_deferred_pages_are_built_after_the_first_paint(qtbot, tmp_path: Path) -> None:
    facade = WorkspaceFacade()
    window = MainWindow(facade, AppSettings(tmp_path / "s.ini"), defer_pages=True)
    qtbot.addWidget(window)
    assert isinstance(window.page_by_key["dashboard"], DashboardPage)
    assert type(window.page_by_key["stakeholders"]) is QWidget  # a stand-in until built
    window.show_page("network")
    window.build_pages()
    assert all(type(window.page_by_key[key]) is not QWidget for key in SECTION_KEYS)
    assert window.current_page_key() == "network"
    assert window.pages.currentWidget() is window.page_by_key["network"]
    for index, key in enumerate(SECTION_KEYS):
        assert window.pages.widget(index) is window.page_by_key[key]


def test_a_page_built_after_the_workspace_opened_loads_it(qtbot, tmp_path: Path, sample_ws) -> None:
    facade = WorkspaceFacade()
    facade.set_workspace(sample_ws)
    window = MainWindow(facade, AppSettings(tmp_path / "s.ini"), defer_pages=True)
    qtbot.addWidget(window)
    window.show()
    assert type(window.page_by_key["stakeholders"]) is QWidget
    window.nav.setCurrentRow(SECTION_KEYS.index("stakeholders"))  # a click on the navigation
    page = window.page_by_key["stakeholders"]
    assert window.pages.currentWidget() is page
    if page.model.rowCount() == 0:
        with qtbot.waitSignal(page.loaded, timeout=20_000):
            pass
    assert page.model.rowCount() == 120
    page.grab().save(str(tmp_path / "late-stakeholders.png"))
    window.close()
    facade.workspace = None  # the fixture closes the workspace


def test_a_reopened_workspace_completes_its_dashboard_before_any_heavy_module(
    tmp_path: Path,
) -> None:
    from cmio_desktop.sample import generate_sample
    from cmio_desktop.store import create_workspace

    path = tmp_path / "closed.cmio"  # closed, as a workspace is between two runs of the app
    fill = lambda ws: generate_sample(ws, people=120, seed=3)  # noqa: E731
    create_workspace(path, organisation="Riverside Health", fill=fill).close()
    report = tmp_path / "report.json"
    args = (str(path), "--exit-after", "dashboard", "--first-paint-report", str(report))
    first = run_main(tmp_path, *args)  # computes the figures, keeps them as it closes
    assert first.returncode == 0, first.stderr
    assert "sqlalchemy" in json.loads(report.read_text())["heavy_modules_at_dashboard"]
    again = run_main(tmp_path, *args)  # the file is untouched: the kept figures, at once
    assert again.returncode == 0, again.stderr
    assert json.loads(report.read_text()) == {
        "heavy_modules_at_first_paint": [],
        "heavy_modules_at_dashboard": [],
    }
