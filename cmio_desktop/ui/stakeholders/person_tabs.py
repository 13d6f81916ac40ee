"""The rest of a person's story beside their details: ties, readiness rounds, activities and
the engagement log.

The panels come from their own features (network, readiness, plan, engagement); this module
only builds the tabs and tells each panel which person is selected.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.plan.activities import activities_reaching
from cmio_desktop.ui.common.history_panel import HistoryPanel
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.network.ties_panel import TiesPanel
from cmio_desktop.ui.readiness.assessment_editor import AssessmentEditor
from cmio_desktop.ui.stakeholders.engagement_log import EngagementLogPanel


class PersonActivitiesPanel(QWidget):
    """The engagement activities whose audience includes the person (read-only summary)."""

    #: The activities reaching one person (by name, department or group).
    DEPENDS_ON = frozenset({ChangeKind.ACTIVITY, ChangeKind.STAKEHOLDER, ChangeKind.INITIATIVE})

    def __init__(self, facade: WorkspaceFacade, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facade = facade
        self.person_id: int | None = None
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(scroll)
        facade.changed.connect(self._on_facade_changed)
        facade.initiative_changed.connect(lambda _id: self.reload())

    def _on_facade_changed(self, change: ChangeSet) -> None:
        if change.touches(self.DEPENDS_ON):
            self._on_data_changed(change)

    def _on_data_changed(self, _change: ChangeSet) -> None:
        self.reload()

    def set_person(self, person_id: int | None) -> None:
        self.person_id = person_id
        self.reload()

    def reload(self) -> None:
        if self.person_id is None or self.facade.workspace is None:
            self.text.setText("<i>Select one person to see the activities that reach them.</i>")
            return
        try:
            rows = activities_reaching(self.facade.ws, self.person_id, self.facade.initiative_id)
        except ServiceError as exc:
            self.text.setText(escape(str(exc)))
            return
        if not rows:
            self.text.setText("<i>No planned activity reaches this person yet.</i>")
            return
        items = []
        for row in rows:
            due = f"{row.due:%d %b %Y}" if row.due else "no due date"
            flag = " <b style='color:#b91c1c'>overdue</b>" if row.overdue else ""
            element = f" · {escape(row.element_label)}" if row.element else ""
            items.append(
                f"<p><b>{escape(row.title)}</b><br>{escape(row.type_label)}{element} · "
                f"due {due} · {escape(row.status.replace('_', ' '))}{flag}</p>"
            )
        self.text.setText("".join(items))


class PersonTabs:
    """Adds Ties, Readiness, Activities and Engagement log tabs to the page's detail tabs."""

    def __init__(self, facade: WorkspaceFacade, tabs: QTabWidget) -> None:
        self.ties = TiesPanel(facade)
        self.readiness = AssessmentEditor(facade)
        self.activities = PersonActivitiesPanel(facade)
        self.history = HistoryPanel(facade, layout="compact")
        self.log = EngagementLogPanel(facade)
        tabs.addTab(self.ties, "Ties")
        tabs.addTab(self.readiness, "Readiness")
        tabs.addTab(self.activities, "Activities")
        # Short names: seven tabs fit the person pane of a 1024 px window without scrolling.
        log_tab = tabs.addTab(self.log, "Log")
        tabs.setTabToolTip(log_tab, "Engagement log: contacts, commitments and sentiment")
        history_tab = tabs.addTab(self.history, "History")
        tabs.setTabToolTip(history_tab, "Who changed this person's records, and when")

    def command_actions(self, shown: QWidget | None) -> list[QAction]:
        """The engagement log's Log contact…/Edit…/Delete while its tab is the one shown."""
        return self.log.entries.command_actions() if shown is self.log else []

    def set_person(self, person_id: int | None, name: str = "") -> None:
        self.ties.set_person(person_id)
        self.readiness.set_person(person_id, name)
        self.activities.set_person(person_id)
        self.history.set_person(person_id)
        self.log.set_person(person_id, name)
