"""ForecastPanel: parameters and their explanation, per-group readiness today vs go-live
(chart and table), the what-if, and the champion recommender. The base forecast is loaded by
the page; what-ifs and recommendations run here on pool threads, with progress and Cancel."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...analysis.forecast import ForecastResult
from ...services import forecast_service as service
from ...services.forecast_service import ChampionPicks, ForecastRun
from ..workers import Task, TaskRunner
from .forecast_chart import ForecastChart
from .forecast_params import ForecastParametersPanel
from .jobs import champions_job, start_connected, what_if_job
from .scenario_panel import ScenarioPanel
from .table_models import group_forecast_model


class ForecastPanel(QWidget):
    parameters_edited = Signal(dict)
    people_selected = Signal(list, str)
    scenario_ready = Signal()
    champions_ready = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = TaskRunner(parent=self)
        self.run: ForecastRun | None = None
        self.labels: list[str] = []
        self.threshold = 4.0
        self.scenario: ForecastResult | None = None
        self._what_if_task: Task | None = None
        self._champions_task: Task | None = None
        self._positions: dict[int, int] = {}

        self.parameters = ForecastParametersPanel()
        self.parameters.edited.connect(self.parameters_edited.emit)
        self.headline = QLabel("")
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("color: #1f2a37;")
        self.chart = ForecastChart()
        self.groups = group_forecast_model(self)
        self.table = QTableView()
        self.table.setModel(self.groups)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(36)
        for col, width in enumerate((150, 44, 58, 66, 54, 70, 52)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(self.chart)
        centre.addWidget(self.table)
        centre.setSizes([380, 200])
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.headline)
        middle_layout.addWidget(centre, 1)
        self.scenario_panel = ScenarioPanel()
        self.scenario_panel.name_of = self._name_of
        self.scenario_panel.scenario_changed.connect(self.run_what_if)
        self.scenario_panel.champions_requested.connect(self.recommend)
        self.scenario_panel.cancel_requested.connect(self.cancel_champions)
        self.scenario_panel.person_clicked.connect(
            lambda ident, name: self.people_selected.emit([ident], name)
        )
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.parameters)
        splitter.addWidget(middle)
        splitter.addWidget(self.scenario_panel)
        splitter.setSizes([272, 560, 308])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # -- content --------------------------------------------------------------------------------
    def set_run(self, run: ForecastRun | None, labels: Sequence[str], threshold: float) -> None:
        self.cancel_champions()
        self.run, self.labels, self.threshold = run, list(labels), threshold
        self.scenario = None
        self._positions = {pid: i for i, pid in enumerate(run.ids)} if run else {}
        if run is not None:
            self.parameters.set_values(service.parameter_values(run.settings))
            self.scenario_panel.set_weeks(run.weeks)
            self.scenario_panel.picks.set_rows([])
            self.scenario_panel.adopt_button.setEnabled(False)
        self._show()
        if run is not None and self.scenario_panel.has_scenario():
            self.run_what_if()

    def set_labels(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self._show()

    def set_selection(self, ids: list[int]) -> None:
        self.scenario_panel.set_selection(ids)

    def _name_of(self, ident: int) -> str:
        if self.run is None or ident not in self._positions:
            return f"person {ident}"
        return self.run.name[self._positions[ident]]

    def _show(self) -> None:
        run = self.run
        if run is None or len(self.labels) != len(run.ids):
            self.chart.set_rows([], self.threshold, "")
            self.groups.set_rows([])
            self.headline.setText("")
            return
        rows = service.group_rows(run, self.labels, self.scenario)
        overall = service.overall_row(run, self.scenario)
        self.groups.set_rows(rows)
        caption = f"Mean readiness (1–5) · go-live {run.go_live:%d %b %Y}, in {run.weeks} weeks"
        self.chart.set_rows(rows, self.threshold, caption)
        in_horizon = sum(a.in_horizon for a in run.activities)
        text = (
            f"<b>{run.initiative_name}</b>: mean readiness {overall.today:.2f} today → "
            f"<b>{overall.go_live:.2f}</b> at go-live with the plan "
            f"({in_horizon} activities due before go-live"
        )
        if run.imputed_people:
            text += (
                f"; {run.imputed_people:,} people without a round start at their department mean"
            )
        text += ")."
        if overall.scenario is not None:
            text += (
                f" What-if: <b>{overall.scenario:.2f}</b> "
                f"({overall.scenario - overall.go_live:+.2f})."
            )
        self.headline.setText(text)

    # -- what-if --------------------------------------------------------------------------------
    def run_what_if(self) -> None:
        if self._what_if_task is not None:
            self._what_if_task.cancel()
        panel = self.scenario_panel
        if self.run is None or not panel.has_scenario():
            self.scenario = None
            self._show()
            self.scenario_ready.emit()
            return
        self._what_if_task = start_connected(
            self.runner,
            what_if_job,
            self.run,
            list(panel.win_over),
            panel.chosen_elements(),
            list(panel.boosts),
            name="what-if",
            finished=self._on_what_if_finished,
            failed=self._on_what_if_failed,
        )

    def _on_what_if_failed(self, task: Task, message: str) -> None:
        if task is self._what_if_task:
            self._what_if_task = None
            self.headline.setText(f"The what-if could not be run: {message}")
            self.scenario_ready.emit()

    def _on_what_if_finished(self, task: Task, result: ForecastResult) -> None:
        if task is not self._what_if_task:
            return
        self._what_if_task = None
        self.scenario = result
        self._show()
        self.scenario_ready.emit()

    # -- champions ------------------------------------------------------------------------------
    def recommend(self, k: int) -> None:
        if self.run is None:
            return
        self.cancel_champions()
        panel = self.scenario_panel
        panel.set_busy(True, "Ranking every person…")
        self._champions_task = start_connected(
            self.runner,
            champions_job,
            self.run,
            k,
            name="champions",
            finished=self._on_champions_finished,
            failed=self._on_champions_stopped,
            cancelled=lambda t: self._on_champions_stopped(t, "Cancelled."),
            progress=panel.set_progress,
        )

    def cancel_champions(self) -> None:
        if self._champions_task is not None:
            self._champions_task.cancel()

    def _on_champions_finished(self, task: Task, picks: ChampionPicks) -> None:
        if task is not self._champions_task:
            return
        self._champions_task = None
        panel = self.scenario_panel
        panel.set_busy(False)
        panel.picks.set_rows(picks.picks)
        panel.adopt_button.setEnabled(bool(picks.picks))
        total = picks.picks[-1].predicted_mean - picks.baseline if picks.picks else 0.0
        panel.picks_note.setText(
            f"Together they lift the predicted mean at go-live by {total:+.3f} "
            f"(from {picks.baseline:.3f}); {picks.exact_evaluations} forecasts run."
        )
        self.champions_ready.emit()

    def _on_champions_stopped(self, task: Task, message: str) -> None:
        if task is self._champions_task:
            self._champions_task = None
        self.scenario_panel.set_busy(False)
        self.scenario_panel.picks_note.setText(message)

    def shutdown(self) -> None:
        self.runner.cancel_all()
