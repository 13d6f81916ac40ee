"""The one source of change notifications: pages refresh when the facade says so."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from ..paths import backups_dir

if TYPE_CHECKING:  # the store (SQLAlchemy) loads on the first open, after the first paint
    from ..services.workspace_info import WorkspaceInfo
    from ..store import Workspace

log = logging.getLogger(__name__)


class WorkspaceFacade(QObject):
    """Holds the open workspace and its undo stack; announces opens and data changes."""

    opened = Signal()
    changed = Signal(str)  # the entity kind that changed ("stakeholder", "relationship", "*")
    # People selected anywhere (table, grid, network, heat map): every view follows.
    # Arguments: stakeholder ids, and the name of the view that made the selection (so it can
    # ignore its own echo).
    selection_changed = Signal(list, str)
    # The current initiative changed (the app works on one initiative at a time).
    initiative_changed = Signal(int)
    # The daily backup failed (full disk, read-only folder): a sentence to show, never blocking.
    backup_failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace: Workspace | None = None
        self.undo_stack = QUndoStack(self)
        self.selected_ids: list[int] = []
        self.initiative_id: int | None = None

    @property
    def ws(self) -> Workspace:
        if self.workspace is None:
            raise RuntimeError("No workspace is open.")
        return self.workspace

    def open(self, path: Path) -> None:
        from ..store import WorkspaceError, open_workspace
        from ..store.backup import daily_backup

        new = open_workspace(path)  # raises WorkspaceError with a user-facing message
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
        from ..services.workspace_info import workspace_info

        initiatives = workspace_info(workspace).initiatives
        self.initiative_id = initiatives[0].id if initiatives else None
        self.opened.emit()

    def set_initiative(self, initiative_id: int) -> None:
        if initiative_id != self.initiative_id:
            self.initiative_id = initiative_id
            self.initiative_changed.emit(initiative_id)

    def info(self) -> WorkspaceInfo:
        from ..services.workspace_info import workspace_info

        return workspace_info(self.ws)

    def notify(self, kind: str = "*") -> None:
        self.changed.emit(kind)

    def select_people(self, ids: list[int], source: str) -> None:
        self.selected_ids = list(ids)
        self.selection_changed.emit(self.selected_ids, source)

    def close(self) -> None:
        if self.workspace is not None:
            self.workspace.close()
            self.workspace = None
