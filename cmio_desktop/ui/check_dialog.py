"""Help › Check Workspace…: the same read-only check as ``cmio check``, shown as a list."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.paths import backups_dir
from cmio_desktop.store.check import OK, PROBLEM, CheckReport, check_workspace
from cmio_desktop.ui.dialogs import show_error

if TYPE_CHECKING:
    from cmio_desktop.ui.main_window import MainWindow

MARKS = {OK: ("✓", "#2e8b57"), PROBLEM: ("✗", "#c0392b")}
NOTE_MARK = ("!", "#b9770e")


class CheckDialog(QDialog):
    def __init__(self, report: CheckReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check workspace")
        self.setMinimumWidth(620)
        self.report = report
        heading = QLabel(f"<b>{report.path.name}</b><br><small>{report.path}</small>")
        heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setColumnStretch(2, 1)
        self.detail_labels: list[QLabel] = []
        for row, finding in enumerate(report.findings):
            mark, colour = MARKS.get(finding.status, NOTE_MARK)
            symbol = QLabel(f'<span style="color:{colour}; font-weight:bold">{mark}</span>')
            symbol.setToolTip(finding.status)
            name = QLabel(f"<b>{finding.check.capitalize()}</b>")
            detail = QLabel(finding.detail)
            detail.setWordWrap(True)
            detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.detail_labels.append(detail)
            for column, widget in enumerate((symbol, name, detail)):
                grid.addWidget(widget, row, column, Qt.AlignmentFlag.AlignTop)
        self.summary = QLabel(f"<b>{report.summary()}</b>")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(grid)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)


def open_check_dialog(window: MainWindow) -> CheckDialog | None:
    """Help › Check Workspace…"""
    if window.facade.workspace is None:
        show_error(window, "Check workspace", "Open a workspace first.")
        return None
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        ws = window.facade.ws
        report = check_workspace(ws.path, backups_dir(), key=ws.passphrase)  # (encrypted: key)
    finally:
        QGuiApplication.restoreOverrideCursor()
    dialog = CheckDialog(report, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
