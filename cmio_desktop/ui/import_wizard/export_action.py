"""File › Export…: save the stakeholder register as an .xlsx workbook, off the UI thread."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog

from cmio_desktop.ui.common.tasks import TaskContext, TaskRunner
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.file_dialogs import ask_save_path

if TYPE_CHECKING:
    from cmio_desktop.ui.main_window import MainWindow

XLSX_FILTER = "Excel workbook (*.xlsx)"


def export_register_dialog(window: MainWindow) -> TaskRunner | None:
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

    def progress(percent: int, _text: str) -> None:
        dialog.setRange(0, 100)
        dialog.setValue(percent)

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
        task.request_stop()  # the export stops between rows and writes no file

    dialog.canceled.connect(cancel)

    def work(ctx: TaskContext) -> int:
        return export_register(ws, path, progress=ctx.count, cancelled=lambda: ctx.stopping)

    task = runner.start(work, name="register export").then(finished, failed, progress=progress)
    return runner
