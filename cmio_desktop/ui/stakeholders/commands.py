"""Undo commands for the register. Each calls a service (which writes the audit trail) and
then tells the page what changed, so it can refresh just those rows before announcing the
service's ChangeSet to the rest of the app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from cmio_desktop.services.changes import NOTHING, ChangeSet
from cmio_desktop.services.conflicts import (
    SINCE_EDIT,
    SINCE_OPENED,
    SINCE_UNDO,
    VERSION,
    shown_versions,
)
from cmio_desktop.services.crud import DeletedSnapshot
from cmio_desktop.services.stakeholders import edits as service
from cmio_desktop.store import Workspace
from cmio_desktop.ui.common.undo import ServiceCommand
from cmio_desktop.ui.facade import WorkspaceFacade


class WriteTarget(Protocol):
    """What a command needs from the page: the facade, and where to refresh and report."""

    facade: WorkspaceFacade

    def applied(self, kind: str, ids: list[int], changes: ChangeSet) -> None:
        """``kind`` is "update", "insert" or "remove"; ``changes`` what the service wrote."""

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


class _RegisterCommand(ServiceCommand):
    """A register edit: the page refreshes just the rows it changed, then announces it."""

    def __init__(self, target: WriteTarget, text: str) -> None:
        super().__init__(target.facade, text, report=target.report_error)
        self._target = target
        self._rows: tuple[str, list[int]] = ("update", [])

    def _applied(self, kind: str, ids: list[int], result: Any) -> Any:
        self._rows = (kind, ids)
        return result

    def announce(self, changes: ChangeSet) -> None:
        kind, ids = self._rows
        self._target.applied(kind, ids, changes)


class UpdateStakeholderCommand(_RegisterCommand):
    """Each step first checks that the fields still hold what it expects (the values shown
    when the edit was made, or the ones the edit set), so it never writes over someone
    else's change made meanwhile in another program."""

    def __init__(
        self,
        target: WriteTarget,
        ident: int,
        name: str,
        old: dict[str, Any],
        new: dict[str, Any],
        version: int | None = None,
    ) -> None:
        super().__init__(target, describe_change(name, list(new)))
        self.ident, self.old, self.new = ident, dict(old), dict(new)
        self._version = version  # the row version the edit was made on, if known
        self._done_once = False

    def _do(self, ws: Workspace) -> Any:
        since, expected = SINCE_UNDO, self.old
        if not self._done_once:
            since = SINCE_OPENED
            if self._version is not None:
                expected = {**self.old, VERSION: self._version}
        row = service.update_stakeholder(ws, self.ident, expected=expected, since=since, **self.new)
        self._done_once = True
        return self._applied("update", [self.ident], row)

    def _undo(self, ws: Workspace) -> Any:
        row = service.update_stakeholder(
            ws, self.ident, expected=self.new, since=SINCE_EDIT, **self.old
        )
        return self._applied("update", [self.ident], row)


class BulkEditCommand(_RegisterCommand):
    def __init__(self, target: WriteTarget, ids: list[int], changes: dict[str, Any]) -> None:
        super().__init__(target, f"bulk edit {people(len(ids))}")
        self.ids, self.changes = list(ids), dict(changes)
        self.old: dict[int, dict[str, Any]] = {}

    def _do(self, ws: Workspace) -> Any:
        # A redo expects the values the undo put back; the first run has nothing to expect.
        written = service.bulk_update(ws, self.ids, expected=self.old or None, **self.changes)
        self.old = written.value
        return self._applied("update", self.ids, written)

    def _undo(self, ws: Workspace) -> Any:
        changes = service.restore_values(ws, self.old, expected=self.changes, since=SINCE_EDIT)
        return self._applied("update", self.ids, changes)


class DeleteStakeholdersCommand(_RegisterCommand):
    def __init__(
        self,
        target: WriteTarget,
        ids: list[int],
        names: list[str],
        versions: dict[int, int] | None = None,
    ) -> None:
        text = f"delete {names[0]}" if len(ids) == 1 and names else f"delete {people(len(ids))}"
        super().__init__(target, text)
        self.ids = list(ids)
        self.versions = versions  # as the register showed them: a moved one refuses the delete
        self.snapshot: DeletedSnapshot | None = None

    def _do(self, ws: Workspace) -> Any:
        with shown_versions(self.versions):
            self.snapshot = service.delete_stakeholders(ws, self.ids)
        return self._applied("remove", self.ids, self.snapshot)

    def _undo(self, ws: Workspace) -> Any:
        if self.snapshot is None:
            return NOTHING
        return self._applied("insert", self.ids, service.restore(ws, self.snapshot))


class CreateStakeholderCommand(_RegisterCommand):
    """Add or duplicate: the first redo creates; undo deletes; later redos restore the same
    row (same id), so commands further up the stack still find it."""

    def __init__(self, target: WriteTarget, text: str, create: Callable[[Workspace], Any]) -> None:
        super().__init__(target, text)
        self._create = create
        self.ident: int | None = None
        self.added: Any = None  # the person as created, to check nobody changed them since
        self.snapshot: DeletedSnapshot | None = None

    def _do(self, ws: Workspace) -> Any:
        if self.snapshot is None:
            self.added = self._create(ws)
            self.ident = int(self.added.id)
            result = self.added
        else:
            result = service.restore(ws, self.snapshot)
        return self._applied("insert", [self.ident] if self.ident is not None else [], result)

    def _undo(self, ws: Workspace) -> Any:
        if self.ident is None:
            return NOTHING
        # Refused (and the person kept) if someone else has edited or tied them since.
        self.snapshot = service.remove_added(ws, self.added)
        return self._applied("remove", [self.ident], self.snapshot)
