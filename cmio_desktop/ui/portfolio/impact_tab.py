"""ImpactTab: the current initiative's change-impact ratings (add, edit in place or in a dialog,
delete — each an undo step), the degree of impact beside each department's readiness, and the
red zone as a map and a list."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.analysis.adkar import ReadinessSettings
from cmio_desktop.models.impact import IMPACT_ASPECTS
from cmio_desktop.services.analysis_settings import readiness_settings
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.portfolio.departments import department_names
from cmio_desktop.services.portfolio.impact import (
    RedZoneRow,
    check_aspects,
    list_impacts,
    red_zone,
)
from cmio_desktop.ui.action_set import ActionSet
from cmio_desktop.ui.common.table_model import Column, TableModel
from cmio_desktop.ui.common.table_view import make_table, select_ids, selected_records
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.portfolio import commands
from cmio_desktop.ui.portfolio.impact_dialog import ImpactDialog
from cmio_desktop.ui.portfolio.impact_table import ImpactLine, ImpactTableModel, impact_lines
from cmio_desktop.ui.portfolio.red_zone_map import RedZoneMap

RED_COLUMNS = (
    Column("Department", lambda r: r.department, width=150),
    Column("Impact", lambda r: f"{r.degree} ({r.score:.1f})", key=lambda r: r.score, width=90),
    Column("Readiness", lambda r: "not assessed" if r.readiness is None else f"{r.readiness:.2f}",
           key=lambda r: r.readiness, align="right", width=90),
    Column("Assessed", lambda r: str(r.assessed), key=lambda r: r.assessed, align="right"),
)  # fmt: skip


def fit_aspect_columns(view: QTableView) -> None:
    """Each aspect column as wide as its header needs (bold, padded), no wider: the table
    fits a 1024-pixel window with readiness in view."""
    font = QFont(view.horizontalHeader().font())
    font.setWeight(QFont.Weight.DemiBold)  # the style sheet's header weight
    metrics = QFontMetrics(font)
    for i, column in enumerate(view.model().columns):  # type: ignore[attr-defined]
        if column.name in IMPACT_ASPECTS:
            view.setColumnWidth(i, max(40, metrics.horizontalAdvance(column.title) + 18))


class ImpactTab(QWidget):
    def __init__(self, facade: WorkspaceFacade, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facade = facade
        self.departments: list[str] = []
        self.settings = ReadinessSettings()
        self.zone: list[RedZoneRow] = []
        self.model = ImpactTableModel(self)
        self.model.aspect_edited.connect(
            self._on_model_aspect_edited, Qt.ConnectionType.QueuedConnection
        )
        self.view = make_table(self.model, multi=True, stretch=0)
        self.view.setAccessibleName("Change impact ratings")
        self.view.setEditTriggers(
            self.view.EditTrigger.DoubleClicked
            | self.view.EditTrigger.EditKeyPressed
            | self.view.EditTrigger.AnyKeyPressed
        )
        fit_aspect_columns(self.view)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.red = TableModel(RED_COLUMNS, id_of=lambda r: r.department, parent=self)
        self.red_view = make_table(self.red, multi=False, stretch=0)
        self.red_view.setAccessibleName("Departments in the red zone")
        self.red_view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.map = RedZoneMap()
        self.map.cell_clicked.connect(self._on_map_cell_clicked)
        self.commands = ActionSet(
            self,
            {
                "portfolio.impact.add": self.add_rating,
                "portfolio.impact.edit": self.edit_rating,
                "portfolio.impact.delete": self.delete_ratings,
            },
            view=self.view,
        )
        self.add_button = self.commands.button("portfolio.impact.add")
        self.edit_button = self.commands.button("portfolio.impact.edit")
        self.delete_button = self.commands.button("portfolio.impact.delete")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b91c1c;")
        self.red_title = QLabel()
        self._build()
        self.view.selectionModel().selectionChanged.connect(self._enable_buttons)
        self.view.doubleClicked.connect(self._on_view_double_clicked)
        self._enable_buttons()

    def _build(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.delete_button)
        hint = QLabel("Double-click an aspect to type 0–5.")
        hint.setObjectName("muted")
        bar.addWidget(hint)
        bar.addWidget(self.message, 1)
        red_box = QWidget()
        red_layout = QVBoxLayout(red_box)
        red_layout.setContentsMargins(0, 0, 0, 0)
        red_layout.addWidget(self.red_title)
        red_layout.addWidget(self.red_view, 1)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.map)
        bottom.addWidget(red_box)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 2)
        bottom.setSizes([540, 400])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(bottom)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([320, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

    # -- data --------------------------------------------------------------------------------
    def refresh(self) -> str:
        """Reload from the workspace; returns the caption for the page."""
        iid = self.facade.initiative_id
        if iid is None:
            self.model.set_rows([])
            return "No initiative yet."
        ws = self.facade.ws
        rows = list_impacts(ws, iid)
        self.zone = red_zone(ws, iid)
        self.settings = readiness_settings(ws)
        self.departments = department_names(ws)
        chosen = [r.id for r in selected_records(self.view)]
        self.model.set_rows(impact_lines(rows, self.zone))
        self._reselect(chosen)
        self.map.set_rows(self.zone, self.settings)
        red = [z for z in self.zone if z.red]
        self.red.set_rows(red)
        self.red_title.setText(
            f"<b>Red zone</b> — {len(red)} department{'s' if len(red) != 1 else ''}: high impact, "
            f"readiness below {self.settings.ready_threshold:g} or not assessed"
        )
        self._enable_buttons()
        high = sum(r.degree == "high" for r in rows)
        return f"{len(rows)} ratings · {high} high impact · {len(red)} departments in the red zone"

    def _reselect(self, ids: list[int]) -> None:
        if ids:
            select_ids(self.view, ids)

    def _on_map_cell_clicked(self, departments: list[str]) -> None:
        chosen = set(departments)
        select_ids(self.view, [ln.id for ln in self.lines() if ln.row.department in chosen])

    def lines(self) -> list[ImpactLine]:
        return self.model.records

    def command_actions(self) -> list[QAction]:
        return list(self.commands)

    def _enable_buttons(self, *_args: Any) -> None:
        self.commands.follow_selection(len(self.view.selectionModel().selectedRows()))

    # -- edits -------------------------------------------------------------------------------
    def say(self, _title: str, message: str) -> None:
        """A refused edit: the sentence beside the buttons (nothing was changed)."""
        self.message.setText(message)

    def add_rating(self) -> ImpactDialog | None:
        return self._open_dialog(None)

    def edit_rating(self) -> ImpactDialog | None:
        lines = selected_records(self.view)
        return self._open_dialog(lines[0]) if len(lines) == 1 else None

    def _on_view_double_clicked(self, index: Any) -> None:
        column = self.model.columns[index.column()]
        if column.name not in IMPACT_ASPECTS:  # an aspect is typed in place
            self.edit_rating()

    def _open_dialog(self, line: ImpactLine | None) -> ImpactDialog | None:
        if self.facade.initiative_id is None:
            return None
        dialog = ImpactDialog(self.departments, line.row if line else None, self)
        if dialog.exec() and dialog.result_values is not None:
            self.store(*dialog.result_values)
        return dialog

    def store(self, department: str, role: str | None, aspects: dict[str, Any]) -> bool:
        """Rate (or re-rate) as one undo step; a refusal is said beside the buttons."""
        iid = self.facade.initiative_id
        if iid is None:
            return False
        self.message.clear()
        previous = next(
            (ln.row for ln in self.lines()
             if ln.row.department == department and ln.row.role == role),
            None,
        )  # fmt: skip
        return commands.rate_impact(self.facade, self.say, iid, department, role, aspects, previous)

    def _on_model_aspect_edited(self, line: ImpactLine, aspect: str, text: str) -> None:
        self.set_aspect(line, aspect, text)

    def set_aspect(self, line: ImpactLine, aspect: str, text: str) -> bool:
        """A typed value for one aspect: whole numbers 0–5, else a sentence and no change."""
        stripped = text.strip()
        try:
            value: Any = int(stripped) if stripped.lstrip("-").isdigit() else stripped
            aspects = check_aspects({**line.row.aspects, aspect: value})
        except ServiceError as exc:
            self.message.setText(f"{line.row.scope}: {exc} “{stripped}” was not stored.")
            return False
        return self.store(line.row.department, line.row.role, aspects)

    def delete_ratings(self) -> bool:
        lines = selected_records(self.view)
        if not lines:
            return False
        self.message.clear()
        return commands.delete_impacts(self.facade, self.say, [ln.row for ln in lines])
