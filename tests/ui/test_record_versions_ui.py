"""A record changed by another program since its list was shown: deleting it is refused with a
sentence, the list reloads with their change, and a second delete (on the version now shown)
goes through (issue 13, "no lost update"). The other program is a real child process."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox

from cmio_desktop.ui.governance import GovernancePage
from cmio_desktop.ui.plan import PlanPage
from tests.ui.test_other_programs import elsewhere

TODAY = date(2026, 11, 2)
REFUSED = "was changed by someone else since it was shown to you; nothing was deleted."


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: shown.append(text))
    return shown


def shown_page(qtbot, page):
    qtbot.addWidget(page)
    page.resize(1360, 860)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.show()
    return page


def count(ws, table: str, ident: int) -> int:
    with closing(sqlite3.connect(ws.path)) as conn:
        return conn.execute(f"SELECT count(*) FROM {table} WHERE id = ?", (ident,)).fetchone()[0]


def record(model, ident: int):
    return next((r for r in model.records if r.id == ident), None)


def test_deleting_a_risk_changed_elsewhere_is_refused_and_the_register_reloads(
    qtbot, facade, warnings
) -> None:
    facade.initiative_id = 1
    page = shown_page(qtbot, GovernancePage(facade, clock=lambda: TODAY))
    row = page.risks.model.records[0]
    elsewhere(facade.ws, "UPDATE risk SET mitigation = 'Paper backup' WHERE id = ?", row.id)
    page.edits.delete_risks([row])
    assert warnings == [f"{row.description} {REFUSED}"]
    assert facade.undo_stack.count() == 0
    assert count(facade.ws, "risk", row.id) == 1
    # The refusal reloaded the register: their change and the row's new version are shown.
    qtbot.waitUntil(lambda: record(page.risks.model, row.id).version == row.version + 1)
    fresh = record(page.risks.model, row.id)
    assert fresh.mitigation == "Paper backup"
    page.edits.delete_risks([fresh])  # on the version now shown, the delete goes through
    assert len(warnings) == 1
    assert count(facade.ws, "risk", row.id) == 0
    assert record(page.risks.model, row.id) is None
    facade.undo_stack.undo()  # and undo brings it back, their mitigation included
    assert record(page.risks.model, row.id).mitigation == "Paper backup"


def test_deleting_an_activity_changed_elsewhere_is_refused_and_the_plan_reloads(
    qtbot, facade, warnings
) -> None:
    facade.initiative_id = 1
    page = shown_page(qtbot, PlanPage(facade, clock=lambda: TODAY))
    rows = page.activities.model.records[:2]
    moved = rows[1]
    elsewhere(facade.ws, "UPDATE activity SET owner = 'Sam Lee' WHERE id = ?", moved.id)
    page.edits.delete_activities(rows)  # one of the two moved: neither is deleted
    assert warnings == [f"{moved.title} {REFUSED}"]
    assert facade.undo_stack.count() == 0
    assert [count(facade.ws, "activity", r.id) for r in rows] == [1, 1]
    qtbot.waitUntil(lambda: record(page.activities.model, moved.id).owner == "Sam Lee")
    fresh = [record(page.activities.model, r.id) for r in rows]
    assert [r.version for r in fresh] == [rows[0].version, moved.version + 1]
    page.edits.delete_activities(fresh)
    assert len(warnings) == 1
    assert [count(facade.ws, "activity", r.id) for r in rows] == [0, 0]
    assert facade.undo_stack.count() == 1


def test_removing_a_tie_changed_elsewhere_is_refused_and_the_ties_panel_reloads(
    qtbot, facade, warnings, monkeypatch
) -> None:
    from cmio_desktop.ui.network import TiesPanel

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel = TiesPanel(facade)
    qtbot.addWidget(panel)
    panel.set_person(1)
    panel.influences.table.selectRow(0)
    tie = panel.influences.current()
    elsewhere(facade.ws, "UPDATE relationship SET note = 'Mentor since 2019' WHERE id = ?", tie.id)
    panel.influences.remove_button.click()
    assert len(warnings) == 1 and warnings[0].endswith(REFUSED)
    assert facade.undo_stack.count() == 0 and count(facade.ws, "relationship", tie.id) == 1
    # The refusal reloaded the panel: the tie as it is now, at its new version.
    qtbot.waitUntil(lambda: record(panel.influences.model, tie.id).version == tie.version + 1)
    assert record(panel.influences.model, tie.id).note == "Mentor since 2019"
    row = next(i for i, r in enumerate(panel.influences.model.records) if r.id == tie.id)
    panel.influences.table.selectRow(row)
    panel.influences.remove_button.click()
    assert len(warnings) == 1 and count(facade.ws, "relationship", tie.id) == 0
