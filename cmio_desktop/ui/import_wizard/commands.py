"""The undo command for a committed import: one entry, such as "import 312 people from x.xlsx"."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QApplication

from cmio_desktop.services.errors import REFUSED
from cmio_desktop.services.importing.plan import TABLES
from cmio_desktop.services.importing.run import ImportToken, redo_import, undo_import
from cmio_desktop.store import Workspace
from cmio_desktop.ui.busy_retry import already_told, retry_while_busy
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.facade import WorkspaceFacade


class ImportCommand(QUndoCommand):
    """Pushed after the import is committed: the first ``redo`` (from ``push``) does nothing."""

    def __init__(self, facade: WorkspaceFacade, token: ImportToken) -> None:
        super().__init__(token.description)
        self._facade = facade
        self._token = token
        self._entity = TABLES[token.kind]
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            return
        if self._run(redo_import, "redo"):
            self._applied = True

    def undo(self) -> None:
        if self._run(undo_import, "undo"):
            self._applied = False

    def _run(self, action: Callable[[Workspace, ImportToken], None], verb: str) -> bool:
        # One transaction on this thread (an undo stack step must finish before the next one);
        # a large import takes a few seconds, so say so with the cursor.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            retry_while_busy(lambda: action(self._facade.ws, self._token))
        except REFUSED as exc:
            if not already_told(exc):
                show_error(QApplication.activeWindow(), f"Cannot {verb} the import", str(exc))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._facade.notify("*" if self._token.deleted_ids else self._entity)
        return True
