"""History you can see: a person's History tab, a record dialog's "History…", and the
workspace activity window with its filters and CSV export."""

from __future__ import annotations

import csv
from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt

from cmio_desktop.services import audit
from cmio_desktop.services.governance import records as governance
from cmio_desktop.services.stakeholders import edits
from cmio_desktop.ui.common.form_dialog import FormDialog
from cmio_desktop.ui.common.history_panel import HistoryPanel, action_text, change_text
from cmio_desktop.ui.history.activity_window import ActivityWindow
from cmio_desktop.ui.stakeholders import StakeholdersPage


def shown(model, column: str) -> list[str]:
    col = model.column_of(column)
    return [model.data(model.index(r, col)) for r in range(model.rowCount())]


def wait_loaded(qtbot, view, act=None) -> None:
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        if act is not None:
            act()


def open_window(qtbot, facade) -> ActivityWindow:
    """The window, shown, its list and its filter choices loaded (no task outlives a test)."""
    window = ActivityWindow(facade)
    # no background load outlives the test
    qtbot.addWidget(window, before_close_func=lambda w: w.runner.wait())
    with qtbot.waitSignals([window.loaded, window.choices_loaded], timeout=10_000):
        window.show()
    return window


# -- the person page ------------------------------------------------------------------------------


def test_person_history_tab_shows_two_edits_and_the_undo(qtbot, facade, settings) -> None:
    page = StakeholdersPage(facade, settings)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    ident = page.model.id_at(4)
    page.select_ids([ident])
    qtbot.waitUntil(lambda: page.editor.record is not None and page.editor.record.id == ident)
    panel = page.person_tabs.history
    wait_loaded(qtbot, panel, lambda: page.tabs.setCurrentWidget(panel))
    assert panel.model.rowCount() == 0
    assert panel.summary.text() == "No changes recorded yet."

    page.tabs.setCurrentWidget(page.editor)
    first = edits.get_stakeholder(facade.ws, ident).power
    second, third = (first % 5) + 1, ((first + 1) % 5) + 1
    for value in (second, third):
        page.editor.widgets["power"].setValue(value)
        qtbot.mouseClick(page.editor.apply_button, Qt.MouseButton.LeftButton)
    facade.undo_stack.undo()  # power back to `second`, while the tab is hidden
    assert edits.get_stakeholder(facade.ws, ident).power == second

    wait_loaded(qtbot, panel, lambda: page.tabs.setCurrentWidget(panel))
    rows = panel.model.visible_records
    assert [r.field for r in rows] == ["power"] * 3
    assert [change_text(r) for r in rows] == [
        f"{third} → {second}",
        f"{second} → {third}",
        f"{first} → {second}",
    ]
    assert shown(panel.model, "what") == [
        f"↶ power: {third} → {second}",
        f"power: {second} → {third}",
        f"power: {first} → {second}",
    ]
    assert [action_text(r) for r in rows] == ["↶ Undo · Changed", "Changed", "Changed"]
    what = panel.model.column_of("what")
    tip = panel.model.data(panel.model.index(0, what), Qt.ItemDataRole.ToolTipRole)
    assert "Undo" in tip and "reverses an earlier change" in tip
    assert "Undo" not in panel.model.data(panel.model.index(1, what), Qt.ItemDataRole.ToolTipRole)
    colour = panel.model.data(panel.model.index(0, what), Qt.ItemDataRole.ForegroundRole)
    assert colour is not None
    assert panel.model.data(panel.model.index(1, what), Qt.ItemDataRole.ForegroundRole) is None
    assert panel.summary.text() == "3 changes, newest first · 1 by undo or redo (↶ ↷)"

    # a write while the tab is shown refreshes it at once
    wait_loaded(qtbot, panel, lambda: facade.undo_stack.redo())
    assert change_text(panel.model.visible_records[0]) == f"{second} → {third}"
    assert action_text(panel.model.visible_records[0]) == "↷ Redo · Changed"


def test_a_deleted_persons_history_still_shows(qtbot, facade) -> None:
    ws = facade.ws
    name = edits.get_stakeholder(ws, 9).name
    edits.update_stakeholder(ws, 9, department="Radiology")
    edits.delete_stakeholders(ws, [9])

    panel = HistoryPanel(facade)
    qtbot.addWidget(panel, before_close_func=lambda w: w.runner.wait())
    panel.show()
    wait_loaded(qtbot, panel, lambda: panel.set_person(9))
    own = [r for r in panel.model.visible_records if r.entity == "stakeholder"]
    assert [action_text(r) for r in own] == ["Deleted", "Changed"]
    assert {r.record for r in own} == {f"Person: {name} (deleted)"}
    assert change_text(own[1]).endswith("→ Radiology")
    assert any(r.record.startswith("Tie: ") for r in panel.model.visible_records)  # cascaded

    window = open_window(qtbot, facade)
    assert f"{name} (deleted)" in window.filters.person.labels()
    window.filters.person.setText(f"{name} (deleted)")
    wait_loaded(qtbot, window, window.filters.flush)
    assert window.model.visible_records == panel.model.visible_records


