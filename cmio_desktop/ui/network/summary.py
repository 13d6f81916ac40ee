"""Readiness by stakeholder group or community: headcount vs influence-weighted."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.services.network.analysis import NetworkAnalysis
from cmio_desktop.ui.common.table_model import Column, TableModel, style_headers
from cmio_desktop.ui.common.table_view import tab_leaves
from cmio_desktop.ui.network import palette

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Name", "People", "Assessed", "Readiness", "Weighted", "Hot spots")
HEADER_TIPS = (
    "",
    "People in the group",
    "People with at least one round for the initiative",
    "Mean readiness of the assessed people (headcount)",
    "Network-weighted readiness: Σ network influence × readiness ÷ Σ network influence",
    "Influential people who are not ready, blocked early, or resistant",
)


def _readiness_colour(value: float | None) -> str | None:
    return palette.readiness_colour(value) if value is not None else None


WEIGHTED_TIP = (
    "Σ network influence × readiness ÷ Σ network influence over the assessed "
    "people: the readiness the influential people carry."
)
SUMMARY_COLUMNS = style_headers((
    Column(COLUMNS[0], lambda g: g.label),
    Column(COLUMNS[1], lambda g: f"{g.size:,}", key=lambda g: g.size, align="right",
           header_tip=HEADER_TIPS[1]),
    Column(COLUMNS[2], lambda g: f"{g.assessed:,}", key=lambda g: g.assessed, align="right",
           header_tip=HEADER_TIPS[2]),
    Column(COLUMNS[3], lambda g: _fmt(g.readiness), key=lambda g: g.readiness, align="right",
           colour=lambda g: _readiness_colour(g.readiness), header_tip=HEADER_TIPS[3]),
    Column(COLUMNS[4], lambda g: _fmt(g.influence_weighted), key=lambda g: g.influence_weighted,
           align="right", colour=lambda g: _readiness_colour(g.influence_weighted),
           tooltip=lambda g: WEIGHTED_TIP, header_tip=HEADER_TIPS[4]),
    Column(COLUMNS[5], lambda g: f"{g.hot_spots:,}", key=lambda g: g.hot_spots, align="right",
           header_tip=HEADER_TIPS[5]),
))  # fmt: skip


class SummaryTableModel(TableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(SUMMARY_COLUMNS, id_of=lambda g: g.label, parent=parent)


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


class SummaryPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.analysis: NetworkAnalysis | None = None
        self.by = QComboBox()
        self.by.addItem("Stakeholder groups", "groups")
        self.by.addItem("Communities", "communities")
        self.by.currentIndexChanged.connect(self._on_by_current_index_changed)
        self.model = SummaryTableModel(self)
        self.table = QTableView()
        tab_leaves(self.table)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # the name takes the rest
        for col in range(1, len(COLUMNS)):  # numbers: as wide as their titles need
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.footnote = QLabel()
        self.footnote.setObjectName("muted")
        self.footnote.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Readiness by"))
        top.addWidget(self.by)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.footnote)

    def set_analysis(self, analysis: NetworkAnalysis | None) -> None:
        self.analysis = analysis
        self._reload()

    def _reload(self) -> None:
        a = self.analysis
        if a is None:
            self.model.set_rows([])
            self.footnote.setText("")
            return
        self.model.set_rows(a.groups if self.by.currentData() == "groups" else a.communities)
        initiative = a.initiative_name or "no initiative"
        self.footnote.setText(
            f"Latest round per person for {initiative}. Readiness is the headcount mean over "
            "the assessed; network-weighted gives each person their network influence as weight."
        )

    def _on_by_current_index_changed(self, _index: int) -> None:
        self._reload()
