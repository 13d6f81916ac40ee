"""File → Sync: an offline copy sends its edits to its team workspace in the background; the
conflicts a sync finds are shown here, one row each, to keep mine or theirs, then sent.

Nothing is written while a conflict waits for a choice (``services.team.syncing`` rolls the run
back), so closing this dialog leaves the server and the copy as they were.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.services.team.report import Choice, Conflict, SyncReport
from cmio_desktop.ui.common.table_model import Column, TableModel
from cmio_desktop.ui.common.tasks import TaskContext, TaskRunner
from cmio_desktop.ui.dialogs import show_error

if TYPE_CHECKING:
    from cmio_desktop.store import Workspace
    from cmio_desktop.ui.main_window import MainWindow

KIND_TIPS = {
    "field": "Changed in this copy and, differently, on the server.",
    "deleted-here": "Deleted in this copy, but changed on the server since you checked out. "
    "Mine deletes it; theirs keeps the server's record.",
    "deleted-there": "Changed in this copy, but deleted on the server. Mine puts it back "
    "(under a new id); theirs leaves it deleted.",
}


def _value(text: str | None) -> str:
    return "(empty)" if text in (None, "") else str(text)


def _field(conflict: Conflict) -> str:
    if conflict.kind == "deleted-here":
        return "Deleted in this copy"
    if conflict.kind == "deleted-there":
        return "Deleted on the server"
    return conflict.field.replace("_", " ").capitalize()


def _changed(conflict: Conflict) -> str:
    if not conflict.changed_by:
        return ""
    when = f", {conflict.changed_at:%d %b %Y %H:%M}" if conflict.changed_at else ""
    return f"{conflict.changed_by}{when}"


COLUMNS = (
    Column("Record", lambda c: c.record, tooltip=lambda c: KIND_TIPS[c.kind], width=170),
    Column("Field", _field, tooltip=lambda c: KIND_TIPS[c.kind], width=150),
    Column("At checkout", lambda c: _value(c.base) if c.kind == "field" else "—",
           tooltip=lambda c: c.base, width=130),
    Column("Mine (this copy)", lambda c: _value(c.mine), tooltip=lambda c: c.mine, width=150),
    Column("Theirs (server)", lambda c: _value(c.theirs), tooltip=lambda c: c.theirs, width=150),
    Column("Changed on the server by", _changed, width=190),
    Column("Keep mine", lambda c: "", key=lambda c: c.choice == "mine", width=86, name="mine"),
    Column("Keep theirs", lambda c: "", key=lambda c: c.choice == "theirs", width=92,
           name="theirs"),
)  # fmt: skip


class ConflictModel(TableModel):
    """One conflict a row; the two last columns are the choice (checking one clears the other)."""

    choices_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        mine, theirs = COLUMNS[-2], COLUMNS[-1]
        columns = (
            *COLUMNS[:-2],
            replace(mine, check=lambda c: c.choice == "mine"),
            replace(theirs, check=lambda c: c.choice == "theirs"),
        )
        super().__init__(columns, id_of=lambda c: c.key, parent=parent)

    def set_checked(self, record: Conflict, column: int, checked: bool) -> Conflict:
        side: Choice = "mine" if self.columns[column].name == "mine" else "theirs"
        other: Choice = "theirs" if side == "mine" else "mine"
        changed = record.chosen(side if checked else other)
        self.choices_changed.emit()
        return changed

    def choose_all(self, choice: Choice) -> None:
        self.set_rows([c.chosen(choice) for c in self.records])
        self.choices_changed.emit()

    def choices(self) -> dict[Any, Choice]:
        return {c.key: c.choice for c in self.records if c.choice is not None}

    def all_chosen(self) -> bool:
        return all(c.choice is not None for c in self.records)


class SyncDialog(QDialog):
    """The conflicts of one sync; Sync sends everything with the choices made."""

    def __init__(self, report: SyncReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sync conflicts")
        self.resize(1160, 380)
        n, ready = len(report.conflicts), report.ready
        intro = QLabel(
            f"<b>{n} change{'s' if n != 1 else ''} made in this offline copy clash with "
            "changes on the server.</b><br>Choose which value to keep in each. Nothing is sent "
            f"until you press Sync; then your choices and the {ready} other "
            f"change{'s' if ready != 1 else ''} of this copy are sent together, and the copy "
            "takes the server's current state."
        )
        intro.setWordWrap(True)
        self.model = ConflictModel(self)
        self.model.set_rows(report.conflicts)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for index, column in enumerate(self.model.columns):
            if column.width:
                self.table.setColumnWidth(index, column.width)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.all_mine = QPushButton("All mine")
        self.all_mine.setToolTip("Keep this copy's value in every conflict.")
        self.all_theirs = QPushButton("All theirs")
        self.all_theirs.setToolTip("Keep the server's value in every conflict.")
        self.sync_button = QPushButton("Sync")
        self.sync_button.setDefault(True)
        cancel = QPushButton("Cancel")
        self.all_mine.clicked.connect(lambda: self.model.choose_all("mine"))
        self.all_theirs.clicked.connect(lambda: self.model.choose_all("theirs"))
        self.sync_button.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        self.model.dataChanged.connect(self._on_model_choices_changed)
        self.model.modelReset.connect(self._on_model_choices_changed)
        buttons = QHBoxLayout()
        for button in (self.all_mine, self.all_theirs):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.hint = QLabel()
        buttons.addWidget(self.hint)
        buttons.addWidget(self.sync_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._on_model_choices_changed()

    def choices(self) -> dict[Any, Choice]:
        return self.model.choices()

    def _on_model_choices_changed(self) -> None:
        left = sum(c.choice is None for c in self.model.records)
        self.sync_button.setEnabled(left == 0)
        self.hint.setText(f"{left} still to choose" if left else "")


def has_origin(ws: Workspace) -> bool:
    """Whether ``ws`` is an offline copy of a team workspace (File → Sync is offered)."""
    from cmio_desktop.services.team import origin_of

    return origin_of(ws) is not None


def sync_job(_ctx: TaskContext, ws: Workspace, choices: Any) -> SyncReport:
    from cmio_desktop.services.team import sync_with_origin

    return sync_with_origin(ws, choices)


class SyncController(QObject):
    """Runs a sync off the UI thread, asks about conflicts, announces the refreshed copy."""

    sync_finished = Signal(object)  # the SyncReport of a run that wrote (or had nothing to do)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.facade = window.facade
        self.runner = TaskRunner(self)
        self.dialog: SyncDialog | None = None

    def start(self, choices: Any = None) -> None:
        if self.runner.current("sync") is not None:
            self.window.statusBar().showMessage("A sync is already running…", 4000)
            return
        self.window.statusBar().showMessage("Syncing with the team workspace…")
        task = self.runner.start(sync_job, self.facade.ws, choices, name="sync", key="sync")
        task.then(self._on_task_finished, self._on_task_failed)

    def _on_task_finished(self, report: SyncReport) -> None:
        if report.pending:
            self.window.statusBar().showMessage(report.summary(), 8000)
            self.dialog = SyncDialog(report, self.window)
            self.dialog.accepted.connect(self._on_dialog_accepted)
            self.dialog.open()
            return
        if report.refreshed:
            self.facade.undo_stack.clear()  # the copy was refilled: old steps no longer apply
            self.facade.announce(report.changes)
        self.window.statusBar().showMessage(report.summary(), 8000)
        if report.skipped:
            QMessageBox.information(self.window, "Not sent", "\n\n".join(report.skipped))
        self.sync_finished.emit(report)

    def _on_dialog_accepted(self) -> None:
        if self.dialog is not None:
            self.start(self.dialog.choices())

    def _on_task_failed(self, sentence: str) -> None:
        self.window.statusBar().showMessage("Sync failed; the offline copy keeps working.", 8000)
        show_error(self.window, "Cannot sync", sentence)
