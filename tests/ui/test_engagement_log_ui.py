"""The person page's engagement log: contacts logged, edited and deleted through the dialog
(each one undo step), commitments ticked off from the list, the sentiment trend following,
bad input refused in the dialog with a sentence, and the register's Last/Next contact columns.

Set CMIO_WRITE_SCREENSHOTS=1 to (re)write docs/screenshots/engagement-log.png."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from cmio_desktop.services.engagement import log
from cmio_desktop.ui.stakeholders.engagement_log import EngagementLogPanel
from cmio_desktop.ui.stakeholders.log_entry_dialog import LogEntryDialog
from cmio_desktop.ui.stakeholders.register_table import Col
from tests.conftest import SAMPLE_TODAY

TODAY = SAMPLE_TODAY


def _unlogged_person(ws: Any) -> int:
    """Someone the sample's log has never contacted."""
    logged = set(log.contact_dates(ws))
    return next(i for i in range(1, 121) if i not in logged)


def _answer(monkeypatch, fill: Callable[[LogEntryDialog], None]) -> list[LogEntryDialog]:
    """The dialog opens, ``fill`` types into it and presses OK (which checks the values, as a
    click does); exec returns what the dialog ended with."""
    seen: list[LogEntryDialog] = []

    def exec_(dialog: LogEntryDialog) -> int:
        seen.append(dialog)
        fill(dialog)
        dialog.ok_button.click()
        return int(dialog.result())

    monkeypatch.setattr(LogEntryDialog, "exec", exec_)
    return seen


@pytest.fixture
def errors(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    return shown


@pytest.fixture
def panel(qtbot, facade):
    panel = EngagementLogPanel(facade, clock=lambda: TODAY)
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_log_tick_edit_delete_and_undo(qtbot, qtmodeltester, panel, facade, monkeypatch, errors):
    person = _unlogged_person(facade.ws)
    panel.set_person(person, "Dr. Test")
    assert panel.entries.model.rowCount() == 0 and "No contact with Dr. Test" in (
        panel.summary.text()
    )

    def first(d: LogEntryDialog) -> None:
        d.set_value("occurred_on", TODAY - timedelta(days=9))
        d.set_value("type", "meeting")
        d.set_value("our_side", "CMIO")
        d.set_value("summary", "Worried the order sets slow down rounds")
        d.set_value("sentiment", -2)
        d.set_value("next_contact", TODAY + timedelta(days=5))
        d.promises.add_row("Send the order-set draft", TODAY + timedelta(days=2))

    _answer(monkeypatch, first)
    panel.add_entry()
    (entry,) = panel.entries.model.records
    assert (entry.type, entry.sentiment, entry.our_side) == ("meeting", -2, "CMIO")
    assert [(c.text, c.due, c.done) for c in entry.commitments] == [
        ("Send the order-set draft", TODAY + timedelta(days=2), False)
    ]
    assert panel.commitments.rowCount() == 1
    assert panel.chart.points == [(TODAY - timedelta(days=9), -2)]
    date_col = panel.entries.model.column_of("date")
    assert panel.entries.model.index(0, 2).data() == "−2 very negative"
    assert panel.entries.model.index(0, date_col).data() == f"{TODAY - timedelta(days=9):%d %b %Y}"
    assert "open commitment" in panel.summary.text()

    def second(d: LogEntryDialog) -> None:
        d.set_value("occurred_on", TODAY - timedelta(days=1))
        d.set_value("type", "call")
        d.set_value("summary", "Draft received; happier")
        d.set_value("sentiment", 1)

    _answer(monkeypatch, second)
    panel.add_entry()
    newest, older = panel.entries.model.visible_records  # newest first
    assert newest.summary == "Draft received; happier" and older.id == entry.id
    assert newest.our_side == "CMIO"  # offered from the person's earlier entries
    assert panel.chart.points == [
        (TODAY - timedelta(days=9), -2), (TODAY - timedelta(days=1), 1)
    ]  # fmt: skip
    panel.chart.draw_now()
    qtmodeltester.check(panel.entries.model)
    qtmodeltester.check(panel.commitments)

    # Tick the commitment done from the list: stored, shown, and one undo step.
    stack = facade.undo_stack
    before = stack.count()
    index = panel.commitments.index(0, 0)
    # Refused as a direct edit: the tick becomes an undoable write, and the list shows what
    # that write stored once it announces its change.
    panel.commitments.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    qtbot.waitUntil(lambda: stack.count() == before + 1)
    stored = log.person_log(facade.ws, person)
    assert [c.done for e in stored for c in e.commitments] == [True]
    assert panel.commitments.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Checked
    )
    assert "0 open commitments" in panel.summary.text()
    stack.undo()
    assert [c.done for e in log.person_log(facade.ws, person) for c in e.commitments] == [False]
    stack.redo()

    # Edit: new summary and sentiment, the commitment replaced by another.
    def edit(d: LogEntryDialog) -> None:
        assert [t for t, _d, _x in d.promises.commitments()] == ["Send the order-set draft"]
        d.set_value("summary", "Order sets: wants the pharmacy view first")
        d.set_value("sentiment", -1)
        d.promises.remove_row(d.promises.rows[0])
        d.promises.add_row("Book a pharmacy walk-through", TODAY + timedelta(days=10))

    _answer(monkeypatch, edit)
    panel.edit_entry(older)
    edited = next(e for e in panel.entries.model.records if e.id == older.id)
    assert (edited.summary, edited.sentiment) == ("Order sets: wants the pharmacy view first", -1)
    assert [c.text for c in edited.commitments] == ["Book a pharmacy walk-through"]
    assert panel.chart.points[0] == (TODAY - timedelta(days=9), -1)
    stack.undo()  # the edit, fields and commitments together
    restored = next(e for e in log.person_log(facade.ws, person) if e.id == older.id)
    assert restored.sentiment == -2
    assert [(c.text, c.done) for c in restored.commitments] == [("Send the order-set draft", True)]
    stack.redo()

    # Delete, then undo brings the entry back with its commitment and id.
    panel.entries.view.selectRow(panel.entries.model.row_of(older.id))
    panel.entries.delete_button.click()
    assert [e.id for e in panel.entries.model.records] == [newest.id]
    assert panel.commitments.rowCount() == 0
    assert panel.chart.points == [(TODAY - timedelta(days=1), 1)]
    stack.undo()
    back = next(e for e in panel.entries.model.records if e.id == older.id)
    assert [c.text for c in back.commitments] == ["Book a pharmacy walk-through"]
    assert len(panel.chart.points) == 2
    assert errors == []


