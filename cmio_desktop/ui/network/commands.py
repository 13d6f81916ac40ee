"""Undoable tie edits: each command calls the ties service (which writes the audit trail).

Use :func:`run_command`: it performs the edit once, and only if that succeeds pushes the
command on the facade's undo stack (whose first ``redo`` is then skipped), so a refused edit
never leaves a dead entry in Edit → Undo.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from cmio_desktop.services.conflicts import SINCE_EDIT, SINCE_OPENED, SINCE_UNDO
from cmio_desktop.services.errors import REFUSED
from cmio_desktop.services.network import ties
from cmio_desktop.ui.busy_retry import already_told, retry_while_busy
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.facade import WorkspaceFacade

KIND = "relationship"


class TieCommand(QUndoCommand):
    def __init__(self, facade: WorkspaceFacade, text: str) -> None:
        super().__init__(text)
        self.facade = facade
        self._skip_redo = False

    def apply(self) -> None:
        """Do the edit for the first time (raises ServiceError if refused)."""
        self._do()
        self._skip_redo = True
        self.facade.notify(KIND)

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._guarded(self._do, "Redo")

    def undo(self) -> None:
        self._guarded(self._undo, "Undo")

    def _guarded(self, action: Any, verb: str) -> None:
        try:
            retry_while_busy(action)
        except REFUSED as exc:
            self.setObsolete(True)
            if not already_told(exc):
                show_error(None, f"{verb} failed", f"{verb} of “{self.text()}” failed: {exc}")
        self.facade.notify(KIND)

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


class AddTieCommand(TieCommand):
    def __init__(
        self,
        facade: WorkspaceFacade,
        source_id: int,
        target_id: int,
        strength: int,
        kind: str,
        note: str,
        text: str,
    ) -> None:
        super().__init__(facade, text)
        self.values = dict(
            source_id=source_id, target_id=target_id, strength=strength, kind=kind, note=note
        )
        self.tie_id: int | None = None

    def _do(self) -> None:
        row = ties.add_tie(self.facade.ws, tie_id=self.tie_id, **self.values)
        self.tie_id = row.id

    def _undo(self) -> None:
        if self.tie_id is not None:
            # Refused (the tie kept) if someone else has changed it since it was added.
            ties.delete_tie(self.facade.ws, self.tie_id, expected=self.values)


class EditTieCommand(TieCommand):
    def __init__(
        self,
        facade: WorkspaceFacade,
        tie_id: int,
        changes: dict[str, Any],
        text: str,
        shown: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(facade, text)
        self.tie_id = tie_id
        self.changes = changes
        self.shown = shown  # the values the dialog showed for the changed fields
        self.old: dict[str, Any] = {}

    def _do(self) -> None:
        # The first edit expects what the dialog showed, a redo what the undo put back.
        expected, since = (self.old, SINCE_UNDO) if self.old else (self.shown, SINCE_OPENED)
        self.old, _row = ties.update_tie(
            self.facade.ws, self.tie_id, expected=expected, since=since, **self.changes
        )

    def _undo(self) -> None:
        ties.update_tie(
            self.facade.ws, self.tie_id, expected=self.changes, since=SINCE_EDIT, **self.old
        )


class DeleteTiesCommand(TieCommand):
    def __init__(self, facade: WorkspaceFacade, tie_ids: list[int], text: str) -> None:
        super().__init__(facade, text)
        self.tie_ids = tie_ids
        self.snapshot: Any = None

    def _do(self) -> None:
        self.snapshot = ties.delete_ties(self.facade.ws, self.tie_ids)

    def _undo(self) -> None:
        if self.snapshot is not None:
            ties.restore_tie(self.facade.ws, self.snapshot)


def run_command(command: TieCommand, parent: QWidget | None = None) -> bool:
    """Apply ``command``; on success push it for undo, else show why it was refused."""
    try:
        retry_while_busy(command.apply, parent)
    except REFUSED as exc:
        if not already_told(exc):
            show_error(parent, "Cannot change tie", str(exc))
        return False
    command.facade.undo_stack.push(command)
    return True
