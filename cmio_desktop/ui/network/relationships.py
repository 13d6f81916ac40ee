"""The relationships table: every influence tie, searched, filtered and sorted in the model.

Columns are numpy arrays of positions into the people, so a million ties cost no per-row
objects: a search matches people's names once (100,000 checks) and selects ties by their ends;
a sort is one ``lexsort`` over precomputed keys.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.services.network.ties import RelationshipRows, kind_label
from cmio_desktop.ui.action_set import ActionSet
from cmio_desktop.ui.common.table_view import tab_leaves

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Influencer", "Influences", "Strength", "Kind", "Note")
SOURCE, TARGET, STRENGTH, KIND, NOTE = range(5)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def _empty_rows() -> RelationshipRows:
    z = np.zeros(0, np.int64)
    return RelationshipRows(z, z, z, z, [], [], z, [], [])


class RelationshipTableModel(QAbstractTableModel):
    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.data_rows = _empty_rows()
        self._rows = np.zeros(0, np.int64)  # visible row numbers into data_rows, in order
        self._names_lower: list[str] = []
        self._name_rank = np.zeros(0, np.int64)
        self._kind_labels: list[str] = []  # kind code → label, in label order
        self._kind_code = np.zeros(0, np.int64)
        self._noted: list[tuple[int, str]] = []  # (row, lower-case note) for rows with a note
        self._orders: dict[tuple[int, bool], np.ndarray] = {}
        self._sort = (SOURCE, False)
        self._terms: list[str] = []
        self._min_strength = 1
        self._person: int | None = None  # person position, "only ties of this person"

    # -- Qt model interface ----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else int(self._rows.size)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < self._rows.size:
            return None
        r, col, d = int(self._rows[index.row()]), index.column(), self.data_rows
        if role == Qt.ItemDataRole.DisplayRole:
            if col == SOURCE:
                return d.source_name(r)
            if col == TARGET:
                return d.target_name(r)
            if col == STRENGTH:
                return str(int(d.strength[r]))
            if col == KIND:
                return kind_label(d.kind[r])
            if col == NOTE:
                return d.note[r]
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == STRENGTH:
            return _CENTRE
        if role == Qt.ItemDataRole.ToolTipRole and col in (SOURCE, TARGET):
            return f"{d.source_name(r)} influences {d.target_name(r)}"
        if role == self.IdRole:
            return int(d.ids[r])
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = (column, order == Qt.SortOrder.DescendingOrder)
        self._refilter()

    # -- data, search and filters -------------------------------------------------------------
    def set_data(self, rows: RelationshipRows) -> None:
        self.beginResetModel()
        self.data_rows = rows
        self._names_lower = [n.casefold() for n in rows.person_names]
        names = np.asarray(self._names_lower, dtype=object)
        rank = np.empty(len(names), np.int64)
        rank[np.argsort(names, kind="stable")] = np.arange(len(names))
        self._name_rank = rank
        values = sorted(set(rows.kind), key=kind_label)
        self._kind_labels = [kind_label(k).casefold() for k in values]
        code = {k: i for i, k in enumerate(values)}
        self._kind_code = np.fromiter((code[k] for k in rows.kind), np.int64, len(rows))
        self._noted = [(i, n.casefold()) for i, n in enumerate(rows.note) if n]
        self._orders.clear()
        self._rows = self._compute()
        self.endResetModel()

    def set_search(self, text: str) -> None:
        terms = text.casefold().split()
        if terms != self._terms:
            self._terms = terms
            self._refilter()

    def set_min_strength(self, value: int) -> None:
        if value != self._min_strength:
            self._min_strength = value
            self._refilter()

    def set_person(self, person_id: int | None) -> None:
        pos = None
        if person_id is not None:
            ids = self.data_rows.person_ids
            i = int(np.searchsorted(ids, person_id))
            pos = i if i < ids.size and ids[i] == person_id else -1
        if pos != self._person:
            self._person = pos
            self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._rows = self._compute()
        self.endResetModel()

    def _compute(self) -> np.ndarray:
        d = self.data_rows
        order = self._order(*self._sort)
        if not len(d):
            return order
        keep = np.ones(len(d), dtype=bool)
        if self._min_strength > 1:
            keep &= d.strength >= self._min_strength
        if self._person is not None:
            keep &= (d.source == self._person) | (d.target == self._person)
        for term in self._terms:
            person = np.fromiter(
                (term in n for n in self._names_lower), bool, len(self._names_lower)
            )
            hit = person[d.source] | person[d.target]
            kinds = [c for c, label in enumerate(self._kind_labels) if term in label]
            if kinds:
                hit |= np.isin(self._kind_code, kinds)
            hit[[i for i, note in self._noted if term in note]] = True
            keep &= hit
        return order[keep[order]]

    def _order(self, column: int, descending: bool) -> np.ndarray:
        key = (column, descending)
        if key not in self._orders:
            d = self.data_rows
            if column == SOURCE:
                primary = self._name_rank[d.source] if len(d) else d.source
            elif column == TARGET:
                primary = self._name_rank[d.target] if len(d) else d.target
            elif column == STRENGTH:
                primary = d.strength
            elif column == KIND:
                primary = self._kind_code
            else:
                notes = np.asarray([n.casefold() for n in d.note], dtype=object)
                primary = np.empty(len(d), np.int64)
                primary[np.argsort(notes, kind="stable")] = np.arange(len(d))
            primary = -primary if descending else primary
            secondary = self._name_rank[d.target] if len(d) else d.target
            self._orders[key] = np.lexsort((d.ids, secondary, primary))
        return self._orders[key]

    # -- lookups ----------------------------------------------------------------------------------
    def tie_id(self, row: int) -> int:
        return int(self.data_rows.ids[self._rows[row]])

    def versions_of(self, rows: list[int]) -> dict[int, int]:
        """Tie id → row version as last read, for the visible rows given."""
        return self.data_rows.versions_of([int(self._rows[r]) for r in rows])

    def describe(self, row: int) -> str:
        r = int(self._rows[row])
        return f"{self.data_rows.source_name(r)} → {self.data_rows.target_name(r)}"

    def count_text(self) -> str:
        return f"{self._rows.size:,} of {len(self.data_rows):,} ties"


class RelationshipsPanel(QWidget):
    """Search, filter, add, edit and delete ties."""

    add_requested = Signal()
    edit_requested = Signal(int)  # tie id
    delete_requested = Signal(list, str, dict)  # tie ids, one tie's description, id → version

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RelationshipTableModel(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search names, kind or note…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.model.set_search)
        self.search.textChanged.connect(self._on_model_changed)
        self.strength = QComboBox()
        for value in range(1, 6):
            self.strength.addItem("Any strength" if value == 1 else f"Strength ≥ {value}", value)
        self.strength.currentIndexChanged.connect(self._on_strength_changed)
        self.only_selected = QCheckBox("Selected person only")
        self.only_selected.toggled.connect(self._on_only_selected_toggled)
        self._selected_person: int | None = None
        self.count = QLabel()
        self.count.setObjectName("muted")
        self.table = QTableView()
        tab_leaves(self.table)
        self.commands = ActionSet(
            self,
            {
                "network.tie.add": self.add_requested.emit,
                "network.tie.edit": self._on_edit_clicked,
                "network.tie.delete": self._on_delete_clicked,
            },
            view=self.table,
        )
        self.add_button = self.commands.button("network.tie.add")
        self.edit_button = self.commands.button("network.tie.edit")
        self.delete_button = self.commands.button("network.tie.delete")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(SOURCE, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for col, width in enumerate((130, 130, 70, 104)):
            header.resizeSection(col, width)
        self.table.doubleClicked.connect(self._on_edit_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.strength)
        filters.addWidget(self.only_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._on_selection_changed()

    def command_actions(self) -> list[QAction]:
        return list(self.commands)

    def set_rows(self, rows: RelationshipRows) -> None:
        self.model.set_data(rows)
        self._on_model_changed()

    def set_selected_person(self, person_id: int | None) -> None:
        self._selected_person = person_id
        if self.only_selected.isChecked():
            self.model.set_person(person_id)
            self._on_model_changed()

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedRows()})

    def _on_model_changed(self, *_args: Any) -> None:
        self.count.setText(self.model.count_text())
        self._on_selection_changed()

    def _on_strength_changed(self, _index: int) -> None:
        self.model.set_min_strength(int(self.strength.currentData()))
        self._on_model_changed()

    def _on_only_selected_toggled(self, checked: bool) -> None:
        self.model.set_person(self._selected_person if checked else None)
        self._on_model_changed()

    def _on_selection_changed(self, *_args: Any) -> None:
        self.commands.follow_selection(len(self.selected_rows()))

    def _on_edit_clicked(self, *_args: Any) -> None:
        rows = self.selected_rows()
        if len(rows) == 1:
            self.edit_requested.emit(self.model.tie_id(rows[0]))

    def _on_delete_clicked(self) -> None:
        rows = self.selected_rows()
        if rows:
            ids = [self.model.tie_id(r) for r in rows]
            text = self.model.describe(rows[0]) if len(rows) == 1 else ""
            self.delete_requested.emit(ids, text, self.model.versions_of(rows))
