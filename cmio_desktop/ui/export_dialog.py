"""File › Export…: the executive workbook, the PDF briefing pack, or the register alone.

The dialog picks the initiative, the sheets, anonymising and the file; the export runs on a
pool thread (``common.tasks.TaskRunner``) with progress and Cancel, and offers "Open folder" when
done. The History sheet is never anonymised: ticking Anonymise unticks and disables it with a
note saying why (the choice comes back when Anonymise is unticked), so the pair the service
refuses cannot be asked for here. "Stakeholder register only (round-trip)" hands over to the
register exporter of the import wizard. The heavy modules (openpyxl, matplotlib) load when an
export starts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.ui.common.tasks import Task, TaskContext, TaskRunner
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.file_dialogs import ask_save_path, remember_folder, start_folder
from cmio_desktop.ui.network_metrics import metrics_runner_for

if TYPE_CHECKING:
    from cmio_desktop.ui.facade import WorkspaceFacade
    from cmio_desktop.ui.main_window import MainWindow

WORKBOOK, BRIEFING, REGISTER = "workbook", "briefing", "register"
FILTERS = {WORKBOOK: "Excel workbook (*.xlsx)", BRIEFING: "PDF document (*.pdf)"}
SUFFIXES = {WORKBOOK: ".xlsx", BRIEFING: ".pdf"}

# (key, label) of every workbook sheet; mirrors io.workbook.writer.SHEETS (a test checks) so
# opening the dialog does not load openpyxl.
SHEET_CHOICES = (
    ("summary", "Summary with charts"),
    ("heatmap", "ADKAR heat map"),
    ("red_zone", "Red zone: change impact and readiness"),
    ("influence", "Key resisters and champions"),
    ("plan", "Engagement plan and timeline"),
    ("saturation", "Saturation across initiatives"),
    ("go_no_go", "Go/no-go criteria"),
    ("risks", "Risks and risk matrix"),
    ("grid", "Appendix: power/interest grid"),
    ("communications", "Appendix: communications"),
    ("training", "Appendix: training completion"),
    ("register", "Appendix: full stakeholder register"),
    ("history", "Appendix: history of changes"),
)
OFF_BY_DEFAULT = {"register", "history"}  # the board pack leaves these out unless asked
HISTORY = "history"
HISTORY_NOTE = (
    "The History sheet is left out: it names who changed what, so it is never part of an "
    "anonymised workbook."
)


def workbook_job(ctx: TaskContext, ws: Any, path: Path, initiative_id: int | None,
                 sheets: list[str], anonymised: bool, pseudonym_key: str | None = None,
                 ) -> Any:  # fmt: skip
    from cmio_desktop.services.workbook.data import export_workbook

    return export_workbook(
        ws, path, initiative_id, sheets=sheets, anonymised=anonymised,
        pseudonym_key=pseudonym_key, progress=ctx.progress,
        cancelled=lambda: ctx.cancelled, metrics_runner=metrics_runner_for(ctx),
    )  # fmt: skip


def briefing_job(ctx: TaskContext, ws: Any, path: Path, initiative_id: int | None) -> Any:
    from cmio_desktop.services.workbook.data import export_briefing_pack

    pages = export_briefing_pack(
        ws, path, initiative_id, progress=ctx.progress, metrics_runner=metrics_runner_for(ctx)
    )
    return path, pages


class ExportDialog(QDialog):
    """Choose what to export and where; runs the export with progress and Cancel."""

    def __init__(self, facade: WorkspaceFacade, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setMinimumWidth(560)
        self.facade = facade
        self.runner = TaskRunner(parent=self)
        self.task: Task | None = None
        self.result_path: Path | None = None
        info = facade.info()
        self._organisation = info.organisation

        self.initiative = QComboBox()
        for item in info.initiatives:
            self.initiative.addItem(item.name, item.id)
        current = self.initiative.findData(facade.initiative_id)
        self.initiative.setCurrentIndex(max(0, current))

        self.kind_group = QButtonGroup(self)
        self.kinds: dict[str, QRadioButton] = {}
        kinds_box = QVBoxLayout()
        choices = [
            (WORKBOOK, "Executive workbook (.xlsx): summary, charts, heat map, plan, go/no-go"),
            (BRIEFING, "Briefing pack (.pdf): the main charts, one per page"),
        ]
        if _register_exporter() is not None:
            choices.append((REGISTER, "Stakeholder register only (round-trip .xlsx)"))
        for key, text in choices:
            button = QRadioButton(text)
            self.kinds[key] = button
            self.kind_group.addButton(button)
            kinds_box.addWidget(button)
        self.kinds[WORKBOOK].setChecked(True)
        self.kind_group.buttonToggled.connect(self._on_kind_group_toggled)

        self.sheets_box = QGroupBox("Sheets to include")
        grid = QGridLayout(self.sheets_box)
        self.sheet_checks: dict[str, QCheckBox] = {}
        for index, (key, label) in enumerate(SHEET_CHOICES):
            check = QCheckBox(label)
            check.setChecked(key not in OFF_BY_DEFAULT)
            check.toggled.connect(self._update_buttons)
            self.sheet_checks[key] = check
            grid.addWidget(check, index // 2, index % 2)
        self.anonymise = QCheckBox('Anonymise: name people by role and number ("Physician 12")')
        self.anonymise.toggled.connect(self._update_key)
        self.anonymise.toggled.connect(self._on_anonymise_toggled)
        self.history_note = QLabel(HISTORY_NOTE)
        self.history_note.setWordWrap(True)
        self.history_note.setContentsMargins(24, 0, 0, 0)
        self.history_note.setVisible(False)
        self._history_wanted = False  # the user's choice, given back when anonymising stops
        # Without a key the numbers are random per export; a key the user keeps makes them
        # stable across exports (never stored: typed for each export that needs it).
        self.pseudonym_key = QLineEdit()
        self.pseudonym_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.pseudonym_key.setPlaceholderText("optional: a secret you keep, for the same names")
        self.pseudonym_key.setToolTip(
            "Without a key, pseudonyms are dealt at random for each export, so two exports "
            "cannot be linked. With a key you keep, each person has the same pseudonym in every "
            "export made with that key."
        )
        key_row = QHBoxLayout()
        key_row.setContentsMargins(24, 0, 0, 0)
        self.pseudonym_key_label = QLabel("Pseudonym key:")
        key_row.addWidget(self.pseudonym_key_label)
        key_row.addWidget(self.pseudonym_key, 1)

        self.path_edit = QLineEdit()
        self.path_edit.textChanged.connect(self._update_buttons)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._on_browse_clicked)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)

        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.open_folder_button = self.buttons.addButton(
            "Open folder", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.open_folder_button.setVisible(False)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.close_button.clicked.connect(self._on_close_clicked)

        form = QFormLayout()
        form.addRow("Initiative:", self.initiative)
        form.addRow("Export:", kinds_box)
        form.addRow("Save to:", file_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.sheets_box)
        layout.addWidget(self.anonymise)
        layout.addLayout(key_row)
        layout.addWidget(self.history_note)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._set_default_path()
        self._update_buttons()
        self._update_key()

    # -- choices ------------------------------------------------------------------------------
    def kind(self) -> str:
        return next(key for key, button in self.kinds.items() if button.isChecked())

    def chosen_sheets(self) -> list[str]:
        return [key for key, check in self.sheet_checks.items() if check.isChecked()]

    def _set_default_path(self) -> None:
        kind = self.kind()
        if kind == REGISTER:
            return
        stem = f"{self._organisation or 'CMIO'} briefing {date.today():%Y-%m-%d}"
        stem = "".join(ch if ch.isalnum() or ch in " -_." else "_" for ch in stem).strip()
        current = self.path_edit.text().strip()
        folder = Path(current).parent if current else start_folder(self, "export")
        self.path_edit.setText(str(folder / f"{stem}{SUFFIXES[kind]}"))

    @Slot()
    def _on_kind_group_toggled(self, *_args: Any) -> None:
        kind = self.kind()
        workbook = kind == WORKBOOK
        self.sheets_box.setEnabled(workbook)
        self.anonymise.setEnabled(workbook)
        self._update_key()
        self.path_edit.setEnabled(kind != REGISTER)
        if kind != REGISTER:
            current = Path(self.path_edit.text().strip() or "x")
            if current.suffix.casefold() != SUFFIXES[kind]:
                self._set_default_path()
        self._update_buttons()

    @Slot()
    def _update_key(self, *_args: Any) -> None:
        on = self.anonymise.isEnabled() and self.anonymise.isChecked()
        self.pseudonym_key.setEnabled(on)
        self.pseudonym_key_label.setEnabled(on)
        self.history_note.setVisible(on)

    @Slot(bool)
    def _on_anonymise_toggled(self, anonymised: bool) -> None:
        history = self.sheet_checks[HISTORY]
        if anonymised:
            self._history_wanted = history.isChecked()
            history.setChecked(False)
        else:
            history.setChecked(self._history_wanted)
        history.setEnabled(not anonymised)

    def chosen_key(self) -> str | None:
        key = self.pseudonym_key.text().strip()
        return key if key and self.anonymise.isChecked() else None

    @Slot()
    def _on_browse_clicked(self) -> None:
        kind = self.kind()
        if kind == REGISTER:
            return
        typed = self.path_edit.text().strip()
        current = Path(typed).expanduser() if typed else None
        path = ask_save_path(
            self,
            "Export to",
            "export",
            current.name if current else "",
            {FILTERS[kind]: SUFFIXES[kind]},
            folder=current.parent if current else None,
        )
        if path is not None:
            self.path_edit.setText(str(path))

    @Slot()
    def _update_buttons(self, *_args: Any) -> None:
        busy = self.task is not None
        kind = self.kind()
        ready = kind == REGISTER or bool(self.path_edit.text().strip())
        if kind == WORKBOOK and not self.chosen_sheets():
            ready = False
        self.export_button.setEnabled(ready and not busy)

    # -- running --------------------------------------------------------------------------------
    @Slot()
    def _on_export_clicked(self) -> None:
        kind = self.kind()
        if kind == REGISTER:
            exporter = _register_exporter()
            self.accept()
            if exporter is not None and isinstance(self.parent(), QWidget):
                exporter(self.parent())
            return
        path = Path(self.path_edit.text().strip()).expanduser()
        if path.suffix.casefold() != SUFFIXES[kind]:
            path = path.with_name(path.name + SUFFIXES[kind])
            self.path_edit.setText(str(path))
        remember_folder(self, "export", path.parent)
        initiative_id = self.initiative.currentData()
        ws = self.facade.ws
        if kind == WORKBOOK:
            task = self.runner.start(
                workbook_job, ws, path, initiative_id, self.chosen_sheets(),
                self.anonymise.isChecked(), self.chosen_key(), name="export workbook",
            )  # fmt: skip
        else:
            task = self.runner.start(briefing_job, ws, path, initiative_id, name="briefing pack")
        self.task = task
        self.result_path = None
        task.progress.connect(self._on_task_progress)
        task.finished.connect(self._on_task_finished)
        task.failed.connect(self._on_task_failed)
        task.cancelled.connect(self._on_task_cancelled)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.open_folder_button.setVisible(False)
        self.status.setText("Starting…")
        self.close_button.setText("Cancel")
        self._set_inputs_enabled(False)

    def _set_inputs_enabled(self, enabled: bool) -> None:
        self.initiative.setEnabled(enabled)
        for button in self.kinds.values():
            button.setEnabled(enabled)
        self.path_edit.setEnabled(enabled)
        workbook = self.kind() == WORKBOOK
        self.sheets_box.setEnabled(enabled and workbook)
        self.anonymise.setEnabled(enabled and workbook)
        self._update_key()
        self._update_buttons()

    @Slot(int, str)
    def _on_task_progress(self, percent: int, text: str) -> None:
        self.progress.setValue(percent)
        if text:
            self.status.setText(text)

    @Slot(object)
    def _on_task_finished(self, result: Any) -> None:
        self._done()
        if isinstance(result, tuple):  # briefing pack: (path, pages)
            path, pages = result
            self.status.setText(f"Saved the briefing pack ({pages} pages) to {path}.")
        else:
            path = result.path
            notes = (
                f" {result.adjusted_cells:,} cells were adjusted to fit; see the Notes sheet."
                if result.adjusted_cells
                else ""
            )
            self.status.setText(f"Saved {len(result.sheets)} sheets to {path}.{notes}")
        self.result_path = Path(path)
        self.progress.setValue(100)
        self.open_folder_button.setVisible(True)
        self.close_button.setText("Close")

    @Slot(str)
    def _on_task_failed(self, message: str) -> None:
        self._done()
        self.progress.setVisible(False)
        self.status.setText(message)
        show_error(self, "Export failed", message)

    @Slot()
    def _on_task_cancelled(self) -> None:
        self._done()
        self.progress.setVisible(False)
        self.status.setText("Export cancelled; no file was written.")

    def _done(self) -> None:
        self.task = None
        self.close_button.setText("Close")
        self._set_inputs_enabled(True)
        self._update_buttons()

    @Slot()
    def _on_close_clicked(self) -> None:
        if self.task is not None:
            self.status.setText("Cancelling…")
            self.task.cancel()
            return
        self.reject()

    def reject(self) -> None:  # Esc and the window's close button cancel a running export
        if self.task is not None:
            self._on_close_clicked()
            return
        super().reject()

    @Slot()
    def open_folder(self) -> None:
        if self.result_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.result_path.parent)))


def _register_exporter() -> Any:
    """The import wizard's round-trip register export, when that feature is installed."""
    try:
        from cmio_desktop.ui.import_wizard import export_register_dialog
    except ImportError:
        return None
    return export_register_dialog


def open_export_dialog(window: MainWindow) -> ExportDialog | None:
    """File › Export…"""
    if window.facade.workspace is None:
        show_error(window, "Export", "Open a workspace first.")
        return None
    dialog = ExportDialog(window.facade, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
