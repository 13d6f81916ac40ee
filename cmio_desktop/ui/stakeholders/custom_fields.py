"""The custom fields of one person: an editable name/value table with Add and Remove."""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import count
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.ui.common.table_model import Column, TableModel, style_headers
from cmio_desktop.ui.common.table_view import tab_leaves

HEADERS = ("Field", "Value")


@dataclass(frozen=True)
class CustomField:
    uid: int  # identifies the row while its name is being typed
    name: Any
    value: Any


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class CustomFieldsModel(TableModel):
    """Editable name/value rows; an unchanged edit keeps the stored value's type."""

    def __init__(self, parent: Any = None) -> None:
        columns = (
            Column(HEADERS[0], lambda f: _text(f.name), edit=lambda f, t: replace(f, name=t)),
            Column(HEADERS[1], lambda f: _text(f.value), edit=lambda f, t: replace(f, value=t)),
        )
        super().__init__(style_headers(columns), id_of=lambda f: f.uid, parent=parent)
        self._uids = count()

    def set_fields(self, fields: dict[str, Any]) -> None:
        self.set_rows([CustomField(next(self._uids), k, v) for k, v in sorted(fields.items())])

    def pairs(self) -> list[tuple[str, Any]]:
        """Non-blank rows as (name, value)."""
        return [
            (str(f.name).strip(), f.value)
            for f in self.records
            if str(f.name).strip() or (f.value is not None and str(f.value).strip())
        ]

    def add_row(self) -> QModelIndex:
        return self.append_record(CustomField(next(self._uids), "", ""))


class CustomFieldsEditor(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = CustomFieldsModel(self)
        self.view = QTableView()
        tab_leaves(self.view)
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.setMinimumHeight(96)
        self.view.setMaximumHeight(140)
        self.add_button = QPushButton("Add field")
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        for signal in (self.model.dataChanged, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(lambda *_args: self.edited.emit())

    def set_fields(self, fields: dict[str, Any]) -> None:
        self.model.set_fields(fields)

    def pairs(self) -> list[tuple[str, Any]]:
        return self.model.pairs()

    def _on_add_clicked(self) -> None:
        index = self.model.add_row()
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def _on_remove_clicked(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.model.remove_row(index.row())