# -- a record dialog --------------------------------------------------------------------------


def test_edit_risk_dialog_has_a_history_button(qtbot, facade, monkeypatch) -> None:
    from cmio_desktop.ui.governance import GovernancePage

    facade.initiative_id = 1
    page = GovernancePage(facade, clock=lambda: date(2026, 11, 2))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.show()
    risk = governance.list_risks(facade.ws, 1)[0]
    governance.update_risk(facade.ws, risk.id, {"likelihood": 1 if risk.likelihood != 1 else 2})
    seen: list[list[str]] = []

    def look(dialog: FormDialog) -> int:
        button = next(b for b in dialog.buttons.buttons() if b.text() == "History…")
        button.click()
        history = dialog.history_dialog
        qtbot.waitUntil(lambda: history.panel.model.rowCount() > 0, timeout=10_000)
        assert history.windowTitle() == "Risk history"
        seen.append(shown(history.panel.model, "field"))
        history.close()
        return 0

    monkeypatch.setattr(FormDialog, "exec", look)
    page.edits.edit_risk(risk)
    assert seen == [["likelihood"]]


def test_edit_activity_dialog_has_a_history_button(qtbot, facade, monkeypatch) -> None:
    from cmio_desktop.services.plan import activities
    from cmio_desktop.ui.plan import PlanPage

    facade.initiative_id = 1
    page = PlanPage(facade, clock=lambda: date(2026, 11, 2))
    qtbot.addWidget(page)
    page.show()
    row = activities.list_activities(facade.ws, 1, date(2026, 11, 2))[0]
    activities.update_activity(facade.ws, row.id, {"owner": "Someone new"})
    seen: list[list[str]] = []

    def look(dialog: FormDialog) -> int:
        button = next(b for b in dialog.buttons.buttons() if b.text() == "History…")
        button.click()
        history = dialog.history_dialog
        qtbot.waitUntil(lambda: history.panel.model.rowCount() > 0, timeout=10_000)
        seen.append(shown(history.panel.model, "field"))
        history.close()
        return 0

    monkeypatch.setattr(FormDialog, "exec", look)
    page.edits.edit_activity(row, [])
    assert seen and seen[0][0] == "owner"


# -- the workspace activity window ----------------------------------------------------------------


@pytest.fixture
def recorded(facade, monkeypatch):
    """Changes by two users on three days (as if recorded then): person 5 by asmith on
    1 Oct, person 6 and a risk by bjones on 15 Oct, person 6 by asmith on 1 Nov."""
    ws = facade.ws
    risk = governance.list_risks(ws, 1)[0]

    def as_of(user: str, day: date) -> None:
        monkeypatch.setattr(audit, "current_user", lambda: user)
        monkeypatch.setattr(audit, "utcnow", lambda: datetime(day.year, day.month, day.day, 12))

    as_of("asmith", date(2026, 10, 1))
    edits.update_stakeholder(ws, 5, department="ICU")
    as_of("bjones", date(2026, 10, 15))
    edits.update_stakeholder(ws, 6, attitude="resistant")
    governance.update_risk(ws, risk.id, {"mitigation": "Weekly huddle with surgeons"})
    as_of("asmith", date(2026, 11, 1))
    edits.update_stakeholder(ws, 6, interest=5 if edits.get_stakeholder(ws, 6).interest != 5 else 4)
    monkeypatch.undo()
    return risk


def test_activity_filters_narrow_to_the_right_rows(qtbot, facade, recorded) -> None:
    window = open_window(qtbot, facade)
    assert window.filters.user.count() == 4  # Anyone, asmith, bjones, you
    assert window.model.rowCount() == 5  # the four changes and the workspace's creation
    assert window.count.text() == "5 changes"
    f = window.filters

    def apply(act) -> list[tuple[str, str]]:
        act()
        wait_loaded(qtbot, window, f.flush)
        return [(r.user, r.field) for r in window.model.visible_records]

    assert apply(lambda: f.user.setCurrentIndex(f.user.findData("asmith"))) == [
        ("asmith", "interest"),
        ("asmith", "department"),
    ]
    assert window.count.text() == "2 changes"
    f.user.setCurrentIndex(0)

    def days(since: date, until: date) -> None:
        f.since.set_value(since)
        f.until.set_value(until)

    assert apply(lambda: days(date(2026, 10, 10), date(2026, 10, 20))) == [
        ("bjones", "mitigation"),
        ("bjones", "attitude"),
    ]
    assert apply(lambda: days(date(2026, 10, 15), date(2026, 10, 15))) == [
        ("bjones", "mitigation"),
        ("bjones", "attitude"),
    ]
    assert apply(lambda: days(date(2026, 10, 1), date(2026, 11, 1)))[-1] == ("asmith", "department")
    assert len(window.model.visible_records) == 4

    assert apply(lambda: f.entity.setCurrentIndex(f.entity.findData("risk"))) == [
        ("bjones", "mitigation")
    ]
    assert window.model.visible_records[0].record.startswith("Risk: ")
    f.entity.setCurrentIndex(f.entity.findData("stakeholder"))
    person6 = edits.get_stakeholder(facade.ws, 6).name
    assert apply(lambda: f.person.setText(person6)) == [
        ("asmith", "interest"),
        ("bjones", "attitude"),
    ]

    f.search.setText("resist")
    f.flush()
    assert [(r.user, r.field) for r in window.model.visible_records] == [("bjones", "attitude")]
    assert window.count.text() == "1 of 2 changes match the search"


