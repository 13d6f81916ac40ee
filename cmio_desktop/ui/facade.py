"""The one source of change notifications: pages refresh when the facade says so."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from cmio_desktop.paths import backups_dir
from cmio_desktop.services.changes import ChangeSet

if TYPE_CHECKING:  # the store (SQLAlchemy) loads on the first open, after the first paint
    from cmio_desktop.services.workspace_info import WorkspaceInfo
    from cmio_desktop.store import Workspace

log = logging.getLogger(__name__)
WATCH_INTERVAL_MS = 1000  # how often to look for changes other programs committed


class WorkspaceFacade(QObject):
    """Holds the open workspace and its undo stack; announces opens and data changes."""

    opened = Signal()
    # What a write changed: a ChangeSet (services.changes). Pages refresh when it touches the
    # kinds they declare in DEPENDS_ON.
    changed = Signal(object)
    # People selected anywhere (table, grid, network, heat map): every view follows.
    # Arguments: stakeholder ids, and the name of the view that made the selection (so it can
    # ignore its own echo).
    selection_changed = Signal(list, str)
    # The current initiative changed (the app works on one initiative at a time).
    initiative_changed = Signal(int)
    # The daily backup failed (full disk, read-only folder): a sentence to show, never blocking.
    backup_failed = Signal(str)

    def __init__(
        self, parent: QObject | None = None, *, watch_outside_changes: bool = False
    ) -> None:
        super().__init__(parent)
        # The app watches; a facade made for a test or a tool only when asked (watch()).
        self.watch_outside_changes = watch_outside_changes
        self._workspace: Workspace | None = None
        self.undo_stack = QUndoStack(self)
        self.selected_ids: list[int] = []
        self.initiative_id: int | None = None
        # Another program (the CLI, a colleague's copy of the app) may write to the same file:
        # a cheap poll of SQLite's data_version notices its commits and pages reload.
        # Single shot, re-armed after each look while a workspace is open, so the timer is idle
        # whenever none is (a QObject must never be deleted with a timer running).
        self.watch_timer = QTimer(self)
        self.watch_timer.setSingleShot(True)
        self.watch_timer.setInterval(WATCH_INTERVAL_MS)
        self.watch_timer.timeout.connect(self._on_watch_timer)

    @property
    def workspace(self) -> Workspace | None:
        return self._workspace

    @workspace.setter
    def workspace(self, workspace: Workspace | None) -> None:
        self._workspace = workspace
        if workspace is None:
            self.watch_timer.stop()

    @property
    def ws(self) -> Workspace:
        if self.workspace is None:
            raise RuntimeError("No workspace is open.")
        return self.workspace

    def open(self, path: Path, passphrase: str | None = None) -> None:
        from cmio_desktop.store import WorkspaceError, open_workspace
        from cmio_desktop.store.backup import daily_backup

        new = open_workspace(path, passphrase)  # raises WorkspaceError with a user-facing message
        warning = ""
        try:
            daily_backup(new, backups_dir())
        except (OSError, WorkspaceError) as exc:  # a failed backup must not block the work
            log.warning("Automatic backup of %s failed: %s", path, exc)
            warning = str(exc) if isinstance(exc, WorkspaceError) else f"Backup failed: {exc}"
        self.set_workspace(new)
        if warning:
            self.backup_failed.emit(warning)

    def set_workspace(self, workspace: Workspace) -> None:
        if self.workspace is not None:
            self.workspace.close()
        self.workspace = workspace
        self.undo_stack.clear()
        self.selected_ids = []
        from cmio_desktop.services.workspace_info import workspace_info

        initiatives = workspace_info(workspace).initiatives
        self.initiative_id = initiatives[0].id if initiatives else None
        if self.watch_outside_changes:
            self.watch(workspace)
        self.opened.emit()

    def watch(self, workspace: Workspace) -> None:
        """Start noticing changes other programs make to ``workspace`` (the open one)."""
        self.watch_outside_changes = True
        self.check_outside_changes()  # the first look only takes the starting point
        self.watch_timer.start()

    def _on_watch_timer(self) -> None:
        self.check_outside_changes()
        if self.workspace is not None and self.workspace.behind:  # a reader held it back
            self.workspace.flush_to_file()
        if self.workspace is not None:
            self.watch_timer.start()

    def check_outside_changes(self) -> bool:
        """Announce what someone else committed since the last look (everything on a file)."""
        if self.workspace is None:
            return False
        from cmio_desktop.ui.live_changes import changes_elsewhere

        changes = changes_elsewhere(self.workspace)
        self.announce(changes)
        return bool(changes)

    def set_initiative(self, initiative_id: int) -> None:
        if initiative_id != self.initiative_id:
            self.initiative_id = initiative_id
            self.initiative_changed.emit(initiative_id)

    def info(self) -> WorkspaceInfo:
        from cmio_desktop.services.workspace_info import workspace_info

        return workspace_info(self.ws)

    def announce(self, changes: ChangeSet) -> None:
        """Tell every page what a write changed (the ChangeSet its service returned)."""
        if not isinstance(changes, ChangeSet):
            raise TypeError(f"announce() takes a ChangeSet, not {type(changes).__name__}")
        if changes:
            self.changed.emit(changes)

    def select_people(self, ids: list[int], source: str) -> None:
        self.selected_ids = list(ids)
        self.selection_changed.emit(self.selected_ids, source)

    def close(self) -> None:
        self.watch_timer.stop()
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
