"""The one undo-command base: a QUndoCommand whose redo and undo each call a service and then
announce, on the facade, the ChangeSet that service returned — so every page refreshes from
what the write says it changed, never from a string someone typed.

A refused step (ServiceError: a conflict, a row gone) changes nothing, reports why and drops
out of the history (``setObsolete``), so Edit → Undo never holds a half-applied edit.

Two ways to put a command on the stack:

* :func:`push` — the stack's first ``redo`` performs the edit (plan, governance, go-live);
* :func:`push_applied` — the edit is performed first by :meth:`ServiceCommand.apply`, which
  lets a refusal propagate to the caller (who shows it where the user is looking), and only a
  successful command is pushed, its first ``redo`` skipped (readiness, network, import).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from cmio_desktop.services import crud
from cmio_desktop.services.changes import NOTHING, ChangeSet, changes_of
from cmio_desktop.services.conflicts import (
    SINCE_EDIT,
    SINCE_OPENED,
    SINCE_UNDO,
    guarded,
    shown_versions,
)
from cmio_desktop.services.crud import DeletedSnapshot
from cmio_desktop.services.errors import REFUSED, ConflictError
from cmio_desktop.ui.busy_retry import already_told, retry_while_busy
from cmio_desktop.ui.dialogs import show_error

if TYPE_CHECKING:
    from cmio_desktop.store import Workspace
    from cmio_desktop.ui.facade import WorkspaceFacade

Report = Callable[[str, str], None]
#: A service call: returns a ChangeSet, or a result that carries one (``.changes``).
Action = Callable[["Workspace"], Any]


class ServiceCommand(QUndoCommand):
    """``redo`` runs :meth:`_do`, ``undo`` runs :meth:`_undo` (or the ``do``/``undo``
    callables given); each returns what its service returned, and the command announces that
    result's ChangeSet on the facade."""

    def __init__(
        self,
        facade: WorkspaceFacade,
        text: str,
        do: Action | None = None,
        undo: Action | None = None,
        report: Report | None = None,
    ) -> None:
        super().__init__(text)
        self.facade = facade
        self._do_action, self._undo_action = do, undo
        self._report = report
        self._skip_redo = False
        self._done_once = False  # the edit has been done once (later redos are redos)
        self.failed = False

    @property
    def ws(self) -> Workspace:
        return self.facade.ws

    # -- what subclasses (or the callables) provide -------------------------------------------
    def _do(self, ws: Workspace) -> Any:
        if self._do_action is None:
            raise NotImplementedError
        return self._do_action(ws)

    def _undo(self, ws: Workspace) -> Any:
        if self._undo_action is None:
            raise NotImplementedError
        return self._undo_action(ws)

    # -- QUndoCommand -------------------------------------------------------------------------
    def apply(self) -> None:
        """Do the edit for the first time; a refusal (ServiceError) propagates, nothing is
        announced. On success the stack's first ``redo`` (from ``push``) is skipped."""
        changes = changes_of(retry_while_busy(lambda: self._do(self.ws)))
        self._skip_redo = True
        self._done_once = True
        self.announce(changes)

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        # The first redo (from ``push``) is the edit itself; later ones are the user's redo.
        mark = "redo" if self._done_once else None
        if self._run(self._do, "redo", mark):
            self._done_once = True

    def undo(self) -> None:
        self._run(self._undo, "undo", "undo")

    def _run(self, action: Action, verb: str, mark: str | None = None) -> bool:
        from cmio_desktop.services.audit_marks import recorded_as

        try:
            with recorded_as(mark):  # the history marks what an undo or a redo changed
                result = retry_while_busy(lambda: action(self.ws))
        except REFUSED as exc:
            self.failed = True
            self.setObsolete(True)
            self.report_failure(verb, exc)
            if isinstance(exc, ConflictError):  # show the colleague's change that refused it
                self.facade.announce(ChangeSet.everything())
            return False
        self.announce(changes_of(result))
        return True

    # -- hooks --------------------------------------------------------------------------------
    def announce(self, changes: ChangeSet) -> None:
        """Tell every page what changed (the stakeholder register overrides this to refresh
        its own rows first)."""
        self.facade.announce(changes)

    def report_failure(self, verb: str, exc: Exception) -> None:
        if already_told(exc):  # the user saw the busy sentence and chose Cancel
            return
        if self._report is not None:
            self._report(f"Could not {self.text()}", str(exc))
            return
        step = verb.capitalize()
        show_error(None, f"{step} failed", f"{step} of “{self.text()}” failed: {exc}")


