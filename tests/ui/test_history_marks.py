"""What an undo or a redo changes is marked in the history; the edit itself is not."""

from __future__ import annotations

from cmio_desktop.services.changes import Written
from cmio_desktop.services.history import HistoryFilter, history
from cmio_desktop.services.stakeholders import edits
from cmio_desktop.ui.common.undo import UpdateCommand, push


def _set_interest(ws, values):
    before = edits.get_stakeholder(ws, 7).interest
    record = edits.update_stakeholder(ws, 7, **values)
    return Written({"interest": before}, record.changes)


def test_undo_and_redo_rows_are_marked(qtbot, facade) -> None:
    old = edits.get_stakeholder(facade.ws, 7).interest
    new = 1 if old != 1 else 2
    assert push(facade, UpdateCommand(facade, "Change interest", _set_interest, {"interest": new}))
    facade.undo_stack.undo()
    facade.undo_stack.redo()
    rows = history(facade.ws, HistoryFilter(entity="stakeholder", entity_id=7, limit=3))
    assert [r.what for r in rows] == [
        f"Redo: Changed interest: {old} → {new}",
        f"Undo: Changed interest: {new} → {old}",
        f"Changed interest: {old} → {new}",
    ]
    assert [r.is_undo for r in rows] == [True, True, False]
