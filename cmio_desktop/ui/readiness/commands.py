"""Undoable readiness edits. Each command calls a service (which writes the audit trail in the
same transaction) and announces the ChangeSet it returned.

Use :func:`push`: it performs the edit once — a refused edit raises ``ServiceError`` to the
caller, who shows it where the user is looking — and only then puts the command on the undo
stack (whose first ``redo`` is skipped), so Edit → Undo never holds a dead entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from cmio_desktop.services.changes import NOTHING, Written
from cmio_desktop.services.conflicts import SINCE_EDIT, SINCE_OPENED, SINCE_UNDO
from cmio_desktop.services.crud import DeletedSnapshot
from cmio_desktop.services.readiness import assessments as service
from cmio_desktop.store import Workspace
from cmio_desktop.ui.common.undo import ServiceCommand, push_applied
from cmio_desktop.ui.facade import WorkspaceFacade

push = push_applied  # apply, then push (see the module docstring)


def people_text(count: int) -> str:
    return "1 person" if count == 1 else f"{count:,} people"


class RecordRoundCommand(ServiceCommand):
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

    def _do(self, ws: Workspace) -> Any:
        if self.recorded is None:
            self.recorded = service.record_round(
                ws, self.initiative_id, self.day, self.entries, self.assessor
            )
            return self.recorded
        return service.redo_round(ws, self.recorded, self.snapshot)

    def _undo(self, ws: Workspace) -> Any:
        if self.recorded is None:
            return NOTHING
        undone = service.undo_round(ws, self.recorded)
        self.snapshot = undone.value
        return undone


class AddAssessmentCommand(ServiceCommand):
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

    def _do(self, ws: Workspace) -> Any:
        if self.snapshot is not None:
            return service.restore_assessments(ws, self.snapshot)
        v = self.values
        row = service.add_assessment(
            ws,
            self.person_id,
            self.initiative_id,
            v["assessed_on"],
            v["scores"],
            v.get("assessor", ""),
            v.get("note", ""),
        )
        self.ident = row.id
        return row

    def _undo(self, ws: Workspace) -> Any:
        if self.ident is None:
            return NOTHING
        self.snapshot = service.delete_assessments(ws, [self.ident])
        return self.snapshot


class EditAssessmentCommand(ServiceCommand):
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

    def _do(self, ws: Workspace) -> Any:
        # Every step checks the round still holds what it expects (see the stakeholder edit).
        since = SINCE_UNDO if self._done_once else SINCE_OPENED
        row = service.update_assessment(ws, self.ident, expected=self.old, since=since, **self.new)
        self._done_once = True
        return row

    def _undo(self, ws: Workspace) -> Any:
        return service.update_assessment(
            ws, self.ident, expected=self.new, since=SINCE_EDIT, **self.old
        )


class DeleteAssessmentsCommand(ServiceCommand):
    def __init__(self, facade: WorkspaceFacade, ids: Sequence[int], text: str) -> None:
        super().__init__(facade, text)
        self.ids = list(ids)
        self.snapshot: DeletedSnapshot | None = None

    def _do(self, ws: Workspace) -> Any:
        self.snapshot = service.delete_assessments(ws, self.ids)
        return self.snapshot

    def _undo(self, ws: Workspace) -> Any:
        if self.snapshot is None:
            return NOTHING
        return service.restore_assessments(ws, self.snapshot)


class ChangeSettingsCommand(ServiceCommand):
    """Store workspace settings through ``save(ws, values) -> Written(previous values)``."""

    def __init__(
        self,
        facade: WorkspaceFacade,
        text: str,
        save: Callable[[Workspace, Mapping[str, Any]], Written[dict[str, Any]]],
        values: Mapping[str, Any],
    ) -> None:
        super().__init__(facade, text)
        self.save, self.new = save, dict(values)
        self.old: dict[str, Any] | None = None

    def _do(self, ws: Workspace) -> Any:
        written = self.save(ws, self.new)
        if self.old is None:
            self.old = written.value
        return written

    def _undo(self, ws: Workspace) -> Any:
        if self.old is None:
            return NOTHING
        return self.save(ws, self.old)
