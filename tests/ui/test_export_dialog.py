"""File › Export…: the export dialog runs the workbook / briefing-pack export off the UI
thread with progress, Cancel and "Open folder"; chart widgets save PNG, SVG and PDF."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from cmio_desktop.ui import export_dialog
from cmio_desktop.ui.export_dialog import BRIEFING, REGISTER, SHEET_CHOICES, ExportDialog


@pytest.fixture
def errors(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _title, text, *a: shown.append(text))
    return shown


@pytest.fixture
def dialog(qtbot, facade, tmp_path: Path) -> ExportDialog:  # type: ignore[no-untyped-def]
    dlg = ExportDialog(facade)
    qtbot.addWidget(dlg)
    dlg.path_edit.setText(str(tmp_path / "briefing.xlsx"))
    yield dlg
    dlg.runner.cancel_all()
    dlg.runner.wait(10_000)


def _wait_idle(qtbot, dlg: ExportDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dlg.task is None, timeout=60_000)


def test_sheet_choices_match_the_writer() -> None:
    from cmio_desktop.io.workbook.writer import SHEETS

    assert tuple((s.key, s.label) for s in SHEETS) == SHEET_CHOICES


def test_offers_initiatives_sheets_and_the_round_trip_register(dialog: ExportDialog) -> None:
    assert dialog.initiative.count() == 2
    assert dialog.initiative.currentText() == "Ambulatory EHR go-live"
    assert len(dialog.sheet_checks) == 13 and len(dialog.chosen_sheets()) == 11
    assert "register" not in dialog.chosen_sheets()  # the full register is an opt-in appendix
    assert "history" not in dialog.chosen_sheets()  # so is the history
    assert {"red_zone", "saturation"} <= set(dialog.chosen_sheets())
    assert dialog.sheet_checks["register"].text().startswith("Appendix")
    assert REGISTER in dialog.kinds
    dialog.kinds[BRIEFING].setChecked(True)
    assert dialog.path_edit.text().endswith(".pdf")
    assert not dialog.sheets_box.isEnabled() and not dialog.anonymise.isEnabled()
    dialog.kinds["workbook"].setChecked(True)
    for check in dialog.sheet_checks.values():
        check.setChecked(False)
    assert not dialog.export_button.isEnabled()  # no sheet chosen


def test_exports_chosen_sheets_anonymised_then_opens_the_folder(  # type: ignore[no-untyped-def]
    qtbot, dialog: ExportDialog, tmp_path: Path, monkeypatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    for key, check in dialog.sheet_checks.items():
        check.setChecked(key in ("summary", "register"))
    dialog.anonymise.setChecked(True)
    seen: list[int] = []
    dialog.export_button.click()
    assert dialog.task is not None and not dialog.export_button.isEnabled()
    dialog.task.progress.connect(lambda p, _t: seen.append(p))
    _wait_idle(qtbot, dialog)
    target = tmp_path / "briefing.xlsx"
    assert dialog.result_path == target
    book = load_workbook(target)
    assert book.sheetnames == ["Summary", "Stakeholders", "Notes"]
    assert str(book["Stakeholders"]["A5"].value).split()[0] in {
        "Physician", "Nurse", "Pharmacist", "APP", "Allied", "IT", "Executive", "Administrator",
        "Patient/family",
    }  # fmt: skip
    assert "Saved 3 sheets" in dialog.status.text() and seen
    assert dialog.open_folder_button.isVisible() or not dialog.isVisible()
    dialog.open_folder()
    assert opened == [str(tmp_path)]


def test_history_is_an_opt_in_that_anonymising_takes_away_with_a_note(  # type: ignore[no-untyped-def]
    qtbot, dialog: ExportDialog, tmp_path: Path
) -> None:
    history = dialog.sheet_checks["history"]
    assert not history.isChecked() and history.isEnabled()
    assert dialog.history_note.isHidden()
    history.setChecked(True)
    dialog.anonymise.setChecked(True)
    assert not history.isChecked() and not history.isEnabled()
    assert not dialog.history_note.isHidden()
    assert "never part of an anonymised workbook" in dialog.history_note.text()
    dialog.show()
    dialog.grab().save(str(tmp_path / "export-dialog-anonymised.png"))
    dialog.anonymise.setChecked(False)  # the user's choice comes back
    assert history.isChecked() and history.isEnabled() and dialog.history_note.isHidden()
    for key, check in dialog.sheet_checks.items():
        check.setChecked(key in ("red_zone", "history"))
    dialog.export_button.click()
    _wait_idle(qtbot, dialog)
    book = load_workbook(tmp_path / "briefing.xlsx")
    try:
        assert book.sheetnames == ["Red zone", "History", "Notes"]
    finally:
        book.close()
    assert "Saved 3 sheets" in dialog.status.text()


def test_briefing_pack_export(qtbot, dialog: ExportDialog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dialog.kinds[BRIEFING].setChecked(True)
    dialog.path_edit.setText(str(tmp_path / "pack"))
    dialog.export_button.click()
    _wait_idle(qtbot, dialog)
    assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")
    assert "briefing pack" in dialog.status.text()


def test_cancel_stops_the_export_and_writes_nothing(  # type: ignore[no-untyped-def]
    qtbot, dialog: ExportDialog, tmp_path: Path, monkeypatch
) -> None:
    def slow_job(ctx, *_args):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            ctx.progress(10, "Working…")  # raises once cancelled
            time.sleep(0.01)

    monkeypatch.setattr(export_dialog, "workbook_job", slow_job)
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.status.text() == "Working…", timeout=10_000)
    assert dialog.close_button.text() == "Cancel"
    dialog.close_button.click()
    _wait_idle(qtbot, dialog)
    assert dialog.status.text() == "Export cancelled; no file was written."
    assert list(tmp_path.glob("*.xlsx")) == []
    assert dialog.export_button.isEnabled()


def test_failure_is_reported(qtbot, dialog: ExportDialog, tmp_path: Path, errors) -> None:  # type: ignore[no-untyped-def]
    dialog.path_edit.setText(str(tmp_path / "missing" / "x.xlsx"))
    dialog.export_button.click()
    _wait_idle(qtbot, dialog)
    assert errors and "does not exist" in errors[0]
    assert "does not exist" in dialog.status.text()


def test_file_export_opens_the_dialog_which_hands_the_register_to_its_exporter(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, sample_ws, monkeypatch, errors
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from cmio_desktop.ui.facade import WorkspaceFacade
    from cmio_desktop.ui.main_window import MainWindow
    from cmio_desktop.ui.settings import AppSettings

    target = tmp_path / "register.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    facade = WorkspaceFacade()
    window = MainWindow(facade, AppSettings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    facade.set_workspace(sample_ws)
    try:
        action = window.file_actions.actions["export"]
        assert action.isEnabled()
        action.trigger()
        dialogs = window.findChildren(ExportDialog)
        assert len(dialogs) == 1 and dialogs[0].isVisible()
        dialogs[0].kinds[REGISTER].setChecked(True)
        dialogs[0].export_button.click()
        qtbot.waitUntil(
            lambda: "Exported 120 people" in window.statusBar().currentMessage(), timeout=20_000
        )
        assert target.exists() and errors == []
    finally:
        facade.workspace = None  # the fixture closes the workspace


def test_chart_widgets_save_png_svg_and_pdf(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from cmio_desktop.ui.charts import ChartWidget

    class Bars(ChartWidget):
        def draw_chart(self, figure) -> None:  # type: ignore[no-untyped-def]
            figure.add_subplot(1, 1, 1).bar(["ED", "ICU"], [3.1, 3.6])

    chart = Bars("Readiness", "readiness")
    qtbot.addWidget(chart)
    magic = {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}
    for suffix, start in magic.items():
        saved = chart.save(tmp_path / f"chart{suffix}")
        assert saved.read_bytes().startswith(start)


def test_a_pseudonym_key_gives_the_same_names_in_two_exports(  # type: ignore[no-untyped-def]
    qtbot, dialog: ExportDialog, tmp_path: Path
) -> None:
    """Issue 18, 5b: the key field is usable only with Anonymise; with the same key two
    exports name everyone alike, without one they differ."""
    assert not dialog.pseudonym_key.isEnabled()
    for key, check in dialog.sheet_checks.items():
        check.setChecked(key == "register")
    dialog.anonymise.setChecked(True)
    assert dialog.pseudonym_key.isEnabled()
    dialog.resize(dialog.sizeHint())
    dialog.grab().save("/tmp/h18-export-key.png")

    def export(name: str, key: str) -> list[str]:
        dialog.pseudonym_key.setText(key)
        dialog.path_edit.setText(str(tmp_path / name))
        dialog.export_button.click()
        _wait_idle(qtbot, dialog)
        sheet = load_workbook(tmp_path / name)["Stakeholders"]
        return [row[0] for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]]

    keyed = export("a.xlsx", "kept by the CMIO")
    assert export("b.xlsx", "kept by the CMIO") == keyed
    assert export("c.xlsx", "") != keyed
