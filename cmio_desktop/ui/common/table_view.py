"""Table view helpers shared by the plan, governance and go-live pages: a configured
``QTableView`` (fixed row height, sortable, row selection) and selection by record id."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from cmio_desktop.ui.common.table_model import TableModel

ROW_HEIGHT = 26
TITLE_PADDING = 26  # px: the section's margins and the sort arrow


def tab_leaves(view: QAbstractItemView) -> None:
    """Tab moves on to the next control and the arrow keys move between cells: a table that
    took Tab for its cells would hold a keyboard user for a key press per cell."""
    view.setTabKeyNavigation(False)


def make_table(model: TableModel, multi: bool = True, stretch: int | None = None) -> QTableView:
    """A configured view; ``stretch`` names the column that takes the spare width."""
    view = QTableView()
    tab_leaves(view)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    for i, column in enumerate(model.columns):
        if column.width:
            view.setColumnWidth(i, column.width)
    if stretch is not None:
        header.setStretchLastSection(False)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def title_width(header: QHeaderView, title: str) -> int:
    """The width a column needs for its whole title in bold and the sort arrow beside it."""
    bold = QFont(header.font())
    bold.setBold(True)
    return QFontMetrics(bold).horizontalAdvance(title) + TITLE_PADDING


def widen_to_titles(view: QTableView) -> None:
    """No column narrower than its title: a cut title ("lan adds") reads as a bug."""
    header = view.horizontalHeader()
    model = view.model()
    for column in range(model.columnCount()):
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        header.resizeSection(column, max(header.sectionSize(column), title_width(header, title)))


def keep_key_column(view: QTableView, column: int = 0) -> None:
    """The naming column keeps its set width (a narrow pane scrolls the others instead of
    squeezing the names to a few letters); the last column takes any spare width."""
    header = view.horizontalHeader()
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    width = view.model().columns[column].width  # type: ignore[attr-defined]
    if width:
        view.setColumnWidth(column, width)


def selected_records(view: QTableView) -> list[Any]:
    model = view.model()
    assert isinstance(model, TableModel)
    rows = sorted({i.row() for i in view.selectionModel().selectedRows()})
    return [model.record(r) for r in rows]


def select_ids(view: QTableView, ids: list[Any]) -> None:
    """Select the rows of these record ids (those still visible) and scroll to the first."""
    model = view.model()
    assert isinstance(model, TableModel)
    selection = QItemSelection()
    first = None
    for ident in ids:
        row = model.row_of(ident)
        if row is None:
            continue
        selection.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
        first = row if first is None else min(first, row)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
    view.selectionModel().select(selection, flags | QItemSelectionModel.SelectionFlag.Rows)
    if first is not None:
        index = model.index(first, 0)
        view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        view.scrollTo(index)
