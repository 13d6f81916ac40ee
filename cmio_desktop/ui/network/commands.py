"""Undoable tie edits: each command calls the ties service (which writes the audit trail) and
announces the ChangeSet it returned.

Use :func:`run_command`: it performs the edit once, and only if that succeeds pushes the
command on the facade's undo stack (whose first ``redo`` is then skipped), so a refused edit
never leaves a dead entry in Edit → Undo.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from cmio_desktop.services import crud
from cmio_desktop.services.changes import NOTHING, ChangeSet
from cmio_desktop.services.conflicts import SINCE_EDIT, SINCE_OPENED, SINCE_UNDO, shown_versions
from cmio_desktop.services.errors import REFUSED, ConflictError
from cmio_desktop.services.network import ties
from cmio_desktop.store import Workspace
from cmio_desktop.ui.busy_retry import already_told
from cmio_desktop.ui.common.undo import ServiceCommand, push_applied
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.facade import WorkspaceFacade


class AddTieCommand(ServiceCommand):
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

    def _do(self, ws: Workspace) -> ties.TieRow:
        row = ties.add_tie(ws, tie_id=self.tie_id, **self.values)
        self.tie_id = row.id
        return row

    def _undo(self, ws: Workspace) -> crud.DeletedSnapshot | ChangeSet:
        if self.tie_id is None:
            return NOTHING
        # Refused (the tie kept) if someone else has changed it since it was added.
        return ties.delete_tie(ws, self.tie_id, expected=self.values)


class EditTieCommand(ServiceCommand):
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

    def _do(self, ws: Workspace) -> Any:
        # The first edit expects what the dialog showed, a redo what the undo put back.
        expected, since = (self.old, SINCE_UNDO) if self.old else (self.shown, SINCE_OPENED)
        written = ties.update_tie(ws, self.tie_id, expected=expected, since=since, **self.changes)
        self.old, _row = written.value
        return written

    def _undo(self, ws: Workspace) -> Any:
        return ties.update_tie(ws, self.tie_id, expected=self.changes, since=SINCE_EDIT, **self.old)


class DeleteTiesCommand(ServiceCommand):
    def __init__(
        self,
        facade: WorkspaceFacade,
        tie_ids: list[int],
        text: str,
        versions: dict[int, int] | None = None,
    ) -> None:
        super().__init__(facade, text)
        self.tie_ids = tie_ids
        self.versions = versions  # id → the row version shown: a moved one refuses the delete
        self.snapshot: crud.DeletedSnapshot | None = None

    def _do(self, ws: Workspace) -> crud.DeletedSnapshot:
        with shown_versions(self.versions):
            self.snapshot = ties.delete_ties(ws, self.tie_ids)
        return self.snapshot

    def _undo(self, ws: Workspace) -> ChangeSet:
        if self.snapshot is None:
            return NOTHING
        return ties.restore_tie(ws, self.snapshot)


def run_command(command: ServiceCommand, parent: QWidget | None = None) -> bool:
    """Apply ``command``; on success push it for undo, else show why it was refused."""
    try:
        push_applied(command.facade, command)
    except REFUSED as exc:
        if not already_told(exc):  # a busy workspace the user chose not to retry
            show_error(parent, "Cannot change tie", str(exc))
        if isinstance(exc, ConflictError):  # show the colleague's change that refused it
            command.facade.announce(ChangeSet.everything())
        return False
    return True
