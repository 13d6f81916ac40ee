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
    champion_coverage,
)
from cmio_desktop.store import Workspace
from cmio_desktop.ui.common.table_model import Column, TableModel
from cmio_desktop.ui.common.table_view import tab_leaves
from cmio_desktop.ui.common.tasks import TaskContext, TaskRunner
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.help_link import HelpLink
from cmio_desktop.ui.lazy_tabs import LazyRefreshMixin
from cmio_desktop.ui.network_metrics import metrics_runner_for

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
_NUMERIC = {0, 3, 4, 5, 6, 7}


def champions_job(ctx: TaskContext, ws: Workspace, initiative_id: int | None) -> ChampionCoverage:
    analysis = network.analyze(
        ws, initiative_id, progress=ctx.progress, metrics_runner=metrics_runner_for(ctx)
    )
    return champion_coverage(analysis)


class ChampionsModel(TableModel):
    """The champions in order of choice, with the running count of people they reach."""

    def __init__(self, parent: Any = None) -> None:
        self._place: dict[int, tuple[int, int]] = {}  # id → (order of choice, reached so far)
        texts = (
            lambda r: str(self._place[r.id][0]),
            lambda r: r.name,
            lambda r: r.department,
            lambda r: f"+{r.marginal_coverage or 0}",
            lambda r: f"{self._place[r.id][1]:,}",
            lambda r: "" if r.readiness is None else f"{r.readiness:.1f}",
            lambda r: f"{r.network_influence:.0f}",
            lambda r: str(r.power_rated),
            lambda r: _attitude_label(r.attitude),
        )
        columns = [
            Column(
                title,
                text,
                align="right" if n in _NUMERIC else "left",
                tooltip=(lambda _r, tip=tip: tip) if tip else None,
                header_tip=tip,
                header_align="cell" if n in _NUMERIC else None,
            )
            for n, (title, text, tip) in enumerate(zip(COLUMNS, texts, TIPS, strict=True))
        ]
        super().__init__(columns, parent=parent)

    def set_coverage(self, coverage: ChampionCoverage | None) -> None:
        rows = coverage.champions if coverage else []
        running, self._place = 0, {}
        for n, row in enumerate(rows):
            running += row.marginal_coverage or 0
            self._place[row.id] = (n + 1, running)
        self.set_rows(rows)


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
        tab_leaves(self.table)
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
        row = self.model.record_at(index)
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
