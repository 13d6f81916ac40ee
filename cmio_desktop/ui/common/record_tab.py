"""RecordTab: search box, New/Edit/Delete buttons and a table over a TableModel — the shape
shared by the decisions log, demand requests and similar lists. Its commands are the
``<commands>.add/.edit/.delete`` actions declared in ``ui.actions``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from cmio_desktop.ui.action_set import ActionSet
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
        commands: str,
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
        self.view = make_table(self.model, stretch=stretch)
        self.commands = ActionSet(
            self,
            {
                f"{commands}.add": self.add_requested.emit,
                f"{commands}.edit": self._on_edit_clicked,
                f"{commands}.delete": self._on_delete_clicked,
            },
            view=self.view,
        )
        self.add_button = self.commands.button(f"{commands}.add")
        self.edit_button = self.commands.button(f"{commands}.edit")
        self.delete_button = self.commands.button(f"{commands}.delete")
        self.count = QLabel()
        self.count.setObjectName("muted")
        self.bar = QHBoxLayout()
        self.bar.addWidget(self.search, 1)
        self.bar.addWidget(self.count)
        for b in (self.add_button, self.edit_button, self.delete_button):
            self.bar.addWidget(b)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        self.view.sortByColumn(sort_column, order)
        self.view.doubleClicked.connect(lambda _i: self._on_edit_clicked())
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
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

    def command_actions(self) -> list[QAction]:
        return list(self.commands)

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
        self.commands.follow_selection(len(self.view.selectionModel().selectedRows()))
        shown, total = self.model.rowCount(), len(self.model.records)
        noun = self.noun if total == 1 else self.plural
        self.count.setText(f"{shown} of {total} {noun}" if shown != total else f"{total} {noun}")
