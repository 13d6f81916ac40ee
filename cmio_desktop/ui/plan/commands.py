"""Undo commands for the plan, governance and go-live pages. Each calls services (which write
the audit trail in the same transaction) and then announces the change on the facade, so
every page refreshes from one source. A failed step reports the error and drops out of the
history instead of leaving a half-applied edit in it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from cmio_desktop.services import crud
from cmio_desktop.services.conflicts import SINCE_EDIT, SINCE_OPENED, SINCE_UNDO, guarded
from cmio_desktop.services.errors import REFUSED
from cmio_desktop.store import Workspace
from cmio_desktop.ui.busy_retry import already_told, retry_while_busy
from cmio_desktop.ui.facade import WorkspaceFacade

Report = Callable[[str, str], None]


class ServiceCommand(QUndoCommand):
    """``redo`` runs ``do(ws)``, ``undo`` runs ``undo(ws)``; then ``facade.notify(kind)``."""

    def __init__(
        self,
        facade: WorkspaceFacade,
        text: str,
        kind: str,
        do: Callable[[Workspace], Any],
        undo: Callable[[Workspace], Any],
        report: Report | None = None,
    ) -> None:
        super().__init__(text)
        self._facade, self._kind, self._do, self._undo = facade, kind, do, undo
        self._report = report
        self.failed = False

    def redo(self) -> None:
        self._run(self._do)

    def undo(self) -> None:
        self._run(self._undo)

    def _run(self, action: Callable[[Workspace], Any]) -> None:
        try:
            retry_while_busy(lambda: action(self._facade.ws))
        except REFUSED as exc:
            self.failed = True
            self.setObsolete(True)
            if self._report is not None and not already_told(exc):
                self._report(f"Could not {self.text()}", str(exc))
            return
        self._facade.notify(self._kind)


class CreateCommand(ServiceCommand):
    """The first redo creates (``create(ws)`` returns the new id or ids); undo deletes them,
    keeping a snapshot; later redos restore that snapshot, so ids stay the same."""

    def __init__(
        self,
        facade: WorkspaceFacade,
        text: str,
        kind: str,
        create: Callable[[Workspace], int | Sequence[int]],
        delete: Callable[[Workspace, list[int]], crud.DeletedSnapshot],
        report: Report | None = None,
    ) -> None:
        self.ids: list[int] = []
        self._snapshot: crud.DeletedSnapshot | None = None
        self._create, self._delete = create, delete
        super().__init__(facade, text, kind, self._redo_create, self._undo_create, report)

    def _redo_create(self, ws: Workspace) -> None:
        if self._snapshot is None:
            created = self._create(ws)
            self.ids = [created] if isinstance(created, int) else list(created)
        else:
            crud.restore(ws, self._snapshot)

    def _undo_create(self, ws: Workspace) -> None:
        if self.ids:
            self._snapshot = self._delete(ws, self.ids)


class DeleteCommand(ServiceCommand):
    def __init__(
        self,
        facade: WorkspaceFacade,
        text: str,
        kind: str,
        ids: Sequence[int],
        delete: Callable[[Workspace, list[int]], crud.DeletedSnapshot],
        report: Report | None = None,
    ) -> None:
        self.ids = list(ids)
        self._snapshot: crud.DeletedSnapshot | None = None
        self._delete_fn = delete
        super().__init__(facade, text, kind, self._redo_delete, self._undo_delete, report)

    def _redo_delete(self, ws: Workspace) -> None:
        self._snapshot = self._delete_fn(ws, self.ids)

    def _undo_delete(self, ws: Workspace) -> None:
        if self._snapshot is not None:
            crud.restore(ws, self._snapshot)


class UpdateCommand(ServiceCommand):
    """``apply(ws, values)`` writes ``values`` and returns the previous ones; undo writes
    those back with the same function."""

    def __init__(
        self,
        facade: WorkspaceFacade,
        text: str,
        kind: str,
        apply: Callable[[Workspace, Any], Any],
        new: Any,
        report: Report | None = None,
        shown: Mapping[str, Any] | None = None,
    ) -> None:
        self._apply, self._new = apply, new
        self._old: Any = None
        self._written: dict[str, Any] = {}
        self._shown = shown  # the changed fields' values as the user saw them, if known
        super().__init__(facade, text, kind, self._redo_update, self._undo_update, report)

    def _redo_update(self, ws: Workspace) -> None:
        # Each step expects the fields to hold what the step before it wrote, so nobody
        # else's change made in between is overwritten (the first edit expects nothing).
        expected, since = (
            (self._written, SINCE_UNDO) if self._written else (self._shown, SINCE_OPENED)
        )
        with guarded(expected, since) as guard:
            self._old = self._apply(ws, self._new)
        self._written = guard.written

    def _undo_update(self, ws: Workspace) -> None:
        if self._old is not None:
            with guarded(self._written, SINCE_EDIT) as guard:
                self._apply(ws, self._old)
            self._written = guard.written


def push(facade: WorkspaceFacade, command: ServiceCommand) -> bool:
    """Push and say whether the first redo worked (a failed command removes itself)."""
    facade.undo_stack.push(command)
    return not command.failed
