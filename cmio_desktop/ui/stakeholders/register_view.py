"""The register's table view: row selection, fixed row height, movable sortable columns."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from cmio_desktop.ui.stakeholders.register_table import COLUMNS, Col
from cmio_desktop.ui.stakeholders.table_model import StakeholderTableModel


class RegisterView(QTableView):
    def __init__(self, model: StakeholderTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stakeholderTable")
        self.setModel(model)
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # A fixed section size is what makes 100,000 rows cheap: no per-row size hints, ever.
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        rows.hide()
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        bold = QFont(header.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        for column, spec in COLUMNS.items():  # never narrower than the title and sort arrow
            width = max(spec.width, metrics.horizontalAdvance(spec.title) + 26)
            header.resizeSection(column, width)
        # Network influence sits next to Power (rated): two kinds of influence side by side.
        header.moveSection(
            header.visualIndex(Col.NETWORK_INFLUENCE), header.visualIndex(Col.INFLUENCE) + 1
        )
        # Where each person stands comes right after their name, so a narrow window still
        # shows the key columns (name, attitude, readiness) without a sideways scroll.
        for visual, column in enumerate((Col.ATTITUDE, Col.READINESS), start=1):
            header.moveSection(header.visualIndex(column), visual)
