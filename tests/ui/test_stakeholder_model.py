"""StakeholderTableModel: a valid Qt model that searches, filters and sorts inside itself."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from cmio_desktop.services.stakeholders import edits as service
from cmio_desktop.ui.stakeholders.register_table import Col, RegisterTable
from cmio_desktop.ui.stakeholders.table_model import StakeholderTableModel


@pytest.fixture
def data(workspace):
    return service.register_rows(workspace)


@pytest.fixture
def model(qapp, data):
    model = StakeholderTableModel()
    model.set_register(data)
    return model


def column(model: StakeholderTableModel, col: Col, role=Qt.ItemDataRole.DisplayRole) -> list:
    return [model.data(model.index(r, int(col)), role) for r in range(model.rowCount())]


def test_model_passes_qtmodeltester(qtmodeltester, model) -> None:
    qtmodeltester.check(model)


def test_model_passes_qtmodeltester_with_filters_and_search(qtmodeltester, model) -> None:
    model.set_filter("role", "nurse")
    model.set_search("a")
    assert 0 < model.rowCount() < model.total_count()
    qtmodeltester.check(model)


def test_empty_model_passes_qtmodeltester(qtmodeltester, qapp) -> None:
    qtmodeltester.check(StakeholderTableModel())


def test_search_covers_name_title_department_and_email(model, data) -> None:
    model.set_search("PHARM")
    expected = {
        i
        for i, (n, t, d, e) in enumerate(
            zip(data.name, data.title, data.department, data.email, strict=True)
        )
        if "pharm" in f"{n} {t} {d} {e}".casefold()
    }
    assert model.rowCount() == len(expected) > 0
    assert model.count_text() == f"{len(expected):,} of {len(data):,} shown"
    model.set_search("pharmac")  # narrowing path: a subset of the rows shown
    assert model.rowCount() <= len(expected)
    model.set_search("")
    assert model.rowCount() == len(data)


def test_every_word_of_the_search_must_match(model) -> None:
    model.set_search("nurse periop")
    hay = model.table.derived.haystack
    assert model.rowCount() > 0
    assert all("nurse" in hay[p] and "periop" in hay[p] for p in model.visible_positions)


def test_filters_combine(model, data) -> None:
    model.set_filter("department", "Periop")
    model.set_filter("attitude", "resistant")
    expected = sum(
        1
        for d, a in zip(data.department, data.attitude, strict=True)
        if d == "Periop" and a == "resistant"
    )
    assert model.rowCount() == expected
    model.set_filter("attitude", None)
    assert model.rowCount() == data.department.count("Periop")
    model.clear_filters()
    assert model.rowCount() == len(data)


def test_sort_by_influence_descending_keeps_name_order_within_ties(model) -> None:
    model.sort(int(Col.POWER), Qt.SortOrder.DescendingOrder)
    power = column(model, Col.POWER, StakeholderTableModel.SortRole)
    names = column(model, Col.NAME, StakeholderTableModel.SortRole)
    assert power == sorted(power, reverse=True)
    for value in set(power):
        tied = [n for p, n in zip(power, names, strict=True) if p == value]
        assert tied == sorted(tied)
    model.sort(int(Col.READINESS), Qt.SortOrder.AscendingOrder)
    readiness = column(model, Col.READINESS, StakeholderTableModel.SortRole)
    assert readiness == sorted(readiness)


def test_id_role_and_lookups(model, data) -> None:
    ident = model.data(model.index(0, 0), StakeholderTableModel.IdRole)
    assert model.row_of_id(ident) == 0 and model.id_at(0) == ident
    assert model.name_of(ident) == data.name[data.ids.index(ident)]


def test_single_row_change_emits_targeted_data_changed(qtbot, workspace, model) -> None:
    ident = model.id_at(5)
    service.update_stakeholder(workspace, ident, title="Chief Wellness Officer")
    with qtbot.waitSignal(model.dataChanged) as signal:
        model.update_rows(service.register_rows(workspace, ids=[ident]))
    top, bottom = signal.args[0], signal.args[1]
    assert top.row() == bottom.row() == 5
    assert model.data(model.index(5, int(Col.TITLE))) == "Chief Wellness Officer"
    model.set_search("wellness")
    assert model.rowCount() == 1


def test_add_and_remove_rows(workspace, model) -> None:
    before = model.total_count()
    created = service.create_stakeholder(workspace, name="Zed Newman")
    model.add_rows(service.register_rows(workspace, ids=[created.id]))
    assert model.total_count() == before + 1
    assert model.row_of_id(created.id) == model.rowCount() - 1
    model.remove_ids([created.id])
    assert model.total_count() == before and model.row_of_id(created.id) is None


def test_register_table_is_consistent_after_changes(workspace, data) -> None:
    table = RegisterTable(data)
    table.remove([data.ids[0], data.ids[3]])
    assert len(table) == len(table.display[Col.NAME]) == len(table.derived.haystack)
    assert all(table.index[i] == n for n, i in enumerate(table.data.ids))