@pytest.mark.parametrize(
    ("when", "summary", "sentence"),
    [
        (TODAY + timedelta(days=3), "Met at the huddle", "is out of range"),
        (TODAY.replace(year=1999), "Met at the huddle", "is out of range"),
        (TODAY, "", "Write a short summary"),
    ],
)
def test_bad_input_is_refused_in_the_dialog(panel, facade, monkeypatch, when, summary, sentence):
    person = _unlogged_person(facade.ws)
    panel.set_person(person, "Dr. Test")
    before = facade.undo_stack.count()

    def fill(d: LogEntryDialog) -> None:
        d.set_value("occurred_on", when)
        d.set_value("summary", summary)

    seen = _answer(monkeypatch, fill)
    panel.add_entry()
    (dialog,) = seen
    assert dialog.result() == 0 and not dialog.error.isHidden()
    assert sentence in dialog.error.text()
    assert log.person_log(facade.ws, person) == []
    assert facade.undo_stack.count() == before and panel.entries.model.rowCount() == 0


def test_next_contact_before_the_contact_is_refused(panel, facade, monkeypatch) -> None:
    person = _unlogged_person(facade.ws)
    panel.set_person(person, "Dr. Test")

    def fill(d: LogEntryDialog) -> None:
        d.set_value("summary", "Call")
        d.set_value("next_contact", TODAY - timedelta(days=4))

    seen = _answer(monkeypatch, fill)
    panel.add_entry()
    (dialog,) = seen
    assert dialog.result() == 0 and "cannot be before the contact" in dialog.error.text()
    assert log.person_log(facade.ws, person) == []


