"""File › Export…: save the stakeholder register as an .xlsx workbook, off the UI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog

from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.file_dialogs import ask_save_path
from cmio_desktop.ui.import_wizard.tasks import TaskRunner

if TYPE_CHECKING:
    from cmio_desktop.ui.main_window import MainWindow

XLSX_FILTER = "Excel workbook (*.xlsx)"


def export_register_dialog(window: MainWindow) -> TaskRunner | None:
    from cmio_desktop.io.export_target import ExportError
    from cmio_desktop.services.stakeholders.register_export import export_register

    facade = window.facade
    if facade.workspace is None:
        show_error(window, "Export register", "Open a workspace first.")
        return None
    ws = facade.ws
    path = ask_save_path(
        window, "Export register", "export", f"{ws.name} register.xlsx", {XLSX_FILTER: ".xlsx"}
    )
    if path is None:
        return None

    dialog = QProgressDialog("Exporting the stakeholder register…", "Cancel", 0, 0, window)
    dialog.setWindowTitle("Export register")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)
    runner = TaskRunner(dialog)
    stopped = {"yes": False}

    def progress(done: int, total: int) -> None:
        dialog.setRange(0, max(total, 1))
        dialog.setValue(done)

    def finished(count: Any) -> None:
        dialog.reset()
        dialog.deleteLater()
        window.statusBar().showMessage(
            f"Exported {count:,} {'person' if count == 1 else 'people'} to {path}", 8000
        )

    def failed(message: str) -> None:
        dialog.reset()
        dialog.deleteLater()
        if stopped["yes"]:
            window.statusBar().showMessage("Export cancelled; no file was written.", 5000)
        else:
            show_error(window, "Cannot export the register", message)

    def cancel() -> None:
        stopped["yes"] = True
        runner.request_stop()

    dialog.canceled.connect(cancel)
    runner.progressed.connect(progress)
    runner.start(
        lambda cancelled, report: export_register(ws, path, progress=report, cancelled=cancelled),
        finished,
        failed,
        (ExportError,),
    )
    return runner
