"""The undo command for a committed import: one entry, such as "import 312 people from x.xlsx"."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from cmio_desktop.services.importing.run import ImportToken, redo_import, undo_import
from cmio_desktop.store import Workspace
from cmio_desktop.ui.busy_retry import already_told
from cmio_desktop.ui.common.undo import Action, ServiceCommand
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.facade import WorkspaceFacade


class ImportCommand(ServiceCommand):
    """Pushed after the import is committed (off the UI thread): the first ``redo`` (from
    ``push``) does nothing; undo and redo announce the token's ChangeSet."""

    def __init__(self, facade: WorkspaceFacade, token: ImportToken) -> None:
        super().__init__(facade, token.description)
        self._token = token
        self._skip_redo = True  # already applied by the commit

    def _do(self, ws: Workspace) -> Any:
        return redo_import(ws, self._token)

    def _undo(self, ws: Workspace) -> Any:
        return undo_import(ws, self._token)

    def _run(self, action: Action, verb: str, mark: str | None = None) -> bool:
        # One transaction on this thread (an undo stack step must finish before the next one);
        # a large import takes a few seconds, so say so with the cursor.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return super()._run(action, verb, mark)
        finally:
            QApplication.restoreOverrideCursor()

    def report_failure(self, verb: str, exc: Exception) -> None:
        if already_told(exc):
            return
        show_error(QApplication.activeWindow(), f"Cannot {verb} the import", str(exc))
