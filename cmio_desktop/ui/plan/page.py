"""PlanPage: engagement activities, the timeline, communications and training for the current
initiative. Data loads when the page (and tab) is shown and again when the facade announces a
change; every edit is an undo command (``actions``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.services import initiatives
from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.plan import activities as plan
from cmio_desktop.services.plan import communications, training
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.lazy_tabs import LazyTabsMixin
from cmio_desktop.ui.page_heading import PageHeading
from cmio_desktop.ui.plan.actions import PlanActions
from cmio_desktop.ui.plan.activities_tab import ActivitiesTab
from cmio_desktop.ui.plan.comms_tab import CommunicationsTab
from cmio_desktop.ui.plan.due_panel import DueSoonPanel
from cmio_desktop.ui.plan.timeline_chart import TimelineChart, TimelineData, window
from cmio_desktop.ui.plan.training_tab import TrainingTab

TABS = ("activities", "timeline", "communications", "training")
#: The tabs each kind of change makes stale (kinds not listed: every tab).
KIND_TABS = {
    ChangeKind.ACTIVITY: ("activities", "timeline"),
    ChangeKind.COMMUNICATION: ("communications", "timeline"),
    ChangeKind.TRAINING: ("training",),
    ChangeKind.ASSESSMENT: (),
}


class PlanPage(LazyTabsMixin, QWidget):
    #: Activities, timeline, communications and training (completion by person).
    DEPENDS_ON = frozenset(
        {
            ChangeKind.ACTIVITY,
            ChangeKind.COMMUNICATION,
            ChangeKind.TRAINING,
            ChangeKind.INITIATIVE,
            ChangeKind.PHASE,
            ChangeKind.MILESTONE,
            ChangeKind.STAKEHOLDER,
            ChangeKind.ASSESSMENT,
        }
    )

    tab_names = TABS

    refreshed = Signal(str)  # the tab that was (re)loaded

    def __init__(
        self, facade: WorkspaceFacade, clock: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.facade = facade
        self.clock = clock
        self.stale = set(TABS)
        self.initiative: initiatives.InitiativeRow | None = None
        self.edits = PlanActions(self, facade, lambda: self.clock())
        self._build()
        self._connect()

    def _build(self) -> None:
        heading = PageHeading("Plan")
        self.caption = heading.caption
        self.activities = ActivitiesTab(lambda: self.clock())
        self.timeline = TimelineChart()
        self.show_closed = QCheckBox("Show done and cancelled activities")
        self.show_closed.setChecked(True)
        self.show_closed.toggled.connect(self._on_show_closed_toggled)
        self.due_panel = DueSoonPanel()
        timeline_box = QWidget()
        timeline_layout = QGridLayout(timeline_box)
        timeline_layout.setContentsMargins(0, 8, 0, 0)
        timeline_layout.addWidget(self.show_closed, 0, 0)
        timeline_scroll = QScrollArea()  # a long plan scrolls instead of squeezing its rows
        timeline_scroll.setWidgetResizable(True)
        timeline_scroll.setFrameShape(QFrame.Shape.NoFrame)
        timeline_scroll.setWidget(self.timeline)
        self.timeline_scroll = timeline_scroll
        timeline_layout.addWidget(timeline_scroll, 1, 0)
        timeline_layout.addWidget(self.due_panel, 0, 1, 2, 1)
        timeline_layout.setColumnStretch(0, 1)
        self.comms = CommunicationsTab(lambda: self.clock())
        self.training = TrainingTab()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.activities, "Activities")
        self.tabs.addTab(timeline_box, "Timeline")
        self.tabs.addTab(self.comms, "Communications")
        self.tabs.addTab(self.training, "Training")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 12)
        layout.addLayout(heading)
        layout.addWidget(self.tabs, 1)

    def _connect(self) -> None:
        a, owners = self.edits, lambda: [o for o in plan.owners(self.activities.model.records)]
        self.activities.add_requested.connect(lambda: a.add_activity(owners()))
        self.activities.edit_requested.connect(lambda row: a.edit_activity(row, owners()))
        self.activities.delete_requested.connect(a.delete_activities)
        self.activities.done_requested.connect(a.mark_done)
        self.activities.generate_requested.connect(a.generate)
        self.comms.add_requested.connect(a.add_communication)
        self.comms.edit_requested.connect(a.edit_communication)
        self.comms.delete_requested.connect(a.delete_communications)
        self.training.add_course_requested.connect(a.add_course)
        self.training.edit_course_requested.connect(a.edit_course)
        self.training.delete_course_requested.connect(a.delete_courses)
        self.training.mark_requested.connect(a.mark_training)
        self.training.course_selected.connect(self._load_roster)
        self.timeline.activity_clicked.connect(self._on_timeline_activity_clicked)
        self.due_panel.activity_chosen.connect(self._on_timeline_activity_clicked)
        self.tabs.currentChanged.connect(lambda _i: self.refresh_if_stale())
        self.facade.opened.connect(lambda: self.invalidate(TABS))
        self.facade.initiative_changed.connect(lambda _i: self.invalidate(TABS))
        self.facade.changed.connect(self._on_facade_changed)

    def command_actions(self) -> list[QAction]:
        """The current tab's commands, for the Edit menu (the timeline offers New activity and
        Generate plan: the others act on the activities table's selection)."""
        tab = self.current_tab()
        if tab == "communications":
            return self.comms.command_actions()
        if tab == "training":
            return self.training.command_actions()
        if tab == "timeline":
            c = self.activities.commands
            return [c["plan.activity.add"], c["plan.activity.generate"]]
        return self.activities.command_actions()

    # -- refresh -----------------------------------------------------------------------------------
    def _on_facade_changed(self, change: ChangeSet) -> None:
        if change.touches(self.DEPENDS_ON):
            self._on_data_changed(change)

    def _on_data_changed(self, change: ChangeSet) -> None:
        if change.touches(self.DEPENDS_ON - KIND_TABS.keys()):
            self.invalidate(TABS)
        else:
            self.invalidate({t for k in change.kinds & KIND_TABS.keys() for t in KIND_TABS[k]})

    def show_route(self, tab: str | None, filter_: str | None = None) -> None:
        """Open a tab; on Activities, ``filter_`` "overdue" or "due" (in the next 14 days)."""
        if tab in TABS:
            self.tabs.setCurrentIndex(TABS.index(tab))
        if filter_ in ("overdue", "due"):
            self.activities.show_quick("overdue" if filter_ == "overdue" else "soon")

    def refresh(self, tab: str | None = None) -> None:
        """Load one tab now (default: the current one)."""
        tab = tab or self.current_tab()
        self.stale.discard(tab)
        ws, iid, today = self.facade.ws, self.facade.initiative_id, self.clock()
        if iid is None:
            self.caption.setText("No initiative yet — create one with the Initiatives button.")
            return
        try:
            self.initiative = initiatives.get_initiative(ws, iid)
        except ServiceError:
            return
        self._update_caption(today)
        go_live = self.initiative.go_live
        if tab == "activities":
            self.activities.set_rows(plan.list_activities(ws, iid, today), go_live)
        elif tab == "timeline":
            rows = plan.list_activities(ws, iid, today)
            comms = communications.list_communications(ws, iid, today, go_live)
            phases = self.initiative.phases
            start, end = window(TimelineData(today, go_live, rows, phases))
            sends = communications.communication_occurrences(comms, start, end)
            data = TimelineData(today, go_live, rows, self.initiative.phases,
                                self.initiative.milestones, sends)  # fmt: skip
            self.timeline.set_data(data)
            self.due_panel.set_rows(rows, today)
        elif tab == "communications":
            self.comms.set_rows(communications.list_communications(ws, iid, today, go_live),
                                go_live)  # fmt: skip
        elif tab == "training":
            self.training.set_overview(training.training_overview(ws, iid))
        self.refreshed.emit(tab)

    def _update_caption(self, today: date) -> None:
        i = self.initiative
        if i is None:
            return
        if i.go_live is None:
            self.caption.setText(f"{i.name} · no go-live date set")
            return
        days = (i.go_live - today).days
        when = f"{days} days to go" if days >= 0 else f"{-days} days after go-live"
        self.caption.setText(f"{i.name} · go-live {i.go_live:%a %d %b %Y} · {when}")

    def _load_roster(self, course_id: int) -> None:
        course = next((c for c in self.training.courses.records if c.id == course_id), None)
        if course is None:
            return
        try:
            rows = training.course_roster(self.facade.ws, course_id)
        except ServiceError:
            return
        self.training.set_roster(course, rows)

    def _on_show_closed_toggled(self, checked: bool) -> None:
        self.timeline.show_closed = checked
        self.timeline.update_minimum_height()
        self.timeline.request_redraw()

    def _on_timeline_activity_clicked(self, ident: int) -> None:
        self.tabs.setCurrentIndex(TABS.index("activities"))
        self.activities.reveal(ident)
