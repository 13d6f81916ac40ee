"""The saturation heat grid: departments down, weeks across, each cell a department's change
load in hours per person that week, coloured by load ÷ the department's threshold. Cells over
the threshold are dark red with white bold text and a corner mark, so they read without
colour too. Hover shows what makes the load up; the page shows it for the selected cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPolygon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
)

from cmio_desktop.ui.common.table_view import tab_leaves

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
#: (upper bound of load ÷ threshold, background, text colour, legend text); the last is "over".
BANDS = (
    (0.5, "#dcfce7", "#14532d", "under half"),
    (0.8, "#fef08a", "#422006", "half to 80 %"),
    (1.0, "#fdba74", "#431407", "80 % to the threshold"),
    (float("inf"), "#b91c1c", "#ffffff", "over the threshold"),
)
OVER_BORDER = "#450a0a"
SELECTED_BORDER = "#1d4ed8"
CELL_WIDTH = 60
ROW_HEIGHT = 26


def band_of(ratio: float) -> tuple[str, str]:
    """(background, text colour) for a load ÷ threshold ratio (above 0)."""
    return next((bg, fg) for limit, bg, fg, _ in BANDS if ratio <= limit)


@dataclass(frozen=True)
class GridCell:
    department: str
    week: date
    hours: float
    threshold: float
    parts: tuple[Any, ...] = ()  # analysis.change_load.Contribution

    @property
    def ratio(self) -> float:
        return self.hours / self.threshold if self.threshold > 0 else 0.0

    @property
    def over(self) -> bool:
        return self.hours > self.threshold


@dataclass
class GridData:
    departments: list[str] = field(default_factory=list)
    weeks: list[date] = field(default_factory=list)  # every Monday, first to last loaded
    cells: dict[tuple[str, date], GridCell] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)  # per department, effective
    custom: set[str] = field(default_factory=set)  # departments with their own threshold
    go_lives: dict[date, list[str]] = field(default_factory=dict)  # Monday → initiatives
    default_threshold: float = 6.0

    def cell(self, department: str, week: date) -> GridCell:
        found = self.cells.get((department, week))
        return found or GridCell(department, week, 0.0, self.thresholds.get(department, 0.0))

    @property
    def over_count(self) -> int:
        return sum(c.over for c in self.cells.values())


def grid_data(found: Any, go_lives: dict[str, date | None]) -> GridData:
    """A ``services.portfolio.load.Portfolio`` as the grid shows it: every week between the
    first and the last loaded one (quiet weeks too, so the time axis is even)."""
    weeks: list[date] = []
    if found.weeks:
        week = found.weeks[0]
        while week <= found.weeks[-1]:
            weeks.append(week)
            week += timedelta(weeks=1)
    thresholds = {d: found.threshold(d) for d in found.departments}
    cells = {
        key: GridCell(key[0], key[1], load.hours, thresholds[key[0]], tuple(load.parts))
        for key, load in found.loads.items()
    }
    marks: dict[date, list[str]] = {}
    for name, day in go_lives.items():
        if day is not None:
            marks.setdefault(day - timedelta(days=day.weekday()), []).append(name)
    custom = set(found.thresholds) & set(found.departments)
    return GridData(
        list(found.departments), weeks, cells, thresholds, custom, marks, found.default_threshold
    )


def part_label(part: Any) -> str:
    return "absorbing the change (go-live ramp)" if part.what == "go-live" else part.what


def cell_tooltip(cell: GridCell) -> str:
    head = (
        f"{cell.department}, week of {cell.week:%a %d %b %Y}: {cell.hours:.1f} h per person "
        f"(threshold {cell.threshold:g} h{', OVER' if cell.over else ''})"
    )
    lines = [f"• {p.initiative}: {part_label(p)} — {p.hours:.2f} h" for p in cell.parts]
    return "\n".join([head, *lines]) if lines else head + "\nNo change activity this week."


class SaturationGridModel(QAbstractTableModel):
    """Rows are departments, columns are weeks (Mondays)."""

    CellRole = Qt.ItemDataRole.UserRole + 1
    OverRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid = GridData()

    def set_grid(self, grid: GridData) -> None:
        self.beginResetModel()
        self.grid = grid
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.grid.departments)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.grid.weeks)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self._valid(index):
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def cell_at(self, index: Index) -> GridCell | None:
        if not self._valid(index):
            return None
        g = self.grid
        return g.cell(g.departments[index.row()], g.weeks[index.column()])

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        cell = self.cell_at(index)
        if cell is None:
            return None
        if role == _DISPLAY:
            return f"{cell.hours:.1f}" if cell.hours > 0 else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell_tooltip(cell)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            if cell.hours <= 0:
                return None
            bg, fg = band_of(cell.ratio)
            return QBrush(QColor(bg if role == Qt.ItemDataRole.BackgroundRole else fg))
        if role == Qt.ItemDataRole.FontRole and cell.over:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return cell_tooltip(cell).splitlines()[0]
        if role == self.CellRole:
            return cell
        if role == self.OverRole:
            return cell.over
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> Any:
        g = self.grid
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(g.weeks):
                return None
            week = g.weeks[section]
            names = g.go_lives.get(week, [])
            if role == _DISPLAY:
                return f"{week:%d %b}\n{'◆' if names else ''}".rstrip()
            if role == Qt.ItemDataRole.ToolTipRole:
                tip = f"Week of Monday {week:%d %B %Y}"
                return tip + "".join(f"\nGo-live: {n}" for n in names)
            if role == Qt.ItemDataRole.FontRole and names:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if not 0 <= section < len(g.departments):
            return None
        department = g.departments[section]
        limit = g.thresholds.get(department, 0.0)
        if role == _DISPLAY:  # a department's own threshold is named; the default is not
            return f"{department}  ({limit:g} h)" if department in g.custom else department
        if role == Qt.ItemDataRole.ToolTipRole:
            whose = "its own" if department in g.custom else "the default"
            return f"{department}: threshold {limit:g} h per person per week ({whose})"
        return None

    def index_of(self, department: str, week: date) -> QModelIndex:
        g = self.grid
        if department not in g.departments or week not in g.weeks:
            return QModelIndex()
        return self.index(g.departments.index(department), g.weeks.index(week))

    def _valid(self, index: Index) -> bool:
        return (
            index.isValid()
            and 0 <= index.row() < len(self.grid.departments)
            and 0 <= index.column() < len(self.grid.weeks)
        )


class HeatCellDelegate(QStyledItemDelegate):
    """Fills the cell with its band's colour (inset, so a white grid shows between cells),
    frames cells over the threshold and marks their corner, and outlines the selection."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        rect: QRect = option.rect.adjusted(1, 1, -1, -1)  # type: ignore[attr-defined]
        painter.fillRect(option.rect, QColor("#ffffff"))  # type: ignore[attr-defined]
        background = index.data(Qt.ItemDataRole.BackgroundRole)
        if background is not None:
            painter.fillRect(rect, background)
        over = bool(index.data(SaturationGridModel.OverRole))
        if over:
            painter.setPen(QPen(QColor(OVER_BORDER), 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
            tip = rect.topRight()
            corner = QPolygon([tip, tip - QPoint(8, 0), tip + QPoint(0, 8)])
            painter.setBrush(QColor("#ffffff"))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawPolygon(corner)
        text = index.data(_DISPLAY)
        if text:
            foreground = index.data(Qt.ItemDataRole.ForegroundRole)
            painter.setPen(foreground.color() if foreground is not None else QColor("#1f2a37"))
            font = index.data(Qt.ItemDataRole.FontRole)
            if font is not None:
                painter.setFont(font)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), str(text))
        if option.state & QStyle.StateFlag.State_Selected:  # type: ignore[attr-defined]
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(QColor(SELECTED_BORDER), 3))
            painter.drawRect(option.rect.adjusted(1, 1, -2, -2))  # type: ignore[attr-defined]
        painter.restore()


def make_grid_view(model: SaturationGridModel) -> QTableView:
    view = QTableView()
    tab_leaves(view)
    view.setObjectName("saturationGrid")
    view.setModel(model)
    view.setItemDelegate(HeatCellDelegate(view))
    view.setShowGrid(False)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    view.setMouseTracking(True)  # tooltips follow the pointer cell by cell
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setAccessibleName("Change load by department and week")
    horizontal = view.horizontalHeader()
    horizontal.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    horizontal.setDefaultSectionSize(CELL_WIDTH)
    horizontal.setHighlightSections(True)
    horizontal.setMinimumHeight(40)
    vertical = view.verticalHeader()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(ROW_HEIGHT)
    vertical.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    vertical.setHighlightSections(True)
    return view
