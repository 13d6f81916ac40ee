"""Two programs on one workspace, end to end with a real second process (issue #18, item 3):
a write that finds the workspace busy past the timeout is a sentence with Retry, and Retry
saves it; the app and another program writing at the same time both get every write in,
never "database is locked"; the open app notices the other program's commits and shows them.
(tests/ui/test_other_programs.py has the refusals of edits and undos over outside changes.)"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from cmio_desktop.services.stakeholders import edits as service
from cmio_desktop.store import engine as store_engine
from cmio_desktop.store.errors import BUSY_MESSAGE
from cmio_desktop.ui.busy_retry import TITLE
from cmio_desktop.ui.stakeholders import StakeholdersPage
from cmio_desktop.ui.stakeholders.register_table import Col
from tests.other_program import child_env, write_lock_held

# A second program editing the same people through the app's services until told to stop:
# what a colleague's copy of the app (or a script) does while this one is open.
SECOND_PROGRAM = """
import sys
from pathlib import Path
from cmio_desktop.services.stakeholders import edits
from cmio_desktop.store import open_workspace

path, person, stop = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
ws = open_workspace(path)
written = 0
print("started", flush=True)
while not stop.exists() or written < 20:
    written += 1
    edits.update_stakeholder(ws, person, title=f"Theirs {written}")
ws.close()
print(written, flush=True)
"""


@pytest.fixture
def page(qtbot, facade, settings):
    page = StakeholdersPage(facade, settings)
    qtbot.addWidget(page)
    page.resize(1360, 860)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    return page


def open_editor_on(qtbot, page, row: int) -> int:
    ident = page.model.id_at(row)
    page.select_ids([ident])
    qtbot.waitUntil(lambda: page.editor.record is not None and page.editor.record.id == ident)
    return ident


def apply_power(qtbot, page, value: int) -> None:
    page.editor.widgets["power"].setValue(value)
    qtbot.mouseClick(page.editor.apply_button, Qt.MouseButton.LeftButton)


def test_a_busy_workspace_offers_retry_and_retry_saves_the_edit(
    qtbot, page, facade, monkeypatch
) -> None:
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 300)  # keep the test short
    facade.ws.engine.dispose()  # new connections take the shorter timeout
    ident = open_editor_on(qtbot, page, 4)
    before = page.editor.record.power
    wanted = 5 if before != 5 else 1
    asked: list[tuple[str, str, object]] = []
    with write_lock_held(facade.ws.path, 2) as holder:

        def answer(_parent, title, text, buttons, _default):  # type: ignore[no-untyped-def]
            asked.append((title, text, buttons))
            holder.wait(timeout=30)  # the user waits a moment: the other program finishes
            return QMessageBox.StandardButton.Retry

        monkeypatch.setattr(QMessageBox, "warning", answer)
        apply_power(qtbot, page, wanted)
    assert asked == [
        (
            TITLE,
            BUSY_MESSAGE,
            QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel,
        )
    ]
    assert service.get_stakeholder(facade.ws, ident).power == wanted
    assert facade.undo_stack.count() == 1  # one edit, one entry in Edit → Undo
    facade.undo_stack.undo()
    assert service.get_stakeholder(facade.ws, ident).power == before


def test_cancel_on_a_busy_workspace_changes_nothing_and_says_it_once(
    qtbot, page, facade, monkeypatch
) -> None:
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 300)
    facade.ws.engine.dispose()
    ident = open_editor_on(qtbot, page, 6)
    before = page.editor.record.power
    shown: list[str] = []

    def answer(_parent, _title, text, *_args):  # type: ignore[no-untyped-def]
        shown.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "warning", answer)
    with write_lock_held(facade.ws.path, 3):
        apply_power(qtbot, page, 5 if before != 5 else 1)
    assert shown == [BUSY_MESSAGE]  # the question was the only message
    assert service.get_stakeholder(facade.ws, ident).power == before
    assert facade.undo_stack.count() == 0


def test_the_app_and_another_program_writing_at_once_both_get_every_write_in(
    qtbot, page, facade, monkeypatch, tmp_path: Path
) -> None:
    shown: list[str] = []
    for kind in ("warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda _p, _t, text, *_a: shown.append(text))
    facade.watch(facade.ws)
    theirs = page.model.id_at(1)
    ours = open_editor_on(qtbot, page, 2)
    start = page.editor.record.power
    values = [(start + k) % 5 + 1 for k in range(30)]  # each differs from the one before
    stop = tmp_path / "stop"
    other = subprocess.Popen(
        [sys.executable, "-c", SECOND_PROGRAM, str(facade.ws.path), str(theirs), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "started"
        for value in values:  # our edits, while the other program keeps writing
            apply_power(qtbot, page, value)
            qtbot.waitUntil(lambda v=value: page.editor.record.power == v)
    finally:
        stop.touch()
        out, err = other.communicate(timeout=120)
    assert other.returncode == 0, err
    assert "database is locked" not in err and shown == []
    written = int(out.split()[-1])
    assert written >= 20
    assert service.get_stakeholder(facade.ws, ours).power == values[-1]
    assert facade.undo_stack.count() == len(values)
    with closing(sqlite3.connect(facade.ws.path)) as conn:
        ((count,),) = conn.execute(
            "SELECT count(*) FROM audit_event WHERE entity_id = ? AND field = 'title'", (theirs,)
        ).fetchall()
    assert count == written  # every write of the other program is in the audit trail

    # The open app notices the other program's commits and shows its last value.
    def shown_title() -> object:
        row = page.model.row_of_id(theirs)
        return None if row is None else page.model.index(row, Col.TITLE).data()

    qtbot.waitUntil(lambda: shown_title() == f"Theirs {written}", timeout=5_000)
