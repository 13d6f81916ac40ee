"""Issue 18, item 2: File › Restore from Backup… lists the backups, previews one read-only and
restores it as a new file, never over the open workspace."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import text

from cmio_desktop.paths import backups_dir
from cmio_desktop.store.backup import daily_backup
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.restore_dialog import RestoreDialog


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def window(qtbot, settings, sample_ws) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """The app's window on a workspace with a daily backup and a before-upgrade copy, changed
    since (the organisation renamed)."""
    daily = daily_backup(sample_ws, backups_dir(), today=date(2026, 11, 1))
    shutil.copyfile(daily, sample_ws.path.with_name(sample_ws.path.name + ".v1.bak"))
    with sample_ws.session() as session:
        session.execute(text("UPDATE organisation SET name = 'Renamed since'"))
    path = sample_ws.path
    sample_ws.close()
    facade = WorkspaceFacade()
    win = MainWindow(facade, settings)
    qtbot.addWidget(win)
    facade.open(path)
    yield win
    QThreadPool.globalInstance().waitForDone(10_000)
    win.close()
    facade.close()


@pytest.fixture
def messages(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    monkeypatch.setattr(
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes
    )  # "Open it now?"
    return shown


def save_dialog_answers(monkeypatch, path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), "CMIO workspaces (*.cmio)")
    )


def open_dialog(window: MainWindow) -> RestoreDialog:
    window.file_actions.actions["restore"].trigger()
    dialog = window.findChild(RestoreDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def select_first_of_november(dialog: RestoreDialog) -> None:
    """The daily backup taken before the organisation was renamed."""
    row = next(r for r, b in enumerate(dialog.backups.records) if "2026-11-01" in b.path.name)
    dialog.list_view.selectRow(row)
    assert dialog.selected() is dialog.backups.records[row]


def test_the_dialog_lists_backups_and_previews_one_read_only(
    qtbot, window: MainWindow, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(window)
    assert dialog.backups.rowCount() == 3  # 1 November, today's (on opening), before upgrade
    kinds = [dialog.backups.index(r, 1).data() for r in range(3)]
    assert sorted(kinds) == ["before upgrade", "daily", "daily"]
    assert {dialog.backups.index(r, 3).data() for r in range(3)} == {"120"}  # people
    assert dialog.preview_box.title().startswith("Preview (read-only)")
    assert dialog.preview.rowCount() == 120 and dialog.preview.columns[0].title == "Name"
    assert "120 people" in dialog.preview_summary.text()
    assert dialog.restore_button.isEnabled()
    qtmodeltester.check(dialog.backups)
    qtmodeltester.check(dialog.preview)
    dialog.list_view.selectRow(1)
    assert dialog.preview_box.title().endswith(dialog.backups.records[1].path.name)
    dialog.grab().save("/tmp/h18-restore-dialog.png")


def test_restore_writes_a_new_file_and_opens_it(
    qtbot, window: MainWindow, messages, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    current = window.facade.ws.path
    before = digest(current)
    target = tmp_path / "restored.cmio"
    save_dialog_answers(monkeypatch, target)
    dialog = open_dialog(window)
    select_first_of_november(dialog)
    dialog.restore_button.click()
    assert messages == []
    assert window.facade.ws.path == target  # opened, as the user agreed
    assert window.facade.info().organisation == "Riverside Health"  # the backup's state
    assert digest(current) == before  # the workspace it came from is untouched


def test_restore_never_writes_over_the_open_workspace(
    qtbot, window: MainWindow, messages, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    current = window.facade.ws.path
    save_dialog_answers(monkeypatch, current)
    dialog = open_dialog(window)
    dialog.restore_button.click()
    assert messages and "open workspace" in messages[-1]
    assert window.facade.ws.path == current and dialog.isVisible()
    with sqlite3.connect(f"{current.resolve().as_uri()}?mode=ro", uri=True) as conn:
        assert conn.execute("SELECT name FROM organisation").fetchone()[0] == "Renamed since"


def test_restore_refuses_an_existing_file(
    qtbot, window: MainWindow, messages, monkeypatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other.cmio"
    other.write_bytes(b"keep me")
    save_dialog_answers(monkeypatch, other)
    open_dialog(window).restore_button.click()
    assert messages and "already exists" in messages[-1]
    assert other.read_bytes() == b"keep me"


def test_without_backups_the_dialog_says_so(qtbot, settings, empty_ws) -> None:  # type: ignore[no-untyped-def]
    dialog = RestoreDialog(empty_ws.path)
    qtbot.addWidget(dialog)
    assert dialog.backups.rowCount() == 0
    assert not dialog.empty_note.isHidden()
    assert not dialog.restore_button.isEnabled()
