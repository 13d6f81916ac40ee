"""OverviewPanel: the heat map, barrier points, headcount vs influence, trend, and who dropped
since their previous round — for one grouping. Clicks become ``people_selected(ids, text)``;
the page hands them to the facade so every view follows."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.services.readiness.overview import (
    ELEMENTS,
    DropRow,
    ReadinessData,
    ReadinessSummary,
    cell_people,
)
from cmio_desktop.ui.common.table_view import tab_leaves
from cmio_desktop.ui.readiness.group_charts import BarrierChart, InfluenceChart, TrendChart
from cmio_desktop.ui.readiness.heatmap_chart import HeatMapChart
from cmio_desktop.ui.readiness.table_models import dropped_model

CHANGE_COLUMN = 3


class OverviewPanel(QWidget):
    people_selected = Signal(list, str)  # ids, what was clicked (for the status line)
    open_in_register = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: ReadinessData | None = None
        self.summary: ReadinessSummary | None = None
        self.heat_map = HeatMapChart()
        self.barriers = BarrierChart()
        self.influence = InfluenceChart()
        self.trend = TrendChart()
        self.dropped = dropped_model(self)
        self.table = QTableView()
        tab_leaves(self.table)
        self.table.setModel(self.dropped)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(CHANGE_COLUMN, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        # Name and readiness first and at fixed widths: a narrow window scrolls the others.
        self.table.setWordWrap(False)
        header.setStretchLastSection(True)
        for col, width in enumerate((136, 96, 84, 76, 84)):
            header.resizeSection(col, width)
        header.moveSection(header.visualIndex(2), 1)
        self.table.setToolTip(
            "Click to select a person everywhere; double-click to open them in the register"
        )
        self.dropped_title = QLabel("Who dropped since their previous round")
        self.dropped_title.setStyleSheet("font-weight: 600; color: #1f2a37;")
        self.dropped_note = QLabel("")
        self.dropped_note.setObjectName("muted")
        for label in (self.dropped_title, self.dropped_note):
            label.setWordWrap(True)  # the box narrows on a laptop: wrap, never cut
        dropped_box = QWidget()
        box = QVBoxLayout(dropped_box)
        box.setContentsMargins(8, 4, 0, 0)
        box.setSpacing(4)
        box.addWidget(self.dropped_title)
        box.addWidget(self.table, 1)
        box.addWidget(self.dropped_note)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.heat_map)
        top.addWidget(self.barriers)
        top.setSizes([560, 520])
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.influence)
        bottom.addWidget(self.trend)
        bottom.addWidget(dropped_box)
        bottom.setSizes([318, 330, 482])
        bottom.setStretchFactor(2, 1)
        dropped_box.setMinimumWidth(250)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setSizes([400, 330])
        for splitter in (top, bottom, self.splitter):
            splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        self.heat_map.cell_clicked.connect(self._on_heat_map_cell_clicked)
        self.heat_map.row_clicked.connect(self._on_heat_map_row_clicked)
        self.table.clicked.connect(self._on_table_clicked)
        self.table.doubleClicked.connect(self._on_table_double_clicked)

    def set_content(
        self,
        data: ReadinessData | None,
        summary: ReadinessSummary | None,
        dropped: list[DropRow],
    ) -> None:
        self.data, self.summary = data, summary
        for chart in (self.heat_map, self.barriers, self.influence, self.trend):
            chart.set_summary(summary)
        self.dropped.set_rows(dropped)
        assessed = data.assessed if data else 0
        self.dropped_note.setText(
            f"{len(dropped):,} of {assessed:,} assessed people fell since their previous round"
            if data
            else ""
        )

    def select_person(self, person_id: int | None) -> None:
        """Follow a selection made elsewhere (no echo)."""
        for row in range(self.dropped.rowCount()):
            if self.dropped.row_id(row) == person_id:
                self.table.selectRow(row)
                return
        self.table.clearSelection()

    # -- clicks -----------------------------------------------------------------------------------
    def _on_heat_map_cell_clicked(self, row: int, column: int) -> None:
        if self.data is None or not 0 <= row < len(self.heat_map.rows):
            return
        group = self.heat_map.rows[row]
        ids = cell_people(self.data, group, column)
        limit = self.data.settings.barrier_max
        element = ELEMENTS[column].label
        self.people_selected.emit(
            ids, f"{len(ids):,} in {group.label} scoring ≤ {limit} on {element}"
        )

    def _on_heat_map_row_clicked(self, row: int) -> None:
        if 0 <= row < len(self.heat_map.rows):
            group = self.heat_map.rows[row]
            self.people_selected.emit(list(group.members), f"everyone in {group.label}")

    def _on_table_clicked(self, index: QModelIndex) -> None:
        ident = self.dropped.row_id(index.row())
        if ident is not None:
            name = self.dropped.record(index.row()).name
            self.people_selected.emit([ident], name)

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self._on_table_clicked(index)
        self.open_in_register.emit()
