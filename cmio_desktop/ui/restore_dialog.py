"""File › Restore from Backup…: the workspace's backups, a read-only look at one, and a restore
as a new file.

The list holds the automatic daily backups and the copies taken before a schema upgrade (see
:mod:`store.restore`), newest first, with date, size and counts. Selecting one previews its
counts and register, read from the file without changing it (the app has no read-only mode
for a whole workspace, so the preview is labelled as such). "Restore as New File…" asks for a
file name that does not exist yet, writes the backup there through SQLite's backup API, and
offers to open it; the open workspace is never replaced.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.paths import backups_dir
from cmio_desktop.store.errors import WorkspaceError
from cmio_desktop.store.restore import BackupInfo, list_backups, preview_register, restore_backup
from cmio_desktop.ui.common.table_model import Column, TableModel
from cmio_desktop.ui.common.table_view import tab_leaves
from cmio_desktop.ui.dialogs import confirm, show_error
from cmio_desktop.ui.file_dialogs import ask_save_path

if TYPE_CHECKING:
    from cmio_desktop.ui.main_window import MainWindow

WORKSPACES = {"CMIO workspaces (*.cmio)": ".cmio"}
COUNT_LABELS = ("people", "ties", "assessments", "activities")


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _count(label: str) -> Column:
    return Column(
        label.capitalize(),
        lambda b: "unreadable" if b.problem and label == COUNT_LABELS[0] else
        ("" if b.problem else f"{b.counts.get(label, 0):,}"),
        key=lambda b: b.counts.get(label, 0),
        align="right",
    )  # fmt: skip


BACKUP_COLUMNS = (
    Column("Saved", lambda b: f"{b.saved:%Y-%m-%d %H:%M}", key=lambda b: b.saved),
    Column("Kind", lambda b: b.kind),
    Column("Size", lambda b: size_text(b.size), key=lambda b: b.size, align="right"),
    *(_count(label) for label in COUNT_LABELS),
)


def backup_tooltip(backup: BackupInfo) -> str:
    return f"{backup.path}" + (f"\n{backup.problem}" if backup.problem else "")


class PreviewModel(TableModel):
    """A backup's register, read-only: one tuple of texts per person; its columns are the
    backup's own."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__([], id_of=lambda row: row, parent=parent)

    def set_register(self, columns: list[str], rows: list[tuple]) -> None:
        self.beginResetModel()
        self.columns = [
            Column(c.capitalize(), lambda r, i=i: str(r[i])) for i, c in enumerate(columns)
        ]
        self.endResetModel()
        self.set_rows(rows)


def _table(model: TableModel) -> QTableView:
    view = QTableView()
    tab_leaves(view)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    return view


class RestoreDialog(QDialog):
    def __init__(self, workspace: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.workspace = workspace
        self.restored: Path | None = None
        heading = QLabel(
            f"<b>Backups of {workspace.name}</b><br><small>Backups are only read here. "
            "Restoring writes the backup to a <b>new</b> file you name; the open workspace "
            "is never replaced.</small>"
        )
        heading.setWordWrap(True)
        columns = [replace(c, tooltip=backup_tooltip) for c in BACKUP_COLUMNS]
        self.backups = TableModel(columns, id_of=lambda b: str(b.path), parent=self)
        self.backups.set_rows(list_backups(workspace, backups_dir()))
        self.list_view = _table(self.backups)
        header = self.list_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for column in (0, 1):  # the date and the kind in full
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.empty_note = QLabel(
            "No backups of this workspace yet. One is made each day the workspace is opened, "
            "and one before the app upgrades it."
        )
        self.empty_note.setWordWrap(True)
        self.empty_note.setVisible(not self.backups.records)

        self.preview_box = QGroupBox("Preview (read-only)")
        self.preview_summary = QLabel("Select a backup to look at it.")
        self.preview_summary.setWordWrap(True)
        self.preview = PreviewModel(self)
        self.preview_view = _table(self.preview)
        self.preview_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        box = QVBoxLayout(self.preview_box)
        box.addWidget(self.preview_summary)
        box.addWidget(self.preview_view)

        splitter = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.list_view)
        top_layout.addWidget(self.empty_note)
        splitter.addWidget(top)
        splitter.addWidget(self.preview_box)
        splitter.setStretchFactor(1, 2)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton("Restore as New File…")
        self.restore_button.setEnabled(False)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore_selected)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(820, 620)
        self.list_view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.show_preview(current.row())
        )
        if self.backups.records:
            self.list_view.selectRow(0)

    def selected(self) -> BackupInfo | None:
        return self.backups.record_at(self.list_view.currentIndex())

    def show_preview(self, row: int) -> None:
        backup = self.backups.record(row) if 0 <= row < self.backups.rowCount() else None
        self.restore_button.setEnabled(backup is not None and not backup.problem)
        if backup is None:
            return
        self.preview_box.setTitle(f"Preview (read-only): {backup.path.name}")
        if backup.problem:
            self.preview_summary.setText(f"This backup cannot be read: {backup.problem}.")
            self.preview.set_register([], [])
            return
        try:
            columns, rows = preview_register(backup.path)
        except WorkspaceError as exc:
            self.preview_summary.setText(str(exc))
            self.preview.set_register([], [])
            return
        counts = ", ".join(f"{backup.counts.get(k, 0):,} {k}" for k in COUNT_LABELS)
        shown = len(rows)
        people = backup.counts.get("people", 0)
        more = f" The first {shown:,} by name are listed." if shown < people else ""
        self.preview_summary.setText(
            f"Saved {backup.saved:%A %d %B %Y, %H:%M} ({backup.kind}, schema "
            f"{backup.schema_version}): {counts}.{more}"
        )
        self.preview.set_register(columns, rows)
        self.preview_view.resizeColumnsToContents()

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None:
            return
        name = f"{self.workspace.stem} restored {backup.saved:%Y-%m-%d}.cmio"
        target = ask_save_path(self, "Restore backup as a new workspace", "workspace", name,
                               WORKSPACES)  # fmt: skip
        if target is None:
            return
        try:
            restore_backup(backup.path, target, current=self.workspace)
        except (WorkspaceError, OSError) as exc:
            show_error(self, "Cannot restore the backup", str(exc))
            return
        self.restored = target
        self.accept()


def open_restore_dialog(window: MainWindow) -> RestoreDialog | None:
    """File › Restore from Backup…; after a restore, offers to open the new file."""
    if window.facade.workspace is None:
        show_error(window, "Restore from backup", "Open a workspace first.")
        return None
    dialog = RestoreDialog(window.facade.ws.path, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished() -> None:
        target = dialog.restored
        if target is None:
            return
        window.statusBar().showMessage(f"Backup restored as {target}", 8000)
        if confirm(window, "Backup restored", f"Restored as {target.name}. Open it now?"):
            window.file_actions.open_path(target)

    dialog.accepted.connect(finished)
    dialog.open()
    return dialog
