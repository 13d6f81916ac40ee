"""File → Sync with Team Workspace and the conflict dialog (issue 13, part 2).

Set CMIO_WRITE_SCREENSHOTS=1 to (re)write docs/screenshots/sync-conflicts.png.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QMessageBox

from cmio_desktop import models as m
from cmio_desktop.services import crud
from cmio_desktop.services.stakeholders import edits
from cmio_desktop.services.team import checkout, sync
from cmio_desktop.store import open_workspace
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.sync_dialog import ConflictModel, SyncDialog
from tests.unit.test_team_sync import team_server

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "sync-conflicts.png"


@pytest.fixture(params=["sqlite"])  # the UI on a file server; the engines: test_team_sync
def server_ws(request, tmp_path: Path):
    yield from team_server(request.param, tmp_path)


def clashing_copies(server_ws, tmp_path: Path) -> Path:
    """Copy B edits people 1–3 and deletes 4 while copy A's sync changes the same: B's path."""
    for name in ("a", "b"):
        checkout(server_ws, tmp_path / f"{name}.cmio")
    a = open_workspace(tmp_path / "a.cmio")
    b = open_workspace(tmp_path / "b.cmio")
    try:
        edits.update_stakeholder(a, 1, title="Chief Nursing Officer", site="North")
        edits.update_stakeholder(a, 2, email="j.okafor@riverside.example")
        edits.update_stakeholder(a, 4, notes="Owns the pharmacy cut-over")
        sync(a, server_ws)
        edits.update_stakeholder(b, 1, title="Director of Nursing", site="South")
        edits.update_stakeholder(b, 2, email="okafor@riverside.example")
        edits.update_stakeholder(b, 5, phone="555 0142")  # no clash: sent with the choices
        edits.delete_stakeholders(b, [4])
    finally:
        a.close()
        b.close()
    return tmp_path / "b.cmio"


@pytest.fixture
def window(qtbot, settings, server_ws, tmp_path: Path) -> Iterator[MainWindow]:
    path = clashing_copies(server_ws, tmp_path)
    facade = WorkspaceFacade()
    win = MainWindow(facade, settings)
    qtbot.addWidget(win)
    facade.open(path)
    yield win
    QThreadPool.globalInstance().waitForDone(10_000)
    win.close()
    facade.close()


def pending_report(server_ws, tmp_path: Path):
    path = clashing_copies(server_ws, tmp_path)
    b = open_workspace(path)
    try:
        return sync(b, server_ws)
    finally:
        b.close()


def test_the_dialog_needs_a_choice_per_row(qtbot, server_ws, tmp_path: Path):
    report = pending_report(server_ws, tmp_path)
    dialog = SyncDialog(report)
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.rowCount() == len(report.conflicts) == 4
    assert not dialog.sync_button.isEnabled() and "4 still to choose" in dialog.hint.text()
    mine, theirs = model.column_of("mine"), model.column_of("theirs")
    model.setData(model.index(0, mine), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert model.record(0).choice == "mine"
    model.setData(model.index(0, theirs), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert model.record(0).choice == "theirs"
    assert model.data(model.index(0, mine), Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Unchecked
    )
    qtbot.mouseClick(dialog.all_mine, Qt.MouseButton.LeftButton)
    assert dialog.sync_button.isEnabled() and set(dialog.choices().values()) == {"mine"}
    qtbot.mouseClick(dialog.all_theirs, Qt.MouseButton.LeftButton)
    assert set(dialog.choices().values()) == {"theirs"}


def test_conflict_model_passes_the_model_tester(qtmodeltester, server_ws, tmp_path: Path):
    model = ConflictModel()
    model.set_rows(pending_report(server_ws, tmp_path).conflicts)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.choose_all("mine")
    qtmodeltester.check(model)


def test_file_sync_shows_conflicts_then_sends_the_choices(qtbot, window, server_ws):
    action = window.file_actions.actions["sync"]
    assert action.isEnabled()
    window.file_actions.sync()
    controller = window.file_actions.sync_controller
    qtbot.waitUntil(lambda: controller.dialog is not None and controller.dialog.isVisible())
    dialog = controller.dialog
    kinds = {(c.record_id, c.field) for c in dialog.model.records}
    assert kinds == {(1, "title"), (1, "site"), (2, "email"), (4, "(record)")}
    assert crud.get(server_ws, m.Stakeholder, 1).title == "Chief Nursing Officer"  # untouched
    qtbot.mouseClick(dialog.all_mine, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(controller.sync_finished, timeout=20_000) as finished:
        qtbot.mouseClick(dialog.sync_button, Qt.MouseButton.LeftButton)
    report = finished.args[0]
    assert report.refreshed and report.applied == 5
    person = crud.get(server_ws, m.Stakeholder, 1)
    assert (person.title, person.site) == ("Director of Nursing", "South")
    assert crud.get(server_ws, m.Stakeholder, 5).phone == "555 0142"
    assert not crud.list_all(server_ws, m.Stakeholder, id=4)
    assert "sent" in window.statusBar().currentMessage()


def test_an_unreachable_server_is_a_sentence_and_the_copy_keeps_working(
    qtbot, window, server_ws, monkeypatch
):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    server_path = server_ws.path
    server_ws.close()
    server_path.rename(server_path.with_name("moved.cmio"))  # the server is gone
    window.file_actions.sync()
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert "cannot be reached" in shown[0] and "keeps working" in shown[0]
    ws = window.facade.ws
    edits.update_stakeholder(ws, 6, notes="edited offline after the failed sync")
    assert crud.get(ws, m.Stakeholder, 6).notes == "edited offline after the failed sync"


def test_a_plain_workspace_offers_no_sync(qtbot, settings, sample_ws):
    facade = WorkspaceFacade()
    win = MainWindow(facade, settings)
    qtbot.addWidget(win)
    facade.set_workspace(sample_ws)
    action = win.file_actions.actions["sync"]
    assert not action.isEnabled() and "offline copy" in action.toolTip()
    win.close()
    facade.workspace = None  # sample_ws closes itself


def test_screenshot_of_the_conflict_dialog(qtbot, server_ws, tmp_path: Path):
    report = pending_report(server_ws, tmp_path)
    dialog = SyncDialog(report)
    qtbot.addWidget(dialog)
    dialog.model.setData(
        dialog.model.index(1, dialog.model.column_of("theirs")),
        Qt.CheckState.Checked,
        Qt.ItemDataRole.CheckStateRole,
    )
    dialog.show()
    qtbot.waitExposed(dialog)
    shot = dialog.grab()
    assert not shot.isNull() and shot.width() >= 1000
    header = dialog.table.horizontalHeader()
    assert (
        header.sectionViewportPosition(dialog.model.column_of("theirs"))
        + header.sectionSize(dialog.model.column_of("theirs"))
        <= dialog.table.viewport().width()
    )  # the choice columns are in view
    if os.environ.get("CMIO_WRITE_SCREENSHOTS"):
        assert shot.save(str(SCREENSHOT))
