"""Undoable readiness edits. Each command calls a service (which writes the audit trail in the
same transaction) and announces the change on the facade.

Use :func:`push`: it performs the edit once — a refused edit raises ``ServiceError`` to the
caller, who shows it where the user is looking — and only then puts the command on the undo
stack (whose first ``redo`` is skipped), so Edit → Undo never holds a dead entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtGui import QUndoCommand

from cmio_desktop.services.conflicts import SINCE_EDIT, SINCE_OPENED, SINCE_UNDO
from cmio_desktop.services.crud import DeletedSnapshot
from cmio_desktop.services.errors import REFUSED
from cmio_desktop.services.readiness import assessments as service
from cmio_desktop.store import Workspace
from cmio_desktop.ui.busy_retry import already_told, retry_while_busy
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.facade import WorkspaceFacade

ASSESSMENT = "assessment"
SETTING = "workspace_setting"


class ReadinessCommand(QUndoCommand):
    kind = ASSESSMENT

    def __init__(self, facade: WorkspaceFacade, text: str) -> None:
        super().__init__(text)
        self.facade = facade
        self._skip_redo = False

    @property
    def ws(self) -> Workspace:
        return self.facade.ws

    def apply(self) -> None:
        """Do the edit for the first time (raises ServiceError if refused)."""
        self._do()
        self._skip_redo = True
        self.facade.notify(self.kind)

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._guarded(self._do, "Redo")

    def undo(self) -> None:
        self._guarded(self._undo, "Undo")

    def _guarded(self, action: Callable[[], None], verb: str) -> None:
        try:
            retry_while_busy(action)
        except REFUSED as exc:
            self.setObsolete(True)
            if not already_told(exc):
                show_error(None, f"{verb} failed", f"{verb} of “{self.text()}” failed: {exc}")
        self.facade.notify(self.kind)

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError


def push(facade: WorkspaceFacade, command: ReadinessCommand) -> None:
    """Apply ``command`` (ServiceError propagates, nothing is pushed) then push it."""
    retry_while_busy(command.apply)  # Cancel raises BusyDeclined: see already_told
    facade.undo_stack.push(command)


def people_text(count: int) -> str:
    return "1 person" if count == 1 else f"{count:,} people"


class RecordRoundCommand(ReadinessCommand):
    """A whole survey round as one undo step."""

    def __init__(
        self,
        facade: WorkspaceFacade,
        initiative_id: int,
        day: date,
        entries: Sequence[service.RoundEntry],
        assessor: str,
        label: str,
    ) -> None:
        super().__init__(facade, f"record survey round for {label} ({people_text(len(entries))})")
        self.initiative_id, self.day = initiative_id, day
        self.entries, self.assessor = list(entries), assessor
        self.recorded: service.RecordedRound | None = None
        self.snapshot: DeletedSnapshot | None = None

    def _do(self) -> None:
        if self.recorded is None:
            self.recorded = service.record_round(
                self.ws, self.initiative_id, self.day, self.entries, self.assessor
            )
        else:
            service.redo_round(self.ws, self.recorded, self.snapshot)

    def _undo(self) -> None:
        if self.recorded is not None:
            self.snapshot = service.undo_round(self.ws, self.recorded)


class AddAssessmentCommand(ReadinessCommand):
    """The first redo creates; undo deletes; later redos restore the same row (same id)."""

    def __init__(
        self,
        facade: WorkspaceFacade,
        person_id: int,
        initiative_id: int,
        name: str,
        values: Mapping[str, Any],
    ) -> None:
        super().__init__(facade, f"add readiness round for {name}")
        self.person_id, self.initiative_id, self.values = person_id, initiative_id, dict(values)
        self.ident: int | None = None
        self.snapshot: DeletedSnapshot | None = None

    def _do(self) -> None:
        if self.snapshot is not None:
            service.restore_assessments(self.ws, self.snapshot)
            return
        v = self.values
        row = service.add_assessment(
            self.ws,
            self.person_id,
            self.initiative_id,
            v["assessed_on"],
            v["scores"],
            v.get("assessor", ""),
            v.get("note", ""),
        )
        self.ident = row.id

    def _undo(self) -> None:
        if self.ident is not None:
            self.snapshot = service.delete_assessments(self.ws, [self.ident])


class EditAssessmentCommand(ReadinessCommand):
    def __init__(
        self,
        facade: WorkspaceFacade,
        ident: int,
        name: str,
        old: Mapping[str, Any],
        new: Mapping[str, Any],
    ) -> None:
        super().__init__(facade, f"edit readiness round of {name}")
        self.ident, self.old, self.new = ident, dict(old), dict(new)
        self._done_once = False

    def _do(self) -> None:
        # Every step checks the round still holds what it expects (see the stakeholder edit).
        since = SINCE_UNDO if self._done_once else SINCE_OPENED
        service.update_assessment(self.ws, self.ident, expected=self.old, since=since, **self.new)
        self._done_once = True

    def _undo(self) -> None:
        service.update_assessment(
            self.ws, self.ident, expected=self.new, since=SINCE_EDIT, **self.old
        )


class DeleteAssessmentsCommand(ReadinessCommand):
    def __init__(self, facade: WorkspaceFacade, ids: Sequence[int], text: str) -> None:
        super().__init__(facade, text)
        self.ids = list(ids)
        self.snapshot: DeletedSnapshot | None = None

    def _do(self) -> None:
        self.snapshot = service.delete_assessments(self.ws, self.ids)

    def _undo(self) -> None:
        if self.snapshot is not None:
            service.restore_assessments(self.ws, self.snapshot)


class ChangeSettingsCommand(ReadinessCommand):
    """Store workspace settings through ``save(ws, values) -> previous values``."""

    kind = SETTING

    def __init__(
        self,
        facade: WorkspaceFacade,
        text: str,
        save: Callable[[Workspace, Mapping[str, Any]], dict[str, Any]],
        values: Mapping[str, Any],
    ) -> None:
        super().__init__(facade, text)
        self.save, self.new = save, dict(values)
        self.old: dict[str, Any] | None = None

    def _do(self) -> None:
        previous = self.save(self.ws, self.new)
        if self.old is None:
            self.old = previous

    def _undo(self) -> None:
        if self.old is not None:
            self.save(self.ws, self.old)
