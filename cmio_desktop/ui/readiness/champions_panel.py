"""ChampionsPanel: the champions — ready supporters chosen as a set to reach the not-ready —
each with the not-ready people they add. Not to be confused with the *people to win over* (the
forecast's what-if targets, on the Forecast tab): champions carry the message, people to win
over are whom it should reach first.

The list is the network analysis' own (``services.key_people.champion_coverage``), loaded off
the UI thread when the tab is first shown after a change; clicking a row selects the person
everywhere.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.enums import Attitude
from cmio_desktop.services.network import analysis as network
from cmio_desktop.services.network.key_people import (
    ChampionCoverage,
    KeyPersonRow,
    champion_coverage,
)
from cmio_desktop.store import Workspace
from cmio_desktop.ui.common.tasks import TaskContext, TaskRunner
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.help_link import HelpLink
from cmio_desktop.ui.lazy_tabs import LazyRefreshMixin
from cmio_desktop.ui.network_metrics import metrics_runner_for
from cmio_desktop.ui.table_base import RowListModel

Index = QModelIndex | QPersistentModelIndex
COLUMNS = (
    "#",
    "Name",
    "Department",
    "Adds",
    "Reached so far",
    "Readiness",
    "Network influence",
    "Power (rated)",
    "Attitude",
)
TIPS = (
    "Order of choice: each pick adds the most not-yet-reached not-ready people",
    "",
    "",
    "Not-ready people this champion adds within two steps downstream (marginal coverage)",
    "Not-ready people reached by this champion and those chosen before",
    "Mean ADKAR score of the latest round (ready: at or above the threshold, no barrier)",
    "Network influence, 0–100: PageRank on who influences whom",
    "Power (rated), 1–5: the Mendelow power score typed in",
    "Current attitude (supportive or leading for every champion)",
)
EXPLANATION = (
    "<b>Champions</b> lead peer activities: supportive or leading, ready, never a key "
    "resister, and chosen <i>as a set</i> — each pick adds the most not-ready people within "
    "two steps downstream who are not yet reached. They are not the <b>people to win over</b> "
    "(the Forecast tab's what-if targets), who are whom the message should reach first."
)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_NUMERIC = {0, 3, 4, 5, 6, 7}


def champions_job(ctx: TaskContext, ws: Workspace, initiative_id: int | None) -> ChampionCoverage:
    analysis = network.analyze(
        ws, initiative_id, progress=ctx.progress, metrics_runner=metrics_runner_for(ctx)
    )
    return champion_coverage(analysis)


class ChampionsModel(RowListModel):
    columns = COLUMNS

    IdRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.reached: list[int] = []

    def set_coverage(self, coverage: ChampionCoverage | None) -> None:
        rows = coverage.champions if coverage else []
        running, reached = 0, []
        for row in rows:
            running += row.marginal_coverage or 0
            reached.append(running)
        self.reached = reached
        self.set_rows(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row: KeyPersonRow | None = self.row_at(index)
        if row is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _NUMERIC:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            return TIPS[col] or None
        if role == self.IdRole:
            return row.id
        return None

    def _text(self, n: int, row: KeyPersonRow, col: int) -> str:
        if col == 0:
            return str(n + 1)
        if col == 1:
            return row.name
        if col == 2:
            return row.department
        if col == 3:
            return f"+{row.marginal_coverage or 0}"
        if col == 4:
            return f"{self.reached[n]:,}"
        if col == 5:
            return "" if row.readiness is None else f"{row.readiness:.1f}"
        if col == 6:
            return f"{row.network_influence:.0f}"
        if col == 7:
            return str(row.power_rated)
        return _attitude_label(row.attitude)

    def headerData(  # noqa: N802
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.ToolTipRole:
                return TIPS[section] or None
            if role == Qt.ItemDataRole.TextAlignmentRole and section in _NUMERIC:
                return _RIGHT
        return super().headerData(section, orientation, role)


class ChampionsPanel(LazyRefreshMixin, QWidget):
    """The Readiness page's Champions tab."""

    people_selected = Signal(list, str)  # ids, description
    loaded = Signal()

    def __init__(self, facade: WorkspaceFacade, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facade = facade
        self.runner = TaskRunner(parent=self)
        self.coverage: ChampionCoverage | None = None
        self.stale = True
        self.explanation = QLabel(EXPLANATION)
        self.help_link = HelpLink("champion")
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.summary = QLabel("")
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        self.model = ChampionsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for col in range(len(COLUMNS) - 1):  # a few rows: fit titles and values exactly
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.clicked.connect(self._on_table_clicked)
        self.table.activated.connect(self._on_table_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(6)
        explanation_row = QHBoxLayout()
        explanation_row.addWidget(self.explanation, 1)
        explanation_row.addWidget(self.help_link, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(explanation_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)

    # -- loading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.stale = False
        if self.facade.workspace is None:
            return
        self.summary.setText("Choosing champions…")
        self.runner.start(
            champions_job, self.facade.ws, self.facade.initiative_id, name="champions",
            key="champions",
        ).then(self._on_finished, self._on_failed)  # fmt: skip

    def shutdown(self) -> None:
        self.runner.cancel_all()

    def _on_finished(self, coverage: ChampionCoverage) -> None:
        if self.facade.workspace is None:
            return
        self.set_coverage(coverage)
        self.loaded.emit()

    def _on_failed(self, message: str) -> None:
        self.summary.setText(f"Could not choose champions: {message}")

    def set_coverage(self, coverage: ChampionCoverage | None) -> None:
        self.coverage = coverage
        self.model.set_coverage(coverage)
        self.summary.setText(summary_text(coverage))

    def _on_table_clicked(self, index: QModelIndex) -> None:
        row = self.model.row_at(index)
        if row is not None:
            self.people_selected.emit([row.id], f"{row.name}, champion")


def summary_text(c: ChampionCoverage | None) -> str:
    if c is None:
        return ""
    if not c.not_ready:
        return "Nobody assessed is not ready: no champions needed (or no readiness rounds yet)."
    if not c.champions:
        return (
            f"No champion: nobody ready and supportive reaches any of the {c.not_ready:,} "
            "not-ready people within two steps."
        )
    people = "champion reaches" if len(c.champions) == 1 else "champions reach"
    share = c.covered / c.not_ready
    return (
        f"{len(c.champions)} {people} {c.covered:,} of {c.not_ready:,} not-ready people "
        f"({share:.0%}) within two steps downstream."
    )


def _attitude_label(value: str) -> str:
    try:
        return Attitude(value).label
    except ValueError:
        return value
