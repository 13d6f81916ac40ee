"""SaturationTab: the heat grid of change load (departments × weeks), the clashes beside the
thresholds editor, and what makes up the selected week's load."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.ui.common.table_model import Column, TableModel
from cmio_desktop.ui.common.table_view import make_table
from cmio_desktop.ui.portfolio.heat_grid import (
    BANDS,
    CELL_WIDTH,
    GridCell,
    GridData,
    SaturationGridModel,
    make_grid_view,
    part_label,
)
from cmio_desktop.ui.portfolio.thresholds import ThresholdsEditor

PROMPT = "Select a cell (or a clash) to see what makes up its load."


@dataclass(frozen=True)
class ClashRow:
    id: tuple[str, date]
    clash: Any  # analysis.change_load.Clash

    @property
    def what(self) -> str:
        return " + ".join(dict.fromkeys(_clash_part(p) for p in self.clash.parts))


def _clash_part(part: Any) -> str:
    return f"go-live of {part.initiative}" if part.what == "go-live" else part.what


CLASH_COLUMNS = (
    Column("Week of", lambda r: f"{r.clash.week:%d %b %Y}", key=lambda r: r.clash.week, width=92),
    Column("Department", lambda r: r.clash.department, width=130),
    Column(
        "Load", lambda r: f"{r.clash.hours:.1f} / {r.clash.threshold:g} h",
        key=lambda r: r.clash.hours, align="right", width=84,
        bold=lambda r: r.clash.saturated,
        header_tip="Hours per person that week / the department's threshold",
    ),
    Column("What makes it up", lambda r: r.what, tooltip=lambda r: r.clash.sentence),
)  # fmt: skip


def legend() -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(6)
    title = QLabel("Load ÷ threshold:")
    title.setObjectName("muted")
    row.addWidget(title)
    for _limit, background, foreground, text in BANDS:
        swatch = QLabel(f" {text} ")
        swatch.setStyleSheet(
            f"background:{background}; color:{foreground}; border-radius:3px; padding:1px 4px;"
        )
        row.addWidget(swatch)
    mark = QLabel("◆ go-live week")
    mark.setObjectName("muted")
    row.addSpacing(8)
    row.addWidget(mark)
    row.addStretch(1)
    return row


class SaturationTab(QWidget):
    #: {department or "default": hours or None} — the page saves it as an undo step.
    thresholds_edited = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = SaturationGridModel(self)
        self.grid = make_grid_view(self.model)
        self.clashes = TableModel(CLASH_COLUMNS, parent=self)
        self.clashes.row_background = lambda r: "#fee2e2" if r.clash.saturated else None
        self.clash_view = make_table(self.clashes, multi=False, stretch=3)
        self.clash_view.setAccessibleName("Clashes")
        self.clash_view.setWordWrap(False)
        self.clash_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.shown_cell: GridCell | None = None
        self.cell_text = QLabel(PROMPT)
        self.cell_text.setWordWrap(True)
        self.cell_text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.cell_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cell_text.setContentsMargins(8, 6, 8, 6)
        self.cell_text.setAccessibleName("What makes up the selected week's load")
        self.editor = ThresholdsEditor()
        self.editor.save_requested.connect(self.thresholds_edited)
        self.clash_title = QLabel()
        self.clash_title.setWordWrap(True)
        self._build()
        self.grid.selectionModel().currentChanged.connect(self._on_grid_current_changed)
        self.clash_view.selectionModel().currentRowChanged.connect(self._on_clash_row_changed)

    def _build(self) -> None:
        clash_box = QWidget()
        clash_layout = QVBoxLayout(clash_box)
        clash_layout.setContentsMargins(0, 0, 0, 0)
        clash_layout.addWidget(self.clash_title)
        clash_layout.addWidget(self.clash_view, 1)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.editor)
        detail = QScrollArea()
        detail.setObjectName("kpiCard")
        detail.setWidgetResizable(True)
        detail.setFrameShape(QFrame.Shape.NoFrame)
        detail.setWidget(self.cell_text)
        side_layout.addWidget(detail, 1)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(clash_box)
        bottom.addWidget(side)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        bottom.setSizes([560, 380])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.grid)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([400, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(legend())
        layout.addWidget(split, 1)

    # -- data --------------------------------------------------------------------------------
    def set_grid(self, grid: GridData, clashes: list[Any]) -> None:
        current = self.current_cell()
        self.model.set_grid(grid)
        self.clashes.set_rows([ClashRow((c.department, c.week), c) for c in clashes])
        saturated = sum(c.saturated for c in clashes)
        self.clash_title.setText(
            f"<b>Clashes</b> · {len(clashes)} department-weeks shared by initiatives or over "
            f"the threshold · {saturated} over"
            if clashes else "<b>Clashes</b> · none: no department-week is shared by two "
            "initiatives or over its threshold"
        )  # fmt: skip
        self.clash_title.setToolTip(
            "A clash is a week in which two or more initiatives load the same department, or "
            "in which its load is over its threshold."
        )
        self.editor.set_thresholds(
            grid.departments, grid.thresholds, grid.custom, grid.default_threshold
        )
        if current is not None and self.model.index_of(current.department, current.week).isValid():
            self.select_cell(current.department, current.week)
        else:
            self._show_cell(None)
            self._scroll_to_first_over(grid)

    def _scroll_to_first_over(self, grid: GridData) -> None:
        over = sorted((c.week, c.department) for c in grid.cells.values() if c.over)
        if over:
            # Across only (scrolled per pixel): that week in the middle, departments from the top.
            column = grid.weeks.index(over[0][0])
            middle = (self.grid.viewport().width() - CELL_WIDTH) // 2
            self.grid.horizontalScrollBar().setValue(column * CELL_WIDTH - middle)

    # -- selection ---------------------------------------------------------------------------
    def current_cell(self) -> GridCell | None:
        return self.model.cell_at(self.grid.currentIndex())

    def select_cell(self, department: str, week: date) -> None:
        index = self.model.index_of(department, week)
        if not index.isValid():
            return
        self.grid.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.grid.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _on_grid_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        cell = self.model.cell_at(current)
        self._show_cell(cell)
        if cell is not None:
            self.editor.choose(cell.department)

    def _on_clash_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.clashes.record_at(current)
        if row is not None:
            self.select_cell(*row.id)

    def _show_cell(self, cell: GridCell | None) -> None:
        self.shown_cell = cell
        if cell is None:
            self.cell_text.setText(PROMPT)
            return
        state = "<b style='color:#b91c1c'>over</b>" if cell.over else "within"
        parts = "".join(
            f"<li>{escape(p.initiative)}: {escape(part_label(p))} — {p.hours:.2f} h</li>"
            for p in cell.parts
        )
        self.cell_text.setText(
            f"<b>{escape(cell.department)}</b>, week of {cell.week:%d %b %Y}: "
            f"<b>{cell.hours:.1f} h</b> per person, {state} its {cell.threshold:g} h threshold"
            + (f"<ul style='margin-left:-20px'>{parts}</ul>" if parts else
               "<br>No change activity this week.")
        )  # fmt: skip
