"""Selection by id: save which people are selected before a reset, put it back after.

Works on selection ranges (not one index per row), so selecting or restoring 100,000 rows
stays cheap."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView, QTableView

from cmio_desktop.ui.stakeholders.table_model import StakeholderTableModel

_SELECT = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows


def selected_ids(view: QTableView, model: StakeholderTableModel) -> list[int]:
    """Ids of the selected rows, in display order."""
    selection = view.selectionModel()
    if selection is None:
        return []
    rows, ids = model.visible_positions, model.table.data.ids
    seen: dict[int, None] = {}
    ranges = sorted(selection.selection(), key=lambda r: r.top())
    for r in ranges:
        for row in range(max(r.top(), 0), min(r.bottom() + 1, len(rows))):
            seen[ids[rows[row]]] = None
    return list(seen)


def current_id(view: QTableView, model: StakeholderTableModel) -> int | None:
    index = view.currentIndex()
    if not index.isValid() or index.row() >= model.rowCount():
        return None
    return model.id_at(index.row())


def select_ids(
    view: QTableView,
    model: StakeholderTableModel,
    ids: Iterable[int],
    current: int | None = None,
    scroll: bool = True,
) -> int:
    """Select the visible rows of ``ids`` (others are ignored); returns how many."""
    rows = model.rows_of_ids(list(ids))
    selection = QItemSelection()
    last_column = model.columnCount() - 1
    start = previous = None
    for row in rows:
        if start is None:
            start = previous = row
        elif row == previous + 1:
            previous = row
        else:
            selection.select(model.index(start, 0), model.index(previous, last_column))
            start = previous = row
    if start is not None:
        selection.select(model.index(start, 0), model.index(previous, last_column))
    selection_model = view.selectionModel()
    current_row = model.row_of_id(current) if current is not None else None
    if current_row is None and rows:
        current_row = rows[0]
    if current_row is not None:
        selection_model.setCurrentIndex(
            model.index(current_row, 0), QItemSelectionModel.SelectionFlag.NoUpdate
        )
        if scroll:
            view.scrollTo(model.index(current_row, 0), QAbstractItemView.ScrollHint.EnsureVisible)
    selection_model.select(selection, _SELECT)
    return len(rows)
