"""The shared UI parts: the column-described table model and the record dialog."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import Qt

from cmio_desktop.ui.common.form_dialog import Field, FormDialog
from cmio_desktop.ui.common.table_model import Column, TableModel


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    score: int | None
    done: bool = False


PEOPLE = [Person(1, "Ada", 3), Person(2, "Bea", None), Person(3, "Cy", 5), Person(4, "Dee", 1)]


def _model() -> TableModel:
    model = TableModel(
        [
            Column("Name", lambda p: p.name, name="name"),
            Column(
                "Score",
                lambda p: "" if p.score is None else str(p.score),
                key=lambda p: p.score,
                align="right",
            ),
            Column("Done", lambda p: "", check=lambda p: p.done),
        ]  # fmt: skip
    )
    model.set_checked = lambda record, _column, checked: replace(record, done=checked)  # type: ignore[method-assign]
    model.set_rows(PEOPLE)
    return model


def test_sort_puts_missing_values_last_either_way(qapp) -> None:
    model = _model()
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert [p.name for p in model.rows] == ["Dee", "Ada", "Cy", "Bea"]
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert [p.name for p in model.rows] == ["Cy", "Ada", "Dee", "Bea"]
    assert model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole)


def test_search_and_predicate_filter_inside_the_model(qapp) -> None:
    model = _model()
    model.set_search("  A ")
    assert [p.name for p in model.rows] == ["Ada", "Bea"]
    model.set_predicate(lambda p: p.score is not None)
    assert [p.name for p in model.rows] == ["Ada"]
    model.set_search("")
    model.set_predicate(None)
    assert model.rowCount() == 4 and model.column_of("name") == 0


def test_a_check_box_changes_one_row_only(qtbot, qapp) -> None:
    model = _model()
    model.sort(0, Qt.SortOrder.DescendingOrder)  # Dee, Cy, Bea, Ada
    index = model.index(1, 2)
    with qtbot.waitSignal(model.dataChanged) as blocker:
        assert model.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    top, bottom = blocker.args[0], blocker.args[1]
    assert (top.row(), bottom.row(), top.column(), bottom.column()) == (1, 1, 0, 2)
    assert [p.name for p in model.records if p.done] == ["Cy"]
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.flags(index) & Qt.ItemFlag.ItemIsUserCheckable


def test_form_dialog_enables_ok_once_required_fields_are_filled(qtbot) -> None:
    fields = [Field("name", "Name", required=True), Field("owner", "Owner")]
    dialog = FormDialog(
        "New thing", fields, validate=lambda v: "Owner differs." if v["owner"] == "x" else None
    )
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.set_value("name", "Server move")
    assert dialog.ok_button.isEnabled()
    dialog.set_value("owner", "x")
    dialog.accept()
    assert dialog.result() == 0 and dialog.error.text() == "Owner differs."
    dialog.set_value("owner", "Kim")
    dialog.accept()
    assert dialog.result() == 1 and dialog.error.isHidden()
