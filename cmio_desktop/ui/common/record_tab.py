"""RecordTab: search box, New/Edit/Delete buttons and a table over a TableModel — the
shape shared by the decisions log, demand requests and similar lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from cmio_desktop.ui.common.table_model import Column, TableModel
from cmio_desktop.ui.common.table_view import make_table, select_ids, selected_records


class RecordTab(QWidget):
    add_requested = Signal()
    edit_requested = Signal(object)
    delete_requested = Signal(list)

    def __init__(
        self,
        columns: Sequence[Column],
        noun: str,
        stretch: int | None = None,
        sort_column: int = 0,
        descending: bool = False,
        id_of: Callable[[Any], Any] = lambda r: r.id,
        plural: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.noun = noun
        self.plural = plural or f"{noun}s"
        self.model = TableModel(columns, id_of=id_of, parent=self)
        self.search = QLineEdit()
        self.search.setPlaceholderText(f"Search {self.plural}…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.model.set_search)
        self.add_button = QPushButton(f"New {noun}…")
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete")
        self.count = QLabel()
        self.count.setObjectName("muted")
        self.add_button.clicked.connect(self.add_requested)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.bar = QHBoxLayout()
        self.bar.addWidget(self.search, 1)
        self.bar.addWidget(self.count)
        for b in (self.add_button, self.edit_button, self.delete_button):
            self.bar.addWidget(b)
        self.view = make_table(self.model, stretch=stretch)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.view.sortByColumn(sort_column, order)
        self.view.doubleClicked.connect(lambda _i: self._on_edit_clicked())
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        QShortcut(QKeySequence.StandardKey.Delete, self.view).activated.connect(
            self._on_delete_clicked
        )
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 8, 0, 0)
        self.layout_.addLayout(self.bar)
        self.layout_.addWidget(self.view, 1)
        self._update_buttons()

    def set_rows(self, rows: list[Any]) -> None:
        keep = [self.model.id_of(r) for r in selected_records(self.view)]
        self.model.set_rows(rows)
        if not keep and self.model.rowCount():
            keep = [self.model.id_of(self.model.record(0))]
        select_ids(self.view, keep)
        self._update_buttons()

    def selected(self) -> list[Any]:
        return selected_records(self.view)

    def _on_edit_clicked(self) -> None:
        rows = self.selected()
        if len(rows) == 1:
            self.edit_requested.emit(rows[0])

    def _on_delete_clicked(self) -> None:
        rows = self.selected()
        if rows:
            self.delete_requested.emit(rows)

    def _update_buttons(self) -> None:
        n = len(self.view.selectionModel().selectedRows())
        self.edit_button.setEnabled(n == 1)
        self.delete_button.setEnabled(n > 0)
        shown, total = self.model.rowCount(), len(self.model.records)
        noun = self.noun if total == 1 else self.plural
        self.count.setText(f"{shown} of {total} {noun}" if shown != total else f"{total} {noun}")
