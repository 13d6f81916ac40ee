"""The Stakeholders page driven like a user: search, sort, edit, bulk edit, delete, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import func, or_, select

from cmio_desktop import models as m
from cmio_desktop.enums import Attitude
from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.services.stakeholders import edits as service
from cmio_desktop.ui.stakeholders import StakeholdersPage
from cmio_desktop.ui.stakeholders.bulk_edit import BulkEditDialog
from cmio_desktop.ui.stakeholders.register_table import Col

R = m.Relationship.__table__


@pytest.fixture
def page(qtbot, facade, settings):
    page = StakeholdersPage(facade, settings)
    qtbot.addWidget(page)
    page.resize(1360, 860)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    return page


@pytest.fixture
def answer_yes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: shown.append(text))
    return shown


def select_people(qtbot, page: StakeholdersPage, ids: list[int]) -> None:
    page.select_ids(ids)
    qtbot.waitUntil(lambda: page.selected_ids() == ids and not page._selection_timer.isActive())


def tie_rows(ws, ident: int) -> set[tuple]:
    with ws.session() as s:
        stmt = select(R).where(or_(R.c.source_id == ident, R.c.target_id == ident))
        return {tuple(r) for r in s.execute(stmt)}


def editable(record) -> dict:
    """The values a user edits (the row version, like updated_at, moves on with an undo)."""
    return {k: v for k, v in record.__dict__.items() if k not in ("updated_at", "version")}


def test_page_shows_the_register(page) -> None:
    assert page.model.rowCount() == 120
    assert page.count_label.text() == "120 of 120 shown"
    assert page.view.verticalHeader().sectionResizeMode(0).name == "Fixed"


def test_typing_in_search_filters_and_updates_the_count(qtbot, page) -> None:
    hay = page.model.table.derived.haystack
    expected = sum("pharm" in h for h in hay)
    qtbot.keyClicks(page.filter_bar.search, "pharm")
    qtbot.waitUntil(lambda: page.count_label.text() == f"{expected} of 120 shown")
    assert page.model.rowCount() == expected
    page.filter_bar.set_filter("site", page.choices.sites[0])
    assert page.model.rowCount() <= expected
    page.filter_bar.clear()
    qtbot.waitUntil(lambda: page.count_label.text() == "120 of 120 shown")


def test_clicking_a_header_sorts(qtbot, page) -> None:
    header = page.view.horizontalHeader()
    x = header.sectionViewportPosition(int(Col.POWER)) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 8))
    keys = [
        page.model.data(page.model.index(r, int(Col.POWER)), page.model.SortRole)
        for r in range(page.model.rowCount())
    ]
    assert keys in (sorted(keys), sorted(keys, reverse=True)) and len(set(keys)) > 1


def test_detail_editor_edit_is_undoable_and_named(qtbot, page, facade) -> None:
    ident = page.model.id_at(4)
    select_people(qtbot, page, [ident])
    qtbot.waitUntil(lambda: page.editor.record is not None and page.editor.record.id == ident)
    before = service.get_stakeholder(facade.ws, ident)
    new_power = 5 if before.power != 5 else 1
    page.editor.widgets["power"].setValue(new_power)
    assert page.editor.apply_button.isEnabled()
    qtbot.mouseClick(page.editor.apply_button, Qt.MouseButton.LeftButton)
    assert facade.undo_stack.undoText() == f"change power (rated) of {before.name}"
    assert service.get_stakeholder(facade.ws, ident).power == new_power
    assert page.model.data(page.model.index(4, int(Col.POWER))) == str(new_power)
    facade.undo_stack.undo()
    assert editable(service.get_stakeholder(facade.ws, ident)) == editable(before)
    assert page.editor.widgets["power"].value() == before.power
    facade.undo_stack.redo()
    assert service.get_stakeholder(facade.ws, ident).power == new_power


def test_invalid_email_is_shown_inline_and_not_saved(qtbot, page, facade) -> None:
    ident = page.model.id_at(0)
    select_people(qtbot, page, [ident])
    qtbot.waitUntil(lambda: page.editor.record is not None)
    page.editor.widgets["email"].setText("not-an-email")
    page.editor._on_edited()
    assert page.editor.apply() is False
    assert "not an email address" in page.editor._errors["email"].text()
    assert page.editor.form.isRowVisible(page.editor._errors["email"])
    assert facade.undo_stack.count() == 0


def test_database_refusal_is_a_dialog_not_a_traceback(qtbot, page, facade, warnings) -> None:
    first, second = page.model.id_at(0), page.model.id_at(1)
    taken = service.get_stakeholder(facade.ws, second).external_id
    select_people(qtbot, page, [first])
    qtbot.waitUntil(lambda: page.editor.record is not None)
    page.editor.widgets["external_id"].setText(taken)
    page.editor.apply()
    assert warnings == ["External id is already in use."]
    assert facade.undo_stack.count() == 0  # the failed command was dropped


def test_bulk_edit_undo_and_redo_restore_exact_values(qtbot, page, facade, monkeypatch) -> None:
    ids = [page.model.id_at(r) for r in range(12)]
    before = {i: service.get_stakeholder(facade.ws, i) for i in ids}

    def fake_exec(dialog: BulkEditDialog) -> int:
        dialog.set_value("attitude", "leading")
        dialog.set_value("power", 5)
        dialog.set_value("department", "Informatics")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BulkEditDialog, "exec", fake_exec)
    select_people(qtbot, page, ids)
    qtbot.mouseClick(page.actions.bulk_button, Qt.MouseButton.LeftButton)
    assert facade.undo_stack.undoText() == "bulk edit 12 people"
    after = [service.get_stakeholder(facade.ws, i) for i in ids]
    assert {(r.attitude, r.power, r.department) for r in after} == {
        (Attitude.LEADING, 5, "Informatics")
    }
    facade.undo_stack.undo()
    assert {i: editable(service.get_stakeholder(facade.ws, i)) for i in ids} == {
        i: editable(r) for i, r in before.items()
    }
    facade.undo_stack.redo()
    assert all(service.get_stakeholder(facade.ws, i).department == "Informatics" for i in ids)


def test_delete_and_undo_restore_person_and_ties(qtbot, page, facade, answer_yes) -> None:
    with facade.ws.session() as s:
        ident = s.scalar(
            select(R.c.source_id).group_by(R.c.source_id).order_by(func.count().desc()).limit(1)
        )
    ties = tie_rows(facade.ws, ident)
    name = page.model.name_of(ident)
    assert len(ties) > 1
    select_people(qtbot, page, [ident])
    qtbot.mouseClick(page.actions.delete_button, Qt.MouseButton.LeftButton)
    assert facade.undo_stack.undoText() == f"delete {name}"
    assert page.model.total_count() == 119 and page.model.row_of_id(ident) is None
    assert tie_rows(facade.ws, ident) == set()
    facade.undo_stack.undo()
    assert tie_rows(facade.ws, ident) == ties
    assert page.model.total_count() == 120 and page.model.row_of_id(ident) is not None
    assert service.get_stakeholder(facade.ws, ident).name == name


def test_deleting_several_names_the_count(qtbot, page, facade, answer_yes) -> None:
    ids = [page.model.id_at(r) for r in (2, 3, 4)]
    select_people(qtbot, page, ids)
    page.actions.delete()
    assert facade.undo_stack.undoText() == "delete 3 people"
    facade.undo_stack.undo()
    assert page.model.total_count() == 120


def test_delete_is_cancelled_by_the_confirmation(qtbot, page, facade, monkeypatch) -> None:
    monkeypatch.setattr(
        QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Cancel
    )
    select_people(qtbot, page, [page.model.id_at(0)])
    page.actions.delete()
    assert facade.undo_stack.count() == 0 and page.model.total_count() == 120


def test_add_and_duplicate_are_undoable(qtbot, page, facade) -> None:
    qtbot.mouseClick(page.actions.add_button, Qt.MouseButton.LeftButton)
    assert facade.undo_stack.undoText() == "add New stakeholder"
    assert page.model.total_count() == 121
    new_id = page.selected_ids()[0]
    assert page.editor.record.id == new_id and page.editor.record.name == "New stakeholder"
    facade.undo_stack.undo()
    assert page.model.total_count() == 120
    facade.undo_stack.redo()  # the same row comes back, same id
    assert page.model.row_of_id(new_id) is not None
    source = page.model.id_at(0)
    select_people(qtbot, page, [source])
    page.actions.duplicate()
    assert facade.undo_stack.undoText() == f"duplicate {page.model.name_of(source)}"
    assert page.model.total_count() == 122


def test_grid_click_selects_in_table(qtbot, page) -> None:
    page.tabs.setCurrentWidget(page.grid)
    page.grid.draw_now()
    assert page.grid.scatter_mode
    ident = page.model.id_at(7)
    from matplotlib.backend_bases import MouseEvent

    x, y = page.grid.point_position(ident)
    page.grid.handle_press(MouseEvent("button_press_event", page.grid.canvas, x, y, button=1))
    qtbot.waitUntil(lambda: page.selected_ids() == [ident])


def test_table_selection_highlights_in_grid(qtbot, page) -> None:
    page.tabs.setCurrentWidget(page.grid)
    ids = [page.model.id_at(r) for r in (1, 2, 9)]
    select_people(qtbot, page, ids)
    qtbot.waitUntil(lambda: page.grid.highlighted == set(ids))
    assert page.grid.highlight_count == 3


def test_grid_follows_filter_and_cells_select_everyone(qtbot, page, monkeypatch) -> None:
    from cmio_desktop.ui.stakeholders import grid_chart

    monkeypatch.setattr(grid_chart, "SCATTER_LIMIT", 10)  # force bubbles on the small sample
    page.tabs.setCurrentWidget(page.grid)
    page.filter_bar.set_filter("department", "Periop")
    qtbot.waitUntil(lambda: page.grid.shown_count == page.model.rowCount())
    page.grid.draw_now()
    shown = page.model.rowCount()
    assert page.grid.shown_count == shown and not page.grid.scatter_mode
    data = page.model.table.data
    power, interest = 2, 4
    expected = sorted(
        data.ids[p]
        for p in page.model.visible_positions
        if (data.power[p], data.interest[p]) == (power, interest)
    )
    page.grid.people_clicked.emit(page.grid.ids_in_cell(power, interest))
    qtbot.waitUntil(lambda: sorted(page.selected_ids()) == expected)


def test_chart_saves_png_and_svg(page, tmp_path) -> None:
    page.tabs.setCurrentWidget(page.grid)
    png = page.grid.save(tmp_path / "grid.png")
    svg = page.grid.save(tmp_path / "grid.svg")
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in svg.read_bytes()[:500]


def test_header_and_splitter_state_are_remembered(qtbot, page, facade, settings) -> None:
    page.view.horizontalHeader().resizeSection(int(Col.TITLE), 333)
    page.splitter.setSizes([900, 300])
    page.save_state()
    again = StakeholdersPage(facade, settings)
    qtbot.addWidget(again)
    assert again.view.horizontalHeader().sectionSize(int(Col.TITLE)) == 333


def test_changes_elsewhere_reload_the_register(qtbot, page, facade) -> None:
    ident = page.model.id_at(0)
    service.update_stakeholder(facade.ws, ident, title="Chief Nursing Informatics Officer")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        facade.announce(ChangeSet.of(ChangeKind.STAKEHOLDER))
    assert (
        page.model.data(page.model.index(page.model.row_of_id(ident), int(Col.TITLE)))
        == "Chief Nursing Informatics Officer"
    )


def test_leaving_a_person_with_unsaved_edits_applies_them(qtbot, page, facade) -> None:
    first, second = page.model.id_at(0), page.model.id_at(1)
    select_people(qtbot, page, [first])
    qtbot.waitUntil(lambda: page.editor.record is not None and page.editor.record.id == first)
    name = page.editor.record.name
    page.editor.widgets["title"].setText("Nurse Informaticist")
    select_people(qtbot, page, [second])
    qtbot.waitUntil(lambda: page.editor.record.id == second)
    assert facade.undo_stack.undoText() == f"change title of {name}"
    assert service.get_stakeholder(facade.ws, first).title == "Nurse Informaticist"


def test_keyboard_moves_through_the_register(qtbot, page) -> None:
    page.view.setFocus()
    page.view.setCurrentIndex(page.model.index(0, 0))
    qtbot.keyClick(page.view, Qt.Key.Key_Down)
    qtbot.waitUntil(
        lambda: page.editor.record is not None and page.editor.record.id == page.model.id_at(1)
    )


def test_grid_hover_names_the_person(qtbot, page) -> None:
    from matplotlib.backend_bases import MouseEvent

    page.tabs.setCurrentWidget(page.grid)
    page.grid.draw_now()
    ident = page.model.id_at(3)
    x, y = page.grid.point_position(ident)
    page.grid.handle_motion(MouseEvent("motion_notify_event", page.grid.canvas, x, y))
    annotation = page.grid._annotation
    assert annotation.get_visible()
    assert annotation.get_text().startswith(page.model.name_of(ident))


def test_grid_with_nobody_shown(qtbot, page) -> None:
    page.tabs.setCurrentWidget(page.grid)
    page.model.set_search("zzzz-nobody")
    qtbot.waitUntil(lambda: page.grid.shown_count == 0)
    page.grid.draw_now()
    assert page.count_label.text() == "0 of 120 shown"
    assert page.grid.shown_count == 0 and page.grid.title_label.text() == "0 people shown"


def test_save_chart_dialog_writes_the_chosen_format(page, tmp_path, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "grid"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), "SVG vector image (*.svg)")
    )
    page.tabs.setCurrentWidget(page.grid)
    page.grid.save_button.click()
    assert b"<svg" in (tmp_path / "grid.svg").read_bytes()[:500]


def test_page_on_an_empty_workspace(qtbot, settings, empty_ws) -> None:
    from cmio_desktop.ui.facade import WorkspaceFacade

    facade = WorkspaceFacade()
    facade.workspace = empty_ws
    page = StakeholdersPage(facade, settings)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    assert page.count_label.text() == "0 of 0 shown"
    assert page.caption.text() == "No initiative yet"
    page.actions.add()
    assert page.model.total_count() == 1
    facade.workspace = None


def test_selection_elsewhere_selects_rows_even_when_filtered_out(qtbot, page, facade) -> None:
    ids = [page.model.id_at(row) for row in (3, 7)]
    page.filter_bar.search.setText("zzz-no-such-person")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    facade.select_people(ids[:1], "network")
    qtbot.waitUntil(lambda: page.selected_ids() == ids[:1])
    assert page.model.rowCount() == 120  # the filters were cleared to show them
    page.filter_bar.search.setText("zzz-no-such-person")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    facade.select_people(ids, "network")
    qtbot.waitUntil(lambda: sorted(page.selected_ids()) == sorted(ids))
    assert page.model.rowCount() == 2  # a group shows just those people, search cleared
    assert page.filter_bar.search.text() == ""


def test_table_selection_is_announced_to_other_views(qtbot, page, facade) -> None:
    seen: list[tuple[list[int], str]] = []
    facade.selection_changed.connect(lambda ids, source: seen.append((ids, source)))
    ident = page.model.id_at(5)
    select_people(qtbot, page, [ident])
    qtbot.waitUntil(lambda: seen and seen[-1] == ([ident], "stakeholders"))
    assert facade.selected_ids == [ident]


def test_person_tabs_follow_the_selected_person(qtbot, page, facade) -> None:
    """Ties, readiness rounds and activities of the one selected person sit beside the details."""
    with facade.ws.session() as s:
        ident = s.execute(select(R.c.source_id).limit(1)).scalar_one()
    select_people(qtbot, page, [ident])
    tabs = page.person_tabs
    assert tabs.ties.person_id == ident
    assert tabs.readiness.person_id == ident
    assert tabs.activities.person_id == ident
    qtbot.waitUntil(lambda: "Select one person" not in tabs.activities.text.text())
    select_people(qtbot, page, [])
    assert tabs.ties.person_id is None


def test_group_selected_elsewhere_narrows_the_register_until_show_everyone(
    qtbot, page, facade
) -> None:
    """A heat-map cell (several people) filters the register to them; one click undoes it."""
    ids = [page.model.id_at(row) for row in (1, 4, 9)]
    facade.select_people(ids, "readiness")
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    assert sorted(page.selected_ids()) == sorted(ids)
    assert not page.banner.isHidden()
    assert "3 people selected in Readiness" in page.only_banner.text()
    assert page.count_label.text() == "3 of 120 shown"
    qtbot.mouseClick(page.show_everyone, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 120
    assert page.banner.isHidden()


def test_needs_classification_filter_then_bulk_edit_classifies(
    qtbot, facade, settings, monkeypatch
) -> None:
    from cmio_desktop.enums import Role, StakeholderGroup
    from cmio_desktop.services import crud

    unclassified = [3, 8, 21]
    for ident in unclassified[:2]:
        crud.update(facade.ws, m.Stakeholder, ident, role=Role.UNCLASSIFIED)
    crud.update(facade.ws, m.Stakeholder, 21, group=StakeholderGroup.UNCLASSIFIED)
    page = StakeholdersPage(facade, settings)
    qtbot.addWidget(page)
    page.resize(1360, 860)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    combo = page.filter_bar.combos["classification"]
    combo.setCurrentIndex(combo.findText("Needs classification"))
    shown = [page.model.id_at(r) for r in range(page.model.rowCount())]
    assert sorted(shown) == unclassified

    def fake_exec(dialog: BulkEditDialog) -> int:
        dialog.set_value("role", "nurse")
        dialog.set_value("group", "frontline_clinician")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BulkEditDialog, "exec", fake_exec)
    select_people(qtbot, page, shown)
    qtbot.mouseClick(page.actions.bulk_button, Qt.MouseButton.LeftButton)
    assert facade.undo_stack.undoText() == "bulk edit 3 people"
    assert {
        (p.role, p.group) for p in (service.get_stakeholder(facade.ws, i) for i in unclassified)
    } == {(Role.NURSE, StakeholderGroup.FRONTLINE_CLINICIAN)}
    page.show_needing_classification()  # filters afresh (edited rows keep their place)
    assert page.filter_bar.value("classification") == "needs"
    assert page.model.rowCount() == 0  # nobody needs classification now
    page.grab().save("/tmp/h12a-register-filter.png")


def test_filters_wrap_on_a_narrow_window_with_every_label_whole(qtbot, page) -> None:
    """At 1,024 px the filters take a second line rather than eliding "All departments"."""
    bar = page.filter_bar
    page.resize(950, 640)
    page.show()
    qtbot.waitUntil(lambda: bar.combos["network"].isVisible())
    rows = {combo.geometry().top() for combo in bar.combos.values()}
    assert len(rows) == 2
    for combo in bar.combos.values():
        text = combo.currentText()
        assert combo.width() >= combo.fontMetrics().horizontalAdvance(text) + 30, text
    page.resize(1900, 900)
    qtbot.waitUntil(lambda: len({c.geometry().top() for c in bar.combos.values()}) == 1)