def push(facade: WorkspaceFacade, command: ServiceCommand) -> bool:
    """Push (the first redo performs the edit) and say whether it worked (a failed command
    removes itself from the stack)."""
    facade.undo_stack.push(command)
    return not command.failed


def push_applied(facade: WorkspaceFacade, command: ServiceCommand) -> None:
    """Apply ``command`` (a ServiceError propagates and nothing is pushed), then push it."""
    command.apply()
    facade.undo_stack.push(command)


# -- the generic create / delete / update steps ------------------------------------------------


class CreateCommand(ServiceCommand):
    """The first redo creates (``create(ws)`` returns the new id or ids, as a result carrying
    its ChangeSet); undo deletes them, keeping a snapshot; later redos restore that snapshot,
    so ids stay the same."""

    def __init__(
        self,
        facade: WorkspaceFacade,
        text: str,
        create: Action,
        delete: Callable[[Workspace, list[int]], DeletedSnapshot],
        report: Report | None = None,
    ) -> None:
        super().__init__(facade, text, report=report)
        self.ids: list[int] = []
        self._snapshot: DeletedSnapshot | None = None
        self._create, self._delete = create, delete

    def _do(self, ws: Workspace) -> Any:
        if self._snapshot is not None:
            return crud.restore(ws, self._snapshot)
        created = self._create(ws)
        value = created.value
        self.ids = [value] if isinstance(value, int) else list(value)
        return created

    def _undo(self, ws: Workspace) -> Any:
        if not self.ids:
            return NOTHING
        self._snapshot = self._delete(ws, self.ids)
        return self._snapshot


class DeleteCommand(ServiceCommand):
    def __init__(
        self,
        facade: WorkspaceFacade,
        text: str,
        ids: Sequence[int],
        delete: Callable[[Workspace, list[int]], DeletedSnapshot],
        report: Report | None = None,
        versions: Mapping[int, int] | None = None,
    ) -> None:
        super().__init__(facade, text, report=report)
        self.ids = list(ids)
        self._snapshot: DeletedSnapshot | None = None
        self._delete_fn = delete
        self._versions = versions  # id → the row version shown: a moved one refuses the delete

    def _do(self, ws: Workspace) -> Any:
        with shown_versions(self._versions):
            self._snapshot = self._delete_fn(ws, self.ids)
        return self._snapshot

    def _undo(self, ws: Workspace) -> Any:
        if self._snapshot is None:
            return NOTHING
        return crud.restore(ws, self._snapshot)


class UpdateCommand(ServiceCommand):
    """``apply(ws, values)`` writes ``values`` and returns the previous ones (as
    ``Written(previous, changes)``); undo writes those back with the same function."""

    def __init__(
        self,
        facade: WorkspaceFacade,
        text: str,
        apply: Callable[[Workspace, Any], Any],
        new: Any,
        report: Report | None = None,
        shown: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(facade, text, report=report)
        self._apply, self._new = apply, new
        self._old: Any = None
        self._written: dict[str, Any] = {}
        self._shown = shown  # the changed fields' values as the user saw them, if known

    def _do(self, ws: Workspace) -> Any:
        # Each step expects the fields to hold what the step before it wrote, so nobody
        # else's change made in between is overwritten (the first edit expects nothing).
        expected, since = (
            (self._written, SINCE_UNDO) if self._written else (self._shown, SINCE_OPENED)
        )
        with guarded(expected, since) as guard:
            result = self._apply(ws, self._new)
        self._old = result.value
        self._written = guard.written
        return result

    def _undo(self, ws: Workspace) -> Any:
        if self._old is None:
            return NOTHING
        with guarded(self._written, SINCE_EDIT) as guard:
            result = self._apply(ws, self._old)
        self._written = guard.written
        return result
