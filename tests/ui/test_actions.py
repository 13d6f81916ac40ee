"""Pages and actions as data: every command declared once (ui/actions.py), reachable from the
Edit (or View) menu of its page, enabled by the selection, and its shortcut still working."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt, QThreadPool
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from cmio_desktop.ui.action_set import ActionSet
from cmio_desktop.ui.actions import ACTIONS, SPECS, Enabled
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.navigation import SECTION_KEYS, SECTIONS
from cmio_desktop.ui.settings import AppSettings

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
#: Pages whose commands depend on the open tab: the tab widget's attribute on the page.
TABBED = {
    "network": "side",
    "plan": "tabs",
    "risks": "tabs",
    "golive": "tabs",
    "portfolio": "tabs",
    "stakeholders": "tabs",
}


@pytest.fixture
def window(qtbot, tmp_path, sample_ws):
    facade = WorkspaceFacade()
    win = MainWindow(facade, AppSettings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    facade.set_workspace(sample_ws)
    facade.initiative_id = 1
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    QThreadPool.globalInstance().waitForDone(30_000)
    win.close()
    facade.workspace = None


def menu_ids(window: MainWindow) -> tuple[list[str], list[str]]:
    """The declared commands in the Edit and View menus, as a user opening them sees them."""
    window.edit_menu.aboutToShow.emit()
    edit = [a.objectName() for a in window.edit_menu.actions() if a.objectName() in SPECS]
    view = [a.objectName() for a in window.view_menu.actions() if a.objectName() in SPECS]
    return edit, view


def menu_action(window: MainWindow, action_id: str) -> QAction:
    window.edit_menu.aboutToShow.emit()
    return next(a for a in window.edit_menu.actions() if a.objectName() == action_id)


# -- declarations ------------------------------------------------------------------------------
def test_every_action_id_is_unique_and_names_its_section() -> None:
    repeated = [i for i, n in Counter(a.id for a in ACTIONS).items() if n > 1]
    assert repeated == []
    assert len(SPECS) == len(ACTIONS)
    for spec in ACTIONS:
        assert spec.section in SECTION_KEYS, spec.id
        assert len(spec.id.split(".")) == 3, spec.id
        assert spec.menu in ("edit", "view") and spec.text.strip("&"), spec.id


def test_enabled_rules() -> None:
    assert [Enabled.ONE.allows(n) for n in (0, 1, 2)] == [False, True, False]
    assert [Enabled.ANY.allows(n) for n in (0, 1, 2)] == [False, True, True]
    assert Enabled.ALWAYS.allows(0)


def test_an_undeclared_id_is_refused(qtbot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    with pytest.raises(KeyError):
        ActionSet(owner, {"plan.activity.teleport": lambda: None})


def test_every_section_names_a_page_it_can_build() -> None:
    for section in SECTIONS:
        factory = section.page_factory()
        assert isinstance(factory, type) and issubclass(factory, QWidget), section.key


# -- menus ---------------------------------------------------------------------------------------
def test_each_pages_commands_are_in_its_menus(qtbot, window) -> None:
    seen: set[str] = set()
    for section in SECTIONS:
        window.show_page(section.key)
        page = window.page_by_key[section.key]
        tabs = getattr(page, TABBED[section.key]) if section.key in TABBED else None
        for index in range(tabs.count() if tabs is not None else 1):
            if tabs is not None:
                tabs.setCurrentIndex(index)
            edit, view = menu_ids(window)
            assert {i.split(".")[0] for i in edit + view} <= {section.key}, (section.key, edit)
            assert all(SPECS[i].menu == "edit" for i in edit)
            assert all(SPECS[i].menu == "view" for i in view)
            seen |= set(edit + view)
        if section.key == "dashboard":
            assert [a.text() for a in window.edit_menu.actions()] == ["&Undo", "&Redo"]
    assert seen == set(SPECS)  # every declared command is reachable, and only those
    assert window.edit_menu.actions()[:2] == [window.undo_action, window.redo_action]


def test_the_edit_menu_shows_the_same_action_as_the_button(qtbot, window) -> None:
    window.show_page("plan")
    page = window.page_by_key["plan"]
    qtbot.waitUntil(lambda: page.activities.model.rowCount() > 0)
    generate = menu_action(window, "plan.activity.generate")
    assert page.activities.generate_button.text() == "Generate plan…"
    assert generate.toolTip() == page.activities.generate_button.toolTip()
    generate.setEnabled(False)
    assert not page.activities.generate_button.isEnabled()
    generate.setEnabled(True)


# -- enabled state follows the selection -----------------------------------------------------------
def test_stakeholder_commands_follow_the_selection(qtbot, window) -> None:
    window.show_page("stakeholders")
    page = window.page_by_key["stakeholders"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 120, timeout=10_000)
    duplicate = menu_action(window, "stakeholders.person.duplicate")
    delete = menu_action(window, "stakeholders.person.delete")
    bulk = menu_action(window, "stakeholders.person.bulk_edit")
    add = menu_action(window, "stakeholders.person.add")

    def settled(ids: list[int]) -> bool:
        return page.selected_ids() == ids and not page._selection_timer.isActive()

    page.view.clearSelection()
    qtbot.waitUntil(lambda: settled([]))
    assert add.isEnabled() and not (duplicate.isEnabled() or delete.isEnabled())
    assert not bulk.isEnabled() and not page.actions.delete_button.isEnabled()
    ids = page.model.table.data.ids
    page.select_ids([ids[0]])
    qtbot.waitUntil(lambda: settled([ids[0]]))
    assert duplicate.isEnabled() and delete.isEnabled() and bulk.isEnabled()
    assert page.actions.duplicate_button.isEnabled()
    page.select_ids([ids[0], ids[1]])
    qtbot.waitUntil(lambda: len(page.selected_ids()) == 2 and settled(page.selected_ids()))
    assert not duplicate.isEnabled() and delete.isEnabled() and bulk.isEnabled()
    assert not page.actions.duplicate_button.isEnabled()


def test_plan_commands_follow_the_selection(qtbot, window) -> None:
    window.show_page("plan")
    page = window.page_by_key["plan"]
    view = page.activities.view
    qtbot.waitUntil(lambda: page.activities.model.rowCount() > 1, timeout=10_000)
    edit = menu_action(window, "plan.activity.edit")
    done = menu_action(window, "plan.activity.done")
    delete = menu_action(window, "plan.activity.delete")
    view.clearSelection()
    assert not (edit.isEnabled() or done.isEnabled() or delete.isEnabled())
    view.selectRow(0)
    assert edit.isEnabled() and done.isEnabled() and delete.isEnabled()
    assert page.activities.edit_button.isEnabled()
    view.selectAll()
    assert not edit.isEnabled() and done.isEnabled() and delete.isEnabled()
    assert not page.activities.edit_button.isEnabled()

    page.tabs.setCurrentIndex(2)  # Communications: its commands replace the activities'
    qtbot.waitUntil(lambda: page.comms.model.rowCount() > 0, timeout=10_000)
    edit_ids, _ = menu_ids(window)
    assert edit_ids == ["plan.communication.add", "plan.communication.edit",
                        "plan.communication.delete"]  # fmt: skip
    comm_edit = menu_action(window, "plan.communication.edit")
    page.comms.view.clearSelection()
    assert not comm_edit.isEnabled()
    page.comms.view.selectRow(0)
    assert comm_edit.isEnabled()


# -- shortcuts -------------------------------------------------------------------------------------
def select_row(view, row: int) -> None:
    """Select one row whatever modifier keys an earlier key click left pressed."""
    flags = QItemSelectionModel.SelectionFlag
    view.selectionModel().select(
        view.model().index(row, 0), flags.ClearAndSelect | flags.Rows | flags.Current
    )


def focus(qtbot, widget: QWidget) -> None:
    widget.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_register_shortcuts_work_on_their_page_only(qtbot, window, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    stack = window.facade.undo_stack
    window.show_page("stakeholders")
    page = window.page_by_key["stakeholders"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 120, timeout=10_000)
    focus(qtbot, page.view)
    qtbot.keyClick(page.view, Qt.Key.Key_F, CTRL)  # Find: into the search box
    assert QApplication.focusWidget() is page.filter_bar.search
    before = stack.count()
    qtbot.keyClick(page.filter_bar.search, Qt.Key.Key_A, CTRL | SHIFT)  # Add person
    assert stack.count() == before + 1 and stack.undoText().startswith("add")
    qtbot.waitUntil(lambda: page.model.rowCount() == 121)
    ids = page.model.table.data.ids
    page.select_ids([ids[0]])
    qtbot.waitUntil(lambda: page.actions.delete_button.isEnabled())  # the selection settled
    focus(qtbot, page.view)
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert stack.count() == before + 2 and stack.undoText().startswith("delete")

    window.show_page("plan")
    plan = window.page_by_key["plan"]
    focus(qtbot, plan.activities.search)
    qtbot.keyClick(plan.activities.search, Qt.Key.Key_A, CTRL | SHIFT)
    assert stack.count() == before + 2  # the register's Add is not heard on the Plan page


def test_delete_acts_on_the_table_with_the_focus(qtbot, window) -> None:
    stack = window.facade.undo_stack
    window.show_page("plan")
    page = window.page_by_key["plan"]
    tab = page.activities
    qtbot.waitUntil(
        lambda: tab.model.rowCount() > 0 and "activities" not in page.stale, timeout=10_000
    )
    before = stack.count()
    focus(qtbot, tab.search)
    select_row(tab.view, 0)
    qtbot.keyClick(tab.search, Qt.Key.Key_Delete)  # editing the search text, not deleting
    assert stack.count() == before and len(tab.selected()) == 1
    focus(qtbot, tab.view)
    assert tab.delete_button.isEnabled()
    qtbot.keyClick(tab.view, Qt.Key.Key_Delete)
    assert stack.count() == before + 1 and stack.undoText().startswith("delete")
