"""Undo commands for the register. Each calls a service (which writes the audit trail) and
then tells the page what changed, so it can refresh just those rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from cmio_desktop.services.conflicts import SINCE_EDIT, SINCE_OPENED, SINCE_UNDO
from cmio_desktop.services.crud import DeletedSnapshot
from cmio_desktop.services.errors import REFUSED
from cmio_desktop.services.stakeholders import edits as service
from cmio_desktop.store import Workspace
from cmio_desktop.ui.busy_retry import already_told, retry_while_busy


class WriteTarget(Protocol):
    """What a command needs from the page: the workspace and somewhere to report."""

    def workspace(self) -> Workspace: ...

    def applied(self, kind: str, ids: list[int]) -> None:
        """``kind`` is "update", "insert" or "remove"."""

    def report_error(self, title: str, message: str) -> None: ...


def people(count: int) -> str:
    return "1 person" if count == 1 else f"{count:,} people"


def describe_change(name: str, fields: list[str]) -> str:
    """Undo text such as "change influence of Dr. Okafor"."""
    labels = [service.FIELD_LABELS.get(f, f.replace("_", " ")) for f in fields]
    if len(labels) == 1:
        return f"change {labels[0]} of {name}"
    if len(labels) == 2:
        return f"change {labels[0]} and {labels[1]} of {name}"
    return f"edit {len(labels)} fields of {name}"


class _ServiceCommand(QUndoCommand):
    def __init__(self, target: WriteTarget, text: str) -> None:
        super().__init__(text)
        self._target = target

    def redo(self) -> None:
        self._guard(self._do)

    def undo(self) -> None:
        self._guard(self._undo)

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError

    def _guard(self, action: Callable[[], None]) -> None:
        try:
            retry_while_busy(action)
        except REFUSED as exc:
            # The stack drops an obsolete command, so a failed edit never lingers in history.
            self.setObsolete(True)
            if not already_told(exc):
                self._target.report_error(f"Could not {self.text()}", str(exc))


class UpdateStakeholderCommand(_ServiceCommand):
    """Each step first checks that the fields still hold what it expects (the values shown
    when the edit was made, or the ones the edit set), so it never writes over someone
    else's change made meanwhile in another program."""

    def __init__(
        self, target: WriteTarget, ident: int, name: str, old: dict[str, Any], new: dict[str, Any]
    ) -> None:
        super().__init__(target, describe_change(name, list(new)))
        self.ident, self.old, self.new = ident, dict(old), dict(new)
        self._done_once = False

    def _do(self) -> None:
        since = SINCE_UNDO if self._done_once else SINCE_OPENED
        ws = self._target.workspace()
        service.update_stakeholder(ws, self.ident, expected=self.old, since=since, **self.new)
        self._done_once = True
        self._target.applied("update", [self.ident])

    def _undo(self) -> None:
        ws = self._target.workspace()
        service.update_stakeholder(ws, self.ident, expected=self.new, since=SINCE_EDIT, **self.old)
        self._target.applied("update", [self.ident])


class BulkEditCommand(_ServiceCommand):
    def __init__(self, target: WriteTarget, ids: list[int], changes: dict[str, Any]) -> None:
        super().__init__(target, f"bulk edit {people(len(ids))}")
        self.ids, self.changes = list(ids), dict(changes)
        self.old: dict[int, dict[str, Any]] = {}

    def _do(self) -> None:
        ws = self._target.workspace()
        # A redo expects the values the undo put back; the first run has nothing to expect.
        self.old = service.bulk_update(ws, self.ids, expected=self.old or None, **self.changes)
        self._target.applied("update", self.ids)

    def _undo(self) -> None:
        ws = self._target.workspace()
        service.restore_values(ws, self.old, expected=self.changes, since=SINCE_EDIT)
        self._target.applied("update", self.ids)


class DeleteStakeholdersCommand(_ServiceCommand):
    def __init__(self, target: WriteTarget, ids: list[int], names: list[str]) -> None:
        text = f"delete {names[0]}" if len(ids) == 1 and names else f"delete {people(len(ids))}"
        super().__init__(target, text)
        self.ids = list(ids)
        self.snapshot: DeletedSnapshot | None = None

    def _do(self) -> None:
        self.snapshot = service.delete_stakeholders(self._target.workspace(), self.ids)
        self._target.applied("remove", self.ids)

    def _undo(self) -> None:
        if self.snapshot is not None:
            service.restore(self._target.workspace(), self.snapshot)
            self._target.applied("insert", self.ids)


class CreateStakeholderCommand(_ServiceCommand):
    """Add or duplicate: the first redo creates; undo deletes; later redos restore the same
    row (same id), so commands further up the stack still find it."""

    def __init__(self, target: WriteTarget, text: str, create: Callable[[Workspace], Any]) -> None:
        super().__init__(target, text)
        self._create = create
        self.ident: int | None = None
        self.added: Any = None  # the person as created, to check nobody changed them since
        self.snapshot: DeletedSnapshot | None = None

    def _do(self) -> None:
        ws = self._target.workspace()
        if self.snapshot is None:
            self.added = self._create(ws)
            self.ident = int(self.added.id)
        else:
            service.restore(ws, self.snapshot)
        self._target.applied("insert", [self.ident] if self.ident is not None else [])

    def _undo(self) -> None:
        if self.ident is None:
            return
        # Refused (and the person kept) if someone else has edited or tied them since.
        self.snapshot = service.remove_added(self._target.workspace(), self.added)
        self._target.applied("remove", [self.ident])
