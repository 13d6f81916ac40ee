"""NetworkPage: the influence network, its rankings, readiness by group, and the ties.

All computation runs on pool threads (``TaskRunner``) with progress and Cancel: the analysis
(its GIL-holding graph metrics in a child process above ``IN_THREAD_MAX_TIES``), then the
view (filters, aggregation, layout). Edits anywhere re-run it, debounced; a hidden page only
marks itself stale and recomputes when shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.services.network.analysis import RANKING_KINDS, NetworkAnalysis
from cmio_desktop.ui.action_set import ActionSet
from cmio_desktop.ui.actions import spec
from cmio_desktop.ui.busy_bar import BusyBar
from cmio_desktop.ui.charts import SAVE_FILTERS
from cmio_desktop.ui.common.tasks import IN_THREAD_MAX_TIES, Task, TaskRunner
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.file_dialogs import ask_save_path
from cmio_desktop.ui.network.controls import NetworkControls
from cmio_desktop.ui.network.jobs import analysis_job, relationships_job, view_job
from cmio_desktop.ui.network.ranking import RankingPanel
from cmio_desktop.ui.network.relationships import RelationshipsPanel
from cmio_desktop.ui.network.summary import SummaryPanel
from cmio_desktop.ui.network.tie_dialog import TieActions
from cmio_desktop.ui.network.ties_panel import TiesPanel
from cmio_desktop.ui.network.view import NetworkView
from cmio_desktop.ui.network.view_data import DEFAULT_THRESHOLD, NetworkIndex, ViewGraph
from cmio_desktop.ui.page_heading import PageHeading

SOURCE = "network"
DEBOUNCE_MS = 300
ANALYSIS, VIEW, RELATIONSHIPS = "analysis", "view", "relationships"  # task keys


class NetworkPage(QWidget):
    #: The network, its metrics and readiness overlay.
    DEPENDS_ON = frozenset(
        {
            ChangeKind.STAKEHOLDER,
            ChangeKind.RELATIONSHIP,
            ChangeKind.ASSESSMENT,
            ChangeKind.INITIATIVE,
            ChangeKind.WORKSPACE_SETTING,
        }
    )

    analysis_ready = Signal()
    view_ready = Signal()
    relationships_ready = Signal()

    def __init__(
        self,
        facade: WorkspaceFacade,
        parent: QWidget | None = None,
        *,
        aggregate_threshold: int = DEFAULT_THRESHOLD,
        in_thread_max_ties: int = IN_THREAD_MAX_TIES,
    ) -> None:
        super().__init__(parent)
        self.facade = facade
        self.aggregate_threshold = aggregate_threshold
        self.in_thread_max_ties = in_thread_max_ties
        self.runner = TaskRunner(parent=self)
        self.analysis: NetworkAnalysis | None = None
        self.index: NetworkIndex | None = None
        self.graph: ViewGraph | None = None
        self.selected: int | None = None
        self._stale = True
        self._relationships_stale = True
        self._after_edit = False  # the next analysis follows an edit: keep the picture still
        self._keep_view = False
        self._build()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        facade.opened.connect(self._on_facade_opened)
        facade.changed.connect(self._on_facade_changed)
        facade.selection_changed.connect(self._on_facade_selection_changed)
        facade.initiative_changed.connect(self._on_facade_initiative_changed)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # -- construction ---------------------------------------------------------------------------
    def _build(self) -> None:
        header = PageHeading("Network", align_bottom=False, wrap=True)
        self.summary = header.caption
        self.busy = BusyBar(bar_width=160)
        self.busy.cancel_requested.connect(self.cancel)
        header.addWidget(self.busy)

        self.controls = NetworkControls()
        self.controls.filters_changed.connect(self._on_controls_filters_changed)
        self.controls.colour_changed.connect(self._on_controls_colour_changed)

        self.view = NetworkView()
        self.view.person_clicked.connect(self._on_view_person_clicked)
        self.view.cluster_activated.connect(self._on_view_cluster_activated)
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        self.view_caption = QLabel("")
        self.view_caption.setObjectName("muted")
        tools.addWidget(self.view_caption, 1)
        self.view_commands = ActionSet(
            self,
            {
                "network.view.zoom_out": self._on_zoom_out,
                "network.view.zoom_in": self._on_zoom_in,
                "network.view.fit": self.view.fit,
                "network.view.save_image": self.save_dialog,
            },
        )
        for action_id in ("zoom_out", "zoom_in", "fit", "save_image"):
            full_id = f"network.view.{action_id}"
            button = self.view_commands.bind(full_id, QToolButton())
            button.setText(spec(full_id).button_text)
            tools.addWidget(button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(4)
        left_layout.addLayout(tools)
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.view.legend)

        self.rankings = RankingPanel()
        self.rankings.person_activated.connect(self._on_person_activated)
        self.readiness = SummaryPanel()
        self.relationships = RelationshipsPanel()
        self.tie_actions = TieActions(self.facade, self)
        self.relationships.add_requested.connect(self._on_relationships_add_requested)
        self.relationships.edit_requested.connect(self.tie_actions.edit)
        self.relationships.delete_requested.connect(self.tie_actions.delete)
        self.ties = TiesPanel(self.facade)
        self.ties.person_activated.connect(self._on_person_activated)
        self.side = QTabWidget()
        self.side.setDocumentMode(True)
        self.side.addTab(self.rankings, "Rankings")
        self.side.addTab(self.readiness, "Readiness")
        self.side.addTab(self.relationships, "Relationships")
        self.side.addTab(self.ties, "Selected person")
        self.side.currentChanged.connect(self._on_side_current_changed)
        self.side.setMinimumWidth(500)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([600, 540])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.addLayout(header)
        layout.addWidget(self.controls)
        layout.addWidget(self.splitter, 1)

    # -- refreshing -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Recompute the analysis (cached per revision) and then the view."""
        if self.facade.workspace is None:
            return
        self._stale = False
        self.runner.discard(VIEW)
        self.busy.start("Analysing the network…")
        task = self.runner.start(
            analysis_job,
            self.facade.ws,
            self.facade.initiative_id,
            self.in_thread_max_ties,
            name="network analysis",
            key=ANALYSIS,
        )
        self._wire(task, self._on_analysis_finished)
        if self.side.currentWidget() is self.relationships or not self._relationships_stale:
            self._load_relationships()

    def _load_relationships(self) -> None:
        self._relationships_stale = False
        task = self.runner.start(
            relationships_job, self.facade.ws, name="relationships", key=RELATIONSHIPS
        )
        task.finished.connect(self._on_relationships_finished)
        task.failed.connect(self._on_task_failed)

    def request_view(self, previous: dict[int, tuple[float, float]] | None = None) -> None:
        """Recompute what the view shows (filters, ego, clusters) from the current analysis;
        ``previous`` positions keep the drawing in place after an edit."""
        if self.index is None:
            return
        filters = self.controls.filters(self.selected, self.aggregate_threshold)
        self.busy.start("Laying out the network…")
        task = self.runner.start(
            view_job, self.index, filters, previous, name="network view", key=VIEW
        )
        self._wire(task, self._on_view_finished)

    def _wire(self, task: Task, on_finished: Any) -> None:
        task.progress.connect(self._on_task_progress)
        task.finished.connect(on_finished)
        task.failed.connect(self._on_task_failed)
        task.cancelled.connect(self._on_task_cancelled)

    def cancel(self) -> None:
        for key in (ANALYSIS, VIEW, RELATIONSHIPS):
            self.runner.cancel(key)
        self.busy.stop("Cancelled")

    def shutdown(self) -> None:
        """Cancel background work and wait for it (application exit, tests)."""
        self._debounce.stop()
        self.runner.cancel_all()
        self.runner.wait(10_000)

    # -- task results (UI thread) ----------------------------------------------------------------
    def _on_task_progress(self, percent: int, text: str) -> None:
        if self._is_latest(self.sender(), ANALYSIS, VIEW):
            self.busy.show_progress(percent, text)

    def _on_analysis_finished(self, result: tuple[NetworkAnalysis, NetworkIndex]) -> None:
        if not self._is_latest(self.sender(), ANALYSIS):
            return
        previous: dict[int, tuple[float, float]] = {}
        if self._after_edit and self.graph is not None and self.analysis is not None:
            previous = self.graph.unit_positions(self.analysis.ids)
        self._keep_view = bool(previous)
        self._after_edit = False
        self.analysis, self.index = result
        a = self.analysis
        self.controls.set_index(self.index)
        self.rankings.set_analysis(a)
        self.readiness.set_analysis(a)
        self.summary.setText(_summary_text(a))
        if self.selected is not None and a.position_of(self.selected) is None:
            self.selected = None
        self.analysis_ready.emit()
        self.request_view(previous or None)

    def _on_view_finished(self, graph: ViewGraph) -> None:
        if not self._is_latest(self.sender(), VIEW) or self.analysis is None:
            return
        self.graph = graph
        selected = [self.selected] if self.selected is not None else []
        keep, self._keep_view = self._keep_view, False
        self.view.show_graph(
            self.analysis, graph, self.controls.colour_by, selected, keep_view=keep
        )
        if graph.scope is not None or self.rankings.within is not None:
            self.rankings.set_analysis(self.analysis, graph.scope)
            self.rankings.select_person(self.selected)
        self.view_caption.setText(_caption(graph))
        self.busy.stop()
        self.view_ready.emit()

    def _on_relationships_finished(self, rows: Any) -> None:
        if not self._is_latest(self.sender(), RELATIONSHIPS):
            return
        self.relationships.set_rows(rows)
        self.relationships.set_selected_person(self.selected)
        self.relationships_ready.emit()

    def _on_task_failed(self, message: str) -> None:
        self.busy.fail(f"Could not analyse the network: {message}")

    def _on_task_cancelled(self) -> None:
        if self._is_latest(self.sender(), ANALYSIS, VIEW):
            self.busy.stop("Cancelled")

    def _is_latest(self, sender: object, *keys: str) -> bool:
        return isinstance(sender, Task) and sender.key in keys and self.runner.is_current(sender)

    # -- facade ---------------------------------------------------------------------------------
    def _on_facade_opened(self) -> None:
        for key in (ANALYSIS, VIEW, RELATIONSHIPS):
            self.runner.discard(key)
        self.analysis = self.index = self.graph = None
        self.selected = None
        self.rankings.set_analysis(None)
        self.readiness.set_analysis(None)
        self.controls.set_index(None)
        self._stale = self._relationships_stale = True
        if self.isVisible():
            self.refresh()

    def _on_facade_changed(self, change: ChangeSet) -> None:
        if change.touches(self.DEPENDS_ON):
            self._on_data_changed(change)

    def _on_data_changed(self, change: ChangeSet) -> None:
        # Readiness alone leaves the tie list as it was.
        self._relationships_stale = self._relationships_stale or change.touches(
            self.DEPENDS_ON - {ChangeKind.ASSESSMENT}
        )
        self._stale = True
        self._after_edit = True
        self._debounce.start()

    def _on_facade_initiative_changed(self, _initiative_id: int) -> None:
        self._stale = True  # readiness and hot spots follow; the graph metrics are cached
        self._debounce.start()

    def _on_debounce_timeout(self) -> None:
        if self.isVisible():
            self.refresh()

    def _on_facade_selection_changed(self, ids: list[int], source: str) -> None:
        if source == SOURCE:
            return
        self._select(int(ids[0]) if ids else None, center=True)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale and self.facade.workspace is not None:
            self.refresh()

    # -- user actions ---------------------------------------------------------------------------
    def _select(self, person_id: int | None, center: bool) -> None:
        self.selected = person_id
        self.view.set_selection([person_id] if person_id is not None else [], center=center)
        self.rankings.select_person(person_id)
        self.ties.set_person(person_id)
        self.relationships.set_selected_person(person_id)
        if self.controls.ego.currentData() and self.index is not None:
            self.request_view()

    def _on_view_person_clicked(self, person_id: int) -> None:
        self._select(person_id, center=False)
        self.facade.select_people([person_id], SOURCE)

    def _on_person_activated(self, person_id: int) -> None:
        self._select(person_id, center=True)
        self.facade.select_people([person_id], SOURCE)

    def _on_view_cluster_activated(self, key: str) -> None:
        if self.graph is None:
            return
        if self.graph.cluster_by == "community":
            if key.isdigit():  # not the "No ties" / "Smaller communities" clusters
                self.controls.set_community(int(key))
        else:
            self.controls.set_department(key)

    def _on_zoom_in(self) -> None:
        self.view.zoom_by(1.25)

    def _on_zoom_out(self) -> None:
        self.view.zoom_by(1 / 1.25)

    def _on_controls_filters_changed(self) -> None:
        self.request_view()

    def _on_controls_colour_changed(self, colour_by: str) -> None:
        self.view.set_colour_by(colour_by)  # type: ignore[arg-type]

    def _on_side_current_changed(self, _index: int) -> None:
        if self.side.currentWidget() is self.relationships and self._relationships_stale:
            self._load_relationships()

    def command_actions(self) -> list[QAction]:
        """The view's commands (for the View menu) and the open side tab's (for Edit); Add tie
        is offered on every tab (it starts from the selected person)."""
        side = self.side.currentWidget()
        if side in (self.relationships, self.ties):
            tab = side.command_actions()
        else:
            tab = [self.relationships.commands["network.tie.add"]]
        return [*self.view_commands, *tab]

    def focus_target(self) -> QWidget | None:
        """The open ranking's table, so a keyboard user lands on its people."""
        return self.rankings.table if self.side.currentWidget() is self.rankings else None

    def show_route(self, tab: str | None, _filter: str | None = None) -> None:
        """Show one ranking (e.g. "key_resisters", "hot_spots") over everyone, or the
        "readiness" side tab — where the dashboard's cards land."""
        self.controls.clear()  # everyone, as the card counts them
        if tab == "readiness":
            self.side.setCurrentWidget(self.readiness)
        elif tab in RANKING_KINDS:
            self.side.setCurrentWidget(self.rankings)
            self.rankings.show_kind(tab)  # type: ignore[arg-type]

    def _on_relationships_add_requested(self) -> None:
        self.tie_actions.add(source_id=self.selected)

    def save_dialog(self) -> None:
        target = ask_save_path(
            self, "Save network image", "image", "influence-network.png", SAVE_FILTERS
        )
        if target is None:
            return
        from cmio_desktop.io.export_target import ExportError

        try:
            self.view.save_image(target, self.image_title())
        except ExportError as exc:
            show_error(self, "Cannot save image", str(exc))
        except OSError as exc:
            show_error(self, "Cannot save image", f"The image could not be saved: {exc}")

    def image_title(self) -> str:
        if self.analysis is None or self.facade.workspace is None:
            return "Influence network"
        return f"Influence network — {self.facade.ws.name} · {_caption(self.graph)}"


def _summary_text(a: NetworkAnalysis) -> str:
    info = a.betweenness_info
    if info.mode == "exact":
        method = "betweenness exact"
    else:
        error = f", ±{info.relative_error:.0%}" if info.relative_error is not None else ""
        method = f"betweenness sampled ({info.pivots:,} pivots, seed {info.seed}{error})"
    return (
        f"{a.n:,} people · {a.tie_count:,} ties · {len(a.community_names):,} communities "
        f"(modularity {a.modularity:.2f}) · {method}"
    )


def _caption(graph: ViewGraph | None) -> str:
    if graph is None or graph.mode == "empty":
        return graph.note if graph is not None else ""
    if graph.mode == "clusters":
        what = "communities" if graph.cluster_by == "community" else "departments"
        return f"{graph.matching:,} people in {len(graph.clusters):,} {what}"
    shown = graph.people.size
    ties = graph.edge_a.size
    return f"{shown:,} people · {ties:,} ties shown"
