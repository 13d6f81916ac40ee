"""ForecastPanel: the verdict in one sentence, per-group readiness today vs go-live with and
without the plan (chart and table), the back-test against the last observed round with an
optional calibration, the parameters under "Advanced", the what-if and the people to win
over. The base forecast is loaded by the page; what-ifs, recommendations and the calibration
run here on pool threads."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.analysis.forecast import ForecastResult
from cmio_desktop.services.readiness import forecast as service
from cmio_desktop.services.readiness.forecast import CalibrationProposal, ChampionPicks, ForecastRun
from cmio_desktop.ui.common.table_view import tab_leaves, widen_to_titles
from cmio_desktop.ui.common.tasks import TaskRunner
from cmio_desktop.ui.help_link import HelpLink
from cmio_desktop.ui.readiness.forecast_chart import ForecastChart
from cmio_desktop.ui.readiness.forecast_params import ForecastParametersPanel
from cmio_desktop.ui.readiness.jobs import calibrate_job, what_if_job, win_over_job
from cmio_desktop.ui.readiness.scenario_panel import ScenarioPanel
from cmio_desktop.ui.readiness.table_models import group_forecast_model

CALIBRATION, WHAT_IF, WIN_OVER = "calibration", "what-if", "win-over"  # task keys
PLAN_COLUMN = 4  # go-live with the plan: the table's default order, least ready first
WHAT_IF_COLUMNS = (6, 7)  # the what-if's readiness and lift
COMPACT_BELOW = 1200  # px of panel width: below it the parameters move above the chart


class ForecastPanel(QWidget):
    parameters_edited = Signal(dict)
    calibration_applied = Signal(dict)  # {parameter name: fitted value}
    calibration_ready = Signal()
    people_selected = Signal(list, str)
    scenario_ready = Signal()
    win_over_ready = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = TaskRunner(parent=self)
        self.run: ForecastRun | None = None
        self.labels: list[str] = []
        self.threshold = 4.0
        self.scenario: ForecastResult | None = None
        self._positions: dict[int, int] = {}
        self.proposal: CalibrationProposal | None = None
        self.known_names: dict[int, str] = {}  # names before the forecast is loaded

        self.parameters = ForecastParametersPanel()
        self.parameters.edited.connect(self.parameters_edited.emit)
        self.headline = QLabel("")
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("color: #1f2a37;")
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.backtest = QLabel("")
        self.backtest.setWordWrap(True)
        self.backtest_help = HelpLink("back-test")
        self.calibrate_button = QPushButton("Calibrate…")
        self.calibrate_button.setToolTip(
            "Fit λ and the effect sizes on every pair of observed rounds (bounded least "
            "squares, kept close to the current values). Nothing changes until you apply it."
        )
        self.calibrate_button.clicked.connect(self.calibrate)
        self.calibration = QLabel("")
        self.calibration.setWordWrap(True)
        self.calibration.setObjectName("muted")
        self.apply_button = QPushButton("Apply fitted values")
        self.apply_button.setVisible(False)
        self.apply_button.clicked.connect(self._apply_calibration)
        self.chart = ForecastChart()
        self.groups = group_forecast_model(self)
        self.table = QTableView()
        tab_leaves(self.table)
        self.table.setModel(self.groups)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(PLAN_COLUMN, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(36)
        for col, width in enumerate((150, 40, 52, 68, 64, 76, 60, 52)):
            header.resizeSection(col, width)
        widen_to_titles(self.table)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in WHAT_IF_COLUMNS:
            self.table.setColumnHidden(column, True)
        centre = QSplitter(Qt.Orientation.Vertical)
        centre.addWidget(self.chart)
        centre.addWidget(self.table)
        centre.setSizes([380, 200])
        centre.setStretchFactor(0, 3)
        # The header and two rows stay in view however short the window (the chart has its own
        # minimum: see ForecastChart.set_rows).
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 3 + 6)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.headline)
        middle_layout.addWidget(centre, 1)
        backtest_row = QHBoxLayout()
        backtest_row.addWidget(self.backtest, 1)
        backtest_row.addWidget(self.backtest_help, 0, Qt.AlignmentFlag.AlignTop)
        backtest_row.addWidget(self.calibrate_button, 0, Qt.AlignmentFlag.AlignTop)
        middle_layout.addLayout(backtest_row)
        calibration_row = QHBoxLayout()
        calibration_row.addWidget(self.calibration, 1)
        calibration_row.addWidget(self.apply_button, 0, Qt.AlignmentFlag.AlignTop)
        middle_layout.addLayout(calibration_row)
        self.scenario_panel = ScenarioPanel()
        self.scenario_panel.name_of = self._name_of
        self.scenario_panel.scenario_changed.connect(self.run_what_if)
        self.scenario_panel.win_over_requested.connect(self.recommend)
        self.scenario_panel.cancel_requested.connect(self.cancel_win_over)
        self.scenario_panel.person_clicked.connect(
            lambda ident, name: self.people_selected.emit([ident], name)
        )
        self.middle_layout = middle_layout
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.parameters)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.scenario_panel)
        self.splitter.setSizes([248, 584, 308])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    # -- layout ---------------------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._arrange(compact=event.size().width() < COMPACT_BELOW)

    def _arrange(self, compact: bool) -> None:
        """On a narrow window the parameters leave their own column for a row above the verdict,
        so the chart and its group labels get the width (a laptop at 1024 px)."""
        if compact == self.parameters.compact:
            return
        self.parameters.set_compact(compact)
        if compact:
            self.middle_layout.insertWidget(0, self.parameters)
        else:
            self.splitter.insertWidget(0, self.parameters)
            self.splitter.setSizes([248, 584, 308])
        self.parameters.show()  # a moved widget is hidden until the next event loop turn

    # -- content --------------------------------------------------------------------------------
    def set_run(self, run: ForecastRun | None, labels: Sequence[str], threshold: float) -> None:
        self.cancel_win_over()
        self.run, self.labels, self.threshold = run, list(labels), threshold
        self.scenario = None
        self._positions = {pid: i for i, pid in enumerate(run.ids)} if run else {}
        self._show_calibration(None)
        self.scenario_panel.refresh_names()
        if run is not None:
            self.parameters.set_values(service.parameter_values(run.settings))
            self.scenario_panel.set_weeks(run.weeks)
            self.scenario_panel.picks.set_rows([])
            self.scenario_panel.adopt_button.setEnabled(False)
        self._show()
        if run is not None and self.scenario_panel.has_scenario():
            self.run_what_if()

    def show_unavailable(self, message: str) -> None:
        """No forecast (no people, no rounds, no go-live date): the reason, in the headline."""
        self.set_run(None, [], self.threshold)
        self.headline.setText(message)

    def set_labels(self, labels: Sequence[str]) -> None:
        self.labels = list(labels)
        self._show()

    def set_selection(self, ids: list[int]) -> None:
        self.scenario_panel.set_selection(ids)

    def _name_of(self, ident: int) -> str:
        if self.run is not None and ident in self._positions:
            return self.run.name[self._positions[ident]]
        return self.known_names.get(ident, "someone not in the forecast")

    def _show(self) -> None:
        run = self.run
        if run is None or len(self.labels) != len(run.ids):
            self.chart.set_rows([], self.threshold, "")
            self.groups.set_rows([])
            self.headline.setText("")
            self.backtest.setText("")
            self.calibrate_button.setEnabled(False)
            return
        rows = service.group_rows(run, self.labels, self.scenario)
        overall = service.overall_row(run, self.scenario)
        self.groups.set_rows(rows)
        for column in WHAT_IF_COLUMNS:  # empty until a what-if runs: their width goes to the names
            self.table.setColumnHidden(column, self.scenario is None)
        caption = f"Mean readiness (1–5) · go-live {run.go_live:%d %b %Y}, in {run.weeks} weeks"
        self.chart.set_rows(rows, self.threshold, caption)
        in_horizon = sum(a.in_horizon for a in run.activities)
        text = f"<b>{escape(service.verdict(run))}</b><br>{escape(run.initiative_name)}: "
        text += f"{in_horizon} planned activities due before go-live"
        if run.imputed_people:
            text += (
                f"; {run.imputed_people:,} people without a round start at their department mean"
            )
        text += "."
        if overall.scenario is not None:
            text += (
                f" What-if: <b>{overall.scenario:.2f}</b> "
                f"({overall.scenario - overall.go_live:+.2f})."
            )
        self.headline.setText(text)
        self._show_backtest(run)

    def _show_backtest(self, run: ForecastRun) -> None:
        bt = run.backtest
        warn = bt is not None and bt.people > 0 and not bt.beats_no_change
        self.backtest.setText(service.backtest_text(run))
        self.backtest.setStyleSheet(
            "color: #9a3412; background: #fff7ed; border-radius: 4px; padding: 3px;"
            if warn
            else "color: #475569; padding: 3px;"
        )
        self.calibrate_button.setEnabled(bool(run.round_pairs))

    # -- calibration ----------------------------------------------------------------------------
    def calibrate(self) -> None:
        if self.run is None or self.runner.current(CALIBRATION) is not None:
            return
        self.calibrate_button.setEnabled(False)
        self.calibration.setText("Fitting λ and the effect sizes on the observed rounds…")
        self.runner.start(
            calibrate_job, self.run, name="forecast calibration", key=CALIBRATION
        ).then(self._on_calibration_finished, self._on_calibration_failed)

    def _on_calibration_finished(self, proposal: CalibrationProposal) -> None:
        self._show_calibration(proposal)
        self.calibrate_button.setEnabled(True)
        self.calibration_ready.emit()

    def _on_calibration_failed(self, message: str) -> None:
        self._show_calibration(None)
        self.calibration.setText(message)
        self.calibrate_button.setEnabled(self.run is not None)
        self.calibration_ready.emit()

    def _show_calibration(self, proposal: CalibrationProposal | None) -> None:
        self.proposal = proposal
        self.calibration.setText(proposal.text if proposal is not None else "")
        self.apply_button.setVisible(proposal is not None)

    def _apply_calibration(self) -> None:
        if self.proposal is not None:
            self.calibration_applied.emit(dict(self.proposal.values))

    # -- what-if --------------------------------------------------------------------------------
    def run_what_if(self) -> None:
        self.runner.discard(WHAT_IF)
        panel = self.scenario_panel
        if self.run is None or not panel.has_scenario():
            self.scenario = None
            self._show()
            self.scenario_ready.emit()
            return
        self.runner.start(
            what_if_job,
            self.run,
            list(panel.win_over),
            panel.chosen_elements(),
            list(panel.boosts),
            name="what-if",
            key=WHAT_IF,
        ).then(self._on_what_if_finished, self._on_what_if_failed)

    def _on_what_if_failed(self, message: str) -> None:
        self.headline.setText(f"The what-if could not be run: {message}")
        self.scenario_ready.emit()

    def _on_what_if_finished(self, result: ForecastResult) -> None:
        self.scenario = result
        self._show()
        self.scenario_ready.emit()

    # -- people to win over ---------------------------------------------------------------------
    def recommend(self, k: int) -> None:
        if self.run is None:
            return
        panel = self.scenario_panel
        panel.set_busy(True, "Ranking every person…")
        self.runner.start(win_over_job, self.run, k, name="people to win over", key=WIN_OVER).then(
            self._on_win_over_finished,
            self._on_win_over_stopped,
            lambda: self._on_win_over_stopped("Cancelled."),
            panel.set_progress,
        )

    def cancel_win_over(self) -> None:
        self.runner.cancel(WIN_OVER)

    def _on_win_over_finished(self, picks: ChampionPicks) -> None:
        panel = self.scenario_panel
        panel.set_busy(False)
        panel.picks.set_rows(picks.picks)
        panel.adopt_button.setEnabled(bool(picks.picks))
        total = picks.picks[-1].predicted_mean - picks.baseline if picks.picks else 0.0
        panel.picks_note.setText(
            f"Together they lift the predicted mean at go-live by {total:+.3f} "
            f"(from {picks.baseline:.3f}); {picks.exact_evaluations} forecasts run."
        )
        self.win_over_ready.emit()

    def _on_win_over_stopped(self, message: str) -> None:
        self.scenario_panel.set_busy(False)
        self.scenario_panel.picks_note.setText(message)

    def shutdown(self) -> None:
        self.runner.cancel_all()
