"""The ranking panel: top influencers, brokers, hot spots and isolates, each with its reason.
Clicking a row selects the person everywhere."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.analysis.network_rankings import ranked_positions
from cmio_desktop.services.network.analysis import (
    RANKING_KINDS,
    NetworkAnalysis,
    RankingKind,
    RankingRow,
    ranking,
)
from cmio_desktop.ui.common.table_model import Column, TableModel, style_headers
from cmio_desktop.ui.common.table_view import tab_leaves
from cmio_desktop.ui.help_link import HelpLink

Index = QModelIndex | QPersistentModelIndex
LIMIT = 200
#: Listed in full: the dashboard card and the go-live criterion count every one of them.
UNLIMITED: frozenset[RankingKind] = frozenset({"key_resisters", "champions"})
TITLES: dict[RankingKind, str] = {
    "influencers": "Influencers",
    "key_resisters": "Key resisters",
    "champions": "Champions",
    "brokers": "Brokers",
    "hot_spots": "Hot spots",
    "isolates": "Isolates",
}
SCORE_TITLES: dict[RankingKind, str] = {
    "influencers": "Network influence",
    "key_resisters": "Network influence",
    "champions": "Coverage",
    "brokers": "Betweenness",
    "hot_spots": "Network influence",
    "isolates": "Network influence",
}
EXPLAIN: dict[RankingKind, str] = {
    "influencers": "Network influence: weighted PageRank on who influences whom, top person = 100.",
    "key_resisters": "Resistant, unaware or desire ≤ 2, and a key player or in the top 10 % of "
    "network influence. The same list as the dashboard, register filter and go-live criterion.",
    "champions": "Ready supporters chosen as a set: each adds the most not-ready people "
    "within two steps downstream. Never a key resister.",
    "brokers": "Top-decile betweenness with ties into at least two communities.",
    "hot_spots": "Top-quartile network influence and not ready, blocked at awareness/desire, "
    "or resistant.",
    "isolates": "People with no recorded influence ties.",
}
COLUMNS = ("#", "Name", "Score", "Why")


class RankingTableModel(TableModel):
    """One ranking, best first; the "#" column is the place in the list."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(_columns("influencers"), id_of=lambda r: r.person_id, parent=parent)
        self.kind: RankingKind = "influencers"

    def set_rows(self, kind: RankingKind, rows: list[RankingRow]) -> None:  # type: ignore[override]
        self.kind = kind
        self.set_columns(_columns(kind), rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.column() == 0 and index.isValid():
            return str(index.row() + 1) if index.row() < self.rowCount() else None
        return super().data(index, role)


def _columns(kind: RankingKind) -> list[Column]:
    tip = lambda r: f"{r.name} — {r.department}\n{r.reason}"  # noqa: E731
    return style_headers([
        Column(COLUMNS[0], lambda r: "", align="right", tooltip=tip),
        Column(COLUMNS[1], lambda r: f"{r.name}\n{r.department}" if r.department else r.name,
               tooltip=tip),
        Column(SCORE_TITLES[kind], lambda r: r.score_text, align="right", tooltip=tip),
        Column(COLUMNS[3], lambda r: r.reason, tooltip=tip),
    ])  # fmt: skip


# The glossary entry behind each ranking (the "?" beside the tabs follows the one shown).
HELP_TERMS: dict[RankingKind, str] = {
    "influencers": "network-influence",
    "key_resisters": "key-resister",
    "champions": "champion",
    "brokers": "network-influence",
    "hot_spots": "hot-spot",
    "isolates": "network-influence",
}


class RankingPanel(QWidget):
    person_activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.analysis: NetworkAnalysis | None = None
        self.within: np.ndarray | None = None
        self.tabs = QTabBar()
        self.tabs.setExpanding(False)
        self.tabs.setDocumentMode(True)
        for kind in RANKING_KINDS:
            self.tabs.addTab(TITLES[kind])
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.model = RankingTableModel(self)
        self.table = QTableView()
        tab_leaves(self.table)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)  # reasons take two lines; rows have a fixed height
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(40)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for col, width in enumerate((30, 170, 88)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        # "Network influence", "Betweenness", "Coverage": the title decides the width
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.clicked.connect(self._on_table_clicked)
        self.table.activated.connect(self._on_table_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        self.help_link = HelpLink(HELP_TERMS[RANKING_KINDS[0]])
        tabs_row = QHBoxLayout()
        tabs_row.setContentsMargins(0, 0, 0, 0)
        tabs_row.addWidget(self.tabs, 1)
        tabs_row.addWidget(self.help_link)
        layout.addLayout(tabs_row)
        layout.addWidget(self.table, 1)

    @property
    def kind(self) -> RankingKind:
        return RANKING_KINDS[max(0, self.tabs.currentIndex())]

    def set_analysis(
        self, analysis: NetworkAnalysis | None, within: np.ndarray | None = None
    ) -> None:
        """Rank everyone, or only the people ``within`` (a mask: the filtered view)."""
        self.analysis, self.within = analysis, within
        for i, kind in enumerate(RANKING_KINDS):
            count = "" if analysis is None else _count(analysis, kind, within)
            self.tabs.setTabText(i, f"{TITLES[kind]} {count}".strip())
            scope = "" if within is None else " Only people in the filtered view are listed."
            self.tabs.setTabToolTip(i, EXPLAIN[kind] + scope)
        self._reload()

    def show_kind(self, kind: RankingKind) -> None:
        self.tabs.setCurrentIndex(RANKING_KINDS.index(kind))

    def select_person(self, person_id: int | None) -> None:
        row = None if person_id is None else self.model.row_of(person_id)
        if row is None:
            self.table.clearSelection()
            return
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def _reload(self) -> None:
        a = self.analysis
        limit = None if self.kind in UNLIMITED else LIMIT
        rows = [] if a is None else ranking(a, self.kind, limit, self.within)
        self.model.set_rows(self.kind, rows)

    def _on_tabs_current_changed(self, _index: int) -> None:
        self.help_link.set_anchor(HELP_TERMS[self.kind])
        self._reload()

    def _on_table_clicked(self, index: QModelIndex) -> None:
        person = self.model.data(index, RankingTableModel.IdRole)
        if person is not None:
            self.person_activated.emit(int(person))


def _count(a: NetworkAnalysis, kind: RankingKind, within: np.ndarray | None) -> str:
    if kind == "influencers":
        return ""
    return f"({len(ranked_positions(a, kind, within)):,})"
