"""File dialogs start where that kind of file was last opened or saved, and fix the suffix."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.file_dialogs import ask_open_path, ask_save_path
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.settings import AppSettings

XLSX = {"Excel workbook (*.xlsx)": ".xlsx"}
IMAGES = {"PNG image (*.png)": ".png", "SVG vector image (*.svg)": ".svg"}


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    return folder


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    win = MainWindow(WorkspaceFacade(), AppSettings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    return win


class FakeDialog:
    """Stands in for the modal dialog: records where it starts, answers with ``answer``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.starts: list[str] = []
        self.answer: tuple[str, str] = ("", "")
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self._ask)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", self._ask)

    def _ask(self, _parent: QWidget, _caption: str, start: str, _filters: str) -> tuple[str, str]:
        self.starts.append(start)
        return self.answer


def test_save_starts_in_the_folder_last_used_for_that_kind(
    window: MainWindow, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = FakeDialog(monkeypatch)
    reports = tmp_path / "reports"
    reports.mkdir()
    dialog.answer = (str(reports / "plan"), "Excel workbook (*.xlsx)")
    assert ask_save_path(window, "Export", "export", "plan.xlsx", XLSX) == reports / "plan.xlsx"
    assert dialog.starts == [str(home / "plan.xlsx")]

    dialog.answer = ("", "")  # cancelled
    assert ask_save_path(window, "Export", "export", "next.xlsx", XLSX) is None
    assert dialog.starts[-1] == str(reports / "next.xlsx")
    assert ask_save_path(window, "Image", "image", "net.png", IMAGES) is None
    assert dialog.starts[-1] == str(home / "net.png")  # each kind has its own folder
    window.settings.sync()
    assert AppSettings(tmp_path / "settings.ini").last_folder("export") == reports


def test_dialogs_of_dialogs_find_the_window_settings(
    window: MainWindow, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = FakeDialog(monkeypatch)
    imports = tmp_path / "hr"
    imports.mkdir()
    window.settings.set_last_folder("import", imports)
    page = QWidget(QDialog(window))  # a wizard page inside a dialog over the window
    dialog.answer = (str(imports / "staff.xlsx"), "")
    assert ask_open_path(page, "Import", "import", "Spreadsheets (*.xlsx)") == (
        imports / "staff.xlsx"
    )
    assert dialog.starts == [str(imports)]


@pytest.mark.parametrize(
    ("typed", "chosen", "saved"),
    [
        ("plan.v2", "PNG image (*.png)", "plan.v2.png"),
        ("network.SVG", "PNG image (*.png)", "network.SVG"),
        ("network", "SVG vector image (*.svg)", "network.svg"),
        ("network", "", "network.png"),
    ],
)
def test_suffix_follows_the_chosen_filter_unless_one_is_typed(
    qtbot, home: Path, monkeypatch: pytest.MonkeyPatch, typed: str, chosen: str, saved: str
) -> None:
    widget = QWidget()  # outside any main window: nothing remembered, nothing fails
    qtbot.addWidget(widget)
    dialog = FakeDialog(monkeypatch)
    dialog.answer = (str(home / typed), chosen)
    assert ask_save_path(widget, "Save", "image", "x.png", IMAGES) == home / saved


def test_a_remembered_folder_that_is_gone_falls_back_to_home(
    window: MainWindow, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = FakeDialog(monkeypatch)
    window.settings.set_last_folder("workspace", tmp_path / "deleted")
    ask_open_path(window, "Open", "workspace", "CMIO workspaces (*.cmio)")
    assert dialog.starts == [str(home)]
