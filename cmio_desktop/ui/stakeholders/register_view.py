"""The register's table view: row selection, fixed row height, movable sortable columns."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from cmio_desktop.ui.common.table_view import tab_leaves, title_width
from cmio_desktop.ui.stakeholders.register_table import COLUMN_KEYS, COLUMNS
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
        tab_leaves(self)
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
        for column, spec in COLUMNS.items():  # never narrower than the title and sort arrow
            header.resizeSection(column, max(spec.width, title_width(header, spec.title)))
        # Default order: each column that names one to follow sits right after it (attitude
        # and readiness after the name, so a narrow window still shows where each person
        # stands without a sideways scroll; network influence next to power (rated)).
        position = {key: column for column, key in COLUMN_KEYS.items()}
        for column, spec in COLUMNS.items():
            if spec.after is not None and spec.after in position:
                anchor = header.visualIndex(position[spec.after])
                current = header.visualIndex(column)
                header.moveSection(current, anchor + 1 if current > anchor else anchor)
