"""RecordTableModel: a table over plain frozen records, searched, filtered and sorted inside
the model (no proxy), shared by the plan, governance and go-live pages.

Each column is a :class:`Column` (title, text, sort key, alignment, colours). Search text and
sort keys are computed once per ``set_rows``; a keystroke is one pass over a list of strings
and a reset. Sorting keeps the selection: persistent indexes are moved by record id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

Index = QModelIndex | QPersistentModelIndex
_ALIGN = {
    "left": int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
    "right": int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
    "center": int(Qt.AlignmentFlag.AlignCenter),
}
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[Any], str]
    key: Callable[[Any], Any] | None = None  # sort key (default: the text, case-folded)
    align: str = "left"
    tooltip: Callable[[Any], str] | None = None
    colour: Callable[[Any], str | None] | None = None  # foreground colour per record
    bold: Callable[[Any], bool] | None = None
    width: int | None = None
    header_tip: str = ""


def _sort_key(value: Any) -> tuple[int, Any]:
    """None sorts last in ascending order; mixed types never compare."""
    if value is None or value == "":
        return (1, 0)
    return (0, value)


class RecordTableModel(QAbstractTableModel):
    IdRole = Qt.ItemDataRole.UserRole + 1
    RecordRole = Qt.ItemDataRole.UserRole + 2
    SortRole = Qt.ItemDataRole.UserRole + 3

    def __init__(
        self,
        columns: Sequence[Column],
        id_of: Callable[[Any], Any] = lambda r: r.id,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._id_of = id_of
        self._all: list[Any] = []
        self._search_text: list[str] = []
        self._rows: list[int] = []  # positions into _all, in display order
        self._search = ""
        self._predicate: Callable[[Any], bool] | None = None
        self._sort_column = -1
        self._descending = False
        self.row_background: Callable[[Any], str | None] | None = None

    # -- Qt interface ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        record = self._all[self._rows[index.row()]]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == self.IdRole:
            return self._id_of(record)
        if role == self.RecordRole:
            return record
        if role == self.SortRole:
            return str(self._key(column, record)[1])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN[column.align]
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record) or None
        if role == Qt.ItemDataRole.ForegroundRole and column.colour is not None:
            colour = column.colour(record)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.BackgroundRole and self.row_background is not None:
            colour = self.row_background(record)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.FontRole and column.bold is not None and column.bold(record):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.header_tip or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN[column.align]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self._sort_column = column
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        old_ids = [self._id_of(self._all[p]) for p in self._rows]
        self._sort_rows()
        new_row = {self._id_of(self._all[p]): r for r, p in enumerate(self._rows)}
        moves_from, moves_to = [], []
        for index in self.persistentIndexList():
            if index.row() < len(old_ids):
                row = new_row.get(old_ids[index.row()])
                moves_from.append(index)
                moves_to.append(
                    self.index(row, index.column()) if row is not None else QModelIndex()
                )
        self.changePersistentIndexList(moves_from, moves_to)
        self.layoutChanged.emit()

    # -- data ----------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._search_text = [
            " ".join(c.text(r) for c in self.columns).casefold() for r in self._all
        ]
        self._apply()
        self.endResetModel()

    def set_search(self, text: str) -> None:
        text = text.strip().casefold()
        if text != self._search:
            self._search = text
            self._refilter()

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        self._predicate = predicate
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._apply()
        self.endResetModel()

    def _apply(self) -> None:
        terms = self._search.split()
        pred = self._predicate
        self._rows = [
            i
            for i, record in enumerate(self._all)
            if all(t in self._search_text[i] for t in terms) and (pred is None or pred(record))
        ]
        self._sort_rows()

    def _key(self, column: Column, record: Any) -> tuple[int, Any]:
        value = column.key(record) if column.key is not None else column.text(record).casefold()
        return _sort_key(value)

    def _sort_rows(self) -> None:
        if self._sort_column < 0:
            return
        column = self.columns[self._sort_column]
        keyed = [(self._key(column, self._all[p]), p) for p in self._rows]
        present = sorted((k for k in keyed if k[0][0] == 0), reverse=self._descending)
        missing = [k for k in keyed if k[0][0] == 1]
        self._rows = [p for _, p in present] + [p for _, p in missing]

    # -- lookups ---------------------------------------------------------------------------------
    @property
    def records(self) -> list[Any]:
        """Every record, filtered or not."""
        return list(self._all)

    @property
    def visible_records(self) -> list[Any]:
        return [self._all[p] for p in self._rows]

    def record(self, row: int) -> Any:
        return self._all[self._rows[row]]

    def id_of(self, record: Any) -> Any:
        return self._id_of(record)

    def row_of(self, ident: Any) -> int | None:
        for row, pos in enumerate(self._rows):
            if self._id_of(self._all[pos]) == ident:
                return row
        return None
