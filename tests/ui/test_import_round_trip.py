"""The register round trip in the app: File › Export… writes every field, and the import
wizard's check step says who is missing from the file and which columns it did not use."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from cmio_desktop import models as m
from cmio_desktop.services import crud
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.import_wizard.wizard import ImportWizard
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.settings import AppSettings


@pytest.fixture
def window(qtbot, tmp_path: Path, sample_ws):
    facade = WorkspaceFacade()
    win = MainWindow(facade, AppSettings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    facade.set_workspace(sample_ws)
    yield win
    facade.workspace = None  # the fixture closes the workspace


def test_export_then_wizard_reports_missing_people_and_unused_columns(
    qtbot, window, monkeypatch, tmp_path
) -> None:
    from cmio_desktop.ui.import_wizard import export_register_dialog

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    crud.update(window.facade.ws, m.Stakeholder, 1, custom_fields={"Badge": "B-12"})
    target = tmp_path / "register.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    export_register_dialog(window)
    qtbot.waitUntil(
        lambda: "Exported 120 people" in window.statusBar().currentMessage(), timeout=30_000
    )
    book = openpyxl.load_workbook(target)
    sheet = book["Register"]
    headers = [c.value for c in sheet[1]]
    assert headers[-4:] == [
        "Network influence (read-only)", "Last contact (read-only)", "Next contact (read-only)",
        "Custom: Badge",
    ]  # fmt: skip
    assert "Committee" in headers and "Salience: urgency" in headers
    sheet.delete_rows(3, 2)  # two people deleted in Excel
    sheet.cell(row=1, column=len(headers) + 1, value="Pager")
    edited = tmp_path / "edited.xlsx"
    book.save(edited)

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(edited), ""))
    window.file_actions.actions["import"].trigger()
    wizard = window.findChild(ImportWizard)
    wizard.source_page.browse_button.click()
    qtbot.waitUntil(wizard.source_page.isComplete, timeout=10_000)
    wizard.source_page.set_kind("stakeholders")
    wizard.next()
    wizard.next()
    check = wizard.check_page
    qtbot.waitUntil(check.isComplete, timeout=20_000)
    notes = check.notes.text()
    assert "Not in the file: 2 people (" in notes and "they are kept." in notes
    assert "Columns not used: Pager." in notes
    assert (
        "Read-only columns ignored: Network influence (read-only), Last contact (read-only), "
        "Next contact (read-only)." in notes
    )
    wizard.next()

    review = wizard.review_page
    ws = window.facade.ws
    assert review.remove_missing.isVisibleTo(wizard) and not review.remove_missing.isChecked()
    assert review.remove_missing.text().startswith("Remove the 2 people not in the file")
    review.remove_missing.setChecked(True)
    assert "remove 2 people, in one step that Edit › Undo takes back" in review.summary.text()
    wizard.resize(900, 640)
    wizard.grab().save(str(tmp_path / "round-trip-review.png"))
    people = _count(ws, "SELECT count(*) FROM stakeholder")
    ties = _count(ws, "SELECT count(*) FROM relationship")
    with qtbot.waitSignal(window.facade.changed, timeout=30_000) as changed:
        wizard.button(wizard.WizardButton.FinishButton).click()
    assert changed.args[0].is_everything  # ties went too: every page refreshes
    stack = window.facade.undo_stack
    assert stack.text(stack.count() - 1) == "remove 2 people from edited.xlsx"
    assert _count(ws, "SELECT count(*) FROM stakeholder") == people - 2
    assert _count(ws, "SELECT count(*) FROM relationship") < ties
    window.facade.undo_stack.undo()  # one step puts both back, with their ties
    assert _count(ws, "SELECT count(*) FROM stakeholder") == people
    assert _count(ws, "SELECT count(*) FROM relationship") == ties
    window.facade.undo_stack.redo()
    assert _count(ws, "SELECT count(*) FROM stakeholder") == people - 2
    assert shown == []


def _count(ws, sql: str) -> int:
    conn = sqlite3.connect(ws.path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()
