"""Table models of the Readiness page: who dropped since their previous round, per-group
forecast today vs go-live (with and without the plan), and the people to win over. Sorting
happens inside each model over precomputed keys (``layoutChanged``), never through a
proxy."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from cmio_desktop.services.readiness.forecast import ChampionRow, GroupForecastRow
from cmio_desktop.services.readiness.overview import DropRow

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_DOWN, _UP = QColor("#b91c1c"), QColor("#047857")
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


@dataclass(frozen=True)
class Column(Generic[T]):
    title: str
    text: Callable[[T], str]
    key: Callable[[T], Any]
    numeric: bool = False
    signed: Callable[[T], float | None] | None = None  # colours the text red/green
    tooltip: str = ""


class RowsTableModel(QAbstractTableModel, Generic[T]):
    """A read-only table over a list of frozen rows, sortable by any column."""

    IdRole = Qt.ItemDataRole.UserRole + 1
    SortRole = Qt.ItemDataRole.UserRole + 2

    def __init__(
        self,
        columns: Sequence[Column[T]],
        ident: Callable[[T], int] | None = None,
        parent: Any = None,
        tooltip: Callable[[T], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._ident = ident
        self._tooltip = tooltip
        self.rows: list[T] = []
        self._sort: tuple[int, bool] | None = None

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        if self._sort is not None:
            self._apply_sort(*self._sort)
        self.endResetModel()

    def row_id(self, row: int) -> int | None:
        if self._ident is None or not 0 <= row < len(self.rows):
            return None
        return self._ident(self.rows[row])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.numeric else _LEFT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == self.IdRole:
            return self._ident(row) if self._ident is not None else None
        if role == self.SortRole:
            return column.key(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.numeric else None
        if role == Qt.ItemDataRole.ToolTipRole and self._tooltip is not None:
            return self._tooltip(row)
        if role == Qt.ItemDataRole.ForegroundRole and column.signed is not None:
            value = column.signed(row)
            if value is None or abs(value) < 0.005:
                return None
            return _DOWN if value < 0 else _UP
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order == Qt.SortOrder.DescendingOrder)
        self._apply_sort(*self._sort)
        self.layoutChanged.emit()

    def _apply_sort(self, column: int, descending: bool) -> None:
        key = self.columns[column].key
        self.rows.sort(key=key, reverse=descending)


def _num(value: float | None, fmt: str = "{:.2f}") -> str:
    return "" if value is None else fmt.format(value)


def dropped_model(parent: Any = None) -> RowsTableModel[DropRow]:
    columns: list[Column[DropRow]] = [
        Column("Name", lambda r: r.name, lambda r: r.name.casefold()),
        Column("Group", lambda r: r.group, lambda r: r.group.casefold()),
        Column(
            "Readiness",
            lambda r: f"{r.previous:.1f} → {r.latest:.1f}",
            lambda r: r.latest,
            True,
            tooltip="Readiness in the previous round → in the latest round",
        ),
        Column(
            "Change",
            lambda r: f"{r.change:+.1f}",
            lambda r: r.change,
            True,
            signed=lambda r: r.change,
        ),
        Column(
            "Barrier",
            lambda r: r.barrier.label if r.barrier else "none",
            lambda r: r.barrier.value if r.barrier else "~",
        ),
    ]
    return RowsTableModel(columns, lambda r: r.person_id, parent, _drop_tooltip)


def _drop_tooltip(r: DropRow) -> str:
    return (
        f"{r.name}: readiness {r.previous:.1f} on {r.previous_on:%d %b %Y} → {r.latest:.1f} on "
        f"{r.assessed_on:%d %b %Y}"
    )


def group_forecast_model(parent: Any = None) -> RowsTableModel[GroupForecastRow]:
    columns: list[Column[GroupForecastRow]] = [
        Column("Group", lambda r: r.label, lambda r: r.label.casefold()),
        Column("N", lambda r: f"{r.people:,}", lambda r: r.people, True, tooltip="People"),
        Column("Today", lambda r: f"{r.today:.2f}", lambda r: r.today, True),
        Column(
            "No plan",
            lambda r: _num(r.without_plan),
            lambda r: r.without_plan or 0.0,
            True,
            tooltip="Forecast mean readiness on go-live day without the plan's activities",
        ),
        Column(
            "Plan",
            lambda r: f"{r.go_live:.2f}",
            lambda r: r.go_live,
            True,
            tooltip="Forecast mean readiness on go-live day with the plan",
        ),
        Column(
            "Plan adds",
            lambda r: _num(r.plan_effect, "{:+.2f}"),
            lambda r: r.plan_effect or 0.0,
            True,
            signed=lambda r: r.plan_effect,
            tooltip="What the plan adds at go-live (with minus without)",
        ),
        Column(
            "What-if",
            lambda r: _num(r.scenario),
            lambda r: r.scenario or 0.0,
            True,
            tooltip="Go-live readiness in the what-if scenario",
        ),
        Column(
            "Lift",
            lambda r: _num(r.scenario_change, "{:+.2f}"),
            lambda r: r.scenario_change or 0.0,
            True,
            signed=lambda r: r.scenario_change,
            tooltip="What-if minus plan at go-live",
        ),
    ]
    return RowsTableModel(columns, None, parent)


def win_over_model(parent: Any = None) -> RowsTableModel[ChampionRow]:
    columns: list[Column[ChampionRow]] = [
        Column("#", lambda r: str(r.rank), lambda r: r.rank, True),
        Column("Name", lambda r: r.name, lambda r: r.name.casefold()),
        Column("Department", lambda r: r.department, lambda r: r.department.casefold()),
        Column(
            "Gain",
            lambda r: f"+{r.gain:.3f}",
            lambda r: r.gain,
            True,
            tooltip="Marginal gain in predicted mean readiness at go-live",
        ),
        Column(
            "After",
            lambda r: f"{r.predicted_mean:.3f}",
            lambda r: r.predicted_mean,
            True,
            tooltip="Predicted mean readiness at go-live with this pick",
        ),
    ]
    return RowsTableModel(columns, lambda r: r.person_id, parent, _win_over_tooltip)


def _win_over_tooltip(r: ChampionRow) -> str:
    return (
        f"{r.name} ({r.department}), readiness today {r.readiness_today:.1f}: winning them over "
        f"adds {r.gain:+.4f} to the predicted mean at go-live"
    )