def test_activity_bad_dates_say_so_and_change_nothing(qtbot, facade, recorded) -> None:
    window = open_window(qtbot, facade)
    before = window.model.visible_records
    window.filters.since.set_value(date(2026, 11, 1))
    window.filters.until.set_value(date(2026, 10, 1))
    window.filters.flush()
    assert window.error.isVisibleTo(window)
    assert window.error.text() == "“From” is after “To”: no day is in between."
    assert window.model.visible_records == before
    window.filters.person.setText("Nobody By This Name")
    window.filters.person.editingFinished.emit()  # the user leaves the box
    window.filters.flush()
    assert "pick a name from the list" in window.error.text()


def test_activity_exports_the_filtered_list_as_csv(qtbot, facade, recorded, tmp_path, monkeypatch):
    import cmio_desktop.ui.file_dialogs as file_dialogs

    window = open_window(qtbot, facade)
    f = window.filters
    f.user.setCurrentIndex(f.user.findData("bjones"))
    wait_loaded(qtbot, window, f.flush)
    target = tmp_path / "activity.csv"
    monkeypatch.setattr(file_dialogs, "ask_save_path", lambda *_a, **_k: target)
    saved: list[str] = []
    window.exported.connect(saved.append)
    window.export_button.click()
    # until the export task is gone too, so nothing of it outlives the test
    qtbot.waitUntil(lambda: bool(saved) and window.runner.active == 0, timeout=10_000)
    assert saved == [str(target)] and "2 saved to activity.csv" in window.count.text()
    with open(target, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:5] == ["When", "Who", "Record", "Action", "Field"]
    assert [(r[1], r[4], r[6]) for r in rows[1:]] == [
        ("bjones", "mitigation", "Weekly huddle with surgeons"),
        ("bjones", "attitude", "resistant"),
    ]
    assert rows[1][0].startswith("2026-10-15")


def test_activity_window_follows_writes(qtbot, facade, recorded) -> None:
    from cmio_desktop.services.changes import changes_of

    window = open_window(qtbot, facade)
    count = window.model.rowCount()
    written = edits.update_stakeholder(facade.ws, 7, department="Pharmacy")
    wait_loaded(qtbot, window, lambda: facade.announce(changes_of(written)))
    assert window.model.rowCount() == count + 1
    assert window.model.visible_records[0].new == "Pharmacy"


def test_history_model_sorts_searches_and_keeps_the_selection(qtbot, facade, recorded) -> None:
    from PySide6.QtCore import QItemSelectionModel

    from cmio_desktop.services.history import HistoryFilter, history
    from cmio_desktop.ui.common.history_panel import HistoryTableModel, history_table

    model = HistoryTableModel()
    view = history_table(model)
    qtbot.addWidget(view)
    rows = history(facade.ws, HistoryFilter())
    model.load(rows)
    assert [r.id for r in model.visible_records] == [r.id for r in rows]  # newest first
    chosen = model.visible_records[1]
    view.selectionModel().setCurrentIndex(
        model.index(1, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    who = model.column_of("who")
    view.sortByColumn(who, Qt.SortOrder.AscendingOrder)
    names = shown(model, "who")
    assert names == sorted(names, key=str.casefold)
    assert model.record_at(view.currentIndex()) == chosen  # the selection followed
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert [r.id for r in model.visible_records] == sorted(r.id for r in rows)
    view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    model.set_search("asmith interest")
    assert [(r.user, r.field) for r in model.visible_records] == [("asmith", "interest")]


def test_view_menu_opens_one_activity_window(qtbot, facade, settings) -> None:
    from cmio_desktop.ui.main_window import MainWindow

    window = MainWindow(facade, settings)
    qtbot.addWidget(window)
    action = next(a for a in window.view_menu.actions() if a.text() == "Workspace &activity…")
    action.trigger()
    activity = window.activity_window
    qtbot.addWidget(activity, before_close_func=lambda w: w.runner.wait())
    qtbot.waitUntil(lambda: activity.isVisible() and activity.model.rowCount() > 0)
    action.trigger()
    assert window.activity_window is activity  # raised again, not a second one
    activity.runner.wait()
