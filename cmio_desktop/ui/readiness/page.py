"""ReadinessPage: ADKAR readiness by group (heat map, barrier points, trend, headcount vs
influence, who dropped) and the forecast to go-live with what-if and people to win over.

Data loads on pool threads (``TaskRunner``) with progress and Cancel; every grouping is
summarised in the same job so switching is instant. Edits anywhere (assessments, settings,
people, ties, plan) mark the page stale and reload it, debounced; a hidden page reloads when
shown. Clicking people selects them everywhere through the facade.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.services import analysis_settings as readiness_settings
from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.services.readiness.forecast import ForecastRun, save_forecast_parameters
from cmio_desktop.services.readiness.overview import caption
from cmio_desktop.ui.action_set import ActionSet
from cmio_desktop.ui.busy_bar import BusyBar
from cmio_desktop.ui.common.tasks import IN_THREAD_MAX_TIES, TaskRunner
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.page_heading import PageHeading
from cmio_desktop.ui.readiness.champions_panel import ChampionsPanel
from cmio_desktop.ui.readiness.commands import ChangeSettingsCommand, push
from cmio_desktop.ui.readiness.forecast_panel import ForecastPanel
from cmio_desktop.ui.readiness.jobs import Overview, forecast_job, overview_job
from cmio_desktop.ui.readiness.overview_panel import OverviewPanel
from cmio_desktop.ui.readiness.settings_bar import ReadinessSettingsBar
from cmio_desktop.ui.readiness.survey_dialog import SurveyRoundDialog

SOURCE = "readiness"
DEBOUNCE_MS = 250
OVERVIEW, FORECAST = "overview", "forecast"  # task keys


class ReadinessPage(QWidget):
    #: The readiness overview, heat map and forecast (which follows the plan's activities).
    DEPENDS_ON = frozenset(
        {
            ChangeKind.ASSESSMENT,
            ChangeKind.STAKEHOLDER,
            ChangeKind.RELATIONSHIP,
            ChangeKind.INITIATIVE,
            ChangeKind.WORKSPACE_SETTING,
            ChangeKind.ACTIVITY,
        }
    )

    overview_ready = Signal()
    forecast_ready = Signal()

    def __init__(
        self,
        facade: WorkspaceFacade,
        parent: QWidget | None = None,
        *,
        in_thread_max_ties: int = IN_THREAD_MAX_TIES,
    ) -> None:
        super().__init__(parent)
        self.facade = facade
        self.in_thread_max_ties = in_thread_max_ties
        self.runner = TaskRunner(parent=self)
        self.overview: Overview | None = None
        self.forecast: ForecastRun | None = None
        self._stale = True
        self._build()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        facade.opened.connect(self._on_facade_opened)
        facade.changed.connect(self._on_facade_changed)
        facade.initiative_changed.connect(lambda _i: self._on_facade_opened())
        facade.selection_changed.connect(self._on_facade_selection_changed)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def _build(self) -> None:
        heading = PageHeading("Readiness", align_bottom=False)
        self.caption = heading.caption
        self.busy = BusyBar(bar_width=140)
        self.busy.cancel_requested.connect(self.cancel)
        self.commands = ActionSet(
            self,
            {
                "readiness.survey.record": self.open_survey,
                "readiness.people.show_in_register": self.show_in_register,
            },
        )
        self.survey_button = self.commands.button("readiness.survey.record")
        heading.addWidget(self.busy)
        heading.addWidget(self.survey_button)

        self.settings_bar = ReadinessSettingsBar()
        self.settings_bar.grouping_changed.connect(self._on_settings_bar_grouping_changed)
        self.settings_bar.settings_edited.connect(self._on_settings_bar_settings_edited)
        self.selection_text = QLabel("")
        self.selection_text.setObjectName("muted")
        self.register_button = self.commands.button("readiness.people.show_in_register")
        self.commands.follow_selection(0)
        controls = QHBoxLayout()
        controls.addWidget(self.settings_bar, 1)
        controls.addWidget(self.selection_text)
        controls.addWidget(self.register_button)

        self.overview_panel = OverviewPanel()
        self.overview_panel.people_selected.connect(self.select_people)
        self.overview_panel.open_in_register.connect(self.show_in_register)
        self.forecast_panel = ForecastPanel()
        self.forecast_panel.people_selected.connect(self.select_people)
        self.forecast_panel.parameters_edited.connect(self._on_forecast_parameters_edited)
        self.forecast_panel.calibration_applied.connect(
            lambda values: self._change_settings(
                "apply forecast calibration", save_forecast_parameters, values
            )
        )
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.overview_panel, "Overview")
        self.tabs.addTab(self.forecast_panel, "Forecast to go-live")
        self.champions_panel = ChampionsPanel(self.facade)  # not the forecast's people to win over
        self.champions_panel.people_selected.connect(self.select_people)
        self.tabs.addTab(self.champions_panel, "Champions")
        self.tabs.currentChanged.connect(lambda _i: self._load_forecast_if_needed())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 10)
        layout.setSpacing(6)
        layout.addLayout(heading)
        layout.addLayout(controls)
        layout.addWidget(self.tabs, 1)

    def command_actions(self) -> list[QAction]:
        return list(self.commands)

    def show_route(self, tab: str | None, _filter: str | None = None) -> None:
        """Open the "overview", "forecast" or "champions" tab."""
        panels = {
            "overview": self.overview_panel,
            "forecast": self.forecast_panel,
            "champions": self.champions_panel,
        }
        panel = panels.get(tab or "")
        if panel is not None:
            self.tabs.setCurrentWidget(panel)

    # -- loading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload everything the page shows, off the UI thread."""
        self._stale = False
        self.runner.discard(OVERVIEW)
        self.runner.discard(FORECAST)
        if self.facade.workspace is None:
            return
        initiative = self.facade.initiative_id
        if initiative is None:
            self.caption.setText("No initiative yet: create one to record readiness.")
            self.overview_panel.set_content(None, None, [])
            return
        self.busy.start("Loading readiness…")
        self.runner.start(
            overview_job,
            self.facade.ws,
            initiative,
            self.in_thread_max_ties,
            name="readiness overview",
            key=OVERVIEW,
        ).then(
            self._on_overview_finished,
            self._on_overview_failed,
            self._on_task_cancelled,
            self.busy.show_progress,
        )
        self.forecast = None
        self._load_forecast_if_needed()
        self.champions_panel.stale = True  # reloaded once the overview has warmed the cache

    def _load_forecast_if_needed(self) -> None:
        if self.tabs.currentWidget() is not self.forecast_panel or self.forecast is not None:
            return
        if self.runner.current(FORECAST) is not None or self.facade.workspace is None:
            return
        if self.facade.initiative_id is None:
            return
        self.runner.start(
            forecast_job,
            self.facade.ws,
            self.facade.initiative_id,
            name="readiness forecast",
            key=FORECAST,
        ).then(self._on_forecast_finished, self._on_forecast_failed, self._on_task_cancelled)

    def _on_overview_finished(self, overview: Overview) -> None:
        self._show_busy()
        self.overview = overview
        self.forecast_panel.known_names = dict(
            zip(overview.data.ids, overview.data.name, strict=True)
        )
        self.forecast_panel.scenario_panel.refresh_names()
        self.settings_bar.set_settings(overview.data.settings)
        self.caption.setText(caption(overview.data))
        self._show_grouping()
        if self.champions_panel.isVisible():
            self.champions_panel.invalidate()
        self.overview_ready.emit()

    def _on_forecast_finished(self, run: ForecastRun) -> None:
        self._show_busy()
        self.forecast = run
        threshold = self.overview.data.settings.ready_threshold if self.overview else 4.0
        self.forecast_panel.set_run(run, self._forecast_labels(), threshold)
        self.forecast_ready.emit()

    def _on_forecast_failed(self, message: str) -> None:
        self._show_busy()  # e.g. "Not assessed: … no readiness rounds yet"
        self.forecast_panel.show_unavailable(message)

    def _on_overview_failed(self, message: str) -> None:
        self._show_busy()
        self.caption.setText(f"Could not load readiness: {message}")

    def _on_task_cancelled(self) -> None:
        self._show_busy()
        self._stale = True

    def _show_busy(self) -> None:
        """After a load ends: idle, or still forecasting (which reports no progress of its own)."""
        overview, forecast = self.runner.current(OVERVIEW), self.runner.current(FORECAST)
        if overview is None and forecast is None:
            self.busy.stop()
        elif overview is None:
            self.busy.start("Forecasting to go-live…")

    def cancel(self) -> None:
        self.runner.cancel(OVERVIEW)
        self.runner.cancel(FORECAST)

    def shutdown(self) -> None:
        self.cancel()
        self.forecast_panel.shutdown()
        self.champions_panel.shutdown()

    # -- grouping -------------------------------------------------------------------------------
    def grouping(self) -> str:
        return self.settings_bar.current_grouping()

    def _show_grouping(self) -> None:
        overview = self.overview
        if overview is None:
            return
        key = self.grouping()
        self.overview_panel.set_content(overview.data, overview.summaries[key], overview.dropped)
        if self.forecast is not None:
            self.forecast_panel.set_labels(self._forecast_labels())

    def _forecast_labels(self) -> list[str]:
        run, key = self.forecast, self.grouping()
        if run is None:
            return []
        if key in run.labels:
            return run.labels[key]
        if self.overview is None:
            return ["All people"] * len(run.ids)
        data = self.overview.data
        lookup = dict(zip(data.ids, data.labels[key], strict=True))
        return [lookup.get(i, "(unknown)") for i in run.ids]

    def _on_settings_bar_grouping_changed(self, _key: str) -> None:
        self._show_grouping()

    # -- settings -------------------------------------------------------------------------------
    def _on_settings_bar_settings_edited(self, values: dict[str, Any]) -> None:
        name = "ready threshold" if "ready_threshold" in values else "barrier point rule"
        self._change_settings(f"change {name}", readiness_settings.save_readiness_settings, values)

    def _on_forecast_parameters_edited(self, values: dict[str, Any]) -> None:
        text = (
            "restore forecast defaults"
            if all(v is None for v in values.values())
            else "change forecast parameters"
        )
        self._change_settings(text, save_forecast_parameters, values)

    def _change_settings(self, text: str, save: Any, values: dict[str, Any]) -> None:
        try:
            push(self.facade, ChangeSettingsCommand(self.facade, text, save, values))
        except Exception as exc:  # ServiceError: show it, and put the stored values back
            show_error(self, "Setting not changed", str(exc))
            self._stale = True
            self._debounce.start()

    # -- selection ------------------------------------------------------------------------------
    def select_people(self, ids: list[int], description: str) -> None:
        self.facade.select_people(list(ids), SOURCE)
        self._show_selection(ids, description)

    def _show_selection(self, ids: list[int], description: str = "") -> None:
        count = len(ids)
        people = "1 person" if count == 1 else f"{count:,} people"
        full = (
            f"Selected {people}: {description}"
            if description and ids
            else (f"{people} selected" if ids else "")
        )
        metrics = self.selection_text.fontMetrics()
        self.selection_text.setText(metrics.elidedText(full, Qt.TextElideMode.ElideRight, 320))
        self.selection_text.setToolTip(full)
        self.commands.follow_selection(len(ids))
        self.forecast_panel.set_selection(list(ids))

    def _on_facade_selection_changed(self, ids: list[int], source: str) -> None:
        if source == SOURCE:
            return
        self._show_selection(ids)
        self.overview_panel.select_person(ids[0] if len(ids) == 1 else None)

    def show_in_register(self) -> None:
        window = self.window()
        if hasattr(window, "show_page"):
            window.show_page("stakeholders")
        # the register follows facade.selection_changed; re-announce for a page built lazily
        self.facade.select_people(list(self.facade.selected_ids), SOURCE)

    # -- survey ---------------------------------------------------------------------------------
    def open_survey(self) -> SurveyRoundDialog | None:
        if self.facade.workspace is None:
            return None
        department = None
        if self.overview is not None and self.grouping() == "department":
            rows = self.overview.summaries["department"].rows
            department = rows[0].label if rows else None
        dialog = SurveyRoundDialog(self.facade, department, self)
        dialog.open()
        return dialog

    # -- facade ---------------------------------------------------------------------------------
    def _on_facade_opened(self) -> None:
        self.overview = None
        self.forecast = None
        self.overview_panel.set_content(None, None, [])
        self.forecast_panel.set_run(None, [], 4.0)
        self._stale = True
        if self.isVisible():
            self.refresh()

    def _on_facade_changed(self, change: ChangeSet) -> None:
        if change.touches(self.DEPENDS_ON):
            self._on_data_changed(change)

    def _on_data_changed(self, _change: ChangeSet) -> None:
        self._stale = True
        self._debounce.start()

    def _on_debounce_timeout(self) -> None:
        if self.isVisible() and self._stale:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale and self.facade.workspace is not None:
            self.refresh()
