"""GovernancePage: the risk register beside its likelihood × impact matrix, the decisions log
and demand requests. Every add, edit and delete is an undo command."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.services.governance import records as governance
from cmio_desktop.ui.common.record_tab import RecordTab
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.governance.actions import GovernanceActions
from cmio_desktop.ui.governance.risk_matrix import RiskMatrixChart
from cmio_desktop.ui.governance.tables import RISK_COLUMNS, decision_columns, request_columns
from cmio_desktop.ui.lazy_tabs import LazyTabsMixin
from cmio_desktop.ui.page_heading import PageHeading

TABS = ("risks", "decisions", "requests")
TAB_KINDS = {
    ChangeKind.RISK: "risks",
    ChangeKind.DECISION: "decisions",
    ChangeKind.REQUEST: "requests",
}
RISK_FILTERS = (
    ("Open and mitigating", "open"),
    ("All risks", None),
    ("Closed", "closed"),
    ("Critical, not closed", "critical"),
)


class GovernancePage(LazyTabsMixin, QWidget):
    #: Risks (with their linked people), decisions and requests.
    DEPENDS_ON = frozenset(
        {
            ChangeKind.RISK,
            ChangeKind.DECISION,
            ChangeKind.REQUEST,
            ChangeKind.INITIATIVE,
            ChangeKind.STAKEHOLDER,
        }
    )

    tab_names = TABS

    refreshed = Signal(str)

    def __init__(
        self, facade: WorkspaceFacade, clock: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.facade, self.clock = facade, clock
        self.stale = set(TABS)
        self.cell: tuple[int, int] | None = None
        self.edits = GovernanceActions(self, facade, lambda: self.clock())
        self._build()
        self._connect()

    def _build(self) -> None:
        heading = PageHeading("Risks & governance")
        self.caption = heading.caption
        self.risks = RecordTab(
            RISK_COLUMNS, "risk", "risks.risk", stretch=0, sort_column=3, descending=True
        )
        self.risk_filter = QComboBox()
        for label, value in RISK_FILTERS:
            self.risk_filter.addItem(label, value)
        self.risk_filter.currentIndexChanged.connect(self._apply_risk_filter)
        self.risks.bar.insertWidget(1, self.risk_filter)
        self.risk_detail = QLabel()
        self.risk_detail.setObjectName("kpiCard")
        self.risk_detail.setWordWrap(True)
        self.risk_detail.setTextFormat(Qt.TextFormat.RichText)
        self.risk_detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.risk_detail.setMinimumHeight(110)
        self.risk_detail.setContentsMargins(10, 8, 10, 8)
        self.risks.layout_.addWidget(self.risk_detail)
        self.matrix = RiskMatrixChart()
        risk_split = QSplitter(Qt.Orientation.Horizontal)
        risk_split.addWidget(self.risks)
        risk_split.addWidget(self.matrix)
        risk_split.setStretchFactor(0, 1)
        risk_split.setSizes([800, 360])
        self.decisions = RecordTab(
            decision_columns(), "decision", "risks.decision", descending=True
        )
        self.requests = RecordTab(request_columns(), "request", "risks.request", descending=True)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(risk_split, "Risk register")
        self.tabs.addTab(self.decisions, "Decisions log")
        self.tabs.addTab(self.requests, "Demand requests")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 12)
        layout.addLayout(heading)
        layout.addWidget(self.tabs, 1)

    def _connect(self) -> None:
        a = self.edits
        self.risks.add_requested.connect(a.add_risk)
        self.risks.edit_requested.connect(a.edit_risk)
        self.risks.delete_requested.connect(a.delete_risks)
        self.matrix.cell_clicked.connect(self._on_matrix_cell_clicked)
        self.risks.view.selectionModel().selectionChanged.connect(self._show_risk_detail)
        self.risks.model.modelReset.connect(self._show_risk_detail)
        committees = lambda: sorted({r.committee for r in self.decisions.model.records})  # noqa: E731
        self.decisions.add_requested.connect(lambda: a.add_record("decision", committees()))
        self.decisions.edit_requested.connect(lambda r: a.edit_record("decision", r, committees()))
        self.decisions.delete_requested.connect(lambda rows: a.delete_records("decision", rows))
        self.requests.add_requested.connect(lambda: a.add_record("request"))
        self.requests.edit_requested.connect(lambda r: a.edit_record("request", r))
        self.requests.delete_requested.connect(lambda rows: a.delete_records("request", rows))
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.facade.opened.connect(lambda: self.invalidate(TABS))
        self.facade.initiative_changed.connect(lambda _i: self.invalidate(TABS))
        self.facade.changed.connect(self._on_facade_changed)

    def command_actions(self) -> list[QAction]:
        """The current tab's New/Edit/Delete, for the Edit menu."""
        tab = {"risks": self.risks, "decisions": self.decisions, "requests": self.requests}
        return tab[self.current_tab()].command_actions()

    def _on_tab_changed(self, _index: int) -> None:
        self.stale.add(self.current_tab())  # cheap reads; keeps the caption about this tab
        self.refresh_if_stale()

    def _on_facade_changed(self, change: ChangeSet) -> None:
        if change.touches(self.DEPENDS_ON):
            self._on_data_changed(change)

    def _on_data_changed(self, change: ChangeSet) -> None:
        if change.touches(self.DEPENDS_ON - TAB_KINDS.keys()):
            self.invalidate(TABS)
        else:
            self.invalidate({tab for kind, tab in TAB_KINDS.items() if kind in change.kinds})

    def show_route(self, tab: str | None, filter_: str | None = None) -> None:
        """Open a tab; on the risk register, ``filter_`` is a risk filter ("critical")."""
        if tab in TABS:
            self.tabs.setCurrentIndex(TABS.index(tab))
        index = self.risk_filter.findData(filter_) if filter_ else -1
        if index >= 0:
            if self.matrix.selected is not None:  # a cell would narrow the list further
                self.matrix.selected = None
                self.matrix.request_redraw()
            self.cell = None
            self.risk_filter.setCurrentIndex(index)
            self._apply_risk_filter()

    def refresh(self, tab: str | None = None) -> None:
        tab = tab or self.current_tab()
        self.stale.discard(tab)
        iid = self.facade.initiative_id
        if iid is None:
            self.caption.setText("No initiative yet.")
            return
        ws = self.facade.ws
        if tab == "risks":
            rows = governance.list_risks(ws, iid)
            self.risks.set_rows(rows)
            self._apply_risk_filter()
            open_rows = [r for r in rows if r.is_open]
            critical = sum(r.criticality == "critical" for r in open_rows)
            self.caption.setText(f"{len(open_rows)} open risks, {critical} critical")
            self.matrix.set_counts(governance.risk_matrix(rows))
        elif tab == "decisions":
            rows = governance.list_decisions(ws, iid)
            self.decisions.set_rows(rows)
            committees = len({r.committee for r in rows})
            self.caption.setText(f"{len(rows)} decisions by {committees} committees")
        else:
            rows = governance.list_requests(ws, iid)
            self.requests.set_rows(rows)
            waiting = sum(r.status in ("new", "triaged") for r in rows)
            self.caption.setText(f"{waiting} requests waiting for triage or work")
        self.refreshed.emit(tab)

    def _apply_risk_filter(self) -> None:
        mode, cell = self.risk_filter.currentData(), self.cell

        def keep(r: governance.RiskRow) -> bool:
            if mode == "open" and not r.is_open:
                return False
            if mode == "closed" and r.is_open:
                return False
            if mode == "critical" and (not r.is_open or r.criticality != "critical"):
                return False
            return cell is None or (r.likelihood, r.impact) == cell

        self.risks.model.set_predicate(keep)

    def _show_risk_detail(self) -> None:
        rows = self.risks.selected()
        if len(rows) != 1:
            self.risk_detail.setText(
                "<span style='color:#5b6b7c'>Select a risk to see its mitigation and the people "
                "linked to it.</span>"
            )
            return
        r = rows[0]
        people = ", ".join(escape(n) for n in r.people_names) or "nobody linked"
        self.risk_detail.setText(
            f"<b>{escape(r.description)}</b><br>"
            f"Likelihood {r.likelihood} × impact {r.impact} = <b>{r.score}</b> · "
            f"{r.criticality_label} · {r.status_label} · owner {escape(r.owner or 'none')}<br>"
            f"<b>Mitigation:</b> {escape(r.mitigation or 'none recorded')}<br>"
            f"<b>People:</b> {people}"
        )

    def _on_matrix_cell_clicked(self, likelihood: int, impact: int) -> None:
        self.cell = (likelihood, impact) if likelihood else None
        self._apply_risk_filter()