def test_register_shows_last_and_next_contact(qtbot, facade, settings, monkeypatch) -> None:
    from cmio_desktop.ui.stakeholders.page import StakeholdersPage

    page = StakeholdersPage(facade, settings)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.show()
    model = page.model
    contacts = log.contact_dates(facade.ws)
    person, dates = next((p, c) for p, c in contacts.items() if c.next is not None)
    row = model.row_of_id(person)
    assert model.index(row, int(Col.LAST_CONTACT)).data() == f"{dates.last:%d %b %Y}"
    assert model.index(row, int(Col.NEXT_CONTACT)).data() == f"{dates.next:%d %b %Y}"
    never = _unlogged_person(facade.ws)
    assert model.index(model.row_of_id(never), int(Col.LAST_CONTACT)).data() == ""

    # Sorted by last contact, newest first: the most recently contacted person leads.
    model.sort(int(Col.LAST_CONTACT), Qt.SortOrder.DescendingOrder)
    newest = max(contacts, key=lambda p: (contacts[p].last, -p))
    assert model.index(0, int(Col.LAST_CONTACT)).data() == f"{contacts[newest].last:%d %b %Y}"

    # A contact logged on the person page refreshes the register's columns.
    page.select_ids([never])
    qtbot.waitUntil(lambda: page.person_tabs.log.person_id == never)
    panel = page.person_tabs.log
    page.tabs.setCurrentWidget(panel)

    def fill(d: LogEntryDialog) -> None:
        d.set_value("occurred_on", TODAY)
        d.set_value("summary", "First 1:1")
        d.set_value("next_contact", TODAY + timedelta(days=14))

    _answer(monkeypatch, fill)
    reloads: list[bool] = []
    page.loaded.connect(lambda: reloads.append(True))
    panel.add_entry()  # only the contact columns are read again, not the whole register
    assert reloads == [] and model.index(0, int(Col.LAST_CONTACT)).data() == f"{TODAY:%d %b %Y}"
    row = model.row_of_id(never)
    assert model.index(row, int(Col.LAST_CONTACT)).data() == f"{TODAY:%d %b %Y}"
    assert model.index(row, int(Col.NEXT_CONTACT)).data() == (
        f"{TODAY + timedelta(days=14):%d %b %Y}"
    )
    assert page.selected_ids() == [never]  # the refresh keeps the person selected


def test_log_tab_on_the_sample_renders(qtbot, qapp, tmp_path, sample_ws) -> None:
    """The person page with the Engagement log tab, 1280×800, the sample's most-logged person:
    no chart text cut; the PNG is the README's when CMIO_WRITE_SCREENSHOTS is set."""
    from cmio_desktop.resource_files import resource_path
    from cmio_desktop.ui.facade import WorkspaceFacade
    from cmio_desktop.ui.main_window import MainWindow
    from cmio_desktop.ui.settings import AppSettings
    from tests.ui.layout_checks import clipped_chart_texts
    from tests.ui.test_screenshots import SHOTS, save_screenshot, settle

    previous_style = qapp.styleSheet()
    qapp.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    facade = WorkspaceFacade()
    window = MainWindow(facade, AppSettings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    facade.set_workspace(sample_ws)
    facade.initiative_id = 1
    window.resize(1280, 800)
    window.show()
    try:
        window.show_page("stakeholders")
        settle(qapp)
        page = window.page_by_key["stakeholders"]
        most = max(
            log.contact_dates(sample_ws), key=lambda p: (len(log.person_log(sample_ws, p)), -p)
        )
        page.select_ids([most])
        panel = page.person_tabs.log
        qtbot.waitUntil(lambda: panel.person_id == most, timeout=10_000)
        page.tabs.setCurrentWidget(panel)
        total = sum(page.splitter.sizes())
        page.splitter.setSizes([total - 520, 520])  # as a user widens the person pane
        settle(qapp)
        assert panel.entries.model.rowCount() >= 2 and panel.chart.canvas is not None
        panel.chart.draw_now()
        assert clipped_chart_texts(page) == []
        out = SHOTS if os.environ.get("CMIO_WRITE_SCREENSHOTS") else tmp_path
        out.mkdir(parents=True, exist_ok=True)
        save_screenshot(window.grab().toImage(), out / "engagement-log.png")
    finally:
        settle(qapp)
        window.close()
        facade.workspace = None
        qapp.setStyleSheet(previous_style)
