"""Editing a log entry as the dialog does: fields and commitments in one transaction, the
returned edit undoes it, and bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cmio_desktop.services.changes import ChangeKind
from cmio_desktop.services.engagement import log
from cmio_desktop.services.engagement.entry_edits import EntryEdit, edit_entry
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.services.history import HistoryFilter, history
from tests.conftest import SAMPLE_TODAY as TODAY


def _entry(ws) -> int:
    return log.add_entry(
        ws, 9, {"occurred_on": TODAY - timedelta(days=4), "summary": "First talk", "sentiment": -1},
        [("Send the draft", TODAY + timedelta(days=1)), ("Book a demo", None)], today=TODAY,
    ).value  # fmt: skip


def _state(ws, entry: int):
    (row,) = [e for e in log.person_log(ws, 9) if e.id == entry]
    return row.summary, row.sentiment, [(c.text, c.due, c.done) for c in row.commitments]


def test_fields_and_commitments_change_together_and_undo(sample_ws) -> None:
    entry = _entry(sample_ws)
    before = _state(sample_ws, entry)
    promised = (("Send the draft", TODAY + timedelta(days=1), True), ("Call pharmacy", None, False))
    written = edit_entry(sample_ws, entry, EntryEdit({"summary": "Second look", "sentiment": 1},
                                                     promised))  # fmt: skip
    assert written.changes.kinds == {ChangeKind.ENGAGEMENT} and entry in written.changes.ids
    assert _state(sample_ws, entry) == ("Second look", 1, list(promised))
    undo = written.value
    assert undo.values == {"summary": "First talk", "sentiment": -1}
    edit_entry(sample_ws, entry, undo)
    assert _state(sample_ws, entry) == before
    changed = history(sample_ws, HistoryFilter(entity="engagement_commitment"))
    assert any(r.what == "Deleted" for r in changed)  # the replaced commitments are audited


def test_unchanged_commitments_are_left_alone(sample_ws) -> None:
    entry = _entry(sample_ws)
    ids = [c.id for e in log.person_log(sample_ws, 9) if e.id == entry for c in e.commitments]
    same = tuple((t, d, x) for t, d, x in _state(sample_ws, entry)[2])
    written = edit_entry(sample_ws, entry, EntryEdit({"summary": "Same promises"}, same))
    after = [c.id for e in log.person_log(sample_ws, 9) if e.id == entry for c in e.commitments]
    assert after == ids and written.value.commitments == same


@pytest.mark.parametrize(
    ("edit", "sentence"),
    [
        (EntryEdit({"occurred_on": TODAY + timedelta(days=400)}, ()), "out of range"),
        (EntryEdit({"sentiment": 5}, ()), "out of range"),
        (EntryEdit({}, (("x" * 401, None, False),)), "longer than 400"),
    ],
)
def test_bad_input_changes_nothing(sample_ws, edit, sentence) -> None:
    entry = _entry(sample_ws)
    before = _state(sample_ws, entry)
    with pytest.raises(ServiceError, match=sentence):
        edit_entry(sample_ws, entry, edit)
    assert _state(sample_ws, entry) == before


def test_a_deleted_entry_is_reported(sample_ws) -> None:
    entry = _entry(sample_ws)
    log.delete_entries(sample_ws, [entry])
    with pytest.raises(NotFoundError, match="no longer exists"):
        edit_entry(sample_ws, entry, EntryEdit({"summary": "late"}))
