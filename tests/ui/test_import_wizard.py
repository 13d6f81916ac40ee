"""The import wizard end to end, the drop target and the register export, driven with qtbot."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWizard

from cmio_desktop.services.changes import ChangeKind
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.import_wizard.models import ChangesModel, IssuesModel, PreviewModel
from cmio_desktop.ui.import_wizard.wizard import ImportWizard
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.settings import AppSettings
from tests.unit.io.files import ole2_file, write_xlsx


@pytest.fixture
def window(qtbot, tmp_path: Path, sample_ws):
    facade = WorkspaceFacade()
    win = MainWindow(facade, AppSettings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    facade.set_workspace(sample_ws)
    yield win
    facade.workspace = None  # the fixture closes the workspace


@pytest.fixture
def errors(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a: shown.append(text))
    return shown


def count(ws, sql: str) -> int:
    conn = sqlite3.connect(ws.path)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def staff_file(tmp_path: Path) -> Path:
    rows = [
        ["Staff list from HR", None, None],
        [],
        ["Employee ID", "Full name", "Role", "Email", "Job title"],
        [
            "RH100001",
            "Dr. Hiroshi Shah",
            "Physician",
            "hiroshi.shah@riversidehealth.org",
            "Chief of Staff",
        ],
        ["HR-1", "Nia Brooks", "Nurse", "nia@x.org", "Charge nurse"],
        ["HR-2", "Omar Haddad", "Pharmacist", "omar@x.org", "Pharmacist"],
        ["HR-3", "Lena Park", "IT", "lena@x.org", "Analyst"],
    ]
    return write_xlsx(tmp_path / "staff.xlsx", rows)


def open_wizard(qtbot, window, monkeypatch, path: Path) -> ImportWizard:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    assert window.file_actions.actions["import"].isEnabled()
    window.file_actions.actions["import"].trigger()
    wizard = window.findChild(ImportWizard)
    assert wizard is not None
    wizard.source_page.browse_button.click()
    qtbot.waitUntil(
        lambda: (
            wizard.source_page.isComplete()
            or wizard.source_page.status.text().startswith(("“", "Every"))
        ),
        timeout=10_000,
    )
    return wizard


def test_wizard_imports_then_undo_and_redo(qtbot, window, monkeypatch, errors, tmp_path) -> None:
    ws = window.facade.ws
    wizard = open_wizard(qtbot, window, monkeypatch, staff_file(tmp_path))
    page = wizard.source_page
    assert page.isComplete(), page.status.text()
    # Regression: the count used to include the header ("6 non-empty rows").
    assert page.status.text().startswith(
        "4 rows of data below the headings on row 3, in 5 columns."
    )
    page.set_kind("stakeholders")
    wizard.next()

    mapping = wizard.mapping_page
    assert wizard.currentPage() is mapping
    assert mapping.header_combo.currentText().startswith("row 3:")
    assert wizard.source.mapping == {"external_id": 0, "name": 1, "role": 2, "email": 3, "title": 4}
    assert mapping._reasons["title"].text() == "a usual heading"
    assert mapping._reasons["title"].toolTip() == "a usual heading for Title"
    assert mapping.preview.rowCount() == 4
    assert mapping.isComplete()
    # Manual override: un-map the name, the page is incomplete and says why; map it back.
    mapping._combos["name"].setCurrentIndex(0)
    mapping._on_field_combo_activated("name", 0)
    assert not mapping.isComplete()
    assert "Choose a column for: Name" in mapping.missing_label.text()
    mapping._on_field_combo_activated("name", 2)
    assert mapping.isComplete()
    assert mapping._reasons["name"].text() == "chosen by you"
    # No Group column: the preview shows the groups the import will infer, marked as such.
    group_column = mapping.preview.headers.index("Group")
    assert mapping.preview.index(1, group_column).data() == "Frontline clinician (inferred)"
    assert mapping.preview.index(1, group_column).data(Qt.ItemDataRole.ToolTipRole) == (
        "Inferred from the role Nurse."
    )
    wizard.next()

    check = wizard.check_page
    qtbot.waitUntil(lambda: check.isComplete(), timeout=10_000)
    # Regression: new people without a group used to be rejected row by row.
    assert wizard.plan.rejected == []
    assert check.summary.text() == "All 4 rows passed the checks."
    assert "role or group inferred from the job title" in check.notes.text()
    wizard.next()

    review = wizard.review_page
    assert review.values["new"].text() == "3"
    assert review.values["updated"].text() == "1"
    assert not review.buttons["duplicates"].isVisibleTo(wizard)
    assert review.changes.rowCount() == 1  # updated rows shown first
    assert "title:" in review.changes.index(0, 2).data()
    review.show_category("new")
    assert review.changes.rowCount() == 3
    # Labels, not codes; the inferred group marked as inferred.
    assert (
        review.changes.index(0, 2)
        .data()
        .startswith("new: Nurse · Frontline clinician (inferred) · power (rated) 3")
    )
    assert review.isComplete()
    people_before = count(ws, "SELECT count(*) FROM stakeholder")
    with qtbot.waitSignal(window.facade.changed, timeout=20_000) as changed:
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
    assert changed.args[0].kinds == {ChangeKind.STAKEHOLDER}
    # The closing summary, then Close.
    qtbot.waitUntil(lambda: review.summary.text().startswith("3 people imported"))
    assert review.summary.text().startswith("3 people imported, 1 updated.")
    assert not review.show_them.isVisibleTo(wizard)  # nobody needs classification
    assert wizard.button(QWizard.WizardButton.FinishButton).text() == "Close"
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10_000)
    assert window.statusBar().currentMessage() == "3 people imported, 1 updated."
    assert errors == []
    assert count(ws, "SELECT count(*) FROM stakeholder") == people_before + 3
    stack = window.facade.undo_stack
    assert stack.count() == 1
    assert stack.text(0) == "import 3 people and update 1 person from staff.xlsx"
    title = "SELECT title FROM stakeholder WHERE external_id = 'RH100001'"

    def title_now() -> str:
        conn = sqlite3.connect(ws.path)
        try:
            return conn.execute(title).fetchone()[0]
        finally:
            conn.close()

    assert title_now() == "Chief of Staff"
    stack.undo()
    assert count(ws, "SELECT count(*) FROM stakeholder") == people_before
    assert title_now() != "Chief of Staff"
    stack.redo()
    assert count(ws, "SELECT count(*) FROM stakeholder") == people_before + 3
    assert title_now() == "Chief of Staff"
    assert QApplication.overrideCursor() is None  # the wait cursor of undo/redo is restored


def test_valid_rows_only(qtbot, window, monkeypatch, errors, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "ties.xlsx",
        [
            ["Source ID", "Target ID", "Strength"],
            ["RH100001", "RH100050", 5],
            ["RH100001", "NOBODY", 2],
        ],
    )
    wizard = open_wizard(qtbot, window, monkeypatch, path)
    wizard.source_page.set_kind("relationships")
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.isComplete(), timeout=10_000)
    wizard.next()
    review = wizard.review_page
    assert not review.isComplete()  # all or nothing by default
    assert review.skip_rejected.isVisibleTo(wizard)
    review.skip_rejected.setChecked(True)
    assert review.isComplete()
    with qtbot.waitSignal(window.facade.changed, timeout=20_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert window.facade.undo_stack.count() == 1


def test_dropping_a_file_opens_the_wizard_on_it(qtbot, window, errors, tmp_path) -> None:
    path = staff_file(tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.file_actions.drop(event)
    wizard = window.findChild(ImportWizard)
    assert wizard is not None and wizard.isVisible()
    qtbot.waitUntil(wizard.source_page.isComplete, timeout=10_000)
    assert wizard.source_page.file_edit.text() == str(path)


def test_old_xls_gets_the_save_as_xlsx_message(qtbot, window, monkeypatch, errors, tmp_path):
    wizard = open_wizard(qtbot, window, monkeypatch, ole2_file(tmp_path / "old.xls"))
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert "save it as .xlsx" in errors[0]
    assert not wizard.source_page.isComplete()
    assert "save it as .xlsx" in wizard.source_page.status.text()


def test_export_register_save_dialog(qtbot, window, monkeypatch, errors, tmp_path):
    # File › Export… offers "Stakeholder register only", which calls this.
    from cmio_desktop.ui.import_wizard import export_register_dialog

    target = tmp_path / "out"  # the .xlsx suffix is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    export_register_dialog(window)
    qtbot.waitUntil(
        lambda: "Exported 120 people" in window.statusBar().currentMessage(), timeout=20_000
    )
    assert target.with_suffix(".xlsx").exists() and errors == []


def test_models_pass_the_model_tester(qtmodeltester, sample_ws, tmp_path) -> None:
    from cmio_desktop.services.importing.pipeline import read_source, validate_source
    from cmio_desktop.services.importing.run import plan_import

    source = read_source(staff_file(tmp_path), "stakeholders")
    preview = PreviewModel()
    preview.set_source(source)
    qtmodeltester.check(preview)
    validation = validate_source(source)
    plan = plan_import(sample_ws, "stakeholders", validation, columns=source.columns())
    issues = IssuesModel()
    issues.set_issues(plan.rejected)
    qtmodeltester.check(issues)
    changes = ChangesModel()
    changes.set_rows(plan.updated + plan.unchanged)
    qtmodeltester.check(changes)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_hr_roster_through_the_wizard(qtbot, window, errors, tmp_path, fmt) -> None:
    """Title rows, HR headings, no role or group columns, unicode names and two bad rows:
    every good row is imported with its role inferred; the closing summary's Show them opens
    the register on the person who needs classification."""
    from tests.unit.test_importing_hr_roster import roster_file

    path = roster_file(tmp_path, fmt)
    window.show()  # the register loads when it is shown
    window.file_actions.actions["import"].trigger()
    wizard = window.findChild(ImportWizard)
    source = wizard.source_page
    # Regression: the file field did not accept a typed path. Quotes from "Copy as path" too.
    source.file_edit.setText(f'"{path}"')
    source.file_edit.editingFinished.emit()
    qtbot.waitUntil(source.isComplete, timeout=10_000)
    assert source.status.text().startswith("10 rows of data below the headings on row 4")
    wizard.next()
    mapping = wizard.mapping_page
    assert wizard.source.headers[wizard.source.mapping["email"]] == "Work E-mail"
    assert mapping._reasons["email"].text() == "ignoring “work”"
    role_column = mapping.preview.headers.index("Role")
    assert mapping.preview.index(0, role_column).data() == "Physician (inferred)"
    assert mapping.preview.index(6, role_column).data() == "Needs classification"
    wizard.grab().save(f"/tmp/h12a-wizard-mapping-{fmt}.png")
    wizard.next()
    check = wizard.check_page
    qtbot.waitUntil(check.isComplete, timeout=10_000)
    assert wizard.plan.rejected_rows == [12, 14]
    assert [(i.row, i.letter) for i in wizard.plan.rejected] == [(12, "F"), (14, "A")]
    assert check.issues.index(0, 1).data() == "F:  Work E-mail"
    assert "1 new person will need classification" in check.notes.text()
    wizard.grab().save(f"/tmp/h12a-wizard-check-{fmt}.png")
    wizard.next()
    review = wizard.review_page
    review.skip_rejected.setChecked(True)
    review.show_category("new")
    wizard.grab().save(f"/tmp/h12a-wizard-review-{fmt}.png")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: review.show_them.isVisibleTo(wizard), timeout=20_000)
    assert review.summary.text().startswith(
        "8 people imported, 2 rejected rows skipped, 1 needs classification."
    )
    wizard.grab().save(f"/tmp/h12a-wizard-done-{fmt}.png")
    review.show_them.click()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10_000)
    assert window.current_page_key() == "stakeholders"
    page = window.page_by_key["stakeholders"]
    assert page.filter_bar.value("classification") == "needs"
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    assert page.model.table.name_of(page.model.id_at(0)) == "Björn Øster"
    assert errors == []


def test_possible_duplicate_is_created_only_when_ticked(
    qtbot, window, monkeypatch, errors, tmp_path
) -> None:
    ws = window.facade.ws
    name = sqlite3.connect(ws.path).execute("SELECT name FROM stakeholder WHERE id = 9").fetchone()
    path = write_xlsx(tmp_path / "dup.xlsx", [["Name", "Title"], [name[0], "RN"], ["New Pe", "RN"]])
    wizard = open_wizard(qtbot, window, monkeypatch, path)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(wizard.check_page.isComplete, timeout=10_000)
    wizard.next()
    review = wizard.review_page
    assert review.buttons["duplicates"].isVisibleTo(wizard)
    assert review.values["duplicates"].text() == "1" and review.values["new"].text() == "1"
    review.show_category("duplicates")
    wizard.grab().save("/tmp/h12a-wizard-duplicates.png")
    assert review.duplicates.index(0, 2).data().startswith(f"{name[0]} (ID ")
    before = count(ws, "SELECT count(*) FROM stakeholder")
    review.duplicates.setData(
        review.duplicates.index(0, 3), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
    )
    qtbot.waitUntil(lambda: review.values["new"].text() == "2", timeout=10_000)
    assert review.isComplete()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: review.summary.text().startswith("2 people imported"), timeout=20_000)
    assert count(ws, "SELECT count(*) FROM stakeholder") == before + 2
    assert errors == []


def test_typed_path_that_does_not_exist_says_so(qtbot, window, errors, tmp_path) -> None:
    window.file_actions.actions["import"].trigger()
    wizard = window.findChild(ImportWizard)
    source = wizard.source_page
    source.file_edit.setText(str(tmp_path / "nowhere.xlsx"))
    source.file_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert "“nowhere.xlsx” was not found" in errors[0]
    assert not source.isComplete()
    source.file_edit.setText(str(staff_file(tmp_path)))
    source.file_edit.editingFinished.emit()
    qtbot.waitUntil(source.isComplete, timeout=10_000)
    wizard.grab().save("/tmp/h12a-wizard-source.png")


def test_every_row_rejected_names_what_to_fix_first(
    qtbot, window, monkeypatch, errors, tmp_path
) -> None:
    rows = [["Name", "Email"], *([f"P{i}", f"p{i}-at-example"] for i in range(4))]
    wizard = open_wizard(qtbot, window, monkeypatch, write_xlsx(tmp_path / "bad.xlsx", rows))
    wizard.next()
    wizard.next()
    check = wizard.check_page
    qtbot.waitUntil(check.isComplete, timeout=10_000)
    assert check.summary.text() == (
        "Every row was rejected; fix column B (Email) first: on every row it is not a valid "
        "email address (expected name@example.org) (first on row 2)."
    )
    assert check.issues.rowCount() == 4
